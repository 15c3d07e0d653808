package spell

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Check says whether the dictionary accepts word, with Hunspell's case rules: a lowercase
// dictionary form is accepted lowercase, Capitalised and in ALL CAPS; a Capitalised form
// (a proper name) is accepted Capitalised and in ALL CAPS but not lowercase; ALL CAPS and
// mixed-case forms (ЧПУ, iPhone) exactly or in ALL CAPS. In Russian a word written with е
// where the dictionary has ё is accepted.
func (d *Dictionary) Check(word string) bool {
	word = d.inputConvert(word)
	if word == "" {
		return false
	}
	f := fold(word)
	if d.forbidden[f] {
		return false
	}
	if d.accepts(word, f, d.forms.lookupString(f)) {
		return true
	}
	return d.checkCompound(word)
}

// accepts applies the case rules to the classes found for f.
func (d *Dictionary) accepts(word, f string, class uint8) bool {
	if class == 0 {
		return false
	}
	switch inputCase(word) {
	case caseLower:
		return class&caseLower != 0
	case caseCapital:
		return class&(caseLower|caseCapital) != 0
	case caseAllCaps:
		return true
	default:
		return class&caseSpecial != 0 && slices.Contains(d.special[f], word)
	}
}

// caseAllCaps is an input word in capitals (two letters or more).
const caseAllCaps = 8

func inputCase(word string) uint8 {
	upper, lower, n := 0, 0, 0
	firstUpper := false
	for _, r := range word {
		if !unicode.IsLetter(r) {
			continue
		}
		switch {
		case unicode.IsUpper(r):
			if n == 0 {
				firstUpper = true
			}
			upper++
		case unicode.IsLower(r):
			lower++
		}
		n++
	}
	switch {
	case upper == 0:
		return caseLower
	case upper == 1 && firstUpper:
		return caseCapital
	case lower == 0:
		return caseAllCaps
	default:
		return caseSpecial
	}
}

// inputConvert applies ICONV (typographic apostrophes to ASCII in en_US).
func (d *Dictionary) inputConvert(word string) string {
	for _, c := range d.aff.iconv {
		if strings.Contains(word, c.from) {
			word = strings.ReplaceAll(word, c.from, c.to)
		}
	}
	return word
}

// checkCompound matches word against the COMPOUNDRULE patterns (English: 21st, 102nd,
// 11th) made of at least two dictionary parts.
func (d *Dictionary) checkCompound(word string) bool {
	if len(d.aff.compoundRules) == 0 || utf8.RuneCountInString(word) < 2 {
		return false
	}
	for _, rule := range d.aff.compoundRules {
		if d.matchRule(word, rule, 0, 0) {
			return true
		}
	}
	return false
}

// matchRule matches word from byte offset pos against rule from atom ai; parts counts the
// dictionary words used so far.
func (d *Dictionary) matchRule(word string, rule compoundRule, ai, parts int) bool {
	if word == "" {
		return ai == len(rule) || restOptional(rule[ai:]) && parts >= 2
	}
	if ai == len(rule) {
		return false
	}
	atom := rule[ai]
	if atom.rep != 0 && d.matchRule(word, rule, ai+1, parts) {
		return true
	}
	minLen := max(d.aff.compoundMin, 1)
	for end := 1; end <= len(word); end++ {
		if !utf8.RuneStart(word[end-1]) || end < len(word) && !utf8.RuneStart(word[end]) {
			continue
		}
		if utf8.RuneCountInString(word[:end]) < minLen {
			continue
		}
		flags, ok := d.compoundParts[word[:end]]
		if !ok || !has(flags, atom.f) {
			continue
		}
		next := ai + 1
		if atom.rep == '*' {
			next = ai
		}
		if end == len(word) {
			if parts+1 >= 2 && (next == len(rule) || restOptional(rule[next:])) {
				return true
			}
			continue
		}
		if d.matchRule(word[end:], rule, next, parts+1) {
			return true
		}
	}
	return false
}

func restOptional(rest compoundRule) bool {
	for _, a := range rest {
		if a.rep == 0 {
			return false
		}
	}
	return true
}
