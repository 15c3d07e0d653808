package testkit

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/store/sqlstore"
)

// Desk is a desk on a real SQLite store in the test's temporary directory, with no server:
// for tests of the desk's rules, and of what is built on the desk directly (the hub).
// Operators it creates have the password "password1".
type Desk struct {
	T     testing.TB
	Desk  *desk.Desk
	Store *sqlstore.Store
	// Log is the logger of the desk (discarding).
	Log *slog.Logger
}

// OpenDesk opens a store and a desk on it; the store closes at the test's cleanup.
func OpenDesk(t testing.TB) *Desk {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.OpenSQLite(sqlstore.SQLiteOptions{Path: filepath.Join(t.TempDir(), "x.db"), Synchronous: "NORMAL", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := desk.New(st, log)
	d.Configure(desk.Options{BcryptCost: 4})
	return &Desk{T: t, Desk: d, Store: st, Log: log}
}

// Code is the error code of err, "" for nil.
func Code(err error) livedesk.Code {
	if err == nil {
		return ""
	}
	return livedesk.ErrorCode(err)
}

// Account creates an account and returns it with its admin.
func (d *Desk) Account() (*livedesk.Account, *livedesk.Operator) {
	d.T.Helper()
	email := Unique("admin") + "@example.test"
	a, admin, err := d.Desk.CreateAccount(context.Background(), "Test "+email, desk.NewOperator{Name: "Admin", Email: email, Password: "password1"}, 4)
	if err != nil {
		d.T.Fatal(err)
	}
	return a, admin
}

// Operator creates an operator of the account with a role and limit and sets their status
// ("" leaves them offline).
func (d *Desk) Operator(account livedesk.ID, name string, role livedesk.Role, limit int, status livedesk.Status) *livedesk.Operator {
	d.T.Helper()
	ctx := context.Background()
	op, err := d.Desk.CreateOperator(ctx, account, desk.NewOperator{Name: name, Email: Unique("op") + "@example.test", Password: "password1",
		Role: role, Limit: limit}, 4)
	if err != nil {
		d.T.Fatal(err)
	}
	if status != "" {
		d.SetStatus(op, status)
	}
	return op
}

// SetStatus changes the operator's status or fails, and keeps op's copy current.
func (d *Desk) SetStatus(op *livedesk.Operator, status livedesk.Status) {
	d.T.Helper()
	got, err := d.Desk.SetStatus(context.Background(), op.AccountID, op.ID, status)
	if err != nil {
		d.T.Fatalf("status %s of %s: %v", status, op.Name, err)
	}
	*op = *got
}

// ContactPoint creates a contact point of the channel.
func (d *Desk) ContactPoint(account livedesk.ID, channel livedesk.Channel) *livedesk.ContactPoint {
	d.T.Helper()
	cp, err := d.Desk.CreateContactPoint(context.Background(), account, desk.NewContactPoint{Name: "Site " + string(channel), Channel: channel})
	if err != nil {
		d.T.Fatal(err)
	}
	return cp
}

// Visitor starts a new visitor at the contact point.
func (d *Desk) Visitor(cp *livedesk.ContactPoint) *livedesk.Visitor {
	d.T.Helper()
	v, err := d.Desk.VisitorSession(context.Background(), cp, 0, desk.VisitorProfile{})
	if err != nil {
		d.T.Fatal(err)
	}
	return v
}

// Say sends a visitor message (opening a conversation if the visitor has none open).
func (d *Desk) Say(cp *livedesk.ContactPoint, visitor livedesk.ID, text string) *livedesk.Message {
	d.T.Helper()
	m, err := d.Desk.VisitorMessage(context.Background(), cp, visitor, desk.MessageInput{ClientID: Unique("v"), Text: text})
	if err != nil {
		d.T.Fatal(err)
	}
	return m
}

// Conversation has a new visitor at cp open a conversation and returns it as the staff
// member staff reads it.
func (d *Desk) Conversation(cp *livedesk.ContactPoint, staff *livedesk.Operator) *livedesk.Conversation {
	d.T.Helper()
	m := d.Say(cp, d.Visitor(cp).ID, "Здравствуйте")
	return d.Read(staff, m.ConversationID)
}

// Read reads a conversation as op or fails.
func (d *Desk) Read(op *livedesk.Operator, conv livedesk.ID) *livedesk.Conversation {
	d.T.Helper()
	c, err := d.Desk.ReadConversation(context.Background(), op, conv)
	if err != nil {
		d.T.Fatalf("read conversation %s as %s: %v", conv, op.Name, err)
	}
	return c
}

// Reload reads the operator as stored now (status, role, open count, deactivation).
func (d *Desk) Reload(op *livedesk.Operator) *livedesk.Operator {
	d.T.Helper()
	ops, err := d.Desk.Operators(context.Background(), op.AccountID)
	if err != nil {
		d.T.Fatal(err)
	}
	for _, o := range ops {
		if o.ID == op.ID {
			return o
		}
	}
	d.T.Fatalf("operator %s is gone", op.ID)
	return nil
}
