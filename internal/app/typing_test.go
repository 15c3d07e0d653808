package app_test

import (
	"livedesk/internal/testkit"
	"strings"
	"testing"
)

// End-to-end tests of client typing frames over the WebSockets: who may type where, the
// error frames of refused ones, and the throttle.

// TestTypingRules: typing frames are forwarded only from someone who may write in the
// conversation, refused ones get an error frame, and a burst is throttled to one.
func TestTypingRules(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t) // d.Sender holds d.Conv; d.Receiver is another operator
	d.Account.Admin.SetStatus("pause")
	typing := `{"type":"typing","conversation_id":"` + d.Conv + `"}`

	// A burst of ten from the assignee reaches staff and the visitor once.
	staff := d.Account.Admin.WS(false, "")
	staff.Ready()
	vis := d.Visitor.WS(true, "")
	vis.Ready()
	sc := d.Sender.WS(false, "")
	for range 10 {
		sc.Send(typing)
	}
	sc.Alive("assignee") // every typing frame before the ping is handled
	d.Visitor.Say("маркер 1")
	if n := staff.CountBefore("typing", "message.created"); n != 1 {
		t.Fatalf("staff got %d typing frames from a burst of 10, want 1", n)
	}
	if n := vis.CountBefore("typing", "message.created"); n != 1 {
		t.Fatalf("the visitor got %d typing frames from a burst of 10, want 1", n)
	}

	// Another operator's typing in a conversation not theirs is refused, as not found: they
	// may not read it either (TestReadScopeTyping has the forbidden case).
	rc := d.Receiver.WS(false, "")
	rc.Send(typing)
	f, err := rc.Await("error")
	if err != nil || !strings.Contains(string(f.Data), `"not_found"`) {
		t.Fatalf("typing in another's conversation: %s %v", f.Data, err)
	}
	// Unknown conversation and a missing id.
	rc.Send(`{"type":"typing","conversation_id":"99999999"}`)
	if f, err := rc.Await("error"); err != nil || !strings.Contains(string(f.Data), `"not_found"`) {
		t.Fatalf("typing in an unknown conversation: %s %v", f.Data, err)
	}
	rc.Send(`{"type":"typing"}`)
	if f, err := rc.Await("error"); err != nil || !strings.Contains(string(f.Data), `"invalid_input"`) {
		t.Fatalf("typing without a conversation: %s %v", f.Data, err)
	}
	// An offline operator may not type.
	d.Receiver.SetStatus("offline")
	oc := d.Receiver.WS(false, "")
	oc.Send(`{"type":"typing","conversation_id":"99999998"}`)
	if f, err := oc.Await("error"); err != nil || !strings.Contains(string(f.Data), `"operator_offline"`) {
		t.Fatalf("typing while offline: %s %v", f.Data, err)
	}
	d.Visitor.Say("маркер 2")
	if n := staff.CountBefore("typing", "message.created"); n != 0 {
		t.Fatalf("staff got %d typing frames from refused senders", n)
	}

	// The visitor types in their open conversation; after closing it they may not.
	vc := d.Visitor.WS(true, "")
	vc.Send(`{"type":"typing"}`)
	vc.Alive("visitor")
	d.Visitor.Say("маркер 3")
	if n := staff.CountBefore("typing", "message.created"); n != 1 {
		t.Fatalf("staff got %d visitor typing frames, want 1", n)
	}
	d.Visitor.Must("POST", "/api/v1/widget/close", nil, nil)
	vc2 := d.Visitor.WS(true, "")
	vc2.Send(`{"type":"typing"}`)
	if f, err := vc2.Await("error"); err != nil || !strings.Contains(string(f.Data), `"not_found"`) {
		t.Fatalf("visitor typing after closing: %s %v", f.Data, err)
	}
	// The assignee in a closed conversation.
	d.Sender.Must("POST", "/api/v1/conversations/"+d.Conv+"/close", map[string]any{"category_id": d.CategoryID}, nil)
	sc2 := d.Sender.WS(false, "")
	sc2.Send(typing)
	if f, err := sc2.Await("error"); err != nil || !strings.Contains(string(f.Data), `"conversation_closed"`) {
		t.Fatalf("typing in a closed conversation: %s %v", f.Data, err)
	}
}
