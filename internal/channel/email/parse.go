package email

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // koi8-r, windows-1251 and other charsets of Russian mail
	"github.com/emersion/go-message/mail"

	"livedesk/internal/attachment"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// Defaults of the MIME structure limits (MIMELimits).
const (
	DefaultMaxDepth = 10
	DefaultMaxParts = 300
)

// MIMELimits bound the structure of a mail that is taken apart. go-message reads a nested
// multipart through one boundary-scanning reader per level, so every byte costs as much as
// the depth: bounding the depth is what keeps parsing linear in the mail's size. Parts
// deeper than MaxDepth, and parts after the MaxParts-th, are not read; the mail is kept
// with a note saying so (DESIGN §2.10: never dropped silently).
type MIMELimits struct {
	// MaxDepth is how many multipart levels are opened (the mail itself is level 1).
	MaxDepth int
	// MaxParts is how many entities (multipart containers included) are looked at.
	MaxParts int
}

func (l MIMELimits) withDefaults() MIMELimits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	return l
}

// putFunc stores one file of a mail within limit bytes (attachment.Files.Put).
type putFunc func(ctx context.Context, name string, r io.Reader, limit int64) (attachment.Upload, error)

// errConfirmationMail is parseMail's answer for a confirmation mail of livedesk's own: its
// code is for the account that owns the address, not for whoever holds the mailbox here.
var errConfirmationMail = errors.New("a mailbox confirmation mail")

// errStopWalk ends the walk over a mail's parts early (the part limit was reached).
var errStopWalk = errors.New("stop")

// parser is one mail being taken apart.
type parser struct {
	ctx    context.Context
	limits MIMELimits
	put    putFunc

	out       desk.InboundMail
	plain     string
	html      string
	uploads   []attachment.Upload
	used      int64
	skipped   int
	longText  bool
	parts     int
	tooDeep   bool
	tooMany   bool
	readNotes []string
}

// parseMail reads a mail into what the desk needs, storing its files with put (pinned: the
// caller calls Done on the uploads returned, also with an error). A mail that cannot be
// parsed as MIME is taken as plain text, never refused. Reading stops when ctx ends.
func parseMail(ctx context.Context, r io.Reader, limits MIMELimits, put putFunc) (desk.InboundMail, []attachment.Upload, error) {
	p := &parser{ctx: ctx, limits: limits.withDefaults(), put: put}
	head := &headKeeper{max: 64 << 10}
	src := &ctxReader{ctx: ctx, r: io.TeeReader(r, head)}
	e, err := message.Read(src)
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		if ctx.Err() != nil {
			return p.out, nil, ctx.Err()
		}
		if bytes.Contains(bytes.ToLower(head.b), []byte(strings.ToLower(ConfirmationHeader)+":")) {
			return p.out, nil, errConfirmationMail // even mangled, its code is not shown
		}
		return p.raw(src), nil, nil
	}
	head.b, head.max = nil, 0 // not needed past the header
	if e.Header.Get(ConfirmationHeader) != "" {
		return p.out, nil, errConfirmationMail
	}
	p.headers(mail.Header{Header: e.Header})
	if err := p.walk(e, 1); err != nil && !errors.Is(err, errStopWalk) {
		return p.out, p.uploads, err
	}
	if err := ctx.Err(); err != nil {
		return p.out, p.uploads, err
	}
	return p.finish()
}

// raw takes a mail that is not MIME at all as the start of its text.
func (p *parser) raw(src io.Reader) desk.InboundMail {
	// message.Read consumed what it could; what is left is shown as it is, like the rest.
	b, _ := io.ReadAll(io.LimitReader(src, 4<<20))
	p.out.FromAddress = "unknown@unknown.invalid"
	p.out.Text = clip(cleanText(string(b)), desk.MaxText)
	p.out.Notes = append(p.out.Notes, "письмо не разобрано как MIME, показано начало его исходного текста")
	return p.out
}

// headers reads sender, subject and threading headers of the mail.
func (p *parser) headers(h mail.Header) {
	if from, err := h.AddressList("From"); err == nil && len(from) > 0 {
		p.out.FromAddress, p.out.FromName = strings.ToLower(from[0].Address), strings.TrimSpace(from[0].Name)
	}
	if p.out.FromAddress == "" {
		p.out.FromAddress = "unknown@unknown.invalid"
	}
	p.out.Subject, _ = h.Subject()
	p.out.Subject = clip(p.out.Subject, 300)
	p.out.FromName = clip(p.out.FromName, 200)
	p.out.MessageID, _ = h.MessageID()
	p.out.MessageID = clip(p.out.MessageID, 500)
	if ids, err := h.MsgIDList("References"); err == nil {
		p.out.Thread = append(p.out.Thread, ids...)
	}
	if ids, err := h.MsgIDList("In-Reply-To"); err == nil {
		p.out.Thread = append(p.out.Thread, ids...)
	}
	if len(p.out.Thread) > 100 { // the first and the latest, enough to find the thread
		p.out.Thread = append(p.out.Thread[:1:1], p.out.Thread[len(p.out.Thread)-99:]...)
	}
}

// walk visits an entity at the given depth: a multipart's parts one after another, within
// the limits, or a leaf as text or file.
func (p *parser) walk(e *message.Entity, depth int) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	if p.parts++; p.parts > p.limits.MaxParts {
		p.tooMany = true
		return errStopWalk
	}
	if mr := e.MultipartReader(); mr != nil {
		if depth > p.limits.MaxDepth {
			// Not opened: its bytes are skipped by the enclosing part's reader, at the cost
			// of the depth reached so far.
			p.tooDeep = true
			return nil
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
				if cerr := p.ctx.Err(); cerr != nil {
					return cerr
				}
				p.readNotes = append(p.readNotes, "часть письма не прочитана: "+clip(err.Error(), 200))
				return nil
			}
			if err := p.walk(part, depth+1); err != nil {
				return err
			}
		}
	}
	return p.leaf(e)
}

// leaf takes a part that is not multipart: the first text/plain and text/html become the
// message's text, anything else (or anything named) a file.
func (p *parser) leaf(e *message.Entity) error {
	ct, params, _ := e.Header.ContentType()
	disp, _, _ := e.Header.ContentDisposition()
	inline := disp == "inline" || (disp != "attachment" && strings.HasPrefix(ct, "text/"))
	name := ""
	if !inline {
		ah := mail.AttachmentHeader{Header: e.Header}
		name, _ = ah.Filename()
	} else {
		if n := params["name"]; n != "" || !strings.HasPrefix(ct, "text/") {
			name = n
			if name == "" {
				name = "part" + extension(ct)
			}
		} else {
			b, err := io.ReadAll(io.LimitReader(e.Body, 4<<20))
			if err != nil && p.ctx.Err() != nil {
				return p.ctx.Err()
			}
			switch {
			case ct == "text/html" && p.html == "":
				p.html = string(b)
				p.longText = p.longText || utf8.RuneCount(b) > desk.MaxText
			case ct != "text/html" && p.plain == "":
				p.plain = string(b)
				p.longText = p.longText || utf8.RuneCount(b) > desk.MaxText
			}
			return nil
		}
	}
	// A text too long for a message is kept whole as a file: it keeps a place for it.
	if maxFiles := attachment.MaxFiles - b2i(p.longText); len(p.uploads) >= maxFiles {
		p.skipped++
		return nil
	}
	body := &errReader{r: e.Body}
	u, err := p.put(p.ctx, name, body, attachment.MaxBytes-p.used)
	if livedesk.IsCode(err, livedesk.CodeTooLarge) {
		p.out.Notes = append(p.out.Notes, fmt.Sprintf("файл «%s» не принят: файлы письма больше 25 МБ вместе", attachment.SanitizeName(name)))
		return nil
	}
	if err != nil {
		if cerr := p.ctx.Err(); cerr != nil {
			return cerr
		}
		if body.err != nil { // the mail's fault (cut short, bad encoding), not the store's
			p.readNotes = append(p.readNotes, fmt.Sprintf("файл «%s» не прочитан: %s", attachment.SanitizeName(name), clip(body.err.Error(), 200)))
			return nil
		}
		return err
	}
	p.used += u.Size
	p.uploads = append(p.uploads, u)
	return nil
}

// finish makes the text and the notes of what was not taken.
func (p *parser) finish() (desk.InboundMail, []attachment.Upload, error) {
	p.out.Notes = append(p.out.Notes, p.readNotes...)
	if p.tooDeep {
		p.out.Notes = append(p.out.Notes, fmt.Sprintf("части, вложенные глубже %d уровней, не разобраны", p.limits.MaxDepth))
	}
	if p.tooMany {
		p.out.Notes = append(p.out.Notes, fmt.Sprintf("в письме больше %d частей, остальные не разобраны", p.limits.MaxParts))
	}
	if p.skipped > 0 {
		p.out.Notes = append(p.out.Notes, fmt.Sprintf("не принято файлов: %d (в одном сообщении не больше %d)", p.skipped, attachment.MaxFiles))
	}
	text := p.plain
	if strings.TrimSpace(text) == "" && p.html != "" {
		text = htmlToText(p.html)
	}
	text = cleanText(text)
	if utf8.RuneCountInString(text) > desk.MaxText {
		note := fmt.Sprintf("текст длиннее %d символов обрезан", desk.MaxText)
		if len(p.uploads) < attachment.MaxFiles {
			// The whole text is kept as a file, so that nothing of it is lost.
			if u, err := p.put(p.ctx, "message.txt", strings.NewReader(text), attachment.MaxBytes-p.used); err == nil {
				p.uploads = append(p.uploads, u)
				note += ", полностью он во вложении message.txt"
			}
		}
		p.out.Notes = append(p.out.Notes, note)
		text = string([]rune(text)[:desk.MaxText-1]) + "…"
	}
	p.out.Text = text
	p.out.Files = p.uploads
	return p.out, p.uploads, nil
}

// ctxReader stops reading once ctx is done: every byte of a mail is read through it, so
// parsing stops with the session or the deadline.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

// headKeeper keeps the first max bytes written to it.
type headKeeper struct {
	b   []byte
	max int
}

func (h *headKeeper) Write(b []byte) (int, error) {
	if room := h.max - len(h.b); room > 0 {
		h.b = append(h.b, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

// errReader remembers the error of reading a part of the mail.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
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
