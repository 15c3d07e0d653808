package desk

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"livedesk/internal/livedesk"
)

// A widget conversation continues by email when the visitor left an address and is gone
// (issue 16). A webchat contact point's settings may hold
//
//	"email_followup": {"contact_point_id": "12", "after_minutes": 3, "link": "https://shop.example/help"}
//
// Then every reply an operator writes in one of its conversations whose visitor has an email
// address (the widget's introduction or offline form) is also put in the outbox as a
// followup, due after_minutes later (default 3, 1 to 1440). When it is due, the rule is: the
// visitor is gone when no widget socket of theirs was open at any moment since the reply was
// written — their last sign of life (Visitor.SeenAt: marked every heartbeat while a socket is
// open, and when the last one closes) is older than the reply. Then the reply goes by mail
// from the email contact point named (its own SMTP server, or the relay), with the
// operators' later replies still waiting carried in the same mail, the conversation so far
// quoted below, and the link to the page with the chat when one is set; otherwise it is
// skipped (email_delivery "skipped": they saw it in the widget). The mail's Message-ID
// belongs to the conversation, so the visitor's answer by mail — to that mailbox, over its
// SMTP listener or IMAP — lands in the same widget conversation as their message (while it is
// open; a closed one starts an email conversation as any mail does).

// FollowupSettings are the "email_followup" settings of a webchat contact point.
type FollowupSettings struct {
	// ContactPointID is the email contact point the mails go from.
	ContactPointID livedesk.ID `json:"contact_point_id"`
	// AfterMinutes is how long the visitor must be gone (DefaultFollowupMinutes when 0).
	AfterMinutes int `json:"after_minutes,omitempty"`
	// Link is the address of a page with the chat, put in the mail ("" none).
	Link string `json:"link,omitempty"`
}

// DefaultFollowupMinutes is how long after a reply its followup is due when the settings say
// nothing; MaxFollowupMinutes bounds it (a day). It is at least a minute: the heartbeat that
// marks visitors seen comes every 15 s.
const (
	DefaultFollowupMinutes = 3
	MaxFollowupMinutes     = 1440
)

// Delay is how long after a reply its followup is due.
func (f *FollowupSettings) Delay() time.Duration {
	if f.AfterMinutes <= 0 {
		return DefaultFollowupMinutes * time.Minute
	}
	return time.Duration(f.AfterMinutes) * time.Minute
}

// ParseFollowup reads the "email_followup" settings of a contact point (nil: off, or not a
// webchat contact point).
func ParseFollowup(cp *livedesk.ContactPoint) *FollowupSettings {
	if cp.Channel != livedesk.ChannelWebchat {
		return nil
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(cp.Settings, &raw) != nil {
		return nil
	}
	b, ok := raw["email_followup"]
	if !ok || string(b) == "null" {
		return nil
	}
	var f FollowupSettings
	if json.Unmarshal(b, &f) != nil || f.ContactPointID <= 0 {
		return nil
	}
	return &f
}

// checkFollowup validates the shape of settings.email_followup (the contact point it names is
// checked with the data: checkFollowupTarget).
func checkFollowup(raw map[string]json.RawMessage) error {
	b, ok := raw["email_followup"]
	if !ok || string(b) == "null" {
		return nil
	}
	f, err := decodeSection[FollowupSettings](raw, "email_followup")
	if err != nil {
		return err
	}
	if f.ContactPointID <= 0 {
		return fieldErr("settings.email_followup.contact_point_id", "must name the email contact point the mails go from")
	}
	if f.AfterMinutes < 0 || f.AfterMinutes > MaxFollowupMinutes {
		return fieldErr("settings.email_followup.after_minutes", "must be from 1 to 1440 (0 or absent: 3)")
	}
	f.Link = strings.TrimSpace(f.Link)
	if f.Link != "" {
		u, err := url.Parse(f.Link)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
			utf8.RuneCountInString(f.Link) > 500 || strings.ContainsAny(f.Link, " \t\r\n") {
			return fieldErr("settings.email_followup.link", "must be an http(s) address of a page with the chat, like https://shop.example/help")
		}
	}
	raw["email_followup"] = mustJSON(f)
	return nil
}

// checkFollowupTarget refuses email_followup settings on a contact point that is not a
// webchat one, or naming a contact point that is not an email one of the account with an
// address.
func checkFollowupTarget(tx livedesk.Tx, cp *livedesk.ContactPoint) error {
	var raw map[string]json.RawMessage
	if json.Unmarshal(cp.Settings, &raw) != nil {
		return nil
	}
	if b, ok := raw["email_followup"]; !ok || string(b) == "null" {
		return nil
	}
	if cp.Channel != livedesk.ChannelWebchat {
		return fieldErr("settings.email_followup", "is a setting of webchat contact points")
	}
	f := ParseFollowup(cp)
	if f == nil {
		return fieldErr("settings.email_followup.contact_point_id", "must name the email contact point the mails go from")
	}
	box, err := tx.ContactPoint(cp.AccountID, f.ContactPointID)
	if err != nil && !livedesk.IsCode(err, livedesk.CodeNotFound) {
		return err
	}
	if err != nil || box.Channel != livedesk.ChannelEmail || MailboxAddress(box) == "" {
		return fieldErr("settings.email_followup.contact_point_id", "must be an email contact point of the account with an address")
	}
	return nil
}

// followup is where a reply in a widget conversation goes by mail when the visitor is gone.
type followup struct {
	from    livedesk.ID
	mailbox string
	due     time.Time
}

// followupOf says whether a reply now in the webchat conversation c is to follow the visitor
// by mail (nil: no). It reads the contact point's settings, the visitor's address and the
// mailbox; settings that name a mailbox no longer fit for it are as none.
func followupOf(tx livedesk.Tx, c *livedesk.Conversation) (*followup, error) {
	cp, err := tx.ContactPoint(c.AccountID, c.ContactPoint.ID)
	if err != nil {
		return nil, err
	}
	f := ParseFollowup(cp)
	if f == nil {
		return nil, nil
	}
	v, err := tx.Visitor(c.AccountID, c.Visitor.ID)
	if err != nil {
		return nil, err
	}
	if _, ok := NormalizeAddress(v.Email); !ok {
		return nil, nil
	}
	box, err := tx.ContactPoint(c.AccountID, f.ContactPointID)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	mailbox := MailboxAddress(box)
	if box.Channel != livedesk.ChannelEmail || mailbox == "" {
		return nil, nil
	}
	return &followup{from: box.ID, mailbox: mailbox, due: tx.Now().Add(f.Delay())}, nil
}

// FollowupSkipped is the reason kept for a followup not sent.
const FollowupSkipped = "the visitor came back to the chat"

// PrepareFollowup decides, for a followup that is due (out, read with OutgoingMail), whether
// it goes out: not when it went out already with an earlier reply's mail, and not when the
// visitor was seen in the widget since it was written (it is marked skipped and the
// operators told). When it goes, out gets the later replies still waiting (Carried, with
// their files), the conversation before them (Context), the chat's link, and a subject when
// the conversation had none (kept for the replies to come).
func (d *Desk) PrepareFollowup(ctx context.Context, account livedesk.ID, out *livedesk.OutgoingMail) (send bool, err error) {
	var carried []livedesk.ID
	var chat *livedesk.ContactPoint
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		send, carried = false, nil
		m, err := tx.MessageByID(account, out.Message.ID)
		if err != nil {
			return err
		}
		if m.EmailDelivery == nil || m.EmailDelivery.State != "pending" {
			return nil // carried by an earlier reply's mail
		}
		c, err := tx.Conversation(account, m.ConversationID)
		if err != nil {
			return err
		}
		v, err := tx.Visitor(account, c.Visitor.ID)
		if err != nil {
			return err
		}
		if !v.SeenAt.Before(m.CreatedAt) {
			if err := tx.EmailSkipped(m.ID, FollowupSkipped); err != nil {
				return err
			}
			_, _, err := emitMailState(tx, account, m.ID)
			return err
		}
		if chat, err = tx.ContactPoint(account, c.ContactPoint.ID); err != nil {
			return err
		}
		if out.Subject == "" {
			out.Subject = "Ваш разговор в чате «" + chat.Name + "»"
			if err := tx.SetEmailSubject(c.ID, out.Subject); err != nil {
				return err
			}
		}
		carried, err = tx.PendingFollowups(c.ID, m.ID)
		send = true
		return err
	})
	if err != nil || !send {
		return false, err
	}
	if f := ParseFollowup(chat); f != nil {
		out.Link = f.Link
	}
	out.Carried, out.CarriedFiles = nil, nil
	for _, id := range carried {
		r, err := d.store.OutgoingMail(ctx, account, id)
		if err != nil {
			return false, err
		}
		out.Carried = append(out.Carried, r.Message)
		out.CarriedFiles = append(out.CarriedFiles, r.Files...)
	}
	// The conversation before the reply, as the visitor saw it: the last 10 messages.
	before, err := d.store.Messages(ctx, out.Message.ConversationID, out.Message.ID, 30, false)
	if err != nil {
		return false, err
	}
	out.Context = nil
	for _, m := range before { // newest first
		if m.Kind == livedesk.KindSystem || m.Kind == livedesk.KindComment {
			continue
		}
		out.Context = append([]*livedesk.Message{m}, out.Context...)
		if len(out.Context) == 10 {
			break
		}
	}
	return true, nil
}

// FollowupsSent records that a followup's mail left with the later replies it carried.
func (d *Desk) FollowupsSent(ctx context.Context, account livedesk.ID, carried []*livedesk.Message) error {
	for _, m := range carried {
		if err := d.MailSent(ctx, account, m.ID); err != nil {
			return err
		}
	}
	return nil
}

// VisitorsSeen marks visitors seen now in the widget (they hold a socket on this node).
func (d *Desk) VisitorsSeen(ctx context.Context, ids []livedesk.ID) error {
	if len(ids) == 0 {
		return nil
	}
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.TouchVisitors(ids) })
}
