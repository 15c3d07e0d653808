package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"livedesk/internal/testkit"
)

// Integration tests of DESIGN §2.12: no request ever reads or changes another account's data.

// accountWorld is one account with something of every kind: operators, a contact point, a
// category, an open conversation with a pending transfer and a comment, a queued one and a
// closed one. Names carry the account's marker so leaks are easy to spot in any body.
type accountWorld struct {
	marker     string
	acct       *testkit.Account
	op, op2    *testkit.Client // op holds the open conversation; op2 is offered it
	cpID, key  string
	catID      string
	visitor    *testkit.Client // author of conv
	conv       string          // assigned to op, with a pending transfer to op2
	msgID      string          // visitor's message in conv
	commentID  string          // op's comment in conv
	transferID string          // pending, op → op2
	queued     string
	closed     string
	qmCat      string // quick message category
	qmShared   string // account-wide quick message
	qmPersonal string // op's personal quick message
	attID      string // a file op sent in conv
	stPack     string // an uploaded sticker pack
	stID       string // a sticker of it, sent by op in conv
	mailCP     string // an email contact point (a mailbox waiting for its confirmation)
}

func buildAccountWorld(t *testing.T, env *testkit.Env, marker string) *accountWorld {
	t.Helper()
	w := &accountWorld{marker: marker, acct: env.NewAccount()}
	a := w.acct
	var cp struct{ ID, Key string }
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": marker + " site", "channel": "webchat"}, &cp)
	w.cpID, w.key = cp.ID, cp.Key
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": marker + " mail", "channel": "email",
		"settings": map[string]any{"address": strings.ToLower(marker) + "@iso.test"}}, &cp)
	w.mailCP = cp.ID
	w.catID = a.Category(marker + " billing")
	w.op = a.Operator(marker+"Op", "operator", 5, "available")
	w.op2 = a.Operator(marker+"Op2", "operator", 5, "pause")
	a.Admin.SetStatus("pause")

	w.visitor = env.Visitor(w.key, marker+" Visitor")
	m := w.visitor.Say(marker + " secret question")
	w.conv, w.msgID = m.ConversationID, m.ID
	var cm testkit.Message
	w.op.Must("POST", "/api/v1/conversations/"+w.conv+"/comments", map[string]any{"client_id": testkit.Unique("c"), "text": marker + " internal note"}, &cm)
	w.commentID = cm.ID
	w.op.Must("POST", "/api/v1/conversations/"+w.conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": marker + " answer", "reply_to": w.msgID}, nil)
	files := w.op.MustUpload("/api/v1/attachments", testkit.File{Name: marker + " invoice.txt", Content: []byte(marker + " file content")})
	w.attID = files[0].ID
	w.op.Must("POST", "/api/v1/conversations/"+w.conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "attachment_ids": []string{w.attID}}, nil)
	var sp struct{ ID string }
	a.Admin.Must("POST", "/api/v1/admin/sticker-packs", map[string]any{"name": marker + " stickers"}, &sp)
	var st struct{ Items []struct{ ID string } }
	a.Admin.Upload("/api/v1/admin/sticker-packs/"+sp.ID+"/stickers", testkit.File{Name: marker + ".png", Content: []byte("\x89PNG\r\n\x1a\n" + marker)}).Decode(t, &st)
	w.stPack, w.stID = sp.ID, st.Items[0].ID
	w.op.Must("POST", "/api/v1/conversations/"+w.conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "sticker_id": w.stID}, nil)
	var tr struct{ ID string }
	w.op.Must("POST", "/api/v1/conversations/"+w.conv+"/transfers", map[string]any{"to_operator_id": w.op2.ID, "comment": marker + " handover"}, &tr)
	w.transferID = tr.ID

	w.closed = env.Visitor(w.key, marker+" Closer").Say(marker + " closing").ConversationID
	w.op.Must("POST", "/api/v1/conversations/"+w.closed+"/close", map[string]any{"category_id": w.catID}, nil)

	var qc, qs, qp struct{ ID string }
	a.Admin.Must("POST", "/api/v1/admin/quick-message-categories", map[string]any{"name": marker + " quick"}, &qc)
	a.Admin.Must("POST", "/api/v1/admin/quick-messages", map[string]any{"category_id": qc.ID, "text": marker + " shared answer"}, &qs)
	w.op.Must("POST", "/api/v1/quick-messages", map[string]any{"text": marker + " my answer"}, &qp)
	w.op.Must("PUT", "/api/v1/quick-messages/"+qs.ID+"/hotkey", map[string]any{"hotkey": "Alt+KeyQ"}, nil)
	w.qmCat, w.qmShared, w.qmPersonal = qc.ID, qs.ID, qp.ID

	w.op.Must("POST", "/api/v1/me/dictionary", map[string]any{"word": marker + "Personalword"}, nil)
	a.Admin.Must("POST", "/api/v1/admin/dictionary", map[string]any{"word": marker + "Accountword"}, nil)

	w.op.SetStatus("pause")
	w.queued = env.Visitor(w.key, marker+" Waiting").Say(marker + " anyone?").ConversationID
	if c := a.Admin.Conversation(w.queued); c.State != "queued" {
		t.Fatalf("%s: the waiting conversation is %s", marker, c.State)
	}
	return w
}

// snapshotWorld is everything of a world that a cross-account request could change.
func snapshotWorld(t *testing.T, w *accountWorld) string {
	t.Helper()
	adm := w.acct.Admin
	var reads []testkit.Read
	for _, id := range []string{w.conv, w.queued, w.closed} {
		reads = append(reads, testkit.Read{C: adm, Path: "/api/v1/conversations/" + id},
			testkit.Read{C: adm, Path: "/api/v1/conversations/" + id + "/messages?limit=200"})
	}
	return testkit.Snapshot(t, append(reads,
		testkit.Read{C: adm, Path: "/api/v1/admin/operators"},
		testkit.Read{C: adm, Path: "/api/v1/admin/contact-points"},
		testkit.Read{C: adm, Path: "/api/v1/admin/conversation-categories"},
		testkit.Read{C: adm, Path: "/api/v1/admin/settings"},
		testkit.Read{C: w.visitor, Path: "/api/v1/widget/messages?limit=200"},
		testkit.Read{C: adm, Path: "/api/v1/admin/quick-messages"},
		testkit.Read{C: w.op, Path: "/api/v1/quick-messages"},
		testkit.Read{C: adm, Path: "/api/v1/admin/sticker-packs"},
		testkit.Read{C: w.op, Path: "/api/v1/me/dictionary"},
		testkit.Read{C: adm, Path: "/api/v1/admin/dictionary"})...)
}

// crossAccountCase is one cross-account request: B's client calling with A's ids.
type crossAccountCase struct {
	path    string // with A's ids in place
	body    any
	admin   bool // admin route: only B's admin calls it
	visitor bool // visitor route: B's visitor calls it
}

// TestIsolationRoutes calls every route of the table that takes an id as account B with
// account A's ids: every one answers 404 not_found, exactly like an id that does not exist,
// and A's data is unchanged afterwards.
func TestIsolationRoutes(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := buildAccountWorld(t, env, "Alpha")
	b := buildAccountWorld(t, env, "Bravo")
	before := snapshotWorld(t, a)
	const ghost = "987654321"

	cases := map[string]crossAccountCase{
		"GET /api/v1/conversations/{id}":                         {path: "/api/v1/conversations/" + a.conv},
		"GET /api/v1/conversations/{id}/messages":                {path: "/api/v1/conversations/" + a.conv + "/messages"},
		"POST /api/v1/conversations/{id}/messages":               {path: "/api/v1/conversations/" + a.conv + "/messages", body: map[string]any{"client_id": "x", "text": "hijack"}},
		"POST /api/v1/conversations/{id}/comments":               {path: "/api/v1/conversations/" + a.conv + "/comments", body: map[string]any{"client_id": "y", "text": "hijack"}},
		"POST /api/v1/conversations/{id}/read":                   {path: "/api/v1/conversations/" + a.conv + "/read"},
		"POST /api/v1/conversations/{id}/close":                  {path: "/api/v1/conversations/" + a.conv + "/close", body: map[string]any{"category_id": b.catID}},
		"POST /api/v1/conversations/{id}/transfers":              {path: "/api/v1/conversations/" + a.conv + "/transfers", body: map[string]any{"to_operator_id": b.op2.ID}},
		"POST /api/v1/conversations/{id}/assign":                 {path: "/api/v1/conversations/" + a.queued + "/assign", admin: true},
		"POST /api/v1/transfers/{id}/accept":                     {path: "/api/v1/transfers/" + a.transferID + "/accept"},
		"POST /api/v1/transfers/{id}/decline":                    {path: "/api/v1/transfers/" + a.transferID + "/decline"},
		"POST /api/v1/transfers/{id}/cancel":                     {path: "/api/v1/transfers/" + a.transferID + "/cancel"},
		"PATCH /api/v1/admin/operators/{id}":                     {path: "/api/v1/admin/operators/" + a.op.ID, body: map[string]any{"name": "Hijacked", "limit": 1}, admin: true},
		"GET /api/v1/admin/contact-points/{id}":                  {path: "/api/v1/admin/contact-points/" + a.cpID, admin: true},
		"PATCH /api/v1/admin/contact-points/{id}":                {path: "/api/v1/admin/contact-points/" + a.cpID, body: map[string]any{"name": "Hijacked", "settings": map[string]any{"allowed_origins": []string{"https://evil.example"}}}, admin: true},
		"GET /api/v1/admin/contact-points/{id}/mailbox":          {path: "/api/v1/admin/contact-points/" + a.mailCP + "/mailbox", admin: true},
		"POST /api/v1/admin/contact-points/{id}/mailbox/resend":  {path: "/api/v1/admin/contact-points/" + a.mailCP + "/mailbox/resend", admin: true},
		"POST /api/v1/admin/contact-points/{id}/mailbox/confirm": {path: "/api/v1/admin/contact-points/" + a.mailCP + "/mailbox/confirm", body: map[string]any{"code": "12345678"}, admin: true},
		"POST /api/v1/admin/contact-points/{id}/imap/test":       {path: "/api/v1/admin/contact-points/" + a.mailCP + "/imap/test", admin: true},
		"POST /api/v1/admin/contact-points/{id}/smtp/test":       {path: "/api/v1/admin/contact-points/" + a.mailCP + "/smtp/test", body: map[string]any{"to": "x@evil.example"}, admin: true},
		"PATCH /api/v1/admin/conversation-categories/{id}":       {path: "/api/v1/admin/conversation-categories/" + a.catID, body: map[string]any{"name": "Hijacked"}, admin: true},
		"DELETE /api/v1/admin/conversation-categories/{id}":      {path: "/api/v1/admin/conversation-categories/" + a.catID, admin: true},
		"PATCH /api/v1/quick-messages/{id}":                      {path: "/api/v1/quick-messages/" + a.qmPersonal, body: map[string]any{"text": "hijack"}},
		"DELETE /api/v1/quick-messages/{id}":                     {path: "/api/v1/quick-messages/" + a.qmPersonal},
		"PUT /api/v1/quick-messages/{id}/hotkey":                 {path: "/api/v1/quick-messages/" + a.qmShared + "/hotkey", body: map[string]any{"hotkey": "Alt+KeyW"}},
		"PATCH /api/v1/admin/quick-message-categories/{id}":      {path: "/api/v1/admin/quick-message-categories/" + a.qmCat, body: map[string]any{"name": "Hijacked"}, admin: true},
		"DELETE /api/v1/admin/quick-message-categories/{id}":     {path: "/api/v1/admin/quick-message-categories/" + a.qmCat, admin: true},
		"PATCH /api/v1/admin/quick-messages/{id}":                {path: "/api/v1/admin/quick-messages/" + a.qmShared, body: map[string]any{"text": "hijack"}, admin: true},
		"DELETE /api/v1/admin/quick-messages/{id}":               {path: "/api/v1/admin/quick-messages/" + a.qmShared, admin: true},
		"GET /api/v1/attachments/{id}":                           {path: "/api/v1/attachments/" + a.attID},
		"GET /api/v1/widget/attachments/{id}/file":               {path: "/api/v1/widget/attachments/" + a.attID + "/file", visitor: true},
		"GET /api/v1/stickers/{id}":                              {path: "/api/v1/stickers/" + a.stID},
		"GET /api/v1/widget/stickers/{id}/image":                 {path: "/api/v1/widget/stickers/" + a.stID + "/image", visitor: true},
		"DELETE /api/v1/admin/sticker-packs/{id}":                {path: "/api/v1/admin/sticker-packs/" + a.stPack, admin: true},
		"POST /api/v1/admin/sticker-packs/{id}/stickers":         {path: "/api/v1/admin/sticker-packs/" + a.stPack + "/stickers", admin: true},
		"DELETE /api/v1/me/dictionary/{word}":                    {path: "/api/v1/me/dictionary/" + a.marker + "Personalword"},
		"DELETE /api/v1/admin/dictionary/{word}":                 {path: "/api/v1/admin/dictionary/" + a.marker + "Accountword", admin: true},
	}
	// The visitor profile's routes (docs/visitor-profile.md), with A's conversations and visitor.
	for k, c := range map[string]crossAccountCase{
		"GET /api/v1/conversations/{id}/visitor":                                {path: "/api/v1/conversations/" + a.conv + "/visitor"},
		"PATCH /api/v1/conversations/{id}/visitor":                              {path: "/api/v1/conversations/" + a.conv + "/visitor", body: map[string]any{"name": "Hijacked"}},
		"GET /api/v1/conversations/{id}/visitor/conversations":                  {path: "/api/v1/conversations/" + a.conv + "/visitor/conversations"},
		"GET /api/v1/conversations/{id}/visitor/conversations/{other}/messages": {path: "/api/v1/conversations/" + a.conv + "/visitor/conversations/" + a.closed + "/messages"},
		"DELETE /api/v1/admin/visitors/{id}":                                    {path: "/api/v1/admin/visitors/" + a.visitor.ID, admin: true},
	} {
		cases[k] = c
	}
	// Every route with a path parameter has a case here (the widget's {key} is covered by
	// TestIsolationVisitors, the rating page's signed {token} — no id to swap — by
	// TestRatingEmailLink); a new {id} route without one fails this test.
	covered := 0
	for _, rt := range env.App.API.Routes() {
		key := rt.Method + " " + rt.Path
		if !strings.Contains(rt.Path, "{") || strings.HasPrefix(rt.Path, "/api/v1/widget/{key}/") || strings.HasPrefix(rt.Path, "/rate/") {
			continue
		}
		if _, ok := cases[key]; !ok {
			t.Errorf("route %s takes an id but has no cross-account case in TestIsolationRoutes", key)
		}
		covered++
	}
	if covered != len(cases) {
		t.Errorf("%d cases for %d id routes: a case names a route that is gone", len(cases), covered)
	}
	// Other ids of A in each path, too: the queued and the closed conversation.
	for _, id := range []string{a.queued, a.closed} {
		cases["GET /api/v1/conversations/{id} "+id] = crossAccountCase{path: "/api/v1/conversations/" + id}
		cases["GET /api/v1/conversations/{id}/messages "+id] = crossAccountCase{path: "/api/v1/conversations/" + id + "/messages"}
	}
	cases["PATCH /api/v1/admin/operators/{id} admin"] = crossAccountCase{path: "/api/v1/admin/operators/" + a.acct.Admin.ID, body: map[string]any{"role": "operator"}, admin: true}

	for name, c := range cases {
		callers := map[string]*testkit.Client{"B admin": b.acct.Admin}
		if c.visitor {
			callers = map[string]*testkit.Client{"B visitor": b.visitor}
		} else if !c.admin {
			callers["B operator"] = b.op
			callers["B receiver"] = b.op2
		}
		for who, cl := range callers {
			method := strings.Fields(name)[0]
			r := cl.Do(method, c.path, c.body)
			if r.Status != 404 || r.Code() != "not_found" {
				t.Errorf("%s as %s: %d %s, want 404 not_found", name, who, r.Status, r.Body)
				continue
			}
			// Indistinguishable from an id that exists nowhere.
			segs := strings.Split(c.path, "/")
			for i, seg := range segs {
				if seg != "" && strings.Trim(seg, "0123456789") == "" {
					segs[i] = ghost
				}
			}
			ghostPath := strings.Join(segs, "/")
			if g := cl.Do(method, ghostPath, c.body); g.Status != r.Status || g.Code() != r.Code() {
				t.Errorf("%s as %s: %d %s for A's id but %d %s for a missing one", name, who, r.Status, r.Code(), g.Status, g.Code())
			}
			if strings.Contains(string(r.Body), a.marker) {
				t.Errorf("%s as %s: the answer names A's data: %s", name, who, r.Body)
			}
		}
	}
	if after := snapshotWorld(t, a); after != before {
		t.Errorf("account A changed through account B's requests:\nbefore: %s\nafter:  %s", before, after)
	}
	// A's own people still work on it.
	testkit.Expect(t, "A's receiver accepts", a.op2.TransferAction(a.transferID, "accept"), 200, "")
}

// TestIsolationBodyIDs: ids of another account inside request bodies and query strings are
// never taken.
func TestIsolationBodyIDs(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := buildAccountWorld(t, env, "Alpha")
	b := buildAccountWorld(t, env, "Bravo")
	b.op.SetStatus("available")
	bConv := env.Visitor(b.key, "Bravo Fresh").Say("Bravo hello").ConversationID
	if got := b.acct.Admin.Conversation(bConv).AssigneeID; got != b.op.ID {
		t.Fatalf("B's fresh conversation went to %s", got)
	}
	before := snapshotWorld(t, a)
	bHistory := len(b.op.History(bConv))

	// to_operator_id of another account: the operator does not exist here.
	testkit.Expect(t, "transfer to A's operator", b.op.Offer(bConv, a.op2.ID, ""), 404, "not_found")
	testkit.Expect(t, "transfer to a missing operator", b.op.Offer(bConv, "987654321", ""), 404, "not_found")

	// reply_to and category_id name something that must belong to this conversation or
	// account; another account's id is refused exactly like one that exists nowhere
	// (400 invalid_input: the body is wrong, the addressed conversation exists).
	reply := func(replyTo string) testkit.Response {
		return b.op.Do("POST", "/api/v1/conversations/"+bConv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "quote", "reply_to": replyTo})
	}
	testkit.Expect(t, "reply_to A's visitor message", reply(a.msgID), 400, "invalid_input")
	testkit.Expect(t, "reply_to A's comment", reply(a.commentID), 400, "invalid_input")
	testkit.Expect(t, "reply_to a missing message", reply("987654321"), 400, "invalid_input")
	for _, r := range []testkit.Response{reply(a.msgID), reply(a.commentID)} {
		if strings.Contains(string(r.Body), a.marker) {
			t.Errorf("the refusal names A's message: %s", r.Body)
		}
	}
	closeWith := func(cat string) testkit.Response {
		return b.op.Do("POST", "/api/v1/conversations/"+bConv+"/close", map[string]any{"category_id": cat})
	}
	testkit.Expect(t, "close with A's category", closeWith(a.catID), 400, "invalid_input")
	testkit.Expect(t, "close with a missing category", closeWith("987654321"), 400, "invalid_input")
	if n := len(b.op.History(bConv)); n != bHistory {
		t.Errorf("refused requests stored %d messages", n-bHistory)
	}
	if c := b.op.Conversation(bConv); c.State != "assigned" || c.PendingTransfer != nil {
		t.Errorf("B's conversation after refused requests: %s pending %+v", c.State, c.PendingTransfer)
	}

	// assignee_id of another account filters to nothing.
	for _, state := range []string{"open", "closed", "queued"} {
		items, _ := b.acct.Admin.List("state=" + state + "&assignee_id=" + a.op.ID)
		if len(items) != 0 {
			t.Errorf("state=%s&assignee_id=<A's operator> lists %d items of account A", state, len(items))
		}
	}
	// ?before= with A's message id reads nothing of A.
	r := b.op.Do("GET", "/api/v1/conversations/"+bConv+"/messages?before="+a.commentID, nil)
	if r.Status != 200 || strings.Contains(string(r.Body), a.marker) {
		t.Errorf("before=<A's id>: %d %s", r.Status, r.Body)
	}
	if after := snapshotWorld(t, a); after != before {
		t.Errorf("account A changed:\nbefore: %s\nafter:  %s", before, after)
	}
}

// TestIsolationLists: every list an operator or admin of B reads holds only B's data.
func TestIsolationLists(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := buildAccountWorld(t, env, "Alpha")
	b := buildAccountWorld(t, env, "Bravo")
	set := func(ids ...string) map[string]bool {
		m := map[string]bool{}
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	aConvs := set(a.conv, a.queued, a.closed)
	aOps := set(a.op.ID, a.op2.ID, a.acct.Admin.ID)
	// Each list and, per array in it, which of A's ids its items must not carry (ids are
	// only unique per kind, so they are compared kind by kind).
	lists := []struct {
		path string
		arr  string
		ids  map[string]bool
	}{
		{"/api/v1/conversations?state=open", "items", aConvs},
		{"/api/v1/conversations?state=queued", "items", aConvs},
		{"/api/v1/conversations?state=closed", "items", aConvs},
		{"/api/v1/conversations?state=open&limit=1", "items", aConvs},
		{"/api/v1/operators", "items", aOps},
		{"/api/v1/conversation-categories", "items", set(a.catID)},
		{"/api/v1/admin/operators", "items", aOps},
		{"/api/v1/admin/contact-points", "items", set(a.cpID)},
		{"/api/v1/admin/conversation-categories", "items", set(a.catID)},
		{"/api/v1/admin/monitor", "operators", aOps},
		{"/api/v1/admin/monitor", "queue", aConvs},
		{"/api/v1/admin/settings", "", nil},
		{"/api/v1/me", "", nil},
	}
	for _, who := range []*testkit.Client{b.acct.Admin, b.op} {
		for _, l := range lists {
			r := who.Do("GET", l.path, nil)
			if r.Status == 403 && who == b.op && (strings.HasPrefix(l.path, "/api/v1/admin/") || strings.Contains(l.path, "queued")) {
				continue // for supervisors and admins only
			}
			if r.Status != 200 {
				t.Errorf("GET %s: %d %s", l.path, r.Status, r.Body)
				continue
			}
			if strings.Contains(string(r.Body), a.marker) {
				t.Errorf("GET %s as %s holds account A's data: %s", l.path, who.Email, r.Body)
			}
			if l.arr == "" {
				continue
			}
			var raw map[string]json.RawMessage
			r.Decode(t, &raw)
			var items []struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(raw[l.arr], &items); err != nil {
				t.Fatalf("GET %s: %s is not a list: %s", l.path, l.arr, r.Body)
			}
			for _, it := range items {
				if l.ids[it.ID] {
					t.Errorf("GET %s as %s lists %s of account A", l.path, who.Email, it.ID)
				}
			}
		}
	}
	// B sees its own data (so the lists above were not trivially empty).
	for _, p := range []string{"/api/v1/conversations?state=open", "/api/v1/conversations?state=queued", "/api/v1/conversations?state=closed",
		"/api/v1/admin/operators", "/api/v1/admin/contact-points", "/api/v1/admin/conversation-categories", "/api/v1/admin/monitor"} {
		r := b.acct.Admin.Do("GET", p, nil)
		if !strings.Contains(string(r.Body), b.marker) {
			t.Errorf("GET %s as B's admin does not show B's own data: %s", p, r.Body)
		}
	}
	// Paging with a cursor taken from A's list still lists only B.
	if _, next := a.acct.Admin.List("state=closed&limit=1"); next != "" {
		r := b.acct.Admin.Do("GET", "/api/v1/conversations?state=closed&cursor="+next, nil)
		if strings.Contains(string(r.Body), a.marker) {
			t.Errorf("B paging with A's cursor sees A: %s", r.Body)
		}
	}
}

// TestIsolationEvents: B's operators never receive A's events on their WebSocket.
func TestIsolationEvents(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := buildAccountWorld(t, env, "Alpha")
	b := buildAccountWorld(t, env, "Bravo")
	wsAdmin, wsOp := b.acct.Admin.ReadyWS(false), b.op2.ReadyWS(false)
	// A's world moves: a message, a status change, an accepted transfer, a new conversation.
	a.visitor.Say("Alpha more secrets")
	a.op.SetStatus("available")
	testkit.Expect(t, "A accepts", a.op2.TransferAction(a.transferID, "accept"), 200, "")
	env.Visitor(a.key, "Alpha Late").Say("Alpha late question")
	// Then B's: B's clients see B's event and nothing of A before it (events are in commit order).
	b.op2.SetStatus("available")
	for _, ws := range []*testkit.WS{wsAdmin, wsOp} {
		deadline := time.Now().Add(5 * time.Second)
		for {
			f := ws.Next(time.Until(deadline))
			if strings.Contains(string(f.Data), a.marker) {
				t.Fatalf("B's WebSocket got A's %s: %s", f.Type, f.Data)
			}
			if f.Type == "operator.status" && strings.Contains(string(f.Data), `"id":"`+b.op2.ID+`"`) {
				break
			}
		}
	}
}

// TestIsolationVisitors: a visitor token reads only its own visitor's messages, cannot be
// forged or moved to another account, and opens nothing of an operator.
func TestIsolationVisitors(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := buildAccountWorld(t, env, "Alpha")
	b := buildAccountWorld(t, env, "Bravo")

	// Two visitors of the same contact point never see each other.
	a.op.SetStatus("available")
	v1, v2 := env.Visitor(a.key, "Alpha One"), env.Visitor(a.key, "Alpha Two")
	ws1 := v1.WS(true, "")
	ws1.Ready()
	c1 := v1.Say("one: my card number").ConversationID
	c2 := v2.Say("two: my address").ConversationID
	if c1 == c2 {
		t.Fatal("two visitors share a conversation")
	}
	a.op.Must("POST", "/api/v1/conversations/"+c2+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "answer for two"}, nil)
	v1.Say("one: ping")
	for {
		f := ws1.Next(5 * time.Second)
		if strings.Contains(string(f.Data), "two") || strings.Contains(string(f.Data), `"conversation_id":"`+c2+`"`) {
			t.Fatalf("visitor one's WebSocket got visitor two's %s: %s", f.Type, f.Data)
		}
		if f.Type == "message.created" && strings.Contains(string(f.Data), "one: ping") {
			break
		}
	}
	for _, m := range v1.VisitorHistory() {
		if m.ConversationID != c1 || strings.Contains(m.Text, "two") {
			t.Fatalf("visitor one reads %+v", m)
		}
	}
	for _, m := range a.visitor.VisitorHistory() {
		if m.ConversationID != a.conv || m.Kind == "comment" {
			t.Fatalf("A's first visitor reads %+v", m)
		}
	}

	// A's token presented at B's widget starts a new visitor of B who knows nothing.
	for _, tok := range []string{a.visitor.Token, v1.Token} {
		var out struct {
			Token   string `json:"visitor_token"`
			Visitor struct {
				ID string `json:"id"`
			} `json:"visitor"`
			Conversation *struct{ ID string } `json:"conversation"`
		}
		anon := &testkit.Client{T: t, Base: env.URL}
		anon.Must("POST", "/api/v1/widget/"+b.key+"/session", map[string]any{"visitor_token": tok}, &out)
		if out.Visitor.ID == a.visitor.ID || out.Visitor.ID == v1.ID || out.Conversation != nil {
			t.Fatalf("A's visitor token resumed %s at B's widget (conversation %+v)", out.Visitor.ID, out.Conversation)
		}
		nv := &testkit.Client{T: t, Base: env.URL, Token: out.Token}
		if items := nv.VisitorHistory(); len(items) != 0 {
			t.Fatalf("a new visitor of B reads %+v", items)
		}
		// Another contact point of the same account does not resume it either.
		var cp struct{ Key string }
		a.acct.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Alpha second site"}, &cp)
		anon.Must("POST", "/api/v1/widget/"+cp.Key+"/session", map[string]any{"visitor_token": tok}, &out)
		if out.Visitor.ID == a.visitor.ID || out.Visitor.ID == v1.ID {
			t.Fatalf("a visitor token resumed at another contact point")
		}
	}

	// A visitor token is not an operator session.
	for _, p := range []string{"/api/v1/conversations", "/api/v1/conversations/" + a.conv, "/api/v1/me", "/api/v1/admin/operators"} {
		r := a.visitor.Do("GET", p, nil)
		testkit.Expect(t, "visitor token on "+p, r, 401, "unauthenticated")
	}

	// Forged and altered tokens are refused everywhere a visitor token is taken.
	tok := a.visitor.Token
	parts := strings.Split(tok, ".")
	if len(parts) != 6 {
		t.Fatalf("unexpected visitor token shape %q", tok)
	}
	alter := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, ".")
	}
	sig := []byte(parts[5])
	sig[0] ^= 1
	bParts := strings.Split(b.visitor.Token, ".")
	forged := map[string]string{
		"other account":       alter(1, bParts[1]),
		"other contact point": alter(2, bParts[2]),
		"other visitor":       alter(3, v2.ID),
		"later expiry":        alter(4, "99999999999"),
		"B's claims, A's sig": strings.Join(append(bParts[:5:5], parts[5]), "."),
		"altered signature":   strings.Join(append(parts[:5:5], string(sig)), "."),
		"no signature":        strings.Join(parts[:5], "."),
		"empty signature":     strings.Join(parts[:5], ".") + ".",
		"garbage":             "not-a-token",
		"operator session":    a.op.Token,
		"truncated":           tok[:len(tok)-3],
		"overlong":            tok + strings.Repeat("A", 300),
	}
	for name, f := range forged {
		fc := &testkit.Client{T: t, Base: env.URL, Token: f}
		testkit.Expect(t, name+": read", fc.Do("GET", "/api/v1/widget/messages", nil), 401, "unauthenticated")
		testkit.Expect(t, name+": write", fc.Do("POST", "/api/v1/widget/messages", map[string]any{"client_id": testkit.Unique("f"), "text": "forged"}), 401, "unauthenticated")
		testkit.Expect(t, name+": close", fc.Do("POST", "/api/v1/widget/close", nil), 401, "unauthenticated")
		resp, err := http.Get(env.URL + "/api/v1/widget/ws?token=" + f)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("%s: widget WebSocket answered %d", name, resp.StatusCode)
		}
	}
	testkit.Expect(t, "no token", (&testkit.Client{T: t, Base: env.URL}).Do("GET", "/api/v1/widget/messages", nil), 401, "unauthenticated")
	// Nothing was written by the forged tokens.
	for _, m := range a.visitor.VisitorHistory() {
		if m.Text == "forged" {
			t.Fatal("a forged token wrote a message")
		}
	}
	for _, m := range b.visitor.VisitorHistory() {
		if m.Text == "forged" {
			t.Fatal("a forged token wrote a message")
		}
	}
	// Operator endpoints refuse forged sessions too.
	for _, f := range []string{"", "nope", a.op.Token + "x"} {
		c := &testkit.Client{T: t, Base: env.URL, Token: f}
		testkit.Expect(t, "forged session", c.Do("GET", "/api/v1/conversations/"+a.conv, nil), 401, "unauthenticated")
	}
}
