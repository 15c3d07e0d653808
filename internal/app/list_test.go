package app_test

import (
	"testing"

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
