package spell

// Keyboard rows of the two layouts a Russian support operator switches between. The rows
// are aligned key for key, which gives both the wrong-layout mapping (ghbdtn → привет) and
// the neighbours a fast finger hits instead of the right key.
var (
	qwertyRows = []string{"`1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./"}
	jcukenRows = []string{"ё1234567890-=", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю."}
)

// keyboard knows which keys neighbour each other and how the layouts map onto each other.
type keyboard struct {
	adjacent map[rune][]rune
	latToCyr map[rune]rune
	cyrToLat map[rune]rune
}

func newKeyboard() *keyboard {
	k := &keyboard{adjacent: map[rune][]rune{}, latToCyr: map[rune]rune{}, cyrToLat: map[rune]rune{}}
	for _, rows := range [][]string{qwertyRows, jcukenRows} {
		grid := make([][]rune, len(rows))
		for i, r := range rows {
			grid[i] = []rune(r)
		}
		at := func(r, c int) (rune, bool) {
			if r < 0 || r >= len(grid) || c < 0 || c >= len(grid[r]) {
				return 0, false
			}
			return grid[r][c], true
		}
		for r := range grid {
			for c, key := range grid[r] {
				// Rows are staggered: the key above-left of (r, c) is (r-1, c), above-right
				// (r-1, c+1); below-left (r+1, c-1), below-right (r+1, c).
				for _, d := range [][2]int{{0, -1}, {0, 1}, {-1, 0}, {-1, 1}, {1, -1}, {1, 0}} {
					if n, ok := at(r+d[0], c+d[1]); ok && isLetterKey(n) {
						k.adjacent[key] = append(k.adjacent[key], n)
					}
				}
			}
		}
	}
	for i := range qwertyRows {
		lat, cyr := []rune(qwertyRows[i]), []rune(jcukenRows[i])
		for j := range lat {
			if j < len(cyr) && lat[j] != cyr[j] {
				k.latToCyr[lat[j]] = cyr[j]
				k.cyrToLat[cyr[j]] = lat[j]
			}
		}
	}
	// Shifted punctuation on the Latin layout lands on Cyrillic letters too.
	for lat, cyr := range map[rune]rune{'{': 'х', '}': 'ъ', ':': 'ж', '"': 'э', '<': 'б', '>': 'ю', '~': 'ё'} {
		k.latToCyr[lat] = cyr
	}
	return k
}

func isLetterKey(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'а' && r <= 'я' || r == 'ё'
}

// near says whether b is a neighbour of a on either layout.
func (k *keyboard) near(a, b rune) bool {
	for _, n := range k.adjacent[a] {
		if n == b {
			return true
		}
	}
	return false
}

// convert retypes word in the other layout: ok is false when some character has no
// counterpart.
func (k *keyboard) convert(word []rune, toCyrillic bool) ([]rune, bool) {
	m := k.cyrToLat
	if toCyrillic {
		m = k.latToCyr
	}
	out := make([]rune, len(word))
	for i, r := range word {
		c, ok := m[r]
		if !ok {
			return nil, false
		}
		out[i] = c
	}
	return out, true
}
