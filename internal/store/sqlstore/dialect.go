package sqlstore

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"livedesk/internal/livedesk"
	"net"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	sqlitedrv "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The store's SQL is written once, with ? placeholders and 0/1 flags, and runs on SQLite and
// on PostgreSQL. The few differences are here: placeholders become $n for PostgreSQL, Go
// booleans are sent as 0/1 (flags are integer columns in both schemas), and unique
// violations are recognised by each driver's error code.

// rebind turns the ? placeholders of q into PostgreSQL's $1, $2, … (a ? inside a quoted
// string or identifier is left alone).
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		ch := q[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// pgArgs sends Go booleans as 0/1: the flag columns are integers in both schemas.
func pgArgs(args []any) []any {
	for i, a := range args {
		if v, ok := a.(bool); ok {
			if v {
				args[i] = int64(1)
			} else {
				args[i] = int64(0)
			}
		}
	}
	return args
}

// isUnique reports whether err is a unique-constraint violation, by the driver's error code
// (SQLite's extended result code for a UNIQUE index or a PRIMARY KEY, PostgreSQL's SQLSTATE
// 23505), not by its wording.
func isUnique(err error) bool {
	var e *sqlitedrv.Error
	if errors.As(err, &e) {
		return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// uniqueIndex names what a unique violation hit: PostgreSQL reports the index by name,
// SQLite the indexed columns ("messages.account_id, messages.email_message_id").
func uniqueIndex(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.ConstraintName
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// retryable reports whether a PostgreSQL transaction failed only because of a concurrent one
// (serialization failure or deadlock) and may simply run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// unavailable turns a lost or refused connection to the database (PostgreSQL across the
// network) into the API's 503 unavailable: nothing was written, and the same request works
// when the database is back. Other errors pass unchanged.
func unavailable(err error) error {
	if err == nil || !connectionLost(err) {
		return err
	}
	return &livedesk.Error{Code: livedesk.CodeUnavailable, Message: "the database cannot be reached: try again in a moment", Err: err}
}

// connectionLost reports whether err comes from the connection to the database rather than
// from the statement: refused, reset, closed under the driver, or ended by the server going
// away — a connection error (SQLSTATE class 08) or the server shutting down, crashed, or
// still starting and not taking connections yet (57P01–57P05), as when PostgreSQL restarts.
func connectionLost(err error) bool {
	if _, ok := errors.AsType[*livedesk.Error](err); ok {
		return false
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok && (strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P")) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, sql.ErrConnDone) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed") // pgconn's error for a connection closed under it
}
