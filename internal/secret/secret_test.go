package secret

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func newBox(t *testing.T, fill byte) *Box {
	t.Helper()
	b, err := New(bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	box := newBox(t, 1)
	for _, plain := range []string{"", "p", "пароль от ящика", strings.Repeat("x", 4096)} {
		sealed, err := box.Seal([]byte(plain), "contact-point/1/imap")
		if err != nil {
			t.Fatal(err)
		}
		if !IsSealed(sealed) || !strings.HasPrefix(sealed, "v1:") {
			t.Fatalf("sealed value %q has no version prefix", sealed)
		}
		if len(plain) >= 8 && strings.Contains(sealed, plain) {
			t.Fatal("the plaintext shows in the sealed value")
		}
		got, err := box.Open(sealed, "contact-point/1/imap")
		if err != nil || string(got) != plain {
			t.Fatalf("Open = %q, %v; want %q", got, err, plain)
		}
	}
	a, _ := box.Seal([]byte("same"), "")
	b, _ := box.Seal([]byte("same"), "")
	if a == b {
		t.Fatal("two seals of the same secret are equal: the nonce is not fresh")
	}
}

func TestOpenRefuses(t *testing.T) {
	box := newBox(t, 1)
	sealed, err := box.Seal([]byte("secret"), "contact-point/1/imap")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
	flip := func(i int) string {
		c := bytes.Clone(raw)
		c[i] ^= 0x01
		return "v1:" + base64.RawURLEncoding.EncodeToString(c)
	}
	tests := []struct {
		name   string
		box    *Box
		value  string
		label  string
		target error
	}{
		{"wrong key", newBox(t, 2), sealed, "contact-point/1/imap", ErrDecrypt},
		{"other label", box, sealed, "contact-point/2/imap", ErrDecrypt},
		{"nonce changed", box, flip(0), "contact-point/1/imap", ErrDecrypt},
		{"ciphertext changed", box, flip(13), "contact-point/1/imap", ErrDecrypt},
		{"tag changed", box, flip(len(raw) - 1), "contact-point/1/imap", ErrDecrypt},
		{"cut short", box, sealed[:len(sealed)-4], "contact-point/1/imap", ErrDecrypt},
		{"too short", box, "v1:AAAA", "contact-point/1/imap", ErrMalformed},
		{"no prefix", box, strings.TrimPrefix(sealed, "v1:"), "contact-point/1/imap", ErrMalformed},
		{"unknown version", box, "v9:" + strings.TrimPrefix(sealed, "v1:"), "contact-point/1/imap", ErrMalformed},
		{"not base64", box, "v1:***", "contact-point/1/imap", ErrMalformed},
		{"plaintext password", box, "hunter2", "contact-point/1/imap", ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.box.Open(tc.value, tc.label)
			if !errors.Is(err, tc.target) {
				t.Fatalf("Open = %q, %v; want %v", got, err, tc.target)
			}
		})
	}
}

func TestParseKey(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"padded", base64.StdEncoding.EncodeToString(key), true},
		{"unpadded", base64.RawStdEncoding.EncodeToString(key), true},
		{"with newline", base64.StdEncoding.EncodeToString(key) + "\n", true},
		{"16 bytes", base64.StdEncoding.EncodeToString(key[:16]), false},
		{"33 bytes", base64.StdEncoding.EncodeToString(append(key, 1)), false},
		{"not base64", "not a key!", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseKey(tc.in)
			if tc.ok != (err == nil) {
				t.Fatalf("ParseKey: %v", err)
			}
			if tc.ok && !bytes.Equal(got, key) {
				t.Fatal("wrong key")
			}
			if !tc.ok && !errors.Is(err, ErrBadKey) {
				t.Fatalf("error %v is not ErrBadKey", err)
			}
		})
	}
	if _, err := New(key[:16]); !errors.Is(err, ErrBadKey) {
		t.Fatalf("New with a 16-byte key: %v", err)
	}
}

func TestKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, DefaultKeyFile)
	key, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %04o, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Fatalf("created directory mode %04o, want 0700", di.Mode().Perm())
	}
	again, err := LoadOrCreateKeyFile(path)
	if err != nil || !bytes.Equal(again, key) {
		t.Fatalf("the existing key file was not reused: %v", err)
	}
	viaLoad, err := LoadKey("", dir)
	if err != nil || !bytes.Equal(viaLoad, key) {
		t.Fatalf("LoadKey without a configured key: %v", err)
	}
	configured := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, KeySize))
	if k, err := LoadKey(configured, dir); err != nil || k[0] != 9 {
		t.Fatalf("LoadKey with a configured key: %v", err)
	}
	// A value sealed with the file's key opens after a "restart".
	b1, _ := New(key)
	sealed, _ := b1.Seal([]byte("pw"), "l")
	b2, _ := New(again)
	if got, err := b2.Open(sealed, "l"); err != nil || string(got) != "pw" {
		t.Fatalf("after reload: %q, %v", got, err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".secret-key-*")); len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}

	t.Run("readable by others is refused", func(t *testing.T) {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(path, 0o600)
		if _, err := LoadOrCreateKeyFile(path); err == nil || !strings.Contains(err.Error(), "0600") {
			t.Fatalf("mode 0644 accepted: %v", err)
		}
	})
	t.Run("garbage is refused, not replaced", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), DefaultKeyFile)
		if err := os.WriteFile(p, []byte("garbage\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreateKeyFile(p); !errors.Is(err, ErrBadKey) {
			t.Fatalf("garbage key file: %v", err)
		}
		if b, _ := os.ReadFile(p); string(b) != "garbage\n" {
			t.Fatal("a bad key file was overwritten")
		}
	})
	t.Run("concurrent first start agrees on one key", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), DefaultKeyFile)
		keys := make([][]byte, 8)
		var wg sync.WaitGroup
		for i := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k, err := LoadOrCreateKeyFile(p)
				if err != nil {
					t.Error(err)
				}
				keys[i] = k
			}()
		}
		wg.Wait()
		for _, k := range keys[1:] {
			if !bytes.Equal(k, keys[0]) {
				t.Fatal("two keys for one file")
			}
		}
	})
}
