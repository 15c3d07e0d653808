package testkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wsPath is the operator's WebSocket, or the widget's for a visitor.
func wsPath(visitor bool) string {
	if visitor {
		return "/api/v1/widget/ws"
	}
	return "/api/v1/ws"
}

// WSURL is the ws:// URL of the operator's (or, for visitors, the widget's) WebSocket with
// the client's token and the extra query ("" for none, else "cursor=5" and the like).
func (c *Client) WSURL(visitor bool, query string) string {
	u := "ws" + strings.TrimPrefix(c.Base, "http") + wsPath(visitor) + "?token=" + c.Token
	if query != "" {
		u += "&" + query
	}
	return u
}

// TryWS dials the WebSocket from the client's source address with the extra query. On
// success it returns the connected WS (closed at the test's cleanup); when the handshake is
// refused it returns the error with the server's HTTP answer and headers (Status 0 when no
// answer came).
func (c *Client) TryWS(visitor bool, query string) (*WS, Response, http.Header, error) {
	c.T.Helper()
	dialer := *websocket.DefaultDialer
	dialer.NetDialContext = sourceDialer(c.Source).DialContext
	conn, resp, err := dialer.Dial(c.WSURL(visitor, query), nil)
	var r Response
	var h http.Header
	if resp != nil {
		r.Status, h = resp.StatusCode, resp.Header
		if resp.Body != nil {
			r.Body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
	}
	if err != nil {
		return nil, r, h, err
	}
	return newWS(c.T, conn), r, h, nil
}

// newWS starts reading a connected socket; it is closed at the test's cleanup.
func newWS(t testing.TB, conn *websocket.Conn) *WS {
	w := &WS{T: t, Conn: conn, frames: make(chan Frame, 10000)}
	go w.read()
	t.Cleanup(func() { conn.Close() })
	return w
}

// read puts every frame the server sends into w.frames until the socket ends.
func (w *WS) read() {
	defer close(w.frames)
	for {
		_, data, err := w.Conn.ReadMessage()
		if err != nil {
			w.err = err
			return
		}
		var f Frame
		if json.Unmarshal(data, &f) == nil {
			w.frames <- f
		}
	}
}

// RefusedWS dials the WebSocket expecting the handshake to be refused, and returns the
// server's HTTP answer; it fails the test if the connection is accepted.
func (c *Client) RefusedWS(visitor bool, query string) (Response, http.Header) {
	c.T.Helper()
	w, r, h, err := c.TryWS(visitor, query)
	if err == nil {
		w.Close()
		c.T.Fatalf("the WebSocket handshake of %s?%s was accepted", wsPath(visitor), query)
	}
	return r, h
}

// ReadyWS connects the operator's (or the visitor's) WebSocket and waits until it is live:
// the ready frame that ends the (empty) replay.
func (c *Client) ReadyWS(visitor bool) *WS {
	c.T.Helper()
	w := c.WS(visitor, "")
	w.Ready()
	return w
}

// Send writes a client frame (JSON text) or fails.
func (w *WS) Send(frame string) {
	w.T.Helper()
	if err := w.Conn.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
		w.T.Fatalf("write %s: %v", frame, err)
	}
}

// Await returns the next frame of the type, skipping others, or the error that ended the
// socket (a *websocket.CloseError when the server closed it), or an error after 5 seconds.
func (w *WS) Await(typ string) (Frame, error) {
	deadline := time.After(5 * time.Second)
	for {
		select {
		case f, ok := <-w.frames:
			if !ok {
				return Frame{}, w.err
			}
			if f.Cursor != "" {
				w.Cursor = f.Cursor
			}
			if f.Type == typ {
				return f, nil
			}
		case <-deadline:
			return Frame{}, fmt.Errorf("no %s frame in time", typ)
		}
	}
}

// ClosedBy waits until the server closes the socket and returns its close frame; it fails
// the test if the socket stays open or ends without one.
func (w *WS) ClosedBy() *websocket.CloseError {
	w.T.Helper()
	_, err := w.Await("never sent")
	ce, ok := errors.AsType[*websocket.CloseError](err)
	if !ok {
		w.T.Fatalf("socket not closed by the server: %v", err)
	}
	return ce
}

// Alive checks that the socket still answers a ping frame with a pong; every frame the
// client sent before has then been handled.
func (w *WS) Alive(what string) {
	w.T.Helper()
	if err := w.Conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)); err != nil {
		w.T.Fatalf("%s: write ping: %v", what, err)
	}
	if _, err := w.Await("pong"); err != nil {
		w.T.Fatalf("%s: no pong: %v", what, err)
	}
}

// ErrorFrame sends a client frame and returns the data of the error frame that answers it;
// it fails the test if none comes.
func (w *WS) ErrorFrame(frame string) string {
	w.T.Helper()
	w.Send(frame)
	f, err := w.Await("error")
	if err != nil {
		w.T.Fatalf("no error frame for %s: %v", frame, err)
	}
	return string(f.Data)
}

// CountBefore counts the frames of type count until a frame of type until arrives (within
// 5 seconds).
func (w *WS) CountBefore(count, until string) int {
	w.T.Helper()
	n := 0
	deadline := time.Now().Add(5 * time.Second)
	for {
		f := w.Next(time.Until(deadline))
		switch f.Type {
		case count:
			n++
		case until:
			return n
		}
	}
}

// WaitWithin returns the first frame of the type (and, if match is not nil, matching it)
// within d, skipping others: for waits longer than WaitFor's 5 seconds. It asserts nothing
// about how long the wait took.
func (w *WS) WaitWithin(typ string, d time.Duration, match func(Frame) bool) Frame {
	w.T.Helper()
	deadline := time.Now().Add(d)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			w.T.Fatalf("no %s frame within %s", typ, d)
		}
		f := w.Next(left)
		if f.Type == typ && (match == nil || match(f)) {
			return f
		}
	}
}

// Seq is the frame's cursor as a number; it fails the test if the frame has none.
func (f Frame) Seq(t testing.TB) int64 {
	t.Helper()
	n, err := strconv.ParseInt(f.Cursor, 10, 64)
	if err != nil {
		t.Fatalf("%s frame with cursor %q", f.Type, f.Cursor)
	}
	return n
}

// Event decodes the frame's data as an event of the API (the fields tests look at).
func (f Frame) Event(t testing.TB) Event {
	t.Helper()
	var e Event
	if err := json.Unmarshal(f.Data, &e); err != nil {
		t.Fatalf("decode %s frame %s: %v", f.Type, f.Data, err)
	}
	return e
}

// Event is the data of a frame as tests look at it: transfer.*, conversation.*, message.*
// and operator.* events each fill the fields they carry.
type Event struct {
	Transfer       Transfer     `json:"transfer"`
	Reason         string       `json:"reason"`
	ConversationID string       `json:"conversation_id"`
	ToOperatorID   string       `json:"to_operator_id"`
	Conversation   Conversation `json:"conversation"`
	Message        Message      `json:"message"`
	Operator       struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"operator"`
}

// OfTransfer matches frames about the transfer id.
func OfTransfer(t testing.TB, id string) func(Frame) bool {
	return func(f Frame) bool { return f.Event(t).Transfer.ID == id }
}

// OfConversation matches frames about the conversation id (conversation.removed carries its
// id, conversation.assigned and the like the conversation).
func OfConversation(t testing.TB, id string) func(Frame) bool {
	return func(f Frame) bool {
		e := f.Event(t)
		return e.ConversationID == id || e.Conversation.ID == id
	}
}

// OfMessage matches message.* frames of the message id.
func OfMessage(id string) func(Frame) bool {
	return func(f Frame) bool {
		var d struct {
			Message struct {
				ID string `json:"id"`
			} `json:"message"`
		}
		return json.Unmarshal(f.Data, &d) == nil && d.Message.ID == id
	}
}

// OfOperator matches operator.* frames of the operator id in the status ("" for any).
func OfOperator(t testing.TB, id, status string) func(Frame) bool {
	return func(f Frame) bool {
		e := f.Event(t)
		return e.Operator.ID == id && (status == "" || e.Operator.Status == status)
	}
}
