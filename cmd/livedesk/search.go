package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/livedesk"
)

// searchReindex is `livedesk search-reindex`: the search indexes rebuilt from the messages
// and visitors (docs/search.md); it prints JSON with the index size.
func searchReindex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parse("search-reindex", args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	start := time.Now()
	last := time.Now()
	size, err := app.ReindexSearch(ctx, cfg, log, func(done, of livedesk.ID) {
		if time.Since(last) > 5*time.Second || done == of {
			log.Info("search-reindex", "message_id", done, "of", of)
			last = time.Now()
		}
	})
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(map[string]any{"database": cfg.DatabaseName(), "index_bytes": size,
		"seconds": time.Since(start).Round(time.Millisecond).Seconds()})
}

// searchBench is `livedesk search-bench`: seeds a bench account (or reuses it) and times
// one-word searches (docs/benchmarks.md § Search).
func searchBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("search-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Register(fs, getenv)
	messages := fs.Int("messages", 1_000_000, "messages the bench account holds (seeded when it has fewer)")
	queries := fs.Int("queries", 200, "searches per word class and reader")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	rep, err := app.SearchBench(ctx, cfg, app.SearchBenchOptions{Messages: *messages, Queries: *queries,
		Log: slog.New(slog.NewTextHandler(stderr, nil))})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(stdout, "database %s: %d messages (seeded %d now", rep.Database, rep.Messages, rep.Seeded)
	if rep.Seeded > 0 {
		fmt.Fprintf(stdout, ", %.0f messages/s", rep.SeedRate)
	}
	fmt.Fprintf(stdout, ")\nsearch indexes %.1f MiB of %.1f MiB\n", float64(rep.IndexBytes)/(1<<20), float64(rep.DatabaseBytes)/(1<<20))
	fmt.Fprintf(stdout, "load average %s before the searches, %s after\n", rep.LoadAverage[0], rep.LoadAverage[1])
	fmt.Fprintf(stdout, "%-28s %-26s %7s %7s %7s %7s %8s %8s %7s\n", "reader", "word", "queries", "p50 ms", "p99 ms", "max ms",
		"cpu p50", "cpu p99", "results")
	for _, c := range append(rep.Classes, rep.All) {
		fmt.Fprintf(stdout, "%-28s %-26s %7d %7.2f %7.2f %7.2f %8.2f %8.2f %7.1f\n", c.Reader, c.Class, c.Queries, c.P50ms, c.P99ms,
			c.MaxMs, c.CPUP50ms, c.CPUP99ms, c.Results)
	}
	return nil
}

// seedHistory is `livedesk seed-history`: past conversations (JSON, an array of
// app.HistorySeed, from --file or standard input) written at their own times, for demos and
// browser tests; it prints what it wrote.
func seedHistory(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("seed-history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Register(fs, getenv)
	file := fs.String("file", "-", "the conversations as JSON (- : standard input)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	in := stdin
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	var seeds []app.HistorySeed
	dec := json.NewDecoder(in)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&seeds); err != nil {
		return fmt.Errorf("seed-history: %w", err)
	}
	out, err := app.SeedHistory(ctx, cfg, slog.New(slog.NewTextHandler(stderr, nil)), seeds)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(out)
}
