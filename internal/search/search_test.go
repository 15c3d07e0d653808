package search

import (
	"slices"
	"strings"
	"testing"
)

func TestStemsMatchWordForms(t *testing.T) {
	// Each query word must share its stem with every form in the text column, and not with
	// the words of the last column.
	cases := []struct {
		query string
		same  []string
		other []string
	}{
		{"заказ", []string{"заказа", "заказы", "Заказ", "заказом", "ЗАКАЗОВ"}, []string{"указ", "заказчик"}},
		{"доставка", []string{"доставку", "доставки", "доставкой", "Доставке"}, []string{"поставка"}},
		{"ёлка", []string{"елка", "ёлки", "ЕЛКУ"}, []string{"юлка"}},
		{"пришёл", []string{"пришел"}, nil},
		{"order", []string{"orders", "ordered", "ordering", "Order"}, []string{"border"}},
		{"delivery", []string{"deliveries"}, []string{"deliver"}},
		{"4512", []string{"4512"}, []string{"45120", "451"}},
		{"iphone15", []string{"iPhone15"}, []string{"iphone"}},
	}
	for _, c := range cases {
		q, ok := Parse(c.query)
		if !ok || len(q.Terms) != 1 {
			t.Fatalf("Parse(%q) = %+v, %v", c.query, q, ok)
		}
		for _, w := range c.same {
			if !q.Matches(Fold(w)) {
				t.Errorf("%q should find %q (stems %q, %q)", c.query, w, Stem(Fold(c.query)), Stem(Fold(w)))
			}
		}
		for _, w := range c.other {
			if q.Matches(Fold(w)) {
				t.Errorf("%q should not find %q (stem %q)", c.query, w, Stem(Fold(w)))
			}
		}
	}
}

func TestTokensFoldAndSplit(t *testing.T) {
	// й written as и + a combining breve is one letter after NFC.
	text := Normalize("Заказ-4512, anna@Mail.ru; Ёжик и\u0306 «ТЕСТ»")
	var words []string
	for _, tok := range Tokens(text) {
		words = append(words, tok.Word)
		if got := Fold(text[tok.Start:tok.End]); got != tok.Word {
			t.Errorf("token %q stands at %q", tok.Word, got)
		}
	}
	want := []string{"заказ", "4512", "anna", "mail", "ru", "ежик", "й", "тест"}
	if !slices.Equal(words, want) {
		t.Errorf("Tokens = %q, want %q", words, want)
	}
}

func TestStopWordsAreNotIndexed(t *testing.T) {
	if got := Stems("Я не получил заказ и доставку"); !slices.Equal(got, []string{"получ", "заказ", "доставк"}) {
		t.Errorf("Stems = %q", got)
	}
	if got := Stems("where is the parcel"); !slices.Equal(got, []string{"parcel"}) {
		t.Errorf("Stems = %q", got)
	}
	if _, ok := Parse("и не"); ok {
		t.Error("a query of stop words searches nothing")
	}
}

func TestIndexTermsCarryTheAccount(t *testing.T) {
	if got := IndexTerms(12, "Заказы доставлены"); got != "12xзаказ 12xдоставл" {
		t.Errorf("IndexTerms = %q", got)
	}
	if got := IndexTerms(3, "http://x.y/"+strings.Repeat("a", MaxWordRunes+1)); got != "3xhttp 3xx 3xy" {
		t.Errorf("a word over MaxWordRunes is left out: %q", got)
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		q        string
		fts      string
		plain    string
		phrases  []string
		id       int64
		visitor  []string
		phone    string
		searches bool
	}{
		{q: "заказ", fts: `"7xзаказ"`, plain: "заказ", visitor: []string{"заказ"}, searches: true},
		{q: `"заказ на доставку" срочно`, fts: `"7xзаказ 7xдоставк" AND "7xсрочн"`, plain: "срочно",
			phrases: []string{"заказ на доставку"}, visitor: []string{"заказ", "доставку", "срочно"}, searches: true},
		{q: `"не доставили`, fts: `"7xдостав"`, plain: "доставили", visitor: []string{"доставили"}, searches: true},
		{q: "#4512", fts: `"7x4512"`, plain: "4512", id: 4512, visitor: []string{"4512"}, searches: true},
		{q: "4512", fts: `"7x4512"`, plain: "4512", id: 4512, visitor: []string{"4512"}, searches: true},
		{q: "+7 (912) 345-67-89", fts: `"7x7" AND "7x912" AND "7x345" AND "7x67" AND "7x89"`, plain: "7 912 345 67 89",
			visitor: []string{"912", "345-67-89"}, phone: "79123456789", searches: true},
		{q: "Anna.Petrova@Mail.ru", fts: `"7xanna" AND "7xpetrova" AND "7xmail" AND "7xru"`, plain: "anna petrova mail ru",
			visitor: []string{"anna.petrova@mail.ru"}, searches: true},
		{q: `   `, searches: false},
		{q: `""`, searches: false},
	}
	for _, c := range cases {
		q, ok := Parse(c.q)
		if ok != c.searches {
			t.Errorf("Parse(%q) ok = %v", c.q, ok)
			continue
		}
		if !ok {
			continue
		}
		if got := q.FTS5(7); got != c.fts {
			t.Errorf("Parse(%q).FTS5 = %s, want %s", c.q, got, c.fts)
		}
		if got := q.Plain(); got != c.plain {
			t.Errorf("Parse(%q).Plain = %q, want %q", c.q, got, c.plain)
		}
		if got := q.Phrases(); !slices.Equal(got, c.phrases) {
			t.Errorf("Parse(%q).Phrases = %q, want %q", c.q, got, c.phrases)
		}
		if q.ConversationID != c.id || q.PhoneDigits != c.phone || !slices.Equal(q.VisitorWords, c.visitor) {
			t.Errorf("Parse(%q): id %d phone %q visitor %q", c.q, q.ConversationID, q.PhoneDigits, q.VisitorWords)
		}
	}
}

func render(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Hit {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestHighlight(t *testing.T) {
	q, _ := Parse("заказ доставка")
	short := "Где мой заказ?\nДоставку обещали вчера, а ЗАКАЗА всё нет."
	if got := render(Highlight(short, q)); got != "Где мой [заказ]? [Доставку] обещали вчера, а [ЗАКАЗА] всё нет." {
		t.Errorf("Highlight = %q", got)
	}
	long := strings.Repeat("слово ", 60) + "номер заказа 4512 " + strings.Repeat("текст ", 60)
	got := render(Highlight(long, q))
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "номер [заказа] 4512") {
		t.Errorf("Highlight of a long text = %q", got)
	}
	if n := len([]rune(got)); n > SnippetRunes+2 {
		t.Errorf("snippet of %d characters", n)
	}
	if got := render(Highlight("нет совпадений здесь", q)); got != "нет совпадений здесь" {
		t.Errorf("Highlight without a hit = %q", got)
	}
}

func TestHighlightVisitorFields(t *testing.T) {
	if got := render(HighlightSubstrings("Алёна Петрова", []string{"алена", "петр"})); got != "[Алёна] [Петр]ова" {
		t.Errorf("HighlightSubstrings = %q", got)
	}
	if got := render(HighlightDigits("+7 (912) 345-67-89", "3456789")); got != "+7 (912) [345-67-89]" {
		t.Errorf("HighlightDigits = %q", got)
	}
	if got := render(HighlightDigits("+7 912", "000")); got != "+7 912" {
		t.Errorf("HighlightDigits without a match = %q", got)
	}
}
