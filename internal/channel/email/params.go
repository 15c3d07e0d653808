package email

import (
	"sort"
	"strconv"
	"strings"
)

// ParseHeaderParams reads a Content-Type or Content-Disposition value into its lower-case
// value and parameters, never failing: parameter names are lower case; values are UTF-8,
// decoded from RFC 2231 (filename*=charset'lang'%XX, quoted too, and the continuations
// filename*0*=, filename*1=), from RFC 2047 encoded words (filename="=?utf-8?B?…?="), and
// from raw 8-bit bytes (detected like DetectCharset). Malformed parts are skipped, the rest
// is kept.
func ParseHeaderParams(v string) (value string, params map[string]string) {
	params = map[string]string{}
	fields := splitParams(v)
	if len(fields) == 0 {
		return "", params
	}
	value = strings.ToLower(strings.TrimSpace(fields[0]))
	type segment struct {
		n       int
		encoded bool
		val     string
	}
	plain := map[string]string{}
	ext := map[string]string{}
	conts := map[string][]segment{}
	for _, f := range fields[1:] {
		k, val, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		val = unquoteParam(strings.TrimSpace(val))
		if k == "" {
			continue
		}
		base, star, hasStar := strings.Cut(k, "*")
		switch {
		case !hasStar:
			if _, dup := plain[k]; !dup {
				plain[k] = val
			}
		case star == "":
			ext[base] = val
		default:
			num, enc := strings.CutSuffix(star, "*")
			n, err := strconv.Atoi(num)
			if err != nil || n < 0 || n > 999 {
				continue
			}
			conts[base] = append(conts[base], segment{n: n, encoded: enc, val: val})
		}
	}
	for k, val := range plain {
		if strings.Contains(val, "=?") {
			params[k] = DecodeHeader(val)
		} else {
			params[k] = decodeCharset("", []byte(val))
		}
	}
	for k, segs := range conts {
		sort.SliceStable(segs, func(i, j int) bool { return segs[i].n < segs[j].n })
		cs := ""
		var b []byte
		for i, s := range segs {
			val := s.val
			if s.encoded {
				if i == 0 {
					cs, val = splitExtValue(val)
				}
				b = append(b, percentDecode(val)...)
			} else {
				b = append(b, val...)
			}
		}
		params[k] = decodeCharset(cs, b)
	}
	for k, val := range ext {
		cs, rest := splitExtValue(val)
		params[k] = decodeCharset(cs, percentDecode(rest))
	}
	return value, params
}

// splitParams splits at semicolons outside quoted strings.
func splitParams(v string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			if quoted {
				i++
			}
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	out = append(out, v[start:])
	return out
}

// unquoteParam takes the quotes and backslash escapes off a quoted-string.
func unquoteParam(v string) string {
	if len(v) < 2 || v[0] != '"' {
		return v
	}
	v = strings.TrimSuffix(v[1:], `"`)
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// splitExtValue splits charset'language'value; a value without the two quotes is taken as
// having no charset (detected).
func splitExtValue(v string) (charset, rest string) {
	cs, after, ok := strings.Cut(v, "'")
	if !ok {
		return "", v
	}
	_, rest, ok = strings.Cut(after, "'")
	if !ok {
		return cs, after
	}
	return cs, rest
}

// percentDecode decodes %XX; anything else stands for itself.
func percentDecode(s string) []byte {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return b
}
