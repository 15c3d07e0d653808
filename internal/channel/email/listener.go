package email

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"
)

// Defaults of the SMTP session limits (Limits).
const (
	DefaultMaxSessions       = 100
	DefaultSessionsPerAddr   = 8
	DefaultSessionsPerPrefix = 16
	DefaultIdleTimeout       = 30 * time.Second
	DefaultSessionTimeout    = 10 * time.Minute
	DefaultProcessTimeout    = 2 * time.Minute
)

// Limits bound what SMTP clients can hold. Connections are counted when accepted, before
// anything is read: at most MaxSessions at once, PerAddress per client address and
// PerPrefix per network (a /24 for IPv4, a /64 for IPv6), so that one sender, or one
// network, cannot take every place. A connection beyond them is told 421 and closed.
// Zero fields take the defaults.
type Limits struct {
	MaxSessions, PerAddress, PerPrefix int
	// IdleTimeout is how long a client may take to make progress before DATA: to greet, to
	// give the sender, a recipient or to start the mail after the previous one. Commands
	// that do not progress (NOOP, RSET, VRFY) do not renew it. During DATA it is the
	// longest pause between two reads.
	IdleTimeout time.Duration
	// SessionTimeout ends any session this long after it was accepted, however busy.
	SessionTimeout time.Duration
	// ProcessTimeout bounds the work on one received mail (parsing, storing its files,
	// writing it); the work also stops when the client goes away.
	ProcessTimeout time.Duration
	MIME           MIMELimits
}

func (l Limits) withDefaults() Limits {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	dur := func(p *time.Duration, v time.Duration) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&l.MaxSessions, DefaultMaxSessions)
	def(&l.PerAddress, DefaultSessionsPerAddr)
	def(&l.PerPrefix, DefaultSessionsPerPrefix)
	dur(&l.IdleTimeout, DefaultIdleTimeout)
	dur(&l.SessionTimeout, DefaultSessionTimeout)
	dur(&l.ProcessTimeout, DefaultProcessTimeout)
	l.MIME = l.MIME.withDefaults()
	return l
}

// limitListener counts SMTP connections at accept and gives them the session deadlines.
type limitListener struct {
	net.Listener
	limits Limits

	mu       sync.Mutex
	total    int
	byAddr   map[netip.Addr]int
	byPrefix map[netip.Prefix]int
	refused  int
}

func newLimitListener(ln net.Listener, l Limits) *limitListener {
	return &limitListener{Listener: ln, limits: l, byAddr: map[netip.Addr]int{}, byPrefix: map[netip.Prefix]int{}}
}

// prefixOf is the network an address is counted in: its /24 (IPv4) or /64 (IPv6).
func prefixOf(a netip.Addr) netip.Prefix {
	bits := 64
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	return p
}

func peer(c net.Conn) netip.Addr {
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

var busyReply = []byte("421 4.7.0 Too many connections from your network, try again later\r\n")

// Accept returns the next connection within the limits; one beyond them gets 421 and is
// closed here.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		a := peer(c)
		p := prefixOf(a)
		l.mu.Lock()
		ok := l.total < l.limits.MaxSessions && l.byAddr[a] < l.limits.PerAddress && l.byPrefix[p] < l.limits.PerPrefix
		if ok {
			l.total++
			l.byAddr[a]++
			l.byPrefix[p]++
		} else {
			l.refused++
		}
		l.mu.Unlock()
		if !ok {
			_ = c.SetWriteDeadline(time.Now().Add(time.Second))
			_, _ = c.Write(busyReply) // a fresh socket's buffer takes it at once
			c.Close()
			continue
		}
		now := time.Now()
		return &sessionConn{Conn: c, l: l, addr: a, prefix: p, idle: l.limits.IdleTimeout,
			end: now.Add(l.limits.SessionTimeout), progressBy: now.Add(l.limits.IdleTimeout)}, nil
	}
}

func (l *limitListener) release(a netip.Addr, p netip.Prefix) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.byAddr[a]--; l.byAddr[a] <= 0 {
		delete(l.byAddr, a)
	}
	if l.byPrefix[p]--; l.byPrefix[p] <= 0 {
		delete(l.byPrefix, p)
	}
}

// counts says how many connections are held in all, and how many were refused so far.
func (l *limitListener) counts() (open, refused int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total, l.refused
}

// sessionConn is one accepted SMTP connection. The SMTP server sets a read deadline before
// each command; sessionConn cuts it to the moment the client must have made progress by and
// to the end of the session. While the mail's data is read, every read gets IdleTimeout
// (within the session's end). While a received mail is processed, watch notices the client
// going away.
type sessionConn struct {
	net.Conn
	l      *limitListener
	addr   netip.Addr
	prefix netip.Prefix
	idle   time.Duration
	end    time.Time
	once   sync.Once

	mu         sync.Mutex
	progressBy time.Time // before DATA: the next step must come by then
	inData     bool
	pending    []byte // read by watch, given to the next Read
}

// Close closes the connection and gives its places back.
func (c *sessionConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.addr, c.prefix) })
	return err
}

func (c *sessionConn) clamp(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit := c.end
	if !c.inData && c.progressBy.Before(limit) {
		limit = c.progressBy
	}
	if t.IsZero() || limit.Before(t) {
		return limit
	}
	return t
}

// SetReadDeadline is the SMTP server's per-command deadline, cut to the session's limits.
func (c *sessionConn) SetReadDeadline(t time.Time) error { return c.Conn.SetReadDeadline(c.clamp(t)) }

// SetDeadline cuts the read side like SetReadDeadline.
func (c *sessionConn) SetDeadline(t time.Time) error {
	if err := c.Conn.SetWriteDeadline(t); err != nil {
		return err
	}
	return c.SetReadDeadline(t)
}

// Read gives what watch read first; during DATA each read has IdleTimeout.
func (c *sessionConn) Read(b []byte) (int, error) {
	c.mu.Lock()
	if len(c.pending) > 0 {
		n := copy(b, c.pending)
		c.pending = c.pending[n:]
		c.mu.Unlock()
		return n, nil
	}
	inData := c.inData
	c.mu.Unlock()
	if inData {
		if err := c.Conn.SetReadDeadline(c.clamp(time.Now().Add(c.idle))); err != nil {
			return 0, err
		}
	}
	return c.Conn.Read(b)
}

// progress records a step forward before DATA (greeting, sender, recipient, a mail done):
// the client has IdleTimeout again for the next one.
func (c *sessionConn) progress() {
	c.mu.Lock()
	c.progressBy = time.Now().Add(c.idle)
	c.mu.Unlock()
}

// data marks the reading of a mail's data (true) or its end (false).
func (c *sessionConn) data(on bool) {
	c.mu.Lock()
	c.inData = on
	c.mu.Unlock()
	if !on {
		c.progress()
	}
}

// watch cancels cancel when the client closes the connection while its mail is processed
// (nothing is read from it meanwhile). What the client sends in that time (a pipelined
// command) is kept for the server's next read. Call the returned stop before reading again.
func (c *sessionConn) watch(cancel context.CancelFunc) (stop func()) {
	done := make(chan struct{})
	_ = c.Conn.SetReadDeadline(c.end)
	go func() {
		defer close(done)
		var b [512]byte
		n, err := c.Conn.Read(b[:])
		if n > 0 {
			c.mu.Lock()
			c.pending = append(c.pending, b[:n]...)
			c.mu.Unlock()
		}
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			cancel() // closed or reset: the session is over
		} else if err != nil && !time.Now().Before(c.end) {
			cancel() // the session's time is up
		}
	}()
	return func() {
		_ = c.Conn.SetReadDeadline(time.Unix(1, 0)) // wakes the read
		<-done
		_ = c.Conn.SetReadDeadline(c.clamp(time.Now().Add(c.idle)))
	}
}
