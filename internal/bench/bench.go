// Package bench is `livedesk bench`, the load generator (see docs/benchmarks.md).
package bench

import (
	"context"
	"errors"
	"io"
)

// Main runs the benchmark command.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("bench: not built yet")
}
