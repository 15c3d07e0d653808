package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"livedesk/internal/app"
	"livedesk/internal/attachment"
	"livedesk/internal/config"
	"livedesk/internal/testkit"
)

// Integration tests of file attachments (DESIGN §2.6, docs/attachments.md).

// fileMessage is a message with its files.
type fileMessage struct {
	ID             string               `json:"id"`
	ConversationID string               `json:"conversation_id"`
	ClientID       string               `json:"client_id"`
	Text           string               `json:"text"`
	Attachments    []testkit.Attachment `json:"attachments"`
}

// fileWorld is an account with an available operator holding a visitor's conversation.
type fileWorld struct {
	env     *testkit.Env
	acct    *testkit.Account
	key     string
	op      *testkit.Client
	visitor *testkit.Client
	conv    string
}

func buildFileWorld(t *testing.T, env *testkit.Env) *fileWorld {
	t.Helper()
	w := &fileWorld{env: env, acct: env.NewAccount()}
	_, w.key = w.acct.ContactPoint("webchat")
	w.acct.Admin.SetStatus("pause")
	w.op = w.acct.Operator("Оля", "operator", 5, "available")
	w.visitor = env.Visitor(w.key, "Вася")
	w.conv = w.visitor.Say("Здравствуйте").ConversationID
	if c := w.acct.Admin.Conversation(w.conv); c.AssigneeID != w.op.ID {
		t.Fatalf("conversation not assigned to the operator: %+v", c)
	}
	return w
}

func (w *fileWorld) reply(t *testing.T, text string, ids ...string) testkit.Response {
	t.Helper()
	return w.op.Do("POST", "/api/v1/conversations/"+w.conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": text, "attachment_ids": ids})
}

func ids(items []testkit.Uploaded) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// download GETs a file URL as c (bearer token) and returns the answer and its headers.
func download(t *testing.T, c *testkit.Client, url string, header http.Header) (testkit.Response, http.Header) {
	t.Helper()
	return c.Send("GET", url, "", nil, header)
}

// zeros is an endless reader of 'x'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// streamUpload sends files of the given sizes, generated while sending (nothing is held in
// memory), and returns the answer and how many body bytes the server took.
func streamUpload(t *testing.T, c *testkit.Client, path string, sizes ...int64) (testkit.Response, int64) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for i, n := range sizes {
			fw, err := mw.CreateFormFile("files", fmt.Sprintf("file%d.bin", i+1))
			if err == nil {
				_, err = io.CopyN(fw, zeros{}, n)
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	counter := &countReader{r: pr}
	r, _ := c.Send("POST", path, mw.FormDataContentType(), counter, nil)
	pr.Close()
	return r, counter.n.Load()
}

type countReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// TestAttachmentLimits: 5 files per request, 6th → too_many_files; 25 MiB exactly is
// accepted, one byte more → too_large, for one file and for several together.
func TestAttachmentLimits(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	w := buildFileWorld(t, env)
	five := []testkit.File{}
	for i := 1; i <= 5; i++ {
		five = append(five, testkit.File{Name: fmt.Sprintf("f%d.txt", i), Content: []byte(fmt.Sprintf("content %d", i))})
	}
	if got := w.op.MustUpload("/api/v1/attachments", five...); len(got) != 5 || got[4].Name != "f5.txt" || got[0].Size != 9 {
		t.Fatalf("five files: %+v", got)
	}
	six := append(five, testkit.File{Name: "f6.txt", Content: []byte("six")})
	testkit.Expect(t, "six files", w.op.Upload("/api/v1/attachments", six...), 413, "too_many_files")
	testkit.Expect(t, "six files (visitor)", w.visitor.Upload("/api/v1/widget/attachments", six...), 413, "too_many_files")

	r, _ := streamUpload(t, w.op, "/api/v1/attachments", attachment.MaxBytes)
	if r.Status != 201 {
		t.Fatalf("exactly 26214400 bytes: %d %s", r.Status, r.Body)
	}
	var got []testkit.Uploaded
	r.Decode(t, &got)
	if len(got) != 1 || got[0].Size != 26_214_400 {
		t.Fatalf("exact limit: %+v", got)
	}
	r, _ = streamUpload(t, w.op, "/api/v1/attachments", attachment.MaxBytes+1)
	testkit.Expect(t, "26214401 bytes", r, 413, "too_large")
	r, _ = streamUpload(t, w.visitor, "/api/v1/widget/attachments", 10_000_000, 10_000_000, 6_214_400)
	testkit.Expect(t, "three files of 26214400 bytes together (visitor)", r, 201, "")
	r, _ = streamUpload(t, w.visitor, "/api/v1/widget/attachments", 10_000_000, 10_000_000, 6_214_401)
	testkit.Expect(t, "three files of 26214401 bytes together (visitor)", r, 413, "too_large")

	// Nothing of a refused request stays on disk; no temp files stay at all.
	if left, _ := os.ReadDir(filepath.Join(env.Dir, "files", "tmp")); len(left) != 0 {
		t.Errorf("temporary files left: %d", len(left))
	}
	// Not multipart, or no files.
	testkit.Expect(t, "JSON body", w.op.Do("POST", "/api/v1/attachments", map[string]any{"x": 1}), 400, "invalid_input")
	testkit.Expect(t, "no files", w.op.Upload("/api/v1/attachments"), 400, "invalid_input")
	// Same rights as replying: offline operators cannot upload.
	w.op.SetStatus("offline")
	testkit.Expect(t, "offline operator", w.op.Upload("/api/v1/attachments", five[0]), 403, "operator_offline")
}

// TestAttachmentStreamingCutoff: a body that claims 2 GB is cut off right after the limit
// with 413 too_large; the server reads about the limit, not the body, and memory stays flat.
// Not parallel: it measures the heap of the process (server and client are in it).
func TestAttachmentStreamingCutoff(t *testing.T) {
	// The app without its background jobs (sweepers, dictionary loading), served by an
	// httptest server in this process, so that the heap measured is the upload's.
	cfg := config.Default()
	cfg.Listen, cfg.Data, cfg.BcryptCost, cfg.Synchronous = "127.0.0.1:0", t.TempDir(), 4, "NORMAL"
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.API)
	t.Cleanup(func() {
		srv.Close()
		a.Shutdown(context.Background())
	})
	env := &testkit.Env{T: t, App: a, URL: srv.URL, Dir: cfg.Data, Cfg: cfg}
	acct := env.NewAccount()
	op := acct.Operator("Оля", "operator", 5, "available")
	const claimed = int64(2) << 30
	boundary := "cutoffboundary"
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"huge.bin\"\r\n" +
		"Content-Type: application/octet-stream\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	body := &countReader{r: io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, claimed), strings.NewReader(tail))}

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()
	req, err := http.NewRequest("POST", env.URL+"/api/v1/attachments", body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(head)) + claimed + int64(len(tail))
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	req.Header.Set("Authorization", "Bearer "+op.Token)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("upload: %v (after %d bytes)", err, body.n.Load())
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := testkit.Response{Status: resp.StatusCode, Body: b}
	testkit.Expect(t, "2 GB upload", r, 413, "too_large")
	sent := body.n.Load()
	// The server reads the limit plus a little; what the client wrote beyond that sits in
	// socket buffers (a few MB on loopback) when the server closes.
	const margin = 16 << 20
	t.Logf("2 GB body: client wrote %d bytes (limit %d) in %v; heap before %d, peak %d",
		sent, attachment.MaxBytes, time.Since(start), before, peak.Load())
	if sent > attachment.MaxBytes+margin {
		t.Errorf("the client wrote %d bytes before the answer; the server should stop at %d (+ buffers)", sent, attachment.MaxBytes)
	}
	if p := peak.Load(); p > before && p-before > 8<<20 {
		t.Errorf("heap grew by %d bytes during the upload", p-before)
	}
	if left, _ := os.ReadDir(filepath.Join(env.Dir, "files", "tmp")); len(left) != 0 {
		t.Errorf("the partial upload was left on disk")
	}
}

// TestAttachmentSendAndAccess: files go out in replies and visitor messages (text may be
// empty), appear in histories, events and retries with the right URLs, and are served only
// to operators of the account and the visitor of the conversation.
func TestAttachmentSendAndAccess(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	w := buildFileWorld(t, env)
	other := buildFileWorld(t, env) // another account
	opWS := w.op.WS(false, "")
	opWS.Ready()
	visWS := w.visitor.WS(true, "")
	visWS.Ready()

	pdf := []byte("%PDF-1.4\n% договор\n")
	up := w.op.MustUpload("/api/v1/attachments", testkit.File{Name: "Договор №5 (финал).pdf", Content: pdf})
	if up[0].Name != "Договор__5__финал_.pdf" || up[0].ContentType != "application/pdf" || up[0].Size != int64(len(pdf)) {
		t.Fatalf("upload answer %+v", up)
	}
	id := up[0].ID
	// Before sending: only the uploader sees it.
	colleague := w.acct.Operator("Петя", "operator", 5, "pause")
	testkit.Expect(t, "colleague reads an unsent upload", func() testkit.Response { r, _ := download(t, colleague, "/api/v1/attachments/"+id, nil); return r }(), 404, "not_found")
	if r, _ := download(t, w.op, "/api/v1/attachments/"+id, nil); r.Status != 200 || !bytes.Equal(r.Body, pdf) {
		t.Fatalf("uploader reads own unsent upload: %d", r.Status)
	}
	testkit.Expect(t, "visitor reads an operator's unsent upload", func() testkit.Response {
		r, _ := download(t, w.visitor, "/api/v1/widget/attachments/"+id+"/file", nil)
		return r
	}(), 404, "not_found")

	// A reply with only a file.
	clientID := testkit.Unique("m")
	send := func() testkit.Response {
		return w.op.Do("POST", "/api/v1/conversations/"+w.conv+"/messages", map[string]any{"client_id": clientID, "text": "", "attachment_ids": []string{id}})
	}
	r := send()
	testkit.Expect(t, "reply with a file", r, 201, "")
	var m fileMessage
	r.Decode(t, &m)
	if m.Text != "" || len(m.Attachments) != 1 || m.Attachments[0].URL != "/api/v1/attachments/"+id || m.Attachments[0].Expired ||
		m.Attachments[0].Name != "Договор__5__финал_.pdf" {
		t.Fatalf("reply %+v", m)
	}
	// The retry answers the same message, files included.
	var again fileMessage
	send().Decode(t, &again)
	if again.ID != m.ID || len(again.Attachments) != 1 || again.Attachments[0].ID != id {
		t.Fatalf("retry %+v", again)
	}
	// Events: operators get operator URLs, the visitor widget URLs.
	f := opWS.WaitFor("message.created", testkit.OfMessage(m.ID))
	if !strings.Contains(string(f.Data), `"url":"/api/v1/attachments/`+id+`"`) {
		t.Errorf("operator event: %s", f.Data)
	}
	f = visWS.WaitFor("message.created", testkit.OfMessage(m.ID))
	if !strings.Contains(string(f.Data), `"url":"/api/v1/widget/attachments/`+id+`/file"`) {
		t.Errorf("visitor event: %s", f.Data)
	}
	// Histories.
	var page struct{ Items []fileMessage }
	w.op.Must("GET", "/api/v1/conversations/"+w.conv+"/messages", nil, &page)
	if page.Items[0].ID != m.ID || len(page.Items[0].Attachments) != 1 || page.Items[0].Attachments[0].URL != "/api/v1/attachments/"+id {
		t.Fatalf("operator history %+v", page.Items[0])
	}
	w.visitor.Must("GET", "/api/v1/widget/messages", nil, &page)
	if page.Items[0].ID != m.ID || page.Items[0].Attachments[0].URL != "/api/v1/widget/attachments/"+id+"/file" {
		t.Fatalf("widget history %+v", page.Items[0])
	}
	// List preview of a files-only message.
	if c := w.op.Conversation(w.conv); c.LastMessage == nil || c.LastMessage.Text != "📎 Договор__5__финал_.pdf" {
		t.Errorf("preview %+v", c.LastMessage)
	}

	// Sent: whoever may read the conversation (its operator, supervisors and admins) and the
	// visitor of the conversation; not a colleague it has nothing to do with.
	for name, c := range map[string]*testkit.Client{"uploader": w.op, "admin": w.acct.Admin} {
		if r, _ := download(t, c, "/api/v1/attachments/"+id, nil); r.Status != 200 || !bytes.Equal(r.Body, pdf) {
			t.Errorf("%s downloads: %d %s", name, r.Status, r.Body)
		}
	}
	if r, _ := download(t, colleague, "/api/v1/attachments/"+id, nil); r.Status != 404 {
		t.Errorf("colleague of another conversation downloads: %d, want 404", r.Status)
	}
	if r, _ := download(t, w.visitor, "/api/v1/widget/attachments/"+id+"/file", nil); r.Status != 200 || !bytes.Equal(r.Body, pdf) {
		t.Errorf("visitor downloads: %d", r.Status)
	}
	// A link with ?token= works too (an <a href> in the widget cannot send a header).
	anon := &testkit.Client{T: t, Base: env.URL}
	if r, _ := download(t, anon, "/api/v1/widget/attachments/"+id+"/file?token="+w.visitor.Token, nil); r.Status != 200 {
		t.Errorf("visitor download with ?token=: %d", r.Status)
	}
	// Nobody else: another visitor of the same site, another account's operator and visitor.
	stranger := env.Visitor(w.key, "Чужой")
	stranger.Say("я тоже тут")
	for name, c := range map[string]*testkit.Client{"another visitor": stranger, "another account's visitor": other.visitor} {
		r, _ := download(t, c, "/api/v1/widget/attachments/"+id+"/file", nil)
		testkit.Expect(t, name, r, 404, "not_found")
	}
	for name, c := range map[string]*testkit.Client{"another account's operator": other.op, "another account's admin": other.acct.Admin} {
		r, _ := download(t, c, "/api/v1/attachments/"+id, nil)
		testkit.Expect(t, name, r, 404, "not_found")
	}
	r, _ = download(t, anon, "/api/v1/attachments/"+id, nil)
	testkit.Expect(t, "nobody", r, 401, "unauthenticated")

	// Sending files that are not the sender's own unsent uploads.
	testkit.Expect(t, "send an already sent file", w.reply(t, "again", id), 400, "invalid_input")
	theirs := other.op.MustUpload("/api/v1/attachments", testkit.File{Name: "x.txt", Content: []byte("x")})
	testkit.Expect(t, "send another account's upload", w.reply(t, "", theirs[0].ID), 400, "invalid_input")
	mine := colleague.MustUpload("/api/v1/attachments", testkit.File{Name: "c.txt", Content: []byte("c")})
	testkit.Expect(t, "send a colleague's upload", w.reply(t, "", mine[0].ID), 400, "invalid_input")
	testkit.Expect(t, "send a missing id", w.reply(t, "", "987654321"), 400, "invalid_input")
	testkit.Expect(t, "no text and no files", w.reply(t, " "), 400, "invalid_input")
	vis := w.visitor.MustUpload("/api/v1/widget/attachments", testkit.File{Name: "v.txt", Content: []byte("v")})
	testkit.Expect(t, "operator sends the visitor's upload", w.reply(t, "", vis[0].ID), 400, "invalid_input")
	sixIDs := []string{"1", "2", "3", "4", "5", "6"}
	testkit.Expect(t, "six ids", w.reply(t, "", sixIDs...), 413, "too_many_files")
	// Several uploads together may not exceed 25 MiB either.
	r1, _ := streamUpload(t, w.op, "/api/v1/attachments", 20_000_000)
	r2, _ := streamUpload(t, w.op, "/api/v1/attachments", 6_214_401)
	var u1, u2 []testkit.Uploaded
	r1.Decode(t, &u1)
	r2.Decode(t, &u2)
	testkit.Expect(t, "two uploads over 25 MiB in one message", w.reply(t, "", u1[0].ID, u2[0].ID), 413, "too_large")

	// The visitor sends an image with text; the operator sees it.
	png := pngBytes()
	vup := w.visitor.MustUpload("/api/v1/widget/attachments", testkit.File{Name: "фото.png", Content: png})
	var vm fileMessage
	w.visitor.Must("POST", "/api/v1/widget/messages", map[string]any{"client_id": testkit.Unique("v"), "text": "вот", "attachment_ids": []string{vup[0].ID, vis[0].ID}}, &vm)
	if len(vm.Attachments) != 2 || vm.Attachments[0].URL != "/api/v1/widget/attachments/"+vup[0].ID+"/file" || vm.Attachments[1].ID != vis[0].ID {
		t.Fatalf("visitor message %+v", vm)
	}
	f = opWS.WaitFor("message.created", testkit.OfMessage(vm.ID))
	if !strings.Contains(string(f.Data), `"url":"/api/v1/attachments/`+vup[0].ID+`"`) {
		t.Errorf("operator event of the visitor's image: %s", f.Data)
	}
	if r, _ := download(t, w.op, "/api/v1/attachments/"+vup[0].ID+"?inline=1", nil); r.Status != 200 || !bytes.Equal(r.Body, png) {
		t.Errorf("operator previews the visitor's image: %d", r.Status)
	}
	if r, _ := download(t, stranger, "/api/v1/widget/attachments/"+vup[0].ID+"/file", nil); r.Status != 404 {
		t.Errorf("another visitor reads the image: %d", r.Status)
	}
}

// pngBytes is a real 1×1 PNG.
func pngBytes() []byte {
	return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
		"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
}

// TestAttachmentHeaders: downloads are attachments with the name in RFC 5987 form, never
// sniffed, sandboxed; inline previews only for real raster images.
func TestAttachmentHeaders(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	w := buildFileWorld(t, env)
	html := []byte("<html><body><script>alert(document.cookie)</script></body></html>")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>`)
	up := w.op.MustUpload("/api/v1/attachments",
		testkit.File{Name: "Отчёт за май.png", Content: pngBytes()},
		testkit.File{Name: "evil.png", Content: html},
		testkit.File{Name: "logo.svg", Content: svg},
		testkit.File{Name: "page.html", Content: html},
		testkit.File{Name: "data.csv", Content: []byte("a,b\n1,2\n")})
	testkit.Expect(t, "send", w.reply(t, "файлы", ids(up)...), 201, "")
	get := func(id, query string, header http.Header) (testkit.Response, http.Header) {
		return download(t, w.op, "/api/v1/attachments/"+id+query, header)
	}
	r, h := get(up[0].ID, "", nil)
	if r.Status != 200 {
		t.Fatalf("download: %d %s", r.Status, r.Body)
	}
	wantDisp := `attachment; filename="____________.png"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82_%D0%B7%D0%B0_%D0%BC%D0%B0%D0%B9.png`
	if got := h.Get("Content-Disposition"); got != wantDisp {
		t.Errorf("Content-Disposition %q, want %q", got, wantDisp)
	}
	if _, params, err := mime.ParseMediaType(h.Get("Content-Disposition")); err != nil || params["filename"] != "Отчёт_за_май.png" {
		t.Errorf("the header does not decode to the name: %v %v", params, err)
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox",
		"Content-Type": "application/octet-stream", "Content-Length": fmt.Sprint(len(pngBytes()))} {
		if h.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, h.Get(k), v)
		}
	}
	// Inline only for the real PNG.
	r, h = get(up[0].ID, "?inline=1", nil)
	if r.Status != 200 || h.Get("Content-Type") != "image/png" || !strings.HasPrefix(h.Get("Content-Disposition"), "inline;") {
		t.Errorf("real PNG inline: %d %s %s", r.Status, h.Get("Content-Type"), h.Get("Content-Disposition"))
	}
	for i, what := range []string{"", "HTML named .png", "SVG", "HTML", "CSV"} {
		if i == 0 {
			continue
		}
		r, h = get(up[i].ID, "?inline=1", nil)
		if r.Status != 200 || h.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
			t.Errorf("%s with ?inline=1: %d %q %q", what, r.Status, h.Get("Content-Type"), h.Get("Content-Disposition"))
		}
	}
	// Range requests.
	r, h = get(up[4].ID, "", http.Header{"Range": {"bytes=2-4"}})
	if r.Status != 206 || string(r.Body) != "b\n1" || h.Get("Content-Range") != "bytes 2-4/8" {
		t.Errorf("range: %d %q %q", r.Status, r.Body, h.Get("Content-Range"))
	}
	// The visitor's downloads carry the same headers, and CORS for the widget.
	r, h = download(t, w.visitor, "/api/v1/widget/attachments/"+up[1].ID+"/file?inline=1", http.Header{"Origin": {"https://shop.example"}})
	if r.Status != 200 || h.Get("Content-Type") != "application/octet-stream" || h.Get("Access-Control-Allow-Origin") != "https://shop.example" {
		t.Errorf("visitor download: %d %q %q", r.Status, h.Get("Content-Type"), h.Get("Access-Control-Allow-Origin"))
	}
	pre, h := (&testkit.Client{T: t, Base: env.URL}).Send("OPTIONS", "/api/v1/widget/attachments", "", nil,
		http.Header{"Origin": {"https://shop.example"}, "Access-Control-Request-Method": {"POST"}})
	if pre.Status != 204 || h.Get("Access-Control-Allow-Headers") != "Authorization, Content-Type" {
		t.Errorf("preflight: %d %v", pre.Status, h)
	}
}

// TestAttachmentRetention: with an injected clock, files expire after the account's
// retention: the message shows them expired, downloads answer 410 gone, the content is
// deleted unless an unexpired attachment shares it; unsent uploads go after 24 hours.
func TestAttachmentRetention(t *testing.T) {
	t.Parallel()
	clock := testkit.NewClock()
	env := testkit.StartWith(t, app.Options{Clock: clock},
		// The clock jumps days ahead: sessions and visitor tokens must outlive the jumps; the
		// test sweeps files itself, at the moments it checks.
		func(c *config.Config) {
			c.SessionIdle, c.VisitorTokenTTL, c.FileSweepInterval = 365*24*time.Hour, 365*24*time.Hour, 365*24*time.Hour
		})
	w := buildFileWorld(t, env)
	w.op.WS(false, "").Ready() // connected: the presence sweeper keeps her available while the clock jumps
	w.acct.Admin.Must("PATCH", "/api/v1/admin/settings", map[string]any{"file_retention_days": 2}, nil)
	content := []byte("old invoice")
	old := w.op.MustUpload("/api/v1/attachments", testkit.File{Name: "old.txt", Content: content})
	unsent := w.op.MustUpload("/api/v1/attachments", testkit.File{Name: "draft.txt", Content: []byte("draft")})
	testkit.Expect(t, "send old", w.reply(t, "", old[0].ID), 201, "")
	sha := shaPath(t, env, content)

	clock.Advance(25 * time.Hour)
	// The same content uploaded later: a new attachment sharing the stored content.
	fresh := w.op.MustUpload("/api/v1/attachments", testkit.File{Name: "new.txt", Content: content})
	testkit.Expect(t, "send fresh", w.reply(t, "", fresh[0].ID), 201, "")
	if err := env.App.SweepFiles(context.Background()); err != nil {
		t.Fatal(err)
	}
	// After a day: the unsent upload is gone, the sent one is not expired yet.
	r, _ := download(t, w.op, "/api/v1/attachments/"+unsent[0].ID, nil)
	testkit.Expect(t, "unsent upload after 25 hours", r, 404, "not_found")
	testkit.Expect(t, "send the swept upload", w.reply(t, "", unsent[0].ID), 400, "invalid_input")
	if r, _ := download(t, w.op, "/api/v1/attachments/"+old[0].ID, nil); r.Status != 200 {
		t.Fatalf("file within retention: %d", r.Status)
	}

	clock.Advance(24 * time.Hour) // old: 49 h > 2 days; fresh: 24 h
	if err := env.App.SweepFiles(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, _ = download(t, w.op, "/api/v1/attachments/"+old[0].ID, nil)
	testkit.Expect(t, "expired file", r, 410, "gone")
	if !strings.Contains(r.Code()+string(r.Body), "old.txt") {
		t.Errorf("410 message does not name the file: %s", r.Body)
	}
	r, _ = download(t, w.visitor, "/api/v1/widget/attachments/"+old[0].ID+"/file", nil)
	testkit.Expect(t, "expired file (visitor)", r, 410, "gone")
	var page struct{ Items []fileMessage }
	w.op.Must("GET", "/api/v1/conversations/"+w.conv+"/messages", nil, &page)
	expired := map[string]bool{}
	for _, m := range page.Items {
		for _, a := range m.Attachments {
			expired[a.ID] = a.Expired
		}
	}
	if !expired[old[0].ID] || expired[fresh[0].ID] {
		t.Errorf("expired flags %v", expired)
	}
	w.visitor.Must("GET", "/api/v1/widget/messages", nil, &page)
	for _, m := range page.Items {
		for _, a := range m.Attachments {
			if a.ID == old[0].ID && !a.Expired {
				t.Errorf("widget history shows the expired file as available")
			}
		}
	}
	// The content is shared with the fresh attachment, so it stays...
	if _, err := os.Stat(sha); err != nil {
		t.Fatalf("shared content deleted: %v", err)
	}
	if r, _ := download(t, w.op, "/api/v1/attachments/"+fresh[0].ID, nil); r.Status != 200 || !bytes.Equal(r.Body, content) {
		t.Fatalf("fresh file: %d", r.Status)
	}
	// ...until that one expires too.
	clock.Advance(25 * time.Hour)
	if err := env.App.SweepFiles(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, _ = download(t, w.op, "/api/v1/attachments/"+fresh[0].ID, nil)
	testkit.Expect(t, "second expired file", r, 410, "gone")
	if _, err := os.Stat(sha); !os.IsNotExist(err) {
		t.Fatalf("content of expired files kept: %v", err)
	}
}

// shaPath is where the disk storage keeps content.
func shaPath(t *testing.T, env *testkit.Env, content []byte) string {
	t.Helper()
	d, err := attachment.NewDisk(filepath.Join(env.Dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	hs, err := d.Hashes()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		b, _ := os.ReadFile(filepath.Join(env.Dir, "files", h[:2], h[2:4], h))
		if bytes.Equal(b, content) {
			return filepath.Join(env.Dir, "files", h[:2], h[2:4], h)
		}
	}
	t.Fatalf("content %q not stored", content)
	return ""
}

// TestHugePictureNotPreviewed: the dimensions of a picture are read at upload; one above the
// inline limit (a 30,000 × 30,000 PNG) is marked not to be previewed, in the upload answer
// and in the history, while a small one is.
func TestHugePictureNotPreviewed(t *testing.T) {
	env := testkit.Start(t)
	w := buildFileWorld(t, env)
	huge := testkit.HugePNG(t, 30000, 30000)
	var up []struct {
		ID            string
		Width, Height int
		Preview       bool
	}
	r := w.visitor.Upload("/api/v1/widget/attachments", testkit.File{Name: "huge.png", Content: huge}, testkit.File{Name: "dot.png", Content: testkit.HugePNG(t, 40, 30)})
	r.Decode(t, &up)
	if len(up) != 2 || up[0].Width != 30000 || up[0].Height != 30000 || up[0].Preview || up[1].Width != 40 || !up[1].Preview {
		t.Fatalf("upload answer %s", r.Body)
	}
	w.visitor.Must("POST", "/api/v1/widget/messages", map[string]any{"client_id": testkit.Unique("v"), "text": "",
		"attachment_ids": []string{up[0].ID, up[1].ID}}, nil)
	var page struct {
		Items []struct {
			Attachments []struct {
				Width   int
				Preview bool
			}
		}
	}
	w.op.Must("GET", "/api/v1/conversations/"+w.conv+"/messages", nil, &page)
	if a := page.Items[0].Attachments; len(a) != 2 || a[0].Width != 30000 || a[0].Preview || !a[1].Preview {
		t.Fatalf("history attachments %+v", a)
	}
}
