package imapbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"livedesk/internal/testkit/mailserver"
)

// config is the plain loopback configuration of the support mailbox.
func config(s *mailserver.Server) Config {
	host, port, _ := net.SplitHostPort(s.IMAPAddr)
	p, _ := strconv.Atoi(port)
	return Config{Host: host, Port: p, Security: SecurityNone, Username: mailserver.Support, Password: mailserver.Password}
}

// inbox collects what a watcher delivers.
type inbox struct {
	mu     sync.Mutex
	got    []string // Subject lines, in delivery order
	fail   int      // fail this many more deliveries
	calls  int
	notify chan struct{}
}

func newInbox() *inbox { return &inbox{notify: make(chan struct{}, 100)} }

func (in *inbox) deliver(_ context.Context, raw []byte) error {
	in.mu.Lock()
	defer func() {
		in.mu.Unlock()
		in.notify <- struct{}{}
	}()
	in.calls++
	if in.fail > 0 {
		in.fail--
		return errors.New("database is locked")
	}
	in.got = append(in.got, subject(raw))
	return nil
}

func (in *inbox) subjects() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.got)
}

// waitFor waits until the delivered subjects are exactly want.
func (in *inbox) waitFor(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		if got := in.subjects(); slices.Equal(got, want) {
			return
		} else if len(got) > len(want) {
			t.Fatalf("delivered %q, want %q", got, want)
		}
		select {
		case <-in.notify:
		case <-deadline:
			t.Fatalf("delivered %q, want %q", in.subjects(), want)
		}
	}
}

func subject(raw []byte) string {
	for _, line := range strings.Split(string(raw), "\r\n") {
		if v, ok := strings.CutPrefix(line, "Subject: "); ok {
			return v
		}
	}
	return ""
}

// statuses records what a watcher reports.
type statuses struct {
	mu   sync.Mutex
	all  []Status
	note chan struct{}
}

func newStatuses() *statuses { return &statuses{note: make(chan struct{}, 1000)} }

func (s *statuses) add(st Status) {
	s.mu.Lock()
	s.all = append(s.all, st)
	s.mu.Unlock()
	s.note <- struct{}{}
}

// waitPhase waits until a reported status satisfies ok, returns it.
func (s *statuses) wait(t *testing.T, what string, ok func(Status) bool) Status {
	t.Helper()
	deadline := time.After(20 * time.Second)
	seen := 0
	for {
		s.mu.Lock()
		for ; seen < len(s.all); seen++ {
			if ok(s.all[seen]) {
				st := s.all[seen]
				s.mu.Unlock()
				return st
			}
		}
		s.mu.Unlock()
		select {
		case <-s.note:
		case <-deadline:
			t.Fatalf("no status %s; got %+v", what, s.all)
		}
	}
}

func phase(p Phase) func(Status) bool { return func(s Status) bool { return s.Phase == p } }

// run starts a watcher in the background; the returned function stops it and waits.
func run(t *testing.T, cfg Config, opts Options) (stop func(), st *statuses) {
	t.Helper()
	st = newStatuses()
	opts.OnStatus = st.add
	if opts.MinBackoff == 0 {
		opts.MinBackoff = 50 * time.Millisecond
	}
	if opts.Logger == nil && testing.Verbose() {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	w, err := New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Watch(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Watch: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("Watch did not return after cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop, st
}

// send delivers a mail to the support mailbox through Dovecot's LMTP.
func send(t *testing.T, s *mailserver.Server, subj string) {
	t.Helper()
	msg := mailserver.Message("text of "+subj, "From", mailserver.Customer, "To", mailserver.Support, "Subject", subj)
	if err := s.Deliver(mailserver.Customer, []string{mailserver.Support}, msg); err != nil {
		t.Fatal(err)
	}
}

// client is a second IMAP session of the support user, to look at and change the mailbox.
func client(t *testing.T, s *mailserver.Server) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(s.IMAPAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(mailserver.Support, mailserver.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// flags returns subject → whether it is \Seen, of every message in folder.
func flags(t *testing.T, c *imapclient.Client, folder string) map[string]bool {
	t.Helper()
	data, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	if data.NumMessages == 0 {
		return out
	}
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Subject"}, Peek: true}
	all := imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}
	msgs, err := c.Fetch(all, &imap.FetchOptions{Flags: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		subj := strings.TrimSpace(strings.TrimPrefix(string(m.FindBodySection(section)), "Subject: "))
		out[subj] = slices.Contains(m.Flags, imap.FlagSeen)
	}
	return out
}

func TestIDLEDelivery(t *testing.T) {
	t.Parallel()
	s := mailserver.StartDovecot(t)
	in := newInbox()
	state := &MemoryState{}
	_, st := run(t, config(s), Options{Deliver: in.deliver, State: state, PollInterval: time.Hour})
	idle := st.wait(t, "idle", phase(PhaseIdle))
	if !idle.IDLE {
		t.Fatal("Dovecot offers IDLE but the status says no")
	}
	start := time.Now()
	send(t, s, "first")
	in.waitFor(t, "first")
	// With a poll interval of an hour only IDLE can have brought it this fast.
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("IDLE delivery took %s", d)
	}
	send(t, s, "second")
	send(t, s, "third")
	in.waitFor(t, "first", "second", "third")
	st.wait(t, "idle again with a last success", func(s Status) bool { return s.Phase == PhaseIdle && s.Taken == 3 && !s.LastSuccess.IsZero() })
	c := client(t, s)
	if got := flags(t, c, "INBOX"); !got["first"] || !got["second"] || !got["third"] {
		t.Fatalf("taken mail is not \\Seen: %v", got)
	}
	if v, last, _ := state.Load(context.Background()); v == 0 || last != 3 {
		t.Fatalf("state = %d/%d, want the folder's validity and UID 3", v, last)
	}
}

func TestPolling(t *testing.T) {
	t.Parallel()
	s := mailserver.StartDovecot(t)
	send(t, s, "waiting before start")
	in := newInbox()
	_, st := run(t, config(s), Options{Deliver: in.deliver, State: &MemoryState{}, DisableIDLE: true, PollInterval: 200 * time.Millisecond})
	in.waitFor(t, "waiting before start")
	st.wait(t, "polling", phase(PhasePolling))
	for i := range 3 {
		send(t, s, fmt.Sprintf("polled %d", i))
	}
	in.waitFor(t, "waiting before start", "polled 0", "polled 1", "polled 2")
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, x := range st.all {
		if x.Phase == PhaseIdle {
			t.Fatal("IDLE used although disabled")
		}
	}
}

func TestRestartTakesNothingTwiceAndMissesNothing(t *testing.T) {
	t.Parallel()
	s := mailserver.StartDovecot(t)
	// Read in the mailbox before livedesk ever looked: the first run takes unread mail only.
	send(t, s, "old and read")
	c := client(t, s)
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(imap.SeqSetNum(1), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	send(t, s, "one")
	send(t, s, "two")

	state := &MemoryState{}
	in := newInbox()
	stop, st := run(t, config(s), Options{Deliver: in.deliver, State: state})
	in.waitFor(t, "one", "two")
	st.wait(t, "idle", phase(PhaseIdle))
	stop()

	// While livedesk is down: new mail arrives, someone reads one of the new mails in
	// webmail, someone marks a taken one unread again.
	send(t, s, "three (arrived while down)")
	send(t, s, "four (arrived while down, read in webmail)")
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(imap.UIDSetNum(5), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(imap.UIDSetNum(2), &imap.StoreFlags{Op: imap.StoreFlagsDel, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
		t.Fatal(err)
	}

	again := newInbox()
	run(t, config(s), Options{Deliver: again.deliver, State: state})
	again.waitFor(t, "three (arrived while down)", "four (arrived while down, read in webmail)")
	send(t, s, "five")
	again.waitFor(t, "three (arrived while down)", "four (arrived while down, read in webmail)", "five")
	// Nothing more comes: not "one" marked unread, not "old and read".
	time.Sleep(300 * time.Millisecond)
	again.waitFor(t, "three (arrived while down)", "four (arrived while down, read in webmail)", "five")
}

func TestUIDValidityChange(t *testing.T) {
	t.Parallel()
	s := mailserver.StartDovecot(t)
	c := client(t, s)
	if err := c.Create("Support", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	appendMsg := func(subj string, seen bool) {
		t.Helper()
		msg := mailserver.Message("x", "From", mailserver.Customer, "To", mailserver.Support, "Subject", subj)
		var opts imap.AppendOptions
		if seen {
			opts.Flags = []imap.Flag{imap.FlagSeen}
		}
		cmd := c.Append("Support", int64(len(msg)), &opts)
		if _, err := cmd.Write(msg); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	appendMsg("a", false)
	appendMsg("b", false)
	cfg := config(s)
	cfg.Folder = "Support"
	state := &MemoryState{}
	in := newInbox()
	stop, st := run(t, cfg, Options{Deliver: in.deliver, State: state})
	in.waitFor(t, "a", "b")
	st.wait(t, "idle", phase(PhaseIdle))
	stop()
	oldValidity, _, _ := state.Load(context.Background())

	// The folder is made anew: UIDs start again at 1 under another UIDVALIDITY. (Dovecot
	// gives a folder deleted and created again under the same name its old UIDVALIDITY;
	// one renamed into its place keeps its own.)
	if err := c.Create("Fresh", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete("Support").Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Rename("Fresh", "Support", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	appendMsg("read before", true)
	appendMsg("c", false)
	appendMsg("d", false)

	again := newInbox()
	_, st = run(t, cfg, Options{Deliver: again.deliver, State: state})
	// UID 2 and 3 are not above the old place (2): only a rescan of unread mail finds them.
	again.waitFor(t, "c", "d")
	st.wait(t, "idle", phase(PhaseIdle))
	validity, last, _ := state.Load(context.Background())
	if validity == oldValidity || last != 3 {
		t.Fatalf("state after the change = %d/%d (old validity %d), want a new validity and UID 3", validity, last, oldValidity)
	}
	appendMsg("e", false)
	again.waitFor(t, "c", "d", "e")
}

func TestWrongPassword(t *testing.T) {
	t.Parallel()
	s := mailserver.StartDovecot(t)
	cfg := config(s)
	cfg.Password = "wrong"
	err := Test(context.Background(), cfg)
	if !errors.Is(err, ErrAuth) {
		t.Fatalf("Test with a wrong password: %v, want ErrAuth", err)
	}
	// The server's own words reach the cabinet.
	if !strings.Contains(err.Error(), "Authentication failed") {
		t.Fatalf("error %q lacks the server's words", err)
	}

	// The watcher reports the refusal in the server's words and keeps trying. (Only one
	// refusal is waited for: Dovecot delays each further wrong login from one address.)
	cfg.Username = mailserver.Customer
	_, st := run(t, cfg, Options{Deliver: newInbox().deliver, State: &MemoryState{}, MinBackoff: 100 * time.Millisecond})
	first := st.wait(t, "error", phase(PhaseError))
	if !first.AuthFailed || !errors.Is(first.Error, ErrAuth) || !strings.Contains(first.Error.Error(), "Authentication failed") || first.RetryAt.IsZero() {
		t.Fatalf("status %+v does not say the login was refused", first)
	}
	st.wait(t, "another attempt", func(s Status) bool { return s.Phase == PhaseConnecting && time.Now().After(first.RetryAt) })
}

func TestDeliverFailureKeepsMailUnseenAndRetries(t *testing.T) {
	t.Parallel()
	s := mailserver.StartDovecot(t)
	send(t, s, "fails twice")
	send(t, s, "after it")
	in := newInbox()
	in.fail = 2
	state := &MemoryState{}
	_, st := run(t, config(s), Options{Deliver: in.deliver, State: state, MinBackoff: 300 * time.Millisecond})
	failed := st.wait(t, "deliver error", phase(PhaseError))
	if !errors.Is(failed.Error, ErrDeliver) || !strings.Contains(failed.Error.Error(), "database is locked") {
		t.Fatalf("status error %v", failed.Error)
	}
	c := client(t, s)
	if got := flags(t, c, "INBOX"); got["fails twice"] || got["after it"] {
		t.Fatalf("mail marked seen although not delivered: %v", got)
	}
	if _, last, _ := state.Load(context.Background()); last != 0 {
		t.Fatalf("place moved to %d although nothing was delivered", last)
	}
	in.waitFor(t, "fails twice", "after it")
	in.mu.Lock()
	calls := in.calls
	in.mu.Unlock()
	if calls != 4 {
		t.Fatalf("Deliver called %d times, want 2 failures + 2", calls)
	}
	st.wait(t, "idle", phase(PhaseIdle))
	if got := flags(t, c, "INBOX"); !got["fails twice"] || !got["after it"] {
		t.Fatalf("taken mail is not seen: %v", got)
	}
}

func TestMoveToFolder(t *testing.T) {
	t.Parallel()
	s := mailserver.StartDovecot(t)
	c := client(t, s)
	if err := c.Create("Taken", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	cfg := config(s)
	cfg.AfterFetch = "move:Taken"
	if err := Test(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	send(t, s, "moved")
	in := newInbox()
	_, st := run(t, cfg, Options{Deliver: in.deliver, State: &MemoryState{}})
	in.waitFor(t, "moved")
	send(t, s, "moved too")
	in.waitFor(t, "moved", "moved too")
	st.wait(t, "idle", func(s Status) bool { return s.Phase == PhaseIdle && s.Taken == 2 })
	if got := flags(t, c, "INBOX"); len(got) != 0 {
		t.Fatalf("INBOX still holds %v", got)
	}
	if got := flags(t, c, "Taken"); len(got) != 2 {
		t.Fatalf("Taken holds %v", got)
	}

	cfg.AfterFetch = "move:Nowhere"
	if err := Test(context.Background(), cfg); !errors.Is(err, ErrFolder) {
		t.Fatalf("Test with a missing move folder: %v", err)
	}
}

func TestTestSecurity(t *testing.T) {
	t.Parallel()
	s := mailserver.StartDovecot(t)
	plain := config(s)
	_, tlsPort, _ := net.SplitHostPort(s.IMAPSAddr)
	tp, _ := strconv.Atoi(tlsPort)
	tests := []struct {
		name   string
		change func(*Config)
		kind   error
	}{
		{"none on loopback", func(c *Config) {}, nil},
		{"starttls", func(c *Config) { c.Security, c.RootCAs = SecuritySTARTTLS, s.RootCAs }, nil},
		{"tls", func(c *Config) { c.Security, c.Port, c.RootCAs = SecurityTLS, tp, s.RootCAs }, nil},
		{"tls with an untrusted certificate", func(c *Config) { c.Security, c.Port = SecurityTLS, tp }, ErrTLS},
		{"starttls with an untrusted certificate", func(c *Config) { c.Security = SecuritySTARTTLS }, ErrTLS},
		{"tls to a plain port", func(c *Config) { c.Security, c.RootCAs = SecurityTLS, s.RootCAs }, ErrTLS},
		{"missing folder", func(c *Config) { c.Folder = "Nope" }, ErrFolder},
		{"unknown user", func(c *Config) { c.Username = "nobody@example.test" }, ErrAuth},
		{"nothing listening", func(c *Config) { c.Port = closedPort(t) }, ErrConnect},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := plain
			tc.change(&cfg)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := Test(ctx, cfg)
			if tc.kind == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tc.kind) {
				t.Fatalf("Test = %v, want %v", err, tc.kind)
			}
		})
	}
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestServerGoneKeepsTrying(t *testing.T) {
	t.Parallel()
	// A watcher of a port where nothing listens reports connection errors and keeps
	// trying with growing pauses up to the cap; it does not stop.
	cfg := Config{Host: "127.0.0.1", Port: closedPort(t), Security: SecurityNone, Username: "u"}
	_, st := run(t, cfg, Options{Deliver: newInbox().deliver, State: &MemoryState{}, MinBackoff: 20 * time.Millisecond, MaxBackoff: 160 * time.Millisecond})
	var errs []Status
	for len(errs) < 7 {
		e := st.wait(t, "connect error", func(s Status) bool {
			return s.Phase == PhaseError && (len(errs) == 0 || s.RetryAt.After(errs[len(errs)-1].RetryAt))
		})
		if !errors.Is(e.Error, ErrConnect) || e.AuthFailed {
			t.Fatalf("status %+v", e)
		}
		errs = append(errs, e)
	}
	// Pauses 20, 40, 80, 160, 160 ms (±10%): the gap between announced retries grows,
	// then stays.
	gap := func(i int) time.Duration { return errs[i+1].RetryAt.Sub(errs[i].RetryAt) }
	if gap(0) >= gap(3) || gap(5) > 260*time.Millisecond {
		t.Fatalf("retry gaps %s … %s … %s", gap(0), gap(3), gap(5))
	}
}
