package attachment

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// putContent stores content in d and returns what a row would record of it.
func putContent(t *testing.T, d *Disk, content string) Wanted {
	t.Helper()
	p, err := d.Put(context.Background(), bytes.NewReader([]byte(content)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	return Wanted{SHA256: p.Blob().SHA256, Size: int64(len(content))}
}

// TestCopyContent: wanted contents are copied and verified; one the destination already has
// right is kept, one it has wrong is replaced; missing and spoiled sources are reported and
// not copied; what nobody wants is counted, not copied; the same directory on both sides
// only verifies.
func TestCopyContent(t *testing.T) {
	srcDir := t.TempDir()
	src, err := NewDisk(srcDir)
	if err != nil {
		t.Fatal(err)
	}
	plain := putContent(t, src, "обычный файл")
	there := putContent(t, src, "уже на месте")
	wrongThere := putContent(t, src, "на месте, но испорчен")
	spoiled := putContent(t, src, "испортится в источнике")
	putContent(t, src, "никому не нужен")
	sum := sha256.Sum256([]byte("нет нигде"))
	missing := Wanted{SHA256: hex.EncodeToString(sum[:]), Size: 9}
	os.WriteFile(filepath.Join(srcDir, spoiled.SHA256[:2], spoiled.SHA256[2:4], spoiled.SHA256), []byte("порча"), 0o600)

	dstDir := filepath.Join(t.TempDir(), "shared")
	dst, err := NewDisk(dstDir)
	if err != nil {
		t.Fatal(err)
	}
	putContent(t, dst, "уже на месте")
	bad := filepath.Join(dstDir, wrongThere.SHA256[:2], wrongThere.SHA256[2:4], wrongThere.SHA256)
	os.MkdirAll(filepath.Dir(bad), 0o750)
	os.WriteFile(bad, []byte("мусор"), 0o600)

	src, err = OpenDiskReadOnly(srcDir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := CopyContent(context.Background(), src, dst, []Wanted{plain, there, wrongThere, spoiled, missing})
	if err != nil {
		t.Fatal(err)
	}
	if res.Copied != 2 || res.AlreadyThere != 1 || res.Verified != 3 || res.Unreferenced != 1 || res.InPlace || res.OK() {
		t.Fatalf("result %+v", res)
	}
	if !slices.Equal(res.Missing, []string{missing.SHA256}) || len(res.Mismatched) != 1 || res.Mismatched[0].SHA256 != spoiled.SHA256 {
		t.Fatalf("missing %v, mismatched %+v", res.Missing, res.Mismatched)
	}
	if !slices.Equal(res.Created, []string{plain.SHA256, wrongThere.SHA256}) {
		t.Fatalf("created %v", res.Created)
	}
	if _, err := dst.Open(spoiled.SHA256); err != ErrNotFound {
		t.Fatalf("the spoiled source's content reached the destination: %v", err)
	}
	if got, _ := os.ReadFile(bad); string(got) != "на месте, но испорчен" {
		t.Fatalf("the wrong content at the destination was kept: %q", got)
	}

	same, err := CopyContent(context.Background(), src, src, []Wanted{plain, there})
	if err != nil || !same.InPlace || same.Copied != 0 || same.Verified != 2 || !same.OK() {
		t.Fatalf("in place: %+v, %v", same, err)
	}
	if _, err := OpenDiskReadOnly(filepath.Join(srcDir, "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a missing directory: %v", err)
	}
	none, err := CopyContent(context.Background(), nil, dst, []Wanted{spoiled})
	if err != nil || !slices.Equal(none.Missing, []string{spoiled.SHA256}) {
		t.Fatalf("no source directory: %+v, %v", none, err)
	}
}
