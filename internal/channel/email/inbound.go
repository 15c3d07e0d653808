package email

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // koi8-r, windows-1251 and other charsets of Russian mail
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"

	"livedesk/internal/attachment"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/store"
)

// MaxMailBytes is the largest mail accepted: 25 MiB of files grow by a third in base64,
// plus headers and text.
const MaxMailBytes = attachment.MaxBytes*4/3 + 2<<20

// MaxSessions bounds the SMTP sessions served at once: each may hold a mail of up to
// MaxMailBytes in memory while it is parsed. MaxSessionsPerHost bounds those of one client
// address, so that one sender cannot take them all.
const (
	MaxSessions        = 64
	MaxSessionsPerHost = 8
)

// Inbound is the SMTP listener that takes mail for the mailboxes.
type Inbound struct {
	desk   *desk.Desk
	store  *store.Store
	files  *attachment.Files
	log    *slog.Logger
	server *smtp.Server

	mu       sync.Mutex
	sessions int
	perHost  map[string]int
}

// NewInbound returns the listener; domain is the name it greets with.
func NewInbound(d *desk.Desk, st *store.Store, files *attachment.Files, domain string, log *slog.Logger) *Inbound {
	in := &Inbound{desk: d, store: st, files: files, log: log, perHost: map[string]int{}}
	s := smtp.NewServer(in)
	s.Domain = domain
	s.MaxMessageBytes = MaxMailBytes
	s.MaxRecipients = 50
	s.ReadTimeout = 2 * time.Minute
	s.WriteTimeout = 2 * time.Minute
	s.ErrorLog = slogWriter{log}
	in.server = s
	return in
}

// Serve accepts SMTP connections on ln until Close.
func (in *Inbound) Serve(ln net.Listener) error {
	err := in.server.Serve(ln)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting and waits for the sessions in progress (or ctx).
func (in *Inbound) Shutdown(ctx context.Context) error { return in.server.Shutdown(ctx) }

// NewSession starts one SMTP conversation (smtp.Backend); over MaxSessions at once the
// client is told to come back later (421).
func (in *Inbound) NewSession(c *smtp.Conn) (smtp.Session, error) {
	host := ""
	if a, ok := c.Conn().RemoteAddr().(*net.TCPAddr); ok {
		host = a.IP.String()
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.sessions >= MaxSessions || in.perHost[host] >= MaxSessionsPerHost {
		return nil, &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "too busy, try again later"}
	}
	in.sessions++
	in.perHost[host]++
	return &session{in: in, host: host}, nil
}

// endSession gives back a session's places.
func (in *Inbound) endSession(host string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.sessions--
	if in.perHost[host]--; in.perHost[host] <= 0 {
		delete(in.perHost, host)
	}
}

type session struct {
	in    *Inbound
	host  string
	boxes []*livedesk.ContactPoint
}

// Reset, Logout, Mail and Rcpt are smtp.Session's: the envelope sender is not used (the
// mail's From is), each recipient must be a mailbox here.
func (s *session) Reset()                                    { s.boxes = nil }
func (s *session) Logout() error                             { s.in.endSession(s.host); return nil }
func (s *session) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { return s.rcpt(to) }

func (s *session) rcpt(to string) error {
	addr, ok := desk.NormalizeAddress(to)
	if !ok {
		return &smtp.SMTPError{Code: 501, EnhancedCode: smtp.EnhancedCode{5, 1, 3}, Message: "bad recipient address"}
	}
	cp, err := s.in.store.Mailbox(context.Background(), addr)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox here"}
	}
	if err != nil {
		s.in.log.Error("smtp: mailbox lookup", "err", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	for _, b := range s.boxes {
		if b.ID == cp.ID {
			return nil
		}
	}
	s.boxes = append(s.boxes, cp)
	return nil
}

// Data reads the mail once and gives it to every mailbox it was addressed to.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		if errors.Is(err, smtp.ErrDataTooLarge) {
			return err
		}
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "could not read the mail"}
	}
	for _, cp := range s.boxes {
		if err := s.in.deliver(context.Background(), cp, raw); err != nil {
			s.in.log.Error("smtp: store mail", "contact_point", cp.ID, "err", err)
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "could not store the mail, try again later"}
		}
	}
	return nil
}

// deliver parses raw and stores it for the mailbox cp.
func (in *Inbound) deliver(ctx context.Context, cp *livedesk.ContactPoint, raw []byte) error {
	m, uploads, err := in.parse(ctx, raw)
	if err != nil {
		return err
	}
	_, err = in.desk.ReceiveMail(ctx, cp, m)
	in.files.Done(ctx, uploads, err == nil)
	return err
}

// parse reads a mail into what the desk needs, storing its files (pinned: the caller calls
// Done). A mail that cannot be parsed as MIME is taken as plain text, never refused.
func (in *Inbound) parse(ctx context.Context, raw []byte) (desk.InboundMail, []attachment.Upload, error) {
	var out desk.InboundMail
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		out.FromAddress = "unknown@unknown.invalid"
		out.Text = clip(cleanText(string(raw)), desk.MaxText)
		out.Notes = append(out.Notes, "письмо не разобрано как MIME, показано начало его исходного текста")
		return out, nil, nil
	}
	h := mr.Header
	if from, err := h.AddressList("From"); err == nil && len(from) > 0 {
		out.FromAddress, out.FromName = strings.ToLower(from[0].Address), strings.TrimSpace(from[0].Name)
	}
	if out.FromAddress == "" {
		out.FromAddress = "unknown@unknown.invalid"
	}
	out.Subject, _ = h.Subject()
	out.Subject = clip(out.Subject, 300)
	out.MessageID, _ = h.MessageID()
	if ids, err := h.MsgIDList("References"); err == nil {
		out.Thread = append(out.Thread, ids...)
	}
	if ids, err := h.MsgIDList("In-Reply-To"); err == nil {
		out.Thread = append(out.Thread, ids...)
	}
	var plain, html string
	var uploads []attachment.Upload
	var used int64
	skipped, longText := 0, false
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !message.IsUnknownCharset(err) {
			out.Notes = append(out.Notes, "часть письма не прочитана: "+err.Error())
			break
		}
		name := ""
		isFile := false
		switch ph := p.Header.(type) {
		case *mail.AttachmentHeader:
			name, _ = ph.Filename()
			isFile = true
		case *mail.InlineHeader:
			ct, params, _ := ph.ContentType()
			if n := params["name"]; n != "" || !strings.HasPrefix(ct, "text/") {
				name, isFile = n, true
				if name == "" {
					name = "part" + extension(ct)
				}
			} else {
				b, _ := io.ReadAll(io.LimitReader(p.Body, 4<<20))
				if ct == "text/html" && html == "" {
					html = string(b)
					longText = longText || utf8.RuneCount(b) > desk.MaxText
				} else if ct != "text/html" && plain == "" {
					plain = string(b)
					longText = longText || utf8.RuneCount(b) > desk.MaxText
				}
				continue
			}
		}
		if !isFile {
			continue
		}
		// A text too long for a message is kept whole as a file: it keeps a place for it.
		if maxFiles := attachment.MaxFiles - b2i(longText); len(uploads) >= maxFiles {
			skipped++
			continue
		}
		u, err := in.files.Put(ctx, name, p.Body, attachment.MaxBytes-used)
		if livedesk.IsCode(err, livedesk.CodeTooLarge) {
			out.Notes = append(out.Notes, fmt.Sprintf("файл «%s» не принят: файлы письма больше 25 МБ вместе", attachment.SanitizeName(name)))
			continue
		}
		if err != nil {
			in.files.Done(ctx, uploads, false)
			return out, nil, err
		}
		used += u.Size
		uploads = append(uploads, u)
	}
	if skipped > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("не принято файлов: %d (в одном сообщении не больше %d)", skipped, attachment.MaxFiles))
	}
	text := plain
	if strings.TrimSpace(text) == "" && html != "" {
		text = htmlToText(html)
	}
	text = cleanText(text)
	if utf8.RuneCountInString(text) > desk.MaxText {
		note := fmt.Sprintf("текст длиннее %d символов обрезан", desk.MaxText)
		if len(uploads) < attachment.MaxFiles {
			// The whole text is kept as a file, so that nothing of it is lost.
			if u, err := in.files.Put(ctx, "message.txt", strings.NewReader(text), attachment.MaxBytes-used); err == nil {
				uploads = append(uploads, u)
				note += ", полностью он во вложении message.txt"
			}
		}
		out.Notes = append(out.Notes, note)
		text = string([]rune(text)[:desk.MaxText-1]) + "…"
	}
	out.Text = text
	out.Files = uploads
	return out, uploads, nil
}

// cleanText makes mail text storable: valid UTF-8, no NUL, \n line ends.
func cleanText(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\r\n", "\n"), "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func extension(contentType string) string {
	if exts, _ := mime.ExtensionsByType(contentType); len(exts) > 0 {
		return exts[0]
	}
	return ".bin"
}

// slogWriter gives the SMTP server's log lines to slog (smtp.Logger's Printf and Println).
type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Printf(format string, v ...any) { w.log.Warn("smtp: " + fmt.Sprintf(format, v...)) }
func (w slogWriter) Println(v ...any)               { w.log.Warn("smtp: " + fmt.Sprint(v...)) }
