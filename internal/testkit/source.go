package testkit

import (
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// sources counts the loopback source addresses handed out (127.1.0.1 onwards).
var sources atomic.Uint32

// NextSource returns a loopback address no other client of this test process uses: Linux
// routes all of 127.0.0.0/8 to the loopback interface, so a client can connect from any
// of them, and livedesk's per-address limits see distinct visitors.
func NextSource() netip.Addr {
	n := sources.Add(1)
	return netip.AddrFrom4([4]byte{127, byte(1 + n>>16%254), byte(n >> 8), byte(n)})
}

// sourceDialer dials from src (the system's choice when src is the zero Addr).
func sourceDialer(src netip.Addr) *net.Dialer {
	d := &net.Dialer{Timeout: 10 * time.Second}
	if src.IsValid() {
		d.LocalAddr = &net.TCPAddr{IP: src.AsSlice()}
	}
	return d
}

// clients are the HTTP clients by source address, each with its own connection pool.
var clients sync.Map // netip.Addr → *http.Client

// httpClient is the client whose connections come from src.
func httpClient(src netip.Addr) *http.Client {
	if !src.IsValid() {
		return http.DefaultClient
	}
	if c, ok := clients.Load(src); ok {
		return c.(*http.Client)
	}
	c := &http.Client{Transport: &http.Transport{DialContext: sourceDialer(src).DialContext, MaxIdleConnsPerHost: 2,
		IdleConnTimeout: 10 * time.Second}}
	actual, _ := clients.LoadOrStore(src, c)
	return actual.(*http.Client)
}
