package testkit

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"livedesk/internal/auth"
	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
	"testing"
)

// Hub is a realtime hub on a Desk whose store publishes to it, served over real WebSockets
// by an HTTP server on loopback: /operator authenticates a session token as the API does,
// /visitor takes the visitor's account, contact point and id from the query.
type Hub struct {
	*Desk
	Hub *realtime.Hub
	// URL is the server's ws:// base.
	URL string
}

// HubOptions configure StartHub.
type HubOptions struct {
	// Hub are the hub's options.
	Hub realtime.Options
	// SendBuffer, when not 0, is the kernel send buffer of every server connection, in bytes:
	// a small one makes a client that does not read stall the server's writes soon.
	SendBuffer int
}

// StartHub opens a Desk and runs a hub on it until the test's cleanup.
func StartHub(t testing.TB, opts HubOptions) *Hub {
	t.Helper()
	d := OpenDesk(t)
	h := realtime.NewHub(d.Desk, d.Log, opts.Hub)
	d.Store.SetPublisher(h.Publish)
	mux := http.NewServeMux()
	serve := func(w http.ResponseWriter, r *http.Request, cl realtime.Client) {
		if err := h.Serve(w, r, cl); err != nil {
			http.Error(w, err.Error(), httpStatus(err))
		}
	}
	mux.HandleFunc("/operator", func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("token")
		op, err := d.Desk.Session(r.Context(), auth.HashToken(tok))
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		serve(w, r, realtime.Client{AccountID: op.AccountID, OperatorID: op.ID, Role: op.Role, Name: op.Name,
			Session: auth.HashToken(tok), AuthAt: time.Now()})
	})
	mux.HandleFunc("/visitor", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		id := func(k string) livedesk.ID { n, _ := strconv.ParseInt(q.Get(k), 10, 64); return livedesk.ID(n) }
		serve(w, r, realtime.Client{AccountID: id("account"), ContactPointID: id("cp"), VisitorID: id("visitor")})
	})
	srv := httptest.NewUnstartedServer(mux)
	if opts.SendBuffer > 0 {
		srv.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
			if tc, ok := c.(*net.TCPConn); ok {
				tc.SetWriteBuffer(opts.SendBuffer)
			}
			return ctx
		}
	}
	srv.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		h.CloseAll(ctx)
		srv.Close()
	})
	return &Hub{Desk: d, Hub: h, URL: "ws" + strings.TrimPrefix(srv.URL, "http")}
}

func httpStatus(err error) int {
	if le, ok := errors.AsType[*livedesk.Error](err); ok && le.Code == livedesk.CodeRateLimited {
		return http.StatusTooManyRequests
	}
	return http.StatusBadRequest
}

// Login opens a session of the operator (created by Desk.Operator) and returns its token.
func (h *Hub) Login(op *livedesk.Operator) string {
	h.T.Helper()
	_, tok, err := h.Desk.Desk.Login(context.Background(), op.Email, "password1", 1)
	if err != nil {
		h.T.Fatal(err)
	}
	return tok
}

// OperatorURL is the WebSocket URL of the session token, with the extra query ("" for none).
func (h *Hub) OperatorURL(token, query string) string {
	u := h.URL + "/operator?token=" + token
	if query != "" {
		u += "&" + query
	}
	return u
}

// VisitorURL is the WebSocket URL of a visitor at a contact point, with the extra query.
func (h *Hub) VisitorURL(cp *livedesk.ContactPoint, visitor livedesk.ID, query string) string {
	u := h.URL + "/visitor?account=" + cp.AccountID.String() + "&cp=" + cp.ID.String() + "&visitor=" + visitor.String()
	if query != "" {
		u += "&" + query
	}
	return u
}

// Dial connects to a WebSocket URL of the hub or fails.
func (h *Hub) Dial(url string) *WS {
	h.T.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		h.T.Fatalf("dial %s: %v", url, err)
	}
	return newWS(h.T, conn)
}

// OperatorWS connects the session's WebSocket and waits for the end of its replay.
func (h *Hub) OperatorWS(token string) *WS {
	h.T.Helper()
	w := h.Dial(h.OperatorURL(token, ""))
	w.Ready()
	return w
}

// VisitorWS connects the visitor's WebSocket and waits for the end of its replay.
func (h *Hub) VisitorWS(cp *livedesk.ContactPoint, visitor livedesk.ID) *WS {
	h.T.Helper()
	w := h.Dial(h.VisitorURL(cp, visitor, ""))
	w.Ready()
	return w
}

// HubChat is the usual start of a hub test: an account with a webchat contact point, its
// admin on pause, the operator Анна available (with a session, Token) and a visitor whose
// first message made Анна's conversation.
type HubChat struct {
	Account *livedesk.Account
	CP      *livedesk.ContactPoint
	Anna    *livedesk.Operator
	Visitor *livedesk.Visitor
	Token   string
}

// Chat sets up a HubChat.
func (h *Hub) Chat() *HubChat {
	h.T.Helper()
	acct, admin := h.Account()
	c := &HubChat{Account: acct, CP: h.ContactPoint(acct.ID, livedesk.ChannelWebchat)}
	h.SetStatus(admin, livedesk.StatusPause)
	c.Anna = h.Operator(acct.ID, "Анна", livedesk.RoleOperator, 5, livedesk.StatusAvailable)
	c.Visitor = h.Visitor(c.CP)
	h.Say(c.CP, c.Visitor.ID, "Здравствуйте")
	c.Token = h.Login(c.Anna)
	return c
}
