package spell

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word of a chat message that spell checking should look at.
type Token struct {
	// Start and End are byte offsets into the text: text[Start:End] is the word.
	Start, End int
	// Word is text[Start:End].
	Word string
	// Ordinal marks an English ordinal like 21st (checked by COMPOUNDRULE, not as a word).
	Ordinal bool
	// layout is the Russian word a chunk typed in the wrong layout stands for.
	layout string
}

// Tokenize splits chat text into the words to check. It never returns numbers, order ids
// (A-1023, №4512, #4512), emails, URLs and domain names, @mentions, #hashtags, words with
// digits or underscores (codes, identifiers), or emoji; it keeps hyphenated words
// (кто-нибудь, e-mail) and apostrophes (don't, don’t) inside one word.
func Tokenize(text string) []Token {
	var out []Token
	forEachChunk(text, func(i, j int) { out = tokenizeChunk(text, i, j, out) })
	return out
}

// forEachChunk calls fn with the byte range of every run of non-space characters of text.
func forEachChunk(text string, fn func(from, to int)) {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		fn(i, j)
		i = j
	}
}

// tokenizeChunk handles one whitespace-separated chunk text[from:to].
func tokenizeChunk(text string, from, to int, out []Token) []Token {
	chunk := strings.TrimFunc(text[from:to], func(r rune) bool {
		return !isWordRune(r) && r != '@' && r != '#' && r != '№' && r != '/' && r != '_'
	})
	if skipChunk(chunk) {
		return out
	}
	i := from
	for i < to {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) { // marks only continue a word
			i += size
			continue
		}
		start := i
		end := i + size
		for end < to {
			r, size := utf8.DecodeRuneInString(text[end:])
			if isWordRune(r) {
				end += size
				continue
			}
			if isJoiner(r) && end+size < to {
				if next, _ := utf8.DecodeRuneInString(text[end+size:]); isWordRune(next) {
					end += size
					continue
				}
			}
			break
		}
		i = end
		word := text[start:end]
		prev, _ := utf8.DecodeLastRuneInString(text[from:start])
		next, _ := utf8.DecodeRuneInString(text[end:to])
		if start == from {
			prev = 0
		}
		if end == to {
			next = 0
		}
		if prev == '№' || prev == '#' || prev == '@' || prev == '_' || next == '_' || next == '@' {
			continue
		}
		tok := Token{Start: start, End: end, Word: word}
		if strings.IndexFunc(word, unicode.IsDigit) >= 0 {
			if !isOrdinal(word) {
				continue
			}
			tok.Ordinal = true
		}
		out = append(out, tok)
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '\u00ad'
}

// isJoiner: characters kept inside a word when letters stand on both sides.
func isJoiner(r rune) bool {
	switch r {
	case '-', '\'', '’', 'ʼ', '‐', '‑':
		return true
	}
	return false
}

// isOrdinal: digits followed by two Latin letters (21st, 4th, 21th).
func isOrdinal(w string) bool {
	i := 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	if i == 0 || len(w)-i != 2 {
		return false
	}
	for _, c := range w[i:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// skipChunk says whether a whole chunk is a URL, an email, a mention, a hashtag, a domain
// name or a file name — never spell-checked.
func skipChunk(c string) bool {
	if c == "" {
		return true
	}
	if c[0] == '@' || c[0] == '#' {
		return true
	}
	lc := strings.ToLower(c)
	if strings.Contains(lc, "://") || strings.HasPrefix(lc, "www.") || strings.HasPrefix(lc, "mailto:") {
		return true
	}
	if at := strings.IndexByte(c, '@'); at > 0 && at < len(c)-1 {
		return true // an email, or user@host
	}
	return isDomainLike(c)
}

// isDomainLike: labels joined by dots whose last label is two or more letters, like
// example.com, shop.ru/cart, мой-магазин.рф, report.pdf. Abbreviations such as "т.е" or
// "e.g" end in a one-letter label and are not skipped.
func isDomainLike(c string) bool {
	if i := strings.IndexByte(c, '/'); i > 0 {
		c = c[:i]
	}
	c = strings.TrimRight(c, ".")
	dot := strings.LastIndexByte(c, '.')
	if dot <= 0 || dot == len(c)-1 {
		return false
	}
	last := c[dot+1:]
	if utf8.RuneCountInString(last) < 2 {
		return false
	}
	for _, r := range c {
		if !(isWordRune(r) || r == '.' || r == '-') {
			return false
		}
	}
	for _, r := range last {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	// "ok.Thanks" is a missing space, not a domain.
	if strings.IndexFunc(last, unicode.IsUpper) >= 0 && strings.IndexFunc(c, unicode.IsLower) >= 0 {
		return false
	}
	// "слово.Слово" after a missing space is not a domain: require the part before the
	// last dot to have no Cyrillic unless the zone is Cyrillic (рф, рус …).
	cyrZone := strings.IndexFunc(last, isCyrillic) >= 0
	if !cyrZone && strings.IndexFunc(c, isCyrillic) >= 0 {
		return false
	}
	if cyrZone && last != "рф" && last != "рус" && last != "онлайн" && last != "москва" {
		return false
	}
	return true
}

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }
func isLatin(r rune) bool    { return unicode.Is(unicode.Latin, r) }

// UTF16Offsets converts sorted byte offsets into text to UTF-16 code unit offsets (what a
// browser's textarea selectionStart counts), in one pass.
func UTF16Offsets(text string, byteOffsets []int) []int {
	out := make([]int, len(byteOffsets))
	u16, b, k := 0, 0, 0
	for k < len(byteOffsets) {
		for k < len(byteOffsets) && byteOffsets[k] <= b {
			out[k] = u16
			k++
		}
		if b >= len(text) {
			for ; k < len(byteOffsets); k++ {
				out[k] = u16
			}
			break
		}
		r, size := utf8.DecodeRuneInString(text[b:])
		if r >= 0x10000 {
			u16 += 2
		} else {
			u16++
		}
		b += size
	}
	return out
}
