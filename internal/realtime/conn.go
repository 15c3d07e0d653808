package realtime

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"livedesk/internal/livedesk"
)

// conn is one WebSocket client: an operator's or a visitor's.
type conn struct {
	hub        *Hub
	ws         *websocket.Conn
	accountID  livedesk.ID
	operatorID livedesk.ID
	role       livedesk.Role
	name       string
	visitorID  livedesk.ID
	cpID       livedesk.ID

	mu      sync.Mutex
	live    bool
	pending []pendingFrame // live events held while replaying
	replayQ [][]byte       // replay frames, written before going live
	// replayBacklog is handed to the writer in one piece when the connection goes live.
	replayBacklog [][]byte
	lastID        livedesk.ID // highest cursor queued to this connection
	send          chan []byte
	closed        bool
	done          chan struct{}
	reason        string
}

type pendingFrame struct {
	id    livedesk.ID
	frame []byte
}

func (h *Hub) newConn(ws *websocket.Conn) *conn {
	return &conn{hub: h, ws: ws, send: make(chan []byte, h.opts.SendQueue), done: make(chan struct{})}
}

// deliver queues a live frame (id 0: ephemeral). A full queue closes the connection: the
// client resumes from its cursor and loses nothing.
func (c *conn) deliver(id livedesk.ID, frame []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if !c.live {
		if id != 0 {
			c.pending = append(c.pending, pendingFrame{id, frame})
		}
		return
	}
	if id != 0 {
		if id <= c.lastID {
			return
		}
		c.lastID = id
	}
	c.enqueueLocked(frame)
}

func (c *conn) enqueueLocked(frame []byte) {
	select {
	case c.send <- frame:
		c.hub.Metrics.Delivered.Add(1)
	default:
		c.hub.Metrics.SlowDropped.Add(1)
		c.closeLocked("slow consumer: reconnect with your cursor")
	}
}

// replayFrame queues a replayed frame; it is written before anything live.
func (c *conn) replayFrame(frame []byte) {
	c.mu.Lock()
	c.replayQ = append(c.replayQ, frame)
	c.mu.Unlock()
}

// goLive sends the replay, the ready (or resync) frame and then the held live events newer
// than last, and switches to live delivery.
func (c *conn) goLive(last livedesk.ID, ready []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	replay := c.replayQ
	c.replayQ = nil
	c.live = true
	c.lastID = last
	// The replay may be longer than the queue: the writer takes it as one backlog.
	c.replayBacklog = append(replay, ready)
	for _, p := range c.pending {
		if p.id > c.lastID {
			c.lastID = p.id
			c.replayBacklog = append(c.replayBacklog, p.frame)
		}
	}
	c.pending = nil
	select {
	case c.send <- nil: // wake the writer to flush the backlog
	default:
	}
}

func (c *conn) close(reason string) {
	c.mu.Lock()
	c.closeLocked(reason)
	c.mu.Unlock()
}

func (c *conn) closeLocked(reason string) {
	if c.closed {
		return
	}
	c.closed = true
	c.reason = reason
	close(c.done)
}

// writer owns all writes to the socket.
func (c *conn) writer() {
	ping := time.NewTicker(c.hub.opts.PingInterval)
	defer ping.Stop()
	defer c.ws.Close()
	write := func(b []byte) bool {
		c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		return c.ws.WriteMessage(websocket.TextMessage, b) == nil
	}
	for {
		select {
		case f := <-c.send:
			c.mu.Lock()
			backlog := c.replayBacklog
			c.replayBacklog = nil
			c.mu.Unlock()
			for _, b := range backlog {
				if !write(b) {
					c.close("write failed")
					return
				}
			}
			if f != nil && !write(f) {
				c.close("write failed")
				return
			}
		case <-ping.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second)); err != nil {
				c.close("ping failed")
				return
			}
		case <-c.done:
			c.mu.Lock()
			reason := c.reason
			c.mu.Unlock()
			code := websocket.CloseNormalClosure
			if reason != "" && reason != "client closed" {
				code = websocket.CloseTryAgainLater
			}
			c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
			return
		}
	}
}

// clientFrame is what clients send.
type clientFrame struct {
	Type           string      `json:"type"`
	ConversationID livedesk.ID `json:"conversation_id"`
}

// reader handles client frames until the socket closes.
func (c *conn) reader() {
	defer c.close("client closed")
	c.ws.SetReadLimit(4096)
	pongWait := c.hub.opts.PingInterval * 3
	c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		c.ws.SetReadDeadline(time.Now().Add(pongWait))
		var f clientFrame
		if json.Unmarshal(data, &f) != nil {
			c.deliver(0, encode(Frame{Type: "error", Data: json.RawMessage(`{"code":"invalid_input","message":"frames are JSON objects with a type"}`)}))
			continue
		}
		switch f.Type {
		case "ping":
			c.deliver(0, encode(Frame{Type: "pong"}))
		case "typing":
			c.hub.typing(c, f.ConversationID)
		default:
			c.deliver(0, encode(Frame{Type: "error", Data: json.RawMessage(`{"code":"invalid_input","message":"unknown frame type"}`)}))
		}
	}
}

// typing forwards a typing indicator to the other side of the conversation.
func (h *Hub) typing(c *conn, conversation livedesk.ID) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if c.visitorID != 0 {
		conv, err := h.store.OpenConversationOf(ctx, c.accountID, c.visitorID, c.cpID)
		if err != nil {
			return
		}
		data, _ := json.Marshal(map[string]any{"conversation_id": conv.ID, "author": "visitor", "visitor_id": c.visitorID})
		frame := encode(Frame{Type: livedesk.EventTyping, Data: data})
		assignee := conv.AssigneeID
		h.sendEphemeral(c.accountID, func(id livedesk.ID, role livedesk.Role) bool { return id == assignee || role.Staff() }, 0, frame, nil)
		return
	}
	conv, err := h.store.Conversation(ctx, c.accountID, conversation)
	if err != nil || conv.State == livedesk.StateClosed {
		return
	}
	data, _ := json.Marshal(map[string]any{"conversation_id": conv.ID, "author": "operator", "operator_id": c.operatorID, "name": c.name})
	frame := encode(Frame{Type: livedesk.EventTyping, Data: data})
	assignee, me := conv.AssigneeID, c.operatorID
	var visitor livedesk.ID
	if assignee == me {
		visitor = conv.Visitor.ID
	}
	h.sendEphemeral(c.accountID, func(id livedesk.ID, role livedesk.Role) bool {
		return id != me && (id == assignee || role.Staff())
	}, visitor, frame, c)
}

var upgrader = websocket.Upgrader{
	ReadBufferSize:  1024,
	WriteBufferSize: 1024,
	WriteBufferPool: &sync.Pool{},
	CheckOrigin:     func(*http.Request) bool { return true }, // callers check origins before upgrading
}

// Client identifies who is connecting.
type Client struct {
	AccountID  livedesk.ID
	OperatorID livedesk.ID
	Role       livedesk.Role
	Name       string
	VisitorID  livedesk.ID
	// ContactPointID is the visitor's contact point.
	ContactPointID livedesk.ID
}

// Serve upgrades the request and runs the connection until it closes. The cursor query
// parameter resumes from the last event the client saw.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, cl Client) {
	var cursor livedesk.ID
	raw := r.URL.Query().Get("cursor")
	hasCursor := raw != ""
	if hasCursor {
		id, ok := livedesk.ParseID(raw)
		if !ok && raw != "0" {
			http.Error(w, `{"error":{"code":"invalid_input","message":"cursor is not valid"}}`, http.StatusBadRequest)
			return
		}
		cursor = id
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered
	}
	c := h.newConn(ws)
	c.accountID, c.operatorID, c.role, c.name, c.visitorID, c.cpID = cl.AccountID, cl.OperatorID, cl.Role, cl.Name, cl.VisitorID, cl.ContactPointID
	h.add(c)
	defer h.remove(c)
	go c.writer()
	if err := h.replay(r.Context(), c, cursor, hasCursor); err != nil {
		h.log.Error("replay", "err", err)
		c.close("replay failed")
	}
	c.reader()
	<-c.done
}
