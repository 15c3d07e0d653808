package testkit

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// HostPort is the server's address without the scheme, for raw connections.
func (e *Env) HostPort() string { return strings.TrimPrefix(e.URL, "http://") }

// DialFrom opens a TCP connection to addr from the loopback address src (127.x.y.z), as a
// client on another machine would; it is closed at the test's cleanup.
func DialFrom(t testing.TB, src, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// FirstLine reads the next line the server sends on a raw connection (an HTTP status line,
// an SMTP reply), without its line end; "still open" when nothing came within wait, "closed"
// when the server closed the connection first.
func FirstLine(t testing.TB, c net.Conn, wait time.Duration) string {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(wait))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil && line == "" {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return "still open"
		}
		return "closed"
	}
	return strings.TrimSpace(line)
}
