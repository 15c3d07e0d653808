package httpapi

import (
	"net/http"
	"net/url"

	"livedesk/internal/auth"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
)

// widgetCORS lets pages of other sites call the visitor API: it runs before authentication
// on every /api/v1/widget/ route, so that even an error (a 401 for an expired token, a 403 for
// a site that is not allowed) is readable by the widget. Visitor endpoints carry no cookies,
// only the bearer visitor token, so no credentials are allowed. Which sites may really use a
// contact point is checked by checkOrigin once the contact point is known.
func widgetCORS(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		h.Set("Access-Control-Max-Age", "600")
	}
}

// widgetPreflight answers CORS preflight requests of the visitor API (the headers are set by
// widgetCORS). A preflight carries no token, so it cannot be refused per contact point; the
// request that follows is.
func (s *Server) widgetPreflight(w http.ResponseWriter, r *http.Request, c *call) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkOrigin refuses a browser request from a site that is not among the contact point's
// allowed origins. Requests without an Origin header (not from a browser page) and pages of
// livedesk itself (the demo site) are always allowed.
func checkOrigin(r *http.Request, cp *livedesk.ContactPoint) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	if u, err := url.Parse(origin); err == nil && u.Host == r.Host {
		return nil
	}
	if !desk.ParseWidgetSettings(cp).AllowsOrigin(origin) {
		return livedesk.Errorf(livedesk.CodeForbidden, "the widget of this contact point is not allowed on %s", origin)
	}
	return nil
}

// webchatPoint finds the webchat contact point of the {key} path parameter and checks the
// caller's origin.
func (s *Server) webchatPoint(r *http.Request) (*livedesk.ContactPoint, error) {
	cp, err := s.desk.WebchatPoint(r.Context(), r.PathValue("key"))
	if err != nil {
		return nil, err
	}
	return cp, checkOrigin(r, cp)
}

func (s *Server) widgetConfig(w http.ResponseWriter, r *http.Request, c *call) error {
	cp, err := s.webchatPoint(r)
	if err != nil {
		return err
	}
	online, err := s.desk.Available(r.Context(), cp.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, widgetConfigAnswer{ContactPoint: publicPointOf(cp), Online: online})
}

func (s *Server) widgetSession(w http.ResponseWriter, r *http.Request, c *call) error {
	cp, err := s.webchatPoint(r)
	if err != nil {
		return err
	}
	if err := s.allowVisitor(r, actSession, cp); err != nil {
		return err
	}
	var in struct {
		desk.VisitorProfile
		VisitorKey   string `json:"visitor_key"`
		VisitorToken string `json:"visitor_token"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	// The visitor is the one of the renewal key, else of a live access token (or a token of
	// the first version, which never expired). A credential of another contact point, an
	// expired or a forged one simply starts a new visitor.
	var id livedesk.ID
	for _, cred := range []struct {
		value  string
		verify func(string) (auth.VisitorClaims, error)
	}{{in.VisitorKey, s.tokens.VerifyKey}, {in.VisitorToken, s.tokens.Verify}, {in.VisitorToken, s.tokens.VerifyKey}} {
		if id != 0 || cred.value == "" {
			continue
		}
		if claims, err := cred.verify(cred.value); err == nil && claims.ContactPointID == cp.ID && claims.AccountID == cp.AccountID {
			id = claims.VisitorID
		}
	}
	v, err := s.desk.VisitorSession(r.Context(), cp, id, in.VisitorProfile)
	if err != nil {
		return err
	}
	online, err := s.desk.Available(r.Context(), cp.AccountID)
	if err != nil {
		return err
	}
	claims := auth.VisitorClaims{AccountID: cp.AccountID, ContactPointID: cp.ID, VisitorID: v.ID}
	token, expires := s.tokens.Sign(claims)
	out := widgetSessionAnswer{VisitorToken: token, TokenExpiresAt: expires, VisitorKey: s.tokens.SignKey(claims),
		Visitor: v, ContactPoint: publicPointOf(cp), Online: online}
	if conv, err := s.desk.OpenVisitorConversation(r.Context(), cp, v.ID); err == nil {
		out.Conversation = conv
	} else if out.RatingRequest, err = s.desk.VisitorRatingRequest(r.Context(), cp, v.ID); err != nil {
		return err
	}
	return writeJSON(w, 200, out)
}

func (s *Server) widgetMessages(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	limit, err := pageLimit(r, 50, 200)
	if err != nil {
		return err
	}
	var before livedesk.ID
	if b := r.URL.Query().Get("before"); b != "" {
		var ok bool
		if before, ok = livedesk.ParseID(b); !ok {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "before is not valid")
		}
	}
	items, err := s.desk.VisitorMessages(r.Context(), c.visitor.AccountID, c.visitor.VisitorID, before, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, messagePage(items, limit))
}

func (s *Server) widgetSend(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	if err := s.allowVisitor(r, actMessage, c.cp); err != nil {
		return err
	}
	var in desk.MessageInput
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	m, err := s.desk.VisitorMessage(r.Context(), c.cp, c.visitor.VisitorID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m.ForVisitor())
}

func (s *Server) widgetOffline(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	if err := s.allowVisitor(r, actMessage, c.cp); err != nil {
		return err
	}
	var in desk.OfflineInput
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	m, err := s.desk.VisitorOffline(r.Context(), c.cp, c.visitor.VisitorID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (s *Server) widgetClose(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	conv, err := s.desk.VisitorClose(r.Context(), c.cp, c.visitor.VisitorID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, s.desk.VisitorView(r.Context(), conv))
}

func (s *Server) visitorWS(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	return s.hub.Serve(w, r, realtime.Client{AccountID: c.visitor.AccountID, VisitorID: c.visitor.VisitorID, ContactPointID: c.cp.ID})
}

func (s *Server) widgetTestPage(w http.ResponseWriter, r *http.Request, c *call) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; connect-src 'self' ws: wss:; style-src 'unsafe-inline'")
	_, err := w.Write([]byte(widgetTestHTML))
	return err
}

// widgetTestHTML is a minimal visitor page for trying the visitor API by hand
// (/widget-test?key=KEY); the real widget is served separately.
const widgetTestHTML = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>livedesk — visitor test page</title>
<style>body{font:15px system-ui;max-width:40rem;margin:2rem auto}#log{border:1px solid #ccc;height:20rem;overflow:auto;padding:.5rem}
.v{color:#064}.o{color:#036}.s{color:#777;font-style:italic}</style></head>
<body><h1>livedesk visitor test</h1>
<p><input id="name" placeholder="Имя (необязательно)"> <button id="start">Начать</button> <span id="state"></span></p>
<div id="log"></div>
<p><input id="text" size="50" placeholder="Сообщение"> <button id="send">Отправить</button> <button id="close">Закрыть обращение</button></p>
<script>
const key = new URLSearchParams(location.search).get('key');
let token = localStorage.getItem('ld_token_' + key), cursor = localStorage.getItem('ld_cursor_' + key) || '';
const $ = id => document.getElementById(id), seen = new Set();
function show(m) { if (seen.has(m.id)) return; seen.add(m.id);
  const p = document.createElement('div'); p.className = m.author.type[0];
  p.textContent = (m.author.type === 'system' ? '' : m.author.name + ': ') + m.text; $('log').appendChild(p); $('log').scrollTop = 1e9; }
async function api(method, path, body) {
  const r = await fetch(path, {method, headers: {'Content-Type': 'application/json', ...(token ? {Authorization: 'Bearer ' + token} : {})},
    body: body ? JSON.stringify(body) : undefined});
  const j = r.status === 204 ? {} : await r.json(); if (!r.ok) { $('state').textContent = j.error.message; throw j; } return j; }
async function start() {
  const s = await api('POST', '/api/v1/widget/' + encodeURIComponent(key) + '/session', {visitor_token: token || undefined, name: $('name').value || undefined});
  token = s.visitor_token; localStorage.setItem('ld_token_' + key, token);
  const page = await api('GET', '/api/v1/widget/messages?limit=200'); page.items.reverse().forEach(show); connect(); }
function connect() {
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1/widget/ws?token=' + encodeURIComponent(token) + (cursor ? '&cursor=' + cursor : ''));
  ws.onopen = () => $('state').textContent = 'онлайн';
  ws.onmessage = e => { const f = JSON.parse(e.data); if (f.cursor) { cursor = f.cursor; localStorage.setItem('ld_cursor_' + key, cursor); }
    if (f.type === 'message.created') show(f.data.message);
    if (f.type === 'operator.joined') $('state').textContent = 'оператор: ' + f.data.operator.name;
    if (f.type === 'typing') $('state').textContent = 'оператор печатает…';
    if (f.type === 'resync') { cursor = ''; ws.close(); } };
  ws.onclose = () => { $('state').textContent = 'нет связи…'; setTimeout(connect, 1000); }; }
$('start').onclick = start;
$('send').onclick = async () => { const text = $('text').value; if (!text) return;
  show(await api('POST', '/api/v1/widget/messages', {client_id: crypto.randomUUID(), text})); $('text').value = ''; };
$('text').onkeydown = e => { if (e.key === 'Enter') $('send').click(); };
$('close').onclick = () => api('POST', '/api/v1/widget/close');
if (token) start();
</script></body></html>`
