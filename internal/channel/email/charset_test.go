package email

import (
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func encodeIn(t *testing.T, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	b, err := cm.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDetectCharset: unlabelled 8-bit text is read as mail clients read it.
func TestDetectCharset(t *testing.T) {
	texts := []string{
		"Здравствуйте! Пришлите, пожалуйста, счёт на оплату заказа 4512.",
		"Не работает",
		"ПРИВЕТ, ЗАКАЗ НЕ ПРИШЁЛ",
		"Добрый день, «Рога и копыта» — ООО. Договор №7",
		"Съешь же ещё этих мягких французских булок, да выпей чаю",
		"Иван",
		"Счёт",
	}
	for _, s := range texts {
		for cs, cm := range map[string]*charmap.Charmap{CharsetCP1251: charmap.Windows1251, CharsetKOI8R: charmap.KOI8R} {
			b, err := cm.NewEncoder().Bytes([]byte(s))
			if err != nil {
				continue // № is not in KOI8-R
			}
			if got := DetectCharset(b); got != cs {
				t.Errorf("DetectCharset(%s of %q) = %s", cs, s, got)
			}
			if got := DecodeText(b, ""); got != s {
				t.Errorf("DecodeText(%s of %q) = %q", cs, s, got)
			}
		}
		if got := DetectCharset([]byte(s)); got != CharsetUTF8 {
			t.Errorf("DetectCharset(utf-8 %q) = %s", s, got)
		}
	}
	if got := DetectCharset([]byte("plain")); got != CharsetASCII {
		t.Errorf("ascii: %s", got)
	}
	if got := DecodeText(encodeIn(t, charmap.Windows1252, "Müller, café"), ""); got != "Müller, café" {
		t.Errorf("latin: %q", got)
	}
	// A wrong label: UTF-8 declared, windows-1251 sent.
	if got := DecodeText(encodeIn(t, charmap.Windows1251, "Привет"), "utf-8"); got != "Привет" {
		t.Errorf("mislabelled: %q", got)
	}
	if got := DecodeText(encodeIn(t, charmap.KOI8R, "Привет"), "x-unknown-charset"); got != "Привет" {
		t.Errorf("unknown label: %q", got)
	}
	if got := DecodeText(encodeIn(t, charmap.KOI8R, "Привет"), "KOI8-R"); got != "Привет" {
		t.Errorf("labelled: %q", got)
	}
}

// TestDecodeHeader: encoded words (also broken ones) and raw 8-bit header text.
func TestDecodeHeader(t *testing.T) {
	koi := string(encodeIn(t, charmap.KOI8R, "Вопрос по заказу"))
	cp := string(encodeIn(t, charmap.Windows1251, "Счёт"))
	cases := map[string]string{
		"=?utf-8?B?0JfQsNC60LDQtw==?=":                    "Заказ",
		"=?UTF-8?Q?=D0=97=D0=B0=D0=BA=D0=B0=D0=B7?= 4512": "Заказ 4512",
		"=?koi8-r?b?8NLJ18XU?=":                           "Привет",
		"=?utf-8?B?0JfQsNC6?= =?utf-8?B?0LDQtw==?=":       "Заказ", // space between words dropped
		"=?utf-8?B?0JfQ?= =?utf-8?B?sNC60LDQtw==?=":       "Заказ", // a letter split between words
		"=?utf-8?B?0JfQsNC60LDQtw?=":                      "Заказ", // no padding
		"=?windows-1251?Q?" + cp + "?=":                   "Счёт",  // raw 8-bit inside Q
		"=?utf-8?Q?Привет_мир?=":                          "Привет мир",
		koi:                                               "Вопрос по заказу", // raw koi8-r
		"Re: " + cp + " 15":                               "Re: Счёт 15",
		"plain ascii":                                     "plain ascii",
		"=?utf-8*ru?B?0JTQsA==?=":                         "Да",
		"=?bogus?B?0JTQsA==?=":                            "Да",
		"=?utf-8?B?0JTQsA==?= и =?koi8-r?b?8NLJ18XU?= сейчас": "Да и Привет сейчас",
	}
	for in, want := range cases {
		if got := DecodeHeader(in); got != want {
			t.Errorf("DecodeHeader(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestParseHeaderParams: RFC 2231 (quoted, continuations, other charsets), encoded words
// and raw 8-bit file names.
func TestParseHeaderParams(t *testing.T) {
	cp := string(encodeIn(t, charmap.Windows1251, "Договор.pdf"))
	cases := []struct{ in, value, name string }{
		{`attachment; filename="report.pdf"`, "attachment", "report.pdf"},
		{`attachment; filename*="iso-8859-1''Pr%E9sentation%20finale.pdf"`, "attachment", "Présentation finale.pdf"},
		{`attachment; filename*=iso-8859-1'fr'Pr%E9sentation.pdf`, "attachment", "Présentation.pdf"},
		{`attachment; filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82.xlsx`, "attachment", "Счёт.xlsx"},
		{"attachment;\r\n filename*0*=utf-8''%D0%94%D0%BE%D0%B3%D0%BE;\r\n filename*1*=%D0%B2%D0%BE%D1%80;\r\n filename*2=\".docx\"", "attachment", "Договор.docx"},
		{`attachment; filename*1="b.txt"; filename*0="a"`, "attachment", "ab.txt"},
		{`attachment; filename="=?utf-8?B?0KHRh9GR0YIucGRm?="`, "attachment", "Счёт.pdf"},
		{"attachment; filename=\"" + cp + "\"", "attachment", "Договор.pdf"},
		{"attachment; filename=" + cp, "attachment", "Договор.pdf"},
		{"Attachment ; filename=\"a\\\"b.txt\"; size=12", "attachment", "a\"b.txt"},
		{`attachment; filename*="koi8-r''%F3%DE%C5%D4.pdf"; filename="fallback.pdf"`, "attachment", "Счет.pdf"},
		{`inline`, "inline", ""},
		{`; filename=x`, "", "x"},
	}
	for _, c := range cases {
		v, p := ParseHeaderParams(c.in)
		if v != c.value || p["filename"] != c.name {
			t.Errorf("ParseHeaderParams(%q) = %q, %q; want %q, %q", c.in, v, p["filename"], c.value, c.name)
		}
	}
}
