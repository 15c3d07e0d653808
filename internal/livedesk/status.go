package livedesk

// Status is an operator's status (DESIGN §2.1). It belongs to the operator, not a connection.
type Status string

// The four statuses.
const (
	StatusAvailable Status = "available"
	StatusPause     Status = "pause"
	StatusAway      Status = "away"
	StatusOffline   Status = "offline"
)

// Valid reports whether s is one of the four statuses.
func (s Status) Valid() bool {
	return s == StatusAvailable || s == StatusPause || s == StatusAway || s == StatusOffline
}

// Action is something an operator does that a status may forbid.
type Action int

// Actions checked against the status matrix.
const (
	// ActionAutoRoute: receiving new conversations from routing.
	ActionAutoRoute Action = iota
	// ActionAcceptTransfer: being offered and accepting a manual transfer.
	ActionAcceptTransfer
	// ActionReply: writing in own open conversations (messages, comments, close, transfer out).
	ActionReply
	// ActionSettings: changing own settings.
	ActionSettings
)

// Can reports whether an operator in status s may do a. This is the whole matrix of
// DESIGN §2.1; every write path asks it.
func (s Status) Can(a Action) bool {
	switch s {
	case StatusAvailable:
		return true
	case StatusPause:
		return a != ActionAutoRoute
	case StatusAway:
		return a == ActionReply || a == ActionSettings
	default:
		return false
	}
}

// Online reports whether the operator is online in the sense of transfers (available or pause).
func (s Status) Online() bool { return s == StatusAvailable || s == StatusPause }
