package spell

import (
	"bufio"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Dictionary is one language: every form the .dic stems produce with the .aff affix rules,
// expanded once at load into a formSet, plus what suggestions need (TRY, REP, KEY).
type Dictionary struct {
	// Lang is the language code, e.g. "ru".
	Lang string

	aff       *affixFile
	forms     formSet
	special   map[string][]string // fold → exact ALL CAPS / mixed-case forms
	noSuggest map[string]bool     // folds never offered as suggestions
	forbidden map[string]bool     // folds always rejected
	// compoundParts are the stems that carry COMPOUNDRULE flags (English digits and
	// ordinal endings), with their flags.
	compoundParts map[string][]flag
	alphabet      []rune         // letters tried by suggestions (TRY, lowercase)
	rep           []replacement  // REP pairs, lowercase
	common        map[string]int // frequency rank of common words (0: most common)
	// Stems and Forms count what was loaded.
	Stems, Forms int
}

// LoadFiles reads dir/name.aff and dir/name.dic plus any supplementary .dic texts written
// with the same affix flags.
func LoadFiles(lang, dir, name string, supplements ...string) (*Dictionary, error) {
	af, err := os.Open(filepath.Join(dir, name+".aff"))
	if err != nil {
		return nil, err
	}
	defer af.Close()
	df, err := os.Open(filepath.Join(dir, name+".dic"))
	if err != nil {
		return nil, err
	}
	defer df.Close()
	readers := []io.Reader{df}
	for _, s := range supplements {
		readers = append(readers, strings.NewReader(s))
	}
	return Load(lang, af, readers...)
}

// Load reads an .aff file and one or more .dic files (the first line of each may be the
// word count, as in Hunspell).
func Load(lang string, aff io.Reader, dics ...io.Reader) (*Dictionary, error) {
	a, err := parseAff(aff)
	if err != nil {
		return nil, fmt.Errorf("%s.aff: %w", lang, err)
	}
	d := &Dictionary{Lang: lang, aff: a, special: map[string][]string{}, noSuggest: map[string]bool{},
		forbidden: map[string]bool{}, compoundParts: map[string][]flag{}}
	e := &expander{d: d, b: newFormSetBuilder(maphash.MakeSeed(), 1<<20)}
	for i, r := range dics {
		if err := e.readDic(r); err != nil {
			return nil, fmt.Errorf("%s dictionary %d: %w", lang, i, err)
		}
	}
	d.Forms = len(e.b.hashes)
	seen := map[rune]bool{}
	for _, r := range strings.ToLower(a.try) {
		if (unicode.IsLetter(r) && isLetterKey(r) || r == '\'') && !seen[r] {
			seen[r] = true
			d.alphabet = append(d.alphabet, r)
		}
	}
	if lang == "ru" && !seen['ё'] {
		d.alphabet = append(d.alphabet, 'ё')
	}
	for _, rp := range a.rep {
		d.rep = append(d.rep, replacement{strings.ToLower(rp.from), strings.ToLower(rp.to)})
	}
	d.common = map[string]int{}
	d.forms = e.b.build()
	return d, nil
}

// expander turns stems into forms.
type expander struct {
	d     *Dictionary
	b     *formSetBuilder
	form  []rune
	base  []rune
	fold  []byte
	cross []flag
	// collect, when set, receives every form instead of the set (tests, tools).
	collect func(form string)
}

func (e *expander) readDic(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first {
			first = false
			line = strings.TrimPrefix(line, "\ufeff")
			if t := strings.TrimSpace(line); t != "" && strings.Trim(t, "0123456789") == "" {
				continue // the word count
			}
		}
		if !utf8.ValidString(line) {
			return fmt.Errorf("line %q is not UTF-8", line)
		}
		line = strings.TrimRight(line, " \t\r")
		if line == "" || line[0] == '#' || line[0] == '\t' {
			continue
		}
		// Morphological fields follow a tab or a space; the word and flags come first.
		if i := strings.IndexAny(line, "\t "); i > 0 {
			line = line[:i]
		}
		word, flagText := line, ""
		if i := findFlagSlash(line); i >= 0 {
			word, flagText = line[:i], line[i+1:]
		}
		word = strings.ReplaceAll(word, `\/`, "/")
		if word == "" {
			continue
		}
		flags, err := e.d.aff.flags.parseFlags(flagText)
		if err != nil {
			return err
		}
		e.d.Stems++
		e.expand(word, flags)
	}
	return sc.Err()
}

// findFlagSlash finds the "/" before the flags, skipping escaped "\/".
func findFlagSlash(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] == '/' && s[i-1] != '\\' {
			return i
		}
	}
	return -1
}

func has(flags []flag, f flag) bool { return f != 0 && slices.Contains(flags, f) }

func (e *expander) expand(word string, flags []flag) {
	a := e.d.aff
	stem := []rune(word)
	if has(flags, a.forbidden) {
		e.d.forbidden[fold(word)] = true
		return
	}
	noSuggest := has(flags, a.noSuggest)
	for _, f := range flags {
		if a.compoundFlags[f] {
			e.d.compoundParts[word] = flags
			break
		}
	}
	if !has(flags, a.needAffix) && !has(flags, a.onlyInCompound) {
		e.emit(stem, noSuggest)
	}
	if has(flags, a.onlyInCompound) {
		return
	}
	e.cross = e.cross[:0]
	for _, f := range flags {
		if g := a.groups[f]; g != nil && g.prefix && g.cross {
			e.cross = append(e.cross, f)
		}
	}
	for _, f := range flags {
		g := a.groups[f]
		if g == nil {
			continue
		}
		if len(stem) == 0 {
			break
		}
		edge := stem[len(stem)-1]
		if g.prefix {
			edge = stem[0]
		}
		for _, i := range g.candidates(edge) {
			rule := &g.rules[i]
			if g.prefix {
				if rule.cond.matchStart(stem) && hasPrefixRunes(stem, rule.strip) {
					e.form = append(append(e.form[:0], rule.add...), stem[len(rule.strip):]...)
					e.emit(e.form, noSuggest)
				}
				continue
			}
			if !rule.cond.matchEnd(stem) || !hasSuffixRunes(stem, rule.strip) || len(rule.strip) >= len(stem) && len(rule.add) == 0 {
				continue
			}
			base := append(append(e.base[:0], stem[:len(stem)-len(rule.strip)]...), rule.add...)
			e.base = base
			e.emit(base, noSuggest)
			if !g.cross {
				continue
			}
			for _, pf := range e.cross {
				for _, pr := range a.groups[pf].rules {
					if pr.cond.matchStart(stem) && hasPrefixRunes(base, pr.strip) {
						e.form = append(append(e.form[:0], pr.add...), base[len(pr.strip):]...)
						e.emit(e.form, noSuggest)
					}
				}
			}
		}
	}
}

func hasPrefixRunes(s, p []rune) bool { return len(p) <= len(s) && slices.Equal(s[:len(p)], p) }
func hasSuffixRunes(s, p []rune) bool {
	return len(p) <= len(s) && slices.Equal(s[len(s)-len(p):], p)
}

// emit adds one form (and, for Russian, its spelling with е for ё).
func (e *expander) emit(form []rune, noSuggest bool) {
	if e.collect != nil {
		e.collect(string(form))
		return
	}
	class := caseClass(form)
	e.fold = e.fold[:0]
	hasYo := false
	for _, r := range form {
		r = toLower(r)
		hasYo = hasYo || r == 'ё'
		e.fold = utf8.AppendRune(e.fold, r)
	}
	e.b.add(e.fold, class)
	if class == caseSpecial {
		k := string(e.fold)
		f := string(form)
		if !slices.Contains(e.d.special[k], f) {
			e.d.special[k] = append(e.d.special[k], f)
		}
	}
	if noSuggest {
		e.d.noSuggest[string(e.fold)] = true
	}
	if hasYo {
		s := strings.ReplaceAll(string(e.fold), "ё", "е")
		e.b.add([]byte(s), class)
		if class == caseSpecial {
			e.d.special[s] = append(e.d.special[s], strings.ReplaceAll(strings.ReplaceAll(string(form), "ё", "е"), "Ё", "Е"))
		}
		if noSuggest {
			e.d.noSuggest[s] = true
		}
	}
}

// toLower is unicode.ToLower with a fast path for the Latin and Russian alphabets.
func toLower(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z' || r >= 'а' && r <= 'я' || r == 'ё':
		return r
	case r >= 'A' && r <= 'Z':
		return r + 32
	case r >= 'А' && r <= 'Я':
		return r + 32
	case r == 'Ё':
		return 'ё'
	}
	return unicode.ToLower(r)
}

func isUpper(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z' || r >= 'а' && r <= 'я' || r == 'ё':
		return false
	case r >= 'A' && r <= 'Z' || r >= 'А' && r <= 'Я' || r == 'Ё':
		return true
	}
	return unicode.IsUpper(r)
}

// caseClass classifies a word: lowercase, Capitalised or special (ALL CAPS, mixed).
func caseClass(w []rune) uint8 {
	upper := 0
	firstUpper := false
	for i, r := range w {
		if isUpper(r) {
			upper++
			if i == 0 {
				firstUpper = true
			}
		}
	}
	switch {
	case upper == 0:
		return caseLower
	case upper == 1 && firstUpper:
		return caseCapital
	default:
		return caseSpecial
	}
}

// fold is the lowercase key of a word.
func fold(s string) string { return strings.ToLower(s) }

// MemoryBytes estimates what the dictionary holds in memory (the form set dominates).
func (d *Dictionary) MemoryBytes() int {
	n := d.forms.bytes()
	for k, v := range d.special {
		n += len(k) + 16
		for _, s := range v {
			n += len(s) + 16
		}
	}
	return n
}

// maxWordRunes is the longest word checked or corrected.
const maxWordRunes = 64

// SetFrequency sets the list of common words, most common first (one per line; # comments).
// Suggestions favour them.
func (d *Dictionary) SetFrequency(list string) {
	d.common = map[string]int{}
	for _, line := range strings.Split(list, "\n") {
		w := strings.TrimSpace(line)
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		w = fold(w)
		if _, ok := d.common[w]; !ok {
			d.common[w] = len(d.common)
		}
	}
}

// Expand lists the forms one .dic line ("заказ/K") produces with this dictionary's affixes.
func (d *Dictionary) Expand(line string) ([]string, error) {
	var forms []string
	e := &expander{d: &Dictionary{aff: d.aff, special: map[string][]string{}, noSuggest: map[string]bool{},
		forbidden: map[string]bool{}, compoundParts: map[string][]flag{}},
		collect: func(f string) { forms = append(forms, f) }}
	if err := e.readDic(strings.NewReader("1\n" + line + "\n")); err != nil {
		return nil, err
	}
	return forms, nil
}
