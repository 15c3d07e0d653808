package app_test

import (
	"strings"
	"testing"
	"time"

	"livedesk/internal/testkit"
)

// Integration tests of DESIGN §2.4 (transfer): every path of an offer over the real HTTP
// API, with the events checked on real WebSocket clients.

// TestTransferOfferAccept: a webchat offer is accepted; the conversation moves with its
// system line and the comment as an internal note the visitor never sees.
func TestTransferOfferAccept(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	ws, wr := d.Sender.ReadyWS(false), d.Receiver.ReadyWS(false)
	conv, v := d.Conversation("Вера", d.Sender)
	wv := v.WS(true, "")
	wv.Ready()
	const note = "VIP-клиент, ждёт возврат денег"

	tr := d.Sender.MustOffer(conv, d.Receiver.ID, note, "pending")
	if tr.FromOperatorID != d.Sender.ID || tr.Comment != note {
		t.Fatalf("offer: %+v", tr)
	}
	f := wr.WaitFor("transfer.offered", testkit.OfTransfer(t, tr.ID))
	if e := f.Event(t); e.Transfer.Comment != note || e.Transfer.ConversationID != conv || e.Conversation.ID != conv {
		t.Fatalf("receiver's offer frame %s", f.Data)
	}
	ws.WaitFor("transfer.offered", testkit.OfTransfer(t, tr.ID))

	// Until the receiver answers, the sender keeps the conversation and can still reply.
	c := d.Sender.Conversation(conv)
	if c.AssigneeID != d.Sender.ID || c.PendingTransfer == nil || c.PendingTransfer.ID != tr.ID {
		t.Fatalf("while pending: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	d.Sender.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "Минуту, передаю коллеге"}, nil)

	r := d.Receiver.TransferAction(tr.ID, "accept")
	testkit.Expect(t, "accept", r, 200, "")
	var accepted testkit.Transfer
	r.Decode(t, &accepted)
	if accepted.State != "accepted" || accepted.ID != tr.ID {
		t.Fatalf("accept answered %s", r.Body)
	}

	// Events (in commit order): both see the accept, the sender loses the conversation, the
	// receiver gets it.
	wr.WaitFor("transfer.accepted", testkit.OfTransfer(t, tr.ID))
	ws.WaitFor("transfer.accepted", testkit.OfTransfer(t, tr.ID))
	rm := ws.WaitFor("conversation.removed", testkit.OfConversation(t, conv)).Event(t)
	if rm.Reason != "transferred" || rm.ToOperatorID != d.Receiver.ID {
		t.Fatalf("conversation.removed: %+v", rm)
	}
	as := wr.WaitFor("conversation.assigned", testkit.OfConversation(t, conv)).Event(t)
	if as.Conversation.AssigneeID != d.Receiver.ID || as.Conversation.State != "assigned" {
		t.Fatalf("conversation.assigned: %+v", as.Conversation)
	}

	// The conversation now belongs to the receiver, in lists and counters.
	c = d.Receiver.Conversation(conv)
	if c.AssigneeID != d.Receiver.ID || c.State != "assigned" || c.PendingTransfer != nil {
		t.Fatalf("after accept: state %s assignee %s pending %+v", c.State, c.AssigneeID, c.PendingTransfer)
	}
	if items, _ := d.Sender.List("state=open"); testkit.HasConversation(items, conv) {
		t.Fatal("the conversation is still in the sender's open list")
	}
	if items, _ := d.Receiver.List("state=open"); !testkit.HasConversation(items, conv) {
		t.Fatal("the conversation is not in the receiver's open list")
	}
	if me := d.Sender.Me(); me.OpenCount != 0 {
		t.Fatalf("sender open_count %d, want 0", me.OpenCount)
	}
	if me := d.Receiver.Me(); me.OpenCount != 1 {
		t.Fatalf("receiver open_count %d, want 1", me.OpenCount)
	}

	// History: the system line and the comment as an internal note by the sender.
	var system, comment *testkit.Message
	history := d.Receiver.History(conv)
	for i, m := range history {
		switch {
		case m.Kind == "system" && m.Text == "Обращение передано: Анна → Борис":
			system = &history[i]
		case m.Kind == "comment" && m.Text == note:
			comment = &history[i]
		}
	}
	if system == nil || system.Author.Type != "system" {
		t.Fatalf("no system line «Обращение передано: Анна → Борис» in %+v", history)
	}
	if comment == nil || comment.Author.Type != "operator" || comment.Author.ID != d.Sender.ID {
		t.Fatalf("the transfer comment is not an internal comment by the sender: %+v", comment)
	}
	// The visitor never sees the comment.
	for _, m := range v.VisitorHistory() {
		if m.Kind == "comment" || strings.Contains(m.Text, note) {
			t.Fatalf("the visitor sees the transfer comment: %+v", m)
		}
	}

	// Only the new assignee writes now.
	testkit.Expect(t, "old assignee replies", d.Sender.Do("POST", "/api/v1/conversations/"+conv+"/messages",
		map[string]any{"client_id": testkit.Unique("m"), "text": "ещё я"}), 403, "forbidden")
	d.Receiver.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "Здравствуйте, я Борис"}, nil)

	// Nor does the visitor's WebSocket carry it: everything up to the new operator's first
	// reply (events arrive in commit order) is free of the comment.
	for {
		f := wv.Next(5 * time.Second)
		if strings.Contains(string(f.Data), note) || strings.Contains(string(f.Data), `"kind":"comment"`) {
			t.Fatalf("the visitor's WebSocket got the comment: %s %s", f.Type, f.Data)
		}
		if f.Type == "message.created" && f.Event(t).Message.Text == "Здравствуйте, я Борис" {
			break
		}
	}
}

// TestTransferDecline: a declined offer leaves the conversation with the sender, who may offer again.
func TestTransferDecline(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	ws := d.Sender.ReadyWS(false)
	conv, _ := d.Conversation("Глеб", d.Sender)
	tr := d.Sender.MustOffer(conv, d.Receiver.ID, "", "pending")

	testkit.Expect(t, "sender declines", d.Sender.TransferAction(tr.ID, "decline"), 403, "forbidden")
	r := d.Receiver.TransferAction(tr.ID, "decline")
	testkit.Expect(t, "decline", r, 200, "")
	var got testkit.Transfer
	r.Decode(t, &got)
	if got.State != "declined" {
		t.Fatalf("decline answered %s", r.Body)
	}
	ws.WaitFor("transfer.declined", testkit.OfTransfer(t, tr.ID))

	c := d.Sender.Conversation(conv)
	if c.AssigneeID != d.Sender.ID || c.PendingTransfer != nil {
		t.Fatalf("after decline: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	for _, m := range d.Sender.History(conv) {
		if strings.HasPrefix(m.Text, "Обращение передано") {
			t.Fatalf("a declined transfer wrote %q", m.Text)
		}
	}
	if me := d.Receiver.Me(); me.OpenCount != 0 {
		t.Fatalf("receiver open_count %d after decline", me.OpenCount)
	}
	d.Sender.MustOffer(conv, d.Receiver.ID, "", "pending")
}

// TestTransferCancelBySender: only the sender (or a supervisor) withdraws an offer.
func TestTransferCancelBySender(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	wr := d.Receiver.ReadyWS(false)
	conv, _ := d.Conversation("Дина", d.Sender)
	tr := d.Sender.MustOffer(conv, d.Receiver.ID, "заберёшь?", "pending")
	wr.WaitFor("transfer.offered", testkit.OfTransfer(t, tr.ID))

	testkit.Expect(t, "receiver cancels", d.Receiver.TransferAction(tr.ID, "cancel"), 403, "forbidden")
	r := d.Sender.TransferAction(tr.ID, "cancel")
	testkit.Expect(t, "cancel", r, 200, "")
	var got testkit.Transfer
	r.Decode(t, &got)
	if got.State != "cancelled" {
		t.Fatalf("cancel answered %s", r.Body)
	}
	if e := wr.WaitFor("transfer.cancelled", testkit.OfTransfer(t, tr.ID)).Event(t); e.Reason != "sender_cancelled" || e.Transfer.State != "cancelled" {
		t.Fatalf("transfer.cancelled: %+v", e)
	}
	testkit.Expect(t, "accept after cancel", d.Receiver.TransferAction(tr.ID, "accept"), 409, "transfer_not_pending")
	if c := d.Sender.Conversation(conv); c.AssigneeID != d.Sender.ID || c.PendingTransfer != nil {
		t.Fatalf("after cancel: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}

	// A supervisor may cancel someone else's offer.
	sup := d.Account.Operator("Вадим", "supervisor", 5, "pause")
	tr2 := d.Sender.MustOffer(conv, d.Receiver.ID, "", "pending")
	testkit.Expect(t, "supervisor cancels", sup.TransferAction(tr2.ID, "cancel"), 200, "")
}

// TestTransferExpires: an unanswered offer expires after the account's timeout.
func TestTransferExpires(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	var settings struct {
		TransferTimeout int `json:"transfer_timeout_seconds"`
	}
	d.Account.Admin.Must("PATCH", "/api/v1/admin/settings", map[string]any{"transfer_timeout_seconds": 5}, &settings)
	if settings.TransferTimeout != 5 {
		t.Fatalf("transfer_timeout_seconds is %d after PATCH", settings.TransferTimeout)
	}
	ws, wr := d.Sender.ReadyWS(false), d.Receiver.ReadyWS(false)
	conv, _ := d.Conversation("Ефим", d.Sender)
	tr := d.Sender.MustOffer(conv, d.Receiver.ID, "", "pending")

	// Generous wait; the test asserts the outcome, not the time.
	e := wr.WaitWithin("transfer.expired", 30*time.Second, testkit.OfTransfer(t, tr.ID)).Event(t)
	if e.Transfer.State != "expired" || e.Reason != "expired" {
		t.Fatalf("transfer.expired: %+v", e)
	}
	ws.WaitWithin("transfer.expired", 30*time.Second, testkit.OfTransfer(t, tr.ID))

	testkit.Expect(t, "accept after expiry", d.Receiver.TransferAction(tr.ID, "accept"), 409, "transfer_not_pending")
	if c := d.Sender.Conversation(conv); c.AssigneeID != d.Sender.ID || c.PendingTransfer != nil {
		t.Fatalf("after expiry: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
}

// TestTransferAcceptAtLimit: the receiver's limit is checked at accept; at the limit the
// accept fails with limit_reached and the offer stays pending.
func TestTransferAcceptAtLimit(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	s := a.Operator("Анна", "operator", 5, "available")
	r := a.Operator("Борис", "operator", 1, "pause")
	d := &testkit.Team{Env: env, Account: a, Key: key, Sender: s, Receiver: r}
	conv, _ := d.Conversation("Жанна", s)
	tr := s.MustOffer(conv, r.ID, "", "pending") // 0 of 1: the offer is allowed

	// The receiver fills their only place with a routed conversation.
	s.SetStatus("pause")
	r.SetStatus("available")
	other, _ := d.Conversation("Зоя", r)
	r.SetStatus("pause")

	sws := s.WS(false, "")
	sws.Ready()
	testkit.Expect(t, "accept at the limit", r.TransferAction(tr.ID, "accept"), 409, "limit_reached")
	// The sender is told why the offer did not go through.
	if e := sws.WaitFor("transfer.accept_refused", nil).Event(t); e.Reason != "limit_reached" || e.Transfer.ID != tr.ID || e.Transfer.State != "pending" {
		t.Fatalf("accept_refused event: %+v", e)
	}
	sws.Close()
	// A reloading receiver finds the offer again.
	var pending struct {
		Incoming []struct {
			Transfer     testkit.Transfer     `json:"transfer"`
			Conversation testkit.Conversation `json:"conversation"`
		} `json:"incoming"`
		Outgoing []struct {
			Transfer testkit.Transfer `json:"transfer"`
		} `json:"outgoing"`
	}
	r.Must("GET", "/api/v1/transfers", nil, &pending)
	if len(pending.Incoming) != 1 || pending.Incoming[0].Transfer.ID != tr.ID || pending.Incoming[0].Conversation.ID != conv || len(pending.Outgoing) != 0 {
		t.Fatalf("receiver's pending transfers: %+v", pending)
	}
	s.Must("GET", "/api/v1/transfers", nil, &pending)
	if len(pending.Outgoing) != 1 || pending.Outgoing[0].Transfer.ID != tr.ID || len(pending.Incoming) != 0 {
		t.Fatalf("sender's pending transfers: %+v", pending)
	}
	c := s.Conversation(conv)
	if c.AssigneeID != s.ID || c.PendingTransfer == nil || c.PendingTransfer.ID != tr.ID {
		t.Fatalf("after a refused accept: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	if me := r.Me(); me.OpenCount != 1 {
		t.Fatalf("receiver open_count %d, want 1", me.OpenCount)
	}
	if me := s.Me(); me.OpenCount != 1 {
		t.Fatalf("sender open_count %d, want 1", me.OpenCount)
	}

	// Capacity appears: the same offer can be accepted.
	r.Must("POST", "/api/v1/conversations/"+other+"/close", map[string]any{}, nil)
	testkit.Expect(t, "accept below the limit", r.TransferAction(tr.ID, "accept"), 200, "")
	if c := r.Conversation(conv); c.AssigneeID != r.ID {
		t.Fatalf("after accept: assignee %s", c.AssigneeID)
	}
}

// TestTransferReceiverGoesAway: an offer is cancelled when its receiver goes away or offline.
func TestTransferReceiverGoesAway(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	ws, wr := d.Sender.ReadyWS(false), d.Receiver.ReadyWS(false)
	for _, status := range []string{"away", "offline"} {
		conv, _ := d.Conversation("Ирина "+status, d.Sender)
		tr := d.Sender.MustOffer(conv, d.Receiver.ID, "", "pending")
		wr.WaitFor("transfer.offered", testkit.OfTransfer(t, tr.ID))
		d.Receiver.SetStatus(status)
		e := wr.WaitFor("transfer.cancelled", testkit.OfTransfer(t, tr.ID)).Event(t)
		if e.Transfer.State != "cancelled" || e.Reason != "receiver_unavailable" {
			t.Fatalf("%s: transfer.cancelled %+v", status, e)
		}
		ws.WaitFor("transfer.cancelled", testkit.OfTransfer(t, tr.ID))
		if c := d.Sender.Conversation(conv); c.AssigneeID != d.Sender.ID || c.PendingTransfer != nil {
			t.Fatalf("%s: assignee %s pending %+v", status, c.AssigneeID, c.PendingTransfer)
		}
		d.Receiver.SetStatus("pause")
		testkit.Expect(t, status+": accept a cancelled offer", d.Receiver.TransferAction(tr.ID, "accept"), 409, "transfer_not_pending")
	}
}

// TestTransferTargetRefused: webchat offers only to online operators below their limit.
func TestTransferTargetRefused(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	conv, _ := d.Conversation("Кира", d.Sender)
	away := d.Account.Operator("Лев", "operator", 5, "away")
	offline := d.Account.Operator("Мира", "operator", 5, "") // logged in, never chose a status
	testkit.Expect(t, "offer to away", d.Sender.Offer(conv, away.ID, ""), 409, "target_unavailable")
	testkit.Expect(t, "offer to offline", d.Sender.Offer(conv, offline.ID, ""), 409, "target_unavailable")

	// An operator on pause at the limit.
	full := d.Account.Operator("Нина", "operator", 1, "pause")
	d.Sender.SetStatus("pause")
	full.SetStatus("available")
	d.Conversation("Олег", full)
	full.SetStatus("pause")
	d.Sender.SetStatus("available")
	testkit.Expect(t, "offer to an operator at the limit", d.Sender.Offer(conv, full.ID, ""), 409, "limit_reached")

	testkit.Expect(t, "offer to oneself", d.Sender.Offer(conv, d.Sender.ID, ""), 400, "invalid_input")
	testkit.Expect(t, "offer to nobody", d.Sender.Offer(conv, "987654321", ""), 404, "not_found")
	testkit.Expect(t, "offer by a non-assignee", d.Receiver.Offer(conv, d.Receiver.ID, ""), 403, "forbidden")

	if c := d.Sender.Conversation(conv); c.AssigneeID != d.Sender.ID || c.PendingTransfer != nil {
		t.Fatalf("a refused offer left: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	// Nothing was written for any refused offer.
	for _, m := range d.Sender.History(conv) {
		if m.Kind != "text" {
			t.Fatalf("a refused offer wrote %+v", m)
		}
	}
}

// TestTransferEmail: email conversations move at once, without acceptance, even to an
// operator who is away, as long as the receiver is below the limit.
func TestTransferEmail(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	cpID, _ := d.Account.ContactPoint("email")
	d.Receiver.SetStatus("away")
	ws, wr := d.Sender.ReadyWS(false), d.Receiver.ReadyWS(false)
	conv := d.Account.EmailConversation(cpID, "Письмо: не пришёл заказ")
	c := d.Sender.Conversation(conv)
	if c.Channel != "email" || c.AssigneeID != d.Sender.ID {
		t.Fatalf("email conversation: channel %s assignee %s", c.Channel, c.AssigneeID)
	}

	const note = "это по твоему заказу"
	tr := d.Sender.MustOffer(conv, d.Receiver.ID, note, "accepted")
	wr.WaitFor("transfer.accepted", testkit.OfTransfer(t, tr.ID))
	ws.WaitFor("transfer.accepted", testkit.OfTransfer(t, tr.ID))
	rm := ws.WaitFor("conversation.removed", testkit.OfConversation(t, conv)).Event(t)
	if rm.Reason != "transferred" {
		t.Fatalf("conversation.removed: %+v", rm)
	}
	wr.WaitFor("conversation.assigned", testkit.OfConversation(t, conv))
	c = d.Receiver.Conversation(conv)
	if c.AssigneeID != d.Receiver.ID || c.PendingTransfer != nil {
		t.Fatalf("after an email transfer: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	var system, comment bool
	for _, m := range d.Receiver.History(conv) {
		system = system || m.Kind == "system" && m.Text == "Обращение передано: Анна → Борис"
		comment = comment || m.Kind == "comment" && m.Text == note && m.Author.ID == d.Sender.ID
	}
	if !system || !comment {
		t.Fatalf("history after an email transfer: system line %v, comment %v", system, comment)
	}
	if me := d.Receiver.Me(); me.OpenCount != 1 {
		t.Fatalf("receiver open_count %d, want 1", me.OpenCount)
	}
	// Away still replies in own conversations.
	d.Receiver.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "Отвечаю"}, nil)

	// At the receiver's limit an email transfer is refused and nothing moves.
	full := d.Account.Operator("Нина", "operator", 1, "pause")
	d.Sender.SetStatus("pause")
	full.SetStatus("available")
	d.Conversation("Олег", full)
	full.SetStatus("away")
	d.Sender.SetStatus("available")
	conv2 := d.Account.EmailConversation(cpID, "Второе письмо")
	testkit.Expect(t, "email transfer to an operator at the limit", d.Sender.Offer(conv2, full.ID, ""), 409, "limit_reached")
	if c := d.Sender.Conversation(conv2); c.AssigneeID != d.Sender.ID || c.PendingTransfer != nil {
		t.Fatalf("refused email transfer: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
}

// TestTransferOnePending: one pending offer per conversation.
func TestTransferOnePending(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	conv, _ := d.Conversation("Полина", d.Sender)
	other := d.Account.Operator("Роман", "operator", 5, "pause")
	tr := d.Sender.MustOffer(conv, d.Receiver.ID, "", "pending")
	testkit.Expect(t, "second offer to another operator", d.Sender.Offer(conv, other.ID, ""), 409, "conflict")
	testkit.Expect(t, "second offer to the same operator", d.Sender.Offer(conv, d.Receiver.ID, ""), 409, "conflict")
	if c := d.Sender.Conversation(conv); c.PendingTransfer == nil || c.PendingTransfer.ID != tr.ID {
		t.Fatalf("pending transfer %+v, want %s", c.PendingTransfer, tr.ID)
	}
	// The one pending offer still works.
	testkit.Expect(t, "accept", d.Receiver.TransferAction(tr.ID, "accept"), 200, "")
}

// TestTransferAcceptBySomeoneElse: only the receiver accepts or declines.
func TestTransferAcceptBySomeoneElse(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	conv, _ := d.Conversation("Светлана", d.Sender)
	tr := d.Sender.MustOffer(conv, d.Receiver.ID, "", "pending")
	x := d.Account.Operator("Тимур", "operator", 5, "pause")
	d.Account.Admin.SetStatus("pause")
	for name, c := range map[string]*testkit.Client{"colleague": x, "sender": d.Sender, "admin": d.Account.Admin} {
		testkit.Expect(t, name+" accepts", c.TransferAction(tr.ID, "accept"), 403, "forbidden")
		testkit.Expect(t, name+" declines", c.TransferAction(tr.ID, "decline"), 403, "forbidden")
	}
	testkit.Expect(t, "colleague cancels", x.TransferAction(tr.ID, "cancel"), 403, "forbidden")
	if c := d.Sender.Conversation(conv); c.AssigneeID != d.Sender.ID || c.PendingTransfer == nil || c.PendingTransfer.ID != tr.ID {
		t.Fatalf("after refused actions: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	testkit.Expect(t, "receiver accepts", d.Receiver.TransferAction(tr.ID, "accept"), 200, "")
}

// TestTransferNotPending: a finished transfer cannot be accepted, declined or cancelled.
func TestTransferNotPending(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	conv, _ := d.Conversation("Ульяна", d.Sender)
	declined := d.Sender.MustOffer(conv, d.Receiver.ID, "", "pending")
	testkit.Expect(t, "decline", d.Receiver.TransferAction(declined.ID, "decline"), 200, "")
	accepted := d.Sender.MustOffer(conv, d.Receiver.ID, "", "pending")
	testkit.Expect(t, "accept", d.Receiver.TransferAction(accepted.ID, "accept"), 200, "")

	for _, tr := range []testkit.Transfer{declined, accepted} {
		testkit.Expect(t, "accept again", d.Receiver.TransferAction(tr.ID, "accept"), 409, "transfer_not_pending")
		testkit.Expect(t, "decline again", d.Receiver.TransferAction(tr.ID, "decline"), 409, "transfer_not_pending")
		testkit.Expect(t, "cancel again", d.Sender.TransferAction(tr.ID, "cancel"), 409, "transfer_not_pending")
	}
	if c := d.Receiver.Conversation(conv); c.AssigneeID != d.Receiver.ID || c.PendingTransfer != nil {
		t.Fatalf("assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	n := 0
	for _, m := range d.Receiver.History(conv) {
		if strings.HasPrefix(m.Text, "Обращение передано") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d transfer lines in the history, want 1", n)
	}
}

// TestTransferCloseCancels: closing the conversation cancels its pending offer.
func TestTransferCloseCancels(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t)
	wr := d.Receiver.ReadyWS(false)
	conv, _ := d.Conversation("Фаина", d.Sender)
	tr := d.Sender.MustOffer(conv, d.Receiver.ID, "", "pending")
	d.Sender.Must("POST", "/api/v1/conversations/"+conv+"/close", map[string]any{}, nil)
	e := wr.WaitFor("transfer.cancelled", testkit.OfTransfer(t, tr.ID)).Event(t)
	if e.Reason != "conversation_closed" || e.Transfer.State != "cancelled" {
		t.Fatalf("transfer.cancelled: %+v", e)
	}
	testkit.Expect(t, "accept after close", d.Receiver.TransferAction(tr.ID, "accept"), 409, "transfer_not_pending")
	if c := d.Sender.Conversation(conv); c.State != "closed" || c.PendingTransfer != nil {
		t.Fatalf("after close: state %s pending %+v", c.State, c.PendingTransfer)
	}
	if me := d.Receiver.Me(); me.OpenCount != 0 {
		t.Fatalf("receiver open_count %d", me.OpenCount)
	}
	testkit.Expect(t, "offer a closed conversation", d.Sender.Offer(conv, d.Receiver.ID, ""), 409, "conversation_closed")
}
