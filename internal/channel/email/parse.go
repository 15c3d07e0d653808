package email

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset" // koi8-r, windows-1251 and other charsets of Russian mail
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

// Content types given to stored files whose extension says nothing to the file store.
const (
	TypeRFC822 = "message/rfc822"
	TypeTNEF   = "application/ms-tnef"
)

// maxTextBytes bounds how much of the text parts of a mail is read.
const maxTextBytes = 4 << 20

// MIMELimits bound the structure of a mail that is taken apart. go-message reads a nested
// multipart through one boundary-scanning reader per level, so every byte costs as much as
// the depth: bounding the depth is what keeps parsing linear in the mail's size. Parts
// deeper than MaxDepth, and parts after the MaxParts-th, are not read; the mail is kept
// with a note saying so (DESIGN §2.10: never dropped silently). Forwarded messages count
// with the mail they are in.
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

// PutFunc stores one file of a mail within limit bytes (attachment.Files.Put): the upload
// comes back pinned, and the caller of ParseMail calls Done on Parsed.Uploads.
type PutFunc func(ctx context.Context, name string, r io.Reader, limit int64) (attachment.Upload, error)

// ParseOptions configure ParseMail.
type ParseOptions struct {
	// Limits bound the structure that is read (defaults when zero).
	Limits MIMELimits
	// Put stores the files. Nil: files are listed in Attachments and not stored.
	Put PutFunc
	// Log gets what is worth knowing about odd mail (nil: nothing is logged).
	Log *slog.Logger
	// NullSender says the mail came with the null envelope sender (MAIL FROM:<>): it is
	// automatic (NoAutoReply, AutoReason "MAIL FROM:<>"), and read as a bounce if its words
	// are those of one.
	NullSender bool
}

// Parsed is a mail as the email channel read it: what the desk takes today (Mail) and
// what the wiring of issue 16 acts on.
type Parsed struct {
	// Mail is the mail for desk.ReceiveMail: sender, subject, threading, Text (the whole
	// text: quoted history and forwarded messages included, clipped to desk.MaxText with the
	// whole in message.txt), Files (= Uploads) and Notes (what was not taken, for the
	// internal comment «Из письма взято не всё: …»; damaged parts included).
	Mail desk.InboundMail
	// Uploads are the stored files, pinned: the caller calls Done on them, also on error.
	Uploads []attachment.Upload
	// NewText is the text without the quoted history of a reply (SplitQuoted), forwarded
	// messages kept; equal to Mail.Text when Quoted is false. Clipped like Mail.Text.
	NewText string
	// Quoted says that quoted history was found: Mail.Text is the full text to show on
	// «показать всё», NewText the message.
	Quoted bool
	// Attachments lists every file part in the order met, stored or not (Stored).
	Attachments []Attachment
	// Damaged lists the parts that could not be read; each is also in Mail.Notes.
	Damaged []DamagedPart
	// Forwarded lists the forwarded messages (message/rfc822 parts), outermost first.
	Forwarded []Forwarded
	// NoAutoReply says the mail must never get an automatic reply (NoAutoReplyReason):
	// an auto-reply, a list or bulk mail, a robot's sender, a bounce.
	NoAutoReply bool
	// AutoReason says why NoAutoReply is set ("" when it is not).
	AutoReason string
	// Bounce is set when the mail reports that a mail was not (or not yet) delivered.
	Bounce *Bounce
}

// Attachment is one file part of a mail.
type Attachment struct {
	// Name is the file's name as stored (sanitised; made up when the mail gave none).
	Name string
	// ContentType is the type the mail declared, lower case, without parameters.
	ContentType string
	// Size is the decoded size in bytes (0 when the part was not read).
	Size int64
	// Inline marks a part shown inside the HTML body (an image of multipart/related).
	Inline bool
	// ContentID is the part's Content-ID without angle brackets ("" when none).
	ContentID string
	// Stored says the file is among Uploads; when false, Mail.Notes say why.
	Stored bool
}

// DamagedPart is a part of a mail that could not be read: the rest of the mail is taken.
type DamagedPart struct {
	// Name is the file's name (sanitised), «текст письма» for a text part.
	Name string `json:"name"`
	// ContentType is the type the mail declared.
	ContentType string `json:"type"`
	// Reason says what is wrong with it, in Russian for the operator.
	Reason string `json:"reason"`
}

// Forwarded is a message forwarded inside a mail (message/rfc822).
type Forwarded struct {
	// From, To, Cc, Date and Subject are its headers decoded to text ("" when missing).
	From, To, Cc, Date, Subject string
	// MessageID is its Message-ID without angle brackets.
	MessageID string
	// Text is its text (plain, else HTML made plain).
	Text string
	// Files names the files it carries (kept inside the .eml, not stored apart).
	Files []string
	// Stored says the message is among Uploads as «<subject>.eml» (message/rfc822).
	Stored bool
}

// errConfirmationMail is parseMail's answer for a confirmation mail of livedesk's own: its
// code is for the account that owns the address, not for whoever holds the mailbox here.
var errConfirmationMail = errors.New("a mailbox confirmation mail")

// errStopWalk ends the walk over a mail's parts early (the part limit was reached).
var errStopWalk = errors.New("stop")

// budget is shared by a mail and the messages forwarded in it.
type budget struct {
	parts   int
	tooDeep bool
	tooMany bool
}

// parser is one mail (or one forwarded message inside it) being taken apart.
type parser struct {
	ctx    context.Context
	limits MIMELimits
	put    PutFunc
	log    *slog.Logger
	budget *budget
	// textOnly: a forwarded message, whose text is read and whose files are only named.
	textOnly bool
	// report: inside a multipart/report (a DSN): a returned message is not a forward.
	report bool

	res       *Parsed
	plain     []string
	html      []string
	textBytes int
	textRunes int
	used      int64
	skipped   int
	readNotes []string
	fileNames []string // textOnly: the files met
	forwards  []string // text blocks of forwarded messages
	dsn       []byte   // the message/delivery-status part
	returned  returnedHeaders
	// lastReason is why the last damaged part could not be read.
	lastReason string
}

// returnedHeaders are the headers of the message a bounce returns.
type returnedHeaders struct {
	messageID, subject, to string
	found                  bool
}

// parseMail reads a mail into what the desk needs, storing its files with put (pinned: the
// caller calls Done on the uploads returned, also with an error). A mail that cannot be
// parsed as MIME is taken as plain text, never refused. Reading stops when ctx ends.
func parseMail(ctx context.Context, r io.Reader, limits MIMELimits, put PutFunc) (desk.InboundMail, []attachment.Upload, error) {
	res, err := ParseMail(ctx, r, ParseOptions{Limits: limits, Put: put})
	return res.Mail, res.Uploads, err
}

// ParseMail reads a mail: sender, subject, threading headers, the text (text/plain, else
// text/html made plain; charsets converted or detected), the files (stored with opts.Put
// within the limits of DESIGN §2.6), forwarded messages (their headers and text added to the
// text, each kept whole as «<subject>.eml»), the quoted history of a reply split off
// (NewText), whether it must never get an automatic reply, and the bounce it is. A damaged
// part is reported (Damaged, Notes) and the rest taken; a mail that is not MIME at all is
// taken as its raw text. The result is never nil; on error its Uploads still need Done.
// Errors: the context's, the store's, and a livedesk confirmation mail (not to be taken).
func ParseMail(ctx context.Context, r io.Reader, opts ParseOptions) (*Parsed, error) {
	p := &parser{ctx: ctx, limits: opts.Limits.withDefaults(), put: opts.Put, log: opts.Log, budget: &budget{}, res: &Parsed{}}
	head := &headKeeper{max: 64 << 10}
	src := &ctxReader{ctx: ctx, r: io.TeeReader(r, head)}
	e, err := message.Read(src)
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		if ctx.Err() != nil {
			return p.res, ctx.Err()
		}
		if bytes.Contains(bytes.ToLower(head.b), []byte(strings.ToLower(ConfirmationHeader)+":")) {
			return p.res, errConfirmationMail // even mangled, its code is not shown
		}
		p.raw(src)
		if opts.NullSender {
			p.res.NoAutoReply, p.res.AutoReason = true, "MAIL FROM:<>"
		}
		return p.res, nil
	}
	head.b, head.max = nil, 0 // not needed past the header
	if e.Header.Get(ConfirmationHeader) != "" {
		return p.res, errConfirmationMail
	}
	p.headers(mail.Header{Header: e.Header})
	ct, params := ParseHeaderParams(e.Header.Get("Content-Type"))
	p.report = ct == "multipart/report"
	if err := p.walk(e, 1); err != nil && !errors.Is(err, errStopWalk) {
		p.res.Uploads = p.uploads()
		return p.res, err
	}
	if err := ctx.Err(); err != nil {
		p.res.Uploads = p.uploads()
		return p.res, err
	}
	if err := p.finish(); err != nil {
		return p.res, err
	}
	p.res.AutoReason = NoAutoReplyReason(e.Header)
	if p.res.AutoReason == "" && opts.NullSender {
		p.res.AutoReason = "MAIL FROM:<>"
	}
	p.res.Bounce = p.bounce(params["report-type"], p.res.AutoReason != "")
	if p.res.AutoReason == "" && p.res.Bounce != nil {
		p.res.AutoReason = "a delivery report"
	}
	p.res.NoAutoReply = p.res.AutoReason != ""
	return p.res, nil
}

// uploads returns the stored files.
func (p *parser) uploads() []attachment.Upload { return p.res.Mail.Files }

// raw takes a mail that is not MIME at all as the start of its text.
func (p *parser) raw(src io.Reader) {
	// message.Read consumed what it could; what is left is shown as it is, like the rest.
	b, _ := io.ReadAll(io.LimitReader(src, 4<<20))
	m := &p.res.Mail
	m.FromAddress = "unknown@unknown.invalid"
	m.Text = clip(cleanText(decodeCharset("", b)), desk.MaxText)
	m.Notes = append(m.Notes, "письмо не разобрано как MIME, показано начало его исходного текста")
	p.res.NewText = m.Text
}

// headers reads sender, subject and threading headers of the mail.
func (p *parser) headers(h mail.Header) {
	m := &p.res.Mail
	m.FromName, m.FromAddress = parseAddress(h.Get("From"))
	if m.FromAddress == "" {
		m.FromAddress = "unknown@unknown.invalid"
	}
	m.Subject = clip(oneLine(DecodeHeader(h.Get("Subject"))), 300)
	m.FromName = clip(m.FromName, 200)
	m.MessageID, _ = h.MessageID()
	m.MessageID = clip(m.MessageID, 500)
	if ids, err := h.MsgIDList("References"); err == nil {
		m.Thread = append(m.Thread, ids...)
	}
	if ids, err := h.MsgIDList("In-Reply-To"); err == nil {
		m.Thread = append(m.Thread, ids...)
	}
	if len(m.Thread) > 100 { // the first and the latest, enough to find the thread
		m.Thread = append(m.Thread[:1:1], m.Thread[len(m.Thread)-99:]...)
	}
}

// parseAddress reads the first address of a header value: raw 8-bit display names are
// decoded (detected), encoded words too, also broken ones. addr is lower case ("" when
// there is none).
func parseAddress(v string) (name, addr string) {
	if strings.TrimSpace(v) == "" {
		return "", ""
	}
	if !utf8.ValidString(v) {
		v = decodeCharset("", []byte(v))
	}
	if list, err := mail.ParseAddressList(v); err == nil && len(list) > 0 {
		name = list[0].Name
		if strings.Contains(name, "=?") {
			name = DecodeHeader(name)
		}
		return strings.TrimSpace(oneLine(name)), strings.ToLower(list[0].Address)
	}
	// Not RFC 5322: «Имя <addr>», a bare address, or whatever has an @ in it.
	if lt := strings.LastIndexByte(v, '<'); lt >= 0 {
		if gt := strings.IndexByte(v[lt:], '>'); gt > 0 && strings.Contains(v[lt:lt+gt], "@") {
			name = strings.Trim(strings.TrimSpace(v[:lt]), `"' `)
			return strings.TrimSpace(oneLine(DecodeHeader(name))), strings.ToLower(strings.TrimSpace(v[lt+1 : lt+gt]))
		}
	}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '"' || r == '\t' }) {
		if strings.Contains(f, "@") {
			return "", strings.ToLower(strings.Trim(f, "<>()"))
		}
	}
	return "", ""
}

// oneLine makes header text one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// walk visits an entity at the given depth: a multipart's parts one after another, within
// the limits, or a leaf as text or file.
func (p *parser) walk(e *message.Entity, depth int) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	if p.budget.parts++; p.budget.parts > p.limits.MaxParts {
		p.budget.tooMany = true
		return errStopWalk
	}
	if mr := e.MultipartReader(); mr != nil {
		if depth > p.limits.MaxDepth {
			// Not opened: its bytes are skipped by the enclosing part's reader, at the cost
			// of the depth reached so far.
			p.budget.tooDeep = true
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
				if reason := readReason(err); reason != p.lastReason { // not twice for one cut
					p.readNotes = append(p.readNotes, "часть письма не прочитана: "+reason)
				}
				return nil
			}
			if err := p.walk(part, depth+1); err != nil {
				return err
			}
		}
	}
	return p.leaf(e, depth)
}

// leaf takes a part that is not multipart: text parts without a name become the message's
// text, a forwarded message its text and an .eml file, delivery reports the bounce,
// anything else a file.
func (p *parser) leaf(e *message.Entity, depth int) error {
	ct, ctParams := ParseHeaderParams(e.Header.Get("Content-Type"))
	if ct == "" || !strings.Contains(ct, "/") {
		ct = "text/plain"
	}
	disp, dParams := ParseHeaderParams(e.Header.Get("Content-Disposition"))
	name := dParams["filename"]
	if name == "" {
		name = ctParams["name"]
	}
	cid := strings.Trim(strings.TrimSpace(e.Header.Get("Content-Id")), "<>")
	switch {
	case ct == "message/delivery-status" || ct == "message/global-delivery-status":
		b, _ := io.ReadAll(io.LimitReader(e.Body, 256<<10))
		if p.dsn == nil {
			p.dsn = b
		}
		return p.ctx.Err()
	case ct == "text/rfc822-headers" || ct == "message/global-headers":
		p.readReturnedHeaders(e.Body)
		return p.ctx.Err()
	case ct == "message/rfc822" || ct == "message/global":
		return p.forwarded(e, depth, name)
	case name == "" && disp != "attachment" && (ct == "text/plain" || ct == "text/html" || ct == "text/enriched"):
		return p.text(e, ct, ctParams)
	}
	if ct == TypeTNEF || strings.EqualFold(name, "winmail.dat") {
		ct = TypeTNEF
		if name == "" {
			name = "winmail.dat"
		}
	}
	if name == "" {
		name = madeUpName(ct, cid)
	}
	inline := cid != "" || disp == "inline"
	return p.file(e, name, ct, cid, inline && !strings.HasPrefix(ct, "application/"))
}

// madeUpName names a file the mail did not name: Outlook's Content-IDs
// («image001.png@01DA…») carry one, else «part» and the type's extension.
func madeUpName(ct, cid string) string {
	if local, _, _ := strings.Cut(cid, "@"); strings.Contains(local, ".") && len(local) < 100 {
		return local
	}
	return "part" + extension(ct)
}

// text reads a text part into the text of the mail.
func (p *parser) text(e *message.Entity, ct string, params map[string]string) error {
	room := maxTextBytes - p.textBytes
	if room <= 0 {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(e.Body, int64(room)))
	if err != nil {
		if cerr := p.ctx.Err(); cerr != nil {
			return cerr
		}
		p.damaged("текст письма", ct, err)
	}
	p.textBytes += len(b)
	// go-message converted a charset it knows (other than UTF-8 and ASCII); the rest is
	// still bytes: detected.
	var s string
	label := params["charset"]
	if ct == "text/html" && label == "" {
		label = htmlCharset(b)
	}
	if converted(e.Header) {
		s = strings.ToValidUTF8(string(b), "\uFFFD")
	} else {
		s = decodeCharset(label, b)
	}
	if strings.TrimSpace(s) == "" {
		return nil
	}
	p.textRunes += utf8.RuneCountInString(s)
	switch ct {
	case "text/html":
		p.html = append(p.html, s)
	case "text/enriched":
		p.plain = append(p.plain, htmlToText(s))
	default:
		p.plain = append(p.plain, s)
	}
	return nil
}

// converted says whether go-message converted the part's charset to UTF-8 already (it does
// so for a charset it knows, other than UTF-8 and ASCII, when the header parses).
func converted(h message.Header) bool {
	_, params, err := h.ContentType()
	if err != nil {
		return false
	}
	label := strings.ToLower(params["charset"])
	if label == "" || label == "utf-8" || label == "us-ascii" {
		return false
	}
	_, err = charset.Reader(label, strings.NewReader(""))
	return err == nil
}

// file stores a file part within the limits of a message.
func (p *parser) file(e *message.Entity, name, ct, cid string, inline bool) error {
	a := Attachment{Name: attachment.SanitizeName(name), ContentType: ct, ContentID: cid, Inline: inline}
	if p.textOnly {
		p.fileNames = append(p.fileNames, a.Name)
		return nil
	}
	defer func() { p.res.Attachments = append(p.res.Attachments, a) }()
	// A text too long for a message is kept whole as a file: it keeps a place for it.
	if !p.room() || p.put == nil {
		if p.put != nil {
			p.skipped++
		}
		n, _ := io.Copy(io.Discard, e.Body)
		a.Size = n
		return p.ctx.Err()
	}
	body := &errReader{r: e.Body}
	u, err := p.put(p.ctx, name, body, attachment.MaxBytes-p.used)
	if livedesk.IsCode(err, livedesk.CodeTooLarge) {
		p.res.Mail.Notes = append(p.res.Mail.Notes, fmt.Sprintf("файл «%s» не принят: файлы письма больше 25 МБ вместе", a.Name))
		return nil
	}
	if err != nil {
		if cerr := p.ctx.Err(); cerr != nil {
			return cerr
		}
		if body.err != nil { // the mail's fault (cut short, bad encoding), not the store's
			p.damaged(a.Name, ct, body.err)
			return nil
		}
		return err
	}
	switch ct {
	case TypeTNEF, TypeRFC822:
		u.ContentType = ct
	}
	p.used += u.Size
	p.res.Mail.Files = append(p.res.Mail.Files, u)
	a.Name, a.Size, a.Stored = u.Name, u.Size, true
	return nil
}

// room says whether another file may be stored (a text too long for a message keeps a
// place for message.txt).
func (p *parser) room() bool {
	return len(p.res.Mail.Files) < attachment.MaxFiles-b2i(p.textRunes > desk.MaxText)
}

// damaged reports a part that could not be read.
func (p *parser) damaged(name, ct string, err error) {
	reason := readReason(err)
	p.lastReason = reason
	p.res.Damaged = append(p.res.Damaged, DamagedPart{Name: name, ContentType: ct, Reason: reason})
	if name == "текст письма" {
		p.readNotes = append(p.readNotes, fmt.Sprintf("текст письма (%s) прочитан не весь: %s", ct, reason))
		return
	}
	p.readNotes = append(p.readNotes, fmt.Sprintf("файл «%s» (%s) не прочитан: %s", name, ct, reason))
}

// readReason says in words what went wrong reading a part.
func readReason(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(msg, "EOF"):
		return "часть обрывается, её конец не дошёл"
	case strings.Contains(msg, "illegal base64 data"):
		return "повреждён base64 (" + msg + ")"
	case strings.Contains(msg, "quotedprintable"):
		return "повреждён quoted-printable (" + clip(msg, 150) + ")"
	}
	return clip(msg, 200)
}

// readReturnedHeaders reads the header block of a returned message (text/rfc822-headers).
func (p *parser) readReturnedHeaders(r io.Reader) {
	b, _ := io.ReadAll(io.LimitReader(r, 256<<10))
	if !bytes.HasSuffix(b, []byte("\n\n")) && !bytes.HasSuffix(b, []byte("\r\n\r\n")) {
		b = append(b, "\r\n\r\n"...)
	}
	e, err := message.Read(bytes.NewReader(b))
	if e == nil || (err != nil && !message.IsUnknownCharset(err)) {
		return
	}
	p.noteReturned(mail.Header{Header: e.Header})
}

func (p *parser) noteReturned(h mail.Header) {
	if p.returned.found {
		return
	}
	id, _ := h.MessageID()
	p.returned = returnedHeaders{messageID: id, subject: DecodeHeader(h.Get("Subject")), to: h.Get("To"), found: true}
}

// finish makes the text and the notes of what was not taken.
func (p *parser) finish() error {
	m := &p.res.Mail
	m.Notes = append(m.Notes, p.readNotes...)
	if p.budget.tooDeep {
		m.Notes = append(m.Notes, fmt.Sprintf("части, вложенные глубже %d уровней, не разобраны", p.limits.MaxDepth))
	}
	if p.budget.tooMany {
		m.Notes = append(m.Notes, fmt.Sprintf("в письме больше %d частей, остальные не разобраны", p.limits.MaxParts))
	}
	if p.skipped > 0 {
		m.Notes = append(m.Notes, fmt.Sprintf("не принято файлов: %d (в одном сообщении не больше %d)", p.skipped, attachment.MaxFiles))
	}
	own := p.ownText()
	fresh, quoted := own, false
	if !IsForwardSubject(m.Subject) {
		fresh, quoted = SplitQuoted(own)
	}
	full := joinBlocks(append([]string{own}, p.forwards...))
	if quoted {
		fresh = joinBlocks(append([]string{fresh}, p.forwards...))
	} else {
		fresh = full
	}
	text := full
	if utf8.RuneCountInString(text) > desk.MaxText {
		note := fmt.Sprintf("текст длиннее %d символов обрезан", desk.MaxText)
		if len(m.Files) < attachment.MaxFiles && p.put != nil {
			// The whole text is kept as a file, so that nothing of it is lost.
			u, err := p.put(p.ctx, "message.txt", strings.NewReader(text), attachment.MaxBytes-p.used)
			switch {
			case err == nil:
				m.Files = append(m.Files, u)
				p.res.Attachments = append(p.res.Attachments, Attachment{Name: u.Name, ContentType: "text/plain", Size: u.Size, Stored: true})
				note += ", полностью он во вложении message.txt"
			case p.ctx.Err() != nil:
				p.res.Uploads = m.Files
				return p.ctx.Err()
			}
		}
		m.Notes = append(m.Notes, note)
		text = clipText(text)
	}
	m.Text = text
	p.res.NewText = clipText(fresh)
	p.res.Quoted = quoted
	p.res.Uploads = m.Files
	return nil
}

// ownText is the mail's own text: its plain parts, else its HTML parts made plain.
func (p *parser) ownText() string {
	text := strings.Join(p.plain, "\n\n")
	if strings.TrimSpace(text) == "" && len(p.html) > 0 {
		parts := make([]string, 0, len(p.html))
		for _, h := range p.html {
			parts = append(parts, htmlToText(h))
		}
		text = strings.Join(parts, "\n\n")
	}
	return strings.TrimSpace(cleanText(text))
}

// joinBlocks joins the non-empty blocks of text with a blank line.
func joinBlocks(blocks []string) string {
	out := make([]string, 0, len(blocks))
	for _, b := range blocks {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return strings.Join(out, "\n\n")
}

// clipText cuts a text to desk.MaxText characters, the last one «…».
func clipText(s string) string {
	if utf8.RuneCountInString(s) <= desk.MaxText {
		return s
	}
	return string([]rune(s)[:desk.MaxText-1]) + "…"
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
	s = strings.ReplaceAll(s, "\r", "\n")
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
