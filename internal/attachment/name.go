// Package attachment is the server side of file attachments (DESIGN §2.6): the file name
// rule, the upload limits enforced while a multipart body streams in, content-addressed
// storage behind an interface, and the bookkeeping that lets the retention sweeper delete
// content no attachment needs any more.
package attachment

import (
	"strings"
	"unicode/utf8"
)

// MaxNameRunes is the longest file name kept, in characters (Unicode code points).
const MaxNameRunes = 100

// maxExtRunes is the longest suffix (the dot included) that counts as an extension and is
// kept when a long name is cut. A longer "extension" is just part of the name.
const maxExtRunes = 16

// DefaultName replaces a name that sanitises to nothing usable.
const DefaultName = "file"

// SanitizeName applies the file name rule of DESIGN §2.6:
//
//   - Latin letters A–Z a–z, Russian letters А–Я а–я and Ё ё, digits 0–9, '.', '_' and '~'
//     are kept; '-', spaces and every other character (path separators, control
//     characters, other scripts, emoji, invalid UTF-8 bytes) become '_', one '_' per
//     character;
//   - a decomposed й, Й, ё, Ё (letter + combining breve or diaeresis, as macOS sends
//     them) is first composed into the one letter, so it is kept;
//   - a result longer than MaxNameRunes characters is cut to MaxNameRunes, keeping the
//     extension (the part from the last '.', when it is at most 16 characters and not the
//     whole name);
//   - an empty result, or one made only of dots ("." , "..", …), becomes "file": such a
//     name says nothing and looks like a path component.
//
// The result never contains '/' or '\\' and SanitizeName(SanitizeName(s)) ==
// SanitizeName(s).
func SanitizeName(name string) string {
	out := make([]rune, 0, min(len(name), 4*MaxNameRunes))
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		i += size
		if r == utf8.RuneError && size <= 1 {
			out = append(out, '_')
			continue
		}
		if i < len(name) {
			if next, nsize := utf8.DecodeRuneInString(name[i:]); next == combiningBreve || next == combiningDiaeresis {
				if c, ok := compose(r, next); ok {
					r = c
					i += nsize
				}
			}
		}
		if allowed(r) {
			out = append(out, r)
		} else {
			out = append(out, '_')
		}
	}
	if len(out) > MaxNameRunes {
		out = cut(out)
	}
	if strings.Trim(string(out), ".") == "" {
		return DefaultName
	}
	return string(out)
}

const (
	combiningBreve     = '\u0306'
	combiningDiaeresis = '\u0308'
)

// compose joins the decomposed forms of й, Й, ё and Ё.
func compose(base, mark rune) (rune, bool) {
	switch {
	case mark == combiningBreve && base == 'и':
		return 'й', true
	case mark == combiningBreve && base == 'И':
		return 'Й', true
	case mark == combiningDiaeresis && base == 'е':
		return 'ё', true
	case mark == combiningDiaeresis && base == 'Е':
		return 'Ё', true
	}
	return 0, false
}

// allowed reports whether r is kept by the name rule.
func allowed(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case r >= 'А' && r <= 'я', r == 'Ё', r == 'ё': // U+0410–U+044F: А–Я, а–я
		return true
	case r == '.', r == '_', r == '~':
		return true
	}
	return false
}

// cut shortens a name of allowed characters to MaxNameRunes, keeping its extension.
func cut(name []rune) []rune {
	dot := -1
	for i := len(name) - 1; i > 0 && len(name)-i <= maxExtRunes; i-- {
		if name[i] == '.' {
			dot = i
			break
		}
	}
	if dot <= 0 {
		return name[:MaxNameRunes]
	}
	ext := name[dot:]
	out := make([]rune, 0, MaxNameRunes)
	out = append(out, name[:MaxNameRunes-len(ext)]...)
	return append(out, ext...)
}
