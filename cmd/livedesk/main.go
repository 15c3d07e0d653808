// Command livedesk runs the livedesk live-chat server and its tools.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // report time zones work on machines without a zoneinfo database

	"livedesk/internal/app"
	"livedesk/internal/bench"
	"livedesk/internal/config"
	"livedesk/internal/desk"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "livedesk:", err)
		}
		os.Exit(1)
	}
}

const usage = `usage: livedesk <command> [flags]

commands:
  serve            run the server (see livedesk serve -h)
  migrate          apply database migrations and exit
  migrate-data     move a SQLite installation and its files to PostgreSQL, with a
                   verification report (see docs/operations.md)
  account create   create an account with its admin; prints JSON
  bench            load generator (see docs/benchmarks.md)
  search-reindex   rebuild the search indexes (see docs/search.md)
  search-bench     seed messages and time searches (see docs/benchmarks.md)
  seed-history     write past conversations from JSON, at their own times (demos, tests)
  version          print the version
`

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command")
	}
	switch args[0] {
	case "serve":
		cfg, err := parse("serve", args[1:], getenv, stderr)
		if err != nil {
			return err
		}
		return app.Run(ctx, cfg, newLogger(cfg, stderr), stdout)
	case "migrate":
		cfg, err := parse("migrate", args[1:], getenv, stderr)
		if err != nil {
			return err
		}
		names, err := app.Migrate(ctx, cfg)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(map[string]any{"database": cfg.DatabaseName(), "applied": names})
	case "migrate-data":
		return migrateData(ctx, args[1:], stdout, stderr)
	case "account":
		if len(args) < 2 || args[1] != "create" {
			return errors.New("usage: livedesk account create --name NAME --admin-email EMAIL --admin-password PASS")
		}
		return accountCreate(ctx, args[2:], getenv, stdout, stderr)
	case "bench":
		return bench.Main(ctx, args[1:], stdout, stderr)
	case "search-reindex":
		return searchReindex(ctx, args[1:], getenv, stdout, stderr)
	case "search-bench":
		return searchBench(ctx, args[1:], getenv, stdout, stderr)
	case "seed-history":
		return seedHistory(ctx, args[1:], getenv, os.Stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "livedesk", app.Version)
		return nil
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
}

func parse(name string, args []string, getenv func(string) string, stderr io.Writer) (config.Config, error) {
	cfg := config.Default()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Register(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

func accountCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("account create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Register(fs, getenv)
	name := fs.String("name", "", "account name")
	email := fs.String("admin-email", "", "admin email")
	password := fs.String("admin-password", "", "admin password (at least 8 characters)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	acct, admin, err := app.CreateAccount(ctx, cfg, slog.New(slog.NewTextHandler(stderr, nil)), *name,
		desk.NewOperator{Name: "Admin", Email: *email, Password: *password})
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(map[string]any{"account_id": acct.ID, "admin_id": admin.ID})
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
