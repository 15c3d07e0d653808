package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/nodetest"
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
	bin := nodetest.Binary(t) // built once for the package's tests
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

	base, stop := startServe(t, bin, data)
	var token string
	{
		var login struct {
			Token string `json:"token"`
		}
		(&testkit.Client{T: t, Base: base}).Must("POST", "/api/v1/auth/login", map[string]any{"email": "admin@crash.test", "password": "password1"}, &login)
		token = login.Token
	}
	var cp struct {
		Key string `json:"key"`
	}
	(&testkit.Client{T: t, Base: base, Token: token}).Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Сайт", "channel": "webchat"}, &cp)
	const visitors = 6
	tokens := make([]string, visitors)
	for i := range tokens {
		var s struct {
			Token string `json:"visitor_token"`
		}
		(&testkit.Client{T: t, Base: base}).Must("POST", "/api/v1/widget/"+cp.Key+"/session", map[string]any{"name": "Гость " + strconv.Itoa(i)}, &s)
		tokens[i] = s.Token
	}

	acked := map[string]string{} // client_id → message id, over all rounds
	var unacked []unackedSend    // sends with no answer when the server died
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
					s := unackedSend{visitor: v, clientID: fmt.Sprintf("crash-r%d-v%d-%d", round, v, i)}
					id, err := sendAcked(base, tokens[v], s.clientID)
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

		base, stop = startServe(t, bin, data)
		verifyAcked(t, base, tokens, acked)
		// A client retries what got no answer, with the same client_id: each is stored at
		// most once (it may or may not have been committed before the kill).
		for _, s := range unacked {
			id, err := sendAcked(base, tokens[s.visitor], s.clientID)
			if err != nil {
				t.Fatalf("retry %s after restart: %v", s.clientID, err)
			}
			acked[s.clientID] = id
		}
		unacked = nil
		verifyAcked(t, base, tokens, acked)
	}
	stop(false)
}

type unackedSend struct {
	visitor  int
	clientID string
}

// startServe runs `livedesk serve` on a kernel-picked port and returns its base URL (read from
// the "livedesk listening" log line) and a stop function (kill: SIGKILL, else SIGTERM).
func startServe(t *testing.T, bin, data string) (string, func(kill bool)) {
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

// sendAcked sends one visitor message and returns its id on a 2xx answer. It never fails
// the test (the sending goroutines call it while the server is killed).
func sendAcked(base, token, clientID string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := &testkit.Client{Base: base, Token: token}
	r, err := c.TryDo(ctx, "POST", "/api/v1/widget/messages", map[string]any{"client_id": clientID, "text": "сообщение " + clientID})
	if err != nil {
		return "", err
	}
	if r.Status/100 != 2 {
		return "", fmt.Errorf("%d %s", r.Status, r.Body)
	}
	var m struct {
		ID       string `json:"id"`
		ClientID string `json:"client_id"`
	}
	if err := json.Unmarshal(r.Body, &m); err != nil || m.ID == "" || m.ClientID != clientID {
		return "", fmt.Errorf("answer %s", r.Body)
	}
	return m.ID, nil
}

// verifyAcked reads every visitor's whole history and checks that each acknowledged message
// is there with its id, and that no client_id appears twice.
func verifyAcked(t *testing.T, base string, tokens []string, acked map[string]string) {
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
			(&testkit.Client{T: t, Base: base, Token: tok}).Must("GET", path, nil, &page)
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
