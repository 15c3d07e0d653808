package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"livedesk/internal/livedesk"
	"livedesk/internal/testkit/pgtest"
)

// copySource is a SQLite store with accounts that each have a conversation; say writes a
// message in one transaction with its conversation's preview and its event, the way the desk
// does, so a copy that is not one snapshot shows it (previews or events out of step with
// the messages).
type copySource struct {
	t     *testing.T
	path  string
	store *Store
	convs []copyConv
}

// copyConv is a conversation of a copy source: its id, account and visitor.
type copyConv struct{ ID, AccountID, VisitorID livedesk.ID }

func newCopySource(t *testing.T, accounts int) *copySource {
	t.Helper()
	path := filepath.Join(t.TempDir(), "livedesk.db")
	s, err := OpenSQLite(SQLiteOptions{Path: path, Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	src := &copySource{t: t, path: path, store: s}
	for i := range accounts {
		err := s.Write(context.Background(), func(tx livedesk.Tx) error {
			a, err := tx.CreateAccount(fmt.Sprintf("Команда %d", i), livedesk.Settings{})
			if err != nil {
				return err
			}
			cp := &livedesk.ContactPoint{AccountID: a.ID, Name: "Сайт", Channel: livedesk.ChannelWebchat, Key: fmt.Sprintf("key-%d", i)}
			if err := tx.CreateContactPoint(cp); err != nil {
				return err
			}
			v := &livedesk.Visitor{AccountID: a.ID, ContactPointID: cp.ID, Name: "Гость"}
			if err := tx.CreateVisitor(v); err != nil {
				return err
			}
			id, err := tx.CreateConversation(a.ID, cp, v.ID)
			if err != nil {
				return err
			}
			src.convs = append(src.convs, copyConv{ID: id, AccountID: a.ID, VisitorID: v.ID})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// say writes message n in conversation c.
func (s *copySource) say(c copyConv, n int) error {
	return s.store.Write(context.Background(), func(tx livedesk.Tx) error {
		m := &livedesk.Message{ConversationID: c.ID, Author: livedesk.Author{Type: livedesk.AuthorVisitor, ID: c.VisitorID, Name: "Гость"},
			Kind: livedesk.KindText, Text: fmt.Sprintf("сообщение %d", n)}
		if err := tx.InsertMessage(c.AccountID, m); err != nil {
			return err
		}
		if err := tx.TouchLastMessage(c.ID, livedesk.LastMessage{Text: m.Text, Author: livedesk.AuthorVisitor, At: tx.Now()}, true); err != nil {
			return err
		}
		payload, _ := json.Marshal(map[string]any{"message": m.ID})
		return tx.Emit(&livedesk.Event{AccountID: c.AccountID, Type: "message.created", AllOperators: true, VisitorID: c.VisitorID,
			Payload: payload, VisitorPayload: payload})
	})
}

// TestCopyToPostgresWhileWriting copies a source that a writer keeps writing to (it writes
// between every two tables the copy reads) and checks that the target holds one moment of
// it: every conversation's preview is its newest copied message, every copied message has
// its event and no event is without its message; the report says the source moved on. The
// event counters and the id sequences continue after the copied rows: a store opened on the
// target gives the next event the next id and a new message a new id.
func TestCopyToPostgresWhileWriting(t *testing.T) {
	dsn := pgtest.Database(t)
	src := newCopySource(t, 3)
	for i := range 30 {
		if err := src.say(src.convs[i%3], i); err != nil {
			t.Fatal(err)
		}
	}
	// The third account's log is pruned empty: its newest id lives on in event_marks only.
	if err := src.store.Write(context.Background(), func(tx livedesk.Tx) error {
		_, err := tx.PruneEvents(time.Now().Add(time.Hour).UnixMilli(), 0, 1000)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for i := 30; i < 40; i++ {
		if err := src.say(src.convs[i%2], i); err != nil { // accounts 1 and 2 only
			t.Fatal(err)
		}
	}
	_, pruned, err := src.store.EventBounds(context.Background(), src.convs[2].AccountID)
	if err != nil || pruned == 0 {
		t.Fatalf("pruned account's newest id %d, %v", pruned, err)
	}

	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for n := 1000; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := src.say(src.convs[n%3], n); err != nil {
				t.Error(err)
				return
			}
			written.Add(1)
		}
	})
	// The writer is under way before the copy starts, and commits at least twice more
	// between two tables.
	waitWrites := func(n int64) {
		for want := written.Load() + n; written.Load() < want; {
			time.Sleep(time.Millisecond)
		}
	}
	waitWrites(5)
	afterTable := func(string) { waitWrites(2) }
	rep, err := CopyToPostgres(context.Background(), CopyOptions{SQLitePath: src.path, PostgresDSN: dsn, afterTable: afterTable})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Committed || !rep.SourceChanged {
		t.Fatalf("committed %v, source changed %v: want both", rep.Committed, rep.SourceChanged)
	}
	if len(rep.Migrations) == 0 {
		t.Error("no PostgreSQL migrations reported applied on an empty database")
	}
	for _, tc := range rep.Tables {
		if !tc.OK {
			t.Errorf("table %+v not OK", tc)
		}
	}

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var messages, events, offPreview, orphanEvents int
	q := func(query string, out *int) {
		t.Helper()
		if err := db.QueryRow(query).Scan(out); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	q(`SELECT COUNT(*) FROM messages`, &messages)
	q(`SELECT COUNT(*) FROM events`, &events)
	q(`SELECT COUNT(*) FROM conversations c WHERE c.last_message_text <>
		(SELECT m.text FROM messages m WHERE m.conversation_id = c.id ORDER BY m.id DESC LIMIT 1)`, &offPreview)
	q(`SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM messages m
		WHERE m.id = (e.payload::json->>'message')::bigint)`, &orphanEvents)
	// 30 events of the pruned account's first 10 messages and of the others were pruned.
	var eventsOfCopied int
	q(`SELECT COUNT(*) FROM messages m WHERE EXISTS (SELECT 1 FROM events e WHERE (e.payload::json->>'message')::bigint = m.id)`, &eventsOfCopied)
	if offPreview != 0 || orphanEvents != 0 || eventsOfCopied != messages-30 || events != messages-30 {
		t.Fatalf("not one snapshot: %d messages, %d events (%d of them a message's), %d previews off, %d events without their message",
			messages, events, eventsOfCopied, offPreview, orphanEvents)
	}
	var inSource int
	if err := src.store.read.QueryRow(`SELECT COUNT(*) FROM messages`).Scan(&inSource); err != nil {
		t.Fatal(err)
	}
	if messages <= 40 || messages >= inSource {
		t.Fatalf("%d messages copied of %d in the source now (40 before the writer): want some of the writer's, not all", messages, inSource)
	}

	// The events continue after the copied ones, per account; the ids after the copied rows.
	pg, err := OpenPostgres(PostgresOptions{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for i, a := range rep.Accounts {
		var want livedesk.ID
		if err := db.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM events WHERE account_id = $1`, a.Account).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if i == 2 && want < pruned {
			want = pruned // nothing written to it since the pruning: its mark
		}
		_, newest, err := pg.EventBounds(context.Background(), a.Account)
		if err != nil || newest != want || a.TargetSeq != want || a.SourceLast != want {
			t.Fatalf("account %d: newest %d (%v), report %+v, want %d", a.Account, newest, err, a, want)
		}
	}
	var maxMessage livedesk.ID
	if err := db.QueryRow(`SELECT MAX(id) FROM messages`).Scan(&maxMessage); err != nil {
		t.Fatal(err)
	}
	var got []*livedesk.Event
	pg.SetPublisher(func(ev []*livedesk.Event) { got = append(got, ev...) })
	c := src.convs[2]
	var m livedesk.Message
	err = pg.Write(context.Background(), func(tx livedesk.Tx) error {
		m = livedesk.Message{ConversationID: c.ID, Author: livedesk.Author{Type: livedesk.AuthorVisitor, ID: c.VisitorID, Name: "Гость"},
			Kind: livedesk.KindText, Text: "после переезда"}
		if err := tx.InsertMessage(c.AccountID, &m); err != nil {
			return err
		}
		return tx.Emit(&livedesk.Event{AccountID: c.AccountID, Type: "message.created", AllOperators: true, Payload: []byte(`{}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != maxMessage+1 {
		t.Errorf("new message id %d, want %d (after the copied ones)", m.ID, maxMessage+1)
	}
	if len(got) != 1 || got[0].ID != rep.Accounts[2].SourceLast+1 {
		t.Errorf("new event %+v, want id %d", got, rep.Accounts[2].SourceLast+1)
	}
}

// TestCopyToPostgresRefusesNonEmptyTarget: a target with any livedesk row is refused before
// anything is written, as is a database with tables that are not livedesk's; an empty schema
// made by `livedesk migrate` is taken.
func TestCopyToPostgresRefusesNonEmptyTarget(t *testing.T) {
	src := newCopySource(t, 1)
	if err := src.say(src.convs[0], 1); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	dsn := pgtest.Database(t)
	pg, err := OpenPostgres(PostgresOptions{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	if err := pg.Write(ctx, func(tx livedesk.Tx) error {
		_, err := tx.SetMetaIfAbsent("visitor_token_secret", "x") // what a node writes at its start
		return err
	}); err != nil {
		t.Fatal(err)
	}
	pg.Close()
	_, err = CopyToPostgres(ctx, CopyOptions{SQLitePath: src.path, PostgresDSN: dsn})
	if !livedesk.IsCode(err, livedesk.CodeConflict) || !strings.Contains(err.Error(), "meta") {
		t.Fatalf("non-empty target: %v, want conflict naming meta", err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var accounts int
	if err := db.QueryRow(`SELECT COUNT(*) FROM accounts`).Scan(&accounts); err != nil || accounts != 0 {
		t.Fatalf("accounts after the refusal: %d, %v", accounts, err)
	}

	foreign := pgtest.Database(t)
	fdb, err := sql.Open("pgx", foreign)
	if err != nil {
		t.Fatal(err)
	}
	defer fdb.Close()
	if _, err := fdb.Exec(`CREATE TABLE invoices (id int)`); err != nil {
		t.Fatal(err)
	}
	_, err = CopyToPostgres(ctx, CopyOptions{SQLitePath: src.path, PostgresDSN: foreign})
	if !livedesk.IsCode(err, livedesk.CodeConflict) || !strings.Contains(err.Error(), "invoices") {
		t.Fatalf("foreign database: %v, want conflict naming its table", err)
	}
	var tables int
	if err := fdb.QueryRow(`SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil || tables != 1 {
		t.Fatalf("tables of the foreign database after the refusal: %d, %v", tables, err)
	}

	migrated := pgtest.Database(t)
	if _, err := MigratePostgres(ctx, migrated); err != nil {
		t.Fatal(err)
	}
	rep, err := CopyToPostgres(ctx, CopyOptions{SQLitePath: src.path, PostgresDSN: migrated})
	if err != nil || !rep.Committed || len(rep.Migrations) != 0 {
		t.Fatalf("empty migrated schema: %+v, %v", rep, err)
	}
}

// TestCopyToPostgresFailureLeavesTargetEmpty: when the copy cannot be committed (here the
// caller's BeforeCommit refuses, as migrate-data does for a missing file) every table of the
// target is empty afterwards, and the source is untouched.
func TestCopyToPostgresFailureLeavesTargetEmpty(t *testing.T) {
	src := newCopySource(t, 2)
	for i := range 5 {
		if err := src.say(src.convs[i%2], i); err != nil {
			t.Fatal(err)
		}
	}
	dsn := pgtest.Database(t)
	refuse := errors.New("files do not match")
	rep, err := CopyToPostgres(context.Background(), CopyOptions{SQLitePath: src.path, PostgresDSN: dsn,
		BeforeCommit: func(context.Context, *CopyReport) error { return refuse }})
	if !errors.Is(err, refuse) || rep == nil || rep.Committed {
		t.Fatalf("copy: %+v, %v; want the hook's error, not committed", rep, err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range rep.Tables {
		if tc.TargetRows < 0 {
			continue
		}
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM ` + tc.Table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s after the failed copy: %d rows, %v", tc.Table, n, err)
		}
	}
	// The same target takes the copy afterwards (it is empty again).
	if _, err := CopyToPostgres(context.Background(), CopyOptions{SQLitePath: src.path, PostgresDSN: dsn}); err != nil {
		t.Fatalf("second copy: %v", err)
	}
}

// TestCopyToPostgresSchemaDrift: a column or table one database has and the other does not
// stops the copy before it writes a row, naming every difference.
func TestCopyToPostgresSchemaDrift(t *testing.T) {
	src := newCopySource(t, 1)
	if _, err := src.store.write.Exec(`ALTER TABLE messages ADD COLUMN mood TEXT`); err != nil {
		t.Fatal(err)
	}
	if _, err := src.store.write.Exec(`CREATE TABLE reactions (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.Database(t)
	_, err := CopyToPostgres(context.Background(), CopyOptions{SQLitePath: src.path, PostgresDSN: dsn})
	if !livedesk.IsCode(err, livedesk.CodeConflict) || !strings.Contains(err.Error(), "messages.mood") || !strings.Contains(err.Error(), "reactions") {
		t.Fatalf("drift: %v, want a conflict naming messages.mood and reactions", err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM accounts`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("accounts after the refused copy: %d, %v", n, err)
	}
}

func TestForeignKeyOrder(t *testing.T) {
	got, err := foreignKeyOrder([]string{"messages", "accounts", "conversations", "meta"},
		map[string][]string{"messages": {"conversations"}, "conversations": {"accounts"}})
	if err != nil || strings.Join(got, " ") != "accounts conversations messages meta" {
		t.Fatalf("order %v, %v", got, err)
	}
	if _, err := foreignKeyOrder([]string{"a", "b"}, map[string][]string{"a": {"b"}, "b": {"a"}}); err == nil {
		t.Fatal("a cycle was ordered")
	}
}

func TestToPG(t *testing.T) {
	for _, c := range []struct {
		v    any
		typ  string
		want any
		ok   bool
	}{
		{int64(7), "int8", int64(7), true},
		{int64(1 << 20), "int2", nil, false},
		{"7", "int8", nil, false},
		{int64(1), "bool", true, true},
		{int64(2), "bool", nil, false},
		{[]byte("текст"), "text", "текст", true},
		{"a\x00b", "text", nil, false},
		{[]byte{0xff}, "text", nil, false},
		{"png", "bytea", []byte("png"), true},
		{`{"a":1}`, "jsonb", `{"a":1}`, true},
		{`{a`, "jsonb", nil, false},
		{int64(1700000000123), "timestamptz", time.UnixMilli(1700000000123).UTC(), true},
		{nil, "int8", nil, true},
		{int64(1), "point", nil, false},
	} {
		got, err := toPG(c.v, c.typ)
		if (err == nil) != c.ok || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("toPG(%v, %s) = %v, %v", c.v, c.typ, got, err)
		}
	}
}
