package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Segment is a piece of a snippet; Hit marks what the query matched.
type Segment struct {
	Text string
	Hit  bool
}

// Snippet sizes, in characters.
const (
	// SnippetRunes is about how long a message snippet is.
	SnippetRunes = 180
	// snippetBefore is how much of the text before the first hit a snippet keeps.
	snippetBefore = 50
)

// Highlight returns a snippet of a message's text: about SnippetRunes characters around the
// first word the query matches (the start of the text when none does), with every matching
// word marked, whitespace collapsed, and "…" where the text was cut.
func Highlight(text string, q Query) []Segment {
	text = Normalize(text)
	var hits []Token
	for _, t := range Tokens(text) {
		if q.Matches(t.Word) {
			hits = append(hits, t)
		}
	}
	from := 0
	if len(hits) > 0 {
		from = backRunes(text, hits[0].Start, snippetBefore)
		if from > 0 {
			// start at a word: after the first space at or past from (not past the hit)
			if i := strings.IndexFunc(text[from:hits[0].Start], unicode.IsSpace); i >= 0 {
				from += i
			} else {
				from = hits[0].Start
			}
		}
	}
	to := forwardRunes(text, from, SnippetRunes)
	if to < len(text) {
		// end at a word: before the last space within the window
		if i := strings.LastIndexFunc(text[from:to], unicode.IsSpace); i > 0 {
			to = from + i
		}
	}
	var out []Segment
	add := func(s string, hit bool) {
		s = collapseSpaces(s)
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Hit == hit {
			out[n-1].Text += s
			return
		}
		out = append(out, Segment{Text: s, Hit: hit})
	}
	if from > 0 {
		add("…", false)
	}
	at := from
	for _, h := range hits {
		if h.Start < from || h.End > to {
			continue
		}
		add(text[at:h.Start], false)
		add(text[h.Start:h.End], true)
		at = h.End
	}
	add(text[at:to], false)
	if to < len(text) {
		if n := len(out); n > 0 && !out[n-1].Hit {
			out[n-1].Text = strings.TrimRight(out[n-1].Text, " ")
		}
		add("…", false)
	}
	if len(out) > 0 && !out[0].Hit {
		out[0].Text = strings.TrimLeft(out[0].Text, " ")
	}
	return out
}

// backRunes is the byte offset n characters before at (0 at most).
func backRunes(s string, at, n int) int {
	for ; n > 0 && at > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:at])
		at -= size
	}
	return at
}

// forwardRunes is the byte offset n characters after at (len(s) at most).
func forwardRunes(s string, at, n int) int {
	for ; n > 0 && at < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[at:])
		at += size
	}
	return at
}

// collapseSpaces turns every run of whitespace into one space.
func collapseSpaces(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// HighlightSubstrings marks in value (a visitor's name or email) every place where one of
// the folded words occurs, case and ё/е folded.
func HighlightSubstrings(value string, words []string) []Segment {
	value = Normalize(value)
	runes := []rune(value)
	folded := make([]rune, len(runes))
	for i, r := range runes {
		folded[i] = foldRune(r)
	}
	marked := make([]bool, len(runes))
	for _, w := range words {
		wr := []rune(w)
		if len(wr) == 0 {
			continue
		}
		for i := 0; i+len(wr) <= len(folded); i++ {
			if string(folded[i:i+len(wr)]) == w {
				for j := i; j < i+len(wr); j++ {
					marked[j] = true
				}
			}
		}
	}
	return markedSegments(runes, marked)
}

// HighlightDigits marks in a phone number the digits that make up digits, whatever
// separates them ("+7 (912) 345-67-89" and "9123456").
func HighlightDigits(phone, digits string) []Segment {
	runes := []rune(phone)
	var pos []int // index in runes of each digit
	var only []rune
	for i, r := range runes {
		if r >= '0' && r <= '9' {
			pos = append(pos, i)
			only = append(only, r)
		}
	}
	marked := make([]bool, len(runes))
	if i := strings.Index(string(only), digits); i >= 0 && digits != "" {
		for j := pos[i]; j <= pos[i+len(digits)-1]; j++ {
			marked[j] = true
		}
	}
	return markedSegments(runes, marked)
}

func markedSegments(runes []rune, marked []bool) []Segment {
	var out []Segment
	for i := 0; i < len(runes); {
		j := i
		for j < len(runes) && marked[j] == marked[i] {
			j++
		}
		out = append(out, Segment{Text: string(runes[i:j]), Hit: marked[i]})
		i = j
	}
	return out
}
