package app_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"livedesk/internal/testkit"
)

// Integration tests of DESIGN §2.8 (quick messages) over the real HTTP API.

type quickMessage struct {
	ID         string `json:"id"`
	CategoryID string `json:"category_id"`
	Personal   bool   `json:"personal"`
	Title      string `json:"title"`
	Text       string `json:"text"`
	Hotkey     string `json:"hotkey"`
}

type quickList struct {
	Categories []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Personal bool   `json:"personal"`
	} `json:"categories"`
	Items []quickMessage `json:"items"`
}

func searchQuick(t *testing.T, c *testkit.Client, query string) quickList {
	t.Helper()
	var l quickList
	c.Must("GET", "/api/v1/quick-messages?"+query, nil, &l)
	return l
}

func quickTexts(l quickList) []string {
	var out []string
	for _, m := range l.Items {
		out = append(out, m.Text)
	}
	return out
}

func TestQuickMessagesVisibilityAndOrder(t *testing.T) {
	env := testkit.Start(t)
	acct := env.NewAccount()
	anna := acct.Operator("Anna", "operator", 3, "available")
	boris := acct.Operator("Boris", "operator", 3, "available")
	var cat1, cat2 struct {
		ID string `json:"id"`
	}
	acct.Admin.Must("POST", "/api/v1/admin/quick-message-categories", map[string]any{"name": "Доставка", "position": 2}, &cat2)
	acct.Admin.Must("POST", "/api/v1/admin/quick-message-categories", map[string]any{"name": "Оплата", "position": 1}, &cat1)
	acct.Admin.Must("POST", "/api/v1/admin/quick-messages", map[string]any{"category_id": cat2.ID, "text": "Доставка занимает 2–3 дня"}, nil)
	acct.Admin.Must("POST", "/api/v1/admin/quick-messages", map[string]any{"category_id": cat1.ID, "text": "Оплата картой или наличными"}, nil)
	anna.Must("POST", "/api/v1/quick-messages", map[string]any{"title": "Привет", "text": "Здравствуйте, {visitor_name}!"}, nil)
	boris.Must("POST", "/api/v1/quick-messages", map[string]any{"text": "Личное Бориса"}, nil)

	// Another account sees none of it.
	other := env.NewAccount()
	otherOp := other.Operator("Olga", "operator", 3, "available")
	if l := searchQuick(t, otherOp, ""); len(l.Items) != 0 || len(l.Categories) != 1 {
		t.Errorf("another account sees %+v", l)
	}
	if r := other.Admin.Do("PATCH", "/api/v1/admin/quick-message-categories/"+cat1.ID, map[string]any{"name": "x"}); r.Status != 404 {
		t.Errorf("another account's admin patched a category: %d %s", r.Status, r.Body)
	}

	l := searchQuick(t, anna, "")
	want := []string{"Здравствуйте, {visitor_name}!", "Оплата картой или наличными", "Доставка занимает 2–3 дня"}
	if got := quickTexts(l); !slices.Equal(got, want) {
		t.Errorf("anna sees %q, want personal first then categories by position: %q", got, want)
	}
	if len(l.Categories) != 3 || !l.Categories[0].Personal || l.Categories[0].Name != "Мои быстрые сообщения" || l.Categories[1].Name != "Оплата" {
		t.Errorf("categories = %+v", l.Categories)
	}
	if got := quickTexts(searchQuick(t, anna, "category_id=personal")); !slices.Equal(got, want[:1]) {
		t.Errorf("anna's personal = %q", got)
	}
	if got := quickTexts(searchQuick(t, boris, "category_id=personal")); !slices.Equal(got, []string{"Личное Бориса"}) {
		t.Errorf("boris's personal = %q", got)
	}
	// Boris cannot touch Anna's message; nobody changes account-wide ones through the personal API.
	annas := searchQuick(t, anna, "category_id=personal").Items[0]
	if r := boris.Do("PATCH", "/api/v1/quick-messages/"+annas.ID, map[string]any{"text": "x"}); r.Status != 404 {
		t.Errorf("boris patched anna's message: %d", r.Status)
	}
	shared := searchQuick(t, anna, "category_id="+cat1.ID).Items[0]
	if r := anna.Do("DELETE", "/api/v1/quick-messages/"+shared.ID, nil); r.Status != 404 {
		t.Errorf("an operator deleted an account-wide message: %d", r.Status)
	}
	// Admin lists only account-wide ones.
	var adminList quickList
	acct.Admin.Must("GET", "/api/v1/admin/quick-messages", nil, &adminList)
	if len(adminList.Items) != 2 {
		t.Errorf("admin sees %d messages, want the 2 account-wide ones", len(adminList.Items))
	}
	// Offline operators cannot write (DESIGN §2.1).
	anna.SetStatus("offline")
	if r := anna.Do("POST", "/api/v1/quick-messages", map[string]any{"text": "x"}); r.Code() != "operator_offline" {
		t.Errorf("offline create: %d %s", r.Status, r.Body)
	}
	// Deleting a category deletes its messages.
	acct.Admin.Must("DELETE", "/api/v1/admin/quick-message-categories/"+cat1.ID, nil, nil)
	if got := quickTexts(searchQuick(t, boris, "")); len(got) != 2 {
		t.Errorf("after deleting a category boris sees %q", got)
	}
}

func TestQuickMessageSearch(t *testing.T) {
	env := testkit.Start(t)
	acct := env.NewAccount()
	op := acct.Operator("Anna", "operator", 3, "available")
	var cat struct {
		ID string `json:"id"`
	}
	acct.Admin.Must("POST", "/api/v1/admin/quick-message-categories", map[string]any{"name": "Общее"}, &cat)
	for _, text := range []string{"Ёлочные игрушки в наличии", "Доставка курьером занимает 2 дня", "Заберите заказ в пункте выдачи"} {
		acct.Admin.Must("POST", "/api/v1/admin/quick-messages", map[string]any{"category_id": cat.ID, "text": text}, nil)
	}
	cases := map[string][]string{
		"q=елочн":                       {"Ёлочные игрушки в наличии"},
		"q=ЁЛОЧН":                       {"Ёлочные игрушки в наличии"},
		"q=дня+курьер":                  {"Доставка курьером занимает 2 дня"},
		"q=курьер+выдачи":               nil,
		"q=за":                          {"Доставка курьером занимает 2 дня", "Заберите заказ в пункте выдачи"},
		"q=з":                           {"Ёлочные игрушки в наличии", "Доставка курьером занимает 2 дня", "Заберите заказ в пункте выдачи"},
		"q=заказ&category_id=personal":  nil,
		"q=заказ&category_id=" + cat.ID: {"Заберите заказ в пункте выдачи"},
	}
	for query, want := range cases {
		if got := quickTexts(searchQuick(t, op, query)); !slices.Equal(got, want) {
			t.Errorf("%s → %q, want %q", query, got, want)
		}
	}
	for _, bad := range []string{"category_id=abc", "limit=0", "limit=501", "q=%ff"} {
		if r := op.Do("GET", "/api/v1/quick-messages?"+bad, nil); r.Code() != "invalid_input" {
			t.Errorf("%s: %d %s", bad, r.Status, r.Body)
		}
	}
}

func TestQuickMessageHotkeys(t *testing.T) {
	env := testkit.Start(t)
	acct := env.NewAccount()
	anna := acct.Operator("Anna", "operator", 3, "available")
	boris := acct.Operator("Boris", "operator", 3, "available")
	var cat struct {
		ID string `json:"id"`
	}
	acct.Admin.Must("POST", "/api/v1/admin/quick-message-categories", map[string]any{"name": "Общее"}, &cat)
	var shared, mine, borisOwn quickMessage
	acct.Admin.Must("POST", "/api/v1/admin/quick-messages", map[string]any{"category_id": cat.ID, "text": "Общее"}, &shared)
	anna.Must("POST", "/api/v1/quick-messages", map[string]any{"text": "Моё"}, &mine)
	boris.Must("POST", "/api/v1/quick-messages", map[string]any{"text": "Борис"}, &borisOwn)

	ws := anna.WS(false, "")
	ws.Ready()
	var got quickMessage
	anna.Must("PUT", "/api/v1/quick-messages/"+shared.ID+"/hotkey", map[string]any{"hotkey": "Alt+Ctrl+Digit1"}, &got)
	if got.Hotkey != "Ctrl+Alt+Digit1" {
		t.Errorf("hotkey stored as %q, want the canonical Ctrl+Alt+Digit1", got.Hotkey)
	}
	ws.WaitFor("quick_messages.changed", nil)
	// Hotkeys are per operator: Boris may use the same combination, and does not see Anna's.
	boris.Must("PUT", "/api/v1/quick-messages/"+shared.ID+"/hotkey", map[string]any{"hotkey": "Ctrl+Alt+Digit1"}, nil)
	boris.Must("PUT", "/api/v1/quick-messages/"+shared.ID+"/hotkey", map[string]any{"hotkey": nil}, nil)
	if l := searchQuick(t, boris, "category_id="+cat.ID); l.Items[0].Hotkey != "" {
		t.Errorf("boris sees hotkey %q", l.Items[0].Hotkey)
	}
	if l := searchQuick(t, anna, "category_id="+cat.ID); l.Items[0].Hotkey != "Ctrl+Alt+Digit1" {
		t.Errorf("anna sees hotkey %q", l.Items[0].Hotkey)
	}
	// Unique per operator.
	r := anna.Do("PUT", "/api/v1/quick-messages/"+mine.ID+"/hotkey", map[string]any{"hotkey": "Ctrl+Alt+Digit1"})
	var e struct {
		Error struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Details map[string]string `json:"details"`
		} `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	if r.Status != 409 || e.Error.Code != "hotkey_taken" || e.Error.Details["quick_message_id"] != shared.ID {
		t.Errorf("duplicate hotkey: %d %s", r.Status, r.Body)
	}
	// Rules, each with its reason.
	for hotkey, reason := range map[string]string{"KeyQ": "format", "Shift+KeyQ": "no_modifier", "Ctrl+KeyC": "reserved", "Ctrl+Alt": "no_key"} {
		r := anna.Do("PUT", "/api/v1/quick-messages/"+mine.ID+"/hotkey", map[string]any{"hotkey": hotkey})
		e.Error.Details = nil
		json.Unmarshal(r.Body, &e)
		if r.Status != 400 || e.Error.Code != "invalid_hotkey" || e.Error.Details["reason"] != reason || e.Error.Message == "" {
			t.Errorf("%s: %d %s, want invalid_hotkey/%s", hotkey, r.Status, r.Body, reason)
		}
	}
	// Another operator's personal message cannot get a hotkey; wrong types are refused.
	if r := anna.Do("PUT", "/api/v1/quick-messages/"+borisOwn.ID+"/hotkey", map[string]any{"hotkey": "Alt+KeyQ"}); r.Status != 404 {
		t.Errorf("hotkey on another's message: %d", r.Status)
	}
	if r := anna.Do("PUT", "/api/v1/quick-messages/"+mine.ID+"/hotkey", map[string]any{"hotkey": 5}); r.Code() != "invalid_input" {
		t.Errorf("numeric hotkey: %d %s", r.Status, r.Body)
	}
	// Deleting the message removes the binding, so the combination is free again.
	acct.Admin.Must("DELETE", "/api/v1/admin/quick-messages/"+shared.ID, nil, nil)
	anna.Must("PUT", "/api/v1/quick-messages/"+mine.ID+"/hotkey", map[string]any{"hotkey": "Ctrl+Alt+Digit1"}, nil)
}

// TestQuickMessagesMany checks search and limit over a few hundred messages through the
// cache; the speed over 10,000 is in BenchmarkSearch (internal/quick) and docs/benchmarks.md.
func TestQuickMessagesMany(t *testing.T) {
	env := testkit.Start(t)
	acct := env.NewAccount()
	op := acct.Operator("Anna", "operator", 3, "available")
	var cat struct {
		ID string `json:"id"`
	}
	acct.Admin.Must("POST", "/api/v1/admin/quick-message-categories", map[string]any{"name": "Много"}, &cat)
	for i := 0; i < 300; i++ {
		acct.Admin.Must("POST", "/api/v1/admin/quick-messages", map[string]any{"category_id": cat.ID, "text": fmt.Sprintf("Ответ номер %d про доставку", i)}, nil)
	}
	if got := searchQuick(t, op, "q=номер+299"); len(got.Items) != 1 {
		t.Errorf("search found %d", len(got.Items))
	}
	if got := searchQuick(t, op, "q=доставку&limit=10"); len(got.Items) != 10 {
		t.Errorf("limit 10 gave %d", len(got.Items))
	}
}

// TestAutocompleteSettingEffective: /me shows the account default until the operator chooses.
func TestAutocompleteSettingEffective(t *testing.T) {
	env := testkit.Start(t)
	acct := env.NewAccount()
	op := acct.Operator("Anna", "operator", 3, "available")
	type me struct {
		Settings struct {
			Autocomplete *bool `json:"autocomplete_quick_messages"`
		} `json:"settings"`
	}
	get := func() *bool {
		var m me
		op.Must("GET", "/api/v1/me", nil, &m)
		return m.Settings.Autocomplete
	}
	if v := get(); v == nil || !*v {
		t.Fatalf("default autocomplete = %v, want the account default true", v)
	}
	acct.Admin.Must("PATCH", "/api/v1/admin/settings", map[string]any{"autocomplete_quick_messages": false}, nil)
	if v := get(); v == nil || *v {
		t.Fatalf("after the account default changed: %v, want false", v)
	}
	op.Must("PATCH", "/api/v1/me/settings", map[string]any{"autocomplete_quick_messages": true}, nil)
	if v := get(); v == nil || !*v {
		t.Fatalf("after the operator chose: %v, want true", v)
	}
	// Spell check is on until the operator turns it off, and stays off.
	spell := func() *bool {
		var m struct {
			Settings struct {
				Spellcheck *bool `json:"spellcheck"`
			} `json:"settings"`
		}
		op.Must("GET", "/api/v1/me", nil, &m)
		return m.Settings.Spellcheck
	}
	if v := spell(); v == nil || !*v {
		t.Fatalf("default spellcheck = %v, want true", v)
	}
	op.Must("PATCH", "/api/v1/me/settings", map[string]any{"spellcheck": false}, nil)
	if v := spell(); v == nil || *v {
		t.Fatalf("after turning it off: %v", v)
	}
}
