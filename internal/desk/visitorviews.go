package desk

import (
	"context"
	"time"

	"livedesk/internal/livedesk"
)

// What a visitor may read: their contact point's public face, their own conversation and
// messages, and the files of their conversation.

// WebchatPoint returns the webchat contact point with the widget key (an email one is not
// found: it has no widget).
func (d *Desk) WebchatPoint(ctx context.Context, key string) (*livedesk.ContactPoint, error) {
	cp, err := d.store.ContactPointByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	if cp.Channel != livedesk.ChannelWebchat {
		return nil, livedesk.NotFound("contact point")
	}
	return cp, nil
}

// VisitorConversation is what a visitor may know of their conversation: its state and, once
// assigned, the operator's name.
type VisitorConversation struct {
	ID            livedesk.ID                `json:"id"`
	State         livedesk.ConversationState `json:"state"`
	VisitorClosed bool                       `json:"visitor_closed"`
	CreatedAt     time.Time                  `json:"created_at"`
	Operator      *livedesk.OperatorName     `json:"operator,omitempty"`
}

// VisitorView renders a conversation for its visitor.
func (d *Desk) VisitorView(ctx context.Context, c *livedesk.Conversation) *VisitorConversation {
	out := &VisitorConversation{ID: c.ID, State: c.State, VisitorClosed: c.VisitorClosed, CreatedAt: c.CreatedAt}
	if c.AssigneeID != 0 && c.State == livedesk.StateAssigned {
		if op, err := d.store.Operator(ctx, c.AccountID, c.AssigneeID); err == nil {
			out.Operator = &livedesk.OperatorName{ID: op.ID, Name: op.Name}
		}
	}
	return out
}

// OpenVisitorConversation returns the visitor's open conversation at the contact point as
// the visitor sees it, or not_found.
func (d *Desk) OpenVisitorConversation(ctx context.Context, cp *livedesk.ContactPoint, visitor livedesk.ID) (*VisitorConversation, error) {
	c, err := d.store.OpenConversationOf(ctx, cp.AccountID, visitor, cp.ID)
	if err != nil {
		return nil, err
	}
	return d.VisitorView(ctx, c), nil
}

// VisitorMessages returns a page of the visitor's messages across their conversations, newest
// first, before the cursor (comments are never included).
func (d *Desk) VisitorMessages(ctx context.Context, account, visitor, before livedesk.ID, limit int) ([]*livedesk.Message, error) {
	items, err := d.store.VisitorMessages(ctx, account, visitor, before, limit)
	return livedesk.ForVisitor(items), err
}

// VisitorAttachment returns a file the visitor may download: one sent in their conversation
// (not from an internal comment), or one they uploaded and have not sent yet.
func (d *Desk) VisitorAttachment(ctx context.Context, account, visitor, id livedesk.ID) (*livedesk.AttachmentFile, error) {
	f, err := d.store.Attachment(ctx, account, id)
	if err != nil {
		return nil, err
	}
	sent := f.MessageID != 0 && f.VisitorID == visitor && f.MessageKind != livedesk.KindComment
	own := f.MessageID == 0 && f.UploaderType == livedesk.AuthorVisitor && f.UploaderID == visitor
	if !sent && !own {
		return nil, livedesk.NotFound("attachment")
	}
	return f, nil
}
