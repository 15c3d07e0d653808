package attachment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"livedesk/internal/livedesk"
)

// Limits of DESIGN §2.6, per upload request and per message.
const (
	// MaxFiles is the most files one upload request or one message may carry.
	MaxFiles = 5
	// MaxBytes is the most bytes of file content one upload request or one message may
	// carry together (25 MiB).
	MaxBytes int64 = 26_214_400
	// maxEnvelope is what a multipart body may carry besides file content: part headers,
	// boundaries and small form fields.
	maxEnvelope int64 = 1 << 20
	// maxFieldBytes is the largest non-file form field read (and ignored).
	maxFieldBytes int64 = 64 << 10
	// maxFields is the most non-file parts a body may have.
	maxFields = 16
)

// MaxBody is the most bytes an upload request body may have in all.
const MaxBody = MaxBytes + maxEnvelope

// Upload is one stored file of an upload request, not yet recorded.
type Upload struct {
	// Name is the sanitised file name.
	Name string
	// Size is the content's length in bytes.
	Size int64
	// SHA256 names the content in the Storage.
	SHA256 string
	// Width and Height are a picture's dimensions read from its header (0: not a picture
	// livedesk reads).
	Width, Height int
	// ContentType is the type recorded for the attachment: the extension's type when the
	// extension is known, else the type sniffed from the first 512 bytes.
	ContentType string
}

// Files is the attachment content service: it receives multipart uploads within the limits
// into a Storage and decides, together with the database (inUse), when content may be
// deleted. Content is pinned from the moment it is stored until the caller has recorded it
// (Done), so the retention sweeper never deletes content an upload in flight is about to
// reference.
//
// Pins are kept in memory, so they protect this node's uploads only. With several nodes on one
// shared storage, the retention sweeper (on one node) deletes through RemoveExpired, which
// also spares content stored within RecentGrace: another node's upload in flight has just
// stored it (see docs/attachments.md).
type Files struct {
	storage Storage
	inUse   func(ctx context.Context, sha string) (bool, error)
	log     *slog.Logger

	mu   sync.Mutex
	pins map[string]int
}

// NewFiles returns the service. inUse reports whether any attachment that is not expired
// (sent or not) references the content.
func NewFiles(st Storage, inUse func(ctx context.Context, sha string) (bool, error), log *slog.Logger) *Files {
	return &Files{storage: st, inUse: inUse, log: log, pins: map[string]int{}}
}

// Open returns the content with this hash, or ErrNotFound.
func (f *Files) Open(sha string) (io.ReadSeekCloser, error) { return f.storage.Open(sha) }

// Receive reads the file parts of a multipart body one after another, each streamed
// straight into the Storage; nothing is buffered in memory beyond a copy buffer. Every
// part with a file name is a file (whatever its form field name); other parts are read
// and ignored (at most 16 of at most 64 KiB). It stops at once and answers
//
//   - too_many_files when a sixth file part begins (its content is not read);
//   - too_large as soon as the files together exceed MaxBytes (reading stops one byte past
//     the limit);
//   - invalid_input for a body that is not multipart, is malformed or has no file.
//
// On success the uploads are pinned: call Done when they are recorded (or not). On error
// nothing of the request is kept.
func (f *Files) Receive(ctx context.Context, mr *multipart.Reader) (out []Upload, err error) {
	defer func() {
		if err != nil {
			f.Done(ctx, out, false)
			out = nil
		}
	}()
	var used int64
	fields := 0
	for {
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, readError(err)
		}
		if part.FileName() == "" {
			fields++
			if fields > maxFields {
				return out, livedesk.Errorf(livedesk.CodeInvalidInput, "too many form fields; send only the files")
			}
			n, err := io.Copy(io.Discard, io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return out, readError(err)
			}
			if n > maxFieldBytes {
				return out, livedesk.Errorf(livedesk.CodeInvalidInput, "form field %q is longer than %d bytes", part.FormName(), maxFieldBytes)
			}
			continue
		}
		if len(out) == MaxFiles {
			return out, livedesk.Errorf(livedesk.CodeTooManyFiles, "at most %d files can be sent at once", MaxFiles)
		}
		u, err := f.Put(ctx, part.FileName(), part, MaxBytes-used)
		if err != nil {
			return out, err
		}
		used += u.Size
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "the request has no files: send multipart/form-data with file parts")
	}
	return out, nil
}

// TooLarge is the error for files over MaxBytes together.
func TooLarge() error {
	return livedesk.Errorf(livedesk.CodeTooLarge, "the files are larger than 25 MiB (%d bytes) together", MaxBytes)
}

// readError turns a failure to read the multipart body into an API error.
func readError(err error) error {
	var mbe *http.MaxBytesError
	var le *livedesk.Error
	switch {
	case errors.As(err, &mbe):
		return TooLarge()
	case errors.As(err, &le):
		return le // e.g. the body's read deadline
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	default:
		return &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: "the multipart body is malformed or ended early", Err: err}
	}
}

// Put stores one file read from r within limit bytes and pins it (call Done when it is
// recorded, or not). The name is sanitised. Reading past limit is too_large.
func (f *Files) Put(ctx context.Context, fileName string, r io.Reader, limit int64) (Upload, error) {
	src := &srcReader{r: r}
	p, err := f.storage.Put(ctx, src, limit)
	switch {
	case errors.Is(err, ErrTooLarge):
		return Upload{}, TooLarge()
	case err != nil && src.err != nil:
		return Upload{}, readError(src.err) // the client's body, not our disk
	case err != nil:
		return Upload{}, err
	}
	b := p.Blob()
	f.mu.Lock()
	err = p.Commit()
	if err == nil {
		f.pins[b.SHA256]++
	}
	f.mu.Unlock()
	if err != nil {
		p.Discard()
		return Upload{}, err
	}
	name := SanitizeName(fileName)
	u := Upload{Name: name, Size: b.Size, SHA256: b.SHA256, ContentType: RecordType(name, b.Head)}
	if strings.HasPrefix(u.ContentType, "image/") {
		if rc, err := f.storage.Open(b.SHA256); err == nil {
			u.Width, u.Height = Dimensions(rc)
			rc.Close()
		}
	}
	return u, nil
}

// srcReader remembers the error of the request body, to tell it from storage errors.
type srcReader struct {
	r   io.Reader
	err error
}

func (s *srcReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// Done unpins uploads once they are recorded in the database (kept) or not; content of
// uploads that were not kept is deleted unless something else uses it.
func (f *Files) Done(ctx context.Context, uploads []Upload, kept bool) {
	f.mu.Lock()
	for _, u := range uploads {
		if f.pins[u.SHA256]--; f.pins[u.SHA256] <= 0 {
			delete(f.pins, u.SHA256)
		}
	}
	f.mu.Unlock()
	if kept {
		return
	}
	for _, u := range uploads {
		if err := f.Remove(ctx, u.SHA256); err != nil {
			f.log.Warn("remove unrecorded upload", "sha256", u.SHA256, "err", err)
		}
	}
}

// Remove deletes content unless an upload in flight has it pinned or an attachment that is
// not expired uses it. It reports no error for content already gone.
func (f *Files) Remove(ctx context.Context, sha string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pins[sha] > 0 {
		return nil
	}
	used, err := f.inUse(ctx, sha)
	if err != nil {
		return fmt.Errorf("is content in use: %w", err)
	}
	if used {
		return nil
	}
	return f.storage.Delete(sha)
}

// RecentGrace is how long content stored by an upload is spared by RemoveExpired, whatever
// the database says: far longer than an upload takes from storing its content to recording
// it.
const RecentGrace = time.Hour

// RemoveExpired is Remove for the retention sweeper: it also spares content stored within
// RecentGrace (an upload in flight on another node, whose pin this node cannot see; that
// upload's row, once recorded, keeps it). Content it spares is looked at again by the next
// sweep only if an attachment still names it; otherwise it stays (a rare leftover, bounded by
// what uploads repeat at the moment their earlier copy expires).
// now is the sweeper's clock.
func (f *Files) RemoveExpired(ctx context.Context, sha string, now time.Time) error {
	at, err := f.storage.Stored(sha)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if now.Sub(at) < RecentGrace {
		return nil
	}
	return f.Remove(ctx, sha)
}

// rasterTypes are the image types that may be previewed inline.
var rasterTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// RecordType is the content type recorded for a file: the type of its extension when the
// extension is known, else the type sniffed from its first bytes (http.DetectContentType).
func RecordType(name string, head []byte) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); t != "" {
		return t
	}
	return http.DetectContentType(head)
}

// InlineType returns the type to serve a file inline with, or "" when it must be a
// download: only raster images (PNG, JPEG, GIF, WebP) whose first bytes sniff as the very
// type recorded for the file. SVG, HTML and everything else are never inline.
func InlineType(recorded string, head []byte) string {
	sniffed := http.DetectContentType(head)
	if !rasterTypes[sniffed] {
		return ""
	}
	base, _, _ := strings.Cut(recorded, ";")
	if strings.TrimSpace(strings.ToLower(base)) != sniffed {
		return ""
	}
	return sniffed
}
