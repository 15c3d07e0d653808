package app_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"livedesk/internal/config"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/pgtest"
)

// TestClusterDeleteVisitorEverywhere: two nodes on one PostgreSQL, one NATS and one shared
// files directory. A visitor writes with a file through node B while Анна works on node A
// and follows the visitor's pages there; an admin deletes the visitor through node B. On
// node A the conversation, the file and the profile are gone, the file's content is gone
// from the shared directory, and Анна's socket on A hears visitor.deleted.
func TestClusterDeleteVisitorEverywhere(t *testing.T) {
	files := t.TempDir()
	c := &cluster{t: t, db: pgtest.Database(t)}
	shared := func(cfg *config.Config) { cfg.Files = files }
	a, b := c.addWith(c.db, shared), c.addWith(c.db, shared)
	tm := newTeam(t, "Erase", a, b)
	token := tm.signIn(t, a)
	wsA, _ := dialWS(t, a.URL(), "/api/v1/ws", token, "")

	var s struct {
		VisitorToken string `json:"visitor_token"`
		Visitor      struct {
			ID string `json:"id"`
		} `json:"visitor"`
	}
	call(t, b.URL(), "POST", "/api/v1/widget/"+tm.cp.Key+"/session", "", map[string]string{"name": "Удаляемая"}, &s)
	content := []byte("a scan of the visitor's passport, only theirs")
	body, ct := testkit.MultipartBody(t, testkit.File{Name: "passport.txt", Content: content})
	req, _ := http.NewRequest("POST", b.URL()+"/api/v1/widget/attachments", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+s.VisitorToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var up []struct{ ID string }
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 || json.Unmarshal(raw, &up) != nil || len(up) != 1 {
		t.Fatalf("upload through B: %d %s", res.StatusCode, raw)
	}
	var m struct {
		ConversationID string `json:"conversation_id"`
	}
	call(t, b.URL(), "POST", "/api/v1/widget/messages", s.VisitorToken, map[string]any{"client_id": "c1", "text": "Удалите мои данные",
		"attachment_ids": []string{up[0].ID}}, &m)
	call(t, b.URL(), "POST", "/api/v1/widget/profile", s.VisitorToken, map[string]any{
		"pages": []map[string]string{{"url": "https://shop.example/privacy", "title": "Политика"}}}, nil)
	for f := readFrame(t, wsA); f.Type != "visitor.updated"; f = readFrame(t, wsA) {
	}
	sum := sha256.Sum256(content)
	sha := hex.EncodeToString(sum[:])
	onDisk := filepath.Join(files, sha[:2], sha[2:4], sha)
	if _, err := os.Stat(onDisk); err != nil {
		t.Fatalf("the file's content is not in the shared directory: %v", err)
	}
	get := func(base, path string) int {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := get(a.URL(), "/api/v1/attachments/"+up[0].ID); st != 200 {
		t.Fatalf("Анна downloads the file on A: %d", st)
	}

	var login struct{ Token string }
	call(t, b.URL(), "POST", "/api/v1/auth/login", "", map[string]string{"email": tm.admin.Email, "password": clusterPassword}, &login)
	call(t, b.URL(), "DELETE", "/api/v1/admin/visitors/"+s.Visitor.ID, login.Token, nil, nil)

	for f := readFrame(t, wsA); f.Type != "visitor.deleted"; f = readFrame(t, wsA) {
	}
	for path, what := range map[string]string{
		"/api/v1/conversations/" + m.ConversationID:              "the conversation",
		"/api/v1/conversations/" + m.ConversationID + "/visitor": "the profile",
		"/api/v1/attachments/" + up[0].ID:                        "the file",
	} {
		if st := get(a.URL(), path); st != 404 {
			t.Errorf("%s on node A after the deletion on B: %d, want 404", what, st)
		}
	}
	if _, err := os.Stat(onDisk); !os.IsNotExist(err) {
		t.Errorf("the file's content is still in the shared directory: %v", err)
	}
}
