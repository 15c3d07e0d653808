package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// stmtCache prepares each distinct query once per database handle: SQLite spends most of a
// small statement's time parsing it, so reusing prepared statements matters on hot paths.
// On PostgreSQL (pg) nothing is prepared here: the driver keeps its own statement cache on
// each connection (preparing here would need a free connection while transactions hold them
// all). Each query is rebound to $n placeholders once (rebound), and Go booleans in its
// arguments are sent as 0/1.
type stmtCache struct {
	db      *sql.DB
	pg      bool
	mu      sync.RWMutex
	m       map[string]*sql.Stmt
	rebound sync.Map // query → its PostgreSQL text
}

func newStmtCache(db *sql.DB, pg bool) *stmtCache {
	return &stmtCache{db: db, pg: pg, m: map[string]*sql.Stmt{}}
}

// args adapts a query's arguments to the database.
func (c *stmtCache) args(args []any) []any {
	if c.pg {
		return pgArgs(args)
	}
	return args
}

// sql is q as the database reads it.
func (c *stmtCache) sql(q string) string {
	if !c.pg {
		return q
	}
	if r, ok := c.rebound.Load(q); ok {
		return r.(string)
	}
	r := rebind(q)
	c.rebound.Store(q, r)
	return r
}

func (c *stmtCache) get(ctx context.Context, q string) (*sql.Stmt, error) {
	c.mu.RLock()
	st := c.m[q]
	c.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st = c.m[q]; st != nil {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, c.sql(q))
	if err != nil {
		return nil, err
	}
	c.m[q] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

// collect reads every row of a query's answer (rows, err) with scan and closes the rows. The
// list is never nil: API lists answer [] rather than null.
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// scanOne reads a row of one column.
func scanOne[T any](sc scanner) (T, error) {
	var v T
	err := sc.Scan(&v)
	return v, err
}

// reader runs read queries on the pool through the statement cache.
type reader struct{ c *stmtCache }

func (r reader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if r.c.pg {
		rows, err := r.c.db.QueryContext(ctx, r.c.sql(q), r.c.args(args)...)
		return rows, unavailable(err)
	}
	st, err := r.c.get(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, r.c.args(args)...)
}

func (r reader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if r.c.pg {
		return r.c.db.QueryRowContext(ctx, r.c.sql(q), r.c.args(args)...)
	}
	st, err := r.c.get(ctx, q)
	if err != nil {
		// Let the caller see the preparation error through the usual Row path.
		return r.c.db.QueryRowContext(ctx, r.c.sql(q), r.c.args(args)...)
	}
	return st.QueryRowContext(ctx, r.c.args(args)...)
}

// txq runs queries inside a write transaction with the writer's cached statements, counting
// them in n.
type txq struct {
	tx *sql.Tx
	c  *stmtCache
	n  *atomic.Int64
}

func (t txq) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if t.c.pg {
		return nil, nil
	}
	st, err := t.c.get(ctx, q)
	if err != nil {
		return nil, err
	}
	return t.tx.StmtContext(ctx, st), nil
}

func (t txq) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	t.n.Add(1)
	if t.c.pg {
		return t.tx.QueryContext(ctx, t.c.sql(q), t.c.args(args)...)
	}
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, t.c.args(args)...)
}

func (t txq) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	t.n.Add(1)
	st, err := t.stmt(ctx, q)
	if t.c.pg || err != nil {
		return t.tx.QueryRowContext(ctx, t.c.sql(q), t.c.args(args)...)
	}
	return st.QueryRowContext(ctx, t.c.args(args)...)
}

func (t txq) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	t.n.Add(1)
	if t.c.pg {
		return t.tx.ExecContext(ctx, t.c.sql(q), t.c.args(args)...)
	}
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, t.c.args(args)...)
}
