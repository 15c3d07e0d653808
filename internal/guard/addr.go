package guard

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies whose X-Forwarded-For is believed.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of addresses and CIDR prefixes
// ("127.0.0.1, 10.0.0.0/8"); "" is none.
func ParseProxies(s string) (Proxies, error) {
	var out Proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither an address nor a prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// Trusted reports whether a is one of the proxies.
func (p Proxies) Trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, pr := range p {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

// PeerAddr is the address of a connection's remote end (the zero Addr if it has none).
func PeerAddr(remote string) netip.Addr {
	ap, err := netip.ParseAddrPort(remote)
	if err == nil {
		return ap.Addr().Unmap()
	}
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// ClientAddr is the address of the client behind r: the TCP peer, unless the peer is a
// trusted proxy; then X-Forwarded-For is read from its right end, skipping trusted proxies,
// and the first address that is not one is the client. A malformed header is ignored (the
// peer is the client).
func (p Proxies) ClientAddr(r *http.Request) netip.Addr {
	peer := PeerAddr(r.RemoteAddr)
	if len(p) == 0 || !p.Trusted(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return client
		}
		client = a.Unmap()
		if !p.Trusted(client) {
			return client
		}
	}
	return client
}

// Key is the limiting key of an address: the address itself for IPv4, its /64 for IPv6
// (one customer usually holds a whole /64).
func Key(a netip.Addr) string {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// Network is the address's wider network: its /24 for IPv4, its /48 for IPv6 — for caps
// that an attacker with many addresses of one network shares.
func Network(a netip.Addr) string {
	a = a.Unmap()
	bits := 24
	if a.Is6() {
		bits = 48
	}
	p, _ := a.Prefix(bits)
	return p.String()
}
