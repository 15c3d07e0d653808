// Package app wires livedesk together from a Config: store, desk, realtime hub, HTTP API and
// the sweepers; it starts them and stops them in order.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"livedesk/internal/attachment"
	"livedesk/internal/auth"
	"livedesk/internal/bus"
	"livedesk/internal/channel/email"
	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/guard"
	"livedesk/internal/httpapi"
	"livedesk/internal/jobs"
	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
	"livedesk/internal/spell"
	"livedesk/internal/store/sqlstore"
	"livedesk/web"
)

// Version is the version reported by /healthz.
const Version = "0.1.0"

// App is a running livedesk.
type App struct {
	cfg   config.Config
	log   *slog.Logger
	Store *sqlstore.Store
	Desk  *desk.Desk
	Hub   *realtime.Hub
	// Presence is when operators count as present (sockets, requests, grace, requeue).
	Presence *desk.Presence
	// Files is the attachment content service (on disk under --data/files).
	Files *attachment.Files
	// Spell is the spell checker (dictionaries load in the background at Start).
	Spell  *spell.Checker
	API    *httpapi.Server
	server *http.Server
	debug  *http.Server
	ln     net.Listener
	// connLimit caps the HTTP connections per client address.
	connLimit *guard.Listener
	proxies   guard.Proxies
	jobs      *jobs.Scheduler
	reg       *prometheus.Registry
	// Mail takes inbound mail (nil without --smtp-listen); mailLn is its listener.
	Mail   *email.Inbound
	mailLn net.Listener
	// Sender delivers replies to email conversations: through a mailbox's own SMTP server,
	// else the relay (--smtp-relay; without one those replies wait).
	Sender *email.Sender
	// Mailboxes watches the email contact points' own IMAP mailboxes; inbound is the path
	// their mail (and the SMTP listener's) takes into the desk.
	Mailboxes *email.Mailboxes
	inbound   *email.Inbound
	// Bus joins this node to the others (nil without --bus).
	Bus *bus.Bus

	stop chan struct{}
	wg   sync.WaitGroup
}

// Options are what tests may inject.
type Options struct {
	Clock livedesk.Clock
	// Spell is a checker to use instead of loading one from cfg.Dictionaries: dictionaries
	// are immutable once loaded, so apps in one process (tests start dozens) can share one.
	Spell *spell.Checker
	// Mailboxes are the IMAP watchers' timings (tests shorten the backoff).
	Mailboxes email.MailboxesOptions
}

// New builds the app (and opens the database) without listening yet.
func New(cfg config.Config, log *slog.Logger, opts Options) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Bus != "" && cfg.SQLitePath() != "" {
		return nil, errors.New("--bus joins nodes that share one PostgreSQL database: give --db postgres://… too")
	}
	st, err := openStore(cfg, opts.Clock, log)
	if err != nil {
		return nil, err
	}
	proxies, err := guard.ParseProxies(cfg.TrustedProxies)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("--trusted-proxies: %w", err)
	}
	a := &App{cfg: cfg, log: log, Store: st, stop: make(chan struct{}), proxies: proxies}
	secret, err := visitorSecret(st)
	if err != nil {
		st.Close()
		return nil, err
	}
	box, err := secretBox(cfg)
	if err != nil {
		st.Close()
		return nil, err
	}
	a.Desk = desk.New(st, log)
	tokens := auth.NewVisitorTokens(secret, cfg.VisitorTokenTTL, 180*24*time.Hour, st.Now)
	a.Desk.Configure(desk.Options{BcryptCost: cfg.BcryptCost, SessionIdle: cfg.SessionIdle, Secrets: box, RatingLink: ratingLinks(cfg.PublicURL, tokens),
		Uploads: desk.UploadQuota{VisitorDefault: int64(cfg.VisitorUploadMiBPerDay) << 20, Account: int64(cfg.AccountUploadGiBPerDay) << 30}})
	disk, err := attachment.NewDisk(cfg.FilesDir())
	if err != nil {
		st.Close()
		return nil, err
	}
	a.Files = attachment.NewFiles(disk, st.ContentInUse, log)
	a.newMail(opts)
	a.Hub = realtime.NewHub(a.Desk, log, realtime.Options{SendQueue: cfg.SendQueue})
	if err := a.joinCluster(); err != nil {
		st.Close()
		return nil, err
	}
	a.Presence = a.Desk.NewPresence(a.Hub, cfg.StatusGrace, log)
	a.Hub.OnLastDisconnect = a.Presence.Disconnected
	a.Hub.OnVisitorGone = a.Presence.VisitorLeft
	reg := prometheus.NewRegistry()
	a.reg = reg
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	hub := a.Hub
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "livedesk_ws_connections", Help: "Open WebSocket connections."},
			func() float64 { return float64(hub.Metrics.Connections.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "livedesk_ws_frames_delivered_total", Help: "Frames queued to WebSocket clients."},
			func() float64 { return float64(hub.Metrics.Delivered.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "livedesk_ws_slow_dropped_total", Help: "Connections dropped for a full send queue."},
			func() float64 { return float64(hub.Metrics.SlowDropped.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "livedesk_http_conns_refused_total", Help: "HTTP connections closed at accept: their address held --max-conns-per-address."},
			func() float64 {
				if a.connLimit == nil {
					return 0
				}
				return float64(a.connLimit.Refused.Load())
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "livedesk_ws_resyncs_total", Help: "Clients told to resync."},
			func() float64 { return float64(hub.Metrics.Resyncs.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "livedesk_store_write_batches_total", Help: "Write transactions committed by the writer (each holds a batch of requests)."},
			func() float64 { return float64(st.Stats.Batches.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "livedesk_store_write_requests_total", Help: "Write requests run by the writer."},
			func() float64 { return float64(st.Stats.Requests.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "livedesk_store_write_statements_total", Help: "SQL statements the writer sent (on PostgreSQL each is a round trip)."},
			func() float64 { return float64(st.Stats.Statements.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "livedesk_store_write_busy_seconds_total", Help: "Time the writer spent running batches, commits included (1 per second = saturated)."},
			func() float64 { return float64(st.Stats.BusyNanos.Load()) / 1e9 }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "livedesk_store_commit_seconds_total", Help: "Time the writer spent committing (WAL write, fsync, automatic checkpoints)."},
			func() float64 { return float64(st.Stats.CommitNanos.Load()) / 1e9 }),
	)
	a.Spell = opts.Spell
	if a.Spell == nil {
		a.Spell = spell.NewChecker(cfg.Dictionaries)
	}
	a.API = httpapi.New(httpapi.Config{Assets: web.Assets(), BcryptCost: cfg.BcryptCost, SecureCookies: cfg.SecureCookies, Version: Version,
		Files: a.Files, Spell: a.Spell, BodyTimeout: cfg.BodyTimeout, MetricsToken: cfg.MetricsToken, Limits: httpapi.Limits{Proxies: proxies,
			Visitor: desk.VisitorLimits{SessionsPerMinute: cfg.VisitorSessionsPerMinute, MessagesPerMinute: cfg.VisitorMessagesPerMinute,
				UploadsPerMinute: cfg.VisitorUploadsPerMinute, UploadMiBPerDay: cfg.VisitorUploadMiBPerDay},
			LoginFailuresPerAddress: cfg.LoginFailuresPerAddress, LoginFailuresPerEmail: cfg.LoginFailuresPerEmail, LoginBackoff: 30 * time.Second}},
		a.Desk, a.Hub, tokens, reg, log, st.Ping)
	if a.Bus != nil {
		// Rate limits count what a client spends on every node.
		buckets := a.API.Buckets()
		buckets.Share(a.Bus.PublishSpend)
		if err := a.Bus.SubscribeSpends(func(s guard.Spend) { buckets.Apply(s, time.Now()) }); err != nil {
			a.Bus.Close()
			st.Close()
			return nil, fmt.Errorf("subscribe to the bus: %w", err)
		}
	}
	return a, nil
}

// busNamespace is the installation's name on the bus, made at the first start of a node on
// the database and the same for every node on it: installations sharing a NATS server
// (production and staging, or a host's customers) must not hear each other, and their ids
// are the same small numbers.
func busNamespace(st *sqlstore.Store) (string, error) {
	var ns string
	err := st.Write(context.Background(), func(tx livedesk.Tx) error {
		var err error
		ns, err = tx.SetMetaIfAbsent("bus_namespace", auth.RandomKey(9))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("the installation's bus namespace: %w", err)
	}
	return ns, nil
}

func visitorSecret(st *sqlstore.Store) (string, error) {
	var secret string
	err := st.Write(context.Background(), func(tx livedesk.Tx) error {
		var err error
		secret, err = tx.SetMetaIfAbsent("visitor_token_secret", auth.RandomKey(32))
		return err
	})
	return secret, err
}

// Start listens and serves in the background, and starts the sweepers.
func (a *App) Start() error {
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", a.cfg.Listen, err)
	}
	a.connLimit = guard.LimitListener(ln, a.cfg.MaxConnsPerAddress, a.proxies)
	a.ln = a.connLimit
	a.server = &http.Server{Handler: a.API, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}
	a.wg.Add(2)
	go func() {
		defer a.wg.Done()
		a.Spell.LoadAndLog(a.log) // under a second; spellcheck answers ready=false until then
	}()
	go func() {
		defer a.wg.Done()
		if err := a.server.Serve(a.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("http server", "err", err)
		}
	}()
	a.jobs = a.scheduler()
	a.jobs.Start()
	if a.cfg.DebugListen != "" {
		if err := a.startDebug(); err != nil {
			return err
		}
	}
	if err := a.startMail(); err != nil {
		return err
	}
	a.log.Info("livedesk listening", "url", a.URL(), "data", a.cfg.Data)
	return nil
}

// startDebug serves Go's pprof profiles on their own listener, away from the public API.
func (a *App) startDebug() error {
	ln, err := net.Listen("tcp", a.cfg.DebugListen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", a.cfg.DebugListen, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/metrics", promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{}))
	a.debug = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		if err := a.debug.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("debug server", "err", err)
		}
	}()
	a.log.Info("pprof listening", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	return nil
}

// startMail starts the email channel: the SMTP listener for inbound mail when configured,
// the IMAP watchers of the mailboxes that have IMAP settings, and the sender of the outbox.
func (a *App) startMail() error {
	if a.cfg.SMTPListen != "" {
		ln, err := net.Listen("tcp", a.cfg.SMTPListen)
		if err != nil {
			return fmt.Errorf("listen %s: %w", a.cfg.SMTPListen, err)
		}
		a.mailLn = ln
		a.Mail = a.inbound
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			if err := a.Mail.Serve(ln); err != nil {
				a.log.Error("smtp server", "err", err)
			}
		}()
		a.log.Info("smtp listening", "addr", ln.Addr().String())
	}
	from := a.cfg.SMTPFrom
	if from == "" {
		from = "noreply@" + a.cfg.SMTPDomain
	}
	a.Sender = email.NewSender(email.RelayConfig{Addr: a.cfg.SMTPRelay, User: a.cfg.SMTPRelayUser,
		Password: a.cfg.SMTPRelayPassword, Domain: a.cfg.SMTPDomain, From: from}, a.Desk, a.Files, a.log)
	a.Desk.OnMailQueued(a.Sender.Wake)
	a.Sender.OnSMTP(a.Mailboxes.SMTPSent)
	if err := a.startMailboxes(); err != nil {
		return fmt.Errorf("imap mailboxes: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.wg.Add(2)
	go func() {
		defer a.wg.Done()
		<-a.stop
		cancel()
	}()
	go func() {
		defer a.wg.Done()
		a.Sender.Run(ctx, a.cfg.OutboxPoll)
	}()
	return nil
}

// MailAddr is the address the SMTP listener took ("" without one).
func (a *App) MailAddr() string {
	if a.mailLn == nil {
		return ""
	}
	return a.mailLn.Addr().String()
}

// URL is the base URL the app listens on.
func (a *App) URL() string { return "http://" + a.ln.Addr().String() }

// scheduler registers the periodic jobs: transfer expiry and presence every sweep interval,
// pings, presence heartbeats, file retention and pruning at their own.
func (a *App) scheduler() *jobs.Scheduler {
	s := jobs.New(a.cfg.SweepInterval, a.log)
	s.Lead = a.Store.Lead
	// Every node: its own sockets.
	s.Every("ping", a.Hub.PingInterval(), func(context.Context) error { a.Hub.PingAll(); return nil })
	s.Every("presence heartbeat", a.Presence.HeartbeatInterval(), a.Presence.Heartbeat)
	// One node at a time (the leader): the database's.
	s.Once("transfer expiry", a.cfg.SweepInterval, a.Desk.ExpireTransfers)
	s.Once("presence sweep", a.cfg.SweepInterval, a.Presence.Sweep)
	s.Once("file retention", a.cfg.FileSweepInterval, a.SweepFiles)
	s.Once("event and session pruning", time.Hour, func(ctx context.Context) error {
		return errors.Join(a.Desk.PruneEvents(ctx, a.cfg.EventRetention), a.Desk.PruneSessions(ctx))
	})
	return s
}

// SweepFiles applies file retention: attachments whose retention is over are marked
// expired and uploads never sent within a day are deleted; then the content of each is
// deleted unless an unexpired attachment still shares it. It works in batches until
// nothing is left.
func (a *App) SweepFiles(ctx context.Context) error {
	const batch = 500
	for {
		shas, more, err := a.Desk.SweepAttachments(ctx, batch)
		if err != nil {
			return err
		}
		for _, sha := range shas {
			if err := a.Files.RemoveExpired(ctx, sha, a.Desk.Now()); err != nil {
				a.log.Warn("delete expired file content", "sha256", sha, "err", err)
			}
		}
		if !more {
			return nil
		}
	}
}

// Shutdown stops in order: no new requests, requests in flight finish (their writes are
// committed), WebSocket clients are told to reconnect, sweepers stop, the writer drains and
// the database closes. Nothing acknowledged is lost.
func (a *App) Shutdown(ctx context.Context) error {
	var errs []error
	if a.server != nil {
		if err := a.server.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if a.debug != nil {
		a.debug.Close()
	}
	if a.Mail != nil {
		if err := a.Mail.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	a.Mailboxes.Close()
	a.Hub.CloseAll(ctx)
	if a.jobs != nil {
		a.jobs.Close()
	}
	if a.Bus != nil {
		a.Bus.Close()
	}
	close(a.stop)
	a.wg.Wait()
	if err := a.Store.Close(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Run builds, starts and runs the app until ctx is done, then shuts down.
func Run(ctx context.Context, cfg config.Config, log *slog.Logger, stdout io.Writer) error {
	a, err := New(cfg, log, Options{})
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := SeedDemo(ctx, a.Desk, cfg.BcryptCost, stdout, cfg.Listen, cfg.SMTPListen); err != nil {
			a.Store.Close()
			return fmt.Errorf("demo: %w", err)
		}
	}
	if err := a.Start(); err != nil {
		a.Store.Close()
		return err
	}
	<-ctx.Done()
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownWait)
	defer cancel()
	return a.Shutdown(sctx)
}

// joinCluster sends committed events to the hub and, with --bus, to the other nodes, whose
// events and typing it hands to the hub in turn.
func (a *App) joinCluster() error {
	if a.cfg.Bus == "" {
		a.Store.SetPublisher(a.Hub.Publish)
		return nil
	}
	namespace, err := busNamespace(a.Store)
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	b, err := bus.Connect(a.cfg.Bus, host+"/"+auth.RandomKey(6), namespace, a.log)
	if err != nil {
		return err
	}
	a.Bus = b
	a.Hub.Cluster(b, a.cfg.GapWait)
	b.OnReconnect(a.Hub.CatchUp)
	a.Store.SetPublisher(func(events []*livedesk.Event) {
		a.Hub.Publish(events)
		b.PublishEvents(events)
	})
	if err := b.Subscribe(a.Hub.Publish, a.Hub.DeliverEphemeral); err != nil {
		b.Close()
		return fmt.Errorf("subscribe to the bus: %w", err)
	}
	return nil
}
