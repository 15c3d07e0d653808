package livedesk

// Event is one change that clients must see, in the order of its ID (the cursor). Who
// receives it is encoded in the audience fields so a resuming client can be replayed
// exactly what it would have received live.
type Event struct {
	ID        ID
	AccountID ID
	Type      string
	// OperatorID and Operator2ID name operators who receive the event (0: none).
	OperatorID  ID
	Operator2ID ID
	// Staff: supervisors and admins of the account receive it.
	Staff bool
	// AllOperators: every operator of the account receives it.
	AllOperators bool
	// AllVisitors: every visitor connected to the account receives VisitorPayload, live only
	// (not kept for replay: a widget that reconnects asks for the same facts again).
	AllVisitors bool
	// VisitorID receives VisitorPayload when both are set.
	VisitorID      ID
	Payload        []byte
	VisitorPayload []byte
}

// ForOperator reports whether an operator with the given id and role receives e.
func (e *Event) ForOperator(id ID, role Role) bool {
	return e.AllOperators || (e.OperatorID != 0 && e.OperatorID == id) ||
		(e.Operator2ID != 0 && e.Operator2ID == id) || (e.Staff && role.Staff())
}

// ForVisitor reports whether the visitor receives e.
func (e *Event) ForVisitor(id ID) bool {
	return e.VisitorID != 0 && e.VisitorID == id && e.VisitorPayload != nil
}

// Event types of the WebSocket API (docs/events.md).
const (
	EventConversationAssigned = "conversation.assigned"
	EventConversationUpdated  = "conversation.updated"
	EventConversationRemoved  = "conversation.removed"
	EventConversationClosed   = "conversation.closed"
	EventConversationQueued   = "conversation.queued"
	EventMessageCreated       = "message.created"
	EventMessageUpdated       = "message.updated"
	EventTransferOffered      = "transfer.offered"
	EventTransferAccepted     = "transfer.accepted"
	EventTransferDeclined     = "transfer.declined"
	EventTransferCancelled    = "transfer.cancelled"
	EventTransferExpired      = "transfer.expired"
	// EventTransferAcceptRefused: the receiver pressed Принять at their limit; the offer
	// stays pending (they may free a place and accept), and both sides are told.
	EventTransferAcceptRefused = "transfer.accept_refused"
	EventOperatorStatus        = "operator.status"
	EventOperatorJoined        = "operator.joined"
	EventTyping                = "typing"
	// EventAvailability tells the widgets of an account whether an operator is online, when
	// that changes (the offline form becomes the chat at once).
	EventAvailability = "availability"
	// EventQuickMessagesChanged: quick messages the operator sees changed; reload them.
	EventQuickMessagesChanged = "quick_messages.changed"
	EventResync               = "resync"

	// EventConversationRated: the visitor rated a conversation or changed their rating
	// (rating.go); its payload is a RatingPayload, to the assignee, staff and the visitor.
	EventConversationRated = "conversation.rated"
)

// EventAccessRevoked tells every node's hub to close connections whose rights ended (a
// logout, a password change, a role change, a deactivation). It has no audience: no client
// receives or replays it. Its payload is an AccessRevoked.
const EventAccessRevoked = "access.revoked"

// AccessRevoked is the payload of EventAccessRevoked: the operator whose connections close,
// only those opened with the listed sessions (hashes of their tokens) when Sessions is not
// empty, and the reason the client is told.
type AccessRevoked struct {
	OperatorID ID       `json:"operator_id"`
	Sessions   []string `json:"sessions,omitempty"`
	Reason     string   `json:"reason"`
}

// VisitorEventType is the name a visitor's client sees for an event type: visitors are told
// an operator joined where operators are told the conversation was assigned.
func VisitorEventType(t string) string {
	if t == EventConversationAssigned || t == EventTransferAccepted {
		return EventOperatorJoined
	}
	return t
}
