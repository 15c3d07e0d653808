package email

import "testing"

func TestHTMLToText(t *testing.T) {
	cases := map[string]string{
		`<p>Добрый&nbsp;день!</p><p>Нужен <b>счёт</b> &amp; акт.</p>`:                     "Добрый день!\nНужен счёт & акт.",
		`<html><head><title>x</title><style>p{}</style></head><body>Привет</body></html>`: "Привет",
		`<div>один<br>два<br/>три</div><script>alert(1)</script>`:                         "один\nдва\nтри",
		"<p>a</p>\n\n\n\n<p>b</p>":     "a\nb",
		`&lt;не тег&gt;   и   пробелы`: "<не тег> и пробелы",
		``: "",
		// The source's hard line breaks are spaces, as in a browser.
		"<p>Добрый\nдень,\r\nпришлите,\nпожалуйста,\n   счёт.</p>":                      "Добрый день, пришлите, пожалуйста, счёт.",
		"<div>Строка<br>\nвторая\n</div>\n<div>\n<br>\n</div>\n<div>после пустой</div>": "Строка\nвторая\n\nпосле пустой",
		// Outlook: every line a paragraph, an empty one for the gap.
		`<p class=MsoNormal>Здравствуйте!<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Заказ 4512.<o:p></o:p></p>`: "Здравствуйте!\n\nЗаказ 4512.",
		"<pre>a  b\n  c</pre><p>d</p>":                                                                             "a  b\n  c\nd",
		"<ul><li>один</li><li>два</li></ul><ol><li>x<li>y</ol>":                                                    "• один\n• два\n1. x\n2. y",
		"<p>Ответ</p><blockquote><p>цитата</p><blockquote>глубже</blockquote></blockquote>":                        "Ответ\n> цитата\n> > глубже",
		`<a href="https://shop.example/item/7">этот товар</a> и <a href="https://x.example">https://x.example</a>`: "этот товар (https://shop.example/item/7) и https://x.example",
		"<!-- comment <p>x</p> --><p>y</p><!DOCTYPE html>":                                                         "y",
		"a < b and c>d": "a < b and c>d",
		"<table><tr><td>Имя</td><td>Иван</td></tr><tr><td>Заказ</td><td>4512</td></tr></table>": "Имя Иван\nЗаказ 4512",
		`<img src="cid:logo" alt="logo"><p>текст</p>`:                                           "текст",
		"<script>never closed":                                "",
		"<head><meta charset=utf-8>no end of head<p>body</p>": "no end of head\nbody",
		`<span title="a>b">x</span>`:                          "x",
	}
	for in, want := range cases {
		if got := htmlToText(in); got != want {
			t.Errorf("htmlToText(%q) = %q, want %q", in, got, want)
		}
	}
}
