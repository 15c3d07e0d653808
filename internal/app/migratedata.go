package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"livedesk/internal/attachment"
	"livedesk/internal/livedesk"
	"livedesk/internal/secret"
	"livedesk/internal/store/sqlstore"
)

// MigrateDataOptions is what `livedesk migrate-data` is told.
type MigrateDataOptions struct {
	// From is the single-node installation's data directory (livedesk.db, files/,
	// secret.key).
	From string
	// FromFiles is its attachment directory when not From/files (it ran with --files).
	FromFiles string
	// To is the PostgreSQL database URL; it must be empty (or hold only the empty schema
	// `livedesk migrate` makes).
	To string
	// Files is the attachment directory the PostgreSQL nodes will use (--files of serve); it
	// may be the source's own (nothing copied, everything verified).
	Files string
	// AllowMissingFiles commits the copy although files the rows reference are missing from
	// the source (they are lost already); they are still listed.
	AllowMissingFiles bool
	Log               *slog.Logger
}

// MigrateDataReport is the verification report of migrate-data.
type MigrateDataReport struct {
	*sqlstore.CopyReport
	// FilesFrom and FilesTo are the attachment directories.
	FilesFrom string                  `json:"files_from"`
	FilesTo   string                  `json:"files_to"`
	Files     *attachment.ContentCopy `json:"files"`
	// SecretKeyFile is the source's key file when it has one: the nodes need that key for
	// the sealed mailbox passwords.
	SecretKeyFile string `json:"secret_key_file,omitempty"`
	// OK tells that everything was copied and verified and the copy committed.
	OK bool `json:"ok"`
	// Errors are why it is not OK (empty when it is).
	Errors   []string `json:"errors"`
	Duration string   `json:"duration"`
}

// MigrateData moves a single-node installation (SQLite and its files) to PostgreSQL and the
// files directory the nodes will share (`livedesk migrate-data`): the database is copied
// from one snapshot of the source in one transaction of the target, every table counted
// and checksummed on both sides; the files its rows reference are copied and hashed; the
// target commits only when all of it matches. The report comes back with the error when a
// copy was made and given up (the target is left empty, the files it wrote removed).
func MigrateData(ctx context.Context, opts MigrateDataOptions) (*MigrateDataReport, error) {
	start := time.Now()
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	switch {
	case opts.From == "":
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "--from is required: the data directory of the installation to move")
	case !strings.HasPrefix(opts.To, "postgres://") && !strings.HasPrefix(opts.To, "postgresql://"):
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "--to must be the PostgreSQL database URL (postgres://…)")
	case opts.Files == "":
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput,
			"--files is required: the attachment directory the PostgreSQL nodes will use (every node must see it; give the source's %s to keep the files where they are)",
			filepath.Join(opts.From, "files"))
	}
	if opts.FromFiles == "" {
		opts.FromFiles = filepath.Join(opts.From, "files")
	}
	rep := &MigrateDataReport{FilesFrom: opts.FromFiles, FilesTo: opts.Files, Errors: []string{}}
	if _, err := os.Stat(filepath.Join(opts.From, secret.DefaultKeyFile)); err == nil {
		rep.SecretKeyFile = filepath.Join(opts.From, secret.DefaultKeyFile)
	}
	src, err := attachment.OpenDiskReadOnly(opts.FromFiles)
	if errors.Is(err, fs.ErrNotExist) {
		src, err = nil, nil // never served (`account create` only): no files
	}
	if err != nil {
		return nil, livedesk.Errorf(livedesk.CodeNotFound, "the source's files (--from-files): %v", err)
	}
	var dst *attachment.Disk
	copied, err := sqlstore.CopyToPostgres(ctx, sqlstore.CopyOptions{
		SQLitePath:  filepath.Join(opts.From, "livedesk.db"),
		PostgresDSN: opts.To,
		Log:         opts.Log,
		BeforeCommit: func(ctx context.Context, r *sqlstore.CopyReport) error {
			want := make([]attachment.Wanted, len(r.Files))
			for i, f := range r.Files {
				want[i] = attachment.Wanted{SHA256: f.SHA256, Size: f.Size}
			}
			var err error
			if dst, err = attachment.NewDisk(opts.Files); err != nil {
				return err
			}
			rep.Files, err = attachment.CopyContent(ctx, src, dst, want)
			if err != nil {
				return err
			}
			opts.Log.Info("copied the files", "referenced", rep.Files.Referenced, "copied", rep.Files.Copied, "verified", rep.Files.Verified)
			if len(rep.Files.Mismatched) > 0 || (len(rep.Files.Missing) > 0 && !opts.AllowMissingFiles) {
				return livedesk.Errorf(livedesk.CodeConflict, "files do not match their rows: nothing was committed")
			}
			return nil
		},
	})
	rep.CopyReport = copied
	rep.Duration = time.Since(start).Round(time.Millisecond).String()
	if copied == nil {
		return nil, err
	}
	if err != nil || !copied.Committed {
		// Given up: the files this run wrote go too (the rows that referenced them are gone).
		if rep.Files != nil && dst != nil {
			for _, sha := range rep.Files.Created {
				dst.Delete(sha)
			}
		}
	}
	for _, t := range copied.Tables {
		if !t.OK {
			rep.Errors = append(rep.Errors, fmt.Sprintf("table %s: %d rows in the source, %d in the target, checksums %s / %s",
				t.Table, t.SourceRows, t.TargetRows, t.SourceSum, t.TargetSum))
		}
	}
	for _, a := range copied.Accounts {
		if a.SourceLast != a.TargetSeq {
			rep.Errors = append(rep.Errors, fmt.Sprintf("account %d: newest event %d in the source, counter %d in the target", a.Account, a.SourceLast, a.TargetSeq))
		}
	}
	if rep.Files != nil {
		for _, sha := range rep.Files.Missing {
			rep.Errors = append(rep.Errors, "file "+sha+": referenced by a row, missing from "+opts.FromFiles)
		}
		for _, p := range rep.Files.Mismatched {
			rep.Errors = append(rep.Errors, "file "+p.SHA256+": "+p.Problem)
		}
	}
	if err != nil && len(rep.Errors) == 0 {
		rep.Errors = append(rep.Errors, err.Error())
	}
	rep.OK = copied.Committed && len(rep.Errors) == 0
	if err == nil && !rep.OK && copied.Committed {
		err = livedesk.Errorf(livedesk.CodeConflict, "copied and committed with missing files (--allow-missing-files): see the report")
	}
	return rep, err
}

// WriteText writes the report for a person.
func (r *MigrateDataReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "livedesk migrate-data: %s → %s\n", r.Source, r.Target)
	changed := "no"
	if r.SourceChanged {
		changed = "YES — what was written after it is not in the copy (stop the node and copy again into an empty database for a zero-loss move)"
	}
	fmt.Fprintf(w, "snapshot: %s (source written after it: %s)\n", r.SnapshotAt.Format(time.RFC3339Nano), changed)
	if len(r.Migrations) > 0 {
		fmt.Fprintf(w, "migrations applied to the target: %s\n", strings.Join(r.Migrations, ", "))
	}
	if len(r.Accounts) > 0 {
		var parts []string
		for _, a := range r.Accounts {
			parts = append(parts, fmt.Sprintf("account %d up to %d", a.Account, a.SourceLast))
		}
		fmt.Fprintf(w, "events (client cursors stay valid): %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	width := len("table")
	for _, t := range r.Tables {
		width = max(width, len(t.Table))
	}
	fmt.Fprintf(w, "%-*s  %11s  %11s  %s\n", width, "table", "source rows", "target rows", "check")
	for _, t := range r.Tables {
		target, check := fmt.Sprint(t.TargetRows), "OK"
		switch {
		case t.TargetRows < 0:
			target, check = "-", t.Note
		case !t.OK:
			check = "MISMATCH"
		}
		fmt.Fprintf(w, "%-*s  %11d  %11s  %s\n", width, t.Table, t.SourceRows, target, check)
	}
	if len(r.Sequences) > 0 {
		var parts []string
		for _, s := range r.Sequences {
			parts = append(parts, fmt.Sprintf("%s.%s %d", s.Table, s.Column, s.Next))
		}
		fmt.Fprintf(w, "next ids: %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	if f := r.Files; f != nil {
		how := fmt.Sprintf("%d copied, %d already there", f.Copied, f.AlreadyThere)
		if f.InPlace {
			how = "kept in place"
		}
		fmt.Fprintf(w, "files: %s → %s\n", r.FilesFrom, r.FilesTo)
		fmt.Fprintf(w, "  %d referenced (%s), %s, %d verified by SHA-256, %d missing, %d mismatched; %d unreferenced in the source not copied\n",
			f.Referenced, byteSize(f.Bytes), how, f.Verified, len(f.Missing), len(f.Mismatched), f.Unreferenced)
	}
	if r.SealedSecrets > 0 {
		key := "the --secret-key the old node ran with"
		if r.SecretKeyFile != "" {
			key = "the key in " + r.SecretKeyFile
		}
		fmt.Fprintf(w, "mailboxes with sealed passwords: %d — start every node with %s (--secret-key)\n", r.SealedSecrets, key)
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "ERROR %s\n", e)
	}
	switch {
	case r.OK:
		fmt.Fprintf(w, "result: OK, committed (%s)\n", r.Duration)
	case r.Committed:
		fmt.Fprintf(w, "result: committed with errors (%s)\n", r.Duration)
	default:
		fmt.Fprintf(w, "result: FAILED, nothing committed: the target is empty (%s)\n", r.Duration)
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
