package app

import (
	"context"
	"log/slog"

	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/store/sqlite"
)

// openStore opens the configured database: SQLite in --data (or --db sqlite:PATH), or
// PostgreSQL (--db postgres://…). The choice is made here, once.
func openStore(cfg config.Config, clock livedesk.Clock, log *slog.Logger) (*sqlite.Store, error) {
	if path := cfg.SQLitePath(); path != "" {
		return sqlite.Open(sqlite.Options{Path: path, Synchronous: cfg.Synchronous, Clock: clock, Log: log})
	}
	return sqlite.OpenPostgres(sqlite.PostgresOptions{DSN: cfg.DB, Clock: clock, Log: log})
}

// Migrate applies the pending migrations of the configured database and returns their names
// (`livedesk migrate`).
func Migrate(ctx context.Context, cfg config.Config) ([]string, error) {
	if path := cfg.SQLitePath(); path != "" {
		return sqlite.Migrate(ctx, path)
	}
	return sqlite.MigratePostgres(ctx, cfg.DB)
}

// CreateAccount opens the configured database and creates an account with its first admin
// (`livedesk account create`).
func CreateAccount(ctx context.Context, cfg config.Config, log *slog.Logger, name string, admin desk.NewOperator) (*livedesk.Account, *livedesk.Operator, error) {
	st, err := openStore(cfg, nil, log)
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	d := desk.New(st, log)
	d.Configure(desk.Options{BcryptCost: cfg.BcryptCost})
	return d.CreateAccount(ctx, name, admin, cfg.BcryptCost)
}
