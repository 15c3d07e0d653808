package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"livedesk/internal/livedesk"
)

// PostgresOptions configure OpenPostgres.
type PostgresOptions struct {
	// DSN is the database URL (postgres://user@host:port/db?sslmode=disable).
	DSN string
	// MaxConns bounds the connection pool (default 16).
	MaxConns int
	Clock    livedesk.Clock
	Log      *slog.Logger
}

// OpenPostgres opens livedesk's PostgreSQL database, applies its migrations (one node at a
// time, under an advisory lock) and returns the store. Writes go through the same single
// writer as on SQLite, which batches them into one transaction (one commit for many
// messages); other nodes write concurrently, so a transaction holds the rows it reads and
// then changes (lock), one drain of an account runs at a time, capacity is reserved by a
// conditional UPDATE of the operator's row, and an account's events take their ids from
// accounts.event_seq at the end of the transaction, gap-free in commit order.
func OpenPostgres(opts PostgresOptions) (*Store, error) {
	if opts.Clock == nil {
		opts.Clock = livedesk.SystemClock{}
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = 16
	}
	db, err := sql.Open("pgx", opts.DSN)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(opts.MaxConns)
	db.SetMaxIdleConns(opts.MaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := migratePG(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	s := &Store{read: db, write: db, clock: opts.Clock, log: opts.Log, pg: true,
		reqs: make(chan *writeReq, 4096), done: make(chan struct{}), closed: make(chan struct{}), maxBatch: 256}
	s.rq = reader{newStmtCache(db, true)}
	s.wc = s.rq.c
	go s.writer()
	return s, nil
}

// migratePG applies the PostgreSQL migrations holding a session advisory lock, so nodes
// starting together do not apply one twice.
func migratePG(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	const lockKey = 7_415_162_001 // "livedesk migrations"
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, lockKey)
	return migrate(ctx, db, true)
}

// MigratePostgres applies pending migrations to the PostgreSQL database and returns the names
// of all applied ones.
func MigratePostgres(ctx context.Context, dsn string) ([]string, error) {
	s, err := OpenPostgres(PostgresOptions{DSN: dsn, MaxConns: 2})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.migrationNames(ctx)
}

// lock is the clause that locks the rows a transaction reads of table (or alias) until it
// ends, on PostgreSQL: the desk's rules read a conversation, an operator or a transfer and
// then change it, which is safe on SQLite's single writer and, on PostgreSQL's concurrent
// READ COMMITTED transactions, needs the row held (a second transaction waits and then reads
// the first one's result).
func (tx *Tx) lock(table string) string {
	if tx.pg {
		return " FOR UPDATE OF " + table
	}
	return ""
}

// emitPG keeps an event for the end of the transaction (storeEventsPG).
func (tx *Tx) emitPG(e *livedesk.Event) error {
	tx.events = append(tx.events, e)
	return nil
}

// drainLockBase keys the advisory locks that let one drain of an account run at a time.
const drainLockBase = 0x4C44_0000_0000_0000

// storeEventsPG gives the transaction's events their ids and stores them, just before the
// commit: per account (in id order, so two transactions never wait for each other's
// accounts crosswise) one UPDATE of the account's counter takes as many ids as it has
// events. The counter's row stays locked until the commit, so ids are taken in commit order,
// without gaps — and only for that last moment, after every other lock of the transaction.
func (tx *Tx) storeEventsPG() error {
	if len(tx.events) == 0 {
		return nil
	}
	count := map[livedesk.ID]int64{}
	var accounts []livedesk.ID
	for _, e := range tx.events {
		if count[e.AccountID] == 0 {
			accounts = append(accounts, e.AccountID)
		}
		count[e.AccountID]++
	}
	slices.Sort(accounts)
	byAccount := map[livedesk.ID][]*livedesk.Event{}
	for _, e := range tx.events {
		byAccount[e.AccountID] = append(byAccount[e.AccountID], e)
	}
	for _, a := range accounts {
		for events := byAccount[a]; len(events) > 0; {
			chunk := events[:min(len(events), eventsPerInsert)]
			events = events[len(chunk):]
			if err := tx.insertEventsPG(a, chunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertEventsPG takes len(events) ids from the account's counter and stores the events with
// them, in one statement: every statement is a round trip, and the counter's row is held from
// this statement to the commit.
func (tx *Tx) insertEventsPG(account livedesk.ID, events []*livedesk.Event) error {
	var q strings.Builder
	q.WriteString(`WITH seq AS (UPDATE accounts SET event_seq = event_seq + ? WHERE id = ? RETURNING event_seq - ? AS base)
		INSERT INTO events(account_id, id, type, operator_id, operator2_id, staff, all_operators, visitor_id, payload,
			visitor_payload, created_at)
		SELECT ?, seq.base + v.k, v.type, v.operator_id, v.operator2_id, v.staff, v.all_operators, v.visitor_id, v.payload,
			v.visitor_payload, ? FROM seq, (VALUES `)
	n := int64(len(events))
	args := make([]any, 0, 5+9*len(events))
	args = append(args, n, account, n, account, ms(tx.now))
	for i, e := range events {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString(`(?::bigint, ?::text, ?::bigint, ?::bigint, ?::smallint, ?::smallint, ?::bigint, ?::text, ?::text)`)
		var vp any
		if e.VisitorPayload != nil {
			vp = string(e.VisitorPayload)
		}
		args = append(args, int64(i+1), e.Type, nullID(e.OperatorID), nullID(e.Operator2ID), e.Staff, e.AllOperators,
			nullID(e.VisitorID), string(e.Payload), vp)
	}
	q.WriteString(`) AS v(k, type, operator_id, operator2_id, staff, all_operators, visitor_id, payload, visitor_payload)
		RETURNING (SELECT base FROM seq)`)
	var base livedesk.ID
	if err := tx.queryRow(q.String(), args...).Scan(&base); err != nil {
		return fmt.Errorf("store %d events of account %d: %w", len(events), account, err)
	}
	for i, e := range events {
		e.ID = base + livedesk.ID(i+1)
	}
	return nil
}

// eventsPerInsert bounds one INSERT of events (9 parameters each, PostgreSQL takes 65,535).
const eventsPerInsert = 1000

// leaderLockKey is the advisory lock the node running the cluster-wide jobs holds.
const leaderLockKey = 7_415_162_002 // "livedesk leader"

// Lead reports whether this node runs the cluster-wide periodic jobs now (transfer expiry,
// presence sweep, retention, pruning): on SQLite always; on PostgreSQL while it holds a
// session advisory lock on a connection of its own, which it tries to take when nobody holds
// it. When the leader dies its connection closes, the lock is free, and another node takes
// it at its next tick (within a second or two).
func (s *Store) Lead(ctx context.Context) bool {
	if !s.pg {
		return true
	}
	s.leadMu.Lock()
	defer s.leadMu.Unlock()
	if s.leadConn != nil {
		if err := s.leadConn.PingContext(ctx); err == nil {
			return true
		}
		s.log.Warn("lost the leader lock's connection")
		s.leadConn.Close()
		s.leadConn = nil
	}
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return false
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, leaderLockKey).Scan(&got); err != nil || !got {
		conn.Close()
		return false
	}
	s.leadConn = conn
	return true
}

// resign gives the lead up (at Close).
func (s *Store) resign() {
	s.leadMu.Lock()
	defer s.leadMu.Unlock()
	if s.leadConn != nil {
		s.leadConn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, leaderLockKey)
		s.leadConn.Close()
		s.leadConn = nil
	}
}
