package httpapi

// The shapes of the answers the handlers write that are not a domain object themselves.

// list is the answer of a list endpoint: {"items": [...]}, never null.
type list[T any] struct {
	Items []T `json:"items"`
}

// itemsOf wraps a list answer (a nil slice is written as []).
func itemsOf[T any](v []T) list[T] {
	if v == nil {
		v = []T{}
	}
	return list[T]{Items: v}
}

// page is one page of a longer list with the cursor of the next (null on the last page).
type page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pageOf wraps a page of at most limit items: a full page has a next one, whose cursor is
// cursor(last item).
func pageOf[T any](v []T, limit int, cursor func(T) string) page[T] {
	p := page[T]{Items: v}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(v) == limit && limit > 0 {
		next := cursor(v[len(v)-1])
		p.NextCursor = &next
	}
	return p
}
