package email

import (
	"regexp"
	"strings"
)

// Quoted history of replies, in the forms mail clients write it.
var (
	// attribution ends a line that introduces the quoted mail: "On … wrote:", «… пишет:»,
	// «… писал(а):», «… написал:».
	attributionVerb = regexp.MustCompile(`(?i)(\bwrote|\bwrites|пишет|писала?|писал\(а\)|написала?|написал\(а\)|schrieb|a écrit)\s*:\s*$`)
	// addressColon ends the attribution of Gmail (ru), Yandex and Mail.ru, which have no
	// verb: «пн, 3 июн. 2024 г. в 10:15, Иван <ivan@example.org>:», «03.06.2024, 10:15,
	// "Иван" <ivan@yandex.ru>:», «Понедельник, 3 июня 2024, 10:15 +03:00 от Иван <ivan@mail.ru>:».
	addressColon = regexp.MustCompile(`[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>?\s*:\s*$`)
	// dateLike is a time, a date or a year: attributions carry the date of the quoted mail.
	dateLike = regexp.MustCompile(`\d{1,2}:\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\b(19|20)\d{2}\b`)
	// originalMessage is Outlook's separator and its translations.
	originalMessage = regexp.MustCompile(`(?i)^[-_ ]*(original message|исходное сообщение|оригинальное сообщение|ursprüngliche nachricht|message d'origine)[-_ ]*$`)
	// underline is the rule Outlook on the web draws above the header block.
	underline = regexp.MustCompile(`^_{20,}$`)
	// headerFrom and the other header lines of a quoted header block, bold in some clients.
	headerFrom  = regexp.MustCompile(`(?i)^\*?(from|от|de|von)\s*:\*?\s+\S`)
	headerOther = regexp.MustCompile(`(?i)^\*?(sent|date|to|cc|subject|отправлено|дата|кому|копия|тема|envoyé|gesendet|an|betreff)\s*:\*?(\s|$)`)
	// forwardLine introduces a forwarded message: what follows is content, not history.
	forwardLine = regexp.MustCompile(`(?i)^[-\s>]*(forwarded message|begin forwarded message|пересылаемое сообщение|пересланное сообщение|перенаправленное сообщение|начало переадресованного сообщения|пересланное письмо)[-\s:]*$`)
	// forwardSubject is the subject of a forwarded mail.
	forwardSubject = regexp.MustCompile(`(?i)^\s*(fwd?|пересл|пер)\s*(\[\d+\])?\s*:`)
)

// SplitQuoted splits the text of a reply into the new text and the quoted history below it,
// in the usual forms: an attribution line («… пишет:», «… писал(а):», "On … wrote:", Gmail
// (ru), Yandex and Mail.ru's «дата, Имя <адрес>:»), Outlook's «-----Original Message-----» /
// «-----Исходное сообщение-----» and its «От:/Отправлено:/Кому:/Тема:» or
// From:/Sent:/To:/Subject: header block, «>» quoted lines at the end, and a signature after
// «-- ». newText is the text before the first of them, trimmed; quoted is false (and newText
// the whole text) when nothing was found, when only history would be left, and for answers
// written between the quoted lines (the «>» quote then stays). A forwarded message's own
// header block is content: nothing at or after «Forwarded message» / «Пересылаемое
// сообщение» is taken for history.
func SplitQuoted(text string) (newText string, quoted bool) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	cut := -1
scan:
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		switch {
		case l == "":
			continue
		case forwardLine.MatchString(l):
			break scan
		case lines[i] == "-- " || (l == "--" && len(lines)-i <= 8):
			cut = i
			break scan
		case originalMessage.MatchString(l):
			cut = i
			break scan
		case (underline.MatchString(l) && headerBlockAt(lines, nextNonBlank(lines, i+1))) || headerBlockAt(lines, i):
			cut = i
			break scan
		}
		if n, ok := attributionAt(lines, i); ok {
			if interleaved(lines, i+n) {
				break scan
			}
			cut = i
			break
		}
		if strings.HasPrefix(l, ">") && trailingQuote(lines, i) {
			cut = i
			break
		}
	}
	if cut < 0 {
		return strings.TrimSpace(text), false
	}
	newText = strings.TrimSpace(strings.Join(lines[:cut], "\n"))
	if newText == "" {
		return strings.TrimSpace(text), false
	}
	return newText, true
}

// IsForwardSubject says whether a subject is a forward's (Fwd:, FW:, Пересл:): its text
// is the forwarded message itself, and nothing of it is history.
func IsForwardSubject(subject string) bool { return forwardSubject.MatchString(subject) }

func nextNonBlank(lines []string, i int) int {
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	return i
}

// headerBlockAt says whether lines[i] starts a quoted header block: a From/От line and at
// least two more header lines (Sent, Date, To, Subject, …) among the next six.
func headerBlockAt(lines []string, i int) bool {
	if i >= len(lines) || !headerFrom.MatchString(strings.TrimSpace(lines[i])) {
		return false
	}
	n := 0
	for j := i + 1; j < len(lines) && j <= i+6; j++ {
		if headerOther.MatchString(strings.TrimSpace(lines[j])) {
			n++
		}
	}
	return n >= 2
}

// attributionAt says whether lines[i] (or it joined with the next line, as clients wrap
// long attributions) introduces a quote, and how many lines it takes.
func attributionAt(lines []string, i int) (int, bool) {
	l := strings.TrimSpace(lines[i])
	if strings.HasPrefix(l, ">") {
		return 0, false
	}
	if isAttribution(l, lines, i+1) {
		return 1, true
	}
	if i+1 < len(lines) {
		if next := strings.TrimSpace(lines[i+1]); next != "" && !strings.HasPrefix(next, ">") {
			if isAttribution(l+" "+next, lines, i+2) {
				return 2, true
			}
		}
	}
	return 0, false
}

// isAttribution tells an attribution from a sentence that happens to end with "wrote:": it
// is short and has a date or time, or quoted lines follow it.
func isAttribution(l string, lines []string, after int) bool {
	if len([]rune(l)) > 250 {
		return false
	}
	followedByQuote := false
	if j := nextNonBlank(lines, after); j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), ">") {
		followedByQuote = true
	}
	if !attributionVerb.MatchString(l) && !addressColon.MatchString(l) {
		return false
	}
	return dateLike.MatchString(l) || followedByQuote
}

// interleaved says whether an answer is written between the quoted lines after from: a
// line of text after a «>» line (a signature aside).
func interleaved(lines []string, from int) bool {
	seenQuote := false
	for _, l := range lines[from:] {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
		case l == "-- " || t == "--":
			return false
		case strings.HasPrefix(t, ">"):
			seenQuote = true
		default:
			// After a quote: an answer between quotes. Before any: unquoted history (Outlook
			// quotes without marks), not an answer.
			return seenQuote
		}
	}
	return false
}

// trailingQuote says whether lines from i on are only «>» lines, blank lines and a
// signature: a quote at the end of the mail.
func trailingQuote(lines []string, i int) bool {
	for _, l := range lines[i:] {
		t := strings.TrimSpace(l)
		if l == "-- " || t == "--" {
			return true
		}
		if t != "" && !strings.HasPrefix(t, ">") {
			return false
		}
	}
	return true
}
