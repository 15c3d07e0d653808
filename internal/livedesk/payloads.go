package livedesk

// The payloads of the events (docs/events.md), one type per shape. Operators receive
// Payload, visitors VisitorPayload; both are encoded once when the event is emitted.

// ConversationPayload carries a conversation: conversation.assigned, .updated, .queued and
// .closed (with the reason) to operators.
type ConversationPayload struct {
	Conversation *Conversation `json:"conversation"`
	Reason       string        `json:"reason,omitempty"`
}

// MessagePayload is message.created and message.updated: the message, and for operators its
// conversation as it is after the message.
type MessagePayload struct {
	Conversation *Conversation `json:"conversation,omitempty"`
	Message      *Message      `json:"message"`
}

// OperatorPayload is operator.status: an operator's status or load changed.
type OperatorPayload struct {
	Operator OperatorBrief `json:"operator"`
}

// TransferPayload is every transfer.* event: the transfer, why it ended (cancelled, expired,
// declined, refused) and, when offered, the conversation offered.
type TransferPayload struct {
	Transfer     *Transfer     `json:"transfer"`
	Reason       string        `json:"reason,omitempty"`
	Conversation *Conversation `json:"conversation,omitempty"`
}

// RemovedPayload is conversation.removed: a conversation left an operator's list (requeued,
// transferred to ToOperatorID).
type RemovedPayload struct {
	ConversationID ID     `json:"conversation_id"`
	Reason         string `json:"reason"`
	ToOperatorID   ID     `json:"to_operator_id,omitempty"`
}

// VisitorConversationPayload is what a visitor is told of their conversation: an operator
// joined (with their name), it was closed or requeued (with the reason).
type VisitorConversationPayload struct {
	ConversationID ID            `json:"conversation_id"`
	Reason         string        `json:"reason,omitempty"`
	Operator       *OperatorName `json:"operator,omitempty"`
	// RatingRequest asks the visitor to rate the conversation that closed (rating.go).
	RatingRequest *RatingRequest `json:"rating_request,omitempty"`
}

// RatingPayload is conversation.rated: the rating given (or changed) of a conversation.
type RatingPayload struct {
	ConversationID ID      `json:"conversation_id"`
	Rating         *Rating `json:"rating"`
}

// OperatorName is an operator as a visitor sees them.
type OperatorName struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// AvailabilityPayload is availability: whether an operator of the account is online.
type AvailabilityPayload struct {
	Online bool `json:"online"`
}

// TypingPayload is the ephemeral typing frame: who types in which conversation.
type TypingPayload struct {
	ConversationID ID     `json:"conversation_id"`
	Author         string `json:"author"`
	VisitorID      ID     `json:"visitor_id,omitempty"`
	OperatorID     ID     `json:"operator_id,omitempty"`
	Name           string `json:"name,omitempty"`
}

// VisitorUpdatedPayload is visitor.updated: a visitor's profile as the panel shows it (profile.go)
// and their open conversation (null: none), whose assignee and staff receive it.
type VisitorUpdatedPayload struct {
	VisitorID      ID              `json:"visitor_id"`
	ConversationID ID              `json:"conversation_id"`
	Profile        *VisitorProfile `json:"profile"`
}

// VisitorDeletedPayload is visitor.deleted: an admin deleted the visitor with these
// conversations; the apps drop them from every list and view.
type VisitorDeletedPayload struct {
	VisitorID       ID   `json:"visitor_id"`
	ConversationIDs []ID `json:"conversation_ids"`
}
