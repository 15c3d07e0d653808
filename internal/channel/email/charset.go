package email

import (
	"bytes"
	"encoding/base64"
	"io"
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// Charsets of unlabelled 8-bit text, as DetectCharset names them.
const (
	CharsetUTF8    = "utf-8"
	CharsetCP1251  = "windows-1251"
	CharsetKOI8R   = "koi8-r"
	CharsetCP1252  = "windows-1252"
	CharsetASCII   = "us-ascii"
	maxDetectBytes = 64 << 10 // enough statistics; detection stays cheap on long text
)

// letterWeight is the log-frequency of a lower-case Russian letter in running text (per
// mille), used to tell windows-1251 from KOI8-R: the right decoding gives frequent letters,
// mostly lower case; the wrong one gives rare letters and capitals inside words.
func letterWeight(r rune) (float64, bool) {
	const letters = "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё"
	perMille := [...]float64{110, 85, 80, 73, 67, 63, 55, 47, 45, 44, 35, 32, 30, 28, 26, 20, 19, 17,
		17, 16, 16, 14, 12, 10, 9, 7, 6, 5, 4, 3, 3, 0.4, 1}
	i := 0
	for _, l := range letters {
		if l == r {
			return math.Log(perMille[i]), true
		}
		i++
	}
	return 0, false
}

// DetectCharset names the charset of 8-bit text that carries no (or a wrong) label, the
// way mail clients guess it: pure ASCII is us-ascii, valid UTF-8 is utf-8; otherwise the
// choice between windows-1251 and KOI8-R is made on the statistics of the Cyrillic letters
// each would give. Text whose 8-bit bytes sit inside Latin words (café, Müller) is
// windows-1252.
func DetectCharset(b []byte) string {
	if len(b) > maxDetectBytes {
		b = b[:maxDetectBytes]
		// A character cut at the end must not make valid UTF-8 look invalid.
		for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	high := false
	for _, c := range b {
		if c >= 0x80 {
			high = true
			break
		}
	}
	switch {
	case !high:
		return CharsetASCII
	case utf8.Valid(b):
		return CharsetUTF8
	case latinRuns(b):
		return CharsetCP1252
	}
	if cyrillicScore(charmap.KOI8R, b) > cyrillicScore(charmap.Windows1251, b) {
		return CharsetKOI8R
	}
	return CharsetCP1251
}

// latinRuns says whether most runs of 8-bit bytes touch an ASCII letter: accented letters
// inside Latin words. Cyrillic words are 8-bit from end to end.
func latinRuns(b []byte) bool {
	runs, touching := 0, 0
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		j := i
		for j < len(b) && b[j] >= 0x80 {
			j++
		}
		runs++
		if (i > 0 && isASCIILetter(b[i-1])) || (j < len(b) && isASCIILetter(b[j])) {
			touching++
		}
		i = j
	}
	return touching*2 > runs
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// cyrillicScore rates the text that cm makes of b: frequent letters score, rare ones less;
// a capital right after a small letter, words of two letters or more without a vowel, runs
// of four consonants, a word starting with ь, ъ or ы, and box-drawing symbols count
// against. The wrong one of windows-1251 and KOI8-R gives a permutation of the alphabet, and
// these shapes of Russian words do not survive it.
func cyrillicScore(cm *charmap.Charmap, b []byte) float64 {
	score := 0.0
	prevLower := false // the previous character was a lower-case letter
	letters, vowels, consonantRun := 0, 0, 0
	endWord := func() {
		if letters >= 2 && vowels == 0 {
			score -= 6
		}
		letters, vowels, consonantRun = 0, 0, 0
	}
	for _, c := range b {
		if c < 0x80 {
			endWord()
			prevLower = isASCIILetter(c) && c >= 'a'
			continue
		}
		r := cm.DecodeByte(c)
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			lower := unicode.ToLower(r)
			w, ok := letterWeight(lower)
			if !ok {
				w = -2 // Ukrainian, Serbian and other letters: possible, not likely
			}
			score += w
			if r != lower && prevLower { // a capital after a small letter: «пРИВЕТ»
				score -= 6
			}
			prevLower = r == lower
			if letters == 0 && (lower == 'ь' || lower == 'ъ' || lower == 'ы') {
				score -= 6
			}
			letters++
			if strings.ContainsRune("аеёиоуыэюя", lower) {
				vowels++
				consonantRun = 0
			} else if consonantRun++; consonantRun == 4 {
				score -= 4
			}
		case r >= 0x2500 && r <= 0x25FF: // box drawing and blocks (KOI8-R's 0x80–0xBF)
			endWord()
			score -= 6
			prevLower = false
		default:
			endWord()
			prevLower = false
		}
	}
	endWord()
	return score
}

// decodeCharset converts b in the charset label to UTF-8. An empty, ASCII or UTF-8 label on
// bytes that are not UTF-8, and a label nobody knows, are detected instead (DetectCharset).
// The result is valid UTF-8.
func decodeCharset(label string, b []byte) string {
	label = normalizeCharset(label)
	switch label {
	case "", CharsetUTF8, "utf8", CharsetASCII, "ascii", "unknown-8bit", "x-unknown", "8bit", "default":
		if utf8.Valid(b) {
			return string(b)
		}
		return decodeDetected(b)
	}
	if cm := knownCharmap(label); cm != nil {
		s, _ := cm.NewDecoder().Bytes(b)
		return strings.ToValidUTF8(string(s), "\uFFFD")
	}
	r, err := charset.Reader(label, bytes.NewReader(b))
	if err != nil {
		return decodeDetected(b)
	}
	s, err := io.ReadAll(r)
	if err != nil && len(s) == 0 {
		return decodeDetected(b)
	}
	return strings.ToValidUTF8(string(s), "\uFFFD")
}

// decodeDetected converts b from the charset DetectCharset finds.
func decodeDetected(b []byte) string {
	var cm *charmap.Charmap
	switch DetectCharset(b) {
	case CharsetASCII, CharsetUTF8:
		return string(b)
	case CharsetKOI8R:
		cm = charmap.KOI8R
	case CharsetCP1252:
		cm = charmap.Windows1252
	default:
		cm = charmap.Windows1251
	}
	s, _ := cm.NewDecoder().Bytes(b)
	return strings.ToValidUTF8(string(s), "\uFFFD")
}

// DecodeText makes UTF-8 text of 8-bit bytes in the charset label, detecting the charset
// when the label is missing, wrong for the bytes (UTF-8 or ASCII that is neither) or
// unknown. The result is always valid UTF-8.
func DecodeText(b []byte, label string) string { return decodeCharset(label, b) }

func normalizeCharset(label string) string {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	if i := strings.IndexByte(label, '*'); i >= 0 { // RFC 2231 language: utf-8*ru
		label = label[:i]
	}
	return label
}

// knownCharmap returns the charmaps of Russian mail without asking the registry of all.
func knownCharmap(label string) *charmap.Charmap {
	switch label {
	case "windows-1251", "cp1251", "win-1251", "x-cp1251", "cp-1251":
		return charmap.Windows1251
	case "koi8-r", "koi8r", "koi8", "cskoi8r":
		return charmap.KOI8R
	case "koi8-u":
		return charmap.KOI8U
	case "iso-8859-1", "latin1", "iso8859-1", "iso_8859-1":
		return charmap.ISO8859_1
	case "windows-1252", "cp1252":
		return charmap.Windows1252
	case "iso-8859-5":
		return charmap.ISO8859_5
	case "ibm866", "cp866":
		return charmap.CodePage866
	}
	return nil
}

// encodedWord is an RFC 2047 word, lenient: raw 8-bit bytes and spaces are allowed inside,
// as broken mailers send them.
var encodedWord = regexp.MustCompile(`=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=`)

// DecodeHeader decodes a header value to UTF-8 text: RFC 2047 encoded words (also ones that
// carry raw 8-bit bytes, are split inside a character or are not padded), and raw 8-bit
// text outside them (detected: UTF-8, windows-1251, KOI8-R). The result is valid UTF-8.
func DecodeHeader(v string) string {
	var out strings.Builder
	// pending holds the bytes of adjacent encoded words in one charset: a character may be
	// split between two words.
	var pending []byte
	pendingCharset := ""
	flush := func() {
		if pendingCharset != "" {
			out.WriteString(decodeCharset(pendingCharset, pending))
		}
		pending, pendingCharset = pending[:0], ""
	}
	rest := v
	lastWasWord := false
	for rest != "" {
		loc := encodedWord.FindStringSubmatchIndex(rest)
		if loc == nil {
			flush()
			out.WriteString(decodeCharset("", []byte(rest)))
			break
		}
		between := rest[:loc[0]]
		if !(lastWasWord && strings.TrimSpace(between) == "") {
			flush()
			out.WriteString(decodeCharset("", []byte(between)))
		}
		cs := normalizeCharset(rest[loc[2]:loc[3]])
		enc, text := rest[loc[4]:loc[5]], rest[loc[6]:loc[7]]
		var raw []byte
		if enc == "b" || enc == "B" {
			raw = decodeBase64Lenient(text)
		} else {
			raw = decodeQWord(text)
		}
		if cs != pendingCharset {
			flush()
		}
		pendingCharset = cs
		pending = append(pending, raw...)
		lastWasWord = true
		rest = rest[loc[1]:]
	}
	flush()
	return out.String()
}

// decodeBase64Lenient decodes base64 with or without padding, ignoring spaces; what cannot
// be decoded is kept as it stands.
func decodeBase64Lenient(s string) []byte {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b
	}
	if b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err == nil {
		return b
	}
	return []byte(s)
}

// decodeQWord decodes the Q encoding of RFC 2047: _ is a space, =XX a byte, anything else
// (raw 8-bit bytes included) stands for itself.
func decodeQWord(s string) []byte {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_':
			b = append(b, ' ')
		case c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return b
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// metaCharset finds the charset an HTML document declares for itself.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// htmlCharset returns the charset an HTML body declares in a <meta> tag ("" when none).
func htmlCharset(b []byte) string {
	head := b[:min(len(b), 4096)]
	if m := metaCharset.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}
