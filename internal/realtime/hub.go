package realtime

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// Options configure the hub.
type Options struct {
	// SendQueue is the bound of each connection's send queue, in frames.
	SendQueue int
	// MaxReplay is how many missed events a resuming client may be replayed before it is
	// told to resync instead.
	MaxReplay int
	// PingInterval is how often the server pings each connection.
	PingInterval time.Duration
	// TypingInterval is the least time between two typing frames of one connection and
	// conversation that are forwarded; frames in between are dropped.
	TypingInterval time.Duration
	// VisitorSockets is how many sockets one visitor may hold at once (tabs of one browser).
	VisitorSockets int
}

// Metrics are the hub's counters, read by the metrics endpoint.
type Metrics struct {
	Connections  atomic.Int64
	Delivered    atomic.Int64
	SlowDropped  atomic.Int64
	Resyncs      atomic.Int64
	ReplayedMsgs atomic.Int64
	// GapsFilled counts events read from the log because the bus had not brought them in time.
	GapsFilled atomic.Int64
}

// Hub fans events out to WebSocket connections.
type Hub struct {
	opts Options
	desk *desk.Desk
	log  *slog.Logger

	mu        sync.RWMutex
	operators map[livedesk.ID]map[*conn]struct{} // by account
	visitors  map[livedesk.ID]map[*conn]struct{} // by visitor
	// visitorsOf holds the same visitor connections by account, for the events every
	// visitor of an account receives (availability).
	visitorsOf map[livedesk.ID]map[*conn]struct{}
	online     map[livedesk.ID]int // operator id → live connections
	// readers counts the connections' reader goroutines, which end with remove (and its
	// presence callbacks): CloseAll waits for them. closing (under mu) refuses connections
	// from then on, so none is added while CloseAll waits.
	readers sync.WaitGroup
	closing bool
	revoked map[string]time.Time // operator or session key → when revoked

	// seq orders each account's events when they come from several nodes (nil: one node,
	// whose store publishes in commit order). remote carries ephemeral frames to the other
	// nodes (nil: none). Both are set by Cluster.
	seq    *sequencer
	remote Remote

	// Metrics are exported counters.
	Metrics Metrics
	// OnLastDisconnect is called when an operator's last connection closes.
	OnLastDisconnect func(account, operator livedesk.ID)
	// OnVisitorGone is called when a visitor's last connection on this node closes.
	OnVisitorGone func(account, visitor livedesk.ID)
}

// NewHub returns a hub that asks the desk for replays and for who may type where.
func NewHub(d *desk.Desk, log *slog.Logger, opts Options) *Hub {
	if opts.SendQueue <= 0 {
		opts.SendQueue = 1024
	}
	if opts.MaxReplay <= 0 {
		opts.MaxReplay = 10000
	}
	if opts.PingInterval <= 0 {
		opts.PingInterval = 25 * time.Second
	}
	if opts.TypingInterval <= 0 {
		opts.TypingInterval = 2 * time.Second
	}
	if opts.VisitorSockets <= 0 {
		opts.VisitorSockets = 8
	}
	return &Hub{opts: opts, desk: d, log: log,
		operators: map[livedesk.ID]map[*conn]struct{}{}, visitors: map[livedesk.ID]map[*conn]struct{}{},
		visitorsOf: map[livedesk.ID]map[*conn]struct{}{}, online: map[livedesk.ID]int{}}
}

// Frame is what the server sends on a WebSocket.
type Frame struct {
	Type   string          `json:"type"`
	Cursor string          `json:"cursor,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
}

func encode(f Frame) []byte {
	b, _ := json.Marshal(f)
	return b
}

// operatorFrame and visitorFrame render an event for each side.
func operatorFrame(e *livedesk.Event) []byte {
	return encode(Frame{Type: e.Type, Cursor: e.ID.String(), Data: e.Payload})
}

func visitorFrame(e *livedesk.Event) []byte {
	return encode(Frame{Type: livedesk.VisitorEventType(e.Type), Cursor: e.ID.String(), Data: e.VisitorPayload})
}

// Remote carries what the hub sends to connections on other nodes: the ephemeral frames
// (typing), which are not stored and so do not travel with the events.
type Remote interface {
	PublishEphemeral(Ephemeral)
}

// Cluster makes the hub one of several nodes: events (its own and those the bus brings) go
// through the sequencer, which passes each account's events on in id order and reads from
// the log the ones that do not arrive within gapWait; ephemeral frames also go to remote.
// Call it before serving.
func (h *Hub) Cluster(remote Remote, gapWait time.Duration) {
	h.remote = remote
	h.seq = &sequencer{accounts: map[livedesk.ID]*accountSeq{}, wait: gapWait, out: h.fanOut,
		fetch: h.desk.AccountEvents, gapsFilled: func(n int) { h.Metrics.GapsFilled.Add(int64(n)) }}
}

// CatchUp reads from the event log what the other nodes committed while the bus was away
// (call it when the bus connection is back): the connections get it in order, or nothing
// twice.
func (h *Hub) CatchUp() {
	if h.seq != nil {
		h.seq.catchUp()
	}
}

// Publish delivers committed events, in order. It never blocks on a client. With several
// nodes it takes this node's events and the bus's alike, in any order (see Cluster).
func (h *Hub) Publish(events []*livedesk.Event) {
	if h.seq != nil {
		h.seq.add(events)
		return
	}
	h.fanOut(events)
}

// fanOut delivers committed events, in order, to the connections they are for.
func (h *Hub) fanOut(events []*livedesk.Event) {
	var revoked []*livedesk.Event
	defer func() {
		// Closing connections takes the hub's lock for writing: after the fan-out.
		for _, e := range revoked {
			h.revokeEvent(e)
		}
	}()
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, e := range events {
		if e.Type == livedesk.EventAccessRevoked {
			revoked = append(revoked, e)
			continue
		}
		var opFrame []byte
		for c := range h.operators[e.AccountID] {
			if e.ForOperator(c.operatorID, c.role) {
				if opFrame == nil {
					opFrame = operatorFrame(e)
				}
				c.deliver(e.ID, opFrame)
			}
		}
		if e.AllVisitors && e.VisitorPayload != nil {
			// Every visitor socket of the account (an account's first operator came online,
			// or its last went away), and no other account's.
			var vFrame []byte
			for c := range h.visitorsOf[e.AccountID] {
				if vFrame == nil {
					vFrame = visitorFrame(e)
				}
				c.deliver(e.ID, vFrame)
			}
		}
		if e.VisitorPayload != nil && e.VisitorID != 0 {
			var vFrame []byte
			for c := range h.visitors[e.VisitorID] {
				if vFrame == nil {
					vFrame = visitorFrame(e)
				}
				c.deliver(e.ID, vFrame)
			}
		}
	}
}

// PingAll pings every connection; call it every PingInterval. Clients that do not answer
// within three intervals are dropped by their reader.
func (h *Hub) PingAll() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, set := range h.operators {
		for c := range set {
			c.ping()
		}
	}
	for _, set := range h.visitors {
		for c := range set {
			c.ping()
		}
	}
}

// PingInterval is how often PingAll should run.
func (h *Hub) PingInterval() time.Duration { return h.opts.PingInterval }

// Online reports whether the operator has a live connection on this node.
func (h *Hub) Online(id livedesk.ID) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.online[id] > 0
}

// OnlineOperators lists operators with a live connection on this node.
func (h *Hub) OnlineOperators() []livedesk.ID {
	h.mu.RLock()
	defer h.mu.RUnlock()
	ids := make([]livedesk.ID, 0, len(h.online))
	for id := range h.online {
		ids = append(ids, id)
	}
	return ids
}

// OnlineVisitors lists visitors with a live connection on this node.
func (h *Hub) OnlineVisitors() []livedesk.ID {
	h.mu.RLock()
	defer h.mu.RUnlock()
	ids := make([]livedesk.ID, 0, len(h.visitors))
	for id := range h.visitors {
		ids = append(ids, id)
	}
	return ids
}

// add registers c; it refuses an operator's connection whose rights were revoked after
// authAt (see revokeEvent).
func (h *Hub) add(c *conn, authAt time.Time) (refused string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing {
		return "server shutting down"
	}
	if h.revokedLocked(c, authAt) {
		return "your access changed: connect again"
	}
	if c.visitorID != 0 {
		set := h.visitors[c.visitorID]
		if len(set) >= h.opts.VisitorSockets {
			return "too many connections of this visitor"
		}
		if set == nil {
			set = map[*conn]struct{}{}
			h.visitors[c.visitorID] = set
		}
		set[c] = struct{}{}
		of := h.visitorsOf[c.accountID]
		if of == nil {
			of = map[*conn]struct{}{}
			h.visitorsOf[c.accountID] = of
		}
		of[c] = struct{}{}
	} else {
		set := h.operators[c.accountID]
		if set == nil {
			set = map[*conn]struct{}{}
			h.operators[c.accountID] = set
		}
		set[c] = struct{}{}
		h.online[c.operatorID]++
	}
	h.Metrics.Connections.Add(1)
	h.readers.Add(1) // under mu, never once CloseAll waits: Serve starts the reader
	return ""
}

// LiveSessions are the hashes of the operator sessions holding a socket now.
func (h *Hub) LiveSessions() []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	seen := map[string]bool{}
	var out []string
	for _, set := range h.operators {
		for c := range set {
			if c.session != "" && !seen[c.session] {
				seen[c.session] = true
				out = append(out, c.session)
			}
		}
	}
	return out
}

// visitorSockets is how many sockets a visitor holds.
func (h *Hub) visitorSockets(visitor livedesk.ID) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.visitors[visitor])
}

func (h *Hub) remove(c *conn) {
	h.mu.Lock()
	last, visitorGone := false, false
	if c.visitorID != 0 {
		if set := h.visitors[c.visitorID]; set != nil {
			delete(set, c)
			if len(set) == 0 {
				delete(h.visitors, c.visitorID)
				visitorGone = true
			}
		}
		if of := h.visitorsOf[c.accountID]; of != nil {
			delete(of, c)
			if len(of) == 0 {
				delete(h.visitorsOf, c.accountID)
			}
		}
	} else {
		if set := h.operators[c.accountID]; set != nil {
			delete(set, c)
			if len(set) == 0 {
				delete(h.operators, c.accountID)
			}
		}
		h.online[c.operatorID]--
		if h.online[c.operatorID] <= 0 {
			delete(h.online, c.operatorID)
			last = true
		}
	}
	h.mu.Unlock()
	h.Metrics.Connections.Add(-1)
	if last && h.OnLastDisconnect != nil {
		h.OnLastDisconnect(c.accountID, c.operatorID)
	}
	if visitorGone && h.OnVisitorGone != nil {
		h.OnVisitorGone(c.accountID, c.visitorID)
	}
}

// sendEphemeral sends a frame without a cursor (typing) to matching connections.
// Ephemeral is a frame for some connections of one account that is never stored (typing):
// the account's staff and its assignee (when ToOperators), except one operator (the one
// typing), and a visitor.
type Ephemeral struct {
	AccountID      livedesk.ID `json:"account_id"`
	ToOperators    bool        `json:"to_operators,omitempty"`
	AssigneeID     livedesk.ID `json:"assignee_id,omitempty"`
	ExceptOperator livedesk.ID `json:"except_operator,omitempty"`
	VisitorID      livedesk.ID `json:"visitor_id,omitempty"`
	Frame          []byte      `json:"frame"`
}

// sendEphemeral delivers an ephemeral frame here and on the other nodes.
func (h *Hub) sendEphemeral(e Ephemeral) {
	h.DeliverEphemeral(e)
	if h.remote != nil {
		h.remote.PublishEphemeral(e)
	}
}

// DeliverEphemeral delivers an ephemeral frame to this node's connections (the bus calls it
// with the frames of other nodes).
func (h *Hub) DeliverEphemeral(e Ephemeral) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if e.ToOperators {
		for c := range h.operators[e.AccountID] {
			if c.operatorID != e.ExceptOperator && (c.operatorID == e.AssigneeID || c.role.Staff()) {
				c.deliver(0, e.Frame)
			}
		}
	}
	if e.VisitorID != 0 {
		for c := range h.visitors[e.VisitorID] {
			c.deliver(0, e.Frame)
		}
	}
}

// CloseAll disconnects every client (at shutdown; they resume elsewhere or later) and waits,
// until ctx is done, for each connection's end to be handled (OnLastDisconnect, OnVisitorGone
// write presence to the database, which must still be open).
func (h *Hub) CloseAll(ctx context.Context) {
	defer func() {
		done := make(chan struct{})
		go func() {
			h.readers.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-ctx.Done():
			h.log.Warn("connections still closing at shutdown", "err", ctx.Err())
		}
	}()
	h.mu.Lock()
	h.closing = true
	var all []*conn
	for _, set := range h.operators {
		for c := range set {
			all = append(all, c)
		}
	}
	for _, set := range h.visitors {
		for c := range set {
			all = append(all, c)
		}
	}
	h.mu.Unlock()
	for _, c := range all {
		c.close("server shutting down")
	}
}

// replay sends the events after cursor from the log, then switches c to live delivery.
func (h *Hub) replay(ctx context.Context, c *conn, cursor livedesk.ID, hasCursor bool) error {
	oldest, newest, err := h.desk.EventBounds(ctx, c.accountID)
	if err != nil {
		return err
	}
	if !hasCursor {
		c.goLive(newest, encode(Frame{Type: "ready", Cursor: newest.String()}))
		return nil
	}
	if cursor > newest || (cursor+1 < oldest) || int(newest-cursor) > h.opts.MaxReplay*20 {
		h.Metrics.Resyncs.Add(1)
		c.goLive(newest, encode(Frame{Type: livedesk.EventResync, Cursor: newest.String()}))
		return nil
	}
	last, sent := cursor, 0
	for {
		var events []*livedesk.Event
		if c.visitorID != 0 {
			events, err = h.desk.VisitorEvents(ctx, c.accountID, c.visitorID, last, 500)
		} else {
			events, err = h.desk.OperatorEvents(ctx, c.accountID, c.operatorID, c.role, last, 500)
		}
		if err != nil {
			return err
		}
		for _, e := range events {
			if c.visitorID != 0 {
				c.replayFrame(visitorFrame(e))
			} else {
				c.replayFrame(operatorFrame(e))
			}
			last = e.ID
		}
		sent += len(events)
		if sent > h.opts.MaxReplay {
			h.Metrics.Resyncs.Add(1)
			c.goLive(newest, encode(Frame{Type: livedesk.EventResync, Cursor: newest.String()}))
			return nil
		}
		if len(events) < 500 {
			break
		}
	}
	h.Metrics.ReplayedMsgs.Add(int64(sent))
	if last < newest {
		last = newest
	}
	c.goLive(last, encode(Frame{Type: "ready", Cursor: last.String()}))
	return nil
}
