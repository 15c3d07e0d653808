package spell

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

//go:embed words/*.dic words/*.txt
var wordFiles embed.FS

// Languages the checker knows, in the order they are tried.
var Languages = []string{"ru", "en"}

// DefaultDir is where Debian's hunspell-ru and hunspell-en-us install their dictionaries.
const DefaultDir = "/usr/share/hunspell"

// Misspelling is one word the dictionaries reject.
type Misspelling struct {
	// Start and End are UTF-16 code unit offsets into the checked text (as a browser's
	// textarea counts), End exclusive.
	Start int `json:"start"`
	End   int `json:"end"`
	// Word is the text between them.
	Word string `json:"word"`
	// Suggestions are corrections, best first (may be empty).
	Suggestions []string `json:"suggestions"`
}

// Options shape one Check call.
type Options struct {
	// Languages to check; empty means all. A word in a script whose language is not
	// checked is left alone.
	Languages []string
	// Known reports words the operator or the account added (compared lowercase).
	Known func(lowercase string) bool
	// MaxSuggestions per word (default 5). Suggestions are computed for at most
	// MaxSuggested distinct words per call (default 40); later ones get none.
	MaxSuggestions int
	MaxSuggested   int
	// SuggestBudget bounds the time spent on suggestions in one call (default 150 ms):
	// words after it get cached suggestions only, so a long garbage text stays cheap.
	SuggestBudget time.Duration
}

// Checker checks chat text in Russian and English. It loads in the background: until it is
// ready, Check reports ready=false and nothing else.
type Checker struct {
	dir   string
	ready atomic.Bool
	ru    *Dictionary
	en    *Dictionary
	err   error
	done  chan struct{}
	once  sync.Once
	stats LoadStats

	cacheMu sync.Mutex
	cache   map[string][]string // lang+word → suggestions; cleared when it grows large
}

// LoadStats says what loading took.
type LoadStats struct {
	Duration time.Duration
	Forms    map[string]int
	Bytes    int
}

// NewChecker returns a checker that reads ru_RU and en_US from dir (DefaultDir when empty).
func NewChecker(dir string) *Checker {
	if dir == "" {
		dir = DefaultDir
	}
	return &Checker{dir: dir, done: make(chan struct{}), cache: map[string][]string{}}
}

// Load reads both dictionaries and the embedded supplementary vocabulary; it runs once, and
// later calls return the first result.
func (c *Checker) Load() error {
	c.once.Do(func() {
		defer close(c.done)
		start := time.Now()
		var wg sync.WaitGroup
		var ruErr, enErr error
		wg.Add(2)
		go func() { defer wg.Done(); c.ru, ruErr = loadLanguage(c.dir, "ru", "ru_RU") }()
		go func() { defer wg.Done(); c.en, enErr = loadLanguage(c.dir, "en", "en_US") }()
		wg.Wait()
		if c.err = errors.Join(ruErr, enErr); c.err != nil {
			return
		}
		c.stats = LoadStats{Duration: time.Since(start), Forms: map[string]int{"ru": c.ru.Forms, "en": c.en.Forms},
			Bytes: c.ru.MemoryBytes() + c.en.MemoryBytes()}
		c.ready.Store(true)
		// Expansion allocates several times what the tables keep; hand it back now rather
		// than leave the process's resident size at its loading peak.
		debug.FreeOSMemory()
	})
	<-c.done
	return c.err
}

// LoadAndLog loads (see Load) and logs the outcome: for the app's background start.
func (c *Checker) LoadAndLog(log *slog.Logger) {
	if err := c.Load(); err != nil {
		log.Error("spell check dictionaries not loaded; spell check stays off", "dir", c.dir, "err", err)
		return
	}
	st := c.Stats()
	log.Info("spell check ready", "dir", c.dir, "took", st.Duration.Round(time.Millisecond),
		"forms_ru", st.Forms["ru"], "forms_en", st.Forms["en"], "mb", st.Bytes>>20)
}

// Wait blocks until loading ended (successfully or not) or ctx is done.
func (c *Checker) Wait(ctx context.Context) error {
	select {
	case <-c.done:
		return c.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Ready says whether the dictionaries are loaded.
func (c *Checker) Ready() bool { return c.ready.Load() }

// Stats says what loading took (zero until ready).
func (c *Checker) Stats() LoadStats {
	if !c.Ready() {
		return LoadStats{}
	}
	return c.stats
}

// Dictionary returns a loaded language ("ru" or "en"), or nil.
func (c *Checker) Dictionary(lang string) *Dictionary {
	if !c.Ready() {
		return nil
	}
	switch lang {
	case "ru":
		return c.ru
	case "en":
		return c.en
	}
	return nil
}

func loadLanguage(dir, lang, name string) (*Dictionary, error) {
	sup, err := wordFiles.ReadFile("words/" + lang + ".dic")
	if err != nil {
		return nil, err
	}
	d, err := LoadFiles(lang, dir, name, string(sup))
	if err != nil {
		return nil, fmt.Errorf("spell: %s: %w", name, err)
	}
	freq, err := wordFiles.ReadFile("words/" + lang + "_common.txt")
	if err != nil {
		return nil, err
	}
	d.SetFrequency(string(freq))
	return d, nil
}

// script of a word: which dictionary should judge it.
type script int

const (
	scriptOther script = iota
	scriptCyrillic
	scriptLatin
	scriptMixed
)

func scriptOf(w string) script {
	cyr, lat := false, false
	for _, r := range w {
		switch {
		case !unicode.IsLetter(r):
		case isCyrillic(r):
			cyr = true
		case isLatin(r):
			lat = true
		default:
			return scriptOther
		}
	}
	switch {
	case cyr && lat:
		return scriptMixed
	case cyr:
		return scriptCyrillic
	case lat:
		return scriptLatin
	}
	return scriptOther
}

// normalizeWord removes soft hyphens and combining stress marks and unifies apostrophes.
func normalizeWord(w string) string {
	if strings.IndexFunc(w, func(r rune) bool {
		return r == '\u00ad' || r == '’' || r == 'ʼ' || r == '‐' || r == '‑' || unicode.Is(unicode.Mn, r)
	}) < 0 {
		return w
	}
	var b strings.Builder
	for _, r := range w {
		switch {
		case r == '\u00ad' || unicode.Is(unicode.Mn, r) && r != '\u0306' && r != '\u0308':
		case r == '’' || r == 'ʼ':
			b.WriteByte('\'')
		case r == '‐' || r == '‑':
			b.WriteByte('-')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Check finds the misspelled words of text. ready is false while the dictionaries load.
func (c *Checker) Check(text string, opt Options) (ready bool, out []Misspelling) {
	if !c.Ready() {
		return false, nil
	}
	if opt.MaxSuggestions <= 0 {
		opt.MaxSuggestions = 5
	}
	if opt.MaxSuggested <= 0 {
		opt.MaxSuggested = 40
	}
	if opt.SuggestBudget <= 0 {
		opt.SuggestBudget = 150 * time.Millisecond
	}
	ru, en := len(opt.Languages) == 0 || slices.Contains(opt.Languages, "ru"), len(opt.Languages) == 0 || slices.Contains(opt.Languages, "en")
	var offsets []int
	var bad []Token
	suggested := map[string][]string{}
	var layout []Token
	if ru {
		layout = c.wrongLayoutChunks(text, en, opt.Known)
	}
	for _, tok := range Tokenize(text) {
		for len(layout) > 0 && layout[0].End <= tok.Start {
			bad = append(bad, layout[0])
			offsets = append(offsets, layout[0].Start, layout[0].End)
			layout = layout[1:]
		}
		if len(layout) > 0 && tok.Start >= layout[0].Start {
			continue // inside a word typed in the wrong layout
		}
		if ok, _ := c.checkToken(tok, ru, en, opt.Known); ok {
			continue
		}
		bad = append(bad, tok)
		offsets = append(offsets, tok.Start, tok.End)
	}
	for _, tok := range layout {
		bad = append(bad, tok)
		offsets = append(offsets, tok.Start, tok.End)
	}
	if len(bad) == 0 {
		return true, []Misspelling{}
	}
	u16 := UTF16Offsets(text, offsets)
	out = make([]Misspelling, len(bad))
	deadline := time.Now().Add(opt.SuggestBudget)
	for i, tok := range bad {
		sugg, ok := suggested[tok.Word]
		if tok.layout != "" {
			sugg, ok = []string{tok.layout}, true
		}
		if !ok && len(suggested) < opt.MaxSuggested {
			if time.Now().Before(deadline) {
				sugg = c.suggestToken(tok, ru, en, opt.MaxSuggestions)
			} else {
				sugg = c.cachedSuggestions(tok, ru, en, opt.MaxSuggestions)
			}
			suggested[tok.Word] = sugg
		}
		if sugg == nil {
			sugg = []string{}
		}
		out[i] = Misspelling{Start: u16[2*i], End: u16[2*i+1], Word: tok.Word, Suggestions: sugg}
	}
	return true, out
}

// CheckWord says whether one word is spelled right in any of the given languages (all when
// none are given). It is false while loading.
func (c *Checker) CheckWord(word string, languages ...string) bool {
	if !c.Ready() {
		return false
	}
	ok, _ := c.checkToken(Token{Word: word, Ordinal: isOrdinal(word)}, len(languages) == 0 || slices.Contains(languages, "ru"),
		len(languages) == 0 || slices.Contains(languages, "en"), nil)
	return ok
}

// Suggest returns up to n corrections of one word.
func (c *Checker) Suggest(word string, n int, languages ...string) []string {
	if !c.Ready() {
		return nil
	}
	return c.suggestToken(Token{Word: word, Ordinal: isOrdinal(word)}, len(languages) == 0 || slices.Contains(languages, "ru"),
		len(languages) == 0 || slices.Contains(languages, "en"), n)
}

// checkToken judges one token; checked is false when no enabled language covers it.
func (c *Checker) checkToken(tok Token, ru, en bool, known func(string) bool) (ok, checked bool) {
	w := normalizeWord(tok.Word)
	n := utf8.RuneCountInString(w)
	if n < 2 || n > maxWordRunes {
		return true, false
	}
	if known != nil && known(fold(w)) {
		return true, false
	}
	if tok.Ordinal {
		return !en || c.en.Check(w), en
	}
	// Short words in capitals are abbreviations (ИНН, ООО, API): never flagged.
	if n <= 4 && inputCase(w) == caseAllCaps {
		return true, false
	}
	switch scriptOf(w) {
	case scriptCyrillic:
		if !ru {
			return true, false
		}
		return c.checkIn(c.ru, w), true
	case scriptLatin:
		if en {
			return c.checkIn(c.en, w), true
		}
		// Not checking English: still catch Russian typed in the Latin layout.
		if ru && n >= 3 {
			if conv, okc := layouts.convert([]rune(fold(w)), true); okc && c.ru.Check(string(conv)) {
				return false, true
			}
		}
		return true, false
	case scriptMixed:
		if strings.Contains(w, "-") {
			return c.checkMixedParts(w, ru, en)
		}
		return !ru && !en, ru || en // Latin look-alikes inside a Russian word, or the reverse
	}
	return true, false
}

// checkMixedParts judges a hyphenated word whose parts are in different scripts (QR-код,
// Wi-Fi-роутер): the supplementary vocabulary may list it whole, else each part is judged
// by its own language.
func (c *Checker) checkMixedParts(w string, ru, en bool) (ok, checked bool) {
	if ru && c.ru.Check(w) {
		return true, true
	}
	for _, p := range strings.Split(w, "-") {
		switch scriptOf(p) {
		case scriptCyrillic:
			if ru && !c.checkIn(c.ru, p) {
				return false, true
			}
		case scriptLatin:
			// Short Latin parts are abbreviations (QR, SMS, PDF).
			if en && utf8.RuneCountInString(p) > 4 && !c.checkIn(c.en, p) {
				return false, true
			}
		case scriptMixed:
			return false, ru || en
		}
	}
	return true, ru || en
}

// checkIn accepts a word, or a hyphenated word whose every part is accepted (кто-нибудь,
// e-mail, интернет-магазин).
func (c *Checker) checkIn(d *Dictionary, w string) bool {
	if d.Check(w) {
		return true
	}
	if !strings.Contains(w, "-") {
		return false
	}
	for _, p := range strings.Split(w, "-") {
		if utf8.RuneCountInString(p) < 1 || !d.Check(p) {
			if utf8.RuneCountInString(p) == 1 && w != p { // e-mail, x-ray: one-letter parts
				continue
			}
			return false
		}
	}
	return true
}

func cacheKey(w string, ru, en bool, n int) string { return fmt.Sprint(ru, en, n) + "\x00" + w }

// cachedSuggestions returns what suggestToken computed before for the token, or nil.
func (c *Checker) cachedSuggestions(tok Token, ru, en bool, n int) []string {
	c.cacheMu.Lock()
	defer c.cacheMu.Unlock()
	return c.cache[cacheKey(normalizeWord(tok.Word), ru, en, n)]
}

// suggestToken builds the suggestion list of a rejected token.
func (c *Checker) suggestToken(tok Token, ru, en bool, n int) []string {
	w := normalizeWord(tok.Word)
	key := cacheKey(w, ru, en, n)
	c.cacheMu.Lock()
	if s, ok := c.cache[key]; ok {
		c.cacheMu.Unlock()
		return s
	}
	c.cacheMu.Unlock()
	var out []string
	switch {
	case tok.Ordinal:
		out = ordinalSuggestion(w)
	default:
		out = c.suggestWord(w, ru, en, n)
	}
	if out == nil {
		out = []string{}
	}
	c.cacheMu.Lock()
	if len(c.cache) > 20000 {
		clear(c.cache)
	}
	c.cache[key] = out
	c.cacheMu.Unlock()
	return out
}

func (c *Checker) suggestWord(w string, ru, en bool, n int) []string {
	var first []string
	var d *Dictionary
	ic := inputCase(w)
	lower := []rune(fold(w))
	switch scriptOf(w) {
	case scriptCyrillic:
		d = c.ru
		if en { // English typed in the Russian layout: руддщ → hello
			if conv, ok := layouts.convert(lower, false); ok && len(conv) >= 3 && c.en.Check(string(conv)) {
				first = append(first, applyCase(string(conv), ic))
			}
		}
	case scriptLatin:
		d = c.en
		if ru {
			if conv, ok := layouts.convert(lower, true); ok && len(conv) >= 3 && c.ru.Check(string(conv)) {
				first = append(first, applyCase(string(conv), ic))
			}
		}
		if !en {
			return first
		}
	case scriptMixed:
		return c.fixMixed(w, ru, en)
	default:
		return nil
	}
	out := first
	for _, s := range d.Suggest(w, n) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// Latin letters that look like Cyrillic ones, and back.
var latinLookAlike = map[rune]rune{'a': 'а', 'c': 'с', 'e': 'е', 'o': 'о', 'p': 'р', 'x': 'х', 'y': 'у', 'k': 'к',
	'm': 'м', 't': 'т', 'b': 'в', 'h': 'н', 'A': 'А', 'B': 'В', 'C': 'С', 'E': 'Е', 'H': 'Н', 'K': 'К', 'M': 'М',
	'O': 'О', 'P': 'Р', 'T': 'Т', 'X': 'Х', 'Y': 'У'}

// fixMixed repairs a word typed with look-alike letters of the other script (пpивет with a
// Latin p).
func (c *Checker) fixMixed(w string, ru, en bool) []string {
	cyr, lat := 0, 0
	for _, r := range w {
		if isCyrillic(r) {
			cyr++
		} else if isLatin(r) {
			lat++
		}
	}
	var b strings.Builder
	if cyr >= lat && ru {
		for _, r := range w {
			if m, ok := latinLookAlike[r]; ok {
				r = m
			}
			b.WriteRune(r)
		}
		if s := b.String(); scriptOf(s) == scriptCyrillic {
			if c.checkIn(c.ru, s) {
				return []string{s}
			}
			return c.ru.Suggest(s, 5)
		}
		return nil
	}
	if en {
		back := map[rune]rune{}
		for l, cy := range latinLookAlike {
			back[cy] = l
		}
		for _, r := range w {
			if m, ok := back[r]; ok {
				r = m
			}
			b.WriteRune(r)
		}
		if s := b.String(); scriptOf(s) == scriptLatin {
			if c.checkIn(c.en, s) {
				return []string{s}
			}
			return c.en.Suggest(s, 5)
		}
	}
	return nil
}

// ordinalSuggestion writes the right English ordinal ending: 21th → 21st.
func ordinalSuggestion(w string) []string {
	i := 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	num := w[:i]
	if num == "" {
		return nil
	}
	suffix := "th"
	last := num[len(num)-1]
	tens := len(num) >= 2 && num[len(num)-2] == '1'
	switch {
	case tens:
	case last == '1':
		suffix = "st"
	case last == '2':
		suffix = "nd"
	case last == '3':
		suffix = "rd"
	}
	if inputCase(w[i:]) == caseAllCaps {
		suffix = strings.ToUpper(suffix)
	}
	return []string{num + suffix}
}

// Fold is the key a personal or account dictionary stores a word under: lowercase, with
// typographic apostrophes and soft hyphens normalised, as Check compares it.
func Fold(word string) string { return fold(normalizeWord(word)) }

// ValidWord says why a word cannot go into a personal or account dictionary ("" when it
// can): one word of 1 to 64 letters, digits, hyphens and apostrophes with a letter in it.
func ValidWord(word string) string {
	n := utf8.RuneCountInString(word)
	switch {
	case !utf8.ValidString(word):
		return "the word is not valid UTF-8"
	case n == 0:
		return "the word is empty"
	case n > maxWordRunes:
		return fmt.Sprintf("the word is longer than %d characters", maxWordRunes)
	}
	letters := 0
	for _, r := range word {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || isJoiner(r) || r == '\u00ad':
		default:
			return fmt.Sprintf("the word may hold only letters, digits, hyphens and apostrophes, not %q", r)
		}
	}
	if letters == 0 {
		return "the word has no letters"
	}
	return ""
}

// layoutPunct are the Latin-layout keys that sit where Russian letters are (б ю ж э х ъ ё).
const layoutPunct = ",.;'[]`<>:\"{}~"

// wrongLayoutChunks finds Russian words typed in the Latin layout whose Russian letters
// landed on punctuation keys — cgfcb,j (спасибо), lj,hsq (добрый), 'nj (это) — which the
// tokeniser would split at the punctuation. A chunk qualifies when it holds only Latin
// letters and those keys, has such a key before its last letter, is not English, and its retyped spelling
// is a Russian word. The tokens are marked with the Russian word as their suggestion.
func (c *Checker) wrongLayoutChunks(text string, en bool, known func(string) bool) []Token {
	var out []Token
	forEachChunk(text, func(i, j int) {
		if tok, ok := c.layoutWord(text, i, j, en, known); ok {
			out = append(out, tok)
		}
	})
	return out
}

func (c *Checker) layoutWord(text string, from, to int, en bool, known func(string) bool) (Token, bool) {
	chunk := text[from:to]
	if !strings.ContainsAny(chunk, layoutPunct) || strings.Contains(chunk, "://") {
		return Token{}, false
	}
	for _, r := range chunk {
		if !(r < 128 && (unicode.IsLetter(r) || strings.ContainsRune(layoutPunct, r))) {
			return Token{}, false
		}
	}
	// The chunk may end with real punctuation (a comma, a full stop) or with a letter typed
	// on that key (спасибо, → cgfcb,j,): try the whole chunk, then without its last
	// character.
	for end := len(chunk); end >= 2 && end >= len(chunk)-1; end-- {
		core := chunk[:end]
		if !strings.ContainsAny(strings.TrimRight(core, layoutPunct), layoutPunct) {
			continue // no layout key before the last letter: the ordinary path handles it
		}
		if en && c.en.Check(core) || known != nil && known(fold(core)) {
			return Token{}, false
		}
		conv, ok := layouts.convert([]rune(fold(core)), true)
		if !ok || len(conv) < 3 || !c.ru.Check(string(conv)) {
			continue
		}
		return Token{Start: from, End: from + end, Word: core, layout: applyCase(string(conv), inputCase(core))}, true
	}
	return Token{}, false
}
