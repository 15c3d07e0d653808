package quick

import (
	"fmt"
	"regexp"
	"strings"
)

// HotkeyError says why a hotkey is refused; Reason is stable for the UI to translate.
type HotkeyError struct {
	Reason  string // format, no_modifier, no_key, reserved
	Hotkey  string
	UsedBy  string // for reserved: what the combination already does
	Message string
}

// Error returns the explanation.
func (e *HotkeyError) Error() string { return e.Message }

var modifierOrder = []string{"Ctrl", "Alt", "Shift", "Meta"}

// keyCode matches the physical key codes a hotkey may use.
var keyCode = regexp.MustCompile(`^(Key[A-Z]|Digit[0-9]|Numpad[0-9]|F([1-9]|1[0-2])|Backquote|Minus|Equal|BracketLeft|BracketRight|Backslash|Semicolon|Quote|Comma|Period|Slash|Space|Enter|Tab|Escape|Backspace|Delete|Insert|Home|End|PageUp|PageDown|ArrowUp|ArrowDown|ArrowLeft|ArrowRight|NumpadAdd|NumpadSubtract|NumpadMultiply|NumpadDivide|NumpadDecimal|NumpadEnter)$`)

// reserved are combinations the browser, the OS or the operator app already use, with what
// they do. Meta (⌘ on a Mac) is checked as Ctrl as well.
var reserved = map[string]string{
	"Ctrl+KeyC": "copy", "Ctrl+KeyV": "paste", "Ctrl+KeyX": "cut", "Ctrl+KeyZ": "undo",
	"Ctrl+KeyY": "redo", "Ctrl+Shift+KeyZ": "redo", "Ctrl+KeyA": "select all", "Ctrl+KeyF": "find",
	"Ctrl+KeyR": "reload the page", "Ctrl+Shift+KeyR": "reload the page", "Ctrl+KeyT": "new tab",
	"Ctrl+Shift+KeyT": "reopen closed tab", "Ctrl+KeyW": "close tab", "Ctrl+Shift+KeyW": "close window",
	"Ctrl+KeyN": "new window", "Ctrl+Shift+KeyN": "new private window", "Ctrl+KeyL": "address bar",
	"Ctrl+KeyP": "print", "Ctrl+KeyS": "save page", "Ctrl+KeyH": "history", "Ctrl+KeyJ": "downloads",
	"Ctrl+KeyD": "bookmark", "Ctrl+KeyO": "open file", "Ctrl+KeyU": "page source", "Ctrl+KeyG": "find next",
	"Ctrl+KeyK": "search bar", "Ctrl+KeyE": "search bar", "Ctrl+KeyQ": "quit browser", "Ctrl+KeyB": "bold / bookmarks",
	"Ctrl+KeyI": "italic", "Ctrl+Shift+KeyI": "developer tools", "Ctrl+Shift+KeyJ": "developer console",
	"Ctrl+Shift+KeyC": "inspect element", "Ctrl+Shift+Delete": "clear browsing data",
	"Ctrl+Enter": "send (operator app)", "Ctrl+Tab": "next tab", "Ctrl+Shift+Tab": "previous tab",
	"Ctrl+PageUp": "previous tab", "Ctrl+PageDown": "next tab", "Ctrl+Backspace": "delete word",
	"Ctrl+Delete": "delete word", "Ctrl+ArrowLeft": "move by word", "Ctrl+ArrowRight": "move by word",
	"Ctrl+Home": "start of text", "Ctrl+End": "end of text", "Ctrl+Minus": "zoom out",
	"Ctrl+Equal": "zoom in", "Ctrl+Digit0": "reset zoom", "Ctrl+F4": "close tab", "Ctrl+F5": "reload the page",
	"Alt+F4": "close window", "Alt+ArrowLeft": "back", "Alt+ArrowRight": "forward", "Alt+Home": "home page",
	"Alt+Tab": "switch windows", "Alt+Space": "window menu", "Alt+KeyD": "address bar", "Alt+KeyF": "browser menu",
	"Alt+KeyE": "close the conversation (operator app)", "Ctrl+Alt+Delete": "system", "Ctrl+Alt+KeyT": "terminal (Linux)",
	"Ctrl+Alt+KeyL": "lock screen (Linux)", "Meta+KeyL": "lock screen", "Meta+KeyD": "show desktop",
	"Meta+KeyE": "file manager", "Meta+KeyR": "run dialog", "Meta+Tab": "task view", "Meta+Space": "input language",
	"Alt+Shift": "input language", "Ctrl+Shift": "input language",
	"Ctrl+Digit1": "switch tab", "Ctrl+Digit2": "switch tab", "Ctrl+Digit3": "switch tab", "Ctrl+Digit4": "switch tab",
	"Ctrl+Digit5": "switch tab", "Ctrl+Digit6": "switch tab", "Ctrl+Digit7": "switch tab", "Ctrl+Digit8": "switch tab",
	"Ctrl+Digit9": "switch tab",
	// The operator app's own shortcuts (docs/operator-app.md).
	"Alt+KeyT": "transfer dialog (operator app)", "Alt+KeyK": "reply / internal comment switch (operator app)",
	"Alt+KeyL": "focus the conversation list (operator app)", "Alt+KeyR": "focus the composer (operator app)",
	"Alt+KeyS": "status menu (operator app)", "Alt+Slash": "shortcut list (operator app)",
	"Alt+ArrowUp": "previous conversation (operator app)", "Alt+ArrowDown": "next conversation (operator app)",
}

// browserKeys are keys the browser takes whatever the modifiers.
var browserKeys = map[string]string{"F5": "reload the page", "F11": "full screen", "F12": "developer tools"}

// ParseHotkey checks a hotkey against the rules of DESIGN §2.8 and returns its canonical
// form. Uniqueness per operator is the store's job.
func ParseHotkey(s string) (string, error) {
	fail := func(reason, msg string, args ...any) (string, error) {
		return "", &HotkeyError{Reason: reason, Hotkey: s, Message: fmt.Sprintf(msg, args...)}
	}
	parts := strings.Split(strings.TrimSpace(s), "+")
	if len(s) > 64 || len(parts) < 2 {
		return fail("format", "a hotkey is modifiers and one key, e.g. Ctrl+Alt+Digit1")
	}
	mods := map[string]bool{}
	var key string
	for _, p := range parts {
		switch p {
		case "Ctrl", "Alt", "Shift", "Meta":
			if mods[p] {
				return fail("format", "%s is given twice", p)
			}
			mods[p] = true
		case "Control":
			return fail("format", "write Ctrl, not Control")
		default:
			if key != "" {
				return fail("format", "only one key besides the modifiers: %s and %s", key, p)
			}
			if !keyCode.MatchString(p) {
				return fail("format", "%q is not a key code (KeyboardEvent.code such as KeyQ, Digit1, F2)", p)
			}
			key = p
		}
	}
	if key == "" {
		return fail("no_key", "a hotkey needs a key besides the modifiers")
	}
	if !mods["Ctrl"] && !mods["Alt"] && !mods["Meta"] {
		return fail("no_modifier", "a hotkey needs Ctrl, Alt or Meta, or it would type a character")
	}
	var b strings.Builder
	for _, m := range modifierOrder {
		if mods[m] {
			b.WriteString(m)
			b.WriteByte('+')
		}
	}
	b.WriteString(key)
	canon := b.String()
	check := []string{canon}
	if mods["Meta"] && !mods["Ctrl"] {
		check = append(check, "Ctrl+"+strings.TrimPrefix(strings.Replace(canon, "Meta+", "", 1), "Ctrl+"))
	}
	for _, c := range check {
		if what, ok := reserved[c]; ok {
			return "", &HotkeyError{Reason: "reserved", Hotkey: canon, UsedBy: what,
				Message: fmt.Sprintf("%s is already used: %s", canon, what)}
		}
	}
	if what, ok := browserKeys[key]; ok {
		return "", &HotkeyError{Reason: "reserved", Hotkey: canon, UsedBy: what,
			Message: fmt.Sprintf("%s is already used with any modifier: %s", key, what)}
	}
	return canon, nil
}
