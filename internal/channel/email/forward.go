package email

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"livedesk/internal/attachment"
	"livedesk/internal/livedesk"
)

// Headings of the text block a forwarded or returned message becomes.
const (
	forwardHeading  = "---------- Пересланное письмо ----------"
	returnedHeading = "---------- Возвращённое письмо ----------"
)

// errPutDone tells the writer of a forwarded message's file that the store stopped reading.
var errPutDone = errors.New("the file store stopped reading")

// forwarded takes a message/rfc822 part (base64 or quoted-printable too: go-message
// decodes the part): its headers and text are added to the mail's text, and the message
// itself is stored whole, in the same single pass, as «<subject>.eml» of type
// message/rfc822. Inside a forwarded message (textOnly) nothing is stored.
func (p *parser) forwarded(e *message.Entity, depth int, name string) error {
	var sink *pipeSink
	src := io.Reader(e.Body)
	if !p.textOnly && p.put != nil && p.room() {
		sink = p.startPut()
		src = io.TeeReader(e.Body, sink)
	} else if !p.textOnly && p.put != nil {
		p.skipped++
	}
	body := &errReader{r: src}
	var f Forwarded
	sub := &parser{ctx: p.ctx, limits: p.limits, log: p.log, budget: p.budget, textOnly: true, res: &Parsed{}}
	if depth >= p.limits.MaxDepth {
		p.budget.tooDeep = true // kept as a file, not opened
	} else if inner, err := message.Read(body); err == nil || message.IsUnknownCharset(err) || message.IsUnknownEncoding(err) {
		h := mail.Header{Header: inner.Header}
		f.From = clip(oneLine(DecodeHeader(h.Get("From"))), 300)
		f.To = clip(oneLine(DecodeHeader(h.Get("To"))), 300)
		f.Cc = clip(oneLine(DecodeHeader(h.Get("Cc"))), 300)
		f.Date = clip(oneLine(h.Get("Date")), 100)
		f.Subject = clip(oneLine(DecodeHeader(h.Get("Subject"))), 300)
		f.MessageID, _ = h.MessageID()
		f.MessageID = clip(f.MessageID, 500)
		if p.report {
			p.noteReturned(h)
		}
		if err := sub.walk(inner, depth+1); err != nil && !errors.Is(err, errStopWalk) {
			if sink != nil {
				sink.abandon(err)
			}
			return err
		}
	}
	// The rest of the message, for its file.
	if _, err := io.Copy(io.Discard, body); err != nil && body.err == nil {
		body.err = err
	}
	if cerr := p.ctx.Err(); cerr != nil {
		if sink != nil {
			sink.abandon(cerr)
		}
		return cerr
	}
	sub.finishText()
	f.Text = sub.res.Mail.Text
	f.Files = sub.fileNames
	p.readNotes = append(p.readNotes, sub.readNotes...)
	if sink != nil {
		if err := p.storeForwarded(sink, body.err, &f, name); err != nil {
			return err
		}
	} else if body.err != nil {
		p.damaged(emlName(f.Subject, name), TypeRFC822, body.err)
	}
	if p.textOnly {
		p.fileNames = append(p.fileNames, emlName(f.Subject, name))
	} else {
		p.res.Forwarded = append(p.res.Forwarded, f)
	}
	heading := forwardHeading
	if p.report {
		heading = returnedHeading
	}
	p.forwards = append(p.forwards, forwardBlock(heading, f))
	return nil
}

// storeForwarded waits for the .eml being stored and records it.
func (p *parser) storeForwarded(sink *pipeSink, readErr error, f *Forwarded, name string) error {
	sink.pw.CloseWithError(readErr) // nil: the file ends here
	r := <-sink.done
	fileName := emlName(f.Subject, name)
	a := Attachment{Name: attachment.SanitizeName(fileName), ContentType: TypeRFC822}
	switch {
	case r.err == nil: // a read error reaches the store through the pipe: this is whole
		r.u.Name, r.u.ContentType = a.Name, TypeRFC822
		p.used += r.u.Size
		p.res.Mail.Files = append(p.res.Mail.Files, r.u)
		a.Size, a.Stored = r.u.Size, true
		f.Stored = true
	case livedesk.IsCode(r.err, livedesk.CodeTooLarge):
		p.res.Mail.Notes = append(p.res.Mail.Notes, fmt.Sprintf("файл «%s» не принят: файлы письма больше 25 МБ вместе", a.Name))
	case readErr != nil:
		p.damaged(a.Name, TypeRFC822, readErr)
	case p.ctx.Err() != nil:
		return p.ctx.Err()
	default:
		return r.err
	}
	p.res.Attachments = append(p.res.Attachments, a)
	return nil
}

// emlName names the file of a forwarded message after its subject.
func emlName(subject, partName string) string {
	base := strings.TrimSpace(subject)
	if base == "" {
		base = strings.TrimSuffix(strings.TrimSpace(partName), ".eml")
	}
	if base == "" {
		base = "message"
	}
	return base + ".eml"
}

// forwardBlock is the text a forwarded message adds to the mail's text.
func forwardBlock(heading string, f Forwarded) string {
	var b strings.Builder
	b.WriteString(heading + "\n")
	for _, h := range [][2]string{{"От", f.From}, {"Дата", f.Date}, {"Тема", f.Subject}, {"Кому", f.To}, {"Копия", f.Cc}} {
		if h[1] != "" {
			b.WriteString(h[0] + ": " + h[1] + "\n")
		}
	}
	if len(f.Files) > 0 {
		b.WriteString("Файлы: " + strings.Join(f.Files, ", ") + "\n")
	}
	if f.Text != "" {
		b.WriteString("\n" + f.Text)
	}
	return strings.TrimSpace(b.String())
}

// finishText makes the text of a forwarded message: its own text and the messages it
// forwards in turn.
func (p *parser) finishText() {
	p.res.Mail.Text = joinBlocks(append([]string{p.ownText()}, p.forwards...))
}

// putResult is what the store answered for a file written through a pipe.
type putResult struct {
	u   attachment.Upload
	err error
}

// pipeSink feeds a file to the store while the same bytes are parsed. Once the store
// stops reading (a limit, an error), writes are dropped, so that parsing goes on.
type pipeSink struct {
	pw   *io.PipeWriter
	dead bool
	done chan putResult
}

func (s *pipeSink) Write(b []byte) (int, error) {
	if !s.dead {
		if _, err := s.pw.Write(b); err != nil {
			s.dead = true
		}
	}
	return len(b), nil
}

// abandon ends the file with err and waits for the store; what it stored is not kept.
func (s *pipeSink) abandon(err error) {
	s.pw.CloseWithError(err)
	<-s.done
}

// startPut starts storing a file that is written to the returned sink.
func (p *parser) startPut() *pipeSink {
	pr, pw := io.Pipe()
	s := &pipeSink{pw: pw, done: make(chan putResult, 1)}
	limit := attachment.MaxBytes - p.used
	put, ctx := p.put, p.ctx
	go func() {
		u, err := put(ctx, "message.eml", pr, limit)
		pr.CloseWithError(errPutDone)
		s.done <- putResult{u, err}
	}()
	return s
}
