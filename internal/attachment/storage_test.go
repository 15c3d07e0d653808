package attachment

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"livedesk/internal/livedesk"
)

func TestDiskPutOpenDelete(t *testing.T) {
	dir := t.TempDir()
	// A leftover of a crashed upload is removed when the storage opens; a fresh temporary
	// file (another node's upload in progress, in a shared directory) is not.
	os.MkdirAll(filepath.Join(dir, "tmp"), 0o750)
	crashed := filepath.Join(dir, "tmp", "upload-crashed")
	os.WriteFile(crashed, []byte("partial"), 0o600)
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(crashed, old, old)
	os.WriteFile(filepath.Join(dir, "tmp", "upload-elsewhere"), []byte("partial"), 0o600)
	d, err := NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(left) != 1 || left[0].Name() != "upload-elsewhere" {
		t.Fatalf("after opening, tmp holds %v; want only the fresh upload", left)
	}
	os.Remove(filepath.Join(dir, "tmp", "upload-elsewhere"))
	content := []byte("hello, файл")
	p, err := d.Put(context.Background(), bytes.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	b := p.Blob()
	if b.SHA256 != hex.EncodeToString(sum[:]) || b.Size != int64(len(content)) || !bytes.Equal(b.Head, content) {
		t.Fatalf("blob %+v", b)
	}
	if _, err := d.Open(b.SHA256); !errors.Is(err, ErrNotFound) {
		t.Fatalf("content visible before commit: %v", err)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, b.SHA256[:2], b.SHA256[2:4], b.SHA256)); err != nil {
		t.Fatalf("content-addressed path: %v", err)
	}
	rc, err := d.Open(b.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, content) {
		t.Fatalf("read back %q", got)
	}
	// The same content again is stored once.
	p2, _ := d.Put(context.Background(), bytes.NewReader(content), 100)
	if err := p2.Commit(); err != nil {
		t.Fatal(err)
	}
	if hs, _ := d.Hashes(); len(hs) != 1 {
		t.Fatalf("hashes %v", hs)
	}
	// Over the limit: ErrTooLarge, nothing kept, reading stops right after the limit.
	src := &countingReader{r: strings.NewReader(strings.Repeat("x", 10000))}
	if _, err := d.Put(context.Background(), src, 100); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("over limit: %v", err)
	}
	if src.n > 100+32*1024 {
		t.Fatalf("read %d bytes for a limit of 100", src.n)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(left) != 0 {
		t.Fatalf("temp files left after a refused upload: %v", left)
	}
	// Exactly the limit is fine.
	if p, err := d.Put(context.Background(), strings.NewReader(strings.Repeat("y", 100)), 100); err != nil {
		t.Fatalf("exact limit: %v", err)
	} else {
		p.Discard()
	}
	if err := d.Delete(b.SHA256); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(b.SHA256); err != nil {
		t.Fatalf("deleting missing content: %v", err)
	}
	if _, err := d.Open("../../etc/passwd"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("open of a bad hash: %v", err)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// multipartBody builds a multipart body with the given files (name → content) in order.
func multipartBody(t *testing.T, names []string, contents []string) (*multipart.Reader, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("note", "ignored")
	for i, n := range names {
		fw, err := w.CreateFormFile("files", n)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(contents[i]))
	}
	w.Close()
	return multipart.NewReader(bytes.NewReader(buf.Bytes()), w.Boundary()), &buf
}

func TestReceiveAndPins(t *testing.T) {
	d, err := NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	f := NewFiles(d, func(_ context.Context, sha string) (bool, error) { return used[sha], nil }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()

	mr, _ := multipartBody(t, []string{"Отчёт-1.pdf", "a.png"}, []string{"%PDF-1.4 ...", "\x89PNG\r\n\x1a\n0000"})
	ups, err := f.Receive(ctx, mr)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 2 || ups[0].Name != "Отчёт_1.pdf" || ups[0].ContentType != "application/pdf" || ups[1].ContentType != "image/png" {
		t.Fatalf("uploads %+v", ups)
	}
	// Pinned: the sweeper cannot delete them even though no row uses them yet.
	if err := f.Remove(ctx, ups[0].SHA256); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Open(ups[0].SHA256); err != nil {
		t.Fatalf("pinned content deleted: %v", err)
	}
	// Recorded: unpinned, and kept while in use.
	used[ups[0].SHA256] = true
	f.Done(ctx, ups, true)
	f.Remove(ctx, ups[0].SHA256)
	if _, err := f.Open(ups[0].SHA256); err != nil {
		t.Fatalf("content in use deleted: %v", err)
	}
	f.Remove(ctx, ups[1].SHA256)
	if _, err := f.Open(ups[1].SHA256); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unused content kept: %v", err)
	}

	// Six files: too_many_files, and nothing of the request stays.
	names := []string{"1", "2", "3", "4", "5", "6"}
	mr, _ = multipartBody(t, names, []string{"a1", "a2", "a3", "a4", "a5", "a6"})
	if _, err := f.Receive(ctx, mr); !livedesk.IsCode(err, livedesk.CodeTooManyFiles) {
		t.Fatalf("six files: %v", err)
	}
	if hs, _ := d.Hashes(); len(hs) != 1 {
		t.Fatalf("after a refused request the storage holds %d contents, want 1", len(hs))
	}
	// No files at all.
	mr, _ = multipartBody(t, nil, nil)
	if _, err := f.Receive(ctx, mr); !livedesk.IsCode(err, livedesk.CodeInvalidInput) {
		t.Fatalf("no files: %v", err)
	}
}

func TestInlineType(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	cases := []struct {
		recorded string
		head     []byte
		want     string
	}{
		{"image/png", png, "image/png"},
		{"image/jpeg", png, ""}, // bytes of another type
		{"image/png", []byte("<html><script>alert(1)</script>"), ""},
		{"image/png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), ""},
		{"image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), ""},
		{"image/gif", []byte("GIF89a...."), "image/gif"},
		{"image/webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), "image/webp"},
		{"application/pdf", []byte("%PDF-1.7"), ""},
	}
	for _, c := range cases {
		if got := InlineType(c.recorded, c.head); got != c.want {
			t.Errorf("InlineType(%q, %q) = %q, want %q", c.recorded, c.head, got, c.want)
		}
	}
}

// TestRemoveExpiredSparesRecentContent: the retention sweeper's delete spares content stored
// within RecentGrace — another node's upload of the same content may be in flight, and this
// node cannot see its pin — and deletes it after; Stored follows a repeated Put.
func TestRemoveExpiredSparesRecentContent(t *testing.T) {
	disk, err := NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files := NewFiles(disk, func(context.Context, string) (bool, error) { return false, nil }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	u, err := files.Put(ctx, "a.txt", strings.NewReader("the same content"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	files.Done(ctx, []Upload{u}, true)
	stored, err := disk.Stored(u.SHA256)
	if err != nil || time.Since(stored) > time.Minute {
		t.Fatalf("Stored: %v %v", stored, err)
	}
	if err := files.RemoveExpired(ctx, u.SHA256, stored.Add(RecentGrace-time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := disk.Stored(u.SHA256); err != nil {
		t.Fatalf("content stored %v ago was deleted: %v", RecentGrace-time.Second, err)
	}
	if err := files.RemoveExpired(ctx, u.SHA256, stored.Add(RecentGrace)); err != nil {
		t.Fatal(err)
	}
	if _, err := disk.Stored(u.SHA256); !errors.Is(err, ErrNotFound) {
		t.Fatalf("content past the grace is still there: %v", err)
	}
	if err := files.RemoveExpired(ctx, u.SHA256, stored.Add(RecentGrace)); err != nil {
		t.Fatalf("removing content already gone: %v", err)
	}
}
