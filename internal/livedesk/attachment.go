package livedesk

// AttachmentURL is where operators download an attachment.
func AttachmentURL(id ID) string { return "/api/v1/attachments/" + id.String() }

// VisitorAttachmentURL is where the visitor of the conversation downloads an attachment.
func VisitorAttachmentURL(id ID) string { return "/api/v1/widget/attachments/" + id.String() + "/file" }

// ForVisitor returns m as the visitor sees it: the same message with attachment URLs of the
// widget API (and its sticker's picture URL), without what only operators see (the mail's
// delivery state, a mail's full text). m itself is not changed; a message without any of
// these is returned as is.
func (m *Message) ForVisitor() *Message {
	if m == nil || len(m.Attachments) == 0 && m.Sticker == nil && m.EmailDelivery == nil && m.FullText == "" {
		return m
	}
	c := *m
	c.EmailDelivery = nil
	c.FullText = ""
	if m.Sticker != nil {
		st := *m.Sticker
		st.URL = VisitorStickerURL(st.ID)
		c.Sticker = &st
	}
	c.Attachments = make([]Attachment, len(m.Attachments))
	for i, a := range m.Attachments {
		a.URL = VisitorAttachmentURL(a.ID)
		c.Attachments[i] = a
	}
	return &c
}

// ForVisitor returns the messages as the visitor sees them (see Message.ForVisitor).
func ForVisitor(ms []*Message) []*Message {
	out := make([]*Message, len(ms))
	for i, m := range ms {
		out[i] = m.ForVisitor()
	}
	return out
}
