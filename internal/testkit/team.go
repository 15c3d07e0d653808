package testkit

import "testing"

// Team is an account with a webchat contact point (Key), a sender (Анна, available: every
// new conversation goes to her) and a receiver (Борис, on pause: offered transfers, never
// routed to), both operators with a limit of 5.
type Team struct {
	Env      *Env
	Account  *Account
	Key      string
	Sender   *Client
	Receiver *Client
}

// StartTeam runs livedesk with a Team.
func StartTeam(t testing.TB) *Team {
	t.Helper()
	env := Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	return &Team{Env: env, Account: a, Key: key,
		Sender:   a.Operator("Анна", "operator", 5, "available"),
		Receiver: a.Operator("Борис", "operator", 5, "pause")}
}

// Conversation has a new visitor open a webchat conversation at the team's contact point and
// checks that it was assigned to want.
func (tm *Team) Conversation(visitor string, want *Client) (conv string, v *Client) {
	t := tm.Env.T
	t.Helper()
	v = tm.Env.Visitor(tm.Key, visitor)
	conv = v.Say("Здравствуйте, это " + visitor).ConversationID
	if got := tm.Account.Admin.Conversation(conv); got.AssigneeID != want.ID || got.State != "assigned" {
		t.Fatalf("conversation %s: state %s assignee %s, want assigned to %s", conv, got.State, got.AssigneeID, want.ID)
	}
	return conv, v
}

// TeamChat is a Team whose account has a conversation category (so closing needs one) and
// whose sender holds the conversation Conv of the visitor Вера.
type TeamChat struct {
	*Team
	CategoryID string
	Visitor    *Client
	Conv       string
}

// StartTeamChat runs livedesk with a TeamChat.
func StartTeamChat(t testing.TB) *TeamChat {
	t.Helper()
	tm := StartTeam(t)
	c := &TeamChat{Team: tm, CategoryID: tm.Account.Category("Оплата")}
	c.Visitor = tm.Env.Visitor(tm.Key, "Вера")
	c.Conv = c.Visitor.Say("Здравствуйте").ConversationID
	if got := tm.Account.Admin.Conversation(c.Conv); got.AssigneeID != tm.Sender.ID {
		t.Fatalf("conversation went to %s", got.AssigneeID)
	}
	return c
}

// Snapshot reads everything of the TeamChat's account a write endpoint could change: the
// conversation and its history, the lists, the admin's settings and records, and what the
// visitor reads. Two equal snapshots mean nothing visible changed in between.
func (c *TeamChat) Snapshot() string {
	c.Env.T.Helper()
	adm := c.Account.Admin
	return Snapshot(c.Env.T,
		Read{C: adm, Path: "/api/v1/conversations/" + c.Conv},
		Read{C: adm, Path: "/api/v1/conversations/" + c.Conv + "/messages?limit=200"},
		Read{C: adm, Path: "/api/v1/conversations?state=open"},
		Read{C: adm, Path: "/api/v1/conversations?state=closed"},
		Read{C: adm, Path: "/api/v1/admin/operators"},
		Read{C: adm, Path: "/api/v1/admin/contact-points"},
		Read{C: adm, Path: "/api/v1/admin/conversation-categories"},
		Read{C: adm, Path: "/api/v1/admin/settings"},
		Read{C: c.Visitor, Path: "/api/v1/widget/messages?limit=200"})
}
