package quick

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MinQueryRunes is the shortest query that searches (DESIGN §2.8).
const MinQueryRunes = 2

// Fold returns s in the form search compares: lower case, ё → е, and every run of
// characters other than letters and digits as one space, trimmed.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading separators
	for _, r := range s {
		switch {
		case r == 'ё' || r == 'Ё':
			r = 'е'
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(r)
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// Query is a folded search query split into words.
type Query struct {
	Words []string
}

// ParseQuery folds q; ok is false when q is too short to search.
func ParseQuery(q string) (Query, bool) {
	f := Fold(q)
	if utf8.RuneCountInString(strings.ReplaceAll(f, " ", "")) < MinQueryRunes {
		return Query{}, false
	}
	return Query{Words: strings.Fields(f)}, true
}

// Matches reports whether every word of the query occurs in folded.
func (q Query) Matches(folded string) bool {
	for _, w := range q.Words {
		if !strings.Contains(folded, w) {
			return false
		}
	}
	return true
}

// entry is one quick message in an Index.
type entry struct {
	id         int64
	categoryID int64 // 0: personal
	operatorID int64 // the owner of a personal message
	folded     string
}

// Index is an immutable, ordered list of quick messages prepared for search.
type Index struct {
	entries []entry
}

// Item is what NewIndex needs of a quick message.
type Item struct {
	ID         int64
	CategoryID int64 // 0 for a personal message
	OperatorID int64 // owner of a personal message, 0 for an account-wide one
	Title      string
	Text       string
}

// NewIndex folds the items once; their order is the order of results.
func NewIndex(items []Item) *Index {
	ix := &Index{entries: make([]entry, len(items))}
	for i, it := range items {
		ix.entries[i] = entry{id: it.ID, categoryID: it.CategoryID, operatorID: it.OperatorID, folded: Fold(it.Title + " " + it.Text)}
	}
	return ix
}

// Len is the number of messages in the index.
func (ix *Index) Len() int { return len(ix.entries) }

// Search returns the ids of the messages operator op sees (account-wide ones and their own)
// that match q, in index order, at most limit (0: all). category, when not -1, keeps only
// that category (0 is the personal one). A query without words matches everything.
func (ix *Index) Search(q Query, category, op int64, limit int) []int64 {
	var out []int64
	for i := range ix.entries {
		e := &ix.entries[i]
		if (e.operatorID != 0 && e.operatorID != op) || (category != -1 && e.categoryID != category) {
			continue
		}
		if q.Matches(e.folded) {
			out = append(out, e.id)
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out
}
