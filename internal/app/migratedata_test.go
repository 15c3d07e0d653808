package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/pgtest"
)

// startSQLiteNode runs a single-node livedesk on SQLite in dir, stopped by stopNode (or at
// cleanup).
func startSQLiteNode(t *testing.T, dir string) *testkit.Env {
	t.Helper()
	cfg := config.Default()
	cfg.Listen, cfg.Data, cfg.DB = "127.0.0.1:0", dir, "sqlite:"+filepath.Join(dir, "livedesk.db")
	cfg.BcryptCost, cfg.Synchronous, cfg.SweepInterval = 4, "NORMAL", 50*time.Millisecond
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopNode(a) })
	return &testkit.Env{T: t, App: a, URL: a.URL(), Dir: dir, Cfg: cfg}
}

// closedPort is a loopback address nothing listens on (mail servers that never answer).
func closedPort(t *testing.T) (string, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close()
	return "127.0.0.1", addr.Port
}

// installation is a single-node livedesk on SQLite with some of everything, built through
// its API: what migrate-data must carry over.
type installation struct {
	env         *testkit.Env
	acct        *testkit.Account
	anna, boris *testkit.Client
	visitor     *testkit.Client
	closed      string // Вера's conversation: files, a sticker, a comment, a transfer, closed
	open        string // Глеб's, still with Анна
	mail        string // an email conversation with a reply waiting in the outbox
	files       map[string][]byte
	sticker     string
	stickerPic  []byte
	mailCP      string
}

func newInstallation(t *testing.T, dir string) *installation {
	t.Helper()
	env := startSQLiteNode(t, dir)
	in := &installation{env: env, acct: env.NewAccount(), files: map[string][]byte{}}
	a := in.acct
	_, key := a.ContactPoint("webchat")
	category := a.Category("Оплата")
	a.Category("Доставка")
	in.anna = a.Operator("Анна", "operator", 5, "available")
	in.boris = a.Operator("Борис", "operator", 5, "pause")
	a.Admin.SetStatus("pause")

	// Вера: messages both ways, a file each way, a sticker of the account's own pack, a
	// comment, a transfer to Борис that he accepts, closed with a category.
	in.visitor = env.Visitor(key, "Вера")
	in.closed = in.visitor.Say("Здравствуйте, не пришёл счёт").ConversationID
	invoice := append([]byte("%PDF-1.4 счёт №42\n"), bytes.Repeat([]byte("0123456789"), 3000)...)
	up := in.anna.MustUpload("/api/v1/attachments", testkit.File{Name: "счёт.pdf", Content: invoice})
	in.files[up[0].ID] = invoice
	in.anna.Must("POST", "/api/v1/conversations/"+in.closed+"/messages", map[string]any{"client_id": testkit.Unique("m"),
		"text": "Вот ваш счёт", "attachment_ids": []string{up[0].ID}}, nil)
	photo := testkit.HugePNG(t, 40, 30)
	vup := in.visitor.MustUpload("/api/v1/widget/attachments", testkit.File{Name: "фото.png", Content: photo})
	in.files[vup[0].ID] = photo
	in.visitor.Must("POST", "/api/v1/widget/messages", map[string]any{"client_id": testkit.Unique("v"), "text": "спасибо, вот фото",
		"attachment_ids": []string{vup[0].ID}}, nil)
	var pack struct{ ID string }
	a.Admin.Must("POST", "/api/v1/admin/sticker-packs", map[string]any{"name": "Наши котики"}, &pack)
	in.stickerPic = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 300)...)
	var added struct{ Items []struct{ ID string } }
	r := a.Admin.Upload("/api/v1/admin/sticker-packs/"+pack.ID+"/stickers", testkit.File{Name: "Мурк.png", Content: in.stickerPic})
	if r.Status != 201 {
		t.Fatalf("sticker upload: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &added)
	in.sticker = added.Items[0].ID
	in.anna.Must("POST", "/api/v1/conversations/"+in.closed+"/messages", map[string]any{"client_id": testkit.Unique("m"), "sticker_id": in.sticker}, nil)
	in.anna.Must("POST", "/api/v1/conversations/"+in.closed+"/comments", map[string]any{"client_id": testkit.Unique("c"), "text": "клиент постоянный"}, nil)
	tr := in.anna.MustOffer(in.closed, in.boris.ID, "посмотри оплату", "pending")
	if r := in.boris.TransferAction(tr.ID, "accept"); r.Status != 200 {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	in.boris.Must("POST", "/api/v1/conversations/"+in.closed+"/close", map[string]any{"category_id": category}, nil)

	// Глеб's conversation stays open with Анна.
	in.open = env.Visitor(key, "Глеб").Say("Добрый день").ConversationID

	// Quick messages: the account's in a category, Анна's own with a hotkey.
	var qcat, quick struct{ ID string }
	a.Admin.Must("POST", "/api/v1/admin/quick-message-categories", map[string]any{"name": "Оплата"}, &qcat)
	a.Admin.Must("POST", "/api/v1/admin/quick-messages", map[string]any{"category_id": qcat.ID, "text": "Оплата картой или наличными"}, nil)
	in.anna.Must("POST", "/api/v1/quick-messages", map[string]any{"title": "Привет", "text": "Здравствуйте, {visitor_name}!"}, &quick)
	in.anna.Must("PUT", "/api/v1/quick-messages/"+quick.ID+"/hotkey", map[string]any{"hotkey": "Ctrl+Alt+KeyH"}, nil)

	// A mailbox with its own servers (passwords sealed with the installation's key), and
	// another whose reply waits in the outbox (no relay).
	host, port := closedPort(t)
	var cp struct{ ID string }
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Своя почта", "channel": "email", "settings": map[string]any{
		"address": "support@own.example",
		"imap":    map[string]any{"host": host, "port": port, "security": "none", "username": "support", "password": "imap-Пароль-1"},
		"smtp":    map[string]any{"host": host, "port": port, "security": "none", "username": "support", "password": "smtp-Пароль-2"},
	}}, &cp)
	in.mailCP = cp.ID
	var plain struct{ ID string }
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Почта", "channel": "email",
		"settings": map[string]any{"address": "help@shop.example"}}, &plain)
	in.mail = a.EmailConversation(plain.ID, "Письмо: где заказ?")
	in.anna.Must("POST", "/api/v1/conversations/"+in.mail+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "Заказ в пути"}, nil)
	return in
}

// reads are the answers migrate-data must keep exactly, read as the admin and as Анна.
func (in *installation) reads(base string) []testkit.Read {
	admin, anna := *in.acct.Admin, *in.anna
	admin.Base, anna.Base = base, base
	var out []testkit.Read
	for _, conv := range []string{in.closed, in.open, in.mail} {
		out = append(out, testkit.Read{C: &admin, Path: "/api/v1/conversations/" + conv},
			testkit.Read{C: &admin, Path: "/api/v1/conversations/" + conv + "/messages?limit=200"})
	}
	return append(out,
		testkit.Read{C: &admin, Path: "/api/v1/conversations?state=closed"},
		testkit.Read{C: &admin, Path: "/api/v1/admin/operators"},
		testkit.Read{C: &admin, Path: "/api/v1/admin/contact-points"},
		testkit.Read{C: &admin, Path: "/api/v1/admin/conversation-categories"},
		testkit.Read{C: &admin, Path: "/api/v1/admin/quick-messages"},
		testkit.Read{C: &admin, Path: "/api/v1/admin/sticker-packs"},
		testkit.Read{C: &anna, Path: "/api/v1/quick-messages"},
		testkit.Read{C: &anna, Path: "/api/v1/conversations?state=open"},
	)
}

// TestMigrateDataToPostgres moves a single-node installation to PostgreSQL the documented
// way (stop the node, migrate-data, start on PostgreSQL with the files directory and the
// secret key) and checks through the API of a node on the target that nothing changed: the
// same answers for histories, lists and settings, sessions and visitor tokens still valid,
// the files and the sticker byte for byte, the mailbox passwords open; that a new visitor is
// assigned as usual with new ids; and that an operator's cursor from the old node resumes
// with nothing missed, the next event right after it.
func TestMigrateDataToPostgres(t *testing.T) {
	dsn := pgtest.Database(t)
	dir := t.TempDir()
	in := newInstallation(t, dir)
	before := testkit.Snapshot(t, in.reads(in.env.URL)...)
	for _, want := range []string{"счёт.pdf", "фото.png", "клиент постоянный", "Здравствуйте, {visitor_name}!", "Заказ в пути", "Мурк", "password_set"} {
		if !strings.Contains(before, want) {
			t.Fatalf("the answers compared lack %q: %s", want, before)
		}
	}
	ws := in.acct.Admin.WS(false, "")
	cursor := ws.Ready().Cursor
	ws.Close()
	stopNode(in.env.App)

	files := filepath.Join(t.TempDir(), "shared-files")
	rep, err := app.MigrateData(context.Background(), app.MigrateDataOptions{From: dir, To: dsn, Files: files})
	if err != nil {
		t.Fatalf("migrate-data: %v (report %+v)", err, rep)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	t.Logf("report:\n%s", text.String())
	if !rep.OK || !rep.Committed || rep.SourceChanged || len(rep.Errors) != 0 {
		t.Fatalf("report: ok %v committed %v changed %v errors %v", rep.OK, rep.Committed, rep.SourceChanged, rep.Errors)
	}
	rows := map[string]int64{}
	for _, tc := range rep.Tables {
		if !tc.OK {
			t.Errorf("table %+v", tc)
		}
		rows[tc.Table] = tc.TargetRows
	}
	for table, atLeast := range map[string]int64{"accounts": 1, "operators": 3, "sessions": 3, "contact_points": 3, "visitors": 3,
		"conversations": 3, "messages": 8, "attachments": 2, "sticker_packs": 1, "stickers": 1, "transfers": 1,
		"conversation_categories": 2, "quick_messages": 2, "quick_message_hotkeys": 1, "mail_servers": 1, "email_outbox": 1,
		"mailboxes": 2, "events": 20, "meta": 1} {
		if rows[table] < atLeast {
			t.Errorf("%s: %d rows copied, want at least %d", table, rows[table], atLeast)
		}
	}
	if f := rep.Files; f.Referenced != 2 || f.Copied != 2 || f.Verified != 2 || f.InPlace {
		t.Errorf("files %+v, want 2 copied and verified", f)
	}
	if rep.SealedSecrets != 1 || rep.SecretKeyFile != filepath.Join(dir, "secret.key") {
		t.Errorf("sealed %d, key file %q", rep.SealedSecrets, rep.SecretKeyFile)
	}
	if !strings.Contains(text.String(), "result: OK") || !strings.Contains(text.String(), "stickers") {
		t.Errorf("text report:\n%s", text.String())
	}

	// A node on PostgreSQL: another data directory, the shared files, the old key.
	key, err := os.ReadFile(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	env := testkit.Start(t, func(c *config.Config) {
		c.DB, c.Files, c.SecretKey = dsn, files, strings.TrimSpace(string(key))
	})
	if after := testkit.Snapshot(t, in.reads(env.URL)...); after != before {
		t.Fatalf("the API answers differently after the move:\nbefore %s\nafter  %s", before, after)
	}
	admin := env.Login(in.acct.Admin.Email, "password1")
	if admin.ID != in.acct.Admin.ID {
		t.Fatalf("admin logs in as %s, was %s", admin.ID, in.acct.Admin.ID)
	}
	for id, content := range in.files {
		r, _ := admin.Send("GET", "/api/v1/attachments/"+id, "", nil, nil)
		if r.Status != 200 || !bytes.Equal(r.Body, content) {
			t.Errorf("attachment %s: %d, %d bytes, want the %d uploaded", id, r.Status, len(r.Body), len(content))
		}
	}
	if r, _ := admin.Send("GET", "/api/v1/stickers/"+in.sticker, "", nil, nil); r.Status != 200 || !bytes.Equal(r.Body, in.stickerPic) {
		t.Errorf("sticker: %d, %d bytes", r.Status, len(r.Body))
	}
	v := *in.visitor
	v.Base = env.URL
	if h := v.VisitorHistory(); len(h) < 4 {
		t.Errorf("the visitor's history on the new node: %d messages", len(h))
	}
	cp, err := env.App.Desk.ContactPoint(context.Background(), testkit.ParseID(t, in.acct.ID), testkit.ParseID(t, in.mailCP))
	if err != nil {
		t.Fatal(err)
	}
	servers, err := env.App.Desk.MailServers(context.Background(), cp)
	if err != nil || servers.IMAP == nil || servers.IMAP.Password != "imap-Пароль-1" || servers.SMTP == nil || servers.SMTP.Password != "smtp-Пароль-2" {
		t.Fatalf("mail servers on the new node: %+v, %v", servers, err)
	}

	// The admin's socket resumes from the old node's cursor: not resync; what it replays is
	// what the old node wrote after it (nothing, unless its last moments emitted something),
	// and the first event the new node writes (a new visitor, assigned to Анна as usual, if
	// nothing else) takes the id right after the copy's newest.
	last := int64(rep.Accounts[0].SourceLast)
	old, _ := strconv.ParseInt(cursor, 10, 64)
	ws = admin.WS(false, cursor)
	var firstNew int64
	for {
		f := ws.Next(10 * time.Second)
		if f.Type == "resync" {
			t.Fatalf("resume from the old node's cursor %s: resync", cursor)
		}
		if f.Type == "ready" {
			break
		}
		if seq := f.Seq(t); seq <= old || (seq > last && firstNew == 0 && seq != last+1) {
			t.Fatalf("replayed %s with cursor %d after %d (copy up to %d)", f.Type, seq, old, last)
		} else if seq > last && firstNew == 0 {
			firstNew = seq
		}
	}
	var maxConv int64
	for _, c := range []string{in.closed, in.open, in.mail} {
		maxConv = max(maxConv, int64(testkit.ParseID(t, c)))
	}
	var key2 string
	cps := struct {
		Items []struct{ Key, Channel string }
	}{}
	admin.Must("GET", "/api/v1/admin/contact-points", nil, &cps)
	for _, cp := range cps.Items {
		if cp.Channel == "webchat" {
			key2 = cp.Key
		}
	}
	conv := env.Visitor(key2, "Дина").Say("Я новенькая").ConversationID
	if id := int64(testkit.ParseID(t, conv)); id <= maxConv {
		t.Errorf("new conversation id %d, want after the copied %d", id, maxConv)
	}
	if got := admin.Conversation(conv); got.State != "assigned" || got.AssigneeID != in.anna.ID {
		t.Errorf("new conversation %s assigned to %s, want Анна %s", got.State, got.AssigneeID, in.anna.ID)
	}
	if firstNew == 0 {
		if f := ws.Next(10 * time.Second); f.Seq(t) != last+1 {
			t.Errorf("first event on the new node: %s with cursor %s, want %d", f.Type, f.Cursor, last+1)
		}
	}
}

// TestMigrateDataRefusalsAndMismatches: a target that holds data is refused with nothing
// written; a file a row references that is missing from the source, or whose content is not
// its checksum, fails the move with the file in the report, and the target is left empty (no
// rows, none of the files this run copied) — unless --allow-missing-files accepts the loss.
func TestMigrateDataRefusalsAndMismatches(t *testing.T) {
	dir := t.TempDir()
	env := startSQLiteNode(t, dir)
	acct := env.NewAccount()
	_, key := acct.ContactPoint("webchat")
	anna := acct.Operator("Анна", "operator", 5, "available")
	conv := env.Visitor(key, "Вера").Say("Здравствуйте").ConversationID
	shaOf := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	contents := [][]byte{[]byte("первый файл"), []byte("второй файл, который пропадёт"), []byte("третий, который испортится")}
	var ids []string
	for i, c := range contents {
		up := anna.MustUpload("/api/v1/attachments", testkit.File{Name: "f" + strconv.Itoa(i) + ".txt", Content: c})
		ids = append(ids, up[0].ID)
	}
	anna.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "text": "файлы", "attachment_ids": ids}, nil)
	stopNode(env.App)
	ctx := context.Background()
	srcFiles := filepath.Join(dir, "files")
	path := func(sha string) string { return filepath.Join(srcFiles, sha[:2], sha[2:4], sha) }

	// Into a database that holds data: refused, nothing written.
	full := pgtest.Database(t)
	if _, err := app.MigrateData(ctx, app.MigrateDataOptions{From: dir, To: full, Files: srcFiles}); err != nil {
		t.Fatal(err)
	}
	rep, err := app.MigrateData(ctx, app.MigrateDataOptions{From: dir, To: full, Files: srcFiles})
	if !livedesk.IsCode(err, livedesk.CodeConflict) || rep != nil || !strings.Contains(err.Error(), "already holds livedesk data") {
		t.Fatalf("second move into the same database: %+v, %v", rep, err)
	}
	if n := countRows(t, full, "messages"); n != 2 {
		t.Fatalf("messages after the refusal: %d, want the first move's 2", n)
	}

	// A missing file and a corrupted one: reported, nothing committed, the copies removed.
	missing, spoiled := shaOf(contents[1]), shaOf(contents[2])
	if err := os.Remove(path(missing)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path(spoiled), []byte("испорчено"), 0o600); err != nil {
		t.Fatal(err)
	}
	target, files := pgtest.Database(t), t.TempDir()
	rep, err = app.MigrateData(ctx, app.MigrateDataOptions{From: dir, To: target, Files: files})
	if err == nil || rep == nil || rep.OK || rep.Committed {
		t.Fatalf("move with a missing and a spoiled file: %+v, %v", rep, err)
	}
	if !slices.Equal(rep.Files.Missing, []string{missing}) || len(rep.Files.Mismatched) != 1 || rep.Files.Mismatched[0].SHA256 != spoiled ||
		rep.Files.Verified != 1 || rep.Files.Copied != 1 {
		t.Fatalf("files report %+v", rep.Files)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	for _, want := range []string{"ERROR file " + missing, "ERROR file " + spoiled, "FAILED, nothing committed"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	if n := countRows(t, target, "accounts") + countRows(t, target, "messages") + countRows(t, target, "attachments"); n != 0 {
		t.Fatalf("%d rows in the target after the failed move", n)
	}
	if left := contentFiles(t, files); len(left) != 0 {
		t.Fatalf("files left in the target directory: %v", left)
	}

	// The missing file accepted: committed, still reported, still not a clean exit.
	if err := os.WriteFile(path(spoiled), contents[2], 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err = app.MigrateData(ctx, app.MigrateDataOptions{From: dir, To: target, Files: files, AllowMissingFiles: true})
	if err == nil || rep == nil || !rep.Committed || rep.OK || !slices.Equal(rep.Files.Missing, []string{missing}) || rep.Files.Verified != 2 {
		t.Fatalf("move accepting the missing file: %+v, %v", rep, err)
	}
	if n := countRows(t, target, "attachments"); n != 3 {
		t.Fatalf("attachments after the accepted move: %d", n)
	}
}

func countRows(t *testing.T, dsn, table string) int {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// contentFiles lists the content files (not the tmp directory) under dir.
func contentFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, string(filepath.Separator)+"tmp"+string(filepath.Separator)) {
			out = append(out, p)
		}
		return nil
	})
	return out
}
