// Package auth holds the security primitives of livedesk: password hashing, session
// tokens and signed visitor tokens.
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"livedesk/internal/livedesk"
)

// HashPassword hashes a password with bcrypt at the given cost.
func HashPassword(password string, cost int) (string, error) {
	if len(password) < 8 {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "password must be at least 8 characters")
	}
	if len(password) > 72 {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "password must be at most 72 bytes")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// CheckPassword reports whether password matches hash.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// PasswordBurner spends the time of a password check, for logins with an unknown email: it
// compares against a hash made at the configured cost, so both paths do the same work.
type PasswordBurner struct {
	once sync.Once
	cost int
	hash []byte
}

// NewPasswordBurner returns a burner at the bcrypt cost of new passwords (its hash is made
// on first use).
func NewPasswordBurner(cost int) *PasswordBurner { return &PasswordBurner{cost: cost} }

// Burn compares password against the burner's hash and forgets the result.
func (p *PasswordBurner) Burn(password string) {
	p.once.Do(func() {
		p.hash, _ = bcrypt.GenerateFromPassword([]byte("livedesk-dummy-password"), p.cost)
	})
	_ = bcrypt.CompareHashAndPassword(p.hash, []byte(password))
}

// NewToken returns a random session token and the hash under which it is stored.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the OS random source never fails on Linux
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a session token.
func HashToken(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// RandomKey returns n random bytes as URL-safe text (contact point keys, secrets).
func RandomKey(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// VisitorClaims are what a visitor token proves.
type VisitorClaims struct {
	AccountID      livedesk.ID
	ContactPointID livedesk.ID
	VisitorID      livedesk.ID
}

// VisitorTokens signs and verifies visitor tokens with HMAC-SHA256.
type VisitorTokens struct{ secret []byte }

// NewVisitorTokens returns a signer with the given secret.
func NewVisitorTokens(secret string) *VisitorTokens { return &VisitorTokens{secret: []byte(secret)} }

func (v *VisitorTokens) mac(payload string) string {
	m := hmac.New(sha256.New, v.secret)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Sign returns a token for the visitor.
func (v *VisitorTokens) Sign(c VisitorClaims) string {
	payload := "v1." + c.AccountID.String() + "." + c.ContactPointID.String() + "." + c.VisitorID.String()
	return payload + "." + v.mac(payload)
}

// Verify checks a token and returns its claims.
func (v *VisitorTokens) Verify(token string) (VisitorClaims, error) {
	bad := livedesk.Errorf(livedesk.CodeUnauthenticated, "visitor token is not valid")
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(token) > 200 {
		return VisitorClaims{}, bad
	}
	payload, sig := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sig), []byte(v.mac(payload))) {
		return VisitorClaims{}, bad
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 4 || parts[0] != "v1" {
		return VisitorClaims{}, bad
	}
	var ids [3]livedesk.ID
	for k := range ids {
		n, err := strconv.ParseInt(parts[k+1], 10, 64)
		if err != nil {
			return VisitorClaims{}, bad
		}
		ids[k] = livedesk.ID(n)
	}
	return VisitorClaims{AccountID: ids[0], ContactPointID: ids[1], VisitorID: ids[2]}, nil
}
