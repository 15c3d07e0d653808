package spell

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

func TestAffixExpansion(t *testing.T) {
	c := loadedChecker(t)
	cases := []struct {
		lang, entry string
		want        []string
		not         []string
	}{
		// ru_RU: SFX only, conditions on the stem's ending, no prefixes.
		{"ru", "заказ/K", []string{"заказ", "заказа", "заказами", "заказов", "заказе"}, []string{"заказь"}},
		{"ru", "оплата/H", []string{"оплата", "оплаты", "оплатой", "оплатою"}, []string{"оплатами"}},
		{"ru", "зачислить/BLRW", []string{"зачислить", "зачислим", "зачислили", "зачисли"}, nil},
		{"ru", "мобильный/AES", []string{"мобильного", "мобильная", "мобилен", "мобильнее"}, nil},
		// en_US: PFX and SFX with cross products (re+color+ed) and conditions ([^aeiou]y).
		{"en", "color/AEGDS", []string{"colors", "colored", "recolor", "recolored", "discoloring"}, nil},
		{"en", "cancel/DRBSZG", []string{"canceled", "cancels", "cancelable", "canceling"}, []string{"cancelled"}},
		{"en", "try/AGDS", []string{"tried", "tries", "trying", "retry", "retried"}, []string{"tryed"}},
	}
	for _, tc := range cases {
		forms, err := c.Dictionary(tc.lang).Expand(tc.entry)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !slices.Contains(forms, w) {
				t.Errorf("%s: %s missing from %v", tc.entry, w, forms)
			}
		}
		for _, w := range tc.not {
			if slices.Contains(forms, w) {
				t.Errorf("%s: %s must not be produced", tc.entry, w)
			}
		}
	}
}

func TestCheckWords(t *testing.T) {
	c := loadedChecker(t)
	cases := []struct {
		word string
		ok   bool
	}{
		// Case rules.
		{"дом", true}, {"Дом", true}, {"ДОМ", true}, {"дОм", false},
		{"Москва", true}, {"МОСКВА", true}, {"москва", false},
		{"ЧПУ", true}, {"чпу", false},
		{"iPhone", true}, {"IPHONE", true}, {"Iphone", false}, {"iphone", false},
		{"NASA", true}, {"nasa", false},
		{"the", true}, {"The", true}, {"THE", true},
		// ё written as е, and ё itself.
		{"еще", true}, {"ещё", true}, {"елка", true}, {"ёлка", true},
		// Hyphens and apostrophes.
		{"кто-нибудь", true}, {"что-то", true}, {"интернет-магазин", true}, {"e-mail", true},
		{"don't", true}, {"don’t", true}, {"dont", false},
		// COMPOUNDRULE ordinals.
		{"21st", true}, {"102nd", true}, {"11th", true}, {"1000th", true}, {"21th", false}, {"12nd", false},
		// Misspellings.
		{"доставлн", false}, {"Здраствуйте", false}, {"recieve", false},
	}
	for _, tc := range cases {
		if got := c.CheckWord(tc.word); got != tc.ok {
			t.Errorf("CheckWord(%q) = %v, want %v", tc.word, got, tc.ok)
		}
	}
}

func TestSupplementaryVocabulary(t *testing.T) {
	c := loadedChecker(t)
	for _, w := range []string{
		"промокод", "промокоды", "промокода", "Промокодом", "мессенджер", "мессенджерах", "скриншот", "скриншотов",
		"СМС", "смс", "СДЭК", "кешбэк", "кешбэка", "маркетплейс", "маркетплейсах", "предзаказ", "предзаказы",
		"начислить", "начислим", "начислят", "начисляем", "постамата", "трек-номер", "QR-код",
		"SMS", "ok", "OK", "colour", "colours", "coloured", "cancelled", "cancelling", "organise", "organised",
		"organising", "centre", "centres", "behaviour", "favourite",
	} {
		if !c.CheckWord(w) {
			t.Errorf("%q is rejected; the supplementary vocabulary should cover it", w)
		}
	}
	// The stock dictionaries really lack them (the supplement is what makes them pass).
	ru := mustLoad(t, "ru", "ru_RU")
	for _, w := range []string{"промокод", "скриншотов", "начислим", "кешбэк"} {
		if ru.Check(w) {
			t.Errorf("ru_RU alone accepts %q; drop it from the supplement", w)
		}
	}
}

func mustLoad(t *testing.T, lang, name string) *Dictionary {
	t.Helper()
	d, err := LoadFiles(lang, DefaultDir, name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSuggestionRanking(t *testing.T) {
	c := loadedChecker(t)
	cases := []struct{ typed, first string }{
		{"доставлн", "доставлен"},       // missing letter
		{"Здраствуйте", "Здравствуйте"}, // missing letter, case kept
		{"ЗДРАСТВУЙТЕ", "ЗДРАВСТВУЙТЕ"},
		{"пожалуста", "пожалуйста"},
		{"извените", "извините"}, // sound-alike vowel
		{"зааказ", "заказ"},      // doubled key
		{"рпивет", "привет"},     // transposition
		{"заказщ", "заказ"},      // neighbouring key caught too
		{"ghbdtn", "привет"},     // wrong layout
		{"руддщ", "hello"},       // wrong layout, the other way
		{"пpивет", "привет"},     // Latin p inside a Russian word
		{"москва", "Москва"},     // proper name in lowercase
		{"промакод", "промокод"}, // supplementary vocabulary is suggested too
		{"recieve", "receive"},
		{"teh", "the"},
		{"dont", "don't"},
		{"21th", "21st"},
		{"спасибоза", "спасибо за"}, // missing space
	}
	for _, tc := range cases {
		got := c.Suggest(tc.typed, 5)
		if len(got) == 0 || got[0] != tc.first {
			t.Errorf("Suggest(%q) = %v, want %q first", tc.typed, got, tc.first)
		}
	}
}

func TestCheckText(t *testing.T) {
	c := loadedChecker(t)
	text := "Здраствуйте, ваш заказ доставлн 👍 промокод ok"
	ready, got := c.Check(text, Options{})
	if !ready {
		t.Fatal("not ready")
	}
	want := []Misspelling{
		{Start: 0, End: 11, Word: "Здраствуйте"},
		{Start: 23, End: 31, Word: "доставлн"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i].Start != want[i].Start || got[i].End != want[i].End || got[i].Word != want[i].Word {
			t.Errorf("misspelling %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got[1].Suggestions[0] != "доставлен" {
		t.Errorf("suggestions %v", got[1].Suggestions)
	}
	// UTF-16 offsets: the emoji before the word counts two code units.
	_, got = c.Check("👍👍 teh", Options{})
	if len(got) != 1 || got[0].Start != 5 || got[0].End != 8 {
		t.Errorf("after emoji: %+v", got)
	}
	// Known words (personal and account dictionaries) are never flagged, in any case.
	_, got = c.Check("Лавкаплюс и лавкаплюс", Options{Known: func(f string) bool { return f == "лавкаплюс" }})
	if len(got) != 0 {
		t.Errorf("known word flagged: %+v", got)
	}
	// Languages: with ru only, English words are not checked, Russian in the wrong layout is.
	_, got = c.Check("teh ghbdtn", Options{Languages: []string{"ru"}})
	if len(got) != 1 || got[0].Word != "ghbdtn" || got[0].Suggestions[0] != "привет" {
		t.Errorf("ru only: %+v", got)
	}
	// Wrong layout with Russian letters on punctuation keys: one misspelling for the chunk.
	_, got = c.Check("cgfcb,j, lj,hsq ltym! 'nj ok, e.g. fine", Options{})
	if len(got) != 4 || got[0].Word != "cgfcb,j" || got[0].Suggestions[0] != "спасибо" ||
		got[1].Word != "lj,hsq" || got[1].Suggestions[0] != "добрый" || got[2].Word != "ltym" || got[2].Suggestions[0] != "день" ||
		got[3].Word != "'nj" || got[3].Suggestions[0] != "это" {
		t.Errorf("wrong layout: %+v", got)
	}
	_, got = c.Check("извените teh", Options{Languages: []string{"en"}})
	if len(got) != 1 || got[0].Word != "teh" {
		t.Errorf("en only: %+v", got)
	}
}

func TestTokenize(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"Привет, мир!", []string{"Привет", "мир"}},
		{"кто-нибудь e-mail don't don’t", []string{"кто-нибудь", "e-mail", "don't", "don’t"}},
		{"'quoted' -dash- «ёлка»", []string{"quoted", "dash", "ёлка"}},
		{"заказ 12345 и 3,5 кг", []string{"заказ", "и", "кг"}},
		{"A-1023 №4512 № 4512 #4512 ORD-77 x2 3D", nil},
		{"пишите на help@shop.ru или support@example.com", []string{"пишите", "на", "или"}},
		{"https://shop.ru/cart?id=1 www.example.com shop.ru пример.рф", nil},
		{"@ivan @иван посмотри", []string{"посмотри"}},
		{"#скидки #sale", nil},
		{"смайл 😀👍🏽 ❤️ тест", []string{"смайл", "тест"}},
		{"21st 4th", []string{"21st", "4th"}},
		{"т.е. e.g. ok.Thanks", []string{"т", "е", "e", "g", "ok", "Thanks"}},
		{"order_id snake_case", nil},
		{"mixed пpивет", []string{"mixed", "пpивет"}},
		{"", nil},
	}
	for _, tc := range cases {
		var got []string
		for _, tok := range Tokenize(tc.text) {
			if tc.text[tok.Start:tok.End] != tok.Word {
				t.Errorf("%q: range %d..%d is %q, word %q", tc.text, tok.Start, tok.End, tc.text[tok.Start:tok.End], tok.Word)
			}
			got = append(got, tok.Word)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestUTF16Offsets(t *testing.T) {
	text := "a😀б c"
	got := UTF16Offsets(text, []int{0, 1, 5, 7, 8, len(text)})
	want := []int{0, 1, 3, 4, 5, 6}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestValidWord(t *testing.T) {
	for w, ok := range map[string]bool{"Лавкаплюс": true, "iPhone": true, "кто-нибудь": true, "rock'n'roll": true,
		"": false, "два слова": false, "123": false, "a<b": false, strings.Repeat("я", 65): false} {
		if got := ValidWord(w) == ""; got != ok {
			t.Errorf("ValidWord(%q) ok=%v, want %v (%s)", w, got, ok, ValidWord(w))
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Привет, мир!", "кто-нибудь e-mail don’t", "A-1023 №4512 @ivan https://x.ru/a", "😀👍🏽 21st",
		"\xff\xfe broken", "a--b ''x'' -", "т.е. e.g. ok.Thanks", "ё\u0301лка ма\u00adма"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := Tokenize(text)
		var offs []int
		prev := 0
		for _, tok := range toks {
			if tok.Start < prev || tok.Start >= tok.End || tok.End > len(text) {
				t.Fatalf("bad range %d..%d (prev end %d, len %d)", tok.Start, tok.End, prev, len(text))
			}
			if !runeBoundary(text, tok.Start) || !runeBoundary(text, tok.End) {
				t.Fatalf("range %d..%d not on rune boundaries of %q", tok.Start, tok.End, text)
			}
			if text[tok.Start:tok.End] != tok.Word {
				t.Fatalf("word %q != text %q", tok.Word, text[tok.Start:tok.End])
			}
			prev = tok.End
			offs = append(offs, tok.Start, tok.End)
		}
		u16 := UTF16Offsets(text, offs)
		for i := 1; i < len(u16); i++ {
			if u16[i] < u16[i-1] {
				t.Fatalf("UTF-16 offsets not monotonic: %v", u16)
			}
		}
	})
}

// runeBoundary says whether i is where a rune starts when s is decoded from the start (an
// invalid byte decodes as one rune of its own).
func runeBoundary(s string, i int) bool {
	for j := 0; j < len(s); {
		if j == i {
			return true
		}
		_, size := utf8.DecodeRuneInString(s[j:])
		j += size
	}
	return i == len(s)
}

// FuzzCheck: misspelling ranges are ascending, within the text's UTF-16 length, and their
// word is what the range covers.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"Здраствуйте, ваш заказ доставлн", "cgfcb,j, 'nj ok", "😀 teh №4512 пpивет", "кто-нибуть QR-кот"} {
		f.Add(s)
	}
	c := loadedChecker(f)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // the API refuses invalid UTF-8
		}
		u := utf16.Encode([]rune(text))
		_, list := c.Check(text, Options{SuggestBudget: time.Millisecond})
		prev := 0
		for _, m := range list {
			if m.Start < prev || m.Start >= m.End || m.End > len(u) {
				t.Fatalf("bad range %+v (prev %d, len %d)", m, prev, len(u))
			}
			if got := string(utf16.Decode(u[m.Start:m.End])); got != m.Word {
				t.Fatalf("range %d..%d is %q, word %q", m.Start, m.End, got, m.Word)
			}
			prev = m.End
		}
	})
}
