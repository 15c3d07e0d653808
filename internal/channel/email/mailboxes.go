package email

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"log/slog"
	"reflect"
	"sync"
	"time"

	"livedesk/internal/channel/email/imapbox"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// MaxIngestAttempts is how many times a mail taken from an IMAP mailbox is handed to the
// desk before it is skipped (marked taken, logged with its Message-ID) so that one mail that
// always fails does not hold up the mailbox forever.
const MaxIngestAttempts = 5

// DefaultRescan is how often Mailboxes looks whether this node leads and at every mailbox's
// settings (a change made on another node arrives that way).
const DefaultRescan = 10 * time.Second

// MailboxesOptions are the watchers' timings (tests shorten them), trust, and who leads.
type MailboxesOptions struct {
	// Lead, when set, says whether this node watches the mailboxes now: the leader of the
	// cluster-wide periodic jobs (a PostgreSQL advisory lock; always true on SQLite). Only
	// one node may watch a mailbox: two would fight over \Seen and double the connections.
	Lead func(context.Context) bool
	// Rescan is how often the lead and the settings are looked at again (DefaultRescan).
	Rescan time.Duration
	// MinBackoff, MaxBackoff, PollInterval and IdleRenew are imapbox.Options'; zero takes
	// imapbox's defaults.
	MinBackoff, MaxBackoff, PollInterval, IdleRenew time.Duration
	// RootCAs replaces the system's roots for the servers' certificates (tests).
	RootCAs *x509.CertPool
}

// Mailboxes owns one IMAP watcher per email contact point with IMAP settings: started for
// each at Start, replaced when its settings change (Changed, told by the desk), stopped at
// Close. Each watcher hands new mail to the same path as the SMTP listener (Inbound.deliver:
// bounces, loops, the Message-ID that keeps one copy of a mail handed twice). It records the
// latest status of every watcher, and the outcome of the latest send through each mailbox's
// own SMTP server, in the database (desk.SetIMAPStatus, SetSMTPStatus): the cabinet reads
// them there, on whichever node it asks.
//
// With several nodes only the node that leads (MailboxesOptions.Lead) watches: it looks every
// Rescan whether it leads and at every mailbox's settings, so a node that takes the lead over
// starts the watchers and one that loses it stops them, and a change made on another node
// reaches the watcher within a Rescan.
type Mailboxes struct {
	desk *desk.Desk
	in   *Inbound
	log  *slog.Logger
	opts MailboxesOptions

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// changing serializes Changed and the rescans.
	changing sync.Mutex
	// leading: this node watches (set by the rescans, under mu).
	leading  bool
	mu       sync.Mutex
	watchers map[livedesk.ID]*watching
	// failures counts failed hand-overs by the mail's hash (MaxIngestAttempts).
	failures map[[32]byte]int
}

// watching is one running watcher.
type watching struct {
	cfg    imapbox.Config
	cancel context.CancelFunc
	done   chan struct{}
}

// NewMailboxes returns the watchers' owner; in is the inbound path mail is handed to (an
// Inbound made with NewInbound, whether or not it serves SMTP).
func NewMailboxes(d *desk.Desk, in *Inbound, log *slog.Logger, opts MailboxesOptions) *Mailboxes {
	m := &Mailboxes{desk: d, in: in, log: log, opts: opts, watchers: map[livedesk.ID]*watching{},
		failures: map[[32]byte]int{}}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	return m
}

// Start starts a watcher for every email contact point with IMAP settings when this node
// leads, and from then on looks again every Rescan until Close.
func (m *Mailboxes) Start(ctx context.Context) error {
	if err := m.rescan(ctx); err != nil {
		return err
	}
	every := m.opts.Rescan
	if every <= 0 {
		every = DefaultRescan
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx.Err() != nil {
		return nil
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-m.ctx.Done():
				return
			case <-t.C:
				if err := m.rescan(m.ctx); err != nil && m.ctx.Err() == nil {
					m.log.Error("imap mailboxes", "err", err)
				}
			}
		}
	}()
	return nil
}

// rescan takes or gives up the watching with the lead, and brings every watcher to its
// mailbox's settings.
func (m *Mailboxes) rescan(ctx context.Context) error {
	lead := m.opts.Lead == nil || m.opts.Lead(ctx)
	m.mu.Lock()
	was := m.leading
	m.leading = lead
	ids := make([]livedesk.ID, 0, len(m.watchers))
	for id := range m.watchers {
		ids = append(ids, id)
	}
	m.mu.Unlock()
	if lead != was {
		m.log.Info("imap mailboxes", "watching", lead)
	}
	if !lead {
		m.changing.Lock()
		defer m.changing.Unlock()
		for _, id := range ids {
			m.stop(id)
		}
		return nil
	}
	points, err := m.desk.EmailContactPoints(ctx)
	if err != nil {
		return err
	}
	for _, cp := range points {
		m.Changed(cp)
	}
	return nil
}

// Changed starts, replaces or stops the watcher of cp after its settings changed (the
// desk's OnMailServersChanged). It reads the contact point again, so calls that overtake
// each other end with the latest settings. A watcher whose configuration did not change
// keeps running; a replaced one's status starts afresh.
func (m *Mailboxes) Changed(cp *livedesk.ContactPoint) {
	m.changing.Lock()
	defer m.changing.Unlock()
	m.mu.Lock()
	leading := m.leading
	m.mu.Unlock()
	if m.ctx.Err() != nil || !leading {
		return // another node watches; it sees the change at its next rescan
	}
	latest, err := m.desk.ContactPoint(m.ctx, cp.AccountID, cp.ID)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		m.stop(cp.ID)
		m.publish(cp.ID, nil)
		return
	}
	if err == nil {
		cp = latest
	}
	var servers *desk.MailServers
	if err == nil {
		servers, err = m.desk.MailServers(m.ctx, cp)
	}
	var cfg *imapbox.Config
	if err == nil && servers.IMAP != nil {
		c := *servers.IMAP
		c.RootCAs = m.opts.RootCAs
		cfg = &c
	}
	m.mu.Lock()
	old := m.watchers[cp.ID]
	m.mu.Unlock()
	if old != nil && cfg != nil && reflect.DeepEqual(old.cfg, *cfg) {
		return
	}
	m.stop(cp.ID)
	if err != nil {
		m.log.Error("imap mailbox not watched", "contact_point", cp.ID, "err", err)
		m.publish(cp.ID, &imapbox.Status{Phase: imapbox.PhaseError, Error: err})
		return
	}
	if cfg == nil {
		if old != nil {
			m.publish(cp.ID, nil) // the IMAP settings are gone
		}
		return
	}
	m.mu.Lock()
	err = m.start(cp, *cfg)
	m.mu.Unlock()
	if err != nil {
		m.publish(cp.ID, &imapbox.Status{Phase: imapbox.PhaseError, Error: err})
	}
}

// ChangedLater runs Changed in the background: the desk's callback must not wait for an old
// watcher to stop. Close waits for it.
func (m *Mailboxes) ChangedLater(cp *livedesk.ContactPoint) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx.Err() != nil {
		return
	}
	m.wg.Add(1) // under mu: Close cancels under it before it waits
	go func() {
		defer m.wg.Done()
		m.Changed(cp)
	}()
}

// stop ends the watcher of a contact point, if it has one.
func (m *Mailboxes) stop(id livedesk.ID) {
	m.mu.Lock()
	old := m.watchers[id]
	delete(m.watchers, id)
	m.mu.Unlock()
	if old != nil {
		old.cancel()
		<-old.done // its last status report takes m.mu: not held here
	}
}

// publish records a watcher's status in the database for every node's cabinet (nil: the
// mailbox is not watched).
func (m *Mailboxes) publish(id livedesk.ID, st *imapbox.Status) {
	var out *livedesk.IMAPWatchStatus
	if st != nil {
		out = &livedesk.IMAPWatchStatus{Phase: string(st.Phase), AuthFailed: st.AuthFailed, RetryAt: timePtr(st.RetryAt),
			LastSuccess: timePtr(st.LastSuccess), IDLE: st.IDLE}
		if st.Error != nil {
			out.Error = st.Error.Error()
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), statusWriteTimeout)
	defer cancel()
	if err := m.desk.SetIMAPStatus(ctx, id, out); err != nil {
		m.log.Warn("imap mailbox status not recorded", "contact_point", id, "err", err)
	}
}

// statusWriteTimeout bounds the write of a mailbox's status (the database may be away).
const statusWriteTimeout = 5 * time.Second

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// start runs a watcher for cp, which reports its status from then on (publish); m.mu is held.
func (m *Mailboxes) start(cp *livedesk.ContactPoint, cfg imapbox.Config) error {
	if m.ctx.Err() != nil {
		return nil // closed
	}
	id, account := cp.ID, cp.AccountID
	ctx, cancel := context.WithCancel(m.ctx)
	wt := &watching{cfg: cfg, cancel: cancel, done: make(chan struct{})}
	w, err := imapbox.New(cfg, imapbox.Options{
		Deliver:      func(ctx context.Context, raw []byte) error { return m.ingest(ctx, cp, raw) },
		State:        m.desk.IMAPState(cp, cfg),
		Logger:       m.log.With("contact_point", id, "account", account),
		MinBackoff:   m.opts.MinBackoff,
		MaxBackoff:   m.opts.MaxBackoff,
		PollInterval: m.opts.PollInterval,
		IdleRenew:    m.opts.IdleRenew,
		OnStatus: func(s imapbox.Status) {
			m.mu.Lock()
			current := m.watchers[id] == wt // not a replaced watcher's last words
			m.mu.Unlock()
			if current {
				m.publish(id, &s)
			}
		},
	})
	if err != nil {
		m.log.Error("imap mailbox not watched", "contact_point", id, "err", err)
		cancel()
		return err
	}
	m.watchers[id] = wt
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(wt.done)
		_ = w.Watch(ctx)
	}()
	m.log.Info("imap mailbox watched", "contact_point", id, "account", account, "imap_host", cfg.Host, "imap_user", cfg.Username)
	return nil
}

// ingest hands one mail taken from cp's IMAP folder to the inbound path. An error leaves it
// in the mailbox to be handed again; a mail that cannot be taken (a confirmation mail, input
// the desk refuses, MaxIngestAttempts failures) is logged and skipped.
func (m *Mailboxes) ingest(ctx context.Context, cp *livedesk.ContactPoint, raw []byte) error {
	err := m.in.deliver(ctx, []*livedesk.ContactPoint{cp}, bytes.NewReader(raw), false)
	if err == nil || ctx.Err() != nil {
		return err
	}
	attrs := []any{"contact_point", cp.ID, "account", cp.AccountID, "message_id", headerMessageID(raw)}
	if errors.Is(err, errConfirmationMail) {
		m.log.Warn("imap: an address confirmation mail in the mailbox, not taken into a conversation", attrs...)
		return nil
	}
	if livedesk.IsCode(err, livedesk.CodeInvalidInput) {
		m.log.Error("imap: a mail the desk refuses, skipped (it stays in the mailbox, marked taken)", append(attrs, "err", err)...)
		return nil
	}
	sum := sha256.Sum256(raw)
	m.mu.Lock()
	m.failures[sum]++
	n := m.failures[sum]
	if n >= MaxIngestAttempts {
		delete(m.failures, sum)
	}
	m.mu.Unlock()
	if n >= MaxIngestAttempts {
		m.log.Error("imap: a mail failed every attempt, skipped (it stays in the mailbox, marked taken)",
			append(attrs, "attempts", n, "err", err)...)
		return nil
	}
	return err
}

// headerMessageID is the Message-ID header of a raw mail, for logs ("" when none).
func headerMessageID(raw []byte) string {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if end < 0 {
		end = min(len(raw), 64<<10)
	}
	for _, line := range bytes.Split(raw[:end], []byte("\n")) {
		if len(line) > 11 && bytes.EqualFold(line[:11], []byte("message-id:")) {
			return string(bytes.TrimSpace(line[11:]))
		}
	}
	return ""
}

// Watching reports whether this node watches cp's IMAP folder.
func (m *Mailboxes) Watching(cp livedesk.ID) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.watchers[cp] != nil
}

// SMTPSent records the outcome of a send through cp's own SMTP server (the outbox's OnSMTP)
// for every node's cabinet.
func (m *Mailboxes) SMTPSent(cp livedesk.ID, err error, authFailed bool) {
	st := livedesk.SMTPSendStatus{At: time.Now().UTC(), AuthFailed: authFailed}
	if err != nil {
		st.Error = err.Error()
	}
	ctx, cancel := context.WithTimeout(context.Background(), statusWriteTimeout)
	defer cancel()
	if err := m.desk.SetSMTPStatus(ctx, cp, st); err != nil {
		m.log.Warn("smtp status not recorded", "contact_point", cp, "err", err)
	}
}

// Close stops every watcher and waits for them.
func (m *Mailboxes) Close() {
	m.mu.Lock()
	m.cancel() // under mu: start, which holds it, starts nothing after this
	m.mu.Unlock()
	m.wg.Wait()
}
