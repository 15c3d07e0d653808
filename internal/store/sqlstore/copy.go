package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"log/slog"
	"math"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"livedesk/internal/livedesk"
)

// The database half of `livedesk migrate-data`: a single-node installation's SQLite database
// copied into an empty PostgreSQL database, table by table, generic over the schema. The
// source is read in one read transaction (a consistent snapshot, while a node may go on
// writing); the target is written in one transaction that commits only when every table's
// rows were counted and checksummed on both sides (and the caller's BeforeCommit, the files,
// agreed), so a failed run leaves the target as empty as it found it.

// CopyOptions configure CopyToPostgres.
type CopyOptions struct {
	// SQLitePath is the source database file (it must exist; it is never written).
	SQLitePath string
	// PostgresDSN is the target database's URL.
	PostgresDSN string
	// BeforeCommit runs when every table is copied and verified and the source's snapshot is
	// closed (the report is filled in), while the target's transaction is still open; an
	// error rolls the whole copy back. migrate-data copies the files here.
	BeforeCommit func(ctx context.Context, r *CopyReport) error
	Log          *slog.Logger

	// afterTable runs after each table is copied (tests: a writer on the source moves on).
	afterTable func(table string)
}

// CopyReport is what CopyToPostgres did and found.
type CopyReport struct {
	// Source is the SQLite file; Target the PostgreSQL URL without its password.
	Source string `json:"source"`
	Target string `json:"target"`
	// SnapshotAt is the moment the copy reflects: the source's read transaction began then.
	SnapshotAt time.Time `json:"snapshot_at"`
	// SourceChanged tells that the source was written after the snapshot (a node was
	// running): what it wrote then is not in the copy.
	SourceChanged bool `json:"source_changed_after_snapshot"`
	// Migrations are the PostgreSQL migrations this run applied to the target (none when
	// `livedesk migrate` had made the empty schema).
	Migrations []string `json:"migrations_applied"`
	// Accounts are each account's newest event id in the copy, i.e. the cursor a client
	// that saw everything holds, and the account's event counter on the target.
	Accounts []AccountEvents `json:"accounts"`
	// Tables are the tables in the order they were copied (foreign keys first).
	Tables []TableCopy `json:"tables"`
	// Sequences are the id generators set past the copied rows.
	Sequences []SequenceSet `json:"sequences"`
	// Files are the attachment contents the copied rows reference (not expired).
	Files []FileRef `json:"-"`
	// SealedSecrets counts the mailboxes whose own servers' passwords were copied sealed: the
	// nodes need the key that sealed them.
	SealedSecrets int `json:"sealed_secrets"`
	// Committed tells that the target's transaction committed.
	Committed bool `json:"committed"`
}

// AccountEvents is one account's place in the event log, in the source and on the target.
type AccountEvents struct {
	Account livedesk.ID `json:"account"`
	// SourceLast is the newest event id the account had in the source (kept or pruned).
	SourceLast livedesk.ID `json:"source_last_event"`
	// TargetSeq is the account's event counter on the target: its next event is one more.
	TargetSeq livedesk.ID `json:"target_event_seq"`
}

// TableCopy is one table's verification.
type TableCopy struct {
	Table      string `json:"table"`
	SourceRows int64  `json:"source_rows"`
	// TargetRows is -1 for a table that has no counterpart on the target (Note says where
	// its content went).
	TargetRows int64 `json:"target_rows"`
	// SourceSum and TargetSum are order-independent SHA-256 sums over the rows' values (the
	// columns both sides share), as sent and as read back.
	SourceSum string `json:"source_checksum,omitempty"`
	TargetSum string `json:"target_checksum,omitempty"`
	Note      string `json:"note,omitempty"`
	OK        bool   `json:"ok"`
}

// SequenceSet is an id generator set after the copy: the next id it gives.
type SequenceSet struct {
	Table  string `json:"table"`
	Column string `json:"column"`
	Next   int64  `json:"next"`
}

// FileRef is attachment content the copied rows need.
type FileRef struct {
	SHA256 string
	Size   int64
}

// ErrTablesMismatch is returned (with the report) when a table's rows differ between the
// source and the target after the copy; nothing was committed.
var ErrTablesMismatch = &livedesk.Error{Code: livedesk.CodeConflict, Message: "the copied tables do not match the source: nothing was committed"}

// sourceOnlyTables are SQLite tables with no PostgreSQL counterpart, and where their content
// goes instead.
var sourceOnlyTables = map[string]string{
	"event_marks": "folded into accounts.event_seq",
}

// derivedColumns are PostgreSQL columns with no SQLite counterpart: copy computes them.
var derivedColumns = map[string]bool{
	"accounts.event_seq": true,
}

// CopyToPostgres copies the SQLite database into an empty PostgreSQL database (its
// migrations applied first when it has none) and returns the report. It refuses, writing
// nothing, a target whose livedesk tables hold any row, and a schema whose tables or columns
// differ between the two databases in a way it does not know. The report is returned with
// the error when the copy was made but not committed (a mismatch, BeforeCommit's error).
func CopyToPostgres(ctx context.Context, opts CopyOptions) (*CopyReport, error) {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	rep := &CopyReport{Source: opts.SQLitePath, Target: redactDSN(opts.PostgresDSN), Migrations: []string{}}

	src, err := openCopySource(opts.SQLitePath)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	conn, err := src.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	defer conn.Close()
	// One read transaction over the whole copy: every table is read as of one moment while
	// the node goes on writing (WAL readers do not block the writer, nor it them).
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	inSnapshot := true
	defer func() {
		if inSnapshot {
			conn.ExecContext(context.Background(), `ROLLBACK`)
		}
	}()
	if err := checkSourceVersions(ctx, conn); err != nil { // its first read takes the snapshot
		return nil, err
	}
	rep.SnapshotAt = time.Now().UTC().Truncate(time.Millisecond)
	var dataVersion int64
	if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&dataVersion); err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}

	target, err := sql.Open("pgx", opts.PostgresDSN)
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	defer target.Close()
	if err := target.PingContext(ctx); err != nil {
		return nil, unavailable(fmt.Errorf("target: %w", err))
	}
	if err := checkTargetEmpty(ctx, target); err != nil {
		return nil, err
	}
	before, err := appliedPG(ctx, target)
	if err != nil {
		return nil, err
	}
	if err := migratePG(ctx, target); err != nil {
		return nil, err
	}
	after, err := appliedPG(ctx, target)
	if err != nil {
		return nil, err
	}
	for _, n := range after {
		if !slices.Contains(before, n) {
			rep.Migrations = append(rep.Migrations, n)
		}
	}

	pc, err := pgx.Connect(ctx, opts.PostgresDSN)
	if err != nil {
		return nil, unavailable(fmt.Errorf("target: %w", err))
	}
	defer pc.Close(context.Background())
	tx, err := pc.Begin(ctx)
	if err != nil {
		return nil, unavailable(fmt.Errorf("target: %w", err))
	}
	defer tx.Rollback(context.Background())

	plan, err := planCopy(ctx, conn, tx)
	if err != nil {
		return nil, err
	}
	// Nobody else writes the target while it is filled: a node started on it too early waits
	// (or, after the lock timeout, this copy stops), and the emptiness checked above is
	// checked again under the locks.
	if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '15s'`); err != nil {
		return nil, err
	}
	var names []string
	for _, t := range plan.tables {
		names = append(names, pgx.Identifier{t.name}.Sanitize())
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE `+strings.Join(names, ", ")+` IN ACCESS EXCLUSIVE MODE`); err != nil {
		return nil, fmt.Errorf("lock the target's tables: %w", err)
	}
	if full, err := tablesWithRows(ctx, tx, plan.tables); err != nil {
		return nil, err
	} else if len(full) > 0 {
		return nil, notEmpty(full)
	}

	start := time.Now()
	for _, t := range plan.tables {
		tc, err := copyTable(ctx, conn, tx, t)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t.name, err)
		}
		log.Info("copied table", "table", t.name, "rows", tc.SourceRows)
		rep.Tables = append(rep.Tables, tc)
		if opts.afterTable != nil {
			opts.afterTable(t.name)
		}
	}
	for _, name := range plan.sourceOnly {
		n, err := countRows(ctx, conn, name)
		if err != nil {
			return nil, err
		}
		rep.Tables = append(rep.Tables, TableCopy{Table: name, SourceRows: n, TargetRows: -1, Note: sourceOnlyTables[name], OK: true})
	}
	if rep.Accounts, err = setEventCounters(ctx, conn, tx); err != nil {
		return nil, err
	}
	if rep.Sequences, err = setSequences(ctx, tx, plan.tables); err != nil {
		return nil, err
	}
	if err := verifyTables(ctx, tx, plan.tables, rep.Tables); err != nil {
		return nil, err
	}
	if rep.Files, err = referencedFiles(ctx, conn); err != nil {
		return nil, err
	}
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_servers WHERE imap_password <> '' OR smtp_password <> ''`).
		Scan(&rep.SealedSecrets); err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	log.Info("copied the database", "tables", len(plan.tables), "took", time.Since(start).Round(time.Millisecond))

	// The snapshot ends; PRAGMA data_version changes when another connection committed since.
	inSnapshot = false
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	var nowVersion int64
	if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&nowVersion); err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	rep.SourceChanged = nowVersion != dataVersion

	for _, t := range rep.Tables {
		if !t.OK {
			return rep, ErrTablesMismatch
		}
	}
	for _, a := range rep.Accounts {
		if a.SourceLast != a.TargetSeq {
			return rep, ErrTablesMismatch
		}
	}
	if opts.BeforeCommit != nil {
		if err := opts.BeforeCommit(ctx, rep); err != nil {
			return rep, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return rep, unavailable(fmt.Errorf("commit the copy: %w", err))
	}
	rep.Committed = true
	return rep, nil
}

// redactDSN is the URL without its password.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		return u.Redacted()
	}
	return "postgres"
}

// openCopySource opens the source database for reading only; a missing file is an error
// (opening would create an empty database).
func openCopySource(path string) (*sql.DB, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, &livedesk.Error{Code: livedesk.CodeNotFound, Message: "the source database " + path + " cannot be read", Err: err}
	} else if st.IsDir() {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "the source database %s is a directory", path)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("open the source: %w", err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// checkSourceVersions requires the source to be at exactly this binary's SQLite schema: an
// older one would miss columns, a newer one have some this copy does not know.
func checkSourceVersions(ctx context.Context, conn *sql.Conn) error {
	want, err := embeddedVersions("migrations")
	if err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "the source is not a livedesk database (%v)", err)
	}
	have, err := collect(rows, nil, scanOne[int])
	if err != nil {
		return err
	}
	if !slices.Equal(have, want) {
		return livedesk.Errorf(livedesk.CodeConflict,
			"the source database is at schema %s, this livedesk's is %s: run the same livedesk version on it (or `livedesk migrate --data DIR`) first",
			lastVersion(have), lastVersion(want))
	}
	return nil
}

func lastVersion(v []int) string {
	if len(v) == 0 {
		return "none"
	}
	return fmt.Sprintf("%04d", v[len(v)-1])
}

// embeddedVersions lists the migration numbers of dir in order.
func embeddedVersions(dir string) ([]int, error) {
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out, nil
}

// pgTables lists the tables of the target's current schema.
func pgTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.relname FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.relname`)
	if err != nil {
		return nil, unavailable(fmt.Errorf("target: %w", err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// checkTargetEmpty refuses a target that holds anything but an empty livedesk schema: tables
// that are not livedesk's, migrations this binary does not know, or any livedesk row.
func checkTargetEmpty(ctx context.Context, db *sql.DB) error {
	tables, err := pgTables(ctx, db)
	if err != nil || len(tables) == 0 {
		return err
	}
	if !slices.Contains(tables, "schema_migrations") {
		return livedesk.Errorf(livedesk.CodeConflict,
			"the target database is not empty and not livedesk's (it has tables %s): give an empty database", strings.Join(tables, ", "))
	}
	known, err := embeddedVersions("migrations_pg")
	if err != nil {
		return err
	}
	var newest int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return unavailable(fmt.Errorf("target: %w", err))
	}
	if len(known) > 0 && newest > known[len(known)-1] {
		return livedesk.Errorf(livedesk.CodeConflict, "the target database is at schema %04d, newer than this livedesk's %04d", newest, known[len(known)-1])
	}
	var full []string
	for _, t := range tables {
		if t == "schema_migrations" {
			continue
		}
		var has bool
		if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+pgx.Identifier{t}.Sanitize()+`)`).Scan(&has); err != nil {
			return unavailable(fmt.Errorf("target: %w", err))
		}
		if has {
			full = append(full, t)
		}
	}
	if len(full) > 0 {
		return notEmpty(full)
	}
	return nil
}

func notEmpty(tables []string) error {
	return &livedesk.Error{Code: livedesk.CodeConflict, Details: map[string]string{"tables": strings.Join(tables, ",")},
		Message: "the target database already holds livedesk data (rows in " + strings.Join(tables, ", ") +
			"): migrate-data copies only into an empty database; nothing was written"}
}

// appliedPG lists the target's applied migrations.
func appliedPG(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY version`)
	if err != nil {
		var n int
		if db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_class WHERE relname = 'schema_migrations' AND relnamespace = current_schema()::regnamespace`).Scan(&n) == nil && n == 0 {
			return nil, nil
		}
		return nil, unavailable(fmt.Errorf("target: %w", err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// copyPlan is what to copy: the target's tables in foreign-key order with the columns both
// sides have, and the source's tables whose content goes elsewhere.
type copyPlan struct {
	tables     []*copyTablePlan
	sourceOnly []string
}

type copyTablePlan struct {
	name string
	// cols are the columns copied (the target's order, derived ones left out) and their
	// PostgreSQL types (pg_type.typname).
	cols  []string
	types []string
}

// planCopy compares the two schemas and orders the target's tables so that every table
// comes after those its foreign keys reference. A table or column on one side only that is
// not a known difference (sourceOnlyTables, derivedColumns) is an error naming all of them:
// a migration added to one database and not the other must not be skipped silently.
func planCopy(ctx context.Context, conn *sql.Conn, tx pgx.Tx) (*copyPlan, error) {
	srcTables, err := sqliteTables(ctx, conn)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT c.relname, a.attname, t.typname FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		JOIN pg_type t ON t.oid = a.atttypid
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations'
			AND a.attgenerated = '' -- computed by PostgreSQL (messages.search)
		ORDER BY c.relname, a.attnum`)
	if err != nil {
		return nil, err
	}
	tgt := map[string]*copyTablePlan{}
	var tgtNames []string
	var derived []string
	for rows.Next() {
		var table, col, typ string
		if err := rows.Scan(&table, &col, &typ); err != nil {
			rows.Close()
			return nil, err
		}
		t := tgt[table]
		if t == nil {
			t = &copyTablePlan{name: table}
			tgt[table] = t
			tgtNames = append(tgtNames, table)
		}
		if derivedColumns[table+"."+col] {
			derived = append(derived, table+"."+col)
			continue
		}
		t.cols = append(t.cols, col)
		t.types = append(t.types, typ)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var problems []string
	plan := &copyPlan{}
	for _, name := range srcTables {
		if tgt[name] == nil {
			if sourceOnlyTables[name] != "" {
				plan.sourceOnly = append(plan.sourceOnly, name)
				continue
			}
			problems = append(problems, "table "+name+" is in the SQLite database only")
		}
	}
	for _, name := range tgtNames {
		if !slices.Contains(srcTables, name) {
			problems = append(problems, "table "+name+" is in the PostgreSQL database only")
			continue
		}
		srcCols, err := sqliteColumns(ctx, conn, name)
		if err != nil {
			return nil, err
		}
		for _, c := range srcCols {
			if !slices.Contains(tgt[name].cols, c) && !derivedColumns[name+"."+c] {
				problems = append(problems, "column "+name+"."+c+" is in the SQLite database only")
			}
		}
		for _, c := range tgt[name].cols {
			if !slices.Contains(srcCols, c) {
				problems = append(problems, "column "+name+"."+c+" is in the PostgreSQL database only")
			}
		}
	}
	for d := range derivedColumns {
		if !slices.Contains(derived, d) {
			problems = append(problems, "column "+d+" (computed by the copy) is missing from the PostgreSQL database")
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, livedesk.Errorf(livedesk.CodeConflict, "the SQLite and PostgreSQL schemas differ: %s", strings.Join(problems, "; "))
	}

	// Foreign keys: parent → children.
	refs := map[string][]string{}
	frows, err := tx.Query(ctx, `SELECT ch.relname, pa.relname FROM pg_constraint k
		JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
		WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, err
	}
	for frows.Next() {
		var child, parent string
		if err := frows.Scan(&child, &parent); err != nil {
			frows.Close()
			return nil, err
		}
		if child != parent && !slices.Contains(refs[child], parent) {
			refs[child] = append(refs[child], parent)
		}
	}
	frows.Close()
	if err := frows.Err(); err != nil {
		return nil, err
	}
	order, err := foreignKeyOrder(tgtNames, refs)
	if err != nil {
		return nil, err
	}
	for _, name := range order {
		plan.tables = append(plan.tables, tgt[name])
	}
	return plan, nil
}

// foreignKeyOrder orders tables so that each comes after the tables it references (refs:
// table → the tables it references), alphabetically among those free to go; a cycle is an
// error.
func foreignKeyOrder(tables []string, refs map[string][]string) ([]string, error) {
	done := map[string]bool{}
	var out []string
	rest := slices.Clone(tables)
	slices.Sort(rest)
	for len(rest) > 0 {
		progressed := false
		for i := 0; i < len(rest); i++ {
			t := rest[i]
			ready := true
			for _, p := range refs[t] {
				if !done[p] && slices.Contains(tables, p) {
					ready = false
					break
				}
			}
			if ready {
				done[t] = true
				out = append(out, t)
				rest = slices.Delete(rest, i, i+1)
				progressed = true
				break // alphabetical among the ready ones: start over
			}
		}
		if !progressed {
			return nil, livedesk.Errorf(livedesk.CodeConflict, "the foreign keys of tables %s form a cycle: no order copies them", strings.Join(rest, ", "))
		}
	}
	return out, nil
}

// sqliteTables lists the source's tables but SQLite's own, the migrations' bookkeeping and
// the search indexes (virtual FTS5 tables and their shadow tables: PostgreSQL computes its
// own as the rows arrive).
func sqliteTables(ctx context.Context, conn *sql.Conn) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'schema_migrations' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	return collect(rows, nil, scanOne[string])
}

func sqliteColumns(ctx context.Context, conn *sql.Conn, table string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	return collect(rows, nil, scanOne[string])
}

// quoteCols quotes column names for either database (both take "double quotes").
func quoteCols(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(q, ", ")
}

func countRows(ctx context.Context, conn *sql.Conn, table string) (int64, error) {
	var n int64
	err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n)
	return n, err
}

// tablesWithRows names the tables that hold any row.
func tablesWithRows(ctx context.Context, tx pgx.Tx, tables []*copyTablePlan) ([]string, error) {
	var full []string
	for _, t := range tables {
		var has bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+pgx.Identifier{t.name}.Sanitize()+`)`).Scan(&has); err != nil {
			return nil, err
		}
		if has {
			full = append(full, t.name)
		}
	}
	return full, nil
}

// copyTable streams one table from the snapshot into the target with COPY, converting each
// value to its PostgreSQL column's type, and sums the rows as sent.
func copyTable(ctx context.Context, conn *sql.Conn, tx pgx.Tx, t *copyTablePlan) (TableCopy, error) {
	tc := TableCopy{Table: t.name}
	rows, err := conn.QueryContext(ctx, `SELECT `+quoteCols(t.cols)+` FROM `+pgx.Identifier{t.name}.Sanitize())
	if err != nil {
		return tc, fmt.Errorf("source: %w", err)
	}
	defer rows.Close()
	var sum rowSum
	raw := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	next := func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out := make([]any, len(raw))
		for i, v := range raw {
			c, err := toPG(v, t.types[i])
			if err != nil {
				return nil, fmt.Errorf("row %d (%s = %v), column %s: %w", tc.SourceRows+1, t.cols[0], raw[0], t.cols[i], err)
			}
			out[i] = c
		}
		tc.SourceRows++
		sum.add(out, t.types)
		return out, nil
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromFunc(next))
	if err != nil {
		return tc, err
	}
	if n != tc.SourceRows {
		return tc, fmt.Errorf("COPY took %d rows of %d", n, tc.SourceRows)
	}
	tc.SourceSum = sum.String()
	return tc, nil
}

// toPG converts a value read from SQLite to what the PostgreSQL column of type typ takes.
// The schemas keep times as Unix milliseconds and flags as 0/1 integers on both sides, JSON
// as text and pictures as BLOB → bytea; the other cases are here so that a later migration
// choosing a native type converts instead of failing.
func toPG(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "int8", "int4", "int2":
		n, ok := v.(int64)
		if f, isFloat := v.(float64); isFloat && f == math.Trunc(f) && math.Abs(f) < 1<<62 {
			n, ok = int64(f), true
		}
		if !ok {
			return nil, fmt.Errorf("%T %v is not an integer", v, v)
		}
		if (typ == "int2" && (n < math.MinInt16 || n > math.MaxInt16)) || (typ == "int4" && (n < math.MinInt32 || n > math.MaxInt32)) {
			return nil, fmt.Errorf("%d does not fit %s", n, typ)
		}
		return n, nil
	case "bool":
		n, ok := v.(int64)
		if !ok || (n != 0 && n != 1) {
			return nil, fmt.Errorf("%v is not a 0/1 flag", v)
		}
		return n == 1, nil
	case "timestamptz", "timestamp":
		n, ok := v.(int64)
		if !ok {
			return nil, fmt.Errorf("%v is not a time in Unix milliseconds", v)
		}
		return time.UnixMilli(n).UTC(), nil
	case "float8", "float4":
		switch n := v.(type) {
		case float64:
			return n, nil
		case int64:
			return float64(n), nil
		}
		return nil, fmt.Errorf("%T %v is not a number", v, v)
	case "text", "varchar", "bpchar", "json", "jsonb":
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case []byte:
			if !utf8.Valid(x) {
				return nil, errors.New("bytes that are not UTF-8 text")
			}
			s = string(x)
		default:
			return nil, fmt.Errorf("%T %v is not text", v, v)
		}
		if strings.IndexByte(s, 0) >= 0 {
			return nil, errors.New("text with a NUL character, which PostgreSQL text cannot hold")
		}
		if (typ == "json" || typ == "jsonb") && !json.Valid([]byte(s)) {
			return nil, errors.New("text that is not JSON")
		}
		return s, nil
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
		return nil, fmt.Errorf("%T %v is not bytes", v, v)
	}
	return nil, fmt.Errorf("the PostgreSQL type %s has no conversion from SQLite", typ)
}

// rowSum is an order-independent checksum of a set of rows: the SHA-256 of each row's
// values, encoded by kind, added up as four 64-bit lanes. The two databases return rows in
// different orders (and collate text differently), so no ORDER BY has to agree.
type rowSum [4]uint64

func (s *rowSum) add(row []any, types []string) {
	h := sha256.New()
	for i, v := range row {
		if v != nil && (types[i] == "json" || types[i] == "jsonb") {
			// Sent as text, read back decoded: both sum the canonical encoding.
			if text, ok := v.(string); ok {
				json.Unmarshal([]byte(text), &v)
			}
			j, _ := json.Marshal(v)
			writeBytes(h, 7, j)
			continue
		}
		switch x := v.(type) {
		case nil:
			h.Write([]byte{0})
		case int64:
			writeInt(h, 1, x)
		case int32:
			writeInt(h, 1, int64(x))
		case int16:
			writeInt(h, 1, int64(x))
		case bool:
			var n int64
			if x {
				n = 1
			}
			writeInt(h, 4, n)
		case float64:
			writeInt(h, 5, int64(math.Float64bits(x)))
		case float32:
			writeInt(h, 5, int64(math.Float64bits(float64(x))))
		case time.Time:
			writeInt(h, 6, x.UnixMicro())
		case string:
			writeBytes(h, 2, []byte(x))
		case []byte:
			writeBytes(h, 3, x)
		default:
			writeBytes(h, 8, fmt.Appendf(nil, "%T %v", x, x))
		}
	}
	d := h.Sum(nil)
	for i := range s {
		s[i] += binary.BigEndian.Uint64(d[i*8:])
	}
}

func writeInt(h hash.Hash, kind byte, n int64) {
	var b [9]byte
	b[0] = kind
	binary.BigEndian.PutUint64(b[1:], uint64(n))
	h.Write(b[:])
}

func writeBytes(h hash.Hash, kind byte, p []byte) {
	var b [9]byte
	b[0] = kind
	binary.BigEndian.PutUint64(b[1:], uint64(len(p)))
	h.Write(b[:])
	h.Write(p)
}

// String is the checksum in hex.
func (s rowSum) String() string {
	var b [32]byte
	for i, v := range s {
		binary.BigEndian.PutUint64(b[i*8:], v)
	}
	return hex.EncodeToString(b[:])
}

// setEventCounters sets each account's event counter to the newest event id it had in the
// source — kept, or pruned and remembered in event_marks — so its next event follows the
// copied ones and a client's cursor means on PostgreSQL what it meant on SQLite.
func setEventCounters(ctx context.Context, conn *sql.Conn, tx pgx.Tx) ([]AccountEvents, error) {
	rows, err := conn.QueryContext(ctx, `SELECT a.id,
		MAX(COALESCE((SELECT MAX(e.id) FROM events e WHERE e.account_id = a.id), 0),
			COALESCE((SELECT m.last_id FROM event_marks m WHERE m.account_id = a.id), 0))
		FROM accounts a ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	out, err := collect(rows, nil, func(sc scanner) (a AccountEvents, err error) { return a, sc.Scan(&a.Account, &a.SourceLast) })
	if err != nil {
		return nil, err
	}
	for i, a := range out {
		if err := tx.QueryRow(ctx, `UPDATE accounts SET event_seq = $2 WHERE id = $1 RETURNING event_seq`, a.Account, a.SourceLast).
			Scan(&out[i].TargetSeq); err != nil {
			return nil, fmt.Errorf("event counter of account %d: %w", a.Account, err)
		}
	}
	// Read back as the store will: no event above its account's counter.
	var above int64
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM events e JOIN accounts a ON a.id = e.account_id WHERE e.id > a.event_seq`).Scan(&above); err != nil {
		return nil, err
	}
	if above > 0 {
		return nil, fmt.Errorf("%d events are above their account's counter", above)
	}
	return out, nil
}

// setSequences sets every id generator of the copied tables (identity or serial columns)
// past the largest copied id, so that new rows continue after them.
func setSequences(ctx context.Context, tx pgx.Tx, tables []*copyTablePlan) ([]SequenceSet, error) {
	var out []SequenceSet
	for _, t := range tables {
		rows, err := tx.Query(ctx, `SELECT a.attname, pg_get_serial_sequence($1, a.attname) FROM pg_attribute a
			WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND pg_get_serial_sequence($1, a.attname) IS NOT NULL
			ORDER BY a.attnum`, pgx.Identifier{t.name}.Sanitize())
		if err != nil {
			return nil, err
		}
		type seq struct{ col, name string }
		var seqs []seq
		for rows.Next() {
			var s seq
			if err := rows.Scan(&s.col, &s.name); err != nil {
				rows.Close()
				return nil, err
			}
			seqs = append(seqs, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, s := range seqs {
			var top sql.NullInt64
			if err := tx.QueryRow(ctx, `SELECT MAX(`+pgx.Identifier{s.col}.Sanitize()+`) FROM `+pgx.Identifier{t.name}.Sanitize()).Scan(&top); err != nil {
				return nil, err
			}
			next := int64(1)
			if top.Valid && top.Int64 >= 1 {
				next = top.Int64 + 1
			}
			// setval(seq, next, false): nextval gives next.
			if _, err := tx.Exec(ctx, `SELECT setval($1, $2, false)`, s.name, next); err != nil {
				return nil, fmt.Errorf("sequence of %s.%s: %w", t.name, s.col, err)
			}
			out = append(out, SequenceSet{Table: t.name, Column: s.col, Next: next})
		}
	}
	return out, nil
}

// verifyTables counts and sums every copied table as the target's transaction sees it and
// records it in the report.
func verifyTables(ctx context.Context, tx pgx.Tx, tables []*copyTablePlan, report []TableCopy) error {
	for _, t := range tables {
		i := slices.IndexFunc(report, func(r TableCopy) bool { return r.Table == t.name })
		rows, err := tx.Query(ctx, `SELECT `+quoteCols(t.cols)+` FROM `+pgx.Identifier{t.name}.Sanitize())
		if err != nil {
			return err
		}
		var sum rowSum
		var n int64
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				rows.Close()
				return err
			}
			sum.add(vals, t.types)
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("verify %s: %w", t.name, err)
		}
		r := &report[i]
		r.TargetRows, r.TargetSum = n, sum.String()
		r.OK = r.TargetRows == r.SourceRows && r.TargetSum == r.SourceSum
	}
	return nil
}

// referencedFiles lists the attachment contents the snapshot's rows need: those of every
// attachment not expired (an expired one's content is gone by design).
func referencedFiles(ctx context.Context, conn *sql.Conn) ([]FileRef, error) {
	rows, err := conn.QueryContext(ctx, `SELECT sha256, MAX(size) FROM attachments WHERE expired = 0 GROUP BY sha256 ORDER BY sha256`)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	return collect(rows, nil, func(sc scanner) (f FileRef, err error) { return f, sc.Scan(&f.SHA256, &f.Size) })
}
