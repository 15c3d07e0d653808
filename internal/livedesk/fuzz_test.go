package livedesk

import "testing"

// FuzzParseID: an accepted id is positive and spelled exactly as String writes it, so no
// two spellings name one object.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"1", "01", "+1", "-1", "0", "9223372036854775807", "9223372036854775808", " 1", "1e3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := ParseID(s)
		if !ok {
			return
		}
		if id <= 0 || id.String() != s {
			t.Fatalf("ParseID(%q) = %d, which is spelled %q", s, id, id.String())
		}
	})
}
