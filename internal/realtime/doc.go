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
// Typing indicators are ephemeral: they carry no cursor and are never replayed.
//
// The hub also knows who is connected, which the presence sweeper uses: an operator whose
// last connection has been gone for the grace period becomes offline.
package realtime
