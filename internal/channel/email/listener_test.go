package email

import (
	"context"
	"net"
	"testing"
	"time"
)

func acceptOne(t *testing.T) (server *sessionConn, client net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := newLimitListener(ln, Limits{}.withDefaults())
	t.Cleanup(func() { l.Close() })
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	c, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*sessionConn), client
}

// TestWatchCancelsWhenClientLeaves: a mail being processed is abandoned when its client
// closes the connection (issue 13, item 1: parsing went on after the client disconnected).
func TestWatchCancelsWhenClientLeaves(t *testing.T) {
	sc, client := acceptOne(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := sc.watch(cancel)
	defer stop()
	client.Close()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("processing was not cancelled when the client went away")
	}
}

// TestWatchKeepsPipelinedCommands: what the client sends meanwhile is neither lost nor taken
// for a disconnect.
func TestWatchKeepsPipelinedCommands(t *testing.T) {
	sc, client := acceptOne(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := sc.watch(cancel)
	if _, err := client.Write([]byte("QUIT\r\n")); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		sc.mu.Lock()
		n := len(sc.pending)
		sc.mu.Unlock()
		if n == 6 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the pipelined command was not read")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if ctx.Err() != nil {
		t.Fatal("a pipelined command was taken for a disconnect")
	}
	b := make([]byte, 16)
	n, err := sc.Read(b)
	if err != nil || string(b[:n]) != "QUIT\r\n" {
		t.Fatalf("read %q, %v after the watch; want the pipelined QUIT", b[:n], err)
	}
}
