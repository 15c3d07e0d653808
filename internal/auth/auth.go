// Package auth holds the security primitives of livedesk: password hashing, session
// tokens, signed visitor tokens and the login rate limiter.
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
	"time"

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

// dummyHash is compared against when the email is unknown, so both paths take as long.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("livedesk-dummy-password"), bcrypt.MinCost)

// BurnPasswordCheck spends the time of a password check (for unknown emails).
func BurnPasswordCheck(password string) {
	_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
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

// RateLimiter allows at most N events per key in a sliding window.
type RateLimiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	hits   map[string][]time.Time
}

// NewRateLimiter allows n events per window for each key.
func NewRateLimiter(n int, window time.Duration) *RateLimiter {
	return &RateLimiter{n: n, window: window, hits: map[string][]time.Time{}}
}

// Allow records an event for key at now and reports whether it is within the limit.
func (r *RateLimiter) Allow(key string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.hits) > 100000 { // bound memory under a flood of keys
		r.hits = map[string][]time.Time{}
	}
	h := r.hits[key]
	cut := 0
	for cut < len(h) && now.Sub(h[cut]) >= r.window {
		cut++
	}
	h = h[cut:]
	if len(h) >= r.n {
		r.hits[key] = h
		return false
	}
	r.hits[key] = append(h, now)
	return true
}

// Reset forgets a key (after a successful login).
func (r *RateLimiter) Reset(key string) {
	r.mu.Lock()
	delete(r.hits, key)
	r.mu.Unlock()
}
