package email

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"livedesk/internal/attachment"
	"livedesk/internal/channel/email/submit"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// RelayConfig says where replies go out.
type RelayConfig struct {
	// Addr is the relay's host:port; User and Password authenticate (PLAIN) when User is set.
	Addr, User, Password string
	// Domain is the name the sender greets the relay with.
	Domain string
	// From is the platform address: the sender of replies whose mailbox's address is not
	// confirmed (Reply-To is the mailbox) and of the confirmation mails.
	From string
}

// ConfirmationHeader marks the confirmation mails livedesk sends; the listener does not
// take such a mail into a mailbox (were the address's mail to come back to livedesk, its
// code must not be shown to whoever claimed the address).
const ConfirmationHeader = "X-Livedesk-Confirmation"

// retryAfter are the pauses after each failed attempt; after the last the mail has failed.
var retryAfter = []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute,
	15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour}

// Sender delivers the outbox, oldest first: the replies of a mailbox with its own SMTP
// settings through that server (submit.Send, envelope sender the mailbox's address), the
// others through the relay. Without a relay (RelayConfig.Addr empty) those others, and the
// confirmation mails, wait in the outbox.
type Sender struct {
	relay RelayConfig
	desk  *desk.Desk
	files *attachment.Files
	log   *slog.Logger
	wake  chan struct{}
	// onSMTP is told the outcome of every send through a mailbox's own server.
	onSMTP func(contactPoint livedesk.ID, err error, authFailed bool)
	// rootCAs, when set, verifies the mailboxes' own servers instead of the system's roots.
	rootCAs *x509.CertPool
}

// OnSMTP sets the function told the outcome of each send through a mailbox's own SMTP
// server (the cabinet shows the latest); authFailed says the settings are wrong (a refused
// login, TLS). Call it before Run.
func (s *Sender) OnSMTP(fn func(contactPoint livedesk.ID, err error, authFailed bool)) { s.onSMTP = fn }

// TrustRoots makes the sender verify the mailboxes' own SMTP servers with roots instead of
// the system's (tests). Call it before Run.
func (s *Sender) TrustRoots(roots *x509.CertPool) { s.rootCAs = roots }

// NewSender returns a sender; Run starts it.
func NewSender(relay RelayConfig, d *desk.Desk, files *attachment.Files, log *slog.Logger) *Sender {
	return &Sender{relay: relay, desk: d, files: files, log: log, wake: make(chan struct{}, 1)}
}

// Wake makes the sender look at the outbox now (a reply was queued).
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers what is due until ctx ends, looking at the outbox when woken and every poll.
func (s *Sender) Run(ctx context.Context, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		s.SendDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wake:
		}
	}
}

// SendDue makes one pass over the due confirmation mails and outbox entries.
func (s *Sender) SendDue(ctx context.Context) {
	s.sendConfirmations(ctx)
	for ctx.Err() == nil {
		due, err := s.desk.DueMail(ctx, 20)
		if err != nil {
			s.log.Error("email outbox", "err", err)
			return
		}
		if len(due) == 0 {
			return
		}
		moved := false
		for _, e := range due {
			done, ok := s.deliver(ctx, e)
			if !ok {
				return // the outcome could not be recorded: try again at the next look
			}
			moved = moved || done
		}
		if !moved {
			return // all wait for a relay that is not configured
		}
	}
}

// deliver sends one entry and records the outcome; ok is false when it could not be
// recorded, done false when the entry waits as it is (no relay for it). A mail whose success
// could not be recorded is sent again later: delivery is at least once.
//
// A mailbox's own server's refusals (submit.Error): a temporary one (4xx, no connection) is
// retried on the schedule, a permanent one (5xx to MAIL, RCPT, DATA) fails the reply with
// the comment, and wrong settings (refused login, TLS) are retried on the schedule too while
// the cabinet shows them (OnSMTP).
func (s *Sender) deliver(ctx context.Context, e livedesk.OutgoingEmail) (done, ok bool) {
	carried, err := s.send(ctx, e)
	if errors.Is(err, errNoRelay) {
		return false, true
	}
	if errors.Is(err, errNotSent) {
		return true, true
	}
	return true, s.record(ctx, e, carried, err)
}

// errNoRelay: the reply goes through the relay and none is configured: it waits.
var errNoRelay = errors.New("no relay is configured")

// errNotSent: a followup that is not to be sent (the visitor came back, or an earlier reply's
// mail carried it); the desk recorded it.
var errNotSent = errors.New("the followup is not sent")

// record keeps the outcome of a send (with the later replies a followup carried); false
// when it could not be recorded.
func (s *Sender) record(ctx context.Context, e livedesk.OutgoingEmail, carried []*livedesk.Message, err error) bool {
	switch {
	case err == nil:
		if err := s.desk.MailSent(ctx, e.AccountID, e.MessageID); err != nil {
			s.log.Error("email outbox", "err", err)
			return false
		}
		if err := s.desk.FollowupsSent(ctx, e.AccountID, carried); err != nil {
			s.log.Error("email outbox", "err", err)
			return false
		}
		return true
	case permanent(err) || e.Attempts >= len(retryAfter):
		s.log.Warn("email not delivered", "message", e.MessageID, "attempts", e.Attempts+1, "err", err)
		if err := s.desk.MailNotDelivered(ctx, e.AccountID, e.MessageID, err.Error()); err != nil {
			s.log.Error("email outbox", "err", err)
			return false
		}
		return true
	default:
		s.log.Info("email delivery failed, will retry", "message", e.MessageID, "attempt", e.Attempts+1, "err", err)
		if err := s.desk.MailRetry(ctx, e.MessageID, err.Error(), s.desk.Now().Add(retryAfter[e.Attempts])); err != nil {
			s.log.Error("email outbox", "err", err)
			return false
		}
		return true
	}
}

// permanent reports a refusal that retrying will not change (SMTP 5xx, or a mail we cannot
// write at all).
func permanent(err error) bool {
	var sub *submit.Error
	if errors.As(err, &sub) {
		return errors.Is(sub.Kind, submit.ErrPermanent)
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code >= 500
	}
	return errors.Is(err, errUnsendable)
}

var errUnsendable = errors.New("the reply cannot be written as a mail")

// send writes and sends one outbox entry; a followup's mail also carries the later replies
// still waiting, returned so that they are recorded sent with it.
func (s *Sender) send(ctx context.Context, e livedesk.OutgoingEmail) ([]*livedesk.Message, error) {
	out, err := s.desk.OutgoingMail(ctx, e.AccountID, e.MessageID)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnsendable, err)
	}
	if out.Mailbox == "" || out.ToAddress == "" {
		return nil, fmt.Errorf("%w: the contact point has no address or the visitor no email", errUnsendable)
	}
	if out.RatingRequest && out.RatingLink == "" {
		return nil, fmt.Errorf("%w: no public address of livedesk to link the rating page to (--public-url)", errUnsendable)
	}
	if out.Followup {
		// A widget conversation's reply: only if the visitor is still gone (desk/followup.go).
		send, err := s.desk.PrepareFollowup(ctx, e.AccountID, out)
		if err != nil {
			return nil, err // not an error of the mail: retried
		}
		if !send {
			return nil, errNotSent
		}
	}
	cp, servers, err := s.desk.MailServersOf(ctx, e.AccountID, out.MailboxID)
	if err != nil {
		return nil, err // not an error of the mail: retried
	}
	if servers.SMTP != nil {
		// The team's own server: it decides whether the mailbox's address is theirs.
		own := *out
		own.MailboxConfirmed = true
		var buf bytes.Buffer
		if err := s.write(&buf, &own); err != nil {
			return nil, err
		}
		cfg := *servers.SMTP
		cfg.HelloName, cfg.RootCAs = s.relay.Domain, s.rootCAs
		err := submit.Send(ctx, cfg, out.Mailbox, []string{out.ToAddress}, buf.Bytes())
		if s.onSMTP != nil {
			s.onSMTP(cp.ID, err, errors.Is(err, submit.ErrAuth) || errors.Is(err, submit.ErrTLS))
		}
		return out.Carried, err
	}
	if s.relay.Addr == "" {
		return nil, errNoRelay
	}
	var buf bytes.Buffer
	if err := s.write(&buf, out); err != nil {
		return nil, err
	}
	from := out.Mailbox
	if !out.MailboxConfirmed {
		from = s.relay.From
	}
	return out.Carried, s.transmit(from, out.ToAddress, &buf)
}

// sendConfirmations sends the due confirmation mails, each with a fresh code.
func (s *Sender) sendConfirmations(ctx context.Context) {
	if s.relay.Addr == "" {
		return // they wait for a relay
	}
	due, err := s.desk.DueMailboxConfirmations(ctx, 20)
	if err != nil {
		s.log.Error("mailbox confirmations", "err", err)
		return
	}
	for _, m := range due {
		if ctx.Err() != nil {
			return
		}
		code, err := s.desk.NewMailboxCode(ctx, m.ContactPointID)
		if err != nil {
			s.log.Error("mailbox confirmations", "err", err)
			return
		}
		var buf bytes.Buffer
		err = s.writeConfirmation(&buf, m.Address, code)
		if err == nil {
			err = s.transmit(s.relay.From, m.Address, &buf)
		}
		if err == nil {
			err = s.desk.MailboxConfirmationSent(ctx, m.ContactPointID)
		} else {
			s.log.Info("confirmation mail not sent", "contact_point", m.ContactPointID, "err", err)
			err = s.desk.MailboxConfirmationFailed(ctx, m, err.Error(), permanent(err))
		}
		if err != nil {
			s.log.Error("mailbox confirmations", "err", err)
			return
		}
	}
}

// writeConfirmation renders the mail that carries a mailbox's confirmation code.
func (s *Sender) writeConfirmation(w io.Writer, address, code string) error {
	var h mail.Header
	h.SetDate(s.desk.Now())
	h.SetAddressList("From", []*mail.Address{{Name: "livedesk", Address: s.relay.From}})
	h.SetAddressList("To", []*mail.Address{{Address: address}})
	h.SetSubject("Подтверждение адреса " + address)
	h.SetMessageID("livedesk.confirm." + strings.ToLower(rand.Text()) + "@" + domainOf(s.relay.From))
	h.Set("Auto-Submitted", "auto-generated")
	h.Set(ConfirmationHeader, "1")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	tw, err := mail.CreateSingleInlineWriter(w, h)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("Здравствуйте!\n\nАдрес %s указан в livedesk как почтовый ящик точки контакта. Чтобы ответы "+
		"операторов уходили с этого адреса, введите в кабинете администратора («Точки контакта» → эта точка) код:\n\n"+
		"    %s-%s\n\nКод действует %d часа. Пока адрес не подтверждён, ответы уходят с адреса %s, а ответы на них "+
		"приходят на %s.\n\nЕсли вы не ждали этого письма, ничего не делайте: без кода адрес не будет использован.\n",
		address, code[:4], code[4:], int(desk.MailboxCodeTTL.Hours()), s.relay.From, address)
	if _, err := io.WriteString(tw, text); err != nil {
		return err
	}
	return tw.Close()
}

func domainOf(address string) string {
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		return address[i+1:]
	}
	return "livedesk.invalid"
}

// write renders the reply as a MIME mail: text, then its files as attachments. The first
// mail of a thread (an operator's new mail, a widget conversation's first followup) has its
// subject as it is; replies answer it with «Re:». A followup is signed with the chat's name
// and carries the later replies, the conversation so far and the chat's link (followupText).
func (s *Sender) write(w io.Writer, out *livedesk.OutgoingMail) error {
	var h mail.Header
	h.SetDate(out.Message.CreatedAt)
	name := out.MailboxName
	if out.Followup {
		name = out.ChatName
	}
	fromName := out.Message.Author.Name + " — " + name
	if out.RatingRequest {
		fromName = out.MailboxName // the closing mail is the team's, not an operator's
	}
	if out.MailboxConfirmed {
		h.SetAddressList("From", []*mail.Address{{Name: fromName, Address: out.Mailbox}})
	} else {
		// Not proven to be the account's: the platform sends, answers go to the mailbox.
		h.SetAddressList("From", []*mail.Address{{Name: fromName, Address: s.relay.From}})
		h.SetAddressList("Reply-To", []*mail.Address{{Name: out.MailboxName, Address: out.Mailbox}})
	}
	h.SetAddressList("To", []*mail.Address{{Name: out.ToName, Address: out.ToAddress}})
	subject := strings.TrimSpace(out.Subject)
	switch {
	case subject == "":
		subject = "Re: " + out.MailboxName
	case len(out.Thread) > 0 && !strings.HasPrefix(strings.ToLower(subject), "re:"):
		subject = "Re: " + subject
	}
	h.SetSubject(subject)
	h.SetMessageID(out.MailID)
	if n := len(out.Thread); n > 0 {
		h.SetMsgIDList("In-Reply-To", out.Thread[n-1:])
		refs := out.Thread
		if len(refs) > 20 { // the first and the latest, as RFC 5322 suggests for long threads
			refs = append([]string{refs[0]}, refs[len(refs)-19:]...)
		}
		h.SetMsgIDList("References", refs)
	}
	h.Set("Auto-Submitted", "no")
	mw, err := mail.CreateWriter(w, h)
	if err != nil {
		return err
	}
	var th mail.InlineHeader
	th.Set("Content-Type", "text/plain; charset=utf-8")
	th.Set("Content-Transfer-Encoding", "quoted-printable")
	tw, err := mw.CreateSingleInline(th)
	if err != nil {
		return err
	}
	text := messageText(out.Message)
	if out.Followup {
		text = followupText(out)
	}
	if out.RatingRequest {
		text = ratingMailText(out)
	}
	if _, err := io.WriteString(tw, text); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	for _, f := range append(out.Files[:len(out.Files):len(out.Files)], out.CarriedFiles...) {
		if f.Expired {
			continue
		}
		var ah mail.AttachmentHeader
		ah.Set("Content-Type", f.ContentType)
		ah.SetFilename(f.Name)
		aw, err := mw.CreateAttachment(ah)
		if err != nil {
			return err
		}
		content, err := s.files.Open(f.SHA256)
		if err != nil {
			return fmt.Errorf("file %s: %w", f.Name, err)
		}
		_, err = io.Copy(aw, content)
		content.Close()
		if err != nil {
			return err
		}
		if err := aw.Close(); err != nil {
			return err
		}
	}
	return mw.Close()
}

// transmit hands the mail to the relay: with STARTTLS (required) unless the relay is on
// loopback, PLAIN authentication when a user is configured.
func (s *Sender) transmit(from, to string, body io.Reader) error {
	host, _, _ := net.SplitHostPort(s.relay.Addr)
	var c *smtp.Client
	var err error
	if isLoopback(host) {
		if c, err = smtp.Dial(s.relay.Addr); err == nil {
			err = c.Hello(s.relay.Domain)
		}
	} else {
		c, err = smtp.DialStartTLS(s.relay.Addr, &tls.Config{ServerName: host})
	}
	if err != nil {
		if c != nil {
			c.Close()
		}
		return err
	}
	defer c.Close()
	if s.relay.User != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.relay.User, s.relay.Password)); err != nil {
			return err
		}
	}
	if err := c.SendMail(from, []string{to}, body); err != nil {
		return err
	}
	return c.Quit()
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
