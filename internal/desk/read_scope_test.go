package desk_test

import (
	"context"
	"testing"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// TestReadScope: each role reads exactly the conversations the rule allows (issue 13, item
// 10) — an operator their own, those offered to them and the closed ones they held or wrote
// in; staff everything of the account; nobody another account's — and anything else is not
// found, like an id that does not exist. (internal/app's TestReadScopeByRole checks the same
// over HTTP, with histories and files.)
func TestReadScope(t *testing.T) {
	t.Parallel()
	k := testkit.OpenDesk(t)
	ctx := context.Background()
	acct, admin := k.Account()
	other, otherAdmin := k.Account()
	cp := k.ContactPoint(acct.ID, livedesk.ChannelWebchat)
	k.SetStatus(admin, livedesk.StatusPause)
	anna := k.Operator(acct.ID, "Анна", livedesk.RoleOperator, 10, livedesk.StatusAvailable)
	boris := k.Operator(acct.ID, "Борис", livedesk.RoleOperator, 5, livedesk.StatusPause)
	gleb := k.Operator(acct.ID, "Глеб", livedesk.RoleOperator, 5, livedesk.StatusPause)
	sup := k.Operator(acct.ID, "Сева", livedesk.RoleSupervisor, 5, "")
	stranger := k.Operator(other.ID, "Чужой", livedesk.RoleSupervisor, 5, "")
	conv := func() livedesk.ID {
		c := k.Conversation(cp, admin)
		if c.AssigneeID != anna.ID {
			t.Fatalf("%s went to %s, not to Анна", c.ID, c.AssigneeID)
		}
		return c.ID
	}
	mine, offered, closedMine, wroteThenGone, heldThenGone := conv(), conv(), conv(), conv(), conv()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := k.Desk.Close(ctx, acct.ID, anna.ID, closedMine, 0)
	must(err)
	_, err = k.Desk.SendMessage(ctx, acct.ID, anna.ID, wroteThenGone, desk.MessageInput{ClientID: testkit.Unique("m"), Text: "Сейчас передам"})
	must(err)
	for _, c := range []livedesk.ID{wroteThenGone, heldThenGone} {
		tr, err := k.Desk.Offer(ctx, acct.ID, anna.ID, c, gleb.ID, "")
		must(err)
		_, err = k.Desk.Accept(ctx, acct.ID, gleb.ID, tr.ID)
		must(err)
		_, err = k.Desk.Close(ctx, acct.ID, gleb.ID, c, 0)
		must(err)
	}
	_, err = k.Desk.Offer(ctx, acct.ID, anna.ID, offered, boris.ID, "")
	must(err)

	all := []livedesk.ID{mine, offered, closedMine, wroteThenGone, heldThenGone}
	for _, tc := range []struct {
		who   string
		op    *livedesk.Operator
		conv  livedesk.ID
		reads bool
	}{
		{"Анна, her open", anna, mine, true},
		{"Анна, offered away, still hers", anna, offered, true},
		{"Анна, closed by her", anna, closedMine, true},
		{"Анна, closed by Глеб after she wrote and handed it on", anna, wroteThenGone, true},
		{"Анна, closed by Глеб after she held it", anna, heldThenGone, true},
		{"Борис, offered to him", boris, offered, true},
		{"Борис, Анна's open", boris, mine, false},
		{"Борис, Анна's closed", boris, closedMine, false},
		{"Борис, Глеб's closed", boris, heldThenGone, false},
		{"Глеб, Анна's open", gleb, mine, false},
		{"Глеб, closed by him", gleb, wroteThenGone, true},
		{"another account's supervisor", stranger, mine, false},
		{"another account's admin", otherAdmin, closedMine, false},
	} {
		_, err := k.Desk.ReadConversation(ctx, tc.op, tc.conv)
		_, herr := k.Desk.ReadMessages(ctx, tc.op, tc.conv, 0, 50)
		for what, err := range map[string]error{"conversation": err, "history": herr} {
			if tc.reads && err != nil || !tc.reads && !livedesk.IsCode(err, livedesk.CodeNotFound) {
				t.Errorf("%s reads the %s: %v, want read %v (else not_found)", tc.who, what, err, tc.reads)
			}
		}
	}
	for _, staff := range []*livedesk.Operator{sup, admin} {
		for _, c := range all {
			if _, err := k.Desk.ReadConversation(ctx, staff, c); err != nil {
				t.Errorf("%s reads %s: %v", staff.Name, c, err)
			}
		}
	}
	if _, err := k.Desk.ReadConversation(ctx, admin, 999999999); !livedesk.IsCode(err, livedesk.CodeNotFound) {
		t.Errorf("a missing conversation: %v, want not_found", err)
	}
}
