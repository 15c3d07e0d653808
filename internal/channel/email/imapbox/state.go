package imapbox

import (
	"context"
	"sync"
	"time"
)

// State keeps a mailbox's place between sessions: the folder's UIDVALIDITY and the highest
// UID taken under it. The desk stores it per contact point (two integers); Save is called
// after each taken message, so it should be cheap.
type State interface {
	// Load returns the stored place; validity 0 means none (the first run: the unread
	// mail is taken).
	Load(ctx context.Context) (validity, lastUID uint32, err error)
	// Save records the place. A watcher never saves a lower UID under the same validity.
	Save(ctx context.Context, validity, lastUID uint32) error
}

// MemoryState is a State in memory, for tests and for mailboxes whose place need not
// survive a restart. The zero value is ready to use.
type MemoryState struct {
	mu       sync.Mutex
	validity uint32
	lastUID  uint32
}

// Load implements State.
func (m *MemoryState) Load(context.Context) (uint32, uint32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.validity, m.lastUID, nil
}

// Save implements State.
func (m *MemoryState) Save(_ context.Context, validity, lastUID uint32) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.validity, m.lastUID = validity, lastUID
	return nil
}

// Phase is what a watcher is doing.
type Phase string

// The phases a watcher reports.
const (
	// PhaseConnecting: connecting and logging in.
	PhaseConnecting Phase = "connecting"
	// PhaseFetching: logged in, taking new mail.
	PhaseFetching Phase = "fetching"
	// PhaseIdle: up to date, waiting with IDLE for new mail.
	PhaseIdle Phase = "idle"
	// PhasePolling: up to date, the server has no IDLE: looking again every poll interval.
	PhasePolling Phase = "polling"
	// PhaseError: the last attempt failed (Status.Error says why); retrying at RetryAt.
	PhaseError Phase = "error"
	// PhaseStopped: Watch returned.
	PhaseStopped Phase = "stopped"
)

// Status is what the cabinet shows about a watched mailbox.
type Status struct {
	// Phase is what the watcher is doing.
	Phase Phase
	// Error is the last failure while Phase is PhaseError, with the server's words
	// (errors.Is with ErrAuth tells a refused login); nil otherwise.
	Error error
	// AuthFailed is true when Error is a refused login: the settings must change.
	AuthFailed bool
	// RetryAt is when the next attempt starts while Phase is PhaseError.
	RetryAt time.Time
	// LastSuccess is when the mailbox was last found up to date (zero before the first time).
	LastSuccess time.Time
	// IDLE tells whether the server offers IDLE (known once logged in).
	IDLE bool
	// Taken counts the messages taken since Watch started.
	Taken int
}
