package quick

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Ёлка, ЁЖИК!":         "елка ежик",
		"  Доставка -- СДЭК ": "доставка сдэк",
		"Order #4512":         "order 4512",
		"":                    "",
		"!!!":                 "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSearch(t *testing.T) {
	ix := NewIndex([]Item{
		{ID: 1, CategoryID: 0, OperatorID: 42, Title: "Приветствие", Text: "Здравствуйте, {visitor_name}! Чем могу помочь?"},
		{ID: 6, CategoryID: 0, OperatorID: 43, Title: "Чужое", Text: "Здравствуйте от другого оператора, доставка"},
		{ID: 2, CategoryID: 7, Title: "Доставка", Text: "Доставка курьером занимает 2–3 дня."},
		{ID: 3, CategoryID: 7, Title: "Самовывоз", Text: "Заказ можно забрать в пункте выдачи СДЭК."},
		{ID: 4, CategoryID: 8, Title: "Ёлочные игрушки", Text: "Новогодние товары в наличии"},
		{ID: 5, CategoryID: 8, Title: "Refund", Text: "Your refund will arrive within 5 days"},
	})
	cases := []struct {
		q        string
		category int64
		want     []int64
	}{
		{"доставка", -1, []int64{2}},
		{"ДОСТАВКА", -1, []int64{2}},     // case
		{"елочн", -1, []int64{4}},        // ё folded in the text
		{"ёлочн", -1, []int64{4}},        // ё folded in the query
		{"дня курьером", -1, []int64{2}}, // words in any order
		{"курьером самовывоз", -1, nil},  // all words must match
		{"заказ", 7, []int64{3}},         // category filter
		{"заказ", 8, nil},                //
		{"здрав", 0, []int64{1}},         // personal category is 0
		{"re", -1, []int64{5}},           // 2 characters search
		{"д", -1, nil},                   // 1 character does not
		{"  !! ", -1, nil},               // nothing left after folding
		{"refund 5", -1, []int64{5}},     // digits are words
		{"сдэк пункт", -1, []int64{3}},   //
		{"visitor_name", -1, []int64{1}}, // placeholders are searchable as words
	}
	for _, c := range cases {
		q, ok := ParseQuery(c.q)
		var got []int64
		if ok {
			got = ix.Search(q, c.category, 42, 0)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("search %q in %d = %v, want %v", c.q, c.category, got, c.want)
		}
	}
	q, _ := ParseQuery("ка")
	if got := ix.Search(q, -1, 42, 2); len(got) != 2 {
		t.Errorf("limit 2 gave %v", got)
	}
	if got := ix.Search(Query{}, 0, 43, 0); !slices.Equal(got, []int64{6}) {
		t.Errorf("operator 43's personal list = %v, want [6]", got)
	}
	if got := ix.Search(Query{}, -1, 42, 0); len(got) != 5 {
		t.Errorf("everything operator 42 sees = %v, want 5 messages", got)
	}
}

func TestParseHotkey(t *testing.T) {
	ok := map[string]string{
		"Ctrl+Alt+Digit1": "Ctrl+Alt+Digit1",
		"Alt+Ctrl+Digit1": "Ctrl+Alt+Digit1", // canonical order
		"Alt+KeyQ":        "Alt+KeyQ",
		"Ctrl+Shift+KeyQ": "Ctrl+Shift+KeyQ",
		"Meta+Alt+KeyQ":   "Alt+Meta+KeyQ",
		"Ctrl+F2":         "Ctrl+F2",
		"Alt+Numpad1":     "Alt+Numpad1",
	}
	for in, want := range ok {
		got, err := ParseHotkey(in)
		if err != nil || got != want {
			t.Errorf("ParseHotkey(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":                  "format",
		"KeyQ":              "format",
		"Ctrl+":             "format",
		"Ctrl+Ctrl+KeyQ":    "format",
		"Control+KeyQ":      "format",
		"Ctrl+KeyQ+KeyW":    "format",
		"Ctrl+q":            "format",
		"Ctrl+Alt":          "no_key",
		"Shift+KeyQ":        "no_modifier",
		"Shift+Digit1":      "no_modifier",
		"Ctrl+KeyC":         "reserved",
		"Meta+KeyV":         "reserved", // ⌘V is paste
		"Meta+KeyQ":         "reserved", // ⌘Q quits
		"Ctrl+Shift+KeyT":   "reserved",
		"Ctrl+Enter":        "reserved",
		"Ctrl+Tab":          "reserved",
		"Alt+F4":            "reserved",
		"Ctrl+F5":           "reserved",
		"Alt+F5":            "reserved", // F5 with any modifier
		"Ctrl+Digit1":       "reserved",
		"Alt+KeyS":          "reserved", // the operator app's status menu
		"Ctrl+Shift+Delete": "reserved",
	}
	for in, reason := range bad {
		_, err := ParseHotkey(in)
		var he *HotkeyError
		if !errors.As(err, &he) || he.Reason != reason {
			t.Errorf("ParseHotkey(%q) = %v; want reason %s", in, err, reason)
			continue
		}
		if he.Message == "" || (reason == "reserved" && he.UsedBy == "") {
			t.Errorf("ParseHotkey(%q): no explanation: %+v", in, he)
		}
	}
}

// BenchmarkSearch: 10,000 quick messages of about 150 characters, a two-word query
// (DESIGN §5: ≤ 5 ms per query).
func BenchmarkSearch(b *testing.B) {
	words := []string{"заказ", "доставка", "оплата", "возврат", "курьер", "пункт", "выдачи", "промокод",
		"скидка", "товар", "наличии", "размер", "обмен", "гарантия", "магазин", "карта", "чек", "статус"}
	items := make([]Item, 10000)
	for i := range items {
		text := ""
		for k := 0; k < 18; k++ {
			text += words[(i*7+k*5)%len(words)] + " "
		}
		items[i] = Item{ID: int64(i + 1), CategoryID: int64(i % 20), Title: fmt.Sprintf("Ответ %d", i), Text: text}
	}
	ix := NewIndex(items)
	for _, query := range []string{"доставка курьер", "ответ 9999", "несуществующее"} {
		q, _ := ParseQuery(query)
		b.Run(query, func(b *testing.B) {
			for b.Loop() {
				ix.Search(q, -1, 1, 50)
			}
		})
	}
}
