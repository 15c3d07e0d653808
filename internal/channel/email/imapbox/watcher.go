package imapbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Defaults of Options.
const (
	DefaultPollInterval = time.Minute
	DefaultIdleRenew    = 10 * time.Minute
	DefaultMinBackoff   = time.Second
	DefaultMaxBackoff   = 5 * time.Minute
	DefaultDialTimeout  = 30 * time.Second
)

// DeliverFunc takes one raw message (RFC 5322, as stored on the server). Returning nil
// means the mail is taken; an error leaves it in the mailbox, unseen, to be handed again.
type DeliverFunc func(ctx context.Context, raw []byte) error

// Options are the parts of a Watcher that are not the mailbox's settings.
type Options struct {
	// Deliver takes each new message (required).
	Deliver DeliverFunc
	// State keeps the place between sessions (required; MemoryState for none).
	State State
	// OnStatus, when set, is called on every change of Status, from Watch's goroutine; it
	// must not block for long.
	OnStatus func(Status)
	// Logger logs connections, takes and failures (never the password); nil logs nothing.
	Logger *slog.Logger
	// PollInterval is how often a server without IDLE (or with DisableIDLE) is looked at.
	PollInterval time.Duration
	// IdleRenew is how long one IDLE lasts before the watcher looks at the folder itself
	// and starts another, which also finds a connection that died silently.
	IdleRenew time.Duration
	// DisableIDLE polls even when the server offers IDLE.
	DisableIDLE bool
	// MinBackoff and MaxBackoff bound the pause before a retry: it starts at MinBackoff
	// and doubles after each failure up to MaxBackoff, and is back to MinBackoff after a
	// session that got up to date.
	MinBackoff, MaxBackoff time.Duration
	// DialTimeout bounds connecting, TLS and the greeting.
	DialTimeout time.Duration
}

// Watcher watches one mailbox. Make it with New and run Watch once.
type Watcher struct {
	cfg    Config
	opts   Options
	log    *slog.Logger
	status Status
}

// New checks the configuration and returns a watcher.
func New(cfg Config, opts Options) (*Watcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Deliver == nil || opts.State == nil {
		return nil, errors.New("imapbox: Deliver and State are required")
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.IdleRenew <= 0 {
		opts.IdleRenew = DefaultIdleRenew
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = DefaultMinBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = opts.MinBackoff
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = DefaultDialTimeout
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("imap_host", cfg.Host, "imap_user", cfg.Username, "imap_folder", cfg.folder())
	return &Watcher{cfg: cfg, opts: opts, log: log}, nil
}

// Watch takes new mail until ctx ends, reconnecting after failures with backoff. It
// returns nil when ctx ends; it never gives up on its own (a refused login is retried too,
// at the longest pause, until the settings change and a new watcher replaces this one).
func (w *Watcher) Watch(ctx context.Context) error {
	backoff := w.opts.MinBackoff
	defer w.report(func(s *Status) { s.Phase = PhaseStopped })
	for ctx.Err() == nil {
		w.report(func(s *Status) { s.Phase = PhaseConnecting })
		upToDate, err := w.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if upToDate {
			backoff = w.opts.MinBackoff
		}
		pause := jitter(backoff)
		auth := errors.Is(err, ErrAuth)
		w.log.Warn("imap mailbox failed", "err", err, "retry_in", pause.Round(time.Millisecond))
		w.report(func(s *Status) {
			s.Phase, s.Error, s.AuthFailed, s.RetryAt = PhaseError, err, auth, time.Now().Add(pause)
		})
		if !sleep(ctx, pause) {
			return nil
		}
		backoff = nextBackoff(backoff, w.opts.MaxBackoff)
	}
	return nil
}

// nextBackoff doubles d up to max.
func nextBackoff(d, max time.Duration) time.Duration {
	d *= 2
	if d > max {
		return max
	}
	return d
}

// jitter spreads a pause by up to a tenth either way, so that many mailboxes of one
// server do not come back in step.
func jitter(d time.Duration) time.Duration {
	spread := int64(d / 10)
	if spread <= 0 {
		return d
	}
	return d + time.Duration(rand.Int64N(2*spread+1)-spread)
}

// sleep waits d or until ctx ends; false when ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// report changes the status and tells OnStatus.
func (w *Watcher) report(change func(*Status)) {
	change(&w.status)
	if w.status.Phase != PhaseError {
		w.status.Error, w.status.AuthFailed, w.status.RetryAt = nil, false, time.Time{}
	}
	if w.opts.OnStatus != nil {
		w.opts.OnStatus(w.status)
	}
}

// conn is one logged-in connection with the folder selected.
type conn struct {
	c        *imapclient.Client
	validity uint32
	uidNext  imap.UID
	news     chan struct{}
	// unwatch stops closing the client when the context ends.
	unwatch func() bool
}

// close ends the connection.
func (cn *conn) close() {
	cn.unwatch()
	cn.c.Close()
}

// dial connects, logs in and selects the folder. news gets a signal whenever the server
// reports a new message count (only when news is not nil).
func dial(ctx context.Context, cfg Config, dialTimeout time.Duration, news chan struct{}, readOnly bool) (*conn, error) {
	opts := &imapclient.Options{
		TLSConfig: cfg.tlsConfig(),
		Dialer:    &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second},
	}
	if news != nil {
		opts.UnilateralDataHandler = &imapclient.UnilateralDataHandler{
			Mailbox: func(data *imapclient.UnilateralDataMailbox) {
				if data.NumMessages != nil {
					select {
					case news <- struct{}{}:
					default:
					}
				}
			},
		}
	}
	type result struct {
		c   *imapclient.Client
		err error
	}
	// The client's dial functions take no context: dial in a goroutine and give up when
	// ctx ends (the dialer's own timeout ends the goroutine).
	done := make(chan result, 1)
	go func() {
		var c *imapclient.Client
		var err error
		switch cfg.Security {
		case SecurityTLS:
			c, err = imapclient.DialTLS(cfg.address(), opts)
		case SecuritySTARTTLS:
			c, err = imapclient.DialStartTLS(cfg.address(), opts)
		default:
			c, err = imapclient.DialInsecure(cfg.address(), opts)
		}
		if err == nil {
			if gerr := waitGreeting(c, dialTimeout); gerr != nil {
				c.Close()
				c, err = nil, gerr
			}
		}
		done <- result{c, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		go func() {
			if r := <-done; r.c != nil {
				r.c.Close()
			}
		}()
		return nil, ctx.Err()
	}
	if r.err != nil {
		return nil, classifyDial(r.err)
	}
	c := r.c
	// Any command blocked on a dead server ends when ctx does.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	cn, err := login(c, cfg, readOnly)
	if err != nil {
		stop()
		c.Close()
		return nil, err
	}
	cn.news, cn.unwatch = news, stop
	return cn, nil
}

// waitGreeting waits for the server's greeting, at most d.
func waitGreeting(c *imapclient.Client, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- c.WaitGreeting() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return fmt.Errorf("no greeting within %s", d)
	}
}

// classifyDial tells TLS failures from network ones.
func classifyDial(err error) error {
	var (
		certErr   *tls.CertificateVerificationError
		recordErr tls.RecordHeaderError
		alertErr  tls.AlertError
	)
	switch {
	case errors.As(err, &certErr), errors.As(err, &recordErr), errors.As(err, &alertErr),
		strings.Contains(err.Error(), "tls:"), strings.Contains(err.Error(), "STARTTLS"),
		strings.Contains(err.Error(), "x509:"):
		return wrap(ErrTLS, "connect", err)
	}
	if serverText(err) != "" {
		return wrap(ErrServer, "connect", err)
	}
	return wrap(ErrConnect, "connect", err)
}

// login logs in and selects the folder.
func login(c *imapclient.Client, cfg Config, readOnly bool) (*conn, error) {
	if c.Caps().Has(imap.CapLoginDisabled) {
		return nil, &Error{Kind: ErrAuth, Op: "login", Err: errors.New("the server allows no login on this connection (LOGINDISABLED): use tls or starttls")}
	}
	if err := c.Login(cfg.Username, cfg.Password).Wait(); err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Code != imap.ResponseCodeUnavailable && ie.Type == imap.StatusResponseTypeNo {
			return nil, wrap(ErrAuth, "login", err)
		}
		if errors.As(err, &ie) {
			return nil, wrap(ErrServer, "login", err)
		}
		return nil, wrap(ErrConnect, "login", err)
	}
	data, err := c.Select(cfg.folder(), &imap.SelectOptions{ReadOnly: readOnly}).Wait()
	if err != nil {
		return nil, folderErr("select "+cfg.folder(), err)
	}
	return &conn{c: c, validity: data.UIDValidity, uidNext: data.UIDNext}, nil
}

// folderErr names a refusal to open a folder ErrFolder, anything else a broken connection.
func folderErr(op string, err error) error {
	if serverText(err) != "" {
		return wrap(ErrFolder, op, err)
	}
	return wrap(ErrConnect, op, err)
}

// session is one connection: log in, take what is new, wait, take again, until an error.
// upToDate tells whether it got up to date at least once (the backoff starts over).
func (w *Watcher) session(ctx context.Context) (upToDate bool, err error) {
	news := make(chan struct{}, 1)
	cn, err := dial(ctx, w.cfg, w.opts.DialTimeout, news, false)
	if err != nil {
		return false, err
	}
	defer func() {
		// A polite goodbye, bounded: the connection may be dead already.
		done := make(chan struct{})
		go func() { _ = cn.c.Logout().Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
		cn.close()
	}()
	idle := cn.c.Caps().Has(imap.CapIdle) && !w.opts.DisableIDLE
	w.log.Info("imap mailbox connected", "uidvalidity", cn.validity, "idle", idle)
	w.report(func(s *Status) { s.Phase, s.IDLE = PhaseFetching, cn.c.Caps().Has(imap.CapIdle) })

	deliverBackoff := w.opts.MinBackoff
	for {
		err := w.take(ctx, cn)
		if errors.Is(err, ErrDeliver) && ctx.Err() == nil {
			// Keep the connection; hand the mail again after a pause.
			pause := jitter(deliverBackoff)
			w.log.Warn("imap mail not delivered", "err", err, "retry_in", pause.Round(time.Millisecond))
			w.report(func(s *Status) { s.Phase, s.Error, s.RetryAt = PhaseError, err, time.Now().Add(pause) })
			deliverBackoff = nextBackoff(deliverBackoff, w.opts.MaxBackoff)
			if !sleep(ctx, pause) {
				return upToDate, err
			}
			continue
		}
		if err != nil {
			return upToDate, err
		}
		deliverBackoff = w.opts.MinBackoff
		upToDate = true
		phase := PhasePolling
		if idle {
			phase = PhaseIdle
		}
		w.report(func(s *Status) { s.Phase, s.LastSuccess = phase, time.Now() })
		if idle {
			if err := w.idle(ctx, cn); err != nil {
				return upToDate, err
			}
		} else if !sleep(ctx, w.opts.PollInterval) {
			return upToDate, ctx.Err()
		}
		if ctx.Err() != nil {
			return upToDate, ctx.Err()
		}
		w.report(func(s *Status) { s.Phase = PhaseFetching })
	}
}

// idle waits with IDLE until the server reports new mail, IdleRenew passes or ctx ends.
func (w *Watcher) idle(ctx context.Context, cn *conn) error {
	// A signal left from before this IDLE is kept: it may be a message that arrived after
	// the last search (reported with the response to a later command). At worst it costs
	// one search that finds nothing.
	cmd, err := cn.c.Idle()
	if err != nil {
		return wrap(ErrConnect, "idle", err)
	}
	t := time.NewTimer(w.opts.IdleRenew)
	defer t.Stop()
	select {
	case <-cn.news:
	case <-t.C:
	case <-ctx.Done():
	case <-cn.c.Closed():
	}
	if err := cmd.Close(); err != nil {
		return wrap(ErrConnect, "idle", err)
	}
	if err := cmd.Wait(); err != nil {
		return wrap(ErrConnect, "idle", err)
	}
	return nil
}

// take hands every new message to Deliver, oldest first, and records each.
func (w *Watcher) take(ctx context.Context, cn *conn) error {
	validity, last, err := w.opts.State.Load(ctx)
	if err != nil {
		return fmt.Errorf("imapbox: load state: %w", err)
	}
	rescan := validity != cn.validity
	criteria := &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}
	if rescan {
		// First run, or the server renumbered the folder: the unread mail is what is new.
		if validity != 0 {
			w.log.Warn("imap folder was renumbered (UIDVALIDITY changed): taking its unread mail",
				"old_uidvalidity", validity, "uidvalidity", cn.validity)
		}
		criteria.NotFlag = append(criteria.NotFlag, imap.FlagSeen)
	} else {
		criteria.UID = []imap.UIDSet{{imap.UIDRange{Start: imap.UID(last) + 1, Stop: 0}}}
	}
	data, err := cn.c.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return w.cmdErr("search", err)
	}
	uids := data.AllUIDs()
	slices.Sort(uids)
	moveTo, _ := w.cfg.moveTarget()
	var taken uint32
	for _, uid := range uids {
		if !rescan && uint32(uid) <= last {
			// "n:*" also matches the highest UID when it is below n.
			continue
		}
		raw, found, err := fetch(cn.c, uid)
		if err != nil {
			return w.cmdErr("fetch", err)
		}
		if found {
			if err := w.opts.Deliver(ctx, raw); err != nil {
				return &Error{Kind: ErrDeliver, Op: fmt.Sprintf("deliver UID %d", uid), Err: err}
			}
			if err := markTaken(cn.c, uid, moveTo); err != nil {
				return w.cmdErr("mark taken", err)
			}
			w.status.Taken++
		}
		taken = max(taken, uint32(uid))
		if !rescan {
			if err := w.opts.State.Save(ctx, cn.validity, uint32(uid)); err != nil {
				return fmt.Errorf("imapbox: save state: %w", err)
			}
		}
		w.log.Debug("imap mail taken", "uid", uid, "found", found)
	}
	if rescan {
		// Everything below UIDNEXT at SELECT is either taken now or was read before: the
		// place starts after it.
		floor := max(taken, uint32(cn.uidNext)-1)
		if cn.uidNext == 0 {
			floor = max(taken, last)
		}
		if err := w.opts.State.Save(ctx, cn.validity, floor); err != nil {
			return fmt.Errorf("imapbox: save state: %w", err)
		}
	}
	return nil
}

// cmdErr classifies the failure of a command after login.
func (w *Watcher) cmdErr(op string, err error) error {
	if serverText(err) != "" {
		return wrap(ErrServer, op, err)
	}
	return wrap(ErrConnect, op, err)
}

// fetch reads one whole message without setting \Seen; found is false when it is gone.
func fetch(c *imapclient.Client, uid imap.UID) (raw []byte, found bool, err error) {
	section := &imap.FetchItemBodySection{Peek: true}
	cmd := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
	defer cmd.Close()
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		buf, err := msg.Collect()
		if err != nil {
			return nil, false, err
		}
		if buf.UID != uid {
			continue
		}
		if body := buf.FindBodySection(section); body != nil {
			raw, found = body, true
		}
	}
	if err := cmd.Close(); err != nil {
		return nil, false, err
	}
	return raw, found, nil
}

// markTaken sets \Seen, or moves the message to moveTo when set.
func markTaken(c *imapclient.Client, uid imap.UID, moveTo string) error {
	set := imap.UIDSetNum(uid)
	if moveTo != "" {
		_, err := c.Move(set, moveTo).Wait()
		return err
	}
	return c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
}

// Test proves a configuration for the cabinet's check button: it connects with the
// configured security, logs in, opens the folder read-only, and checks that the folder
// taken mail moves to exists. The error is an *Error (errors.Is with ErrConnect, ErrTLS,
// ErrAuth, ErrFolder) carrying the server's words, or a *FieldError for a configuration
// that Validate refuses.
func Test(ctx context.Context, cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultDialTimeout)
		defer cancel()
	}
	cn, err := dial(ctx, cfg, DefaultDialTimeout, nil, true)
	if err != nil {
		if ctx.Err() != nil {
			return &Error{Kind: ErrConnect, Op: "connect", Err: fmt.Errorf("no answer in time: %w", ctx.Err())}
		}
		return err
	}
	defer cn.close()
	if target, _ := cfg.moveTarget(); target != "" {
		if _, err := cn.c.Status(target, &imap.StatusOptions{NumMessages: true}).Wait(); err != nil {
			return folderErr("status "+target, err)
		}
	}
	_ = cn.c.Logout().Wait()
	return nil
}
