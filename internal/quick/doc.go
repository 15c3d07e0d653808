// Package quick holds the rules of quick messages (быстрые сообщения) that do not need the
// database: the search that the quick-message window and the composer's autocomplete use,
// and the hotkey rules of DESIGN §2.8.
//
// Search. Text and query are folded the same way: lower case, ё → е, every run of characters
// that are not letters or digits becomes one space. A query of fewer than 2 characters
// (after folding) matches nothing. Every query word must occur in the message's title or
// text as a substring, in any order, so a word being typed matches as a prefix. Results keep
// the list order: personal messages first, then account categories by position, then the
// messages by position.
//
// Hotkeys are written as modifiers in the fixed order Ctrl, Alt, Shift, Meta, then one
// physical key code (KeyboardEvent.code), joined by "+": "Ctrl+Alt+Digit1", "Alt+KeyQ".
// Physical codes make a hotkey work the same in the Russian and the English layout.
package quick
