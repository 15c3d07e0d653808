// Package bus carries what one livedesk node must tell the others over NATS: the events it
// committed (each account's on its own subject, in commit order as published) and the
// ephemeral frames (typing) that are never stored. The database stays the source of truth:
// a node that misses a message reads the events from the log (see realtime's sequencer), so
// plain NATS publish/subscribe is enough; nothing here needs to be durable.
package bus

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"livedesk/internal/guard"
	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
)

// Subjects, under the installation's namespace (see Connect): livedesk.<ns>.events.<account>,
// livedesk.<ns>.ephemeral.<account> and livedesk.<ns>.limits.
const (
	eventsSubject    = "events."
	ephemeralSubject = "ephemeral."
	// limitsSubject carries the rate limits' spends (logins, visitor sessions and messages),
	// so a limit counts what a client spent on every node.
	limitsSubject = "limits"
)

// Bus is one node's connection to the others.
type Bus struct {
	nc   *nats.Conn
	node string
	// prefix starts every subject: "livedesk.<namespace>.".
	prefix string
	log    *slog.Logger
	subs   []*nats.Subscription
	// onReconnect is told that the connection is back after a loss (what the other nodes
	// published meanwhile never arrived here).
	onReconnect atomic.Pointer[func()]

	// Published and Received count messages, for the metrics.
	Published, Received atomic.Int64
}

// Connect connects to NATS at url as node (a name unique among the nodes, e.g. its host and
// port: a node ignores its own messages). namespace names the installation — the nodes on
// one database — and keeps its subjects apart from other installations sharing the NATS
// server, whose account, operator and event ids are the same small numbers: one
// subject token of letters, digits, '-' and '_'.
func Connect(url, node, namespace string, log *slog.Logger) (*Bus, error) {
	if !validToken(namespace) {
		return nil, fmt.Errorf("bus namespace %q: want letters, digits, '-' or '_'", namespace)
	}
	b := &Bus{node: node, log: log, prefix: "livedesk." + namespace + "."}
	nc, err := nats.Connect(url, nats.Name("livedesk "+node), nats.MaxReconnects(-1), nats.ReconnectWait(time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("bus disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) {
			log.Info("bus reconnected")
			if fn := b.onReconnect.Load(); fn != nil {
				(*fn)()
			}
		}))
	if err != nil {
		return nil, fmt.Errorf("connect to NATS at %s: %w", url, err)
	}
	b.nc = nc
	return b, nil
}

// validToken reports whether s is a non-empty NATS subject token of letters, digits, '-'
// and '_' (no '.', no wildcards, no spaces).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// OnReconnect sets the function told that the connection is back after a loss.
func (b *Bus) OnReconnect(fn func()) { b.onReconnect.Store(&fn) }

// wireEvent is an event as it travels between nodes.
type wireEvent struct {
	ID             livedesk.ID     `json:"id"`
	AccountID      livedesk.ID     `json:"account_id"`
	Type           string          `json:"type"`
	OperatorID     livedesk.ID     `json:"operator_id,omitempty"`
	Operator2ID    livedesk.ID     `json:"operator2_id,omitempty"`
	Staff          bool            `json:"staff,omitempty"`
	AllOperators   bool            `json:"all_operators,omitempty"`
	AllVisitors    bool            `json:"all_visitors,omitempty"`
	VisitorID      livedesk.ID     `json:"visitor_id,omitempty"`
	Payload        json.RawMessage `json:"payload"`
	VisitorPayload json.RawMessage `json:"visitor_payload,omitempty"`
}

// envelope is one message: who sent it and what.
type envelope struct {
	Node      string              `json:"node"`
	Events    []wireEvent         `json:"events,omitempty"`
	Ephemeral *realtime.Ephemeral `json:"ephemeral,omitempty"`
	Spend     *guard.Spend        `json:"spend,omitempty"`
}

// PublishEvents sends committed events to the other nodes, one message per account (the
// events of a commit, in order).
func (b *Bus) PublishEvents(events []*livedesk.Event) {
	for start := 0; start < len(events); {
		end := start + 1
		for end < len(events) && events[end].AccountID == events[start].AccountID {
			end++
		}
		env := envelope{Node: b.node, Events: make([]wireEvent, 0, end-start)}
		for _, e := range events[start:end] {
			env.Events = append(env.Events, wireEvent{ID: e.ID, AccountID: e.AccountID, Type: e.Type, OperatorID: e.OperatorID,
				Operator2ID: e.Operator2ID, Staff: e.Staff, AllOperators: e.AllOperators, AllVisitors: e.AllVisitors,
				VisitorID: e.VisitorID, Payload: e.Payload, VisitorPayload: e.VisitorPayload})
		}
		b.publish(b.prefix+eventsSubject+events[start].AccountID.String(), env)
		start = end
	}
}

// PublishEphemeral sends an ephemeral frame to the other nodes.
func (b *Bus) PublishEphemeral(e realtime.Ephemeral) {
	b.publish(b.prefix+ephemeralSubject+strconv.FormatInt(int64(e.AccountID), 10), envelope{Node: b.node, Ephemeral: &e})
}

// PublishSpend sends a rate limit's spend to the other nodes.
func (b *Bus) PublishSpend(s guard.Spend) {
	b.publish(b.prefix+limitsSubject, envelope{Node: b.node, Spend: &s})
}

// SubscribeSpends hands the other nodes' rate limit spends to apply.
func (b *Bus) SubscribeSpends(apply func(guard.Spend)) error {
	sub, err := b.nc.Subscribe(b.prefix+limitsSubject, func(m *nats.Msg) {
		var env envelope
		if json.Unmarshal(m.Data, &env) != nil || env.Node == b.node || env.Spend == nil {
			return
		}
		b.Received.Add(1)
		apply(*env.Spend)
	})
	if err != nil {
		return err
	}
	b.subs = append(b.subs, sub)
	return b.nc.Flush()
}

func (b *Bus) publish(subject string, env envelope) {
	data, err := json.Marshal(env)
	if err != nil {
		b.log.Error("bus: encode", "err", err)
		return
	}
	// A failed publish is not retried: the other nodes read what they missed from the log.
	if err := b.nc.Publish(subject, data); err != nil {
		b.log.Warn("bus: publish", "subject", subject, "err", err)
		return
	}
	b.Published.Add(1)
}

// Subscribe hands the other nodes' events to events and their ephemeral frames to ephemeral.
// The handlers run on one goroutine per subscription, in arrival order.
func (b *Bus) Subscribe(events func([]*livedesk.Event), ephemeral func(realtime.Ephemeral)) error {
	decode := func(m *nats.Msg) (envelope, bool) {
		var env envelope
		if err := json.Unmarshal(m.Data, &env); err != nil {
			b.log.Warn("bus: a message that is not ours", "subject", m.Subject, "err", err)
			return env, false
		}
		if env.Node == b.node {
			return env, false
		}
		b.Received.Add(1)
		return env, true
	}
	sub, err := b.nc.Subscribe(b.prefix+eventsSubject+">", func(m *nats.Msg) {
		env, ok := decode(m)
		if !ok || len(env.Events) == 0 {
			return
		}
		out := make([]*livedesk.Event, len(env.Events))
		for i, w := range env.Events {
			out[i] = &livedesk.Event{ID: w.ID, AccountID: w.AccountID, Type: w.Type, OperatorID: w.OperatorID,
				Operator2ID: w.Operator2ID, Staff: w.Staff, AllOperators: w.AllOperators, AllVisitors: w.AllVisitors,
				VisitorID: w.VisitorID, Payload: w.Payload, VisitorPayload: w.VisitorPayload}
			if len(w.VisitorPayload) == 0 {
				out[i].VisitorPayload = nil
			}
		}
		events(out)
	})
	if err != nil {
		return err
	}
	b.subs = append(b.subs, sub)
	sub, err = b.nc.Subscribe(b.prefix+ephemeralSubject+">", func(m *nats.Msg) {
		if env, ok := decode(m); ok && env.Ephemeral != nil {
			ephemeral(*env.Ephemeral)
		}
	})
	if err != nil {
		return err
	}
	b.subs = append(b.subs, sub)
	// The subscriptions are in place on the server before the node serves anyone.
	return b.nc.Flush()
}

// Close unsubscribes and closes the connection after sending what is buffered.
func (b *Bus) Close() {
	for _, s := range b.subs {
		s.Unsubscribe()
	}
	b.nc.Drain()
}
