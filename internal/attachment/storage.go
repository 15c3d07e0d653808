package attachment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrTooLarge is returned by Storage.Put when the content is longer than the limit. Nothing
// is kept then.
var ErrTooLarge = errors.New("attachment: content exceeds the limit")

// ErrNotFound is returned by Storage.Open when there is no content for the hash.
var ErrNotFound = errors.New("attachment: no such content")

// Blob is stored content: its SHA-256 (lower-case hex), its size and its first bytes (up to
// 512, what http.DetectContentType looks at).
type Blob struct {
	SHA256 string
	Size   int64
	Head   []byte
}

// Storage keeps file contents by their SHA-256. Put is called concurrently; the same
// content put twice is stored once.
//
// Storing is two steps, Put then Pending.Commit, so that the caller can make "content
// appears under its hash" atomic with its own bookkeeping (Files pins the hash in the
// same critical section in which the retention sweeper decides what to delete).
type Storage interface {
	// Put reads r to the end into temporary storage and hashes it. When r has more than
	// limit bytes, Put stops reading right after the limit, keeps nothing and returns
	// ErrTooLarge. A failed Put leaves nothing behind.
	Put(ctx context.Context, r io.Reader, limit int64) (Pending, error)
	// Open returns the content with this hash, or ErrNotFound.
	Open(sha string) (io.ReadSeekCloser, error)
	// Delete removes the content with this hash; deleting missing content is not an error.
	Delete(sha string) error
	// Stored reports when the content with this hash was last stored (a Put of the same
	// content stores it again), or ErrNotFound.
	Stored(sha string) (time.Time, error)
}

// Pending is content read by Put but not yet stored under its hash.
type Pending interface {
	// Blob describes the content.
	Blob() Blob
	// Commit stores the content under its hash (content already stored is kept as is).
	Commit() error
	// Discard throws the content away; it may be called after Commit, then it does
	// nothing.
	Discard()
}

// Disk is a Storage in a directory of the local file system:
//
//	DIR/ab/cd/abcd…(64 hex digits)   content, by SHA-256
//	DIR/tmp/upload-*                 uploads in progress
//
// Content is written to a temporary file in DIR/tmp (the same file system), fsynced, then
// renamed into place, and the directory is fsynced, so a crash never leaves a partial file
// under a content name. Temporary files left by a crash are removed by NewDisk.
type Disk struct {
	dir string
}

// leftoverAge is how old a temporary file must be to count as a crashed upload's leftover:
// the directory may be shared by several nodes, whose uploads in progress are younger (a
// body that slow is cut long before).
const leftoverAge = time.Hour

// NewDisk opens (creating) the storage directory and removes leftover temporary files (those
// older than leftoverAge).
func NewDisk(dir string) (*Disk, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("files directory: %w", err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "tmp"))
	if err != nil {
		return nil, fmt.Errorf("files directory: %w", err)
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) < leftoverAge {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, "tmp", e.Name())); err != nil {
			return nil, fmt.Errorf("remove leftover upload: %w", err)
		}
	}
	return &Disk{dir: dir}, nil
}

// Dir is the storage directory.
func (d *Disk) Dir() string { return d.dir }

// validSHA reports whether s is 64 lower-case hex digits (so it is safe in a path).
func validSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func (d *Disk) path(sha string) string {
	return filepath.Join(d.dir, sha[:2], sha[2:4], sha)
}

// Put implements Storage.
func (d *Disk) Put(ctx context.Context, r io.Reader, limit int64) (Pending, error) {
	tmp, err := os.CreateTemp(filepath.Join(d.dir, "tmp"), "upload-*")
	if err != nil {
		return nil, fmt.Errorf("create upload file: %w", err)
	}
	p := &diskPending{d: d, tmp: tmp.Name()}
	h := sha256.New()
	head := &headWriter{max: 512}
	n, err := io.Copy(io.MultiWriter(tmp, h, head), &ctxReader{ctx: ctx, r: io.LimitReader(r, limit+1)})
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	if err == nil {
		if err = tmp.Sync(); err != nil {
			err = fmt.Errorf("sync upload: %w", err)
		}
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close upload: %w", cerr)
	}
	if err != nil {
		p.Discard()
		return nil, err
	}
	p.blob = Blob{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Head: head.buf}
	return p, nil
}

type diskPending struct {
	d    *Disk
	tmp  string // "" once committed or discarded
	blob Blob
}

func (p *diskPending) Blob() Blob { return p.blob }

func (p *diskPending) Commit() error {
	if p.tmp == "" {
		return errors.New("attachment: upload already committed or discarded")
	}
	final := p.d.path(p.blob.SHA256)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return fmt.Errorf("files directory: %w", err)
	}
	if err := os.Rename(p.tmp, final); err != nil {
		return fmt.Errorf("store upload: %w", err)
	}
	p.tmp = ""
	if dir, err := os.Open(filepath.Dir(final)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return nil
}

func (p *diskPending) Discard() {
	if p.tmp != "" {
		os.Remove(p.tmp)
		p.tmp = ""
	}
}

// Open implements Storage.
func (d *Disk) Open(sha string) (io.ReadSeekCloser, error) {
	if !validSHA(sha) {
		return nil, ErrNotFound
	}
	f, err := os.Open(d.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Delete implements Storage.
func (d *Disk) Delete(sha string) error {
	if !validSHA(sha) {
		return nil
	}
	err := os.Remove(d.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Stored implements Storage: the file's modification time (Commit renames a freshly written
// file into place, so it is the time of the latest Put of the content).
func (d *Disk) Stored(sha string) (time.Time, error) {
	if !validSHA(sha) {
		return time.Time{}, ErrNotFound
	}
	fi, err := os.Stat(d.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, ErrNotFound
	}
	if err != nil {
		return time.Time{}, err
	}
	return fi.ModTime(), nil
}

// Hashes lists the hashes of all stored content (for checks and tests).
func (d *Disk) Hashes() ([]string, error) {
	var out []string
	err := filepath.WalkDir(d.dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && e.Name() == "tmp" {
			return filepath.SkipDir
		}
		if !e.IsDir() && validSHA(e.Name()) && strings.HasPrefix(e.Name(), filepath.Base(filepath.Dir(filepath.Dir(p)))) {
			out = append(out, e.Name())
		}
		return nil
	})
	return out, err
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	buf []byte
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.max - len(w.buf); room > 0 {
		w.buf = append(w.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// ctxReader stops reading when the context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
