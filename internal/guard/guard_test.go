package guard

import (
	"net"
	"net/http"
	"net/netip"
	"testing"
	"time"
)

func TestBucketsBurstRefillAndExpiry(t *testing.T) {
	b := NewBuckets(0)
	now := time.Unix(1000, 0)
	for i := 0; i < 5; i++ {
		if ok, _ := b.Take("a", 60, 5, now); !ok {
			t.Fatalf("take %d refused within the burst", i)
		}
	}
	ok, wait := b.Take("a", 60, 5, now)
	if ok || wait != time.Second {
		t.Fatalf("6th take: ok=%v wait=%v, want refused with 1s", ok, wait)
	}
	if ok, _ := b.Take("b", 60, 5, now); !ok {
		t.Fatal("another key shares the first key's bucket")
	}
	if ok, _ := b.Take("a", 60, 5, now.Add(time.Second)); !ok {
		t.Fatal("a token did not come back after a second at 60/min")
	}
	// Two minutes later every bucket is full again and the sweep forgets them.
	b.Take("c", 60, 5, now.Add(2*time.Minute))
	if n := b.Len(); n != 1 {
		t.Fatalf("%d keys after the sweep, want 1 (only c)", n)
	}
	if ok, _ := b.Take("x", 0, 0, now); !ok {
		t.Fatal("perMinute 0 must mean no limit")
	}
}

func TestBucketsOverflowShareOneBucket(t *testing.T) {
	b := NewBuckets(2)
	now := time.Unix(1000, 0)
	b.Take("a", 1, 1, now)
	b.Take("b", 1, 1, now)
	if ok, _ := b.Take("c", 1, 1, now); !ok {
		t.Fatal("the overflow bucket starts with its burst")
	}
	if ok, _ := b.Take("d", 1, 1, now); ok {
		t.Fatal("keys beyond MaxKeys must share one bucket")
	}
	if b.Len() != 2 {
		t.Fatalf("map grew to %d keys", b.Len())
	}
}

func TestClientAddr(t *testing.T) {
	p, err := ParseProxies("127.0.0.1, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseProxies("nonsense"); err == nil {
		t.Fatal("a bad proxy list was accepted")
	}
	cases := []struct{ remote, xff, want string }{
		{"192.0.2.7:5000", "198.51.100.1", "192.0.2.7"},                       // untrusted peer: header ignored
		{"127.0.0.1:5000", "198.51.100.1", "198.51.100.1"},                    // trusted proxy
		{"127.0.0.1:5000", "6.6.6.6, 198.51.100.1, 10.1.2.3", "198.51.100.1"}, // spoofed left part ignored
		{"127.0.0.1:5000", "", "127.0.0.1"},
		{"127.0.0.1:5000", "garbage, 198.51.100.9", "198.51.100.9"},
		{"127.0.0.1:5000", "198.51.100.9, garbage", "127.0.0.1"},
		{"[::ffff:127.0.0.1]:5000", "2001:db8::1", "2001:db8::1"},
	}
	for _, c := range cases {
		r := &http.Request{RemoteAddr: c.remote, Header: http.Header{}}
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := p.ClientAddr(r).String(); got != c.want {
			t.Errorf("%s with %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	if k := Key(netip.MustParseAddr("2001:db8:1:2:3:4:5:6")); k != "2001:db8:1:2::/64" {
		t.Errorf("IPv6 key %s", k)
	}
	if n := Network(netip.MustParseAddr("192.0.2.77")); n != "192.0.2.0/24" {
		t.Errorf("IPv4 network %s", n)
	}
}

func TestListenerCapsConnectionsPerAddress(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := LimitListener(raw, 2, nil)
	defer ln.Close()
	accepted := make(chan net.Conn, 10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	dial := func(local string) net.Conn {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
		c, err := d.Dial("tcp", raw.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a1, a2 := dial("127.0.0.1"), dial("127.0.0.1")
	<-accepted
	<-accepted
	a3 := dial("127.0.0.1") // over the cap: closed by the server at accept
	a3.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := a3.Read(make([]byte, 1)); err == nil {
		t.Fatal("the third connection of one address was not closed")
	}
	b1 := dial("127.0.0.2") // another address still gets in
	select {
	case c := <-accepted:
		if PeerAddr(c.RemoteAddr().String()).String() != "127.0.0.2" {
			t.Fatalf("accepted %s", c.RemoteAddr())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a connection from another address was not accepted")
	}
	if ln.Refused.Load() != 1 {
		t.Fatalf("refused %d", ln.Refused.Load())
	}
	a1.Close()
	a2.Close()
	b1.Close()
}
