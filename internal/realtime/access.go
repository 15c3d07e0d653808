package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"livedesk/internal/livedesk"
)

// This file holds what decides who may hold a connection and what it may send: the
// handshake checks made before upgrading, the closing of connections whose rights changed,
// and the rules for client typing frames.

// revokeMemory is how long a revocation is remembered, so that a connection that
// authenticated just before it but is added just after is refused too.
const revokeMemory = 5 * time.Minute

// handshake validates what can be answered as a JSON error before the upgrade: the cursor
// and that the request is a WebSocket handshake at all.
func handshake(r *http.Request) (cursor livedesk.ID, hasCursor bool, err error) {
	if raw := r.URL.Query().Get("cursor"); raw != "" {
		id, ok := livedesk.ParseID(raw)
		if !ok && raw != "0" {
			return 0, false, livedesk.Errorf(livedesk.CodeInvalidInput, "cursor is not valid: use the cursor of the last frame you received")
		}
		cursor, hasCursor = id, true
	}
	if !websocket.IsWebSocketUpgrade(r) {
		return 0, false, livedesk.Errorf(livedesk.CodeInvalidInput, "this endpoint is a WebSocket: send a handshake (Connection: Upgrade, Upgrade: websocket)")
	}
	if r.Header.Get("Sec-WebSocket-Version") != "13" {
		return 0, false, livedesk.Errorf(livedesk.CodeInvalidInput, "Sec-WebSocket-Version must be 13")
	}
	if r.Header.Get("Sec-WebSocket-Key") == "" {
		return 0, false, livedesk.Errorf(livedesk.CodeInvalidInput, "the handshake has no Sec-WebSocket-Key")
	}
	return cursor, hasCursor, nil
}

// upgradeError answers a handshake the upgrader refuses after handshake passed (rare: e.g.
// a connection that cannot be hijacked) in the API's JSON error format.
func upgradeError(w http.ResponseWriter, r *http.Request, status int, reason error) {
	code := livedesk.CodeInvalidInput
	switch status {
	case http.StatusForbidden:
		code = livedesk.CodeForbidden
	case http.StatusMethodNotAllowed:
		code = livedesk.CodeMethodNotAllowed
	case http.StatusInternalServerError:
		code = livedesk.CodeInternal
	}
	b, _ := json.Marshal(livedesk.ErrorEnvelope{Error: livedesk.ErrorBody{Code: code, Message: "WebSocket handshake refused"}})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func operatorKey(id livedesk.ID) string { return "o" + id.String() }
func sessionKey(hash string) string     { return "s" + hash }

// revokeEvent closes the connections whose rights an access.revoked event ended: every
// connection of the operator, or only those opened with the listed sessions. The client
// reconnects and authenticates again with its new rights, or is refused. A connection that
// authenticated before the event but is not added yet is refused when it is.
func (h *Hub) revokeEvent(e *livedesk.Event) {
	var r livedesk.AccessRevoked
	if err := json.Unmarshal(e.Payload, &r); err != nil {
		h.log.Error("access.revoked event", "event", e.ID, "err", err)
		return
	}
	if len(r.Sessions) == 0 {
		h.revoke(operatorKey(r.OperatorID), func(c *conn) bool { return c.visitorID == 0 && c.operatorID == r.OperatorID }, r.Reason)
		return
	}
	for _, hash := range r.Sessions {
		h.revoke(sessionKey(hash), func(c *conn) bool { return c.visitorID == 0 && c.session == hash }, r.Reason)
	}
}

func (h *Hub) revoke(key string, match func(*conn) bool, reason string) {
	now := time.Now()
	var victims []*conn
	h.mu.Lock()
	if h.revoked == nil {
		h.revoked = map[string]time.Time{}
	}
	for k, at := range h.revoked {
		if now.Sub(at) > revokeMemory {
			delete(h.revoked, k)
		}
	}
	h.revoked[key] = now
	for _, set := range h.operators {
		for c := range set {
			if match(c) {
				victims = append(victims, c)
			}
		}
	}
	h.mu.Unlock()
	for _, c := range victims {
		c.close(reason)
	}
}

// revokedLocked reports whether a client that authenticated at authAt lost its rights since.
// h.mu must be held.
func (h *Hub) revokedLocked(c *conn, authAt time.Time) bool {
	if c.visitorID != 0 || authAt.IsZero() {
		return false
	}
	for _, key := range []string{operatorKey(c.operatorID), sessionKey(c.session)} {
		if at, ok := h.revoked[key]; ok && !authAt.After(at) {
			return true
		}
	}
	return false
}

// errorFrame is a frame telling the client that its frame was refused.
func errorFrame(code livedesk.Code, message string) []byte {
	data, _ := json.Marshal(livedesk.ErrorBody{Code: code, Message: message})
	return encode(Frame{Type: "error", Data: data})
}

// typingAllowed applies the throttle: at most one typing frame per connection and
// conversation per TypingInterval is considered; later ones inside the interval are dropped
// silently.
func (c *conn) typingAllowed(conversation livedesk.ID, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if last, ok := c.typingAt[conversation]; ok && now.Sub(last) < c.hub.opts.TypingInterval {
		return false
	}
	if c.typingAt == nil || len(c.typingAt) >= 64 {
		c.typingAt = map[livedesk.ID]time.Time{}
	}
	c.typingAt[conversation] = now
	return true
}

// typing forwards a client's typing indicator to the other side of a conversation, when
// the sender may write there: a visitor in their own open conversation (not one they
// closed); an operator who may reply in it (its assignee, or a supervisor or admin, not
// offline, the conversation not closed). A conversation the operator may not read
// (desk.MayRead) is answered as not found. Throttled frames are dropped silently; refused
// ones are answered with an error frame. The visitor sees only the assignee typing.
func (h *Hub) typing(c *conn, conversation livedesk.ID) {
	if c.visitorID == 0 && conversation <= 0 {
		c.deliver(0, errorFrame(livedesk.CodeInvalidInput, "typing needs the conversation_id of a conversation you work in"))
		return
	}
	key := conversation
	if c.visitorID != 0 {
		key = 0 // a visitor has one open conversation per contact point
	}
	if !c.typingAllowed(key, time.Now()) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	refuse := func(err error) {
		if le, ok := errors.AsType[*livedesk.Error](err); ok {
			c.deliver(0, errorFrame(le.Code, le.Message))
			return
		}
		h.log.Warn("typing", "err", err)
		c.deliver(0, errorFrame(livedesk.CodeInternal, "typing could not be checked"))
	}
	if c.visitorID != 0 {
		t, err := h.desk.VisitorTyping(ctx, c.accountID, c.cpID, c.visitorID)
		if err != nil {
			refuse(err)
			return
		}
		data, _ := json.Marshal(livedesk.TypingPayload{ConversationID: t.ConversationID, Author: "visitor", VisitorID: c.visitorID})
		frame := encode(Frame{Type: livedesk.EventTyping, Data: data})
		h.sendEphemeral(Ephemeral{AccountID: c.accountID, ToOperators: true, AssigneeID: t.AssigneeID, Frame: frame})
		return
	}
	t, err := h.desk.OperatorTyping(ctx, c.accountID, c.operatorID, conversation)
	if err != nil {
		refuse(err)
		return
	}
	me := c.operatorID
	data, _ := json.Marshal(livedesk.TypingPayload{ConversationID: t.ConversationID, Author: "operator", OperatorID: me, Name: t.Name})
	frame := encode(Frame{Type: livedesk.EventTyping, Data: data})
	h.sendEphemeral(Ephemeral{AccountID: c.accountID, ToOperators: true, AssigneeID: t.AssigneeID, ExceptOperator: me,
		VisitorID: t.Visitor, Frame: frame})
}
