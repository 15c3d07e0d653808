package bus_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"livedesk/internal/bus"
	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
)

// natsURL is the machine's NATS (LIVEDESK_TEST_NATS overrides it).
func natsURL() string {
	if u := os.Getenv("LIVEDESK_TEST_NATS"); u != "" {
		return u
	}
	return "nats://127.0.0.1:4222"
}

func connect(t *testing.T, node, namespace string) *bus.Bus {
	t.Helper()
	b, err := bus.Connect(natsURL(), node, namespace, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// TestNamespacesApart: two installations on one NATS server, with the same account and
// event ids (every database counts from 1), hear only their own nodes: a node of the
// other installation gets neither the events nor the typing, while a second node of the
// same installation gets both.
func TestNamespacesApart(t *testing.T) {
	ns := "test" + strconv.FormatInt(time.Now().UnixNano(), 36) // runs on one server never meet
	one, sameInstallation, other := connect(t, "a", ns+"one"), connect(t, "b", ns+"one"), connect(t, "c", ns+"two")
	type got struct {
		events    chan []*livedesk.Event
		ephemeral chan realtime.Ephemeral
	}
	listen := func(b *bus.Bus) got {
		g := got{make(chan []*livedesk.Event, 10), make(chan realtime.Ephemeral, 10)}
		if err := b.Subscribe(func(e []*livedesk.Event) { g.events <- e }, func(e realtime.Ephemeral) { g.ephemeral <- e }); err != nil {
			t.Fatal(err)
		}
		return g
	}
	same, foreign := listen(sameInstallation), listen(other)
	one.PublishEvents([]*livedesk.Event{{ID: 1, AccountID: 1, Type: livedesk.EventMessageCreated, Payload: json.RawMessage(`{"text":"secret"}`)}})
	one.PublishEphemeral(realtime.Ephemeral{AccountID: 1, ToOperators: true, Frame: []byte(`{"type":"typing"}`)})
	select {
	case e := <-same.events:
		if len(e) != 1 || e[0].ID != 1 || string(e[0].Payload) != `{"text":"secret"}` {
			t.Fatalf("the same installation's node got %+v", e[0])
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a node of the same installation never got the event")
	}
	select {
	case <-same.ephemeral:
	case <-time.After(10 * time.Second):
		t.Fatal("a node of the same installation never got the typing")
	}
	// The other installation's node: nothing, once the same installation's node (subscribed
	// alike, on the same server) has had it all.
	select {
	case e := <-foreign.events:
		t.Fatalf("another installation's node got %+v", e[0])
	case e := <-foreign.ephemeral:
		t.Fatalf("another installation's node got typing %s", e.Frame)
	case <-time.After(500 * time.Millisecond):
	}
}

// TestNamespaceChecked: a namespace that is not one subject token is refused.
func TestNamespaceChecked(t *testing.T) {
	for _, ns := range []string{"", "a.b", "a*", ">", "a b"} {
		if b, err := bus.Connect(natsURL(), "n", ns, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil {
			b.Close()
			t.Errorf("namespace %q accepted", ns)
		}
	}
}
