package realtime

import (
	"encoding/json"
	"fmt"
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
	session    string // hash of the operator's session token

	mu      sync.Mutex
	live    bool
	pending []pendingFrame // live events held while replaying
	replayQ [][]byte       // replay frames, written before going live
	lastID  livedesk.ID    // highest cursor queued to this connection
	// queue holds frames for the socket. There is no writer goroutine while it is empty:
	// flush runs only while there is something to write, so an idle connection costs one
	// goroutine (the reader) and no queue memory.
	queue [][]byte
	// exempt is how many frames at the head of queue (the replay, ready and the live events
	// held during the replay) do not count against the bound: a long replay must not make
	// the first live event look like a slow consumer.
	exempt   int
	pingDue  bool
	flushing bool
	closed   bool
	done     chan struct{}
	reason   string
	typingAt map[livedesk.ID]time.Time // last typing frame considered, by conversation
}

type pendingFrame struct {
	id    livedesk.ID
	frame []byte
}

func (h *Hub) newConn(ws *websocket.Conn) *conn {
	return &conn{hub: h, ws: ws, done: make(chan struct{})}
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
	if len(c.queue)-c.exempt >= c.hub.opts.SendQueue {
		c.hub.Metrics.SlowDropped.Add(1)
		c.closeLocked("slow consumer: reconnect with your cursor")
		return
	}
	c.queue = append(c.queue, frame)
	c.hub.Metrics.Delivered.Add(1)
	c.kickLocked()
}

// kickLocked starts the flush goroutine unless it is running.
func (c *conn) kickLocked() {
	if !c.flushing {
		c.flushing = true
		go c.flush()
	}
}

// ping asks the writer to send a ping control frame.
func (c *conn) ping() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.pingDue = true
		c.kickLocked()
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
	if c.closed {
		return
	}
	// Nothing live was queued before this point, and the replay may be longer than the
	// queue's bound: it goes in whole.
	c.queue = append(c.replayQ, ready)
	c.replayQ = nil
	c.live = true
	c.lastID = last
	for _, p := range c.pending {
		if p.id > c.lastID {
			c.lastID = p.id
			c.queue = append(c.queue, p.frame)
		}
	}
	c.pending = nil
	c.exempt = len(c.queue)
	c.kickLocked()
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
	c.queue = nil
	close(c.done)
	c.kickLocked() // the writer says goodbye and closes the socket
}

// flush owns all writes to the socket while it runs: it writes what is queued and exits when
// the queue is empty. Once the connection is closed it sends the close frame, closes the
// socket and never runs again (flushing stays set).
func (c *conn) flush() {
	write := func(b []byte) bool {
		c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		return c.ws.WriteMessage(websocket.TextMessage, b) == nil
	}
	for {
		c.mu.Lock()
		q, ping, closed, reason := c.queue, c.pingDue, c.closed, c.reason
		c.queue, c.pingDue, c.exempt = nil, false, 0
		if len(q) == 0 && !ping && !closed {
			c.flushing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		if closed {
			code := websocket.CloseNormalClosure
			if reason != "" && reason != "client closed" {
				code = websocket.CloseTryAgainLater
			}
			c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
			c.ws.Close()
			return
		}
		for _, b := range q {
			if !write(b) {
				c.close("write failed")
				break
			}
		}
		if ping {
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second)); err != nil {
				c.close("ping failed")
			}
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

var upgrader = websocket.Upgrader{
	ReadBufferSize:  1024,
	WriteBufferSize: 1024,
	WriteBufferPool: &sync.Pool{},
	CheckOrigin:     func(*http.Request) bool { return true }, // callers check origins before upgrading
	Error:           upgradeError,
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
	// Session is the hash of the operator's session token (an access.revoked event may name it).
	Session string
	// AuthAt is when the client was authenticated; a revocation after it refuses the
	// connection.
	AuthAt time.Time
}

// Serve upgrades the request, replays what the client missed (the cursor query parameter is
// the last event it saw) and hands the connection to its reader goroutine. Before upgrading
// it checks the cursor and that the request is a WebSocket handshake, and returns a
// *livedesk.Error for the caller to answer as JSON; after upgrading it returns nil.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, cl Client) error {
	cursor, hasCursor, err := handshake(r)
	if err != nil {
		return err
	}
	if cl.VisitorID != 0 && h.visitorSockets(cl.VisitorID) >= h.opts.VisitorSockets {
		return &livedesk.Error{Code: livedesk.CodeRateLimited, Message: fmt.Sprintf("a visitor may hold at most %d connections; close another tab first", h.opts.VisitorSockets),
			Details: map[string]string{"retry_after": "30"}}
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return nil // the upgrader answered
	}
	c := h.newConn(ws)
	c.accountID, c.operatorID, c.role, c.name, c.visitorID, c.cpID = cl.AccountID, cl.OperatorID, cl.Role, cl.Name, cl.VisitorID, cl.ContactPointID
	c.session = cl.Session
	if h.seq != nil {
		// The account's stream on this node starts before the connection collects live
		// events, so they reach it in order.
		_, newest, err := h.desk.EventBounds(r.Context(), cl.AccountID)
		if err != nil {
			h.log.Error("event bounds", "err", err)
			c.close("replay failed")
			return nil
		}
		h.seq.ensure(cl.AccountID, newest)
	}
	if reason := h.add(c, cl.AuthAt); reason != "" {
		c.close(reason)
		return nil
	}
	if err := h.replay(r.Context(), c, cursor, hasCursor); err != nil {
		h.log.Error("replay", "err", err)
		c.close("replay failed")
	}
	// The reader gets a fresh goroutine with a small stack; this one, grown by the
	// handshake and the replay's queries, ends here. The hub owns the reader: CloseAll
	// closes the socket, which ends it.
	go func() {
		defer h.readers.Done() // added by h.add
		defer h.remove(c)
		c.reader()
	}()
	return nil
}
