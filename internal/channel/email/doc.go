// Package email is the email channel (DESIGN §2.10). A contact point of channel email is a
// mailbox with an address (settings.address).
//
// Inbound: livedesk listens for SMTP itself (--smtp-listen). Mail for a known mailbox is
// parsed — sender, subject, Message-ID, In-Reply-To/References, the text (text/plain, else
// text/html made plain), attachments under the rules of DESIGN §2.6 — and handed to the desk,
// which threads it into a conversation. Recipients that are not mailboxes are refused at RCPT
// (550), a mail over the size limit at DATA (552). What a mail carries that cannot be taken
// (a sixth file, files over 25 MiB together, text over 10,000 characters) is reported in the
// conversation as an internal comment; the text over the limit is kept as a file.
//
// ParseMail reads mail as real clients send it (docs/email.md, «Mail as it really arrives»):
// charsets labelled or detected (UTF-8, windows-1251, KOI8-R), file names of every encoding,
// damaged parts reported while the rest is taken, forwarded messages shown and kept as .eml,
// the quoted history of a reply split off (SplitQuoted), mail that must never get an
// automatic reply (NoAutoReplyReason) and delivery reports (Bounce). The listener acts on it
// (docs/email.md, «Bounces, loops and quoted replies»): a delivery failure for one of the
// account's replies marks that reply failed and opens nothing, other reports are logged and
// dropped; mail sent with MAIL FROM:<> is automatic too; a quoting reply is stored with its
// new text and the whole mail as the message's full text (Parsed.Inbound).
//
// Nobody outside can stall the listener: connections are counted when accepted (in all, per
// address, per /24 or /64 network), a client must make progress before DATA within a short
// idle time that NOOP does not renew, a session has an absolute end, the mail's data is
// spooled to a temporary file rather than held in memory, and its processing has a deadline
// and stops when the client goes away. Parsing is linear in the mail's size: multipart levels
// past MIMELimits.MaxDepth are not opened and parts past MaxParts not read (both reported in
// the conversation).
//
// Outbound: an operator's reply in an email conversation is stored with a fresh Message-ID
// and put in the outbox in the same transaction. The Sender delivers the outbox through an
// SMTP relay (--smtp-relay) with From the mailbox, Subject "Re: …", In-Reply-To and
// References of the thread, and the reply's files attached; a failed attempt is retried with
// growing pauses, and after the last one the conversation gets an internal comment saying the
// mail was not delivered.
package email
