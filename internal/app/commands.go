package app

import (
	"context"
	"errors"
	"log/slog"

	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/store/sqlite"
)

// Migrate applies the pending migrations of the configured database and returns their names
// (`livedesk migrate`).
func Migrate(ctx context.Context, cfg config.Config) ([]string, error) {
	if cfg.SQLitePath() == "" {
		return nil, errors.New("PostgreSQL arrives with the scale-out issue")
	}
	return sqlite.Migrate(ctx, cfg.SQLitePath())
}

// CreateAccount opens the configured database and creates an account with its first admin
// (`livedesk account create`).
func CreateAccount(ctx context.Context, cfg config.Config, log *slog.Logger, name string, admin desk.NewOperator) (*livedesk.Account, *livedesk.Operator, error) {
	st, err := sqlite.Open(sqlite.Options{Path: cfg.SQLitePath(), Synchronous: cfg.Synchronous, Log: log})
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	d := desk.New(st, log)
	d.Configure(desk.Options{BcryptCost: cfg.BcryptCost})
	return d.CreateAccount(ctx, name, admin, cfg.BcryptCost)
}
