package app_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestCrashKeepsAcknowledged (DESIGN §3 «writes that a client is told succeeded are
// committed»): the real binary is killed with SIGKILL in the middle of a burst of visitor
// messages from several goroutines; after a restart on the same data directory, every
// message that had been acknowledged (2xx) is in the history, exactly once, and retrying
// the unacknowledged ones with their client_id stores each at most once. Three rounds on the
// same data.
func TestCrashKeepsAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test builds and runs the livedesk binary; skipped with -short")
	}
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "livedesk")
	build := exec.Command("go", "build", "-o", bin, "livedesk/cmd/livedesk")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	out, err := exec.Command(bin, "account", "create", "--data", data, "--bcrypt-cost", "4", "--name", "Crash",
		"--admin-email", "admin@crash.test", "--admin-password", "password1").Output()
	if err != nil {
		t.Fatalf("account create: %v", err)
	}
	var acct struct {
		AccountID string `json:"account_id"`
	}
	if json.Unmarshal(out, &acct) != nil || acct.AccountID == "" {
		t.Fatalf("account create printed %q", out)
	}

	base, stop := crStart(t, bin, data)
	var token string
	{
		var login struct {
			Token string `json:"token"`
		}
		crMust(t, base, "", "POST", "/api/v1/auth/login", map[string]any{"email": "admin@crash.test", "password": "password1"}, &login)
		token = login.Token
	}
	var cp struct {
		Key string `json:"key"`
	}
	crMust(t, base, token, "POST", "/api/v1/admin/contact-points", map[string]any{"name": "Сайт", "channel": "webchat"}, &cp)
	const visitors = 6
	tokens := make([]string, visitors)
	for i := range tokens {
		var s struct {
			Token string `json:"visitor_token"`
		}
		crMust(t, base, "", "POST", "/api/v1/widget/"+cp.Key+"/session", map[string]any{"name": "Гость " + strconv.Itoa(i)}, &s)
		tokens[i] = s.Token
	}

	acked := map[string]string{} // client_id → message id, over all rounds
	var unacked []crSend         // sends with no answer when the server died
	for round := range 3 {
		var mu sync.Mutex
		var count, failed atomic.Int64
		var wg sync.WaitGroup
		quit := make(chan struct{})
		for v := range visitors {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-quit:
						return
					default:
					}
					s := crSend{visitor: v, clientID: fmt.Sprintf("crash-r%d-v%d-%d", round, v, i)}
					id, err := crPost(base, tokens[v], s.clientID)
					mu.Lock()
					if err == nil {
						acked[s.clientID] = id
						count.Add(1)
					} else {
						unacked = append(unacked, s)
					}
					mu.Unlock()
					if err != nil {
						failed.Add(1)
						return // the server is gone
					}
				}
			})
		}
		// Kill -9 mid-burst, once a good number of sends were acknowledged.
		for count.Load() < 150 {
			if failed.Load() == visitors {
				t.Fatalf("round %d: every visitor's sending failed before the kill: %v", round, unacked)
			}
			time.Sleep(2 * time.Millisecond)
		}
		stop(true)
		close(quit)
		wg.Wait()
		t.Logf("round %d: %d acknowledged, %d without an answer when killed", round, count.Load(), len(unacked))

		base, stop = crStart(t, bin, data)
		crVerify(t, base, tokens, acked)
		// A client retries what got no answer, with the same client_id: each is stored at
		// most once (it may or may not have been committed before the kill).
		for _, s := range unacked {
			id, err := crPost(base, tokens[s.visitor], s.clientID)
			if err != nil {
				t.Fatalf("retry %s after restart: %v", s.clientID, err)
			}
			acked[s.clientID] = id
		}
		unacked = nil
		crVerify(t, base, tokens, acked)
	}
	stop(false)
}

type crSend struct {
	visitor  int
	clientID string
}

// crStart runs `livedesk serve` on a kernel-picked port and returns its base URL (read from
// the "livedesk listening" log line) and a stop function (kill: SIGKILL, else SIGTERM).
func crStart(t *testing.T, bin, data string) (string, func(kill bool)) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--listen", "127.0.0.1:0", "--bcrypt-cost", "4", "--log-format", "text",
		// Six visitors send as fast as they are answered, from one address: far above the
		// per-address limit that protects a real server, which this test is not about.
		"--visitor-messages-per-minute", "1000000")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	var logTail bytes.Buffer
	var logMu sync.Mutex
	go func() {
		re := regexp.MustCompile(`msg="livedesk listening" url=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logMu.Lock()
			logTail.WriteString(sc.Text() + "\n")
			logMu.Unlock()
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	stop := func(kill bool) {
		if stopped {
			return
		}
		stopped = true
		if kill {
			cmd.Process.Kill()
		} else {
			cmd.Process.Signal(syscall.SIGTERM)
		}
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	t.Cleanup(func() { stop(true) })
	select {
	case u := <-urls:
		return u, stop
	case err := <-exited:
		logMu.Lock()
		defer logMu.Unlock()
		t.Fatalf("livedesk serve exited (%v):\n%s", err, logTail.String())
	case <-time.After(30 * time.Second):
		t.Fatal("livedesk serve did not report its address")
	}
	return "", nil
}

// crPost sends one visitor message; it returns the message id on a 2xx answer.
func crPost(base, token, clientID string) (string, error) {
	b, _ := json.Marshal(map[string]any{"client_id": clientID, "text": "сообщение " + clientID})
	req, _ := http.NewRequest("POST", base+"/api/v1/widget/messages", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("%d %s", resp.StatusCode, body)
	}
	var m struct {
		ID       string `json:"id"`
		ClientID string `json:"client_id"`
	}
	if err := json.Unmarshal(body, &m); err != nil || m.ID == "" || m.ClientID != clientID {
		return "", fmt.Errorf("answer %s", body)
	}
	return m.ID, nil
}

// crMust calls the API and fails unless it answers 2xx.
func crMust(t *testing.T, base, token, method, path string, in, out any) {
	t.Helper()
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// crVerify reads every visitor's whole history and checks that each acknowledged message
// is there with its id, and that no client_id appears twice.
func crVerify(t *testing.T, base string, tokens []string, acked map[string]string) {
	t.Helper()
	found := map[string]string{}
	for _, tok := range tokens {
		before := ""
		for {
			var page struct {
				Items []struct {
					ID       string `json:"id"`
					ClientID string `json:"client_id"`
				} `json:"items"`
				Next *string `json:"next_cursor"`
			}
			path := "/api/v1/widget/messages?limit=200"
			if before != "" {
				path += "&before=" + before
			}
			crMust(t, base, tok, "GET", path, nil, &page)
			for _, m := range page.Items {
				if m.ClientID == "" {
					continue
				}
				if prev, dup := found[m.ClientID]; dup {
					t.Fatalf("client_id %s stored twice: messages %s and %s", m.ClientID, prev, m.ID)
				}
				found[m.ClientID] = m.ID
			}
			if page.Next == nil || len(page.Items) == 0 {
				break
			}
			before = *page.Next
		}
	}
	lost := 0
	for cid, id := range acked {
		if got, ok := found[cid]; !ok || got != id {
			lost++
			if lost <= 5 {
				t.Errorf("acknowledged message %s (%s) after restart: found %q", cid, id, got)
			}
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged messages lost", lost, len(acked))
	}
}
