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

// Visitor credentials come in two kinds, both HMAC-SHA256 signed:
//   - the access token ("v2.…", short-lived) authorizes the visitor API; it may appear in
//     URLs (the socket, file links), so it expires soon;
//   - the renewal key ("k1.…", long-lived) is only ever sent in the body of the session
//     request, which trades it for a fresh token, so a returning visitor keeps their
//     conversation without a token that lives for months.
//
// Tokens of the first version ("v1.…", no expiry) are accepted by the session request only,
// as a renewal key, so widgets that stored one before keep their visitor.
const (
	tokenPrefix = "v2"
	keyPrefix   = "k1"
	legacy      = "v1"
)

// VisitorTokens signs and verifies visitor credentials.
type VisitorTokens struct {
	secret   []byte
	tokenTTL time.Duration
	keyTTL   time.Duration
	now      func() time.Time
}

// NewVisitorTokens returns a signer with the given secret: access tokens live tokenTTL,
// renewal keys keyTTL; now is the clock.
func NewVisitorTokens(secret string, tokenTTL, keyTTL time.Duration, now func() time.Time) *VisitorTokens {
	return &VisitorTokens{secret: []byte(secret), tokenTTL: tokenTTL, keyTTL: keyTTL, now: now}
}

func (v *VisitorTokens) mac(payload string) string {
	m := hmac.New(sha256.New, v.secret)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (v *VisitorTokens) sign(prefix string, c VisitorClaims, expires time.Time) string {
	payload := prefix + "." + c.AccountID.String() + "." + c.ContactPointID.String() + "." + c.VisitorID.String() +
		"." + strconv.FormatInt(expires.Unix(), 10)
	return payload + "." + v.mac(payload)
}

// Sign returns an access token for the visitor and when it expires.
func (v *VisitorTokens) Sign(c VisitorClaims) (string, time.Time) {
	exp := v.now().Add(v.tokenTTL).Truncate(time.Second)
	return v.sign(tokenPrefix, c, exp), exp
}

// SignKey returns a renewal key for the visitor.
func (v *VisitorTokens) SignKey(c VisitorClaims) string {
	return v.sign(keyPrefix, c, v.now().Add(v.keyTTL))
}

// Verify checks an access token and returns its claims; an expired one is unauthenticated
// with details.reason "token_expired" (renew it through the session request).
func (v *VisitorTokens) Verify(token string) (VisitorClaims, error) {
	return v.verify(token, tokenPrefix)
}

// VerifyKey checks a renewal key (or a token of the first version) and returns its claims.
func (v *VisitorTokens) VerifyKey(key string) (VisitorClaims, error) {
	if strings.HasPrefix(key, legacy+".") {
		return v.verify(key, legacy)
	}
	return v.verify(key, keyPrefix)
}

// errBadVisitorToken is verify's answer for a token it cannot read or that is not signed
// by this installation (one value: it is returned, never changed).
var errBadVisitorToken = livedesk.Errorf(livedesk.CodeUnauthenticated, "visitor token is not valid")

func (v *VisitorTokens) verify(token, prefix string) (VisitorClaims, error) {
	bad := errBadVisitorToken
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(token) > 200 {
		return VisitorClaims{}, bad
	}
	payload, sig := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sig), []byte(v.mac(payload))) {
		return VisitorClaims{}, bad
	}
	parts := strings.Split(payload, ".")
	fields := 5
	if prefix == legacy {
		fields = 4
	}
	if len(parts) != fields || parts[0] != prefix {
		return VisitorClaims{}, bad
	}
	var ids [4]int64
	for k := 1; k < fields; k++ {
		n, err := strconv.ParseInt(parts[k], 10, 64)
		if err != nil {
			return VisitorClaims{}, bad
		}
		ids[k-1] = n
	}
	if fields == 5 && v.now().Unix() >= ids[3] {
		return VisitorClaims{}, &livedesk.Error{Code: livedesk.CodeUnauthenticated, Message: "the visitor token has expired; renew it through the session request",
			Details: map[string]string{"reason": "token_expired"}}
	}
	return VisitorClaims{AccountID: livedesk.ID(ids[0]), ContactPointID: livedesk.ID(ids[1]), VisitorID: livedesk.ID(ids[2])}, nil
}
