package email

import (
	"html"
	"strconv"
	"strings"
)

// htmlToText makes the text of an HTML-only mail readable the way a browser lays it out:
// whitespace of the source (its hard line breaks included) collapses to single spaces;
// block elements (p, div, li, tr, headings, …) start lines of their own, <br> breaks a line,
// an empty block (Outlook's <p>&nbsp;</p>, Gmail's <div><br></div>) gives the blank line it
// shows; <pre> keeps its lines; list items get «• » or their number; blockquotes are quoted
// with «> »; a link keeps its address after its words when they differ; scripts, styles,
// the head and comments are dropped, entities decoded.
func htmlToText(s string) string {
	w := &textWriter{}
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			w.text(s[i:])
			break
		}
		w.text(s[i : i+lt])
		i += lt
		next := i + 1
		if next >= len(s) {
			w.text(s[i:])
			break
		}
		c := s[next]
		switch {
		case strings.HasPrefix(s[i:], "<!--"):
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				return w.done()
			}
			i += 4 + end + 3
			continue
		case c == '!' || c == '?':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return w.done()
			}
			i += end + 1
			continue
		case c != '/' && !isASCIILetter(c):
			w.text("<")
			i++
			continue
		}
		t, end := readTag(s, i)
		i = end
		if t.name == "" {
			continue
		}
		switch t.name {
		case "script", "style", "head", "title", "template", "xml":
			if t.closing || t.selfClosing {
				continue
			}
			close := indexFold(s[i:], "</"+t.name)
			switch {
			case close >= 0:
				i += close
				if gt := strings.IndexByte(s[i:], '>'); gt >= 0 {
					i += gt + 1
				} else {
					i = len(s)
				}
			case t.name != "head": // a script or style never closed runs to the end
				return w.done()
			}
			continue
		}
		w.tag(t)
	}
	return w.done()
}

// tag is one HTML tag as htmlToText needs it.
type tag struct {
	name                 string
	closing, selfClosing bool
	href                 string
}

// readTag reads the tag starting at s[i] == '<' and returns it with the index after it.
// Attribute values in quotes may hold '>'.
func readTag(s string, i int) (tag, int) {
	var t tag
	j := i + 1
	if j < len(s) && s[j] == '/' {
		t.closing = true
		j++
	}
	start := j
	for j < len(s) && (isASCIILetter(s[j]) || (s[j] >= '0' && s[j] <= '9') || s[j] == ':' || s[j] == '-') {
		j++
	}
	t.name = strings.ToLower(s[start:j])
	// attributes up to the closing '>'
	for j < len(s) && s[j] != '>' {
		switch s[j] {
		case '"', '\'':
			q := s[j]
			end := strings.IndexByte(s[j+1:], q)
			if end < 0 {
				return tag{}, len(s)
			}
			j += end + 2
			continue
		case '/':
			if j+1 < len(s) && s[j+1] == '>' {
				t.selfClosing = true
			}
		}
		if t.name == "a" && !t.closing && t.href == "" && hasPrefixFold(s[j:], "href") {
			t.href = attrValue(s[j+4:])
		}
		j++
	}
	if j >= len(s) {
		return tag{}, len(s)
	}
	return t, j + 1
}

// attrValue reads ="value" (or an unquoted value) after an attribute's name.
func attrValue(s string) string {
	s = strings.TrimLeft(s, " \t\r\n")
	if !strings.HasPrefix(s, "=") {
		return ""
	}
	s = strings.TrimLeft(s[1:], " \t\r\n")
	if s == "" {
		return ""
	}
	if q := s[0]; q == '"' || q == '\'' {
		if end := strings.IndexByte(s[1:], q); end >= 0 {
			return html.UnescapeString(s[1 : end+1])
		}
		return ""
	}
	end := strings.IndexAny(s, " \t\r\n>")
	if end < 0 {
		end = len(s)
	}
	return html.UnescapeString(s[:end])
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// indexFold is strings.Index ignoring ASCII case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// blockTags start and end lines of their own.
func blockTag(name string) bool {
	switch name {
	case "p", "div", "ul", "ol", "li", "tr", "table", "thead", "tbody", "tfoot", "blockquote",
		"pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
		"footer", "address", "dl", "dt", "dd", "form", "fieldset", "center", "figure", "nav",
		"main", "aside", "body", "html", "caption", "legend", "details", "summary":
		return true
	}
	return false
}

// maxQuoteMarks bounds the «> » marks of nested blockquotes.
const maxQuoteMarks = 3

// textWriter lays text out in lines.
type textWriter struct {
	out      strings.Builder
	line     strings.Builder
	content  bool // the line has something, a no-break space included
	space    bool // a collapsed space is due before the next word
	pre      int
	quote    int
	lists    []int // per open list: -1 unordered, else the last number
	blockHad bool  // the innermost block so far had no content: closing it gives a blank line
	link     string
	linkText strings.Builder
}

// text writes character data, entities decoded and whitespace collapsed (kept inside pre).
func (w *textWriter) text(raw string) {
	if raw == "" {
		return
	}
	s := html.UnescapeString(raw)
	if w.link != "" {
		w.linkText.WriteString(s)
	}
	if w.pre > 0 {
		for i, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
			if i > 0 {
				w.endLine(true)
			}
			if l != "" {
				w.word(l)
			}
		}
		return
	}
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			if w.content {
				w.space = true
			}
		case '\u00a0':
			w.content = true
			w.space = true
		default:
			if w.space && w.line.Len() > 0 {
				w.line.WriteByte(' ')
			}
			w.space = false
			w.content = true
			w.line.WriteRune(r)
		}
	}
}

func (w *textWriter) word(s string) {
	w.content = true
	w.line.WriteString(s)
}

// endLine ends the current line; an empty one only when force (a <br>, a line of pre).
func (w *textWriter) endLine(force bool) {
	if !w.content && !force {
		return
	}
	l := strings.TrimRight(w.line.String(), " ")
	if w.quote > 0 {
		marks := strings.Repeat("> ", min(w.quote, maxQuoteMarks))
		if l == "" {
			l = strings.TrimRight(marks, " ")
		} else {
			l = marks + l
		}
	}
	w.out.WriteString(l)
	w.out.WriteByte('\n')
	w.line.Reset()
	w.content, w.space = false, false
}

// tag applies an element's effect on the layout.
func (w *textWriter) tag(t tag) {
	switch t.name {
	case "br":
		if !t.closing {
			w.endLine(true)
		}
		return
	case "td", "th":
		if w.content {
			w.space = true
		}
		return
	case "a":
		if !t.closing {
			w.link = ""
			if strings.HasPrefix(t.href, "http://") || strings.HasPrefix(t.href, "https://") {
				w.link = t.href
				w.linkText.Reset()
			}
			return
		}
		if w.link != "" && !strings.Contains(w.linkText.String(), w.link) && strings.TrimSpace(w.linkText.String()) != "" {
			w.text(" (" + html.EscapeString(w.link) + ")")
		}
		w.link = ""
		return
	}
	if !blockTag(t.name) {
		return
	}
	hadContent := w.content
	w.endLine(false)
	if t.closing {
		// An empty paragraph shows as a blank line (Outlook's <p>&nbsp;</p>).
		if (t.name == "p" || t.name == "div") && w.blockHad && !hadContent {
			w.blank()
		}
		w.blockHad = false
	} else {
		w.blockHad = true
	}
	switch t.name {
	case "pre":
		w.pre = max(0, w.pre+b2i(!t.closing)-b2i(t.closing))
	case "blockquote":
		w.quote = max(0, w.quote+b2i(!t.closing)-b2i(t.closing))
	case "ul", "ol":
		if t.closing {
			if len(w.lists) > 0 {
				w.lists = w.lists[:len(w.lists)-1]
			}
		} else if len(w.lists) < 100 {
			first := -1 // unordered
			if t.name == "ol" {
				first = 0
			}
			w.lists = append(w.lists, first)
		}
	case "li":
		if t.closing {
			return
		}
		if n := len(w.lists); n > 0 && w.lists[n-1] >= 0 {
			w.lists[n-1]++
			w.word(strconv.Itoa(w.lists[n-1]) + ". ")
		} else {
			w.word("• ")
		}
	case "hr":
		w.blank()
	}
}

// blank writes a blank line unless the text just had one (or has nothing yet).
func (w *textWriter) blank() {
	s := w.out.String()
	if s == "" || strings.HasSuffix(s, "\n\n") {
		return
	}
	w.endLine(true)
}

// done returns the text: lines right-trimmed, at most one blank line in a row.
func (w *textWriter) done() string {
	w.endLine(false)
	lines := strings.Split(w.out.String(), "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \u00a0")
		if l == "" {
			if blank++; blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
