package imapbox

import (
	"errors"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	ok := Config{Host: "imap.yandex.ru", Port: 993, Security: SecurityTLS, Username: "support@shop.example", Password: "pw"}
	tests := []struct {
		name   string
		change func(*Config)
		field  string // "" when valid
	}{
		{"tls", func(c *Config) {}, ""},
		{"starttls default port", func(c *Config) { c.Security, c.Port = SecuritySTARTTLS, 0 }, ""},
		{"none on 127.0.0.1", func(c *Config) { c.Security, c.Host = SecurityNone, "127.0.0.1" }, ""},
		{"none on 127.1.2.3", func(c *Config) { c.Security, c.Host = SecurityNone, "127.1.2.3" }, ""},
		{"none on ::1", func(c *Config) { c.Security, c.Host = SecurityNone, "::1" }, ""},
		{"none on [::1]", func(c *Config) { c.Security, c.Host = SecurityNone, "[::1]" }, ""},
		{"none on localhost", func(c *Config) { c.Security, c.Host = SecurityNone, "localhost" }, ""},
		{"none on a remote host", func(c *Config) { c.Security = SecurityNone }, "security"},
		{"none on a private address", func(c *Config) { c.Security, c.Host = SecurityNone, "10.0.0.5" }, "security"},
		{"none on a name that merely starts like loopback", func(c *Config) { c.Security, c.Host = SecurityNone, "127.0.0.1.evil.example" }, "security"},
		{"unknown security", func(c *Config) { c.Security = "ssl" }, "security"},
		{"empty security", func(c *Config) { c.Security = "" }, "security"},
		{"no host", func(c *Config) { c.Host = " " }, "host"},
		{"host with a path", func(c *Config) { c.Host = "imap.example/x" }, "host"},
		{"host with a port", func(c *Config) { c.Host = "imap.example:993" }, "host"},
		{"port too big", func(c *Config) { c.Port = 70000 }, "port"},
		{"no username", func(c *Config) { c.Username = "" }, "username"},
		{"folder with a control character", func(c *Config) { c.Folder = "IN\nBOX" }, "folder"},
		{"move", func(c *Config) { c.AfterFetch = "move:Архив" }, ""},
		{"seen", func(c *Config) { c.AfterFetch = "seen" }, ""},
		{"move nowhere", func(c *Config) { c.AfterFetch = "move:" }, "after_fetch"},
		{"move to the watched folder", func(c *Config) { c.AfterFetch = "move:inbox" }, "after_fetch"},
		{"delete is not a choice", func(c *Config) { c.AfterFetch = "delete" }, "after_fetch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			err := c.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("Validate = %v, want a FieldError on %s", err, tc.field)
			}
		})
	}
}

func TestAddressDefaults(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Host: "imap.example", Security: SecurityTLS}, "imap.example:993"},
		{Config{Host: "imap.example", Security: SecuritySTARTTLS}, "imap.example:143"},
		{Config{Host: "::1", Security: SecurityNone, Port: 1143}, "[::1]:1143"},
		{Config{Host: "[::1]", Security: SecurityNone}, "[::1]:143"},
	}
	for _, tc := range tests {
		if got := tc.cfg.address(); got != tc.want {
			t.Errorf("address of %+v = %s, want %s", tc.cfg, got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	d := DefaultMinBackoff
	var got []time.Duration
	for range 12 {
		got = append(got, d)
		d = nextBackoff(d, DefaultMaxBackoff)
	}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("backoff %d = %s, want %ds (all: %v)", i, got[i], want[i], got)
		}
	}
	for range 100 {
		if j := jitter(10 * time.Second); j < 9*time.Second || j > 11*time.Second {
			t.Fatalf("jitter of 10s = %s", j)
		}
	}
}

func TestErrorText(t *testing.T) {
	e := &Error{Kind: ErrAuth, Op: "login", ServerText: "[AUTHENTICATIONFAILED] Authentication failed."}
	if got, want := e.Error(), "the IMAP server refused the login (login): the server said: [AUTHENTICATIONFAILED] Authentication failed."; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	if !errors.Is(e, ErrAuth) || errors.Is(e, ErrConnect) {
		t.Fatal("errors.Is does not follow the kind")
	}
}
