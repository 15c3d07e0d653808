// Package bench is `livedesk bench`, the load generator (see docs/benchmarks.md).
//
// It runs in its own process and talks to livedesk only over HTTP and WebSocket on
// 127.0.0.1. By default it starts livedesk as a child process on a fresh data directory,
// creates an account, operators and visitors, drives visitor messages at a given rate and
// measures, for each message, the time from the moment it was due to be sent until the
// assigned operator's WebSocket receives message.created for it. It then measures a raw
// WebSocket echo server (another child process, `livedesk bench echo-server`) with the same
// connections and the same rate, so results can be read as ratios on a noisy machine.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"syscall"
	"time"
)

// Options are the flags of `livedesk bench`.
type Options struct {
	// URL targets a running livedesk instead of starting one ("" starts a child).
	URL string
	// OperatorURL, with URL, is another node of the same installation: the operators sign in
	// and hold their WebSockets there, the visitors send to URL (cross-node delivery).
	OperatorURL string
	// AdminEmail and AdminPassword log in to the account used with URL.
	AdminEmail    string
	AdminPassword string
	// ServerPID is the running livedesk's process id, for the memory measurement with URL.
	ServerPID int
	// EchoURL targets a running echo server (ws://…) instead of starting one.
	EchoURL string
	// Echo runs the echo baseline.
	Echo bool

	Operators   int
	Visitors    int
	Rate        float64 // messages per second in total; 0: as fast as Concurrency allows
	Duration    time.Duration
	Concurrency int // senders (HTTP keep-alive connections) driving the load
	Size        int // message text bytes
	Conns       int // extra idle connections for the memory measurement (0: skip)
	Drain       time.Duration

	Synchronous string // SQLite synchronous mode of the child server
	SendQueue   int    // --send-queue of the child server (0: its default)
	Keep        bool   // keep the child's data directory
	JSON        bool
	Verbose     bool
}

// DefaultOptions are the defaults of the flags.
func DefaultOptions() Options {
	return Options{Echo: true, Operators: 10, Visitors: 1000, Rate: 1000, Duration: 20 * time.Second,
		Concurrency: 256, Size: 64, Drain: 5 * time.Second, Synchronous: "FULL"}
}

const usage = `usage: livedesk bench [flags]

Starts livedesk (and a raw WebSocket echo server) as child processes on 127.0.0.1, creates
an account, operators and visitors, drives visitor messages and reports throughput,
visitor→operator latency, memory per connection and the same figures for the echo baseline.
See docs/benchmarks.md.

flags:
`

// Main runs the benchmark command.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "echo-server" {
		return echoServerMain(ctx, args[1:], stderr)
	}
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if opts.Verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	res, err := Run(ctx, opts, log)
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	res.WriteText(stdout)
	return nil
}

func parseFlags(args []string, stderr io.Writer) (Options, error) {
	o := DefaultOptions()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.URL, "url", o.URL, "target a running livedesk at this http://127.0.0.1:PORT URL instead of starting one")
	fs.StringVar(&o.OperatorURL, "operator-url", o.OperatorURL, "with --url: the operators connect to this other node of the same installation (cross-node delivery)")
	fs.StringVar(&o.AdminEmail, "admin-email", o.AdminEmail, "admin email of the account to use with --url")
	fs.StringVar(&o.AdminPassword, "admin-password", o.AdminPassword, "admin password of the account to use with --url")
	fs.IntVar(&o.ServerPID, "server-pid", o.ServerPID, "process id of the livedesk given by --url (for the memory figure)")
	fs.StringVar(&o.EchoURL, "echo-url", o.EchoURL, "target a running echo server (ws://127.0.0.1:PORT/) instead of starting one")
	fs.BoolVar(&o.Echo, "echo", o.Echo, "measure the raw WebSocket echo baseline in the same run")
	fs.IntVar(&o.Operators, "operators", o.Operators, "operators, each with one WebSocket")
	fs.IntVar(&o.Visitors, "visitors", o.Visitors, "visitors, each with one WebSocket and one conversation")
	fs.Float64Var(&o.Rate, "rate", o.Rate, "visitor messages per second in total (0: as fast as --concurrency allows)")
	fs.DurationVar(&o.Duration, "duration", o.Duration, "how long messages are sent")
	fs.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "concurrent senders (HTTP keep-alive connections)")
	fs.IntVar(&o.Size, "size", o.Size, "message text size in bytes")
	fs.IntVar(&o.Conns, "conns", o.Conns, "extra idle visitor WebSockets opened to measure memory per connection (0: skip)")
	fs.DurationVar(&o.Drain, "drain", o.Drain, "how long to wait for deliveries after the last send")
	fs.StringVar(&o.Synchronous, "sqlite-synchronous", o.Synchronous, "SQLite synchronous mode of the child server: FULL or NORMAL")
	fs.IntVar(&o.SendQueue, "send-queue", o.SendQueue, "--send-queue of the child server (0: its default)")
	fs.BoolVar(&o.Keep, "keep", o.Keep, "keep the child server's data directory")
	fs.BoolVar(&o.JSON, "json", o.JSON, "print the result as JSON")
	fs.BoolVar(&o.Verbose, "v", o.Verbose, "log progress in detail")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	return o, o.validate()
}

// maxLimit is the largest per-operator limit livedesk accepts.
const maxLimit = 1000

func (o *Options) validate() error {
	switch {
	case o.Operators < 1 || o.Visitors < 1:
		return errors.New("bench: --operators and --visitors must be at least 1")
	case operatorLimit(o.Visitors, o.Operators) > maxLimit:
		return fmt.Errorf("bench: %d visitors need at least %d operators (limit ≤ %d each)", o.Visitors, (o.Visitors+maxLimit-2)/(maxLimit-1), maxLimit)
	case o.Rate < 0 || o.Duration <= 0 || o.Concurrency < 1 || o.Size < 1 || o.Conns < 0:
		return errors.New("bench: --rate ≥ 0, --duration > 0, --concurrency ≥ 1, --size ≥ 1, --conns ≥ 0")
	case o.URL != "" && (o.AdminEmail == "" || o.AdminPassword == ""):
		return errors.New("bench: --url needs --admin-email and --admin-password")
	case o.OperatorURL != "" && o.URL == "":
		return errors.New("bench: --operator-url needs --url (two nodes of one installation)")
	case o.Synchronous != "FULL" && o.Synchronous != "NORMAL":
		return errors.New("bench: --sqlite-synchronous must be FULL or NORMAL")
	}
	return nil
}

// operatorLimit is the per-operator limit that lets every visitor's conversation be assigned.
func operatorLimit(visitors, operators int) int {
	return (visitors+operators-1)/operators + 1
}

// raiseFileLimit lifts the soft open-files limit to the hard one; child processes inherit it.
func raiseFileLimit() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	return lim.Cur, nil
}

// Run runs the whole benchmark: livedesk first, then the echo baseline.
func Run(ctx context.Context, opts Options, log *slog.Logger) (*Result, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	res := &Result{Options: opts, Started: time.Now().UTC(), GOMAXPROCS: runtime.GOMAXPROCS(0), CPUs: runtime.NumCPU()}
	limit, err := raiseFileLimit()
	if err != nil {
		log.Warn("raise open-files limit", "err", err)
	}
	res.FileLimit = limit
	if need := opts.Visitors + opts.Operators + opts.Concurrency + opts.Conns + 64; limit > 0 && uint64(need) > limit {
		return nil, fmt.Errorf("bench: needs about %d file descriptors, the limit is %d", need, limit)
	}
	ld, err := runLivedesk(ctx, opts, log)
	if err != nil {
		return nil, fmt.Errorf("livedesk: %w", err)
	}
	res.Livedesk = ld
	if opts.Echo {
		echo, err := runEcho(ctx, opts, log)
		if err != nil {
			return nil, fmt.Errorf("echo: %w", err)
		}
		res.Echo = echo
		res.Ratios = ratios(ld, echo)
	}
	return res, nil
}

// since is the time since t, rounded for log lines.
func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }
