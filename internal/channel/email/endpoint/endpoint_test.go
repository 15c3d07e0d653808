package endpoint

import "testing"

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		host     string
		port     int
		security Security
		field    string
	}{
		{"imap.yandex.ru", 993, TLS, ""},
		{"smtp.example.test", 0, STARTTLS, ""},
		{"127.0.0.1", 1143, None, ""},
		{"[::1]", 25, None, ""},
		{"localhost.", 25, None, ""},
		{"mail.example.test", 25, None, "security"},
		{"10.0.0.1", 25, None, "security"},
		{"mail.example.test", 25, "ssl", "security"},
		{"", 993, TLS, "host"},
		{"user@host", 993, TLS, "host"},
		{"mail example", 993, TLS, "host"},
		{"mail.example.test", 70000, TLS, "port"},
	} {
		if field, _ := Check(tc.host, tc.port, tc.security); field != tc.field {
			t.Errorf("Check(%q, %d, %q) faults %q, want %q", tc.host, tc.port, tc.security, field, tc.field)
		}
	}
}
