// Package routing holds the pure rules of DESIGN §2.3–2.4: which operator a new
// conversation goes to, and who may be offered a transfer. It does no I/O; the desk package
// applies these rules inside a database transaction and guards the limit there atomically
// (UPDATE … WHERE open_count < lim), so a decision made here can never push an operator
// over their limit even if it raced.
package routing
