package app_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"livedesk/internal/spell"
	"livedesk/internal/testkit"
)

type spellResult struct {
	Ready      bool                `json:"ready"`
	Misspelled []spell.Misspelling `json:"misspelled"`
}

func needDictionaries(t *testing.T) {
	t.Helper()
	for _, f := range []string{"ru_RU.dic", "en_US.dic"} {
		if _, err := os.Stat(filepath.Join(spell.DefaultDir, f)); err != nil {
			t.Skipf("%s not installed (apt-get install hunspell-ru hunspell-en-us)", f)
		}
	}
}

// spellcheck calls the endpoint until the dictionaries are loaded.
func spellcheck(t *testing.T, c *testkit.Client, text string) []spell.Misspelling {
	return spellcheckUntil(t, c, text, func([]spell.Misspelling) bool { return true })
}

// spellcheckSuggested calls the endpoint until every misspelling has its suggestions: one
// call spends at most a time budget on new suggestions (on a loaded machine under the race
// detector the first word can use it up), and the next call carries on where it stopped, as
// the composer's next check does.
func spellcheckSuggested(t *testing.T, c *testkit.Client, text string) []spell.Misspelling {
	return spellcheckUntil(t, c, text, func(list []spell.Misspelling) bool {
		for _, m := range list {
			if len(m.Suggestions) == 0 {
				return false
			}
		}
		return true
	})
}

func spellcheckUntil(t *testing.T, c *testkit.Client, text string, done func([]spell.Misspelling) bool) []spell.Misspelling {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out spellResult
		c.Must("POST", "/api/v1/spellcheck", map[string]any{"text": text}, &out)
		if out.Ready && done(out.Misspelled) {
			return out.Misspelled
		}
		if time.Now().After(deadline) {
			t.Fatal("spell check never became ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func words(list []spell.Misspelling) string {
	var w []string
	for _, m := range list {
		w = append(w, m.Word)
	}
	return strings.Join(w, ",")
}

func TestSpellcheckEndpoint(t *testing.T) {
	needDictionaries(t)
	env := testkit.Start(t)
	a := env.NewAccount()
	op := a.Operator("Speller", "operator", 3, "available")

	got := spellcheckSuggested(t, op, "Здраствуйте, ваш заказ A-1023 доставлн 🚚 промокод начислим, see https://x.ru teh")
	if words(got) != "Здраствуйте,доставлн,teh" {
		t.Fatalf("misspelled %+v", got)
	}
	// UTF-16 offsets: the truck emoji before "teh" counts two code units.
	if got[0].Start != 0 || got[0].End != 11 || got[1].Start != 30 || got[1].End != 38 {
		t.Errorf("ranges %+v", got)
	}
	if got[1].Suggestions[0] != "доставлен" || got[0].Suggestions[0] != "Здравствуйте" {
		t.Errorf("suggestions %+v", got)
	}
	text := "Здраствуйте, ваш заказ A-1023 доставлн 🚚 промокод начислим, see https://x.ru teh"
	u16 := 0
	for _, r := range text[:strings.Index(text, "teh")] {
		u16++
		if r > 0xFFFF {
			u16++
		}
	}
	if got[2].Start != u16 {
		t.Errorf("teh starts at %d, want %d", got[2].Start, u16)
	}

	// languages narrows what is checked.
	var out spellResult
	op.Must("POST", "/api/v1/spellcheck", map[string]any{"text": "извените teh", "languages": []string{"en"}}, &out)
	if words(out.Misspelled) != "teh" {
		t.Errorf("languages [en]: %+v", out.Misspelled)
	}

	// Input validation.
	for _, tc := range []struct {
		body   any
		status int
		code   string
	}{
		{map[string]any{"text": strings.Repeat("я", 20001)}, 413, "too_large"},
		{map[string]any{"text": "ok", "languages": []string{"de"}}, 400, "invalid_input"},
		{map[string]any{"text": "ok", "languages": []string{}}, 400, "invalid_input"},
		{map[string]any{"text": 5}, 400, "invalid_input"},
		{map[string]any{"text": "ok", "extra": 1}, 400, "invalid_input"},
	} {
		r := op.Do("POST", "/api/v1/spellcheck", tc.body)
		if r.Status != tc.status || r.Code() != tc.code {
			t.Errorf("%v: %d %s", tc.body, r.Status, r.Body)
		}
	}
	if r := op.Raw("POST", "/api/v1/spellcheck", []byte("{\"text\": \"\xff\"}")); r.Status != 400 {
		t.Errorf("invalid UTF-8: %d %s", r.Status, r.Body)
	}
	if r := op.Do("POST", "/api/v1/spellcheck", map[string]any{"text": strings.Repeat("я", 20000)}); r.Status != 200 {
		t.Errorf("20,000 characters: %d %s", r.Status, r.Body)
	}
	anon := &testkit.Client{T: t, Base: env.URL}
	if r := anon.Do("POST", "/api/v1/spellcheck", map[string]any{"text": "ok"}); r.Status != 401 {
		t.Errorf("anonymous: %d", r.Status)
	}
}

func TestSpellDictionariesIsolation(t *testing.T) {
	needDictionaries(t)
	env := testkit.Start(t)
	a, b := env.NewAccount(), env.NewAccount()
	op1 := a.Operator("One", "operator", 3, "available")
	op2 := a.Operator("Two", "operator", 3, "available")
	other := b.Operator("Other", "operator", 3, "available")
	const text = "Лавкаплюс Чудомаркет"

	if got := words(spellcheck(t, op1, text)); got != "Лавкаплюс,Чудомаркет" {
		t.Fatalf("before: %s", got)
	}
	// Personal: only op1.
	op1.Must("POST", "/api/v1/me/dictionary", map[string]any{"word": " Лавкаплюс "}, nil)
	op1.Must("POST", "/api/v1/me/dictionary", map[string]any{"word": "лавкаплюс"}, nil) // same word again: no change
	var list struct {
		Items []struct {
			Word      string    `json:"word"`
			CreatedAt time.Time `json:"created_at"`
		} `json:"items"`
	}
	op1.Must("GET", "/api/v1/me/dictionary", nil, &list)
	if len(list.Items) != 1 || list.Items[0].Word != "Лавкаплюс" || list.Items[0].CreatedAt.IsZero() {
		t.Errorf("op1 dictionary %+v", list)
	}
	op2.Must("GET", "/api/v1/me/dictionary", nil, &list)
	if len(list.Items) != 0 {
		t.Errorf("op2 sees op1's words: %+v", list)
	}
	if got := words(spellcheck(t, op1, text)); got != "Чудомаркет" {
		t.Errorf("op1 after personal add: %s", got)
	}
	if got := words(spellcheck(t, op2, text)); got != "Лавкаплюс,Чудомаркет" {
		t.Errorf("op2 after op1's personal add: %s", got)
	}

	// Account: every operator of the account, nobody else; admins only.
	if r := op1.Do("POST", "/api/v1/admin/dictionary", map[string]any{"word": "Чудомаркет"}); r.Status != 403 {
		t.Errorf("operator adds to the account dictionary: %d", r.Status)
	}
	a.Admin.Must("POST", "/api/v1/admin/dictionary", map[string]any{"word": "Чудомаркет"}, nil)
	a.Admin.Must("GET", "/api/v1/admin/dictionary", nil, &list)
	if len(list.Items) != 1 || list.Items[0].Word != "Чудомаркет" {
		t.Errorf("account dictionary %+v", list)
	}
	if got := words(spellcheck(t, op2, text)); got != "Лавкаплюс" {
		t.Errorf("op2 after account add: %s", got)
	}
	if got := words(spellcheck(t, other, text)); got != "Лавкаплюс,Чудомаркет" {
		t.Errorf("another account sees the words: %s", got)
	}
	b.Admin.Must("GET", "/api/v1/admin/dictionary", nil, &list)
	if len(list.Items) != 0 {
		t.Errorf("account B lists account A's words: %+v", list)
	}
	if r := b.Admin.Do("DELETE", "/api/v1/admin/dictionary/"+url.PathEscape("Чудомаркет"), nil); r.Status != 404 {
		t.Errorf("account B deletes A's word: %d", r.Status)
	}
	if r := op2.Do("DELETE", "/api/v1/me/dictionary/"+url.PathEscape("Лавкаплюс"), nil); r.Status != 404 {
		t.Errorf("op2 deletes op1's word: %d", r.Status)
	}

	// Removal, in any case.
	if r := op1.Do("DELETE", "/api/v1/me/dictionary/"+url.PathEscape("ЛАВКАПЛЮС"), nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := a.Admin.Do("DELETE", "/api/v1/admin/dictionary/"+url.PathEscape("чудомаркет"), nil); r.Status != 204 {
		t.Fatalf("delete account word: %d %s", r.Status, r.Body)
	}
	if got := words(spellcheck(t, op1, text)); got != "Лавкаплюс,Чудомаркет" {
		t.Errorf("after removal: %s", got)
	}

	// Word validation.
	for _, w := range []any{"", "два слова", "123", "<b>", strings.Repeat("я", 65), 7} {
		if r := op1.Do("POST", "/api/v1/me/dictionary", map[string]any{"word": w}); r.Status != 400 || r.Code() != "invalid_input" {
			t.Errorf("word %q: %d %s", w, r.Status, r.Body)
		}
	}

	// The own dictionary is a setting: an offline operator cannot change it (the seed: offline
	// operators make no settings); the account's dictionary is the cabinet's, not status-bound.
	op1.SetStatus("offline")
	if r := op1.Do("POST", "/api/v1/me/dictionary", map[string]any{"word": "Офлайнслово"}); r.Status != 403 || r.Code() != "operator_offline" {
		t.Errorf("offline add: %d %s, want 403 operator_offline", r.Status, r.Body)
	}
	if r := op1.Do("DELETE", "/api/v1/me/dictionary/"+url.PathEscape("Лавкаплюс"), nil); r.Status != 403 {
		t.Errorf("offline remove: %d %s, want 403", r.Status, r.Body)
	}
}
