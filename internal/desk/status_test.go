package desk_test

import (
	"context"
	"testing"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// TestStatusRights checks every status × action of DESIGN §2.1 on the desk: who is routed
// to, who may be offered a transfer, and what an operator may do in their own conversation.
// Changing one's own status and reading are always allowed. (internal/app's TestStatusMatrix
// checks the same over HTTP.)
func TestStatusRights(t *testing.T) {
	t.Parallel()
	const offline = livedesk.CodeOperatorOffline
	type want struct {
		routed                                               bool
		offerTo, reply, comment, transferOut, settings, read livedesk.Code
		closeConv, quick                                     livedesk.Code
	}
	cases := []struct {
		status livedesk.Status
		want   want
	}{
		{livedesk.StatusAvailable, want{routed: true}},
		{livedesk.StatusPause, want{}},
		{livedesk.StatusAway, want{offerTo: livedesk.CodeTargetUnavailable}},
		{livedesk.StatusOffline, want{offerTo: livedesk.CodeTargetUnavailable, reply: offline, comment: offline, transferOut: offline,
			settings: offline, read: offline, closeConv: offline, quick: offline}},
	}
	k := testkit.OpenDesk(t)
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(string(tc.status), func(t *testing.T) {
			acct, admin := k.Account()
			cp := k.ContactPoint(acct.ID, livedesk.ChannelWebchat)
			x := k.Operator(acct.ID, "X", livedesk.RoleOperator, 5, livedesk.StatusAvailable)
			c1 := k.Conversation(cp, admin)
			k.SetStatus(x, livedesk.StatusPause)
			y := k.Operator(acct.ID, "Y", livedesk.RoleOperator, 5, livedesk.StatusAvailable)
			c2 := k.Conversation(cp, admin)
			if c1.AssigneeID != x.ID || c2.AssigneeID != y.ID {
				t.Fatalf("conversations went to %s and %s, want X and Y", c1.AssigneeID, c2.AssigneeID)
			}
			k.SetStatus(x, tc.status) // changing one's own status is always allowed
			k.SetStatus(y, livedesk.StatusPause)

			c3 := k.Conversation(cp, admin)
			if routed := c3.AssigneeID == x.ID; routed != tc.want.routed || !routed && c3.State != livedesk.StateQueued {
				t.Errorf("routing: state %s assignee %s, want routed to X %v", c3.State, c3.AssigneeID, tc.want.routed)
			}

			check := func(what string, err error, want livedesk.Code) {
				t.Helper()
				if got := testkit.Code(err); got != want {
					t.Errorf("%s while %s: %q (%v), want %q", what, tc.status, got, err, want)
				}
			}
			tr, err := k.Desk.Offer(ctx, acct.ID, y.ID, c2.ID, x.ID, "")
			check("being offered a transfer", err, tc.want.offerTo)
			if err == nil {
				_, err := k.Desk.Accept(ctx, acct.ID, x.ID, tr.ID)
				check("accepting it", err, "")
			}
			_, err = k.Desk.SendMessage(ctx, acct.ID, x.ID, c1.ID, desk.MessageInput{ClientID: testkit.Unique("m"), Text: "hi"})
			check("reply", err, tc.want.reply)
			_, err = k.Desk.AddComment(ctx, acct.ID, x.ID, c1.ID, testkit.Unique("c"), "note")
			check("comment", err, tc.want.comment)
			_, err = k.Desk.UpdateSettings(ctx, acct.ID, x.ID, livedesk.OperatorSettings{Language: "en"})
			check("settings", err, tc.want.settings)
			check("mark read", k.Desk.MarkRead(ctx, acct.ID, x.ID, c1.ID), tc.want.read)
			text := "Шаблон"
			_, err = k.Desk.SaveQuickMessage(ctx, acct.ID, x.ID, 0, desk.QuickInput{Text: &text})
			check("personal quick message", err, tc.want.quick)
			out, err := k.Desk.Offer(ctx, acct.ID, x.ID, c1.ID, y.ID, "")
			check("transfer out", err, tc.want.transferOut)
			if err == nil {
				_, err := k.Desk.Cancel(ctx, acct.ID, x.ID, out.ID)
				check("cancel the transfer", err, "")
			}
			_, err = k.Desk.Close(ctx, acct.ID, x.ID, c1.ID, 0)
			check("close", err, tc.want.closeConv)
			_, err = k.Desk.ListConversations(ctx, x, desk.ListQuery{})
			check("list", err, "")
			_, err = k.Desk.ReadConversation(ctx, x, c1.ID)
			check("read own conversation", err, "")
		})
	}
}
