// Package secret keeps short secrets — mailbox passwords — encrypted at rest.
//
// A Box seals a secret with AES-256-GCM under a 32-byte key: a fresh random 12-byte nonce
// per seal, the result written as "v1:" and the unpadded base64url of nonce‖ciphertext‖tag.
// A label (what the secret is for, e.g. "contact-point/42/imap") is bound to the ciphertext
// as additional data, so a sealed value copied into another place does not open there.
// Opening with another key, another label, or a changed value fails with ErrDecrypt.
//
// The key comes from configuration (--secret-key / LIVEDESK_SECRET_KEY, standard base64 of
// 32 bytes; ParseKey) or from a key file in the data directory that LoadOrCreateKeyFile
// creates with mode 0600 at first start and reuses afterwards. Losing the key makes the
// sealed secrets unreadable: they must be entered again.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the key length in bytes (AES-256).
const KeySize = 32

// DefaultKeyFile is the key file's name in the data directory.
const DefaultKeyFile = "secret.key"

// prefix marks the format of a sealed value; a later format gets "v2:".
const prefix = "v1:"

// Errors of Open and of the key functions.
var (
	// ErrMalformed: the value is not a sealed value of a known version.
	ErrMalformed = errors.New("secret: not a sealed value")
	// ErrDecrypt: the value was sealed with another key or label, or was changed.
	ErrDecrypt = errors.New("secret: cannot decrypt (wrong key, or the value was changed)")
	// ErrBadKey: a key is not standard base64 of exactly 32 bytes.
	ErrBadKey = errors.New("secret: the key must be 32 bytes in standard base64 (openssl rand -base64 32)")
)

// Box seals and opens secrets under one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, ErrBadKey
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext bound to label and returns the printable sealed value.
func (b *Box) Seal(plaintext []byte, label string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secret: nonce: %w", err)
	}
	out := b.aead.Seal(nonce, nonce, plaintext, []byte(label))
	return prefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a value made by Seal with the same key and label.
func (b *Box) Open(sealed, label string) ([]byte, error) {
	rest, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return nil, ErrMalformed
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) < b.aead.NonceSize()+b.aead.Overhead() {
		return nil, ErrMalformed
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(label))
	if err != nil {
		return nil, ErrDecrypt
	}
	return plain, nil
}

// IsSealed tells whether s looks like a sealed value (has a known version prefix); it does
// not check that it opens.
func IsSealed(s string) bool { return strings.HasPrefix(s, prefix) }

// ParseKey decodes a key given in configuration: standard base64 (padding optional,
// surrounding space ignored) of exactly 32 bytes.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil || len(key) != KeySize {
		return nil, ErrBadKey
	}
	return key, nil
}

// LoadOrCreateKeyFile reads the key file at path, or creates it with a new random key and
// mode 0600 when it does not exist (its directory too, with 0700). The file holds the key
// in standard base64 and a newline. An existing file that group or others may read or
// write is refused, as is one whose content is not a key.
//
// Creation is atomic: the key is written to a temporary file that is then linked to path,
// so a crash leaves no half-written key and two processes starting at once agree on one.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	key, err := readKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("secret: key file directory: %w", err)
	}
	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("secret: new key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".secret-key-*")
	if err != nil {
		return nil, fmt.Errorf("secret: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file 0600; Chmod says so whatever the umask did.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("secret: create key file: %w", err)
	}
	if _, err := tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("secret: write key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("secret: write key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("secret: write key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			// Another process was first: use its key.
			return readKeyFile(path)
		}
		return nil, fmt.Errorf("secret: create key file: %w", err)
	}
	return key, nil
}

func readKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("secret: key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("secret: key file %s may be read by others (mode %04o); make it 0600", path, perm)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("secret: key file %s: %w", path, err)
	}
	return key, nil
}

// LoadKey returns the configured key when configured is not empty (the value of
// --secret-key / LIVEDESK_SECRET_KEY), else the key of DefaultKeyFile in dataDir, created
// at first start.
func LoadKey(configured, dataDir string) ([]byte, error) {
	if strings.TrimSpace(configured) != "" {
		return ParseKey(configured)
	}
	return LoadOrCreateKeyFile(filepath.Join(dataDir, DefaultKeyFile))
}
