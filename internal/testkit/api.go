package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// TryDo sends v as JSON (nil: no body) and returns the answer or the transport's error. It
// never fails the test, so goroutines other than the test's may call it; ctx bounds the
// request.
func (c *Client) TryDo(ctx context.Context, method, path string, v any) (Response, error) {
	var body io.Reader
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			return Response{}, err
		}
		body = bytes.NewReader(b)
	}
	return c.TryRaw(ctx, method, path, body)
}

// TryRaw sends a raw JSON body like TryDo.
func (c *Client) TryRaw(ctx context.Context, method, path string, body io.Reader) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, body)
	if err != nil {
		return Response{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := httpClient(c.Source).Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Body: b}, err
}

// Expect fails the test unless the answer has the status and error code ("" for a success).
func Expect(t testing.TB, what string, r Response, status int, code string) {
	t.Helper()
	if r.Status != status || r.Code() != code {
		t.Fatalf("%s: %d %s, want %d %q", what, r.Status, r.Body, status, code)
	}
}

// ExpectJSONError fails the test unless an answer (with its headers) is the API's JSON error
// with the status and code and a message for people.
func ExpectJSONError(t testing.TB, what string, r Response, h http.Header, status int, code string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string }
	}
	if r.Status != status || !strings.HasPrefix(h.Get("Content-Type"), "application/json") ||
		json.Unmarshal(r.Body, &e) != nil || e.Error.Code != code || e.Error.Message == "" {
		t.Fatalf("%s: %d %q %s, want %d JSON error %s", what, r.Status, h.Get("Content-Type"), r.Body, status, code)
	}
}

// ParseID parses an id of the API or fails the test.
func ParseID(t testing.TB, s string) livedesk.ID {
	t.Helper()
	id, ok := livedesk.ParseID(s)
	if !ok {
		t.Fatalf("not an id: %q", s)
	}
	return id
}

// History is the operator's view of a conversation's history, newest first, comments
// included (up to 200 messages).
func (c *Client) History(conv string) []Message {
	c.T.Helper()
	var out struct {
		Items []Message `json:"items"`
	}
	c.Must("GET", "/api/v1/conversations/"+conv+"/messages?limit=200", nil, &out)
	return out.Items
}

// VisitorHistory is everything the visitor's widget can read, newest first (up to 200
// messages).
func (c *Client) VisitorHistory() []Message {
	c.T.Helper()
	var out struct {
		Items []Message `json:"items"`
	}
	c.Must("GET", "/api/v1/widget/messages?limit=200", nil, &out)
	return out.Items
}

// Me is the part of GET /api/v1/me tests look at.
type Me struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	OpenCount int    `json:"open_count"`
	Limit     int    `json:"limit"`
}

// Me reads the operator's own record.
func (c *Client) Me() Me {
	c.T.Helper()
	var me Me
	c.Must("GET", "/api/v1/me", nil, &me)
	return me
}

// Transfer is the part of a transfer tests look at.
type Transfer struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversation_id"`
	FromOperatorID string `json:"from_operator_id"`
	ToOperatorID   string `json:"to_operator_id"`
	Comment        string `json:"comment"`
	State          string `json:"state"`
}

// Offer asks for a transfer of conv to the operator to, with a comment ("" for none).
func (c *Client) Offer(conv, to, comment string) Response {
	c.T.Helper()
	body := map[string]any{"to_operator_id": to}
	if comment != "" {
		body["comment"] = comment
	}
	return c.Do("POST", "/api/v1/conversations/"+conv+"/transfers", body)
}

// MustOffer offers conv to the operator and fails unless the answer is 201 with a transfer
// of conv to them in the state (pending for webchat, accepted for email).
func (c *Client) MustOffer(conv, to, comment, state string) Transfer {
	c.T.Helper()
	r := c.Offer(conv, to, comment)
	if r.Status != 201 {
		c.T.Fatalf("offer %s to %s: %d %s", conv, to, r.Status, r.Body)
	}
	var tr Transfer
	r.Decode(c.T, &tr)
	if tr.State != state || tr.ConversationID != conv || tr.ToOperatorID != to || tr.ID == "" {
		c.T.Fatalf("offer answered %s, want state %s of %s to %s", r.Body, state, conv, to)
	}
	return tr
}

// TransferAction posts accept, decline or cancel of the transfer id.
func (c *Client) TransferAction(id, action string) Response {
	c.T.Helper()
	return c.Do("POST", "/api/v1/transfers/"+id+"/"+action, nil)
}

// HasConversation reports whether the conversation id is among the items.
func HasConversation(items []Conversation, id string) bool {
	for _, c := range items {
		if c.ID == id {
			return true
		}
	}
	return false
}

// EmailConversation opens an email conversation at the email contact point cpID through
// the desk (the widget API serves webchat keys only) and returns its id.
func (a *Account) EmailConversation(cpID, text string) string {
	t := a.Env.T
	t.Helper()
	ctx := context.Background()
	d := a.Env.App.Desk
	cp, err := d.ContactPoint(ctx, ParseID(t, a.ID), ParseID(t, cpID))
	if err != nil {
		t.Fatal(err)
	}
	v, err := d.VisitorSession(ctx, cp, 0, desk.VisitorProfile{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := d.VisitorMessage(ctx, cp, v.ID, desk.MessageInput{ClientID: Unique("mail"), Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return m.ConversationID.String()
}

// Read is one GET of a Snapshot: the path, read as the client.
type Read struct {
	C    *Client
	Path string
}

// Snapshot reads every path (each must answer 200) and joins the answers: comparing two
// snapshots tells whether anything they show changed in between.
func Snapshot(t testing.TB, reads ...Read) string {
	t.Helper()
	parts := make([]string, 0, len(reads))
	for _, rd := range reads {
		r := rd.C.Do("GET", rd.Path, nil)
		if r.Status != 200 {
			t.Fatalf("GET %s: %d %s", rd.Path, r.Status, r.Body)
		}
		parts = append(parts, rd.Path+" "+string(r.Body))
	}
	return strings.Join(parts, "\n")
}
