package testkit

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Stream is a client's WebSocket that comes back by itself, as the apps' sockets do:
// whenever it drops (its node died, the server closed it) it connects again to the client's
// Base — a load balancer, in the tests of several nodes — with the cursor of the last frame
// it got. It keeps every event frame (those with a cursor), and counts its connections and
// the resyncs it was told.
type Stream struct {
	c       *Client
	visitor bool
	// onResync is called on the stream's goroutine after a resync frame, before it reads on:
	// the client refetches what it shows.
	onResync func()

	mu       sync.Mutex
	frames   []Frame
	cursor   string
	connects int
	resyncs  int
	lastErr  error
	changed  chan struct{}
	stop     chan struct{}
	done     chan struct{}
	conn     *websocket.Conn
	firstUp  chan struct{}
	upClosed bool
}

// Stream connects the operator's (or the visitor's) socket as a Stream, waits for its first
// ready frame and returns it; it is closed at the test's cleanup. onResync (nil: nothing) is
// what the client does when told to resync.
func (c *Client) Stream(visitor bool, onResync func()) *Stream {
	c.T.Helper()
	s := &Stream{c: c, visitor: visitor, onResync: onResync, changed: make(chan struct{}),
		stop: make(chan struct{}), done: make(chan struct{}), firstUp: make(chan struct{})}
	go s.run()
	c.T.Cleanup(s.Close)
	select {
	case <-s.firstUp:
	case <-time.After(20 * time.Second):
		c.T.Fatalf("stream %s: not connected within 20 s: %v", wsPath(visitor), s.Err())
	}
	return s
}

// run connects, reads until the socket drops, and connects again with the cursor, until
// Close.
func (s *Stream) run() {
	defer close(s.done)
	dialer := *websocket.DefaultDialer
	dialer.NetDialContext = sourceDialer(s.c.Source).DialContext
	for {
		select {
		case <-s.stop:
			return
		default:
		}
		s.mu.Lock()
		query := ""
		if s.cursor != "" {
			query = "cursor=" + s.cursor
		}
		s.mu.Unlock()
		conn, resp, err := dialer.Dial(s.c.WSURL(s.visitor, query), nil)
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if err != nil {
			s.note(err)
			select {
			case <-s.stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			continue
		}
		s.mu.Lock()
		s.conn = conn
		s.mu.Unlock()
		s.read(conn)
		conn.Close()
	}
}

// read takes frames from one connection until it ends.
func (s *Stream) read(conn *websocket.Conn) {
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			s.note(err)
			return
		}
		var f Frame
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		s.mu.Lock()
		switch {
		case f.Type == "ready" || f.Type == "resync":
			s.connects++
			if f.Type == "resync" {
				s.resyncs++
			}
			if !s.upClosed {
				s.upClosed = true
				close(s.firstUp)
			}
		case f.Cursor != "":
			s.frames = append(s.frames, f)
		}
		if f.Cursor != "" {
			s.cursor = f.Cursor
		}
		close(s.changed)
		s.changed = make(chan struct{})
		s.mu.Unlock()
		if f.Type == "resync" && s.onResync != nil {
			s.onResync()
		}
	}
}

func (s *Stream) note(err error) {
	s.mu.Lock()
	s.lastErr = err
	s.mu.Unlock()
}

// Close stops the stream and closes its socket.
func (s *Stream) Close() {
	select {
	case <-s.stop:
		return
	default:
	}
	close(s.stop)
	s.mu.Lock()
	if s.conn != nil {
		s.conn.Close()
	}
	s.mu.Unlock()
	<-s.done
}

// Frames are the event frames received so far, in order, over every connection.
func (s *Stream) Frames() []Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Frame(nil), s.frames...)
}

// Connects is how many times the stream connected (a ready or resync frame each);
// Resyncs how many of those were resyncs.
func (s *Stream) Connects() (connects, resyncs int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connects, s.resyncs
}

// Err is why the last connection attempt or connection ended (nil before any did).
func (s *Stream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}

// WaitFrames waits until done(frames so far) holds, and fails the test after d.
func (s *Stream) WaitFrames(d time.Duration, what string, done func([]Frame) bool) {
	s.c.T.Helper()
	deadline := time.After(d)
	for {
		s.mu.Lock()
		frames, changed := s.frames, s.changed
		s.mu.Unlock()
		if done(frames) {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			s.c.T.Fatalf("stream %s: %s: not within %s (%d frames, last error %v)", wsPath(s.visitor), what, d, len(frames), s.Err())
		}
	}
}

// MessageIDs are the ids of the message.created frames among frames, in order, and an error
// naming a message that came twice or a cursor that did not grow.
func MessageIDs(frames []Frame) ([]string, error) {
	var ids []string
	seen := map[string]bool{}
	var last int64
	for _, f := range frames {
		var n int64
		if _, err := fmt.Sscan(f.Cursor, &n); err != nil {
			return nil, fmt.Errorf("%s frame with cursor %q", f.Type, f.Cursor)
		}
		if n <= last {
			return nil, fmt.Errorf("cursor %d after %d: a frame again or out of order", n, last)
		}
		last = n
		if f.Type != "message.created" {
			continue
		}
		var d struct {
			Message struct {
				ID string `json:"id"`
			} `json:"message"`
		}
		if json.Unmarshal(f.Data, &d) != nil || d.Message.ID == "" {
			return nil, fmt.Errorf("message.created without a message: %s", f.Data)
		}
		if seen[d.Message.ID] {
			return nil, fmt.Errorf("message %s delivered twice", d.Message.ID)
		}
		seen[d.Message.ID] = true
		ids = append(ids, d.Message.ID)
	}
	return ids, nil
}
