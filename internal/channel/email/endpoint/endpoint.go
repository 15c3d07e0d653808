// Package endpoint holds what a mailbox's own servers (IMAP, SMTP submission) share: how the
// connection is protected, the checks of host, port and security made before connecting, and
// the TLS configuration used to reach them.
package endpoint

import (
	"crypto/tls"
	"crypto/x509"
	"net/netip"
	"strings"
	"unicode"
)

// Security is how the connection is protected.
type Security string

// The kinds of Security.
const (
	// TLS is implicit TLS from the first byte.
	TLS Security = "tls"
	// STARTTLS is a plain connection upgraded with STARTTLS before anything else; a server
	// that does not offer it is refused.
	STARTTLS Security = "starttls"
	// None is no encryption at all, allowed only for loopback hosts.
	None Security = "none"
)

// Check checks a server's host, port and security without connecting. It answers the
// setting at fault and why ("" when all is well); the protocol's own checks come after.
func Check(host string, port int, security Security) (field, reason string) {
	switch {
	case strings.TrimSpace(host) == "":
		return "host", "is required"
	case !validHost(host):
		return "host", "is not a host name or address"
	case port < 0 || port > 65535:
		return "port", "must be between 1 and 65535"
	}
	switch security {
	case TLS, STARTTLS:
	case None:
		if !IsLoopback(host) {
			return "security", `"none" is allowed only for a loopback host (127.0.0.1, ::1, localhost); use "tls" or "starttls"`
		}
	default:
		return "security", `must be "tls", "starttls" or "none"`
	}
	return "", ""
}

// IsLoopback tells whether host is a loopback address (127.0.0.0/8, ::1) or the name
// localhost. Names are not resolved: what a name resolves to can change after the check.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if host == "localhost" {
		return true
	}
	addr, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && addr.IsLoopback()
}

// validHost accepts a name without spaces, slashes or @, or an IP address (IPv6 with or
// without brackets).
func validHost(host string) bool {
	if strings.Contains(host, ":") {
		_, err := netip.ParseAddr(strings.Trim(host, "[]"))
		return err == nil
	}
	return !strings.ContainsAny(host, " \t/@[]") && !strings.ContainsFunc(host, unicode.IsControl)
}

// TLSConfig is the TLS configuration for reaching host: TLS 1.2 at least, the server's
// certificate verified for host against roots (nil: the system's).
func TLSConfig(host string, roots *x509.CertPool) *tls.Config {
	return &tls.Config{ServerName: strings.Trim(host, "[]"), RootCAs: roots, MinVersion: tls.VersionTLS12}
}
