// Package sqlstore keeps livedesk's data in SQL by hand on database/sql, on SQLite (the
// default, embedded) or PostgreSQL (several nodes): one implementation of livedesk.Store
// whose SQL runs on both (dialect.go holds the few differences, postgres.go what PostgreSQL
// adds for other nodes' concurrent transactions). All writes of a node go through one writer
// goroutine that batches concurrent requests into a single transaction (group commit) — a
// failing request is rolled back alone (runBatch) — so writes are durable when acknowledged
// and events are published in commit order.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"livedesk/internal/livedesk"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql migrations_pg/*.sql
var migrationFS embed.FS

// SQLiteOptions configure OpenSQLite.
type SQLiteOptions struct {
	// Path of the SQLite database file.
	Path string
	// Synchronous is the SQLite synchronous pragma: FULL (default) or NORMAL.
	Synchronous string
	// MaxBatch caps how many write requests share one transaction.
	MaxBatch int
	Clock    livedesk.Clock
	Log      *slog.Logger
}

// Store is the database. Reads use a pool; writes use one connection owned by the writer.
type Store struct {
	read   *sql.DB
	write  *sql.DB
	rq     reader
	wc     *stmtCache
	clock  livedesk.Clock
	log    *slog.Logger
	reqs   chan *writeReq
	done   chan struct{}
	closed chan struct{}
	once   sync.Once

	pubMu   sync.RWMutex
	publish func([]*livedesk.Event)

	maxBatch int

	// pg: the database is PostgreSQL (postgres.go): the same writer and batches, with row
	// locks and per-account event ids for the other nodes' concurrent transactions.
	pg bool
	// leadConn holds the leader lock while this node leads (postgres.go).
	leadMu   sync.Mutex
	leadConn *sql.Conn

	points pointCache

	// Stats are the writer's counters, read by the metrics endpoint.
	Stats WriterStats
}

// WriterStats count the writer goroutine's work: how many transactions (batches) and write
// requests it ran, the statements it sent (on PostgreSQL each is a round trip to the
// server), and the time it spent running them and committing them.
type WriterStats struct {
	Batches, Requests, Statements atomic.Int64
	BusyNanos, CommitNanos        atomic.Int64
}

type writeReq struct {
	ctx    context.Context
	fn     func(livedesk.Tx) error
	result chan error
	// attempts and statementFailed count PostgreSQL's runs of it again (runBatch).
	attempts        int
	statementFailed bool
	// careful: on PostgreSQL a batch runs first without savepoints (runBatch); when one of
	// its requests fails, the batch is rolled back and runs again with them.
	careful bool
}

// Open opens (creating if needed) the database, applies migrations and starts the writer.
func OpenSQLite(opts SQLiteOptions) (*Store, error) {
	if opts.Clock == nil {
		opts.Clock = livedesk.SystemClock{}
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Synchronous == "" {
		opts.Synchronous = "FULL"
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if dir := filepath.Dir(opts.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
	}
	dsn := func(extra string) string {
		return "file:" + opts.Path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)" +
			"&_pragma=synchronous(" + opts.Synchronous + ")&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)&_txlock=immediate" + extra
	}
	w, err := sql.Open("sqlite", dsn(""))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// The writer goroutine runs one transaction at a time. The second connection only
	// prepares statements for the statement cache while a transaction holds the first;
	// Tx.StmtContext then prepares them once more on the transaction's connection and
	// keeps them there.
	w.SetMaxOpenConns(2)
	w.SetMaxIdleConns(2)
	w.SetConnMaxLifetime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", opts.Path, err)
	}
	if err := migrate(context.Background(), w, false); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn("&_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite reader: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	s := &Store{
		read: r, write: w, clock: opts.Clock, log: opts.Log,
		reqs: make(chan *writeReq, 4096), done: make(chan struct{}), closed: make(chan struct{}),
		maxBatch: opts.MaxBatch,
	}
	s.rq = reader{newStmtCache(r, false)}
	s.wc = newStmtCache(w, false)
	go s.writer()
	return s, nil
}

// MigrateSQLite applies pending migrations to the SQLite database at path and returns the
// names of all applied ones.
func MigrateSQLite(ctx context.Context, path string) ([]string, error) {
	s, err := OpenSQLite(SQLiteOptions{Path: path})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.migrationNames(ctx)
}

// migrationNames lists the applied migrations in order.
func (s *Store) migrationNames(ctx context.Context) ([]string, error) {
	var names []string
	rows, err := s.rq.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// migrate applies the numbered migrations not applied yet, each in its own transaction:
// SQLite's from migrations/, PostgreSQL's (pg) from migrations_pg/.
func migrate(ctx context.Context, db *sql.DB, pg bool) error {
	dir, q := "migrations", func(s string) string { return s }
	if pg {
		dir, q = "migrations_pg", rebind
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("migration %s: name must start with a number", name)
		}
		var n int
		if err := db.QueryRowContext(ctx, q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrationFS.ReadFile(dir + "/" + name)
		if err != nil {
			return err
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, q(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`),
			version, name, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// SetPublisher sets the function that receives committed events, in commit order, from the
// writer goroutine. It must not block for long.
func (s *Store) SetPublisher(fn func([]*livedesk.Event)) {
	s.pubMu.Lock()
	s.publish = fn
	s.pubMu.Unlock()
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.clock.Now() }

// Close stops the writer after the requests already queued are written, then closes the
// database.
func (s *Store) Close() error {
	s.once.Do(func() { close(s.done) })
	<-s.closed
	s.resign()
	s.rq.c.close()
	s.wc.close()
	err := s.read.Close()
	if s.write != s.read {
		err = errors.Join(err, s.write.Close())
	}
	return err
}

// ErrClosed is returned by Write after Close.
var ErrClosed = &livedesk.Error{Code: livedesk.CodeUnavailable, Message: "server is shutting down"}

// Write runs fn in a write transaction and returns after it is committed (or failed). fn's
// changes are rolled back alone if it returns an error; other requests in the same batch
// are not affected. Events emitted by fn are published after the commit.
func (s *Store) Write(ctx context.Context, fn func(livedesk.Tx) error) error {
	req := &writeReq{ctx: ctx, fn: fn, result: make(chan error, 1)}
	select {
	case <-s.done:
		return ErrClosed
	default:
	}
	select {
	case s.reqs <- req:
	case <-s.done:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the request is always answered: the writer drains the queue before it stops.
	return <-req.result
}

func (s *Store) writer() {
	defer close(s.closed)
	batch := make([]*writeReq, 0, s.maxBatch)
	for {
		batch = batch[:0]
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
		case <-s.done:
			// Drain what was queued before Close.
			for {
				select {
				case r := <-s.reqs:
					for again := []*writeReq{r}; len(again) > 0; {
						again = s.runBatch(again)
					}
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < s.maxBatch {
			select {
			case r := <-s.reqs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		for again := s.runBatch(batch); len(again) > 0; {
			again = s.runBatch(again)
		}
	}
}

// runBatch runs a batch of write requests in one transaction, each isolated by a savepoint,
// commits, publishes the events and answers the requests. On PostgreSQL it returns the
// requests to run again in a new batch: one refused only because of a concurrent
// transaction of another node (deadlock, serialization), or one whose statement failed (a
// row of a transaction that committed meanwhile may have been in the way: SQLite's single
// writer would have shown it) — that one once.
func (s *Store) runBatch(batch []*writeReq) (again []*writeReq) {
	start := time.Now()
	defer func() {
		s.Stats.Batches.Add(1)
		s.Stats.Requests.Add(int64(len(batch) - len(again)))
		s.Stats.BusyNanos.Add(int64(time.Since(start)))
	}()
	ctx := context.Background()
	errs := make([]error, len(batch))
	retry := make([]bool, len(batch))
	var events []*livedesk.Event
	clearPoints := false
	fail := func(err error) {
		for _, r := range batch {
			r.result <- err
		}
	}
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		fail(unavailable(fmt.Errorf("begin: %w", err)))
		return nil
	}
	q := txq{sqlTx, s.wc, &s.Stats.Statements}
	// A failing request must be rolled back alone, which takes a savepoint per request. But
	// requests rarely fail, and every statement costs (on PostgreSQL a round trip): a batch
	// runs first without savepoints, and only if one of its requests fails is it rolled back
	// whole and run again with them (careful). On PostgreSQL the previous request's savepoint
	// is then released together with the next one's start (one simple-protocol exec), and the
	// last one by the commit.
	careful := slices.ContainsFunc(batch, func(r *writeReq) bool { return r.careful })
	savepoint := `SAVEPOINT req`
	for i, r := range batch {
		if r.ctx.Err() != nil {
			errs[i] = r.ctx.Err()
			continue
		}
		if careful {
			if _, err := q.ExecContext(ctx, savepoint); err != nil {
				errs[i] = err
				continue
			}
			if s.pg {
				savepoint = `RELEASE req; SAVEPOINT req`
			}
		}
		tx := &Tx{tx: q, ctx: ctx, now: s.clock.Now().UTC().Truncate(time.Millisecond), pg: s.pg}
		err := safeCall(r.fn, tx)
		if err != nil && !careful {
			sqlTx.Rollback()
			for _, r := range batch {
				r.careful = true
			}
			return batch
		}
		if err != nil {
			errs[i] = err
			if s.pg && r.attempts < 8 {
				_, probe := q.ExecContext(ctx, `SELECT 1`)
				retry[i] = retryable(err) || (probe != nil && !r.statementFailed)
				r.statementFailed = r.statementFailed || probe != nil
			}
			if _, rbErr := q.ExecContext(ctx, `ROLLBACK TO req`); rbErr != nil {
				s.log.Error("rollback to savepoint", "err", rbErr)
			}
		} else {
			events = append(events, tx.events...)
			clearPoints = clearPoints || tx.changedContactPoints
		}
		if careful && !s.pg {
			if _, err := q.ExecContext(ctx, `RELEASE req`); err != nil {
				s.log.Error("release savepoint", "err", err)
			}
		}
	}
	if s.pg && len(events) > 0 {
		// The batch's events take their ids last, so the accounts' counters are held only for
		// the commit (postgres.go).
		bt := &Tx{tx: q, ctx: ctx, now: s.clock.Now().UTC().Truncate(time.Millisecond), pg: true, events: events}
		if err := bt.storeEventsPG(); err != nil {
			sqlTx.Rollback()
			if retryable(err) {
				return s.retryAll(batch)
			}
			fail(unavailable(err))
			return nil
		}
	}
	commitStart := time.Now()
	err = sqlTx.Commit()
	s.Stats.CommitNanos.Add(int64(time.Since(commitStart)))
	if err != nil {
		if s.pg && retryable(err) {
			return s.retryAll(batch)
		}
		if !careful && !connectionLost(err) {
			// A statement failed under a request that still returned nil: find it with
			// savepoints.
			for _, r := range batch {
				r.careful = true
			}
			return batch
		}
		fail(unavailable(fmt.Errorf("commit: %w", err)))
		return nil
	}
	if clearPoints {
		s.points.clear()
	}
	if len(events) > 0 {
		s.pubMu.RLock()
		pub := s.publish
		s.pubMu.RUnlock()
		if pub != nil {
			pub(events)
		}
	}
	for i, r := range batch {
		if retry[i] {
			r.attempts++
			again = append(again, r)
			continue
		}
		r.result <- unavailable(errs[i])
	}
	return again
}

// retryAll sends a whole batch round again (its transaction could not commit only because of
// a concurrent one), failing the requests that were tried too often.
func (s *Store) retryAll(batch []*writeReq) (again []*writeReq) {
	for _, r := range batch {
		if r.attempts++; r.attempts > 8 {
			r.result <- &livedesk.Error{Code: livedesk.CodeUnavailable, Message: "the database is too busy: try again"}
			continue
		}
		again = append(again, r)
	}
	return again
}

func safeCall(fn func(livedesk.Tx) error, tx *Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in write: %v", p)
		}
	}()
	return fn(tx)
}

// Tx is one write request's view of the batch transaction.
type Tx struct {
	tx     txq
	ctx    context.Context
	now    time.Time
	events []*livedesk.Event

	changedContactPoints bool // the contact point cache is cleared after the commit
	pg                   bool // PostgreSQL: events take per-account ids (postgres.go)
}

// Now is the time of this write.
func (tx *Tx) Now() time.Time { return tx.now }

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(tx.ctx, q, args...)
}

func (tx *Tx) queryRow(q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(tx.ctx, q, args...)
}

// Emit stores an event; it is published after the commit and gets its cursor now.
func (tx *Tx) Emit(e *livedesk.Event) error {
	if tx.pg {
		return tx.emitPG(e)
	}
	var vp any
	if e.VisitorPayload != nil {
		vp = string(e.VisitorPayload)
	}
	err := tx.queryRow(`INSERT INTO events(account_id, type, operator_id, operator2_id, staff, all_operators,
		visitor_id, payload, visitor_payload, created_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id`,
		e.AccountID, e.Type, nullID(e.OperatorID), nullID(e.Operator2ID), e.Staff, e.AllOperators,
		nullID(e.VisitorID), string(e.Payload), vp, ms(tx.now)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("emit %s: %w", e.Type, err)
	}
	tx.events = append(tx.events, e)
	return nil
}

func nullID(id livedesk.ID) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

// notFound maps sql.ErrNoRows to a not_found error naming what.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return livedesk.NotFound(what)
	}
	return unavailable(err)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

var _ livedesk.Store = (*Store)(nil)
