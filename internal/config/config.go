// Package config holds livedesk's one Config struct: defaults, flags, LIVEDESK_* environment
// variables and validation.
package config

import (
	"flag"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Config is everything `livedesk serve` can be told.
type Config struct {
	Listen string
	Data   string
	DB     string
	Bus    string
	// GapWait is how long a node waits for an event of another node that the bus has not
	// brought yet before it reads it from the database.
	GapWait time.Duration
	Demo    bool

	LogLevel  string
	LogFormat string

	BcryptCost     int
	StatusGrace    time.Duration
	SweepInterval  time.Duration
	EventRetention time.Duration
	Synchronous    string
	SecureCookies  bool
	SendQueue      int
	ShutdownWait   time.Duration
	// DebugListen is where Go's pprof profiles and the metrics are served (empty: nowhere).
	// Keep it on loopback.
	DebugListen string
	// FileSweepInterval is how often expired attachments and stale uploads are swept.
	FileSweepInterval time.Duration
	// Dictionaries is the directory with the Hunspell dictionaries ru_RU and en_US.
	Dictionaries string
	// SMTPListen is where livedesk takes inbound mail for its mailboxes (empty: nowhere).
	SMTPListen string
	// SMTPDomain is livedesk's mail host name (SMTP greetings).
	SMTPDomain string
	// SMTPRelay is the host:port replies to email conversations go out through (empty:
	// they wait in the outbox). SMTPRelayUser/Password authenticate when the user is set.
	SMTPRelay, SMTPRelayUser, SMTPRelayPassword string
	// SecretKey seals the passwords of mailboxes' own IMAP and SMTP servers: standard base64
	// of 32 bytes (empty: the key file secret.key in Data, created at first start).
	SecretKey string
	// Files is the directory of attachment content (empty: Data/files). With several nodes
	// every node must see the same one (a shared file system).
	Files string
	// OutboxPoll is how often the outbox is looked at besides when a reply is queued.
	OutboxPoll time.Duration
	// PublicURL is the address visitors reach this server at (https://support.example.com),
	// for links in mail: the rating page of an email conversation's closing mail (empty: no
	// such links, so closing mails do not ask for ratings).
	PublicURL string
	// SMTPFrom is the platform address replies go out from while their mailbox's address is
	// not confirmed (empty: noreply@ the SMTP domain); it also sends the confirmation mails.
	SMTPFrom string
	// SMTP session limits (email.Limits): connections at once, per client address, per
	// /24 or /64 network; the idle time before DATA, a session's whole time, the time to
	// process one mail; multipart nesting levels and parts looked at in one mail.
	SMTPMaxSessions, SMTPSessionsPerAddress, SMTPSessionsPerNetwork int
	SMTPIdleTimeout, SMTPSessionTimeout, SMTPProcessTimeout         time.Duration
	SMTPMaxMIMEDepth, SMTPMaxMIMEParts                              int

	// MetricsToken lets a Prometheus scraper read /metrics on the public listener with this
	// bearer token (empty: /metrics is served only on DebugListen).
	MetricsToken string
	// VisitorTokenTTL is the life of a visitor's access token; the widget renews it with its
	// renewal key (which lives 180 days from the visitor's last visit).
	VisitorTokenTTL time.Duration
	// SessionIdle ends an operator session unused this long (no request, no open socket).
	SessionIdle time.Duration
	// BodyTimeout is how long a request body (JSON) may take to arrive; uploads get it as a
	// start-up allowance, then must arrive at 8 KiB/s on average.
	BodyTimeout time.Duration
	// MaxConnsPerAddress caps the HTTP connections one client address holds (0: no cap).
	MaxConnsPerAddress int
	// TrustedProxies are the reverse proxies (addresses or CIDR prefixes, comma-separated)
	// whose X-Forwarded-For names the client.
	TrustedProxies string
	// Visitor limits per client address and contact point (a contact point's settings.limits
	// override them) and daily upload volumes.
	VisitorSessionsPerMinute, VisitorMessagesPerMinute, VisitorUploadsPerMinute int
	VisitorUploadMiBPerDay, AccountUploadGiBPerDay                              int
	// Failed logins allowed per client address and per email before waiting.
	LoginFailuresPerAddress, LoginFailuresPerEmail int
}

// Default returns the defaults.
func Default() Config {
	return Config{Listen: "127.0.0.1:8080", Data: "./data", LogLevel: "info", LogFormat: "text", BcryptCost: 10,
		StatusGrace: 60 * time.Second, SweepInterval: time.Second, GapWait: 250 * time.Millisecond, EventRetention: 72 * time.Hour,
		Synchronous: "FULL", SendQueue: 1024, ShutdownWait: 15 * time.Second, FileSweepInterval: time.Minute,
		Dictionaries: "/usr/share/hunspell", SMTPDomain: "localhost", OutboxPoll: 5 * time.Second,
		SMTPMaxSessions: 100, SMTPSessionsPerAddress: 8, SMTPSessionsPerNetwork: 16, SMTPIdleTimeout: 30 * time.Second,
		SMTPSessionTimeout: 10 * time.Minute, SMTPProcessTimeout: 2 * time.Minute, SMTPMaxMIMEDepth: 10, SMTPMaxMIMEParts: 300,
		BodyTimeout: 10 * time.Second, SessionIdle: 12 * time.Hour, VisitorTokenTTL: 24 * time.Hour, MaxConnsPerAddress: 512, VisitorSessionsPerMinute: 60, VisitorMessagesPerMinute: 120, VisitorUploadsPerMinute: 20,
		VisitorUploadMiBPerDay: 200, AccountUploadGiBPerDay: 10, LoginFailuresPerAddress: 10, LoginFailuresPerEmail: 10}
}

// Register defines the serve flags on fs, with defaults taken from the environment.
func (c *Config) Register(fs *flag.FlagSet, getenv func(string) string) {
	str := func(p *string, name, usage string) {
		fs.StringVar(p, name, envOr(getenv, name, *p), usage)
	}
	str(&c.Listen, "listen", "address to listen on")
	str(&c.Data, "data", "data directory (SQLite database, files)")
	str(&c.DB, "db", "database URL; empty: SQLite in --data")
	str(&c.Bus, "bus", "NATS URL joining this node to the others on the same --db postgres://…; empty: one node")
	str(&c.LogLevel, "log-level", "debug, info, warn or error")
	str(&c.LogFormat, "log-format", "text or json")
	str(&c.Synchronous, "sqlite-synchronous", "SQLite synchronous mode: FULL or NORMAL")
	str(&c.DebugListen, "debug-listen", "address for Go pprof profiles and /metrics, e.g. 127.0.0.1:6060 (empty: off)")
	str(&c.Dictionaries, "dictionaries", "directory of the Hunspell dictionaries ru_RU and en_US for spell check")
	str(&c.SMTPListen, "smtp-listen", "address to take inbound mail on for email contact points, e.g. 127.0.0.1:2525 (empty: off)")
	str(&c.SMTPDomain, "smtp-domain", "this server's mail host name, used in SMTP greetings")
	str(&c.SMTPRelay, "smtp-relay", "host:port of the SMTP relay replies to email conversations go out through (empty: they wait in the outbox)")
	str(&c.SMTPRelayUser, "smtp-relay-user", "user name for the relay (PLAIN over STARTTLS); empty: no authentication")
	str(&c.SMTPRelayPassword, "smtp-relay-password", "password for the relay user")
	str(&c.MetricsToken, "metrics-token", "bearer token a scraper sends to read /metrics on --listen (empty: metrics only on --debug-listen)")
	str(&c.TrustedProxies, "trusted-proxies", "reverse proxies whose X-Forwarded-For names the client: addresses or CIDR prefixes, comma-separated (empty: none)")
	str(&c.Files, "files", "directory of attachment content; several nodes need one they all see (empty: DATA/files)")
	str(&c.SecretKey, "secret-key", "key sealing mailbox passwords at rest: base64 of 32 bytes, e.g. from openssl rand -base64 32 (empty: DATA/secret.key, created at first start with mode 0600)")
	str(&c.PublicURL, "public-url", "the address visitors reach livedesk at, e.g. https://support.example.com, for links in mail (the rating link of a closing mail); empty: no such links")
	str(&c.SMTPFrom, "smtp-from", "address replies are sent from while their mailbox is not confirmed, and confirmation mails (empty: noreply@ the --smtp-domain)")
	for _, n := range []struct {
		p           *int
		name, usage string
	}{
		{&c.SMTPMaxSessions, "smtp-max-sessions", "SMTP connections served at once"},
		{&c.SMTPSessionsPerAddress, "smtp-sessions-per-address", "SMTP connections one client address may hold"},
		{&c.SMTPSessionsPerNetwork, "smtp-sessions-per-network", "SMTP connections one /24 (IPv4) or /64 (IPv6) network may hold"},
		{&c.SMTPMaxMIMEDepth, "smtp-max-mime-depth", "multipart levels of a mail that are read (deeper parts are reported, not taken)"},
		{&c.SMTPMaxMIMEParts, "smtp-max-mime-parts", "parts of a mail that are read (the rest is reported, not taken)"},
		{&c.MaxConnsPerAddress, "max-conns-per-address", "HTTP connections one client address may hold at once (0: no cap)"},
		{&c.VisitorSessionsPerMinute, "visitor-sessions-per-minute", "widget sessions one client address may start a minute at a contact point"},
		{&c.VisitorMessagesPerMinute, "visitor-messages-per-minute", "visitor messages one client address may send a minute at a contact point"},
		{&c.VisitorUploadsPerMinute, "visitor-uploads-per-minute", "visitor uploads one client address may make a minute at a contact point"},
		{&c.VisitorUploadMiBPerDay, "visitor-upload-mib-per-day", "MiB one visitor may upload in 24 hours"},
		{&c.AccountUploadGiBPerDay, "account-upload-gib-per-day", "GiB one account may receive in uploads in 24 hours (0: no cap)"},
		{&c.LoginFailuresPerAddress, "login-failures-per-address", "failed logins one client address may make before waiting (then that many a minute)"},
		{&c.LoginFailuresPerEmail, "login-failures-per-email", "failed logins on one email before waiting (then two a minute)"},
	} {
		fs.IntVar(n.p, n.name, atoi(envOr(getenv, n.name, fmt.Sprint(*n.p)), *n.p), n.usage)
	}
	fs.BoolVar(&c.Demo, "demo", envOr(getenv, "demo", fmt.Sprint(c.Demo)) == "true", "seed a demo account on an empty database")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", envOr(getenv, "secure-cookies", fmt.Sprint(c.SecureCookies)) == "true", "mark cookies Secure (behind HTTPS)")
	fs.IntVar(&c.BcryptCost, "bcrypt-cost", atoi(envOr(getenv, "bcrypt-cost", fmt.Sprint(c.BcryptCost)), c.BcryptCost), "bcrypt cost of new passwords")
	fs.IntVar(&c.SendQueue, "send-queue", atoi(envOr(getenv, "send-queue", fmt.Sprint(c.SendQueue)), c.SendQueue), "frames queued per WebSocket before it is dropped")
	dur := func(p *time.Duration, name, usage string) {
		d, err := time.ParseDuration(envOr(getenv, name, p.String()))
		if err == nil {
			*p = d
		}
		fs.DurationVar(p, name, *p, usage)
	}
	dur(&c.StatusGrace, "status-grace", "how long an operator with no connection stays in their status before going offline")
	dur(&c.SweepInterval, "sweep-interval", "how often transfers, presence and the offline requeue are checked")
	dur(&c.GapWait, "gap-wait", "with --bus: how long to wait for another node's event before reading it from the database")
	dur(&c.EventRetention, "event-retention", "how long events are kept for resuming clients")
	dur(&c.ShutdownWait, "shutdown-wait", "how long shutdown waits for requests in flight")
	dur(&c.FileSweepInterval, "file-sweep-interval", "how often expired attachments and unsent uploads are deleted")
	dur(&c.OutboxPoll, "outbox-poll", "how often the mail outbox is looked at for replies due again")
	dur(&c.VisitorTokenTTL, "visitor-token-ttl", "life of a visitor's access token (the widget renews it silently)")
	dur(&c.SessionIdle, "session-idle", "an operator session unused this long (no request, no open socket) ends")
	dur(&c.BodyTimeout, "body-timeout", "how long a request body may take to arrive (uploads: before their minimum throughput of 8 KiB/s counts)")
	dur(&c.SMTPIdleTimeout, "smtp-idle-timeout", "how long an SMTP client may take to make progress before DATA (NOOP does not count), and the longest pause within DATA")
	dur(&c.SMTPSessionTimeout, "smtp-session-timeout", "longest SMTP session, however busy")
	dur(&c.SMTPProcessTimeout, "smtp-process-timeout", "longest time spent on one received mail (parsing, files, storing)")
}

// Validate checks the values.
func (c *Config) Validate() error {
	switch {
	case c.Listen == "":
		return fmt.Errorf("--listen is required")
	case c.DB == "" && c.Data == "":
		return fmt.Errorf("--data is required when --db is empty")
	case c.DB != "" && !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://"):
		return fmt.Errorf("--db must be sqlite:PATH or postgres://…")
	case c.Bus != "" && !strings.HasPrefix(c.Bus, "nats://"):
		return fmt.Errorf("--bus must be empty (in-process) or nats://…")
	case c.BcryptCost < 4 || c.BcryptCost > 31:
		return fmt.Errorf("--bcrypt-cost must be between 4 and 31")
	case c.Synchronous != "FULL" && c.Synchronous != "NORMAL":
		return fmt.Errorf("--sqlite-synchronous must be FULL or NORMAL")
	case c.StatusGrace <= 0 || c.SweepInterval <= 0 || c.FileSweepInterval <= 0 || c.OutboxPoll <= 0:
		return fmt.Errorf("durations must be positive")
	case c.PublicURL != "" && !validPublicURL(c.PublicURL):
		return fmt.Errorf("--public-url must be an http(s) address like https://support.example.com, without a query")
	case c.SMTPFrom != "" && (!strings.Contains(c.SMTPFrom, "@") || strings.ContainsAny(c.SMTPFrom, " <>\r\n")):
		return fmt.Errorf("--smtp-from must be a bare address like noreply@example.com")
	case c.BodyTimeout <= 0 || c.SessionIdle < time.Minute || c.VisitorTokenTTL < time.Minute:
		return fmt.Errorf("--body-timeout must be positive, --session-idle and --visitor-token-ttl at least a minute")
	case c.SMTPIdleTimeout <= 0 || c.SMTPSessionTimeout <= 0 || c.SMTPProcessTimeout <= 0:
		return fmt.Errorf("--smtp-idle-timeout, --smtp-session-timeout and --smtp-process-timeout must be positive")
	case c.SMTPMaxSessions < 1 || c.SMTPSessionsPerAddress < 1 || c.SMTPSessionsPerNetwork < 1 || c.SMTPMaxMIMEDepth < 1 || c.SMTPMaxMIMEParts < 1:
		return fmt.Errorf("the --smtp-max-* and --smtp-sessions-* limits must be at least 1")
	case c.MaxConnsPerAddress < 0 || c.AccountUploadGiBPerDay < 0:
		return fmt.Errorf("--max-conns-per-address and --account-upload-gib-per-day must not be negative")
	case c.VisitorSessionsPerMinute < 1 || c.VisitorMessagesPerMinute < 1 || c.VisitorUploadsPerMinute < 1 ||
		c.VisitorUploadMiBPerDay < 1 || c.LoginFailuresPerAddress < 1 || c.LoginFailuresPerEmail < 1:
		return fmt.Errorf("the --visitor-* and --login-failures-* limits must be at least 1")
	case c.LogLevel != "debug" && c.LogLevel != "info" && c.LogLevel != "warn" && c.LogLevel != "error":
		return fmt.Errorf("--log-level must be debug, info, warn or error")
	}
	return nil
}

// FilesDir is the directory of attachment content.
func (c *Config) FilesDir() string {
	if c.Files != "" {
		return c.Files
	}
	return filepath.Join(c.Data, "files")
}

// DatabaseName names the configured database for humans: the SQLite file, or the
// PostgreSQL URL without its password.
func (c *Config) DatabaseName() string {
	if p := c.SQLitePath(); p != "" {
		return p
	}
	if u, err := url.Parse(c.DB); err == nil {
		return u.Redacted()
	}
	return "postgres"
}

// SQLitePath is the SQLite file this configuration uses ("" for PostgreSQL).
func (c *Config) SQLitePath() string {
	if strings.HasPrefix(c.DB, "sqlite:") {
		return strings.TrimPrefix(c.DB, "sqlite:")
	}
	if c.DB == "" {
		return filepath.Join(c.Data, "livedesk.db")
	}
	return ""
}

func envOr(getenv func(string) string, flagName, def string) string {
	if v := getenv("LIVEDESK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))); v != "" {
		return v
	}
	return def
}

func atoi(s string, def int) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		return def
	}
	return n
}

// validPublicURL reports whether s is an absolute http(s) address with a host and no query
// or fragment (a path prefix is allowed).
func validPublicURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil &&
		u.RawQuery == "" && u.Fragment == "" && !u.ForceQuery
}
