// Package testkit starts a real livedesk (HTTP server on port 0, SQLite in a temp dir) for
// integration tests and gives them small typed clients: operators over REST and WebSocket,
// visitors over the widget API.
package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/spell"
	"livedesk/internal/testkit/pgtest"
)

// Env is one running livedesk.
type Env struct {
	T   testing.TB
	App *app.App
	URL string
	Dir string
	Cfg config.Config
}

// Option changes the config before start.
type Option func(*config.Config)

// Start runs livedesk for the test and stops it at cleanup.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	return StartWith(t, app.Options{}, opts...)
}

// StoreEnv names the variable choosing the database the tests' servers run on:
// "postgres" gives each a fresh database on the machine's PostgreSQL (see pgtest), anything
// else SQLite in the test's directory. `make test` runs the end-to-end tests both ways.
const StoreEnv = "LIVEDESK_TEST_STORE"

// StartWith runs livedesk with app options (an injected Clock, for one) and stops it at
// cleanup.
func StartWith(t testing.TB, appOpts app.Options, opts ...Option) *Env {
	t.Helper()
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.Data = t.TempDir()
	cfg.BcryptCost = 4
	cfg.SweepInterval = 50 * time.Millisecond
	cfg.Synchronous = "NORMAL"
	for _, o := range opts {
		o(&cfg)
	}
	if os.Getenv(StoreEnv) == "postgres" && cfg.DB == "" {
		cfg.DB = pgtest.Database(t)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if appOpts.Spell == nil {
		appOpts.Spell = sharedChecker(cfg.Dictionaries)
	}
	a, err := app.New(cfg, log, appOpts)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	e := &Env{T: t, App: a, URL: a.URL(), Dir: cfg.Data, Cfg: cfg}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.Shutdown(ctx)
	})
	return e
}

// Clock is a clock for tests: it starts at the real time and moves only by Advance.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at the current time.
func NewClock() *Clock { return &Clock{now: time.Now().UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

var seq atomic.Int64

// Unique returns a string unique within the test binary.
func Unique(prefix string) string { return fmt.Sprintf("%s%d", prefix, seq.Add(1)) }

// Client calls the API with a bearer token (operator session or visitor token).
type Client struct {
	T     testing.TB
	Base  string
	Token string
	ID    string // operator or visitor id
	Email string
	// Source is the loopback address the client's connections come from (the zero Addr:
	// the system's choice, 127.0.0.1). Visitors get one each, as real visitors come from
	// many machines and livedesk limits each address.
	Source netip.Addr
}

// Response is a decoded answer.
type Response struct {
	Status int
	Body   []byte
}

// Code is the error code of an error answer ("" on success).
func (r Response) Code() string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// Decode unmarshals the body into v.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Raw sends a request with a raw body.
func (c *Client) Raw(method, path string, body []byte) Response {
	c.T.Helper()
	r, _ := c.Send(method, path, "application/json", bytes.NewReader(body), nil)
	return r
}

// Do sends v as JSON (nil: no body).
func (c *Client) Do(method, path string, v any) Response {
	c.T.Helper()
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			c.T.Fatal(err)
		}
	}
	return c.Raw(method, path, body)
}

// Must sends v and fails the test unless the status is 2xx; it decodes into out if not nil.
func (c *Client) Must(method, path string, v any, out any) {
	c.T.Helper()
	r := c.Do(method, path, v)
	if r.Status/100 != 2 {
		c.T.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
	}
	if out != nil {
		r.Decode(c.T, out)
	}
}

// Account is a fresh account with its admin logged in.
type Account struct {
	Env   *Env
	ID    string
	Admin *Client
}

// NewAccount creates an account and logs its admin in.
func (e *Env) NewAccount() *Account {
	e.T.Helper()
	email := Unique("admin") + "@example.test"
	acct, _, err := e.App.Desk.CreateAccount(context.Background(), "Test "+email, desk.NewOperator{Name: "Admin", Email: email, Password: "password1"}, 4)
	if err != nil {
		e.T.Fatal(err)
	}
	return &Account{Env: e, ID: acct.ID.String(), Admin: e.Login(email, "password1")}
}

// Login logs an operator in.
func (e *Env) Login(email, password string) *Client {
	e.T.Helper()
	c := &Client{T: e.T, Base: e.URL, Email: email}
	var out struct {
		Token    string `json:"token"`
		Operator struct {
			ID string `json:"id"`
		} `json:"operator"`
	}
	c.Must("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}, &out)
	c.Token, c.ID = out.Token, out.Operator.ID
	return c
}

// Operator creates an operator with a role and limit, logs them in and sets their status
// ("" leaves them offline).
func (a *Account) Operator(name, role string, limit int, status string) *Client {
	a.Env.T.Helper()
	email := Unique(strings.ToLower(name)) + "@example.test"
	a.Admin.Must("POST", "/api/v1/admin/operators", map[string]any{"name": name, "email": email, "password": "password1",
		"role": role, "limit": limit}, nil)
	c := a.Env.Login(email, "password1")
	if status != "" {
		c.SetStatus(status)
	}
	return c
}

// SetStatus changes the operator's status or fails.
func (c *Client) SetStatus(status string) {
	c.T.Helper()
	c.Must("PUT", "/api/v1/me/status", map[string]string{"status": status}, nil)
}

// ContactPoint creates a contact point of the channel and returns its id and key.
func (a *Account) ContactPoint(channel string) (id, key string) {
	a.Env.T.Helper()
	var cp struct {
		ID  string `json:"id"`
		Key string `json:"key"`
	}
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]string{"name": "Site " + channel, "channel": channel}, &cp)
	return cp.ID, cp.Key
}

// Category creates a conversation category and returns its id.
func (a *Account) Category(name string) string {
	a.Env.T.Helper()
	var c struct {
		ID string `json:"id"`
	}
	a.Admin.Must("POST", "/api/v1/admin/conversation-categories", map[string]string{"name": name}, &c)
	return c.ID
}

// Visitor starts a visitor session at the contact point key.
func (e *Env) Visitor(key, name string) *Client {
	e.T.Helper()
	c := &Client{T: e.T, Base: e.URL, Source: NextSource()}
	body := map[string]any{}
	if name != "" {
		body["name"] = name
	}
	var out struct {
		Token   string `json:"visitor_token"`
		Visitor struct {
			ID string `json:"id"`
		} `json:"visitor"`
	}
	c.Must("POST", "/api/v1/widget/"+key+"/session", body, &out)
	c.Token, c.ID = out.Token, out.Visitor.ID
	return c
}

// Message is the part of a message tests look at.
type Message struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversation_id"`
	ClientID       string `json:"client_id"`
	Kind           string `json:"kind"`
	Text           string `json:"text"`
	ReplyTo        string `json:"reply_to"`
	Author         struct {
		Type string `json:"type"`
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"author"`
}

// Say sends a visitor message and returns it.
func (c *Client) Say(text string) Message {
	c.T.Helper()
	var m Message
	c.Must("POST", "/api/v1/widget/messages", map[string]string{"client_id": Unique("c"), "text": text}, &m)
	return m
}

// Conversation is the part of a conversation tests look at.
type Conversation struct {
	ID            string `json:"id"`
	State         string `json:"state"`
	Channel       string `json:"channel"`
	AssigneeID    string `json:"assignee_id"`
	VisitorClosed bool   `json:"visitor_closed"`
	UnreadCount   int    `json:"unread_count"`
	LastMessageAt string `json:"last_message_at"`
	ContactPoint  struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"contact_point"`
	Visitor struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		DisplayName string `json:"display_name"`
	} `json:"visitor"`
	LastMessage *struct {
		Text   string `json:"text"`
		Author string `json:"author"`
	} `json:"last_message"`
	PendingTransfer *struct {
		ID string `json:"id"`
	} `json:"pending_transfer"`
}

// Conversation reads one conversation.
func (c *Client) Conversation(id string) Conversation {
	c.T.Helper()
	var conv Conversation
	c.Must("GET", "/api/v1/conversations/"+id, nil, &conv)
	return conv
}

// List reads one page of the conversation list.
func (c *Client) List(query string) (items []Conversation, next string) {
	c.T.Helper()
	var out struct {
		Items      []Conversation `json:"items"`
		NextCursor *string        `json:"next_cursor"`
	}
	c.Must("GET", "/api/v1/conversations?"+query, nil, &out)
	if out.NextCursor != nil {
		next = *out.NextCursor
	}
	return out.Items, next
}

// Frame is a WebSocket frame from the server.
type Frame struct {
	Type   string          `json:"type"`
	Cursor string          `json:"cursor"`
	Data   json.RawMessage `json:"data"`
}

// WS is a WebSocket client. A goroutine reads every frame the server sends into a buffer
// the methods take from; when the server closes the socket, the buffer ends and the close
// error is kept (CloseError).
type WS struct {
	T      testing.TB
	Conn   *websocket.Conn
	Cursor string
	frames chan Frame
	// err is why reading stopped; written before frames is closed.
	err error
}

// WS connects the operator's (or, for visitors, the widget's) WebSocket, resuming after
// cursor when it is not "".
func (c *Client) WS(visitor bool, cursor string) *WS {
	c.T.Helper()
	query := ""
	if cursor != "" {
		query = "cursor=" + cursor
	}
	w, r, _, err := c.TryWS(visitor, query)
	if err != nil {
		c.T.Fatalf("dial %s: %v (%d %s)", wsPath(visitor), err, r.Status, r.Body)
	}
	return w
}

// Next returns the next frame, failing after the timeout.
func (w *WS) Next(timeout time.Duration) Frame {
	w.T.Helper()
	select {
	case f, ok := <-w.frames:
		if !ok {
			w.T.Fatal("websocket closed")
		}
		if f.Cursor != "" {
			w.Cursor = f.Cursor
		}
		return f
	case <-time.After(timeout):
		w.T.Fatal("no websocket frame in time")
	}
	return Frame{}
}

// WaitFor returns the first frame of the type (and, if match is not nil, matching it),
// skipping others; it fails after 5 seconds.
func (w *WS) WaitFor(typ string, match func(Frame) bool) Frame {
	w.T.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			w.T.Fatalf("no %s frame in time", typ)
		}
		f := w.Next(left)
		if f.Type == typ && (match == nil || match(f)) {
			return f
		}
	}
}

// Ready waits for the ready (or resync) frame that ends the replay.
func (w *WS) Ready() Frame {
	w.T.Helper()
	for {
		f := w.Next(5 * time.Second)
		if f.Type == "ready" || f.Type == "resync" {
			return f
		}
	}
}

// Close closes the connection.
func (w *WS) Close() { w.Conn.Close() }

// Closed drains frames until the server closes the socket (true) or the timeout passes
// (false).
func (w *WS) Closed(timeout time.Duration) bool {
	deadline := time.After(timeout)
	for {
		select {
		case _, ok := <-w.frames:
			if !ok {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// checkers holds one spell checker per dictionary directory for the test binary, so the many
// servers a test run starts load the dictionaries once.
var checkers struct {
	sync.Mutex
	byDir map[string]*spell.Checker
}

func sharedChecker(dir string) *spell.Checker {
	checkers.Lock()
	defer checkers.Unlock()
	if checkers.byDir == nil {
		checkers.byDir = map[string]*spell.Checker{}
	}
	c := checkers.byDir[dir]
	if c == nil {
		c = spell.NewChecker(dir)
		checkers.byDir[dir] = c
	}
	return c
}

// StartChat runs livedesk with what most chat tests start from: an account (a), its webchat
// contact point (key), the operator Анна available with a limit of 5 (op) and the visitor Вера
// at that contact point (v).
func StartChat(t testing.TB) (env *Env, a *Account, key string, op, v *Client) {
	t.Helper()
	env = Start(t)
	a = env.NewAccount()
	_, key = a.ContactPoint("webchat")
	op = a.Operator("Анна", "operator", 5, "available")
	v = env.Visitor(key, "Вера")
	return env, a, key, op, v
}
