package app

import (
	"context"
	"log/slog"

	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/store/sqlstore"
)

// openStore opens the configured database: SQLite in --data (or --db sqlite:PATH), or
// PostgreSQL (--db postgres://…). The choice is made here, once.
func openStore(cfg config.Config, clock livedesk.Clock, log *slog.Logger) (*sqlstore.Store, error) {
	if path := cfg.SQLitePath(); path != "" {
		return sqlstore.OpenSQLite(sqlstore.SQLiteOptions{Path: path, Synchronous: cfg.Synchronous, Clock: clock, Log: log})
	}
	return sqlstore.OpenPostgres(sqlstore.PostgresOptions{DSN: cfg.DB, Clock: clock, Log: log})
}

// Migrate applies the pending migrations of the configured database and returns their names
// (`livedesk migrate`).
func Migrate(ctx context.Context, cfg config.Config) ([]string, error) {
	if path := cfg.SQLitePath(); path != "" {
		return sqlstore.MigrateSQLite(ctx, path)
	}
	return sqlstore.MigratePostgres(ctx, cfg.DB)
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
