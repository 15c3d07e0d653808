package realtime_test

import (
	"testing"

	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
	"livedesk/internal/testkit"
)

// TestTypingThrottle: of a burst of typing frames from one connection only the first within
// TypingInterval is forwarded (to staff and the visitor, never back to the sender), per
// conversation: another conversation's frame in the same interval still goes out; a
// visitor's burst is throttled the same way.
func TestTypingThrottle(t *testing.T) {
	t.Parallel()
	h := testkit.StartHub(t, testkit.HubOptions{Hub: realtime.Options{TypingInterval: 1 << 62}})
	acct, admin := h.Account()
	cp := h.ContactPoint(acct.ID, livedesk.ChannelWebchat)
	h.SetStatus(admin, livedesk.StatusPause)
	anna := h.Operator(acct.ID, "Анна", livedesk.RoleOperator, 5, livedesk.StatusAvailable)
	sup := h.Operator(acct.ID, "Сева", livedesk.RoleSupervisor, 5, livedesk.StatusPause)
	v1, v2 := h.Visitor(cp), h.Visitor(cp)
	conv1 := h.Say(cp, v1.ID, "первый").ConversationID
	conv2 := h.Say(cp, v2.ID, "второй").ConversationID
	staff := h.OperatorWS(h.Login(sup))
	vis := h.VisitorWS(cp, v1.ID)
	sender := h.OperatorWS(h.Login(anna))
	typing := func(conv livedesk.ID) string { return `{"type":"typing","conversation_id":"` + conv.String() + `"}` }

	for range 10 {
		sender.Send(typing(conv1))
	}
	sender.Alive("the sender") // every typing frame before the ping is handled
	h.Say(cp, v1.ID, "метка 1")
	if n := staff.CountBefore("typing", livedesk.EventMessageCreated); n != 1 {
		t.Fatalf("staff got %d typing frames of a burst of 10, want 1", n)
	}
	if n := vis.CountBefore("typing", livedesk.EventMessageCreated); n != 1 {
		t.Fatalf("the visitor got %d typing frames of a burst of 10, want 1", n)
	}
	if n := sender.CountBefore("typing", livedesk.EventMessageCreated); n != 0 {
		t.Fatalf("the sender got %d of their own typing frames", n)
	}

	sender.Send(typing(conv1))
	sender.Send(typing(conv2))
	sender.Alive("the sender")
	h.Say(cp, v2.ID, "метка 2")
	if n := staff.CountBefore("typing", livedesk.EventMessageCreated); n != 1 {
		t.Fatalf("staff got %d typing frames (conversation 1 again, conversation 2 first), want 1", n)
	}

	vt := h.VisitorWS(cp, v1.ID)
	for range 5 {
		vt.Send(`{"type":"typing"}`)
	}
	vt.Alive("the visitor")
	h.Say(cp, v2.ID, "метка 3")
	if n := staff.CountBefore("typing", livedesk.EventMessageCreated); n != 1 {
		t.Fatalf("staff got %d typing frames of a visitor's burst of 5, want 1", n)
	}
}
