package attachment

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitizeName(t *testing.T) {
	long := strings.Repeat("а", 150)
	cases := []struct{ in, want string }{
		{"report.pdf", "report.pdf"},
		{"Отчёт за Май.docx", "Отчёт_за_Май.docx"},
		{"ЁЖИК ёжик.txt", "ЁЖИК_ёжик.txt"},
		{"my-file (1).tar.gz", "my_file__1_.tar.gz"},
		{"a~b_c.D", "a~b_c.D"},
		{"2024 год.xlsx", "2024_год.xlsx"},
		{"../../etc/passwd", ".._.._etc_passwd"},
		{`C:\Users\x\doc.txt`, "C__Users_x_doc.txt"},
		{"naïve café.png", "na_ve_caf_.png"},
		{"Ελληνικά.txt", "________.txt"},
		{"Ґанок і Їжак.doc", "_анок____жак.doc"}, // Ukrainian letters are not in the rule
		{"smile😀.png", "smile_.png"},
		{"tab\there\nnl.txt", "tab_here_nl.txt"},
		{"\x00\xff\xfe.bin", "___.bin"},
		{"", "file"},
		{".", "file"},
		{"..", "file"},
		{"....", "file"},
		{".htaccess", ".htaccess"},
		{"--", "__"},
		{"   ", "___"},
		// Decomposed й and ё (macOS) are composed and kept.
		{"и\u0306од е\u0308ж.txt", "йод_ёж.txt"},
		{"\u0306x", "_x"},
		// Long names are cut to 100 keeping the extension.
		{long + ".pdf", strings.Repeat("а", 96) + ".pdf"},
		{long, strings.Repeat("а", 100)},
		{strings.Repeat("b", 120) + "." + strings.Repeat("e", 30), strings.Repeat("b", 100)},
		{strings.Repeat("x", 99) + ".tar.gz", strings.Repeat("x", 97) + ".gz"},
		{strings.Repeat(".", 150) + "txt", strings.Repeat(".", 96) + ".txt"},
		{strings.Repeat(".", 101), "file"},
		{strings.Repeat("x", 100), strings.Repeat("x", 100)},
	}
	for _, c := range cases {
		if got := SanitizeName(c.in); got != c.want {
			t.Errorf("SanitizeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// checkRule reports what is wrong with a sanitised name, or "".
func checkRule(out string) string {
	if out == "" {
		return "empty"
	}
	if !utf8.ValidString(out) {
		return "invalid UTF-8"
	}
	if n := utf8.RuneCountInString(out); n > MaxNameRunes {
		return "too long"
	}
	if strings.ContainsAny(out, `/\`) {
		return "path separator"
	}
	if strings.Trim(out, ".") == "" {
		return "only dots"
	}
	for _, r := range out {
		if !allowed(r) {
			return "character " + string(r) + " not allowed"
		}
	}
	return ""
}

func FuzzSanitizeName(f *testing.F) {
	for _, s := range []string{"", ".", "отчёт-2024 (финал).pdf", "../x", `a\b`, "и\u0306", strings.Repeat("я", 200) + ".docx",
		"\xff\xfe", "Ё.ё", "~_~", strings.Repeat(".", 120) + "a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := SanitizeName(in)
		if msg := checkRule(out); msg != "" {
			t.Fatalf("SanitizeName(%q) = %q: %s", in, out, msg)
		}
		if again := SanitizeName(out); again != out {
			t.Fatalf("not stable: SanitizeName(%q) = %q, then %q", in, out, again)
		}
		// Names that already follow the rule and are short enough are kept as they are.
		if checkRule(in) == "" && utf8.RuneCountInString(in) <= MaxNameRunes && out != in {
			t.Fatalf("SanitizeName(%q) changed a valid name to %q", in, out)
		}
	})
}
