package attachment

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"testing"

	"livedesk/internal/livedesk"
)

// FuzzReceive: any multipart body is either taken within the limits (at most MaxFiles
// files, MaxBytes together, each stored with a sanitized name) or refused with an API error;
// nothing panics and a refusal keeps no file.
func FuzzReceive(f *testing.F) {
	var seed bytes.Buffer
	mw := multipart.NewWriter(&seed)
	mw.SetBoundary("b")
	w, _ := mw.CreateFormFile("file", "a.txt")
	w.Write([]byte("hello"))
	mw.WriteField("note", "x")
	mw.Close()
	f.Add(seed.Bytes())
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\xff.png\"\r\n\r\n\x89PNG\r\n--b--\r\n"))
	f.Add([]byte("--b\r\n\r\n--b--"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, body []byte) {
		disk, err := NewDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		files := NewFiles(disk, func(context.Context, string) (bool, error) { return false, nil }, slog.New(slog.NewTextHandler(io.Discard, nil)))
		got, err := files.Receive(context.Background(), multipart.NewReader(bytes.NewReader(body), "b"))
		if err != nil {
			if livedesk.ErrorCode(err) == livedesk.CodeInternal {
				t.Fatalf("internal error for client input: %v", err)
			}
			return
		}
		var total int64
		for _, u := range got {
			total += u.Size
			if u.Name != SanitizeName(u.Name) || u.SHA256 == "" {
				t.Fatalf("upload %+v", u)
			}
		}
		if len(got) == 0 || len(got) > MaxFiles || total > MaxBytes {
			t.Fatalf("%d files, %d bytes taken", len(got), total)
		}
		files.Done(context.Background(), got, false)
	})
}
