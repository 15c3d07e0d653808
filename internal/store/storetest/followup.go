package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"livedesk/internal/livedesk"
)

// testFollowups: a reply of a widget conversation queued as a followup is due only at its
// time, goes from the mailbox named (OutgoingMail's MailboxID and Followup, the chat's name),
// lists with the later followups of its conversation, and is skipped without being sent; a
// mail naming its Message-ID finds the widget conversation through that mailbox (not through
// another); visitors touched are seen at the store's time.
func testFollowups(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := context.Background()
	w := newWorld(t, st, "followup", 5)
	box := &livedesk.ContactPoint{AccountID: w.account.ID, Name: "followup mailbox", Channel: livedesk.ChannelEmail, Key: "key-followup-box",
		Settings: []byte(`{"address":"help@followup.test"}`)}
	other := &livedesk.ContactPoint{AccountID: w.account.ID, Name: "other mailbox", Channel: livedesk.ChannelEmail, Key: "key-followup-other",
		Settings: []byte(`{"address":"other@followup.test"}`)}
	op := livedesk.Author{Type: livedesk.AuthorOperator, ID: w.op.ID, Name: w.op.Name}
	first := &livedesk.Message{ConversationID: w.conv, Kind: livedesk.KindText, Text: "Ответ 1", Author: op, EmailMessageID: "f1@followup.test"}
	second := &livedesk.Message{ConversationID: w.conv, Kind: livedesk.KindText, Text: "Ответ 2", Author: op, EmailMessageID: "f2@followup.test"}
	var due time.Time
	write(t, st, func(tx livedesk.Tx) error {
		for _, cp := range []*livedesk.ContactPoint{box, other} {
			if err := tx.CreateContactPoint(cp); err != nil {
				return err
			}
		}
		due = tx.Now().Add(3 * time.Minute)
		for _, m := range []*livedesk.Message{first, second} {
			if err := tx.InsertMessage(w.account.ID, m); err != nil {
				return err
			}
			if err := tx.QueueFollowup(w.account.ID, m.ID, box.ID, due); err != nil {
				return err
			}
		}
		return nil
	})
	write(t, st, func(tx livedesk.Tx) error {
		if due, err := tx.ClaimDueEmails(10, time.Minute); err != nil || len(due) != 0 {
			t.Errorf("followups claimed before they are due: %v %v", due, err)
		}
		ids, err := tx.PendingFollowups(w.conv, first.ID)
		if err != nil || !slices.Equal(ids, []livedesk.ID{second.ID}) {
			t.Errorf("PendingFollowups after the first: %v %v", ids, err)
		}
		return nil
	})
	out, err := st.OutgoingMail(ctx, w.account.ID, first.ID)
	if err != nil || !out.Followup || out.MailboxID != box.ID || out.Mailbox != "" && out.Mailbox != "help@followup.test" ||
		out.ChatName != w.cp.Name || out.ToAddress != w.visitor.Email || out.MailID != "f1@followup.test" {
		t.Fatalf("OutgoingMail of a followup: %+v %v", out, err)
	}
	write(t, st, func(tx livedesk.Tx) error {
		// The mailbox's row (its address) is the desk's business: only the contact point matters here.
		c, err := tx.ConversationOfMail(w.account.ID, box.ID, []string{"f2@followup.test"})
		if err != nil || c.ID != w.conv {
			t.Errorf("ConversationOfMail through the followup's mailbox: %v %v", c, err)
		}
		if _, err := tx.ConversationOfMail(w.account.ID, other.ID, []string{"f2@followup.test"}); !livedesk.IsCode(err, livedesk.CodeNotFound) {
			t.Errorf("ConversationOfMail through another mailbox: %v, want not_found", err)
		}
		if err := tx.EmailSkipped(first.ID, "back"); err != nil {
			return err
		}
		if err := tx.TouchVisitors([]livedesk.ID{w.visitor.ID}); err != nil {
			return err
		}
		v, err := tx.Visitor(w.account.ID, w.visitor.ID)
		if err != nil || !v.SeenAt.Equal(tx.Now().Truncate(time.Millisecond)) {
			t.Errorf("the visitor touched: seen %v at %v, %v", v.SeenAt, tx.Now(), err)
		}
		return nil
	})
	m, err := st.MessageByMailID(ctx, w.account.ID, "f1@followup.test")
	if err != nil || m.EmailDelivery == nil || m.EmailDelivery.State != "skipped" || m.EmailDelivery.Error != "back" {
		t.Fatalf("a skipped followup: %+v %v", m, err)
	}
	// A thread without the skipped followup.
	out, err = st.OutgoingMail(ctx, w.account.ID, second.ID)
	if err != nil || slices.Contains(out.Thread, "f1@followup.test") {
		t.Fatalf("the thread of the second followup holds the skipped one: %v %v", out.Thread, err)
	}
}
