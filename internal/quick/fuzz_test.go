package quick

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseHotkey: a hotkey is accepted in one canonical form, which parses to itself; a
// refusal is a HotkeyError with a reason; nothing panics.
func FuzzParseHotkey(f *testing.F) {
	for _, s := range []string{"Ctrl+Alt+Digit1", "alt+keyq", "Ctrl+Shift+F5", "Alt+Slash", "+", "Ctrl++", "Ctrl+Ctrl+KeyA",
		"Meta+KeyA", "Ctrl+Alt+Shift+Meta+ArrowUp", "Ctrl+Алт+Ж", "Ctrl+\x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		canon, err := ParseHotkey(s)
		if err != nil {
			he, ok := err.(*HotkeyError)
			if !ok || he.Reason == "" {
				t.Fatalf("ParseHotkey(%q): %v is not a HotkeyError with a reason", s, err)
			}
			return
		}
		if !utf8.ValidString(canon) || len(canon) > 64 {
			t.Fatalf("ParseHotkey(%q) = %q", s, canon)
		}
		again, err := ParseHotkey(canon)
		if err != nil || again != canon {
			t.Fatalf("canonical %q of %q parses to %q, %v", canon, s, again, err)
		}
	})
}
