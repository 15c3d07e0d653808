package email

import (
	"bytes"
	"regexp"
	"strings"
)

// Bounce is a report that a mail was not (or not yet) delivered: an RFC 3464 delivery
// status notification (multipart/report; report-type=delivery-status) or one of the usual
// plain-text bounces that quote the returned mail's headers.
type Bounce struct {
	// OriginalMessageID is the Message-ID of the mail that was not delivered (without
	// angle brackets): from the returned message (message/rfc822 or text/rfc822-headers),
	// else from the report's In-Reply-To/References; "" when none was found.
	OriginalMessageID string
	// FinalRecipient is the address the mail did not reach (of the first failed recipient).
	FinalRecipient string
	// Action is failed, delayed, delivered, relayed or expanded (RFC 3464), lower case.
	Action string
	// Status is the enhanced status code, "5.1.1" ("" when none was given).
	Status string
	// Diagnostic is the receiving server's words ("550 5.1.1 … User unknown").
	Diagnostic string
	// ReportingMTA names the server that wrote the report.
	ReportingMTA string
	// Standard: an RFC 3464 report; false for a plain-text bounce recognised by its words.
	Standard bool
	// Recipients are all recipients the report tells of.
	Recipients []BounceRecipient
}

// BounceRecipient is one per-recipient block of a delivery status report.
type BounceRecipient struct {
	// FinalRecipient and OriginalRecipient are addresses (the "rfc822;" type dropped).
	FinalRecipient, OriginalRecipient string
	// Action, Status, Diagnostic and RemoteMTA as in the report.
	Action, Status, Diagnostic, RemoteMTA string
}

// Failed says whether the report tells of a mail that will not be delivered (not a delay
// or a success notice).
func (b *Bounce) Failed() bool {
	return b != nil && (b.Action == "failed" || (b.Action == "" && strings.HasPrefix(b.Status, "5.")))
}

// Reason is the reason to show the operator: the server's words, else the status code.
func (b *Bounce) Reason() string {
	if b == nil {
		return ""
	}
	switch {
	case b.Diagnostic != "":
		return b.Diagnostic
	case b.Status != "":
		return "status " + b.Status + " (" + b.Action + ")"
	}
	return b.Action
}

// ParseDeliveryStatus reads the body of a message/delivery-status part (RFC 3464): the
// reporting server and the per-recipient blocks. Folded lines are joined; unknown fields
// are ignored; a report whose blocks are not separated by blank lines is read too.
func ParseDeliveryStatus(b []byte) (reportingMTA string, recipients []BounceRecipient) {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	for _, block := range strings.Split(string(b), "\n\n") {
		fields := statusFields(block)
		if v := fields["reporting-mta"]; v != "" && reportingMTA == "" {
			reportingMTA = typedValue(v)
		}
		if fields["final-recipient"] == "" && fields["action"] == "" {
			continue
		}
		r := BounceRecipient{
			FinalRecipient:    strings.ToLower(strings.Trim(typedValue(fields["final-recipient"]), "<>")),
			OriginalRecipient: strings.ToLower(strings.Trim(typedValue(fields["original-recipient"]), "<>")),
			Action:            strings.ToLower(firstWord(fields["action"])),
			Status:            statusCode.FindString(fields["status"]),
			Diagnostic:        clip(typedValue(fields["diagnostic-code"]), 1000),
			RemoteMTA:         typedValue(fields["remote-mta"]),
		}
		if r.FinalRecipient == "" {
			r.FinalRecipient = r.OriginalRecipient
		}
		if len(recipients) < 100 {
			recipients = append(recipients, r)
		}
	}
	return clip(reportingMTA, 300), recipients
}

// firstWord is the first word of s ("" when none).
func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return clip(f[0], 50)
	}
	return ""
}

// statusFields reads "Name: value" lines, folded lines joined, names lower case; the first
// of a name wins.
func statusFields(block string) map[string]string {
	fields := map[string]string{}
	last := ""
	for _, l := range strings.Split(block, "\n") {
		if l == "" {
			continue
		}
		if (l[0] == ' ' || l[0] == '\t') && last != "" {
			fields[last] += " " + strings.TrimSpace(l)
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			last = ""
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, dup := fields[k]; dup {
			last = ""
			continue
		}
		fields[k], last = strings.TrimSpace(v), k
	}
	return fields
}

// typedValue drops the type of "rfc822; user@example.org", "dns; mx.example.org",
// "smtp; 550 …".
func typedValue(v string) string {
	if t, rest, ok := strings.Cut(v, ";"); ok && !strings.ContainsAny(t, " @<") {
		v = rest
	}
	return strings.TrimSpace(oneLine(v))
}

var (
	statusCode = regexp.MustCompile(`\b[245]\.\d{1,3}\.\d{1,3}\b`)
	// quotedMessageID finds the returned mail's Message-ID among the headers a plain-text
	// bounce quotes.
	quotedMessageID = regexp.MustCompile(`(?im)^[\s>]*message-id:\s*<([^<>\s]{1,500})>`)
	// failedRecipient: Postfix's «<user@example.org>: host … said: 550 …».
	failedRecipient = regexp.MustCompile(`(?m)^\s*<([^<>\s@]+@[^<>\s]+)>:?\s`)
	// indentedAddress: Exim's and others' list of failed addresses, one indented per line.
	indentedAddress = regexp.MustCompile(`(?m)^[ \t]+<?([^<>\s@:]+@[^<>\s:]+\.[a-zA-Z]{2,})>?\s*$`)
	// smtpReply is a line with a server's reply: a 4xx/5xx code.
	smtpReply = regexp.MustCompile(`(?m)^.*\b[45]\d\d[ -][^\n]*$`)
	// bounceSubject are the subjects of the usual bounces and delay notices.
	bounceSubject = regexp.MustCompile(`(?i)(undeliver|undelivered mail|returned mail|delivery status notification|delivery failure|delivery has failed|mail delivery failed|failure notice|message not delivered|delivery notification|could not be delivered|delivery delayed|недоставлен|не доставлено|не удалось доставить|не может быть доставлено|возвращ[её]нное письмо)`)
	delayWords    = regexp.MustCompile(`(?i)(delayed|will (continue|retry|keep) (trying|to try)|has not yet been delivered|temporary failure|задерж|продолжит попытки)`)
)

// bounce makes the Bounce of the mail: from its delivery status part, else from the words
// of a plain-text bounce when the returned mail's Message-ID can be found. A plain-text
// bounce must be automatic mail (NoAutoReplyReason): a person writing about a failed
// delivery is not one.
func (p *parser) bounce(reportType string, automatic bool) *Bounce {
	m := p.res.Mail
	threadID := ""
	if n := len(m.Thread); n > 0 {
		threadID = m.Thread[n-1]
	}
	if p.dsn != nil || (p.report && strings.EqualFold(reportType, "delivery-status")) {
		b := &Bounce{Standard: true, OriginalMessageID: p.returned.messageID}
		if b.OriginalMessageID == "" {
			b.OriginalMessageID = threadID
		}
		b.ReportingMTA, b.Recipients = ParseDeliveryStatus(p.dsn)
		pick := -1
		for i, r := range b.Recipients {
			if r.Action == "failed" {
				pick = i
				break
			}
		}
		if pick < 0 && len(b.Recipients) > 0 {
			pick = 0
		}
		if pick >= 0 {
			r := b.Recipients[pick]
			b.FinalRecipient, b.Action, b.Status, b.Diagnostic = r.FinalRecipient, r.Action, r.Status, r.Diagnostic
		}
		if b.Diagnostic == "" && b.Action != "delivered" {
			b.Diagnostic = diagnosticLine(p.ownText())
		}
		return b
	}
	if !automatic || (!robotAddress(m.FromAddress) && !bounceSubject.MatchString(m.Subject)) {
		return nil
	}
	text := p.ownText()
	b := &Bounce{OriginalMessageID: p.returned.messageID}
	if b.OriginalMessageID == "" {
		if id := quotedMessageID.FindStringSubmatch(text); id != nil {
			b.OriginalMessageID = id[1]
		}
	}
	if b.OriginalMessageID == "" && bounceSubject.MatchString(m.Subject) {
		b.OriginalMessageID = threadID
	}
	if b.OriginalMessageID == "" {
		return nil // a robot's mail, not a bounce we can place
	}
	b.Status = statusCode.FindString(text)
	b.Diagnostic = diagnosticLine(text)
	if r := failedRecipient.FindStringSubmatch(text); r != nil {
		b.FinalRecipient = strings.ToLower(r[1])
	} else if loc := indentedAddress.FindStringSubmatchIndex(text); loc != nil {
		b.FinalRecipient = strings.ToLower(text[loc[2]:loc[3]])
		if b.Diagnostic == "" {
			// Exim: the reason is indented deeper under the address.
			next, _, _ := strings.Cut(strings.TrimLeft(text[loc[1]:], "\n"), "\n")
			if strings.HasPrefix(next, "    ") || strings.HasPrefix(next, "\t") {
				b.Diagnostic = clip(strings.TrimSpace(next), 1000)
			}
		}
	} else if p.returned.to != "" {
		_, b.FinalRecipient = parseAddress(p.returned.to)
	}
	b.Action = "failed"
	if strings.HasPrefix(b.Status, "4.") || delayWords.MatchString(m.Subject) || (b.Status == "" && delayWords.MatchString(text)) {
		b.Action = "delayed"
	}
	return b
}

// diagnosticLine finds the server's reply quoted in a bounce's text (with the line after
// it when it continues), "" when there is none.
func diagnosticLine(text string) string {
	loc := smtpReply.FindStringIndex(text)
	if loc == nil {
		return ""
	}
	line := strings.TrimSpace(text[loc[0]:loc[1]])
	if rest := text[loc[1]:]; strings.HasPrefix(rest, "\n    ") || strings.HasPrefix(rest, "\n\t") {
		next, _, _ := strings.Cut(rest[1:], "\n")
		line += " " + strings.TrimSpace(next)
	}
	return clip(oneLine(line), 1000)
}
