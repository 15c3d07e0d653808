package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"livedesk/internal/attachment"
	"livedesk/internal/livedesk"
)

// uploadItem is one file of an upload answer.
type uploadItem struct {
	ID          livedesk.ID `json:"id"`
	Name        string      `json:"name"`
	Size        int64       `json:"size"`
	ContentType string      `json:"content_type"`
	Width       int         `json:"width"`
	Height      int         `json:"height"`
	Preview     bool        `json:"preview"`
}

// uploadAttachments takes up to 5 files from an operator who may reply.
func (s *Server) uploadAttachments(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.op.Status == livedesk.StatusOffline {
		return livedesk.Errorf(livedesk.CodeOperatorOffline, "you are offline: choose a status first")
	}
	if !c.op.Status.Can(livedesk.ActionReply) {
		return livedesk.Errorf(livedesk.CodeForbidden, "status %s does not allow this", c.op.Status)
	}
	return s.upload(w, r, c.op.AccountID, livedesk.AuthorOperator, c.op.ID)
}

// widgetUpload takes up to 5 files from a visitor.
func (s *Server) widgetUpload(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	if err := s.allowVisitor(r, actUpload, c.cp); err != nil {
		return err
	}
	return s.upload(w, r, c.visitor.AccountID, livedesk.AuthorVisitor, c.visitor.VisitorID)
}

// upload streams a multipart body into the attachment storage (the limits are enforced
// while reading; nothing is buffered) and records the files as unsent uploads.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, account livedesk.ID, uploader livedesk.AuthorType, uploaderID livedesk.ID) error {
	if s.cfg.Files == nil {
		return livedesk.Errorf(livedesk.CodeUnavailable, "file storage is not configured")
	}
	r.Body = http.MaxBytesReader(w, r.Body, attachment.MaxBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "the body must be multipart/form-data with file parts")
	}
	files, err := s.cfg.Files.Receive(r.Context(), mr)
	if err != nil {
		return err
	}
	atts, err := s.desk.RecordUploads(r.Context(), account, uploader, uploaderID, files)
	s.cfg.Files.Done(context.WithoutCancel(r.Context()), files, err == nil)
	if err != nil {
		return err
	}
	out := make([]uploadItem, len(atts))
	for i, a := range atts {
		out[i] = uploadItem{ID: a.ID, Name: a.Name, Size: a.Size, ContentType: a.ContentType, Width: a.Width, Height: a.Height, Preview: a.Preview}
	}
	return writeJSON(w, http.StatusCreated, out)
}

// downloadAttachment serves a file to an operator: one sent in a conversation they may read
// (desk.ReadAttachment), or their own upload not sent yet.
func (s *Server) downloadAttachment(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "attachment")
	if err != nil {
		return err
	}
	f, err := s.desk.ReadAttachment(r.Context(), c.op, id)
	if err != nil {
		return err
	}
	return s.serveAttachment(w, r, f)
}

// widgetDownload serves a file to the visitor of the conversation it was sent in (never
// from an internal comment), or to the visitor who uploaded it before it is sent.
func (s *Server) widgetDownload(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	id, err := pathID(r, "attachment")
	if err != nil {
		return err
	}
	f, err := s.desk.VisitorAttachment(r.Context(), c.visitor.AccountID, c.visitor.VisitorID, id)
	if err != nil {
		return err
	}
	return s.serveAttachment(w, r, f)
}

// serveAttachment writes a file: as a download (application/octet-stream, Content-Disposition
// attachment) unless ?inline=1 asks for a preview and the file is a raster image whose bytes
// match its type. Every answer forbids sniffing and runs any content in a sandbox with no
// sources. Range requests and conditional requests are served by http.ServeContent.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request, f *livedesk.AttachmentFile) error {
	if f.Expired {
		return livedesk.Errorf(livedesk.CodeGone, "the file %q was deleted: its storage period is over", f.Name)
	}
	if s.cfg.Files == nil {
		return livedesk.Errorf(livedesk.CodeUnavailable, "file storage is not configured")
	}
	rc, err := s.cfg.Files.Open(f.SHA256)
	if errors.Is(err, attachment.ErrNotFound) {
		s.log.Warn("attachment content missing", "attachment", f.ID, "sha256", f.SHA256)
		return livedesk.Errorf(livedesk.CodeGone, "the file %q is no longer stored", f.Name)
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(rc, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	if _, err := rc.Seek(0, io.SeekStart); err != nil {
		return err
	}
	typ, disp, variant := "application/octet-stream", "attachment", "a"
	if r.URL.Query().Get("inline") == "1" {
		if t := attachment.InlineType(f.ContentType, head[:n]); t != "" {
			typ, disp, variant = t, "inline", "i"
		}
	}
	h := w.Header()
	h.Set("Content-Type", typ)
	h.Set("Content-Disposition", contentDisposition(disp, f.Name))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+f.SHA256+"-"+variant+`"`)
	http.ServeContent(w, r, "", f.CreatedAt, rc)
	return nil
}

// contentDisposition builds a Content-Disposition header with an ASCII fallback name and
// the real name in RFC 5987 form (filename* in UTF-8, percent-encoded), which browsers
// prefer.
func contentDisposition(kind, name string) string {
	var ascii strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			ascii.WriteByte('_')
		} else {
			ascii.WriteRune(r)
		}
	}
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, kind, ascii.String(), rfc5987(name))
}

// rfc5987 percent-encodes every byte that is not an attr-char of RFC 5987.
func rfc5987(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
