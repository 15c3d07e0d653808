// Package storetest is the conformance suite of livedesk's data layer: what every
// implementation of livedesk.Store must do, whatever the database under it. An
// implementation's test calls Run with a function that opens a fresh, migrated, empty store.
//
// It checks the contract the conversation service relies on: every read is scoped by
// account; the routing invariant (an operator's open conversations never exceed their limit)
// holds under concurrent writers; the event log of an account is read in commit order, so a
// client resuming from any cursor gets the rest exactly once; a client_id is used once per
// author; a failed write leaves nothing behind; and opening an existing database again
// migrates nothing twice. A mail's full text is kept beside its new text, and a reply is found
// by its mail Message-ID with its outbox state (how a bounce is placed). A contact point's
// sealed mail passwords and its IMAP place are kept apart from each other and from other
// accounts.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"livedesk/internal/livedesk"
)

// Opener opens a fresh, empty store for one test (closed by the test's cleanup); reopen, when
// not nil, opens the same database a second time after the first was closed.
type Opener func(t *testing.T) (st livedesk.Store, reopen func() livedesk.Store)

// Run runs the whole suite against stores made by open.
func Run(t *testing.T, open Opener) {
	t.Run("AccountScoping", func(t *testing.T) { testAccountScoping(t, open) })
	t.Run("RoutingInvariantUnderConcurrency", func(t *testing.T) { testRoutingInvariant(t, open) })
	t.Run("EventOrderAndResume", func(t *testing.T) { testEventOrder(t, open) })
	t.Run("ClientIDOncePerAuthor", func(t *testing.T) { testClientID(t, open) })
	t.Run("FailedWriteLeavesNothing", func(t *testing.T) { testRollback(t, open) })
	t.Run("FailuresAmongConcurrentWrites", func(t *testing.T) { testFailuresInBatch(t, open) })
	t.Run("OutboxAndConfirmationsClaimedOnce", func(t *testing.T) { testOutboxClaims(t, open) })
	t.Run("ReopenMigratesNothingTwice", func(t *testing.T) { testReopen(t, open) })
	t.Run("MailFullTextAndOutboxByMailID", func(t *testing.T) { testMailFullText(t, open) })
	t.Run("MailServerPasswordsAndIMAPPlace", func(t *testing.T) { testMailServer(t, open) })
	t.Run("FollowupsOfWidgetConversations", func(t *testing.T) { testFollowups(t, open) })
	t.Run("Search", func(t *testing.T) { runSearch(t, open) })
}

// world is one account with an operator, a webchat contact point, a visitor and their
// conversation assigned to the operator, with one visitor message.
type world struct {
	account  *livedesk.Account
	op       *livedesk.Operator
	cp       *livedesk.ContactPoint
	visitor  *livedesk.Visitor
	conv     livedesk.ID
	message  *livedesk.Message
	category livedesk.Category
}

func write(t *testing.T, st livedesk.Store, fn func(tx livedesk.Tx) error) {
	t.Helper()
	if err := st.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func newWorld(t *testing.T, st livedesk.Store, name string, limit int) *world {
	t.Helper()
	w := &world{}
	write(t, st, func(tx livedesk.Tx) error {
		var err error
		if w.account, err = tx.CreateAccount(name, livedesk.Settings{}); err != nil {
			return err
		}
		w.op = &livedesk.Operator{AccountID: w.account.ID, Name: name + " operator", Email: fmt.Sprintf("op-%s@example.test", name),
			PasswordHash: "x", Role: livedesk.RoleOperator, Limit: limit, Status: livedesk.StatusAvailable}
		if err := tx.CreateOperator(w.op); err != nil {
			return err
		}
		w.cp = &livedesk.ContactPoint{AccountID: w.account.ID, Name: name + " site", Channel: livedesk.ChannelWebchat, Key: "key-" + name}
		if err := tx.CreateContactPoint(w.cp); err != nil {
			return err
		}
		w.visitor = &livedesk.Visitor{AccountID: w.account.ID, ContactPointID: w.cp.ID, Name: name + " visitor", Email: "v-" + name + "@example.test"}
		if err := tx.CreateVisitor(w.visitor); err != nil {
			return err
		}
		if w.conv, err = tx.CreateConversation(w.account.ID, w.cp, w.visitor.ID); err != nil {
			return err
		}
		if ok, err := tx.ReserveCapacity(w.op.ID, true); err != nil || !ok {
			return fmt.Errorf("reserve capacity: %v %v", ok, err)
		}
		if err := tx.AssignConversation(w.conv, w.op.ID); err != nil {
			return err
		}
		w.message = &livedesk.Message{ConversationID: w.conv, ClientID: "c1", Kind: livedesk.KindText, Text: "hello from " + name,
			Author: livedesk.Author{Type: livedesk.AuthorVisitor, ID: w.visitor.ID, Name: w.visitor.Name}}
		if err := tx.InsertMessage(w.account.ID, w.message); err != nil {
			return err
		}
		w.category = livedesk.Category{Name: name + " category"}
		if err := tx.CreateCategory(w.account.ID, &w.category); err != nil {
			return err
		}
		return tx.Emit(&livedesk.Event{AccountID: w.account.ID, Type: "test", AllOperators: true, VisitorID: w.visitor.ID,
			Payload: []byte(`{}`), VisitorPayload: []byte(`{}`)})
	})
	return w
}

// notFound fails unless err is the not_found error every scoped read answers for another
// account's object.
func notFound(t *testing.T, what string, err error) {
	t.Helper()
	if !livedesk.IsCode(err, livedesk.CodeNotFound) {
		t.Errorf("%s of another account: %v, want not_found", what, err)
	}
}

func testAccountScoping(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := context.Background()
	a, b := newWorld(t, st, "alpha", 5), newWorld(t, st, "beta", 5)

	// Each read with its own account finds its object...
	if _, err := st.Conversation(ctx, a.account.ID, a.conv); err != nil {
		t.Fatalf("own conversation: %v", err)
	}
	// ...and with the other account's id answers not found or nothing.
	_, err := st.Conversation(ctx, b.account.ID, a.conv)
	notFound(t, "Conversation", err)
	_, err = st.Operator(ctx, b.account.ID, a.op.ID)
	notFound(t, "Operator", err)
	_, err = st.ContactPoint(ctx, b.account.ID, a.cp.ID)
	notFound(t, "ContactPoint", err)
	_, err = st.Visitor(ctx, b.account.ID, a.visitor.ID)
	notFound(t, "Visitor", err)
	_, err = st.OpenConversationOf(ctx, b.account.ID, a.visitor.ID, a.cp.ID)
	notFound(t, "OpenConversationOf", err)
	_, err = st.MessageByMailID(ctx, b.account.ID, "no-such-mail")
	notFound(t, "MessageByMailID", err)
	if ms, err := st.VisitorMessages(ctx, b.account.ID, a.visitor.ID, 0, 10); err != nil || len(ms) != 0 {
		t.Errorf("VisitorMessages of another account: %d messages, %v", len(ms), err)
	}
	if ms, err := st.VisitorMessages(ctx, a.account.ID, a.visitor.ID, 0, 10); err != nil || len(ms) != 1 {
		t.Errorf("own VisitorMessages: %d messages, %v", len(ms), err)
	}
	if ok, err := st.OperatorTookPart(ctx, b.account.ID, a.conv, a.op.ID); err != nil || ok {
		t.Errorf("OperatorTookPart across accounts: %v %v", ok, err)
	}
	for _, w := range []*world{a, b} {
		other := a
		if w == a {
			other = b
		}
		ops, err := st.Operators(ctx, w.account.ID)
		if err != nil || len(ops) != 1 || ops[0].ID != w.op.ID {
			t.Errorf("Operators(%s): %v %v", w.account.Name, ops, err)
		}
		cps, err := st.ContactPoints(ctx, w.account.ID)
		if err != nil || len(cps) != 1 || cps[0].ID != w.cp.ID {
			t.Errorf("ContactPoints(%s): %v %v", w.account.Name, cps, err)
		}
		cats, err := st.Categories(ctx, w.account.ID)
		if err != nil || len(cats) != 1 || cats[0].ID != w.category.ID {
			t.Errorf("Categories(%s): %v %v", w.account.Name, cats, err)
		}
		convs, err := st.Conversations(ctx, livedesk.ListFilter{Account: w.account.ID, State: livedesk.StateAssigned, Limit: 10})
		if err != nil || len(convs) != 1 || convs[0].ID != w.conv {
			t.Errorf("Conversations(%s): %v %v", w.account.Name, convs, err)
		}
		evs, err := st.OperatorEvents(ctx, w.account.ID, w.op.ID, true, 0, 100)
		if err != nil || len(evs) != 1 || evs[0].AccountID != w.account.ID {
			t.Errorf("OperatorEvents(%s): %d events, %v", w.account.Name, len(evs), err)
		}
		if evs, err := st.VisitorEvents(ctx, other.account.ID, w.visitor.ID, 0, 100); err != nil || len(evs) != 0 {
			t.Errorf("VisitorEvents of %s's visitor read as %s: %d events, %v", w.account.Name, other.account.Name, len(evs), err)
		}
		lo, hi, err := st.EventBounds(ctx, w.account.ID)
		if err != nil || lo == 0 || lo != hi {
			t.Errorf("EventBounds(%s) = %d..%d, %v; want its one event", w.account.Name, lo, hi, err)
		}
	}
	// Writes through a transaction are scoped the same way.
	err = st.Write(ctx, func(tx livedesk.Tx) error {
		_, err := tx.Conversation(b.account.ID, a.conv)
		return err
	})
	notFound(t, "Tx.Conversation", err)
	err = st.Write(ctx, func(tx livedesk.Tx) error {
		_, err := tx.MessageByID(b.account.ID, a.message.ID)
		return err
	})
	notFound(t, "Tx.MessageByID", err)
}

func testRoutingInvariant(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := context.Background()
	const limit, writers = 3, 40
	w := newWorld(t, st, "routing", limit) // holds one conversation already
	var mu sync.Mutex
	won := 1
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := st.Write(ctx, func(tx livedesk.Tx) error {
				ok, err := tx.ReserveCapacity(w.op.ID, true)
				if err != nil || !ok {
					return err
				}
				v := &livedesk.Visitor{AccountID: w.account.ID, ContactPointID: w.cp.ID, Name: fmt.Sprint("v", i)}
				if err := tx.CreateVisitor(v); err != nil {
					return err
				}
				id, err := tx.CreateConversation(w.account.ID, w.cp, v.ID)
				if err != nil {
					return err
				}
				if err := tx.AssignConversation(id, w.op.ID); err != nil {
					return err
				}
				mu.Lock()
				won++
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	op, err := st.Operator(ctx, w.account.ID, w.op.ID)
	if err != nil {
		t.Fatal(err)
	}
	convs, err := st.Conversations(ctx, livedesk.ListFilter{Account: w.account.ID, State: livedesk.StateAssigned, Assignee: w.op.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if won != limit || op.OpenCount != limit || len(convs) != limit {
		t.Fatalf("limit %d: %d reservations won, open_count %d, %d assigned conversations", limit, won, op.OpenCount, len(convs))
	}
	// An operator who is not available gets nothing when availability is required.
	write(t, st, func(tx livedesk.Tx) error {
		if err := tx.ReleaseCapacity(w.op.ID); err != nil {
			return err
		}
		return tx.SetOperatorStatus(w.op.ID, livedesk.StatusPause)
	})
	write(t, st, func(tx livedesk.Tx) error {
		if ok, err := tx.ReserveCapacity(w.op.ID, true); err != nil || ok {
			return fmt.Errorf("a paused operator's capacity was reserved for routing: %v %v", ok, err)
		}
		return nil
	})
}

func testEventOrder(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := context.Background()
	w := newWorld(t, st, "events", 5)
	other := newWorld(t, st, "others", 5)
	_, start, err := st.EventBounds(ctx, w.account.ID)
	if err != nil {
		t.Fatal(err)
	}

	// The publisher sees every committed event once, in commit order.
	var pubMu sync.Mutex
	var published []livedesk.ID
	st.SetPublisher(func(evs []*livedesk.Event) {
		pubMu.Lock()
		defer pubMu.Unlock()
		for _, e := range evs {
			if e.AccountID == w.account.ID {
				published = append(published, e.ID)
			}
		}
	})

	const writers, each = 8, 25
	stop := make(chan struct{})
	readerDone := make(chan error, 1)
	// A reader that follows the log while it is written never sees an id after it has seen
	// a greater one: what it read is final, so resuming from its cursor loses nothing.
	go func() {
		cursor, seen := start, map[livedesk.ID]bool{}
		for {
			// Whether the writers had finished is known before the read, so an empty read
			// after they finished means the follower has everything.
			finished := false
			select {
			case <-stop:
				finished = true
			default:
			}
			evs, err := st.OperatorEvents(ctx, w.account.ID, w.op.ID, false, cursor, 1000)
			if err != nil {
				readerDone <- err
				return
			}
			for _, e := range evs {
				if e.ID <= cursor || seen[e.ID] {
					readerDone <- fmt.Errorf("event %d read after cursor %d", e.ID, cursor)
					return
				}
				seen[e.ID] = true
				cursor = e.ID
			}
			if !finished || len(evs) > 0 {
				continue
			}
			if len(seen) == writers*each {
				readerDone <- nil
				return
			}
			// Events the follower skipped: committed below a cursor it had passed.
			again, _ := st.OperatorEvents(ctx, w.account.ID, w.op.ID, false, start, 10000)
			var missed []livedesk.ID
			for _, e := range again {
				if !seen[e.ID] {
					missed = append(missed, e.ID)
				}
			}
			readerDone <- fmt.Errorf("the follower saw %d events, want %d; it skipped %v", len(seen), writers*each, missed)
			return
		}
	}()
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := st.Write(ctx, func(tx livedesk.Tx) error {
					for _, acct := range []livedesk.ID{w.account.ID, other.account.ID} {
						if err := tx.Emit(&livedesk.Event{AccountID: acct, Type: "test", AllOperators: true,
							Payload: fmt.Appendf(nil, `{"g":%d,"i":%d}`, g, i)}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	if err := <-readerDone; err != nil {
		t.Fatal(err)
	}
	st.SetPublisher(nil)

	// Resuming from every cursor gives exactly the rest, in order, for this account only.
	all, err := st.OperatorEvents(ctx, w.account.ID, w.op.ID, false, start, 10000)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != writers*each {
		t.Fatalf("%d events after the start, want %d", len(all), writers*each)
	}
	for i, e := range all {
		if e.AccountID != w.account.ID || (i > 0 && e.ID <= all[i-1].ID) {
			t.Fatalf("event %d: id %d account %d after id %d", i, e.ID, e.AccountID, all[max(i-1, 0)].ID)
		}
	}
	// The account's whole stream (what a node fills its gaps with) is the same.
	stream, err := st.AccountEvents(ctx, w.account.ID, start, 10000)
	if err != nil || len(stream) != len(all) {
		t.Fatalf("AccountEvents: %d events, %v; want %d", len(stream), err, len(all))
	}
	for i := range all {
		if stream[i].ID != all[i].ID {
			t.Fatalf("AccountEvents #%d is %d, want %d", i, stream[i].ID, all[i].ID)
		}
	}
	for _, from := range []int{0, 1, writers*each/2 - 1, writers*each - 2} {
		rest, err := st.OperatorEvents(ctx, w.account.ID, w.op.ID, false, all[from].ID, 10000)
		if err != nil {
			t.Fatal(err)
		}
		if len(rest) != len(all)-from-1 || (len(rest) > 0 && rest[0].ID != all[from+1].ID) {
			t.Fatalf("resume after %d: %d events, want %d", all[from].ID, len(rest), len(all)-from-1)
		}
	}
	pubMu.Lock()
	defer pubMu.Unlock()
	if len(published) != len(all) {
		t.Fatalf("published %d events, stored %d", len(published), len(all))
	}
	for i := range all {
		if published[i] != all[i].ID {
			t.Fatalf("published #%d is %d, the log has %d: not commit order", i, published[i], all[i].ID)
		}
	}
	lo, hi, err := st.EventBounds(ctx, w.account.ID)
	if err != nil || lo > start || hi != all[len(all)-1].ID {
		t.Fatalf("bounds %d..%d (%v), want ≤%d..%d", lo, hi, err, start, all[len(all)-1].ID)
	}
}

func testClientID(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := context.Background()
	w := newWorld(t, st, "idem", 5)
	again := &livedesk.Message{ConversationID: w.conv, ClientID: w.message.ClientID, Kind: livedesk.KindText, Text: "again",
		Author: w.message.Author}
	err := st.Write(ctx, func(tx livedesk.Tx) error { return tx.InsertMessage(w.account.ID, again) })
	if !livedesk.IsCode(err, livedesk.CodeConflict) {
		t.Fatalf("a second message with one author's client_id: %v, want conflict", err)
	}
	m, err := st.MessageByClientID(ctx, w.message.Author.Type, w.message.Author.ID, w.message.ClientID)
	if err != nil || m.ID != w.message.ID || m.Text != w.message.Text {
		t.Fatalf("MessageByClientID: %+v %v, want the first message", m, err)
	}
	// Another author may use the same client_id.
	other := &livedesk.Message{ConversationID: w.conv, ClientID: w.message.ClientID, Kind: livedesk.KindText, Text: "mine",
		Author: livedesk.Author{Type: livedesk.AuthorOperator, ID: w.op.ID, Name: w.op.Name}}
	write(t, st, func(tx livedesk.Tx) error { return tx.InsertMessage(w.account.ID, other) })
	// The mail Message-ID of an account is taken once too.
	mail := func(text string) error {
		return st.Write(ctx, func(tx livedesk.Tx) error {
			return tx.InsertMessage(w.account.ID, &livedesk.Message{ConversationID: w.conv, Kind: livedesk.KindText, Text: text,
				Author: w.message.Author, EmailMessageID: "<one@example.test>"})
		})
	}
	if err := mail("first"); err != nil {
		t.Fatal(err)
	}
	if err := mail("second"); !errors.Is(err, livedesk.ErrDuplicateMail) {
		t.Fatalf("the same mail twice: %v, want ErrDuplicateMail", err)
	}
}

func testRollback(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := context.Background()
	w := newWorld(t, st, "rollback", 5)
	_, before, _ := st.EventBounds(ctx, w.account.ID)
	boom := errors.New("boom")
	err := st.Write(ctx, func(tx livedesk.Tx) error {
		if err := tx.InsertMessage(w.account.ID, &livedesk.Message{ConversationID: w.conv, Kind: livedesk.KindText, Text: "lost",
			Author: w.message.Author, ClientID: "lost"}); err != nil {
			return err
		}
		if err := tx.Emit(&livedesk.Event{AccountID: w.account.ID, Type: "test", AllOperators: true, Payload: []byte(`{}`)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write returned %v, want the function's error", err)
	}
	if _, err := st.MessageByClientID(ctx, w.message.Author.Type, w.message.Author.ID, "lost"); !livedesk.IsCode(err, livedesk.CodeNotFound) {
		t.Fatalf("the failed write's message is there: %v", err)
	}
	if _, after, _ := st.EventBounds(ctx, w.account.ID); after != before {
		t.Fatalf("the failed write's event is in the log: newest %d, was %d", after, before)
	}
	// The next write works and its event follows.
	write(t, st, func(tx livedesk.Tx) error {
		return tx.Emit(&livedesk.Event{AccountID: w.account.ID, Type: "test", AllOperators: true, Payload: []byte(`{}`)})
	})
	if _, after, _ := st.EventBounds(ctx, w.account.ID); after <= before {
		t.Fatalf("newest event %d after a write, was %d", after, before)
	}
}

// testFailuresInBatch sends many writes at once, so that they share transactions, a third of
// them failing after they wrote (by their own error, or by a statement refused by the
// database): each failed one leaves nothing, each other one is stored with its event, and the
// log holds exactly those events, in order.
func testFailuresInBatch(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := context.Background()
	w := newWorld(t, st, "batch", 5)
	_, before, _ := st.EventBounds(ctx, w.account.ID)
	const writes = 90
	boom := errors.New("boom")
	errs := make([]error, writes)
	var wg sync.WaitGroup
	for i := range writes {
		wg.Go(func() {
			errs[i] = st.Write(ctx, func(tx livedesk.Tx) error {
				clientID := fmt.Sprint("b", i)
				if i%3 == 2 {
					clientID = w.message.ClientID // taken: the database refuses the insert
				}
				if err := tx.InsertMessage(w.account.ID, &livedesk.Message{ConversationID: w.conv, Kind: livedesk.KindText,
					Text: fmt.Sprint(i), Author: w.message.Author, ClientID: clientID}); err != nil {
					return err
				}
				if err := tx.Emit(&livedesk.Event{AccountID: w.account.ID, Type: "test", AllOperators: true,
					Payload: fmt.Appendf(nil, `{"i":%d}`, i)}); err != nil {
					return err
				}
				if i%3 == 1 {
					return boom
				}
				return nil
			})
		})
	}
	wg.Wait()
	want := map[string]bool{}
	for i, err := range errs {
		switch i % 3 {
		case 0:
			if err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
			want[fmt.Sprintf(`{"i":%d}`, i)] = true
		case 1:
			if !errors.Is(err, boom) {
				t.Fatalf("write %d returned %v, want its own error", i, err)
			}
		case 2:
			if !livedesk.IsCode(err, livedesk.CodeConflict) {
				t.Fatalf("write %d with a taken client_id returned %v, want conflict", i, err)
			}
		}
		_, ferr := st.MessageByClientID(ctx, w.message.Author.Type, w.message.Author.ID, fmt.Sprint("b", i))
		if stored := ferr == nil; stored != (i%3 == 0) {
			t.Fatalf("write %d (kind %d): stored %v (%v)", i, i%3, stored, ferr)
		}
	}
	events, err := st.AccountEvents(ctx, w.account.ID, before, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for k, e := range events {
		if !want[string(e.Payload)] {
			t.Fatalf("event %s in the log, from a failed write or twice", e.Payload)
		}
		delete(want, string(e.Payload))
		if k > 0 && e.ID != events[k-1].ID+1 {
			t.Fatalf("event ids %d then %d", events[k-1].ID, e.ID)
		}
	}
	if len(want) > 0 {
		t.Fatalf("%d events of successful writes missing from the log", len(want))
	}
}

func testReopen(t *testing.T, open Opener) {
	st, reopen := open(t)
	if reopen == nil {
		t.Skip("this implementation's opener cannot reopen its database")
	}
	w := newWorld(t, st, "reopen", 5)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2 := reopen()
	c, err := st2.Conversation(context.Background(), w.account.ID, w.conv)
	if err != nil || c.AssigneeID != w.op.ID {
		t.Fatalf("after reopening: %+v %v", c, err)
	}
}

func testMailFullText(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := context.Background()
	w := newWorld(t, st, "fulltext", 5)
	quoted := &livedesk.Message{ConversationID: w.conv, Kind: livedesk.KindText, Text: "Спасибо!", Author: w.message.Author,
		EmailMessageID: "answer@example.test", FullText: "Спасибо!\n\nАнна пишет:\n> Заказ передан в доставку."}
	plain := &livedesk.Message{ConversationID: w.conv, Kind: livedesk.KindText, Text: "Ещё вопрос", Author: w.message.Author,
		EmailMessageID: "plain@example.test"}
	reply := &livedesk.Message{ConversationID: w.conv, Kind: livedesk.KindText, Text: "Ответ",
		Author: livedesk.Author{Type: livedesk.AuthorOperator, ID: w.op.ID, Name: w.op.Name}, EmailMessageID: "reply@shop.test"}
	write(t, st, func(tx livedesk.Tx) error {
		for _, m := range []*livedesk.Message{quoted, plain, reply} {
			if err := tx.InsertMessage(w.account.ID, m); err != nil {
				return err
			}
		}
		return tx.QueueEmail(w.account.ID, reply.ID)
	})
	got, err := st.MessageByMailID(ctx, w.account.ID, "answer@example.test")
	if err != nil || got.ID != quoted.ID || got.Text != quoted.Text || got.FullText != quoted.FullText {
		t.Fatalf("MessageByMailID of a quoting mail: %+v %v", got, err)
	}
	page, err := st.Messages(ctx, w.conv, 0, 10, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page {
		want := ""
		if m.ID == quoted.ID {
			want = quoted.FullText
		}
		if m.FullText != want {
			t.Fatalf("Messages: message %d has full text %q, want %q", m.ID, m.FullText, want)
		}
	}
	write(t, st, func(tx livedesk.Tx) error {
		m, err := tx.MessageByID(w.account.ID, quoted.ID)
		if err == nil && m.FullText != quoted.FullText {
			err = fmt.Errorf("tx.MessageByID: full text %q", m.FullText)
		}
		return err
	})
	// A reply is found by its Message-ID with its outbox state; failing it shows.
	r, err := st.MessageByMailID(ctx, w.account.ID, "reply@shop.test")
	if err != nil || r.ID != reply.ID || r.EmailDelivery == nil || r.EmailDelivery.State != "pending" {
		t.Fatalf("MessageByMailID of a queued reply: %+v %v", r, err)
	}
	write(t, st, func(tx livedesk.Tx) error { return tx.EmailRetry(reply.ID, "550 5.1.1 no such user", time.Time{}) })
	r, err = st.MessageByMailID(ctx, w.account.ID, "reply@shop.test")
	if err != nil || r.EmailDelivery == nil || r.EmailDelivery.State != "failed" || r.EmailDelivery.Error != "550 5.1.1 no such user" {
		t.Fatalf("the reply after failing: %+v %v", r.EmailDelivery, err)
	}
	// Another account does not find it.
	other := newWorld(t, st, "fulltext-other", 5)
	if _, err := st.MessageByMailID(ctx, other.account.ID, "reply@shop.test"); !livedesk.IsCode(err, livedesk.CodeNotFound) {
		t.Fatalf("another account's MessageByMailID: %v, want not_found", err)
	}
}

// testMailServer: a contact point's sealed passwords and IMAP place are written apart (one
// never clears the other), read back in and out of a transaction, scoped by account, and
// email contact points of every account are listed.
func testMailServer(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := context.Background()
	w := newWorld(t, st, "mailsrv", 5)
	other := newWorld(t, st, "mailsrv-other", 5)
	box := &livedesk.ContactPoint{AccountID: w.account.ID, Name: "support", Channel: livedesk.ChannelEmail, Key: "key-mailsrv-box"}
	write(t, st, func(tx livedesk.Tx) error { return tx.CreateContactPoint(box) })

	empty, err := st.MailServer(ctx, w.account.ID, box.ID)
	if err != nil || empty.IMAPPassword != "" || empty.UIDValidity != 0 || empty.Place != "" {
		t.Fatalf("MailServer of a contact point with none: %+v %v", empty, err)
	}
	write(t, st, func(tx livedesk.Tx) error {
		return tx.SetIMAPPlace(w.account.ID, box.ID, "imap.test\nsupport\nINBOX", 7, 41)
	})
	write(t, st, func(tx livedesk.Tx) error { return tx.SetMailPasswords(w.account.ID, box.ID, "v1:imap", "v1:smtp") })
	write(t, st, func(tx livedesk.Tx) error {
		return tx.SetIMAPPlace(w.account.ID, box.ID, "imap.test\nsupport\nINBOX", 7, 4000000000)
	})
	got, err := st.MailServer(ctx, w.account.ID, box.ID)
	want := livedesk.MailServer{ContactPointID: box.ID, AccountID: w.account.ID, IMAPPassword: "v1:imap", SMTPPassword: "v1:smtp",
		Place: "imap.test\nsupport\nINBOX", UIDValidity: 7, LastUID: 4000000000}
	if err != nil || *got != want {
		t.Fatalf("MailServer = %+v, %v; want %+v", got, err, want)
	}
	write(t, st, func(tx livedesk.Tx) error {
		in, err := tx.MailServer(w.account.ID, box.ID)
		if err == nil && *in != want {
			err = fmt.Errorf("tx.MailServer = %+v, want %+v", in, want)
		}
		return err
	})
	// Another account sees nothing of it and cannot write it.
	if o, err := st.MailServer(ctx, other.account.ID, box.ID); err != nil || o.IMAPPassword != "" || o.LastUID != 0 {
		t.Fatalf("MailServer read by another account: %+v %v", o, err)
	}
	err = st.Write(ctx, func(tx livedesk.Tx) error { return tx.SetMailPasswords(other.account.ID, box.ID, "v1:x", "") })
	if !livedesk.IsCode(err, livedesk.CodeNotFound) {
		t.Fatalf("SetMailPasswords by another account: %v, want not_found", err)
	}
	err = st.Write(ctx, func(tx livedesk.Tx) error { return tx.SetIMAPPlace(other.account.ID, box.ID, "x", 1, 1) })
	if !livedesk.IsCode(err, livedesk.CodeNotFound) {
		t.Fatalf("SetIMAPPlace by another account: %v, want not_found", err)
	}
	if got, _ := st.MailServer(ctx, w.account.ID, box.ID); *got != want {
		t.Fatalf("after another account's writes: %+v", got)
	}
	points, err := st.EmailContactPoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, cp := range points {
		if cp.Channel != livedesk.ChannelEmail {
			t.Fatalf("EmailContactPoints lists %+v", cp)
		}
		found = found || cp.ID == box.ID && cp.AccountID == w.account.ID
	}
	if !found {
		t.Fatalf("EmailContactPoints misses the mailbox: %+v", points)
	}
}

func testOutboxClaims(t *testing.T, open Opener) {
	st, _ := open(t)
	w := newWorld(t, st, "outbox", 5)
	const replies = 40
	write(t, st, func(tx livedesk.Tx) error {
		for i := range replies {
			m := &livedesk.Message{ConversationID: w.conv, Kind: livedesk.KindText, Text: fmt.Sprint("reply ", i),
				Author: livedesk.Author{Type: livedesk.AuthorOperator, ID: w.op.ID, Name: w.op.Name}}
			if err := tx.InsertMessage(w.account.ID, m); err != nil {
				return err
			}
			if err := tx.QueueEmail(w.account.ID, m.ID); err != nil {
				return err
			}
		}
		return nil
	})
	// Four senders claim three at a time, at once, until nothing is due: each reply is taken
	// by exactly one of them.
	taken := claimAll(t, st, func(tx livedesk.Tx) ([]livedesk.ID, error) {
		got, err := tx.ClaimDueEmails(3, time.Hour)
		ids := make([]livedesk.ID, len(got))
		for i, e := range got {
			if e.AccountID != w.account.ID {
				t.Errorf("claimed %d of account %d", e.MessageID, e.AccountID)
			}
			ids[i] = e.MessageID
		}
		return ids, err
	})
	if len(taken) != replies {
		t.Fatalf("%d replies claimed, want %d", len(taken), replies)
	}
	for id, n := range taken {
		if n != 1 {
			t.Fatalf("reply %d claimed %d times", id, n)
		}
	}

	// The same for the mailboxes' confirmation mails.
	const mailboxes = 12
	write(t, st, func(tx livedesk.Tx) error {
		for i := range mailboxes {
			cp := &livedesk.ContactPoint{AccountID: w.account.ID, Name: fmt.Sprint("mail ", i), Channel: livedesk.ChannelEmail,
				Key: fmt.Sprint("outbox-mail-", i)}
			if err := tx.CreateContactPoint(cp); err != nil {
				return err
			}
			if _, err := tx.SetMailbox(w.account.ID, cp.ID, fmt.Sprintf("support%d@outbox.test", i)); err != nil {
				return err
			}
		}
		return nil
	})
	confirmations := claimAll(t, st, func(tx livedesk.Tx) ([]livedesk.ID, error) {
		got, err := tx.ClaimMailboxConfirmations(2, time.Hour)
		ids := make([]livedesk.ID, len(got))
		for i, m := range got {
			ids[i] = m.ContactPointID
		}
		return ids, err
	})
	if len(confirmations) != mailboxes {
		t.Fatalf("%d mailboxes' confirmations claimed, want %d", len(confirmations), mailboxes)
	}
	for id, n := range confirmations {
		if n != 1 {
			t.Fatalf("the confirmation of contact point %d claimed %d times", id, n)
		}
	}
}

// claimAll runs four claimers at once, each claiming in its own write until claim takes
// nothing, and counts how often each id was taken.
func claimAll(t *testing.T, st livedesk.Store, claim func(livedesk.Tx) ([]livedesk.ID, error)) map[livedesk.ID]int {
	t.Helper()
	var mu sync.Mutex
	taken := map[livedesk.ID]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				var got []livedesk.ID
				err := st.Write(context.Background(), func(tx livedesk.Tx) (err error) {
					got, err = claim(tx)
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, id := range got {
					taken[id]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return taken
}
