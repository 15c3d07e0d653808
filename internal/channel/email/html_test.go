package email

import "testing"

func TestHTMLToText(t *testing.T) {
	cases := map[string]string{
		`<p>Добрый&nbsp;день!</p><p>Нужен <b>счёт</b> &amp; акт.</p>`:                     "Добрый день!\nНужен счёт & акт.",
		`<html><head><title>x</title><style>p{}</style></head><body>Привет</body></html>`: "Привет",
		`<div>один<br>два<br/>три</div><script>alert(1)</script>`:                         "один\nдва\nтри",
		"<p>a</p>\n\n\n\n<p>b</p>":     "a\n\nb",
		`&lt;не тег&gt;   и   пробелы`: "<не тег> и пробелы",
		``: "",
	}
	for in, want := range cases {
		if got := htmlToText(in); got != want {
			t.Errorf("htmlToText(%q) = %q, want %q", in, got, want)
		}
	}
}
