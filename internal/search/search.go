package search

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
	"golang.org/x/text/unicode/norm"
)

// Limits of a query.
const (
	// MaxQueryRunes is the longest query accepted.
	MaxQueryRunes = 200
	// MaxTerms is how many terms (words and phrases) a query may have.
	MaxTerms = 12
	// MaxWordRunes is the longest word indexed or searched; longer runs (encoded data,
	// long links) are left out of the index.
	MaxWordRunes = 64
	// MinVisitorRunes is the shortest query word matched in a visitor's name or email (the
	// indexes are of trigrams).
	MinVisitorRunes = 3
	// MinPhoneDigits is the fewest digits a query needs to be matched against phones.
	MinPhoneDigits = 5
)

// Token is a word of a text: its folded form and where it stands in the text (byte offsets
// into the NFC form of the text that Tokens was given, see Normalize).
type Token struct {
	Word       string
	Start, End int
}

// Normalize returns text in NFC, the form Tokens' offsets refer to.
func Normalize(text string) string {
	if norm.NFC.IsNormalString(text) {
		return text
	}
	return norm.NFC.String(text)
}

// foldRune is the folded form of one character: lower case, ё as е.
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	if r == 'ё' {
		return 'е'
	}
	return r
}

// Fold returns s folded character by character (lower case, ё as е), in NFC; the result
// has as many characters as Normalize(s).
func Fold(s string) string {
	s = Normalize(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Tokens splits an NFC text (see Normalize) into its words, in order.
func Tokens(text string) []Token {
	var out []Token
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			if w := b.String(); utf8.RuneCountInString(w) <= MaxWordRunes {
				out = append(out, Token{Word: w, Start: start, End: end})
			}
			b.Reset()
			start = -1
		}
	}
	for i, r := range text {
		switch {
		case wordRune(r):
			if start < 0 {
				start = i
			}
			b.WriteRune(foldRune(r))
		case unicode.Is(unicode.Mn, r) && start >= 0:
			// a combining mark inside a word (not composed by NFC): part of it, not kept
		default:
			flush(i)
		}
	}
	flush(len(text))
	return out
}

// script says which stemmer a folded word takes: 'r' Cyrillic letters only, 'e' Latin
// letters only, 0 anything else (digits, mixed, other scripts): kept whole.
func script(w string) byte {
	var s byte
	for _, r := range w {
		var k byte
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			k = 'r'
		case r < utf8.RuneSelf && r >= 'a' && r <= 'z':
			k = 'e'
		default:
			return 0
		}
		if s != 0 && s != k {
			return 0
		}
		s = k
	}
	return s
}

// Stem returns the stem of a folded word, or "" for a stop word (not indexed, not
// searched).
func Stem(w string) string {
	switch script(w) {
	case 'r':
		if russian.IsStopWord(w) {
			return ""
		}
		return russian.Stem(w, true)
	case 'e':
		if english.IsStopWord(w) {
			return ""
		}
		return english.Stem(w, true)
	}
	return w
}

// Stems returns the stems of a text's words in order, stop words left out.
func Stems(text string) []string {
	toks := Tokens(Normalize(text))
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if s := Stem(t.Word); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// accountTerm is a stem as the SQLite index holds it: prefixed by the account.
func accountTerm(b *strings.Builder, account int64, stem string) {
	b.WriteString(strconv.FormatInt(account, 10))
	b.WriteByte('x')
	b.WriteString(stem)
}

// IndexTerms is the stemmed copy of a text that the SQLite index holds: the stems separated
// by spaces, each prefixed by the account.
func IndexTerms(account int64, text string) string {
	var b strings.Builder
	for i, s := range Stems(text) {
		if i > 0 {
			b.WriteByte(' ')
		}
		accountTerm(&b, account, s)
	}
	return b.String()
}

// Term is one condition of a query: a word (never a stop word), or a phrase of words
// (folded; its stop words kept: each store drops them the way it indexes).
type Term struct {
	Words  []string
	Phrase bool
}

// Query is a parsed search query.
type Query struct {
	// Terms must all match a message.
	Terms []Term
	// ConversationID is the id the query names when it is only a number (#4512), else 0.
	ConversationID int64
	// VisitorWords are the query's words (outside and inside quotes, folded) of at least
	// MinVisitorRunes characters, for matching visitors' names and emails by substring; a
	// word here keeps its inner punctuation ("anna.petrova@mail").
	VisitorWords []string
	// PhoneDigits are the query's digits when it looks like a phone number (digits, spaces,
	// + - ( ) . only, at least MinPhoneDigits digits), else "".
	PhoneDigits string
	// stems are the stems the query searches, for highlighting.
	stems map[string]bool
}

var (
	idQuery    = regexp.MustCompile(`^#?([0-9]{1,15})$`)
	phoneQuery = regexp.MustCompile(`^[0-9+()\-. ]+$`)
)

// Parse reads a query. ok is false when it has nothing to search: no word that is not a
// stop word, no conversation id, no visitor field.
func Parse(q string) (Query, bool) {
	q = strings.TrimSpace(Normalize(q))
	var out Query
	out.stems = map[string]bool{}
	if m := idQuery.FindStringSubmatch(q); m != nil {
		out.ConversationID, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if phoneQuery.MatchString(q) {
		var d strings.Builder
		for _, r := range q {
			if r >= '0' && r <= '9' {
				d.WriteRune(r)
			}
		}
		if d.Len() >= MinPhoneDigits {
			out.PhoneDigits = d.String()
		}
	}
	// Quotes split the query into alternating plain parts and phrases; an unclosed quote
	// makes a phrase of the rest.
	parts := strings.Split(q, `"`)
	for i, part := range parts {
		phrase := i%2 == 1
		for _, f := range strings.Fields(part) {
			if f = strings.Trim(Fold(f), `#.,;:!?'«»()[]{}`); utf8.RuneCountInString(f) >= MinVisitorRunes &&
				len(out.VisitorWords) < MaxTerms {
				out.VisitorWords = append(out.VisitorWords, f)
			}
		}
		var words, all []string
		for _, t := range Tokens(part) {
			all = append(all, t.Word)
			if s := Stem(t.Word); s != "" {
				out.stems[s] = true
				words = append(words, t.Word)
			}
		}
		if len(words) == 0 {
			continue
		}
		if phrase && len(words) > 1 {
			// The stop words stay in a phrase: PostgreSQL counts them as gaps between the
			// words; the SQLite index and FTS5 leave them out on both sides.
			out.Terms = append(out.Terms, Term{Words: all, Phrase: true})
			continue
		}
		for _, w := range words {
			out.Terms = append(out.Terms, Term{Words: []string{w}})
		}
	}
	if len(out.Terms) > MaxTerms {
		out.Terms = out.Terms[:MaxTerms]
	}
	return out, len(out.Terms) > 0 || out.ConversationID > 0 || len(out.VisitorWords) > 0 || out.PhoneDigits != ""
}

// HasText reports whether the query searches message text.
func (q Query) HasText() bool { return len(q.Terms) > 0 }

// FTS5 is the query for SQLite's message index of an account: every term's stems prefixed
// by the account, quoted (the terms hold only letters and digits), a phrase as one quoted
// string, the terms joined by AND.
func (q Query) FTS5(account int64) string {
	var b strings.Builder
	for i, t := range q.Terms {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteByte('"')
		n := 0
		for _, w := range t.Words {
			s := Stem(w)
			if s == "" {
				continue
			}
			if n > 0 {
				b.WriteByte(' ')
			}
			accountTerm(&b, account, s)
			n++
		}
		b.WriteByte('"')
	}
	return b.String()
}

// Plain is the query's single words joined by spaces, for PostgreSQL's plainto_tsquery
// ("" when it has none).
func (q Query) Plain() string {
	var w []string
	for _, t := range q.Terms {
		if !t.Phrase {
			w = append(w, t.Words...)
		}
	}
	return strings.Join(w, " ")
}

// Phrases are the query's phrases, each its words joined by spaces, for PostgreSQL's
// phraseto_tsquery.
func (q Query) Phrases() []string {
	var out []string
	for _, t := range q.Terms {
		if t.Phrase {
			out = append(out, strings.Join(t.Words, " "))
		}
	}
	return out
}

// Matches reports whether a word of a text (folded) is one the query searches, by its stem.
func (q Query) Matches(word string) bool {
	s := Stem(word)
	return s != "" && q.stems[s]
}
