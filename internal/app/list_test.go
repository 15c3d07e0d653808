package app_test

import (
	"testing"

	"livedesk/internal/livedesk"

	"livedesk/internal/testkit"
)

// TestLastMessageAuthor: the list preview says which operator wrote the last message, so a
// supervisor's list can show «Вы:» on their own replies only and the author's name otherwise.
func TestLastMessageAuthor(t *testing.T) {
	_, a, _, op, v := testkit.StartChat(t)
	conv := v.Say("Здравствуйте").ConversationID
	sup := a.Operator("Сева", "supervisor", 5, "available")
	op.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "Добрый день"}, nil)
	check := func(who *testkit.Client, wantID, wantName string) {
		t.Helper()
		var c struct {
			LastMessage struct {
				Author     string `json:"author"`
				AuthorID   string `json:"author_id"`
				AuthorName string `json:"author_name"`
			} `json:"last_message"`
		}
		who.Must("GET", "/api/v1/conversations/"+conv, nil, &c)
		if c.LastMessage.Author != "operator" || c.LastMessage.AuthorID != wantID || c.LastMessage.AuthorName != wantName {
			t.Fatalf("last message %+v, want operator %s %s", c.LastMessage, wantID, wantName)
		}
	}
	check(sup, op.ID, "Анна")
	sup.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "Подключился"}, nil)
	check(sup, sup.ID, "Сева")
}

// TestAvailabilityPush: a visitor's socket learns at once when the account's first operator
// comes online and when the last one goes offline; another account's visitors hear nothing.
func TestAvailabilityPush(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	op := a.Operator("Анна", "operator", 5, "")
	ws := env.Visitor(key, "").WS(true, "")
	ws.Ready()
	b := env.NewAccount()
	_, bkey := b.ContactPoint("webchat")
	other := env.Visitor(bkey, "").WS(true, "")
	other.Ready()

	op.SetStatus("available")
	f := ws.WaitFor("availability", nil)
	if string(f.Data) != `{"online":true}` {
		t.Fatalf("availability frame %s", f.Data)
	}
	op.SetStatus("pause") // still online: nothing to say
	op.SetStatus("offline")
	last := ws.WaitFor("availability", nil)
	if string(last.Data) != `{"online":false}` {
		t.Fatalf("availability frame after the last went offline: %s", last.Data)
	}
	b.Operator("Борис", "operator", 5, "available")
	// B's visitor's first availability frame is B's own (event ids grow: it comes after A's).
	f2 := other.WaitFor("availability", nil)
	if id, ok := livedesk.ParseID(f2.Cursor); string(f2.Data) != `{"online":true}` || !ok || id <= mustID(t, last.Cursor) {
		t.Fatalf("account B's visitor heard %s (cursor %s, A's last %s)", f2.Data, f2.Cursor, last.Cursor)
	}
}

func mustID(t *testing.T, s string) livedesk.ID {
	t.Helper()
	id, ok := livedesk.ParseID(s)
	if !ok {
		t.Fatalf("not an id: %q", s)
	}
	return id
}
