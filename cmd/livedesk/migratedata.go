package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"

	"livedesk/internal/app"
)

// migrateData is `livedesk migrate-data`: it moves a single-node installation (SQLite and
// its files) to PostgreSQL and prints the verification report (--json: as JSON). It fails
// (exit 1) when the target is not empty or anything does not match.
func migrateData(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate-data", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts app.MigrateDataOptions
	fs.StringVar(&opts.From, "from", "./data", "data directory of the installation to move (its livedesk.db, files/, secret.key)")
	fs.StringVar(&opts.FromFiles, "from-files", "", "its attachment directory, when it ran with --files (default: FROM/files)")
	fs.StringVar(&opts.To, "to", "", "the PostgreSQL database to fill: postgres://… (it must be empty)")
	fs.StringVar(&opts.Files, "files", "", "attachment directory the PostgreSQL nodes will use (serve --files); the source's own keeps them in place")
	fs.BoolVar(&opts.AllowMissingFiles, "allow-missing-files", false, "commit although files the rows reference are missing from the source (they are listed)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	quiet := fs.Bool("quiet", false, "no progress lines on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return flag.ErrHelp
	}
	opts.Log = slog.New(slog.NewTextHandler(stderr, nil))
	if *quiet {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	rep, err := app.MigrateData(ctx, opts)
	if rep != nil {
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if jerr := enc.Encode(rep); jerr != nil {
				return jerr
			}
		} else {
			rep.WriteText(stdout)
		}
	}
	return err
}
