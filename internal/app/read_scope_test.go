package app_test

import (
	"bytes"
	"strings"
	"testing"

	"livedesk/internal/testkit"
)

// readWorld is an account whose operator Анна has conversations in every state the read
// rule tells apart (issue 13, item 10), with colleagues who had nothing to do with them.
type readWorld struct {
	a                 *testkit.Account
	anna, boris, gleb *testkit.Client
	sup               *testkit.Client
	mine, offered     string // Анна's open; Анна's, offered to Борис
	closedMine        string // closed by Анна
	wroteThenGone     string // Анна wrote in it, handed it to Глеб, who closed it
	heldThenGone      string // Анна only held it, handed it to Глеб, who closed it
	file              string // a file the visitor sent in mine
	fileContent       []byte // its content
	catID             string
}

func readSetup(t *testing.T) *readWorld {
	t.Helper()
	env := testkit.Start(t)
	w := &readWorld{a: env.NewAccount()}
	_, key := w.a.ContactPoint("webchat")
	w.catID = w.a.Category("Вопрос")
	w.a.Admin.SetStatus("pause")
	w.anna = w.a.Operator("Анна", "operator", 10, "available")
	w.boris = w.a.Operator("Борис", "operator", 5, "")
	w.gleb = w.a.Operator("Глеб", "operator", 5, "")
	w.sup = w.a.Operator("Сева", "supervisor", 5, "")
	say := func(name, text string) (*testkit.Client, string) {
		v := env.Visitor(key, name)
		conv := v.Say(text).ConversationID
		if c := w.a.Admin.Conversation(conv); c.AssigneeID != w.anna.ID {
			t.Fatalf("%s went to %s, not to Анна", conv, c.AssigneeID)
		}
		return v, conv
	}
	var v *testkit.Client
	v, w.mine = say("Один", "первый")
	_, w.offered = say("Два", "второй")
	_, w.closedMine = say("Три", "третий")
	_, w.wroteThenGone = say("Четыре", "четвёртый")
	_, w.heldThenGone = say("Пять", "пятый")

	w.fileContent = []byte("%PDF-1.4 счёт")
	up := v.MustUpload("/api/v1/widget/attachments", testkit.File{Name: "счёт.pdf", Content: w.fileContent})
	w.file = up[0].ID
	v.Must("POST", "/api/v1/widget/messages", map[string]any{"client_id": testkit.Unique("v"), "text": "счёт", "attachment_ids": []string{w.file}}, nil)

	anna := w.anna
	anna.Must("POST", "/api/v1/conversations/"+w.mine+"/comments", map[string]string{"client_id": testkit.Unique("c"), "text": "внутренняя заметка"}, nil)
	anna.Must("POST", "/api/v1/conversations/"+w.closedMine+"/close", map[string]any{"category_id": w.catID}, nil)
	anna.Must("POST", "/api/v1/conversations/"+w.wroteThenGone+"/messages", map[string]string{"client_id": testkit.Unique("m"), "text": "Сейчас передам"}, nil)
	w.boris.SetStatus("available")
	w.gleb.SetStatus("available")
	for _, conv := range []string{w.wroteThenGone, w.heldThenGone} {
		var tr struct{ ID string }
		anna.Must("POST", "/api/v1/conversations/"+conv+"/transfers", map[string]any{"to_operator_id": w.gleb.ID}, &tr)
		w.gleb.Must("POST", "/api/v1/transfers/"+tr.ID+"/accept", nil, nil)
		w.gleb.Must("POST", "/api/v1/conversations/"+conv+"/close", map[string]any{"category_id": w.catID}, nil)
	}
	anna.Must("POST", "/api/v1/conversations/"+w.offered+"/transfers", map[string]any{"to_operator_id": w.boris.ID}, nil)
	return w
}

// TestReadScopeByRole: each role reads exactly what the rule allows — the conversation, its
// history (internal comments included) and the files sent in it — and anything else
// answers 404 not_found with the same body as an id that does not exist.
func TestReadScopeByRole(t *testing.T) {
	w := readSetup(t)
	missing := w.a.Admin.Do("GET", "/api/v1/conversations/999999999", nil)
	if missing.Status != 404 || missing.Code() != "not_found" {
		t.Fatalf("missing conversation: %d %s", missing.Status, missing.Body)
	}
	check := func(who string, c *testkit.Client, conv string, want int) {
		t.Helper()
		for _, path := range []string{"/api/v1/conversations/" + conv, "/api/v1/conversations/" + conv + "/messages"} {
			r := c.Do("GET", path, nil)
			if r.Status != want {
				t.Errorf("%s: GET %s = %d %s, want %d", who, path, r.Status, r.Body, want)
				continue
			}
			if want == 404 && (r.Code() != "not_found" || (strings.HasSuffix(path, "/"+conv) && !bytes.Equal(r.Body, missing.Body))) {
				t.Errorf("%s: GET %s answers %s, unlike a missing id (%s)", who, path, r.Body, missing.Body)
			}
		}
	}
	// Operator.
	check("Анна, her open", w.anna, w.mine, 200)
	check("Анна, offered away, still hers", w.anna, w.offered, 200)
	check("Анна, closed by her", w.anna, w.closedMine, 200)
	check("Анна, closed by Глеб after she wrote and handed it on", w.anna, w.wroteThenGone, 200)
	check("Анна, closed by Глеб after she held it", w.anna, w.heldThenGone, 200)
	check("Борис, offered to him", w.boris, w.offered, 200)
	check("Борис, Анна's open", w.boris, w.mine, 404)
	check("Борис, Анна's closed", w.boris, w.closedMine, 404)
	check("Борис, Глеб's closed", w.boris, w.heldThenGone, 404)
	check("Глеб, Анна's open", w.gleb, w.mine, 404)
	check("Глеб, closed by him", w.gleb, w.wroteThenGone, 200)
	// Staff read everything of the account.
	for _, staff := range []struct {
		who string
		c   *testkit.Client
	}{{"supervisor", w.sup}, {"admin", w.a.Admin}} {
		for _, conv := range []string{w.mine, w.offered, w.closedMine, w.wroteThenGone, w.heldThenGone} {
			check(staff.who, staff.c, conv, 200)
		}
	}

	// The internal comment is in the history of whoever may read it.
	var page struct{ Items []struct{ Kind, Text string } }
	w.sup.Must("GET", "/api/v1/conversations/"+w.mine+"/messages", nil, &page)
	found := false
	for _, m := range page.Items {
		found = found || (m.Kind == "comment" && m.Text == "внутренняя заметка")
	}
	if !found {
		t.Errorf("the supervisor does not see the comment: %+v", page.Items)
	}

	// Files sent in the conversation: the same rule.
	for _, tc := range []struct {
		who  string
		c    *testkit.Client
		want int
	}{{"Анна", w.anna, 200}, {"supervisor", w.sup, 200}, {"admin", w.a.Admin, 200}, {"Борис", w.boris, 404}, {"Глеб", w.gleb, 404}} {
		r := tc.c.Do("GET", "/api/v1/attachments/"+w.file, nil)
		if r.Status != tc.want || (tc.want == 200 && !bytes.Equal(r.Body, w.fileContent)) || (tc.want == 404 && r.Code() != "not_found") {
			t.Errorf("%s downloads the file: %d %.80s, want %d", tc.who, r.Status, r.Body, tc.want)
		}
	}
}

// TestReadScopeTyping: typing over the socket follows the read rule — a conversation the
// operator may not read is not found (nothing revealed), one they may read but not write in
// (offered to them, not accepted yet) is forbidden.
func TestReadScopeTyping(t *testing.T) {
	w := readSetup(t)
	typing := func(c *testkit.Client, conv string) string {
		t.Helper()
		return c.WS(false, "").ErrorFrame(`{"type":"typing","conversation_id":"` + conv + `"}`)
	}
	if got := typing(w.gleb, w.mine); !strings.Contains(got, `"not_found"`) {
		t.Errorf("Глеб types in Анна's conversation: %s, want not_found", got)
	}
	if got := typing(w.gleb, "999999999"); !strings.Contains(got, `"not_found"`) {
		t.Errorf("Глеб types in a missing conversation: %s, want not_found", got)
	}
	if got := typing(w.boris, w.closedMine); !strings.Contains(got, `"not_found"`) {
		t.Errorf("Борис types in Анна's closed conversation: %s, want not_found (not conversation_closed)", got)
	}
	if got := typing(w.boris, w.offered); !strings.Contains(got, `"forbidden"`) {
		t.Errorf("Борис types in a conversation offered to him: %s, want forbidden", got)
	}
	if got := typing(w.anna, w.closedMine); !strings.Contains(got, `"conversation_closed"`) {
		t.Errorf("Анна types in her closed conversation: %s, want conversation_closed", got)
	}
}
