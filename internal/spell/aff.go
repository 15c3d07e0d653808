package spell

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// flag is one Hunspell flag, whatever its textual format (FLAG char, long, num or UTF-8).
type flag uint32

// flagFormat says how the flags of a dictionary are written.
type flagFormat int

const (
	flagChar flagFormat = iota // default: one character (byte or rune) per flag
	flagLong                   // FLAG long: two characters per flag
	flagNum                    // FLAG num: decimal numbers separated by commas
	flagUTF8                   // FLAG UTF-8: one rune per flag
)

// parseFlags splits a flag string in the dictionary's format.
func (f flagFormat) parseFlags(s string) ([]flag, error) {
	var out []flag
	switch f {
	case flagLong:
		r := []rune(s)
		if len(r)%2 != 0 {
			return nil, fmt.Errorf("odd number of characters in long flags %q", s)
		}
		for i := 0; i < len(r); i += 2 {
			out = append(out, flag(r[i])<<16|flag(r[i+1]))
		}
	case flagNum:
		for _, part := range strings.Split(s, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(part), 10, 32)
			if err != nil {
				return nil, fmt.Errorf("numeric flag %q: %w", part, err)
			}
			out = append(out, flag(n))
		}
	default:
		for _, r := range s {
			out = append(out, flag(r))
		}
	}
	return out, nil
}

// condition is an affix condition such as "[^aeiou]y": one character class per position.
type condition []charClass

type charClass struct {
	any    bool
	negate bool
	runes  []rune
}

func (c charClass) match(r rune) bool {
	if c.any {
		return true
	}
	for _, x := range c.runes {
		if x == r {
			return !c.negate
		}
	}
	return c.negate
}

func parseCondition(s string) (condition, error) {
	if s == "." || s == "" {
		return nil, nil
	}
	var cond condition
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		switch r[i] {
		case '.':
			cond = append(cond, charClass{any: true})
		case '[':
			j := i + 1
			cc := charClass{}
			if j < len(r) && r[j] == '^' {
				cc.negate = true
				j++
			}
			for ; j < len(r) && r[j] != ']'; j++ {
				cc.runes = append(cc.runes, r[j])
			}
			if j >= len(r) {
				return nil, fmt.Errorf("unclosed [ in condition %q", s)
			}
			cond = append(cond, cc)
			i = j
		default:
			cond = append(cond, charClass{runes: []rune{r[i]}})
		}
	}
	return cond, nil
}

// matchEnd says whether the condition matches the end of word (a suffix condition).
func (c condition) matchEnd(word []rune) bool {
	if len(c) > len(word) {
		return false
	}
	off := len(word) - len(c)
	for i, cc := range c {
		if !cc.match(word[off+i]) {
			return false
		}
	}
	return true
}

// matchStart says whether the condition matches the start of word (a prefix condition).
func (c condition) matchStart(word []rune) bool {
	if len(c) > len(word) {
		return false
	}
	for i, cc := range c {
		if !cc.match(word[i]) {
			return false
		}
	}
	return true
}

// affixRule is one PFX or SFX line: strip these characters, add those, when the condition holds.
type affixRule struct {
	strip []rune
	add   []rune
	cond  condition
	cont  []flag // continuation flags (twofold affixes): parsed; neither ru_RU nor en_US uses them
}

// affixGroup is all rules of one flag.
type affixGroup struct {
	prefix bool
	cross  bool
	rules  []affixRule
	// byEdge memoises, per last (suffix) or first (prefix) letter of a stem, the rules whose
	// condition and strip can match it: most groups have dozens of rules, each for a few
	// endings. Filled at load, by one goroutine.
	byEdge map[rune][]int32
}

// candidates returns the indexes of the rules that may apply to a stem with this edge letter.
func (g *affixGroup) candidates(edge rune) []int32 {
	if ix, ok := g.byEdge[edge]; ok {
		return ix
	}
	if g.byEdge == nil {
		g.byEdge = map[rune][]int32{}
	}
	var ix []int32
	for i, r := range g.rules {
		var c *charClass
		var s rune = -1
		if g.prefix {
			if len(r.cond) > 0 {
				c = &r.cond[0]
			}
			if len(r.strip) > 0 {
				s = r.strip[0]
			}
		} else {
			if len(r.cond) > 0 {
				c = &r.cond[len(r.cond)-1]
			}
			if len(r.strip) > 0 {
				s = r.strip[len(r.strip)-1]
			}
		}
		if (c == nil || c.match(edge)) && (s < 0 || s == edge) {
			ix = append(ix, int32(i))
		}
	}
	g.byEdge[edge] = ix
	return ix
}

// compoundRule is one COMPOUNDRULE pattern: flags with optional * or ? after each.
type compoundRule []compoundAtom

type compoundAtom struct {
	f   flag
	rep byte // 0, '*' or '?'
}

// replacement is one REP or ICONV/OCONV entry.
type replacement struct {
	from, to string
}

// affixFile is the parsed .aff file: the parts of Hunspell's format that the Russian and
// English dictionaries use, plus a few common neighbours.
type affixFile struct {
	flags          flagFormat
	try            string
	key            []string
	rep            []replacement
	iconv          []replacement
	oconv          []replacement
	groups         map[flag]*affixGroup
	compoundRules  []compoundRule
	compoundFlags  map[flag]bool
	compoundMin    int
	noSuggest      flag
	forbidden      flag
	needAffix      flag
	onlyInCompound flag
	keepCase       flag
	wordChars      string
}

func parseAff(r io.Reader) (*affixFile, error) {
	a := &affixFile{groups: map[flag]*affixGroup{}, compoundFlags: map[flag]bool{}, compoundMin: 3}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	line := 0
	single := func(fields []string) (flag, error) {
		if len(fields) < 2 {
			return 0, fmt.Errorf("%s needs a flag", fields[0])
		}
		fl, err := a.flags.parseFlags(fields[1])
		if err != nil || len(fl) != 1 {
			return 0, fmt.Errorf("%s: bad flag %q", fields[0], fields[1])
		}
		return fl[0], nil
	}
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if !utf8.ValidString(text) {
			return nil, fmt.Errorf("line %d: not UTF-8 (only SET UTF-8 dictionaries are supported)", line)
		}
		fields := strings.Fields(text)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		var err error
		switch fields[0] {
		case "SET":
			if len(fields) > 1 && !strings.EqualFold(fields[1], "UTF-8") {
				err = fmt.Errorf("SET %s: only UTF-8 dictionaries are supported", fields[1])
			}
		case "FLAG":
			if len(fields) > 1 {
				switch fields[1] {
				case "long":
					a.flags = flagLong
				case "num":
					a.flags = flagNum
				case "UTF-8":
					a.flags = flagUTF8
				}
			}
		case "TRY":
			if len(fields) > 1 {
				a.try = fields[1]
			}
		case "KEY":
			if len(fields) > 1 {
				a.key = strings.Split(fields[1], "|")
			}
		case "WORDCHARS":
			if len(fields) > 1 {
				a.wordChars = fields[1]
			}
		case "REP", "ICONV", "OCONV":
			if len(fields) == 3 {
				rp := replacement{strings.ReplaceAll(fields[1], "_", " "), strings.ReplaceAll(fields[2], "_", " ")}
				switch fields[0] {
				case "REP":
					a.rep = append(a.rep, rp)
				case "ICONV":
					a.iconv = append(a.iconv, replacement{fields[1], fields[2]})
				default:
					a.oconv = append(a.oconv, replacement{fields[1], fields[2]})
				}
			}
		case "NOSUGGEST":
			a.noSuggest, err = single(fields)
		case "FORBIDDENWORD":
			a.forbidden, err = single(fields)
		case "NEEDAFFIX":
			a.needAffix, err = single(fields)
		case "ONLYINCOMPOUND":
			a.onlyInCompound, err = single(fields)
		case "KEEPCASE":
			a.keepCase, err = single(fields)
		case "COMPOUNDMIN":
			if len(fields) > 1 {
				a.compoundMin, err = strconv.Atoi(fields[1])
			}
		case "COMPOUNDRULE":
			if len(fields) == 2 {
				if _, numErr := strconv.Atoi(fields[1]); numErr == nil {
					continue // the count line
				}
				var rule compoundRule
				rule, err = a.parseCompoundRule(fields[1])
				a.compoundRules = append(a.compoundRules, rule)
			}
		case "PFX", "SFX":
			err = a.parseAffixLine(fields)
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *affixFile) parseCompoundRule(s string) (compoundRule, error) {
	var rule compoundRule
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		var fs string
		switch {
		case r[i] == '(':
			j := i + 1
			for j < len(r) && r[j] != ')' {
				j++
			}
			if j >= len(r) {
				return nil, fmt.Errorf("unclosed ( in COMPOUNDRULE %q", s)
			}
			fs, i = string(r[i+1:j]), j
		case r[i] == '*' || r[i] == '?':
			if len(rule) == 0 {
				return nil, fmt.Errorf("COMPOUNDRULE %q starts with %c", s, r[i])
			}
			rule[len(rule)-1].rep = byte(r[i])
			continue
		default:
			fs = string(r[i])
		}
		fl, err := a.flags.parseFlags(fs)
		if err != nil || len(fl) != 1 {
			return nil, fmt.Errorf("COMPOUNDRULE %q: bad flag %q", s, fs)
		}
		rule = append(rule, compoundAtom{f: fl[0]})
		a.compoundFlags[fl[0]] = true
	}
	return rule, nil
}

func (a *affixFile) parseAffixLine(fields []string) error {
	if len(fields) < 4 {
		return fmt.Errorf("short %s line", fields[0])
	}
	fl, err := a.flags.parseFlags(fields[1])
	if err != nil || len(fl) != 1 {
		return fmt.Errorf("%s: bad flag %q", fields[0], fields[1])
	}
	g := a.groups[fl[0]]
	if g == nil {
		// The header: PFX flag cross_product count.
		a.groups[fl[0]] = &affixGroup{prefix: fields[0] == "PFX", cross: fields[2] == "Y"}
		return nil
	}
	if len(fields) < 5 {
		fields = append(fields, ".")
	}
	rule := affixRule{}
	if fields[2] != "0" {
		rule.strip = []rune(fields[2])
	}
	add := fields[3]
	if i := strings.IndexByte(add, '/'); i >= 0 {
		rule.cont, err = a.flags.parseFlags(add[i+1:])
		if err != nil {
			return err
		}
		add = add[:i]
	}
	if add != "0" {
		rule.add = []rune(add)
	}
	rule.cond, err = parseCondition(fields[4])
	if err != nil {
		return err
	}
	g.rules = append(g.rules, rule)
	return nil
}
