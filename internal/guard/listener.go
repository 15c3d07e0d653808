package guard

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
)

// Listener caps the connections one client address holds at once: a connection beyond
// PerAddr is closed as soon as it is accepted, before anything is read from it. Connections
// from trusted proxies are not capped (they carry many clients; those are limited per
// request instead).
type Listener struct {
	net.Listener
	perAddr int
	proxies Proxies

	mu   sync.Mutex
	open map[string]int
	// Refused counts connections closed at accept.
	Refused atomic.Int64
}

// LimitListener wraps ln; perAddr ≤ 0 means no cap.
func LimitListener(ln net.Listener, perAddr int, proxies Proxies) *Listener {
	return &Listener{Listener: ln, perAddr: perAddr, proxies: proxies, open: map[string]int{}}
}

// Accept returns the next connection within the caps.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.perAddr <= 0 {
			return c, err
		}
		a := PeerAddr(c.RemoteAddr().String())
		if l.proxies.Trusted(a) {
			return c, nil
		}
		key := Key(a)
		l.mu.Lock()
		n := l.open[key]
		if n >= l.perAddr {
			l.mu.Unlock()
			l.Refused.Add(1)
			c.Close()
			continue
		}
		l.open[key] = n + 1
		l.mu.Unlock()
		return &countedConn{Conn: c, l: l, key: key}, nil
	}
}

// Open is how many connections the address holds now.
func (l *Listener) Open(a netip.Addr) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open[Key(a)]
}

func (l *Listener) release(key string) {
	l.mu.Lock()
	if l.open[key] <= 1 {
		delete(l.open, key)
	} else {
		l.open[key]--
	}
	l.mu.Unlock()
}

type countedConn struct {
	net.Conn
	l    *Listener
	key  string
	once sync.Once
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.key) })
	return err
}
