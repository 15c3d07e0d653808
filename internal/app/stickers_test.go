package app_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"livedesk/internal/testkit"
)

// Integration tests of stickers (DESIGN §2.7, docs/stickers.md): livedesk's own pack, packs
// admins upload, sticker messages in both directions, pictures and their headers.

type stickerPack struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Builtin  bool   `json:"builtin"`
	Stickers []struct {
		ID, Name, URL string
	} `json:"stickers"`
}

type stickerMessage struct {
	testkit.Message
	StickerID string `json:"sticker_id"`
	Sticker   *struct {
		ID, Name, URL string
	} `json:"sticker"`
}

func stickerPacks(t *testing.T, c *testkit.Client, path string) []stickerPack {
	t.Helper()
	var out struct{ Items []stickerPack }
	c.Must("GET", path, nil, &out)
	return out.Items
}

func TestStickersDefaultPackAndMessages(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	op := a.Operator("Анна", "operator", 5, "available")
	a.Admin.SetStatus("pause")
	v := env.Visitor(key, "Гость")
	conv := v.Say("Здравствуйте").ConversationID

	packs := stickerPacks(t, op, "/api/v1/sticker-packs")
	if len(packs) != 1 || packs[0].ID != "livedesk" || !packs[0].Builtin || len(packs[0].Stickers) < 16 {
		t.Fatalf("operator packs: %+v", packs)
	}
	first := packs[0].Stickers[0]
	if first.URL != "/api/v1/stickers/"+first.ID {
		t.Errorf("operator URL %q", first.URL)
	}
	vpacks := stickerPacks(t, v, "/api/v1/widget/sticker-packs")
	if len(vpacks) != 1 || vpacks[0].Stickers[0].URL != "/api/v1/widget/stickers/"+first.ID+"/image" {
		t.Fatalf("visitor packs: %+v", vpacks)
	}

	// The pictures: SVG as an image under a policy that runs nothing, cached, with an ETag.
	for _, c := range []struct {
		who  *testkit.Client
		path string
	}{{op, first.URL}, {v, vpacks[0].Stickers[0].URL}} {
		r, h := c.who.Send("GET", c.path, "", nil, nil)
		if r.Status != 200 || h.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(r.Body, []byte("<svg")) {
			t.Fatalf("GET %s: %d %s %.60s", c.path, r.Status, h.Get("Content-Type"), r.Body)
		}
		if got := h.Get("Content-Security-Policy"); got != "default-src 'none'; style-src 'unsafe-inline'" {
			t.Errorf("GET %s: CSP %q", c.path, got)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Cache-Control"), "max-age=") || h.Get("ETag") == "" {
			t.Errorf("GET %s: headers %v", c.path, h)
		}
		r2, _ := c.who.Send("GET", c.path, "", nil, http.Header{"If-None-Match": {h.Get("ETag")}})
		if r2.Status != 304 {
			t.Errorf("GET %s with its ETag: %d", c.path, r2.Status)
		}
	}
	if r, _ := op.Send("GET", "/api/v1/stickers/livedesk-nope", "", nil, nil); r.Status != 404 || r.Code() != "not_found" {
		t.Errorf("unknown sticker: %d %s", r.Status, r.Body)
	}
	if r, _ := (&testkit.Client{T: t, Base: env.URL}).Send("GET", first.URL, "", nil, nil); r.Status != 401 {
		t.Errorf("picture without a session: %d", r.Status)
	}

	// The operator sends a sticker: kind sticker, empty text, the sticker with its name.
	var sent stickerMessage
	cid := testkit.Unique("st")
	op.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": cid, "sticker_id": "livedesk-spasibo"}, &sent)
	if sent.Kind != "sticker" || sent.Text != "" || sent.StickerID != "livedesk-spasibo" || sent.Sticker == nil ||
		sent.Sticker.Name != "Спасибо!" || sent.Sticker.URL != "/api/v1/stickers/livedesk-spasibo" {
		t.Fatalf("sent: %+v %+v", sent, sent.Sticker)
	}
	// The same client id again answers the same message, sticker included.
	var again stickerMessage
	op.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": cid, "sticker_id": "livedesk-spasibo"}, &again)
	if again.ID != sent.ID || again.Sticker == nil || again.Sticker.Name != "Спасибо!" {
		t.Errorf("repeated send: %+v", again)
	}
	if c := op.Conversation(conv); c.LastMessage == nil || c.LastMessage.Text != "Стикер «Спасибо!»" {
		t.Errorf("list preview: %+v", c.LastMessage)
	}
	// The visitor sees it with the widget's picture URL.
	var vh struct{ Items []stickerMessage }
	v.Must("GET", "/api/v1/widget/messages", nil, &vh)
	found := false
	for _, m := range vh.Items {
		if m.ID == sent.ID {
			found = true
			if m.Sticker == nil || m.Sticker.URL != "/api/v1/widget/stickers/livedesk-spasibo/image" || m.Sticker.Name != "Спасибо!" {
				t.Errorf("visitor sees %+v", m.Sticker)
			}
		}
	}
	if !found {
		t.Fatalf("the visitor's history has no sticker: %+v", vh.Items)
	}

	// The visitor sends one with text; the operator's history shows it.
	var vs stickerMessage
	v.Must("POST", "/api/v1/widget/messages", map[string]any{"client_id": testkit.Unique("vs"), "sticker_id": "livedesk-privet", "text": "и ещё"}, &vs)
	if vs.Kind != "sticker" || vs.Text != "и ещё" || vs.Sticker == nil || !strings.HasPrefix(vs.Sticker.URL, "/api/v1/widget/stickers/") {
		t.Errorf("visitor sent: %+v %+v", vs, vs.Sticker)
	}
	var oh struct{ Items []stickerMessage }
	op.Must("GET", "/api/v1/conversations/"+conv+"/messages", nil, &oh)
	if len(oh.Items) == 0 || oh.Items[0].ID != vs.ID || oh.Items[0].Sticker == nil || oh.Items[0].Sticker.URL != "/api/v1/stickers/livedesk-privet" {
		t.Errorf("operator history: %+v", oh.Items)
	}

	// Refused: unknown sticker, a sticker with files.
	for _, body := range []map[string]any{
		{"client_id": testkit.Unique("x"), "sticker_id": "livedesk-nope"},
		{"client_id": testkit.Unique("x"), "sticker_id": "999999"},
		{"client_id": testkit.Unique("x"), "sticker_id": strings.Repeat("9", 65)},
		{"client_id": testkit.Unique("x"), "sticker_id": "livedesk-ok", "attachment_ids": []string{"1"}},
	} {
		if r := op.Do("POST", "/api/v1/conversations/"+conv+"/messages", body); r.Status != 400 || r.Code() != "invalid_input" {
			t.Errorf("send %v: %d %s", body, r.Status, r.Body)
		}
		if r := v.Do("POST", "/api/v1/widget/messages", body); r.Status != 400 || r.Code() != "invalid_input" {
			t.Errorf("visitor send %v: %d %s", body, r.Status, r.Body)
		}
	}
}

func TestStickersUploadedPacks(t *testing.T) {
	t.Parallel()
	// Tiny valid pictures of each accepted type (only their first bytes are checked).
	pngPic := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 64)...)
	gifPic := append([]byte("GIF89a"), bytes.Repeat([]byte{2}, 64)...)
	webpPic := append([]byte("RIFF\x40\x00\x00\x00WEBPVP8 "), bytes.Repeat([]byte{3}, 64)...)
	env := testkit.Start(t)
	a, b := env.NewAccount(), env.NewAccount()
	_, key := a.ContactPoint("webchat")
	op := a.Operator("Анна", "operator", 5, "available")
	a.Admin.SetStatus("pause")
	v := env.Visitor(key, "Гость")
	conv := v.Say("Здравствуйте").ConversationID

	// Only admins manage packs.
	if r := op.Do("POST", "/api/v1/admin/sticker-packs", map[string]any{"name": "Наши"}); r.Status != 403 {
		t.Errorf("operator creates a pack: %d", r.Status)
	}
	for _, name := range []string{"", "   ", strings.Repeat("я", 65)} {
		if r := a.Admin.Do("POST", "/api/v1/admin/sticker-packs", map[string]any{"name": name}); r.Status != 400 {
			t.Errorf("pack name %q: %d %s", name, r.Status, r.Body)
		}
	}
	var pack stickerPack
	a.Admin.Must("POST", "/api/v1/admin/sticker-packs", map[string]any{"name": " Наши котики "}, &pack)
	if pack.Name != "Наши котики" || pack.Builtin || len(pack.Stickers) != 0 {
		t.Fatalf("pack %+v", pack)
	}
	up := func(c *testkit.Client, packID string, files ...testkit.File) testkit.Response {
		return c.Upload("/api/v1/admin/sticker-packs/"+packID+"/stickers", files...)
	}
	// Only PNG, WebP, GIF by their bytes; at most 512 KiB; nothing stored from a bad batch.
	for _, f := range []testkit.File{
		{Name: "evil.png", Content: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)},
		{Name: "page.gif", Content: []byte("<html><script>alert(1)</script>")},
		{Name: "photo.jpg", Content: []byte("\xff\xd8\xff\xe0\x00\x10JFIF")},
	} {
		if r := up(a.Admin, pack.ID, testkit.File{Name: "good.png", Content: pngPic}, f); r.Status != 400 || r.Code() != "invalid_input" {
			t.Errorf("upload %s: %d %s", f.Name, r.Status, r.Body)
		}
	}
	big := append(append([]byte{}, pngPic...), make([]byte, 512<<10)...)
	if r := up(a.Admin, pack.ID, testkit.File{Name: "big.png", Content: big}); r.Status != 413 || r.Code() != "too_large" {
		t.Errorf("upload 512 KiB + 72 bytes: %d %s", r.Status, r.Body)
	}
	exact := append(append([]byte{}, pngPic...), make([]byte, 512<<10-len(pngPic))...)
	if r := up(a.Admin, pack.ID, testkit.File{Name: "exact.png", Content: exact}); r.Status != 201 {
		t.Errorf("upload of exactly 512 KiB: %d %s", r.Status, r.Body)
	}
	var added struct {
		Items []struct{ ID, Name, URL string }
	}
	r := up(a.Admin, pack.ID, testkit.File{Name: "Мурк.png", Content: pngPic}, testkit.File{Name: "hop.gif", Content: gifPic}, testkit.File{Name: "zz.webp", Content: webpPic})
	if r.Status != 201 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &added)
	if len(added.Items) != 3 || added.Items[0].Name != "Мурк" || added.Items[0].URL != "/api/v1/stickers/"+added.Items[0].ID {
		t.Fatalf("added %+v", added.Items)
	}
	// 64 per pack: 4 are in, 60 more fit, 61 do not.
	many := make([]testkit.File, 61)
	for i := range many {
		many[i] = testkit.File{Name: "s.png", Content: pngPic}
	}
	if r := up(a.Admin, pack.ID, many...); r.Status != 409 || r.Code() != "limit_reached" {
		t.Errorf("65th sticker: %d %s", r.Status, r.Body)
	}
	if r := up(a.Admin, pack.ID, many[:60]...); r.Status != 201 {
		t.Errorf("64th sticker: %d %s", r.Status, r.Body)
	}

	// Pictures: their raster type, cached for good, never SVG.
	for i, want := range []string{"image/png", "image/gif", "image/webp"} {
		rr, h := op.Send("GET", added.Items[i].URL, "", nil, nil)
		if rr.Status != 200 || h.Get("Content-Type") != want || !strings.Contains(h.Get("Cache-Control"), "immutable") ||
			h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("GET %s: %d %v", added.Items[i].URL, rr.Status, h)
		}
	}

	// Both apps list the pack after livedesk's own; both directions can send from it.
	packs := stickerPacks(t, op, "/api/v1/sticker-packs")
	if len(packs) != 2 || packs[1].ID != pack.ID || len(packs[1].Stickers) != 64 {
		t.Fatalf("packs: %d %+v", len(packs), packs[len(packs)-1].Name)
	}
	var adminList struct {
		Items  []stickerPack
		Limits map[string]int
	}
	a.Admin.Must("GET", "/api/v1/admin/sticker-packs", nil, &adminList)
	if len(adminList.Items) != 1 || adminList.Limits["max_image_bytes"] != 512<<10 || adminList.Limits["max_stickers_per_pack"] != 64 {
		t.Errorf("admin list: %+v", adminList)
	}
	murk := added.Items[0]
	var sent stickerMessage
	op.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "sticker_id": murk.ID}, &sent)
	if sent.Sticker == nil || sent.Sticker.Name != "Мурк" {
		t.Fatalf("sent %+v", sent)
	}
	var vsent stickerMessage
	v.Must("POST", "/api/v1/widget/messages", map[string]any{"client_id": testkit.Unique("m"), "sticker_id": added.Items[1].ID}, &vsent)
	if vsent.Sticker == nil || vsent.Sticker.URL != "/api/v1/widget/stickers/"+added.Items[1].ID+"/image" {
		t.Fatalf("visitor sent %+v", vsent)
	}
	if rr, h := v.Send("GET", vsent.Sticker.URL, "", nil, nil); rr.Status != 200 || h.Get("Content-Type") != "image/gif" {
		t.Errorf("visitor picture: %d %v", rr.Status, h)
	}

	// Another account: cannot see, send, change or delete any of it.
	bop := b.Operator("Борис", "operator", 5, "available")
	_, bkey := b.ContactPoint("webchat")
	b.Admin.SetStatus("pause")
	bv := env.Visitor(bkey, "Чужой")
	bconv := bv.Say("Привет").ConversationID
	if got := stickerPacks(t, bop, "/api/v1/sticker-packs"); len(got) != 1 {
		t.Errorf("B lists %d packs", len(got))
	}
	if r := bop.Do("POST", "/api/v1/conversations/"+bconv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "sticker_id": murk.ID}); r.Status != 400 || r.Code() != "invalid_input" {
		t.Errorf("B sends A's sticker: %d %s", r.Status, r.Body)
	}
	if r := bv.Do("POST", "/api/v1/widget/messages", map[string]any{"client_id": testkit.Unique("m"), "sticker_id": murk.ID}); r.Status != 400 {
		t.Errorf("B's visitor sends A's sticker: %d %s", r.Status, r.Body)
	}
	if rr, _ := bop.Send("GET", murk.URL, "", nil, nil); rr.Status != 404 {
		t.Errorf("B reads A's picture: %d", rr.Status)
	}
	if rr, _ := bv.Send("GET", "/api/v1/widget/stickers/"+murk.ID+"/image", "", nil, nil); rr.Status != 404 {
		t.Errorf("B's visitor reads A's picture: %d", rr.Status)
	}
	if r := up(b.Admin, pack.ID, testkit.File{Name: "x.png", Content: pngPic}); r.Status != 404 {
		t.Errorf("B uploads into A's pack: %d %s", r.Status, r.Body)
	}
	if r := b.Admin.Do("DELETE", "/api/v1/admin/sticker-packs/"+pack.ID, nil); r.Status != 404 {
		t.Errorf("B deletes A's pack: %d %s", r.Status, r.Body)
	}
	if r := a.Admin.Do("DELETE", "/api/v1/admin/sticker-packs/livedesk", nil); r.Status != 404 {
		t.Errorf("deleting livedesk's own pack: %d %s", r.Status, r.Body)
	}

	// Deleting the pack: gone from the pickers, cannot be sent, the history still shows it.
	if r := a.Admin.Do("DELETE", "/api/v1/admin/sticker-packs/"+pack.ID, nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if got := stickerPacks(t, op, "/api/v1/sticker-packs"); len(got) != 1 {
		t.Errorf("after delete %d packs", len(got))
	}
	if r := op.Do("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("m"), "sticker_id": murk.ID}); r.Status != 400 {
		t.Errorf("send from a deleted pack: %d %s", r.Status, r.Body)
	}
	var oh struct{ Items []stickerMessage }
	op.Must("GET", "/api/v1/conversations/"+conv+"/messages", nil, &oh)
	names := map[string]string{}
	for _, m := range oh.Items {
		if m.Sticker != nil {
			names[m.Sticker.ID] = m.Sticker.Name
		}
	}
	if names[murk.ID] != "Мурк" {
		t.Errorf("history after delete: %v", names)
	}
	if rr, _ := op.Send("GET", murk.URL, "", nil, nil); rr.Status != 200 {
		t.Errorf("picture after delete: %d", rr.Status)
	}
}
