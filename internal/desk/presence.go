package desk

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"livedesk/internal/livedesk"
)

// Presence is when operators count as present, in one place. An operator is seen while they
// hold a socket (Heartbeat, every HeartbeatInterval) or make requests (Session, at most
// every 15 s); the grace counts from the last sign, and from the moment the last socket
// closed (Disconnected). Sweep sets offline whoever has been unseen longer than the grace and
// has no socket, and returns to the queue the webchat conversations of operators offline
// longer than their account allows.
type Presence struct {
	desk  *Desk
	conns Connections
	grace time.Duration
	log   *slog.Logger
}

// Connections are the live sockets presence asks about (the realtime hub).
type Connections interface {
	// Online reports whether the operator holds a socket.
	Online(operator livedesk.ID) bool
	// OnlineOperators are the operators holding a socket.
	OnlineOperators() []livedesk.ID
	// LiveSessions are the hashes of the sessions holding a socket.
	LiveSessions() []string
	// OnlineVisitors are the visitors holding a widget socket.
	OnlineVisitors() []livedesk.ID
}

// HeartbeatInterval is how often operators holding sockets are marked seen (at most: see
// Presence.HeartbeatInterval).
const HeartbeatInterval = 15 * time.Second

// HeartbeatInterval is how often this node marks seen the operators holding sockets on it:
// every 15 seconds, or a quarter of the grace when that is shorter. With several nodes the
// node that sweeps sees other nodes' sockets only through these marks, so they must come
// well within the grace.
func (p *Presence) HeartbeatInterval() time.Duration {
	return min(HeartbeatInterval, p.grace/4)
}

// NewPresence returns the presence of operators on conns; grace is how long an unseen
// operator keeps their status.
func (d *Desk) NewPresence(conns Connections, grace time.Duration, log *slog.Logger) *Presence {
	return &Presence{desk: d, conns: conns, grace: grace, log: log}
}

// Heartbeat marks seen the operators and the sessions holding sockets (a session with an
// open socket is in use, however long since its last request), and the visitors holding
// widget sockets (a reply's followup by mail is only for a visitor gone: followup.go).
func (p *Presence) Heartbeat(ctx context.Context) error {
	if err := p.desk.Touch(ctx, p.conns.OnlineOperators()); err != nil {
		return err
	}
	if err := p.desk.VisitorsSeen(ctx, p.conns.OnlineVisitors()); err != nil {
		return err
	}
	return p.desk.TouchSessions(ctx, p.conns.LiveSessions())
}

// VisitorLeft is told that a visitor's last widget socket on this node closed: they were
// there until now.
func (p *Presence) VisitorLeft(account, visitor livedesk.ID) {
	if err := p.desk.VisitorsSeen(context.Background(), []livedesk.ID{visitor}); err != nil {
		p.log.Warn("visitor seen on disconnect", "err", err)
	}
}

// Disconnected is told that an operator's last socket closed: the grace counts from now.
func (p *Presence) Disconnected(account, operator livedesk.ID) {
	if err := p.desk.Touch(context.Background(), []livedesk.ID{operator}); err != nil {
		p.log.Warn("touch on disconnect", "err", err)
	}
}

// Sweep sets offline the operators unseen longer than the grace and without a socket, then
// requeues the conversations of operators offline too long.
func (p *Presence) Sweep(ctx context.Context) error {
	if err := p.desk.OfflineUnseen(ctx, p.grace.Milliseconds(), p.conns.Online); err != nil {
		return err
	}
	return p.desk.RequeueOffline(ctx)
}

// OfflineUnseen sets offline every operator not seen for longer than the grace period whose
// connected(id) is false (no live connection on this node).
func (d *Desk) OfflineUnseen(ctx context.Context, graceMS int64, connected func(livedesk.ID) bool) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error {
		ops, err := tx.UnseenOperators(tx.Now().UnixMilli() - graceMS)
		if err != nil {
			return err
		}
		for _, op := range ops {
			if connected(op.ID) {
				continue
			}
			if err := changeStatus(tx, op, livedesk.StatusOffline, "receiver_offline"); err != nil {
				return err
			}
		}
		return nil
	})
}

// Touch marks operators as seen now.
func (d *Desk) Touch(ctx context.Context, ids []livedesk.ID) error {
	if len(ids) == 0 {
		return nil
	}
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.TouchOperators(ids) })
}

// presenceSeen remembers when each operator's REST presence was last written.
type presenceSeen struct {
	mu sync.Mutex
	at map[livedesk.ID]time.Time
}

// due reports whether the operator's presence from requests should be written now (at most
// every 15 s).
func (p *presenceSeen) due(op livedesk.ID, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Sub(p.at[op]) < 15*time.Second {
		return false
	}
	p.at[op] = now
	return true
}
