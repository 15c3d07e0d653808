package desk_test

import (
	"context"
	"sync"
	"testing"

	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// TestAssignQueuedRules (internal/app's TestAssignQueued and TestAssignQueuedRules over
// HTTP): staff give a queued conversation to themselves or to an operator
// within the receiver's status and limit (their own limit when they take it); operators and
// offline staff may not; another account's conversation or operator is not found; of many
// conversations given at once to one operator only their limit's worth succeed.
func TestAssignQueuedRules(t *testing.T) {
	t.Parallel()
	k := testkit.OpenDesk(t)
	ctx := context.Background()
	acct, admin := k.Account()
	other, otherAdmin := k.Account()
	k.SetStatus(otherAdmin, livedesk.StatusPause)
	cp := k.ContactPoint(acct.ID, livedesk.ChannelWebchat)
	k.SetStatus(admin, livedesk.StatusPause)
	sup := k.Operator(acct.ID, "Сева", livedesk.RoleSupervisor, 1, livedesk.StatusPause)
	op := k.Operator(acct.ID, "Оля", livedesk.RoleOperator, 3, livedesk.StatusPause)
	away := k.Operator(acct.ID, "Гена", livedesk.RoleOperator, 3, livedesk.StatusAway)
	off := k.Operator(acct.ID, "Олег", livedesk.RoleOperator, 3, "")
	stranger := k.Operator(other.ID, "Чужой", livedesk.RoleOperator, 3, livedesk.StatusPause)
	var queued []livedesk.ID
	for range 8 {
		c := k.Conversation(cp, admin)
		if c.State != livedesk.StateQueued {
			t.Fatalf("conversation %s is %s, want queued", c.ID, c.State)
		}
		queued = append(queued, c.ID)
	}

	for _, tc := range []struct {
		name          string
		account       livedesk.ID
		by            *livedesk.Operator
		conv, to      livedesk.ID
		want          livedesk.Code
		wantAssignee  livedesk.ID
		statusAfterBy livedesk.Status
	}{
		{name: "an operator assigns", by: op, conv: queued[0], to: op.ID, want: livedesk.CodeForbidden},
		{name: "to an away operator", by: sup, conv: queued[0], to: away.ID, want: livedesk.CodeTargetUnavailable},
		{name: "to an offline operator", by: sup, conv: queued[0], to: off.ID, want: livedesk.CodeTargetUnavailable},
		{name: "to another account's operator", by: sup, conv: queued[0], to: stranger.ID, want: livedesk.CodeNotFound},
		{name: "another account's conversation", account: other.ID, by: otherAdmin, conv: queued[0], want: livedesk.CodeNotFound},
		{name: "the supervisor takes one", by: sup, conv: queued[0], wantAssignee: sup.ID},
		{name: "a conversation no longer queued", by: sup, conv: queued[0], to: op.ID, want: livedesk.CodeConflict},
		{name: "the supervisor over their own limit", by: sup, conv: queued[1], want: livedesk.CodeLimitReached, statusAfterBy: livedesk.StatusAway},
		{name: "an away supervisor assigns to others", by: sup, conv: queued[1], to: op.ID, wantAssignee: op.ID, statusAfterBy: livedesk.StatusOffline},
		{name: "an offline supervisor", by: sup, conv: queued[2], to: op.ID, want: livedesk.CodeOperatorOffline, statusAfterBy: livedesk.StatusPause},
	} {
		account := tc.account
		if account == 0 {
			account = acct.ID
		}
		to := tc.to
		if to == 0 {
			to = tc.by.ID // staff take it themselves
		}
		c, err := k.Desk.AssignQueued(ctx, account, tc.by.ID, tc.conv, to)
		if testkit.Code(err) != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		} else if err == nil && (c.AssigneeID != tc.wantAssignee || c.State != livedesk.StateAssigned) {
			t.Errorf("%s: %s to %s, want assigned to %s", tc.name, c.State, c.AssigneeID, tc.wantAssignee)
		}
		if tc.statusAfterBy != "" {
			k.SetStatus(tc.by, tc.statusAfterBy)
		}
	}

	// Five at once to Оля, who holds one of 3: two succeed, three are limit_reached.
	var wg sync.WaitGroup
	codes := make([]livedesk.Code, 5)
	for i := range 5 {
		wg.Go(func() {
			_, err := k.Desk.AssignQueued(ctx, acct.ID, sup.ID, queued[3+i], op.ID)
			codes[i] = testkit.Code(err)
		})
	}
	wg.Wait()
	ok, full := 0, 0
	for _, c := range codes {
		switch c {
		case "":
			ok++
		case livedesk.CodeLimitReached:
			full++
		}
	}
	if ok != 2 || full != 3 {
		t.Fatalf("five assignments to the last two places of a limit of 3: %v", codes)
	}
	if n := k.Reload(op).OpenCount; n != 3 {
		t.Fatalf("Оля's open count %d, want 3", n)
	}
}
