// Package guard holds what keeps anonymous clients from exhausting livedesk: token buckets
// by key that expire when idle, a listener that caps connections per client address, and
// the client address itself (the TCP peer, or X-Forwarded-For when the peer is a trusted
// proxy). It knows nothing of HTTP routes or of the data; httpapi and the email channel
// decide what to limit and with which numbers.
package guard
