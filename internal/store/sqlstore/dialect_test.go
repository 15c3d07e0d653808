package sqlstore

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"livedesk/internal/livedesk"
)

// TestUnavailableServerStates: the errors PostgreSQL answers while it restarts — shutting
// down, crashed, not taking connections yet, a connection failure — are 503 unavailable,
// wrapped as the driver returns them (a failed connect wraps the server's FATAL); a
// statement's own error (a conflict, a deadlock, a cancelled query) is not.
func TestUnavailableServerStates(t *testing.T) {
	for _, code := range []string{"57P01", "57P02", "57P03", "08006", "08001"} {
		err := fmt.Errorf("begin: failed to connect: %w", &pgconn.PgError{Severity: "FATAL", Code: code})
		if !livedesk.IsCode(unavailable(err), livedesk.CodeUnavailable) {
			t.Errorf("SQLSTATE %s is not unavailable: %v", code, unavailable(err))
		}
	}
	for _, code := range []string{"23505", "40P01", "57014", "42P01"} {
		err := fmt.Errorf("insert: %w", &pgconn.PgError{Severity: "ERROR", Code: code})
		if got := unavailable(err); livedesk.IsCode(got, livedesk.CodeUnavailable) || !errors.Is(got, err) {
			t.Errorf("SQLSTATE %s became %v", code, got)
		}
	}
}
