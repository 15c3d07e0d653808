package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"livedesk/internal/testkit/pgtest"
)

// TestMigrateDataCommand runs the command as the shell would: an installation made by
// `account create` (it never served, so it has no files directory) moves with a JSON report;
// a second move into the same database fails (exit status 1) with the refusal on stderr's
// line and no report; --files is required.
func TestMigrateDataCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	getenv := func(string) string { return "" }
	var out, errs bytes.Buffer
	if err := run(ctx, []string{"account", "create", "--data", data, "--bcrypt-cost", "4", "--name", "Команда",
		"--admin-email", "admin@example.test", "--admin-password", "password1"}, getenv, &out, &errs); err != nil {
		t.Fatalf("account create: %v %s", err, errs.String())
	}
	dsn := pgtest.Database(t)
	files := filepath.Join(t.TempDir(), "files")
	out.Reset()
	args := []string{"migrate-data", "--from", data, "--to", dsn, "--files", files, "--json", "--quiet"}
	if err := run(ctx, args, getenv, &out, &errs); err != nil {
		t.Fatalf("migrate-data: %v\n%s", err, out.String())
	}
	var rep struct {
		OK     bool `json:"ok"`
		Tables []struct {
			Table  string `json:"table"`
			Source int64  `json:"source_rows"`
			Target int64  `json:"target_rows"`
			OK     bool   `json:"ok"`
		} `json:"tables"`
		Files struct {
			Referenced int `json:"referenced"`
		} `json:"files"`
		Accounts []struct {
			Last int64 `json:"source_last_event"`
			Seq  int64 `json:"target_event_seq"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out.String())
	}
	if !rep.OK || len(rep.Tables) < 10 || len(rep.Accounts) != 1 || rep.Files.Referenced != 0 {
		t.Fatalf("report %s", out.String())
	}
	for _, tc := range rep.Tables {
		if tc.Table == "operators" && (tc.Source != 1 || tc.Target != 1 || !tc.OK) {
			t.Fatalf("operators row %+v", tc)
		}
	}

	out.Reset()
	err := run(ctx, args, getenv, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "already holds livedesk data") || out.Len() != 0 {
		t.Fatalf("second move: %v, stdout %q", err, out.String())
	}
	if err := run(ctx, []string{"migrate-data", "--from", data, "--to", dsn}, getenv, &out, &errs); err == nil || !strings.Contains(err.Error(), "--files is required") {
		t.Fatalf("without --files: %v", err)
	}
}
