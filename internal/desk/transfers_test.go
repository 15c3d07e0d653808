package desk_test

import (
	"context"
	"testing"

	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// TestTransferRules: who may be offered a conversation (online, below the limit, not
// oneself, of the account), who may offer it (its assignee), and who may answer an offer
// (the receiver accepts or declines, the sender or staff cancel), on the desk. (internal/app's
// transfer tests check the same over HTTP, with the events.)
func TestTransferRules(t *testing.T) {
	t.Parallel()
	k := testkit.OpenDesk(t)
	ctx := context.Background()
	acct, admin := k.Account()
	other, _ := k.Account()
	stranger := k.Operator(other.ID, "Чужой", livedesk.RoleOperator, 5, livedesk.StatusPause)
	cp := k.ContactPoint(acct.ID, livedesk.ChannelWebchat)
	mailCP := k.ContactPoint(acct.ID, livedesk.ChannelEmail)
	k.SetStatus(admin, livedesk.StatusPause)
	// Нина (limit 1) takes one conversation first, then everyone else stays out of routing
	// except Анна, who holds the rest.
	full := k.Operator(acct.ID, "Нина", livedesk.RoleOperator, 1, livedesk.StatusAvailable)
	k.Conversation(cp, admin)
	k.SetStatus(full, livedesk.StatusPause)
	anna := k.Operator(acct.ID, "Анна", livedesk.RoleOperator, 5, livedesk.StatusAvailable)
	boris := k.Operator(acct.ID, "Борис", livedesk.RoleOperator, 5, livedesk.StatusPause)
	away := k.Operator(acct.ID, "Лев", livedesk.RoleOperator, 5, livedesk.StatusAway)
	offline := k.Operator(acct.ID, "Мира", livedesk.RoleOperator, 5, "")
	sup := k.Operator(acct.ID, "Вадим", livedesk.RoleSupervisor, 5, livedesk.StatusPause)
	conv := k.Conversation(cp, admin)
	if conv.AssigneeID != anna.ID {
		t.Fatalf("conversation went to %s, want Анна", conv.AssigneeID)
	}
	mailM := k.Say(mailCP, k.Visitor(mailCP).ID, "Письмо")

	for _, tc := range []struct {
		name     string
		by       *livedesk.Operator
		conv, to livedesk.ID
		want     livedesk.Code
	}{
		{"to an away operator", anna, conv.ID, away.ID, livedesk.CodeTargetUnavailable},
		{"to an offline operator", anna, conv.ID, offline.ID, livedesk.CodeTargetUnavailable},
		{"to an operator at the limit", anna, conv.ID, full.ID, livedesk.CodeLimitReached},
		{"to oneself", anna, conv.ID, anna.ID, livedesk.CodeInvalidInput},
		{"to nobody", anna, conv.ID, 987654321, livedesk.CodeNotFound},
		{"to another account's operator", anna, conv.ID, stranger.ID, livedesk.CodeNotFound},
		{"by a colleague who is not the assignee", boris, conv.ID, boris.ID, livedesk.CodeForbidden},
		{"email to an operator at the limit", anna, mailM.ConversationID, full.ID, livedesk.CodeLimitReached},
	} {
		if _, err := k.Desk.Offer(ctx, acct.ID, tc.by.ID, tc.conv, tc.to, ""); testkit.Code(err) != tc.want {
			t.Errorf("offer %s: %v, want %s", tc.name, err, tc.want)
		}
	}
	if c := k.Read(admin, conv.ID); c.AssigneeID != anna.ID || c.PendingTransfer != nil {
		t.Fatalf("refused offers left: assignee %s pending %+v", c.AssigneeID, c.PendingTransfer)
	}
	// An email conversation moves at once, even to an operator who is away.
	if tr, err := k.Desk.Offer(ctx, acct.ID, anna.ID, mailM.ConversationID, away.ID, ""); err != nil || tr.State != livedesk.TransferAccepted {
		t.Fatalf("email offer to an away operator: %+v %v", tr, err)
	}

	tr, err := k.Desk.Offer(ctx, acct.ID, anna.ID, conv.ID, boris.ID, "")
	if err != nil || tr.State != livedesk.TransferPending {
		t.Fatalf("offer to Борис: %+v %v", tr, err)
	}
	if _, err := k.Desk.Offer(ctx, acct.ID, anna.ID, conv.ID, sup.ID, ""); !livedesk.IsCode(err, livedesk.CodeConflict) {
		t.Errorf("a second offer of the conversation: %v, want conflict", err)
	}
	type action func(ctx context.Context, account, opID, id livedesk.ID) (*livedesk.Transfer, error)
	for _, tc := range []struct {
		name string
		do   action
		by   *livedesk.Operator
		want livedesk.Code
	}{
		{"the sender accepts", k.Desk.Accept, anna, livedesk.CodeForbidden},
		{"the sender declines", k.Desk.Decline, anna, livedesk.CodeForbidden},
		{"a supervisor accepts", k.Desk.Accept, sup, livedesk.CodeForbidden},
		{"the admin declines", k.Desk.Decline, admin, livedesk.CodeForbidden},
		{"the receiver cancels", k.Desk.Cancel, boris, livedesk.CodeForbidden},
		{"a colleague cancels", k.Desk.Cancel, full, livedesk.CodeForbidden},
		{"another account's operator accepts", k.Desk.Accept, stranger, livedesk.CodeNotFound},
	} {
		account := acct.ID
		if tc.by == stranger {
			account = other.ID
		}
		if _, err := tc.do(ctx, account, tc.by.ID, tr.ID); testkit.Code(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	// A supervisor may withdraw someone else's offer; then nothing more can be done with it.
	if got, err := k.Desk.Cancel(ctx, acct.ID, sup.ID, tr.ID); err != nil || got.State != livedesk.TransferCancelled {
		t.Fatalf("a supervisor cancels: %+v %v", got, err)
	}
	for name, do := range map[string]action{"accept": k.Desk.Accept, "decline": k.Desk.Decline} {
		if _, err := do(ctx, acct.ID, boris.ID, tr.ID); !livedesk.IsCode(err, livedesk.CodeTransferNotPending) {
			t.Errorf("%s a cancelled offer: %v, want transfer_not_pending", name, err)
		}
	}
	// The receiver accepts a new offer; a closed conversation cannot be offered.
	tr, err = k.Desk.Offer(ctx, acct.ID, anna.ID, conv.ID, boris.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k.Desk.Accept(ctx, acct.ID, boris.ID, tr.ID); err != nil || got.State != livedesk.TransferAccepted {
		t.Fatalf("the receiver accepts: %+v %v", got, err)
	}
	if c := k.Read(admin, conv.ID); c.AssigneeID != boris.ID {
		t.Fatalf("after the accept the conversation is %s's", c.AssigneeID)
	}
	if _, err := k.Desk.Close(ctx, acct.ID, boris.ID, conv.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Desk.Offer(ctx, acct.ID, boris.ID, conv.ID, anna.ID, ""); !livedesk.IsCode(err, livedesk.CodeConversationClosed) {
		t.Errorf("offer a closed conversation: %v, want conversation_closed", err)
	}
}
