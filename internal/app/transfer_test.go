package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// Integration tests of DESIGN §2.4 (transfer): every path of an offer over the real HTTP
// API, with the events checked on real WebSocket clients.

// trTransfer is the part of a transfer the tests look at.
type trTransfer struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversation_id"`
	FromOperatorID string `json:"from_operator_id"`
	ToOperatorID   string `json:"to_operator_id"`
	Comment        string `json:"comment"`
	State          string `json:"state"`
}

// trEvent is the data of a transfer.* or conversation.* frame.
type trEvent struct {
	Transfer       trTransfer           `json:"transfer"`
	Reason         string               `json:"reason"`
	ConversationID string               `json:"conversation_id"`
	ToOperatorID   string               `json:"to_operator_id"`
	Conversation   testkit.Conversation `json:"conversation"`
	Message        testkit.Message      `json:"message"`
}

func trData(t testing.TB, f testkit.Frame) trEvent {
	t.Helper()
	var e trEvent
	if err := json.Unmarshal(f.Data, &e); err != nil {
		t.Fatalf("decode %s frame %s: %v", f.Type, f.Data, err)
	}
	return e
}

// trOfTransfer matches frames about one transfer.
func trOfTransfer(t testing.TB, id string) func(testkit.Frame) bool {
	return func(f testkit.Frame) bool { return trData(t, f).Transfer.ID == id }
}

// trOfConversation matches conversation.removed / conversation.assigned frames of one conversation.
func trOfConversation(t testing.TB, id string) func(testkit.Frame) bool {
	return func(f testkit.Frame) bool {
		e := trData(t, f)
		return e.ConversationID == id || e.Conversation.ID == id
	}
}

// trWait waits up to d for a frame of the type that matches, skipping others (for waits
// longer than WaitFor's five seconds; it asserts nothing about how long it took).
func trWait(t testing.TB, w *testkit.WS, typ string, d time.Duration, match func(testkit.Frame) bool) testkit.Frame {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			t.Fatalf("no %s frame within %s", typ, d)
		}
		f := w.Next(left)
		if f.Type == typ && (match == nil || match(f)) {
			return f
		}
	}
}

// trConnect opens the operator's WebSocket and waits until it is live.
func trConnect(c *testkit.Client) *testkit.WS {
	c.T.Helper()
	w := c.WS(false, "")
	w.Ready()
	return w
}

// trHistory is the operator's view of a conversation's history (comments included).
func trHistory(c *testkit.Client, conv string) []testkit.Message {
	c.T.Helper()
	var out struct {
		Items []testkit.Message `json:"items"`
	}
	c.Must("GET", "/api/v1/conversations/"+conv+"/messages?limit=200", nil, &out)
	return out.Items
}

// trVisitorHistory is everything the visitor's widget can read.
func trVisitorHistory(v *testkit.Client) []testkit.Message {
	v.T.Helper()
	var out struct {
		Items []testkit.Message `json:"items"`
	}
	v.Must("GET", "/api/v1/widget/messages?limit=200", nil, &out)
	return out.Items
}

type trMeInfo struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	OpenCount int    `json:"open_count"`
	Limit     int    `json:"limit"`
}

func trMe(c *testkit.Client) trMeInfo {
	c.T.Helper()
	var me trMeInfo
	c.Must("GET", "/api/v1/me", nil, &me)
	return me
}

// trOffer asks for a transfer of conv to the operator.
func trOffer(c *testkit.Client, conv, to, comment string) testkit.Response {
	c.T.Helper()
	body := map[string]any{"to_operator_id": to}
	if comment != "" {
		body["comment"] = comment
	}
	return c.Do("POST", "/api/v1/conversations/"+conv+"/transfers", body)
}

// trMustOffer offers and expects 201 with the given state.
func trMustOffer(c *testkit.Client, conv, to, comment, state string) trTransfer {
	c.T.Helper()
	r := trOffer(c, conv, to, comment)
	if r.Status != 201 {
		c.T.Fatalf("offer %s to %s: %d %s", conv, to, r.Status, r.Body)
	}
	var tr trTransfer
	r.Decode(c.T, &tr)
	if tr.State != state || tr.ConversationID != conv || tr.ToOperatorID != to || tr.ID == "" {
		c.T.Fatalf("offer answered %s, want state %s of %s to %s", r.Body, state, conv, to)
	}
	return tr
}

// trAction posts accept, decline or cancel of a transfer.
func trAction(c *testkit.Client, id, action string) testkit.Response {
	c.T.Helper()
	return c.Do("POST", "/api/v1/transfers/"+id+"/"+action, nil)
}

// trExpect fails unless the response has the status and error code ("" for success).
func trExpect(t testing.TB, what string, r testkit.Response, status int, code string) {
	t.Helper()
	if r.Status != status || r.Code() != code {
		t.Fatalf("%s: %d %s, want %d %q", what, r.Status, r.Body, status, code)
	}
}

func trHasConversation(items []testkit.Conversation, id string) bool {
	for _, c := range items {
		if c.ID == id {
			return true
		}
	}
	return false
}

// trDesk is one account with a sender (available: every new conversation goes to them)
// and a receiver (on pause: offered transfers, never auto-routed).
type trDesk struct {
	env  *testkit.Env
	a    *testkit.Account
	key  string
	s, r *testkit.Client
}

func trSetup(t *testing.T) *trDesk {
	t.Helper()
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	return &trDesk{env: env, a: a, key: key,
		s: a.Operator("Анна", "operator", 5, "available"),
		r: a.Operator("Борис", "operator", 5, "pause")}
}

// conversation opens a webchat conversation and checks that it went to want.
func (d *trDesk) conversation(visitor string, want *testkit.Client) (conv string, v *testkit.Client) {
	d.env.T.Helper()
	v = d.env.Visitor(d.key, visitor)
	conv = v.Say("Здравствуйте, это " + visitor).ConversationID
	if got := d.a.Admin.Conversation(conv); got.AssigneeID != want.ID || got.State != "assigned" {
		d.env.T.Fatalf("conversation %s: state %s assignee %s, want assigned to %s", conv, got.State, got.AssigneeID, want.ID)
	}
	return conv, v
}

// TestTransferOfferAccept: a webchat offer is accepted; the conversation moves with its
// system line and the comment as an internal note the visitor never sees.
func TestTransferOfferAccept(t *testing.T) {
	t.Parallel()
	d := trSetup(t)
	ws, wr := trConnect(d.s), trConnect(d.r)
	conv, v := d.conversation("Вера", d.s)
	wv := v.WS(true, "")
	wv.Ready()
	const note = "VIP-клиент, ждёт возврат денег"

	tr := trMustOffer(d.s, conv, d.r.ID, note, "pending")
	if tr.FromOperatorID != d.s.ID || tr.Comment != note {
		t.Fatalf("offer: %+v", tr)
	}
	f := wr.WaitFor("transfer.offered", trOfTransfer(t, tr.ID))
	if e := trData(t, f); e.Transfer.Comment != note || e.Transfer.ConversationID != conv || e.Conversation.ID != conv {
		t.Fatalf("receiver's offer frame %s", f.Data)
	}
	ws.WaitFor("transfer.offered", trOfTransfer(t, tr.ID))

	// Until the receiver answers, the sender keeps the conversation and can still reply.
	c := d.s.Conversation(conv)
	if c.AssigneeID != d.s.ID || c.PendingTransfer == nil || c.PendingTransfer.ID != tr.ID {
		t.Fatalf("while pending: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	d.s.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "Минуту, передаю коллеге"}, nil)

	r := trAction(d.r, tr.ID, "accept")
	trExpect(t, "accept", r, 200, "")
	var accepted trTransfer
	r.Decode(t, &accepted)
	if accepted.State != "accepted" || accepted.ID != tr.ID {
		t.Fatalf("accept answered %s", r.Body)
	}

	// Events (in commit order): both see the accept, the sender loses the conversation, the
	// receiver gets it.
	wr.WaitFor("transfer.accepted", trOfTransfer(t, tr.ID))
	ws.WaitFor("transfer.accepted", trOfTransfer(t, tr.ID))
	rm := trData(t, ws.WaitFor("conversation.removed", trOfConversation(t, conv)))
	if rm.Reason != "transferred" || rm.ToOperatorID != d.r.ID {
		t.Fatalf("conversation.removed: %+v", rm)
	}
	as := trData(t, wr.WaitFor("conversation.assigned", trOfConversation(t, conv)))
	if as.Conversation.AssigneeID != d.r.ID || as.Conversation.State != "assigned" {
		t.Fatalf("conversation.assigned: %+v", as.Conversation)
	}

	// The conversation now belongs to the receiver, in lists and counters.
	c = d.r.Conversation(conv)
	if c.AssigneeID != d.r.ID || c.State != "assigned" || c.PendingTransfer != nil {
		t.Fatalf("after accept: state %s assignee %s pending %+v", c.State, c.AssigneeID, c.PendingTransfer)
	}
	if items, _ := d.s.List("state=open"); trHasConversation(items, conv) {
		t.Fatal("the conversation is still in the sender's open list")
	}
	if items, _ := d.r.List("state=open"); !trHasConversation(items, conv) {
		t.Fatal("the conversation is not in the receiver's open list")
	}
	if me := trMe(d.s); me.OpenCount != 0 {
		t.Fatalf("sender open_count %d, want 0", me.OpenCount)
	}
	if me := trMe(d.r); me.OpenCount != 1 {
		t.Fatalf("receiver open_count %d, want 1", me.OpenCount)
	}

	// History: the system line and the comment as an internal note by the sender.
	var system, comment *testkit.Message
	history := trHistory(d.r, conv)
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
	if comment == nil || comment.Author.Type != "operator" || comment.Author.ID != d.s.ID {
		t.Fatalf("the transfer comment is not an internal comment by the sender: %+v", comment)
	}
	// The visitor never sees the comment.
	for _, m := range trVisitorHistory(v) {
		if m.Kind == "comment" || strings.Contains(m.Text, note) {
			t.Fatalf("the visitor sees the transfer comment: %+v", m)
		}
	}

	// Only the new assignee writes now.
	trExpect(t, "old assignee replies", d.s.Do("POST", "/api/v1/conversations/"+conv+"/messages",
		map[string]any{"client_id": testkit.Unique("m"), "text": "ещё я"}), 403, "forbidden")
	d.r.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "Здравствуйте, я Борис"}, nil)

	// Nor does the visitor's WebSocket carry it: everything up to the new operator's first
	// reply (events arrive in commit order) is free of the comment.
	for {
		f := wv.Next(5 * time.Second)
		if strings.Contains(string(f.Data), note) || strings.Contains(string(f.Data), `"kind":"comment"`) {
			t.Fatalf("the visitor's WebSocket got the comment: %s %s", f.Type, f.Data)
		}
		if f.Type == "message.created" && trData(t, f).Message.Text == "Здравствуйте, я Борис" {
			break
		}
	}
}

// TestTransferDecline: a declined offer leaves the conversation with the sender, who may offer again.
func TestTransferDecline(t *testing.T) {
	t.Parallel()
	d := trSetup(t)
	ws := trConnect(d.s)
	conv, _ := d.conversation("Глеб", d.s)
	tr := trMustOffer(d.s, conv, d.r.ID, "", "pending")

	trExpect(t, "sender declines", trAction(d.s, tr.ID, "decline"), 403, "forbidden")
	r := trAction(d.r, tr.ID, "decline")
	trExpect(t, "decline", r, 200, "")
	var got trTransfer
	r.Decode(t, &got)
	if got.State != "declined" {
		t.Fatalf("decline answered %s", r.Body)
	}
	ws.WaitFor("transfer.declined", trOfTransfer(t, tr.ID))

	c := d.s.Conversation(conv)
	if c.AssigneeID != d.s.ID || c.PendingTransfer != nil {
		t.Fatalf("after decline: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	for _, m := range trHistory(d.s, conv) {
		if strings.HasPrefix(m.Text, "Обращение передано") {
			t.Fatalf("a declined transfer wrote %q", m.Text)
		}
	}
	if me := trMe(d.r); me.OpenCount != 0 {
		t.Fatalf("receiver open_count %d after decline", me.OpenCount)
	}
	trMustOffer(d.s, conv, d.r.ID, "", "pending")
}

// TestTransferCancelBySender: only the sender (or a supervisor) withdraws an offer.
func TestTransferCancelBySender(t *testing.T) {
	t.Parallel()
	d := trSetup(t)
	wr := trConnect(d.r)
	conv, _ := d.conversation("Дина", d.s)
	tr := trMustOffer(d.s, conv, d.r.ID, "заберёшь?", "pending")
	wr.WaitFor("transfer.offered", trOfTransfer(t, tr.ID))

	trExpect(t, "receiver cancels", trAction(d.r, tr.ID, "cancel"), 403, "forbidden")
	r := trAction(d.s, tr.ID, "cancel")
	trExpect(t, "cancel", r, 200, "")
	var got trTransfer
	r.Decode(t, &got)
	if got.State != "cancelled" {
		t.Fatalf("cancel answered %s", r.Body)
	}
	if e := trData(t, wr.WaitFor("transfer.cancelled", trOfTransfer(t, tr.ID))); e.Reason != "sender_cancelled" || e.Transfer.State != "cancelled" {
		t.Fatalf("transfer.cancelled: %+v", e)
	}
	trExpect(t, "accept after cancel", trAction(d.r, tr.ID, "accept"), 409, "transfer_not_pending")
	if c := d.s.Conversation(conv); c.AssigneeID != d.s.ID || c.PendingTransfer != nil {
		t.Fatalf("after cancel: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}

	// A supervisor may cancel someone else's offer.
	sup := d.a.Operator("Вадим", "supervisor", 5, "pause")
	tr2 := trMustOffer(d.s, conv, d.r.ID, "", "pending")
	trExpect(t, "supervisor cancels", trAction(sup, tr2.ID, "cancel"), 200, "")
}

// TestTransferExpires: an unanswered offer expires after the account's timeout.
func TestTransferExpires(t *testing.T) {
	t.Parallel()
	d := trSetup(t)
	var settings struct {
		TransferTimeout int `json:"transfer_timeout_seconds"`
	}
	d.a.Admin.Must("PATCH", "/api/v1/admin/settings", map[string]any{"transfer_timeout_seconds": 5}, &settings)
	if settings.TransferTimeout != 5 {
		t.Fatalf("transfer_timeout_seconds is %d after PATCH", settings.TransferTimeout)
	}
	ws, wr := trConnect(d.s), trConnect(d.r)
	conv, _ := d.conversation("Ефим", d.s)
	tr := trMustOffer(d.s, conv, d.r.ID, "", "pending")

	// Generous wait; the test asserts the outcome, not the time.
	e := trData(t, trWait(t, wr, "transfer.expired", 30*time.Second, trOfTransfer(t, tr.ID)))
	if e.Transfer.State != "expired" || e.Reason != "expired" {
		t.Fatalf("transfer.expired: %+v", e)
	}
	trWait(t, ws, "transfer.expired", 30*time.Second, trOfTransfer(t, tr.ID))

	trExpect(t, "accept after expiry", trAction(d.r, tr.ID, "accept"), 409, "transfer_not_pending")
	if c := d.s.Conversation(conv); c.AssigneeID != d.s.ID || c.PendingTransfer != nil {
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
	d := &trDesk{env: env, a: a, key: key, s: s, r: r}
	conv, _ := d.conversation("Жанна", s)
	tr := trMustOffer(s, conv, r.ID, "", "pending") // 0 of 1: the offer is allowed

	// The receiver fills their only place with a routed conversation.
	s.SetStatus("pause")
	r.SetStatus("available")
	other, _ := d.conversation("Зоя", r)
	r.SetStatus("pause")

	sws := s.WS(false, "")
	sws.Ready()
	trExpect(t, "accept at the limit", trAction(r, tr.ID, "accept"), 409, "limit_reached")
	// The sender is told why the offer did not go through.
	if e := trData(t, sws.WaitFor("transfer.accept_refused", nil)); e.Reason != "limit_reached" || e.Transfer.ID != tr.ID || e.Transfer.State != "pending" {
		t.Fatalf("accept_refused event: %+v", e)
	}
	sws.Close()
	// A reloading receiver finds the offer again.
	var pending struct {
		Incoming []struct {
			Transfer     trTransfer           `json:"transfer"`
			Conversation testkit.Conversation `json:"conversation"`
		} `json:"incoming"`
		Outgoing []struct {
			Transfer trTransfer `json:"transfer"`
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
	if me := trMe(r); me.OpenCount != 1 {
		t.Fatalf("receiver open_count %d, want 1", me.OpenCount)
	}
	if me := trMe(s); me.OpenCount != 1 {
		t.Fatalf("sender open_count %d, want 1", me.OpenCount)
	}

	// Capacity appears: the same offer can be accepted.
	r.Must("POST", "/api/v1/conversations/"+other+"/close", map[string]any{}, nil)
	trExpect(t, "accept below the limit", trAction(r, tr.ID, "accept"), 200, "")
	if c := r.Conversation(conv); c.AssigneeID != r.ID {
		t.Fatalf("after accept: assignee %s", c.AssigneeID)
	}
}

// TestTransferReceiverGoesAway: an offer is cancelled when its receiver goes away or offline.
func TestTransferReceiverGoesAway(t *testing.T) {
	t.Parallel()
	d := trSetup(t)
	ws, wr := trConnect(d.s), trConnect(d.r)
	for _, status := range []string{"away", "offline"} {
		conv, _ := d.conversation("Ирина "+status, d.s)
		tr := trMustOffer(d.s, conv, d.r.ID, "", "pending")
		wr.WaitFor("transfer.offered", trOfTransfer(t, tr.ID))
		d.r.SetStatus(status)
		e := trData(t, wr.WaitFor("transfer.cancelled", trOfTransfer(t, tr.ID)))
		if e.Transfer.State != "cancelled" || e.Reason != "receiver_unavailable" {
			t.Fatalf("%s: transfer.cancelled %+v", status, e)
		}
		ws.WaitFor("transfer.cancelled", trOfTransfer(t, tr.ID))
		if c := d.s.Conversation(conv); c.AssigneeID != d.s.ID || c.PendingTransfer != nil {
			t.Fatalf("%s: assignee %s pending %+v", status, c.AssigneeID, c.PendingTransfer)
		}
		d.r.SetStatus("pause")
		trExpect(t, status+": accept a cancelled offer", trAction(d.r, tr.ID, "accept"), 409, "transfer_not_pending")
	}
}

// TestTransferTargetRefused: webchat offers only to online operators below their limit.
func TestTransferTargetRefused(t *testing.T) {
	t.Parallel()
	d := trSetup(t)
	conv, _ := d.conversation("Кира", d.s)
	away := d.a.Operator("Лев", "operator", 5, "away")
	offline := d.a.Operator("Мира", "operator", 5, "") // logged in, never chose a status
	trExpect(t, "offer to away", trOffer(d.s, conv, away.ID, ""), 409, "target_unavailable")
	trExpect(t, "offer to offline", trOffer(d.s, conv, offline.ID, ""), 409, "target_unavailable")

	// An operator on pause at the limit.
	full := d.a.Operator("Нина", "operator", 1, "pause")
	d.s.SetStatus("pause")
	full.SetStatus("available")
	d.conversation("Олег", full)
	full.SetStatus("pause")
	d.s.SetStatus("available")
	trExpect(t, "offer to an operator at the limit", trOffer(d.s, conv, full.ID, ""), 409, "limit_reached")

	trExpect(t, "offer to oneself", trOffer(d.s, conv, d.s.ID, ""), 400, "invalid_input")
	trExpect(t, "offer to nobody", trOffer(d.s, conv, "987654321", ""), 404, "not_found")
	trExpect(t, "offer by a non-assignee", trOffer(d.r, conv, d.r.ID, ""), 403, "forbidden")

	if c := d.s.Conversation(conv); c.AssigneeID != d.s.ID || c.PendingTransfer != nil {
		t.Fatalf("a refused offer left: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	// Nothing was written for any refused offer.
	for _, m := range trHistory(d.s, conv) {
		if m.Kind != "text" {
			t.Fatalf("a refused offer wrote %+v", m)
		}
	}
}

// trEmailConversation opens an email conversation through the desk (the widget API serves
// webchat keys only).
func trEmailConversation(t *testing.T, d *trDesk, cpID, text string) string {
	t.Helper()
	ctx := context.Background()
	account, _ := livedesk.ParseID(d.a.ID)
	id, _ := livedesk.ParseID(cpID)
	cp, err := d.env.App.Store.ContactPoint(ctx, account, id)
	if err != nil {
		t.Fatal(err)
	}
	v, err := d.env.App.Desk.VisitorSession(ctx, cp, 0, desk.VisitorProfile{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := d.env.App.Desk.VisitorMessage(ctx, cp, v.ID, desk.MessageInput{ClientID: testkit.Unique("mail"), Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return m.ConversationID.String()
}

// TestTransferEmail: email conversations move at once, without acceptance, even to an
// operator who is away, as long as the receiver is below the limit.
func TestTransferEmail(t *testing.T) {
	t.Parallel()
	d := trSetup(t)
	cpID, _ := d.a.ContactPoint("email")
	d.r.SetStatus("away")
	ws, wr := trConnect(d.s), trConnect(d.r)
	conv := trEmailConversation(t, d, cpID, "Письмо: не пришёл заказ")
	c := d.s.Conversation(conv)
	if c.Channel != "email" || c.AssigneeID != d.s.ID {
		t.Fatalf("email conversation: channel %s assignee %s", c.Channel, c.AssigneeID)
	}

	const note = "это по твоему заказу"
	tr := trMustOffer(d.s, conv, d.r.ID, note, "accepted")
	wr.WaitFor("transfer.accepted", trOfTransfer(t, tr.ID))
	ws.WaitFor("transfer.accepted", trOfTransfer(t, tr.ID))
	rm := trData(t, ws.WaitFor("conversation.removed", trOfConversation(t, conv)))
	if rm.Reason != "transferred" {
		t.Fatalf("conversation.removed: %+v", rm)
	}
	wr.WaitFor("conversation.assigned", trOfConversation(t, conv))
	c = d.r.Conversation(conv)
	if c.AssigneeID != d.r.ID || c.PendingTransfer != nil {
		t.Fatalf("after an email transfer: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	var system, comment bool
	for _, m := range trHistory(d.r, conv) {
		system = system || m.Kind == "system" && m.Text == "Обращение передано: Анна → Борис"
		comment = comment || m.Kind == "comment" && m.Text == note && m.Author.ID == d.s.ID
	}
	if !system || !comment {
		t.Fatalf("history after an email transfer: system line %v, comment %v", system, comment)
	}
	if me := trMe(d.r); me.OpenCount != 1 {
		t.Fatalf("receiver open_count %d, want 1", me.OpenCount)
	}
	// Away still replies in own conversations.
	d.r.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "Отвечаю"}, nil)

	// At the receiver's limit an email transfer is refused and nothing moves.
	full := d.a.Operator("Нина", "operator", 1, "pause")
	d.s.SetStatus("pause")
	full.SetStatus("available")
	d.conversation("Олег", full)
	full.SetStatus("away")
	d.s.SetStatus("available")
	conv2 := trEmailConversation(t, d, cpID, "Второе письмо")
	trExpect(t, "email transfer to an operator at the limit", trOffer(d.s, conv2, full.ID, ""), 409, "limit_reached")
	if c := d.s.Conversation(conv2); c.AssigneeID != d.s.ID || c.PendingTransfer != nil {
		t.Fatalf("refused email transfer: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
}

// TestTransferOnePending: one pending offer per conversation.
func TestTransferOnePending(t *testing.T) {
	t.Parallel()
	d := trSetup(t)
	conv, _ := d.conversation("Полина", d.s)
	other := d.a.Operator("Роман", "operator", 5, "pause")
	tr := trMustOffer(d.s, conv, d.r.ID, "", "pending")
	trExpect(t, "second offer to another operator", trOffer(d.s, conv, other.ID, ""), 409, "conflict")
	trExpect(t, "second offer to the same operator", trOffer(d.s, conv, d.r.ID, ""), 409, "conflict")
	if c := d.s.Conversation(conv); c.PendingTransfer == nil || c.PendingTransfer.ID != tr.ID {
		t.Fatalf("pending transfer %+v, want %s", c.PendingTransfer, tr.ID)
	}
	// The one pending offer still works.
	trExpect(t, "accept", trAction(d.r, tr.ID, "accept"), 200, "")
}

// TestTransferAcceptBySomeoneElse: only the receiver accepts or declines.
func TestTransferAcceptBySomeoneElse(t *testing.T) {
	t.Parallel()
	d := trSetup(t)
	conv, _ := d.conversation("Светлана", d.s)
	tr := trMustOffer(d.s, conv, d.r.ID, "", "pending")
	x := d.a.Operator("Тимур", "operator", 5, "pause")
	d.a.Admin.SetStatus("pause")
	for name, c := range map[string]*testkit.Client{"colleague": x, "sender": d.s, "admin": d.a.Admin} {
		trExpect(t, name+" accepts", trAction(c, tr.ID, "accept"), 403, "forbidden")
		trExpect(t, name+" declines", trAction(c, tr.ID, "decline"), 403, "forbidden")
	}
	trExpect(t, "colleague cancels", trAction(x, tr.ID, "cancel"), 403, "forbidden")
	if c := d.s.Conversation(conv); c.AssigneeID != d.s.ID || c.PendingTransfer == nil || c.PendingTransfer.ID != tr.ID {
		t.Fatalf("after refused actions: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	trExpect(t, "receiver accepts", trAction(d.r, tr.ID, "accept"), 200, "")
}

// TestTransferNotPending: a finished transfer cannot be accepted, declined or cancelled.
func TestTransferNotPending(t *testing.T) {
	t.Parallel()
	d := trSetup(t)
	conv, _ := d.conversation("Ульяна", d.s)
	declined := trMustOffer(d.s, conv, d.r.ID, "", "pending")
	trExpect(t, "decline", trAction(d.r, declined.ID, "decline"), 200, "")
	accepted := trMustOffer(d.s, conv, d.r.ID, "", "pending")
	trExpect(t, "accept", trAction(d.r, accepted.ID, "accept"), 200, "")

	for _, tr := range []trTransfer{declined, accepted} {
		trExpect(t, "accept again", trAction(d.r, tr.ID, "accept"), 409, "transfer_not_pending")
		trExpect(t, "decline again", trAction(d.r, tr.ID, "decline"), 409, "transfer_not_pending")
		trExpect(t, "cancel again", trAction(d.s, tr.ID, "cancel"), 409, "transfer_not_pending")
	}
	if c := d.r.Conversation(conv); c.AssigneeID != d.r.ID || c.PendingTransfer != nil {
		t.Fatalf("assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	n := 0
	for _, m := range trHistory(d.r, conv) {
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
	d := trSetup(t)
	wr := trConnect(d.r)
	conv, _ := d.conversation("Фаина", d.s)
	tr := trMustOffer(d.s, conv, d.r.ID, "", "pending")
	d.s.Must("POST", "/api/v1/conversations/"+conv+"/close", map[string]any{}, nil)
	e := trData(t, wr.WaitFor("transfer.cancelled", trOfTransfer(t, tr.ID)))
	if e.Reason != "conversation_closed" || e.Transfer.State != "cancelled" {
		t.Fatalf("transfer.cancelled: %+v", e)
	}
	trExpect(t, "accept after close", trAction(d.r, tr.ID, "accept"), 409, "transfer_not_pending")
	if c := d.s.Conversation(conv); c.State != "closed" || c.PendingTransfer != nil {
		t.Fatalf("after close: state %s pending %+v", c.State, c.PendingTransfer)
	}
	if me := trMe(d.r); me.OpenCount != 0 {
		t.Fatalf("receiver open_count %d", me.OpenCount)
	}
	trExpect(t, "offer a closed conversation", trOffer(d.s, conv, d.r.ID, ""), 409, "conversation_closed")
}
