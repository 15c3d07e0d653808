package spell

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Suggestion costs: what a fast-typing operator does most often costs least. A candidate's
// score is the sum of its edits' costs minus a bonus for common words; lowest first.
const (
	costTranspose   = 0.5  // "рпивет": two keys in the wrong order
	costDoubleDel   = 0.45 // "закказ": a key pressed twice
	costDoubleIns   = 0.5  // "adress": a double letter typed once
	costNearDel     = 0.6  // "заказв": a neighbouring key caught with the right one
	costDelete      = 0.85 // any extra letter
	costSoftDel     = 0.7  // an extra ь or ъ
	costInsert      = 0.75 // a missing letter
	costNearSub     = 0.6  // the neighbouring key instead of the right one
	costSoundSub    = 0.55 // a letter that sounds alike: а/о, е/и, ш/щ …
	costYoSub       = 0.2  // е for ё
	costSub         = 1.0  // any other substitution
	costMove        = 0.85 // a letter two or three places off
	costRep         = 0.6  // a REP pair of the dictionary
	costSplit       = 0.75 // a missing space
	costFirstLetter = 0.25 // added when an edit touches the first letter: people get it right
	costSecondEdit  = 0.1  // added to two-edit candidates
	costNotLower    = 0.3  // a proper name or acronym offered for a lowercase word
	level2Limit     = 0.9  // only first edits this cheap are extended by a second edit
	level2Skip      = 0.65 // no second round when a first edit this cheap was found
)

// soundAlike are the substitutions spelling (not typing) produces.
var soundAlike = map[rune]string{
	'а': "о", 'о': "а", 'е': "иэяё", 'и': "еыйя", 'я': "еа", 'ы': "и", 'э': "е", 'ё': "ео",
	'ь': "ъ", 'ъ': "ь", 'ш': "щж", 'щ': "шч", 'ж': "ш", 'з': "с", 'с': "зц", 'д': "т", 'т': "д",
	'б': "п", 'п': "б", 'г': "к", 'к': "г", 'в': "ф", 'ф': "в", 'й': "и", 'ю': "у", 'у': "ю", 'ц': "с", 'ч': "щ",
	'a': "eoi", 'e': "aiy", 'i': "eyao", 'o': "aeu", 'u': "oa", 'y': "ie", 'c': "ks", 'k': "c", 's': "cz", 'z': "s",
}

var layouts = newKeyboard()

// scored is one suggestion under construction.
type scored struct {
	word  string
	score float32
}

// suggestState is the scratch space of one Suggest call.
type suggestState struct {
	d      *Dictionary
	word   []rune // the misspelled word, lowercase
	found  map[string]float32
	buf    []byte
	work   []rune
	level1 []rune  // first-edit strings that deserve a second edit, back to back
	ends   []int32 // end offsets into level1
	costs  []float32
	second bool
}

// Suggest returns up to n corrections for a word the dictionary rejects, best first, in the
// case the word was typed in.
func (d *Dictionary) Suggest(word string, n int) []string {
	res := d.suggest(word, n)
	out := make([]string, len(res))
	for i, s := range res {
		out[i] = s.word
	}
	return out
}

func (d *Dictionary) suggest(word string, n int) []scored {
	word = d.inputConvert(word)
	runes := []rune(fold(word))
	if len(runes) == 0 || len(runes) > maxWordRunes {
		return nil
	}
	st := &suggestState{d: d, word: runes, found: map[string]float32{}}
	// Only the case is wrong: москва → Москва.
	st.try(runes, 0)
	st.edits(runes, 0, false)
	st.split(runes)
	// A second edit only when the first found too little: good single-edit corrections
	// (cost ≤ level2Skip) make two-edit ones very unlikely to rank first, and the second
	// round is most of the time spent.
	best := float32(10)
	for _, c := range st.found {
		best = min(best, c)
	}
	if len(runes) >= 3 && (len(st.found) < n || best > level2Skip) {
		st.second = true
		for i := range st.ends {
			start := int32(0)
			if i > 0 {
				start = st.ends[i-1]
			}
			st.edits(st.level1[start:st.ends[i]], st.costs[i]+costSecondEdit, true)
		}
	}
	ic := inputCase(word)
	all := make([]scored, 0, len(st.found))
	for f, cost := range st.found {
		form, class := d.dictionaryForm(f)
		if form == "" {
			continue
		}
		if class&caseLower == 0 && ic == caseLower {
			cost += costNotLower
		}
		if class&(caseLower|caseCapital) != 0 || ic == caseAllCaps {
			form = applyCase(form, ic) // iPhone stays iPhone
		}
		all = append(all, scored{form, cost - d.frequencyBonus(f)})
	}
	slices.SortFunc(all, func(a, b scored) int {
		if a.score != b.score {
			if a.score < b.score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.word, b.word)
	})
	out := all[:0]
	seen := map[string]bool{word: true}
	for _, s := range all {
		if !seen[s.word] {
			seen[s.word] = true
			out = append(out, s)
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// dictionaryForm spells a found fold as the dictionary does (Москва, ЧПУ, iPhone).
func (d *Dictionary) dictionaryForm(f string) (string, uint8) {
	if strings.Contains(f, " ") {
		return f, caseLower
	}
	class := d.forms.lookupString(f)
	switch {
	case class&caseLower != 0:
		return f, class
	case class&caseCapital != 0:
		return capitalize(f), class
	case class&caseSpecial != 0 && len(d.special[f]) > 0:
		return d.special[f][0], class
	}
	return "", 0
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// applyCase writes a suggestion in the case the operator typed.
func applyCase(s string, c uint8) string {
	switch c {
	case caseCapital:
		return capitalize(s)
	case caseAllCaps:
		return strings.ToUpper(s)
	}
	return s
}

// frequencyBonus favours the words a support chat uses most (the embedded frequency lists).
func (d *Dictionary) frequencyBonus(f string) float32 {
	rank, ok := d.common[f]
	if !ok {
		return 0
	}
	return 0.15 + 0.25*(1-float32(rank)/float32(len(d.common)+1))
}

// try looks a candidate up and records it with its cost.
func (st *suggestState) try(cand []rune, cost float32) {
	st.buf = st.buf[:0]
	for _, r := range cand {
		st.buf = utf8.AppendRune(st.buf, r)
	}
	if st.d.forms.lookup(st.buf) == 0 {
		return
	}
	f := string(st.buf)
	if st.d.noSuggest[f] || st.d.forbidden[f] {
		return
	}
	if old, ok := st.found[f]; !ok || cost < old {
		st.found[f] = cost
	}
}

// keep remembers a first-edit string for the second round.
func (st *suggestState) keep(cand []rune, cost float32) {
	if st.second || cost > level2Limit {
		return
	}
	st.level1 = append(st.level1, cand...)
	st.ends = append(st.ends, int32(len(st.level1)))
	st.costs = append(st.costs, cost)
}

func (st *suggestState) emit(cand []rune, cost float32) {
	st.try(cand, cost)
	st.keep(cand, cost)
}

func firstLetter(i int) float32 {
	if i == 0 {
		return costFirstLetter
	}
	return 0
}

// edits tries every single edit of w. In the second round (restricted) only the cheap,
// typing-like edits run: deletions, swaps, neighbouring or sound-alike keys, doubled letters.
func (st *suggestState) edits(w []rune, base float32, restricted bool) {
	n := len(w)
	alphabet := st.d.alphabet
	// Deletions.
	for i := 0; i < n; i++ {
		c := costDelete
		switch {
		case i > 0 && w[i] == w[i-1] || i+1 < n && w[i] == w[i+1]:
			c = costDoubleDel
		case i > 0 && layouts.near(w[i], w[i-1]) || i+1 < n && layouts.near(w[i], w[i+1]):
			c = costNearDel
		case w[i] == 'ь' || w[i] == 'ъ':
			c = costSoftDel
		}
		st.work = append(append(st.work[:0], w[:i]...), w[i+1:]...)
		st.emit(st.work, base+float32(c)+firstLetter(i))
	}
	// Transpositions.
	for i := 0; i+1 < n; i++ {
		if w[i] == w[i+1] {
			continue
		}
		st.work = append(st.work[:0], w...)
		st.work[i], st.work[i+1] = st.work[i+1], st.work[i]
		st.emit(st.work, base+costTranspose+firstLetter(i))
	}
	// Substitutions.
	for i := 0; i < n; i++ {
		st.work = append(st.work[:0], w...)
		orig := w[i]
		sub := func(c rune, cost float32) {
			st.work[i] = c
			st.emit(st.work, base+cost+firstLetter(i))
		}
		if restricted {
			for _, c := range layouts.adjacent[orig] {
				sub(c, costNearSub)
			}
			for _, c := range soundAlike[orig] {
				sub(c, costSoundSub)
			}
		} else {
			for _, c := range alphabet {
				if c == orig {
					continue
				}
				cost := float32(costSub)
				switch {
				case orig == 'е' && c == 'ё' || orig == 'ё' && c == 'е':
					cost = costYoSub
				case strings.ContainsRune(soundAlike[orig], c):
					cost = costSoundSub
				case layouts.near(orig, c):
					cost = costNearSub
				}
				sub(c, cost)
			}
		}
		st.work[i] = orig
	}
	// Insertions.
	for i := 0; i <= n; i++ {
		ins := func(c rune, cost float32) {
			st.work = append(append(append(st.work[:0], w[:i]...), c), w[i:]...)
			st.emit(st.work, base+cost+firstLetter(i))
		}
		if restricted {
			if i > 0 {
				ins(w[i-1], costDoubleIns)
			}
			continue
		}
		for _, c := range alphabet {
			cost := float32(costInsert)
			if i > 0 && w[i-1] == c || i < n && w[i] == c {
				cost = costDoubleIns
			}
			ins(c, cost)
		}
	}
	if restricted {
		return
	}
	// A letter two or three places off.
	for i := 0; i < n; i++ {
		for _, d := range []int{-3, -2, 2, 3} {
			j := i + d
			if j < 0 || j >= n {
				continue
			}
			st.work = append(st.work[:0], w...)
			c := st.work[i]
			if d > 0 {
				copy(st.work[i:j], st.work[i+1:j+1])
			} else {
				copy(st.work[j+1:i+1], st.work[j:i])
			}
			st.work[j] = c
			st.emit(st.work, base+costMove+firstLetter(min(i, j)))
		}
	}
	// The dictionary's REP table.
	if len(st.d.rep) > 0 {
		s := string(w)
		for _, rp := range st.d.rep {
			for off := 0; ; {
				k := strings.Index(s[off:], rp.from)
				if k < 0 {
					break
				}
				at := off + k
				cand := []rune(s[:at] + rp.to + s[at+len(rp.from):])
				if strings.Contains(rp.to, " ") {
					st.trySplitPhrase(string(cand), base+costRep)
				} else {
					st.emit(cand, base+costRep+firstLetter(at))
				}
				off = at + len(rp.from)
			}
		}
	}
}

// trySplitPhrase records a several-word candidate when every word is accepted.
func (st *suggestState) trySplitPhrase(phrase string, cost float32) {
	for _, p := range strings.Fields(phrase) {
		if !st.d.goodPart(p) {
			return
		}
	}
	if old, ok := st.found[phrase]; !ok || cost < old {
		st.found[phrase] = cost
	}
}

// split tries the word as two words with a missing space (or a missing hyphen).
func (st *suggestState) split(w []rune) {
	for i := 1; i < len(w); i++ {
		left, right := string(w[:i]), string(w[i:])
		if st.d.goodPart(left) && st.d.goodPart(right) {
			st.trySplitPhrase(left+" "+right, costSplit)
		}
		st.work = append(append(append(st.work[:0], w[:i]...), '-'), w[i:]...)
		st.try(st.work, costSplit-0.1)
	}
}

// goodPart says whether s may be one word of a split: a lowercase dictionary word of three
// letters or more, or a shorter one from the frequency list (в, и, на, to, of …).
func (d *Dictionary) goodPart(s string) bool {
	if d.forms.lookupString(s)&caseLower == 0 || d.noSuggest[s] {
		return false
	}
	if utf8.RuneCountInString(s) >= 3 {
		return true
	}
	_, ok := d.common[s]
	return ok
}
