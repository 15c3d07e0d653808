// Package realtime is the WebSocket hub of livedesk for operators and visitors.
//
// Every change a client must see is a stored event with an ordered id, its cursor. The
// store's single writer hands committed events to Hub.Publish in commit order, and the hub
// fans each out to the connections whose audience it matches. Each connection has a bounded
// send queue; a client that cannot keep up is disconnected rather than slowing anyone else,
// and it loses nothing: it reconnects with ?cursor=<last seen> and the hub replays from the
// event log what it missed, in order, before switching it to live delivery (live events that
// arrive during the replay are held and sent after it, without duplicates). When the log no
// longer holds the cursor, the client is sent {"type":"resync"} and must reload its state.
//
// Typing indicators are ephemeral: they carry no cursor and are never replayed. A client's
// typing frame is forwarded only when the sender may write in the conversation (access.go),
// at most once per connection and conversation per Options.TypingInterval.
//
// Handshake problems (a malformed cursor, a request that is not a WebSocket handshake) are
// returned by Serve before upgrading, for the API to answer as JSON errors. When an
// operator's rights change (role change, deactivation, password change) or a session logs
// out, the desk emits an access.revoked event in the same transaction; the hub of every node
// closes the connections it names, and the client reconnects and authenticates again; a
// connection that authenticated before the change is refused when it is added. Who may type
// where is the desk's rule (desk.OperatorTyping, desk.VisitorTyping); the replay reads the
// desk's event log.
//
// The hub also knows who is connected, which the presence sweeper uses: an operator whose
// last connection has been gone for the grace period becomes offline.
package realtime
