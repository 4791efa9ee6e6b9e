package normalizer

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AmountMatch is an amount found in free text.
type AmountMatch struct {
	Kronor     int64
	Start, End int // byte offsets of the match in the text
	Text       string
}

// MaxAmount is the largest amount (in kronor, either sign) ParseAmount and
// FindAmounts accept; anything larger is a glued or garbled cell, and the
// limit keeps all arithmetic far from int64 overflow.
const MaxAmount = 1_000_000_000_000_000

// numGluedLimit: an amount grouped with spaces that reaches 100 billion
// kronor is taken to be two cells a text dump glued together ("672 000 672
// 000"); no Finsam budget comes near it.
const numGluedLimit = 100_000_000_000

// ParseAmount parses a whole string as a Swedish money amount, as written
// in applications and budgets, and returns whole kronor.
//
// Accepted: digits grouped by thousands with a space (also U+00A0, U+202F,
// U+2009, U+2007), with "." ("1.540.400") or with en-US commas as
// LibreOffice renders #,##0 ("1,362,000"); ungrouped digits; a decimal
// part after "," (or "." after space or comma groups); a leading "-" or
// U+2212 minus; a currency before ("SEK 12 000") or after ("kr", "kr.",
// "kronor", "SEK", ":-", ",-"); and the multiplying units tkr, kkr, tsek,
// "tusen kronor", mkr, mnkr, msek, "milj kr", "miljoner kronor", mdkr. Öre
// are rounded half away from zero: "12 500,50" is 12 501. "00" (two empty
// cells glued by a text dump) is 0; other leading zeros are rejected.
//
// Rejected: dates, percentages, text, bad grouping ("1 54 400"), two
// amounts glued together ("672 000 672 000": space-grouped values of 100
// billion or more) and anything above MaxAmount.
func ParseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	i := 0
	neg := false
	if n, ok := numSign(s, i); ok {
		neg, i = true, n
		i = numSkipSpaces(s, i)
	}
	if end, ok := numCurrencyPrefix(s, i); ok {
		i = numSkipSpaces(s, end)
		if !neg {
			if n, ok := numSign(s, i); ok {
				neg, i = true, n
			}
		}
	}
	if i >= len(s) || !numIsDigit(s[i]) {
		return 0, false
	}
	var tok numTok
	numLex(s, i, &tok)
	j := numSkipSpaces(s, tok.end)
	mult := int64(1)
	if j < len(s) {
		u, end, ok := numUnitAt(s, j)
		if !ok || (j == tok.end && !u.glued) {
			return 0, false
		}
		mult = u.mult
		j = end
		if j < len(s) && s[j] == '.' && u.word {
			j++ // "kr." at the end of a sentence
		}
		if j != len(s) {
			return 0, false
		}
	}
	v, ok := numValue(tok.runs[:tok.n], tok.seps[:tok.n-1], mult)
	if !ok {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// ParsePercent parses "100%", "50 %", "0%", "1,5 %", "350%" and "20
// procent" (and a bare number when allowBare) into percent units (100,
// 50, 0, 1.5, 350).
func ParsePercent(s string, allowBare bool) (float64, bool) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasSuffix(s, "%"):
		s = strings.TrimSpace(s[:len(s)-1])
	case len(s) > len("procent") && strings.EqualFold(s[len(s)-len("procent"):], "procent"):
		s = strings.TrimSpace(s[:len(s)-len("procent")])
		if s == "" || !numIsDigit(s[len(s)-1]) {
			return 0, false
		}
	case !allowBare:
		return 0, false
	}
	neg := false
	if n, ok := numSign(s, 0); ok {
		neg, s = true, s[n:]
	}
	if s == "" || len(s) > 24 {
		return 0, false
	}
	var b strings.Builder
	seenDec := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case numIsDigit(c):
			b.WriteByte(c)
		case (c == ',' || c == '.') && !seenDec && i > 0 && i+1 < len(s) && numIsDigit(s[i+1]):
			seenDec = true
			b.WriteByte('.')
		default:
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(b.String(), 64)
	if err != nil {
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
}

// FindAmounts finds money amounts in free text: numbers with a currency
// word after them (kr, kronor, SEK, tkr, kkr, mkr, mnkr, milj kr, MSEK,
// :-) or "SEK" before them. Text includes the currency (but not a
// sentence's final "."), so ParseAmount(m.Text) == m.Kronor. A number
// glued to what comes before it (a year, "31/12-2023 672 000 kr") gives
// the longest run of groups before the currency that is a valid amount.
func FindAmounts(s string) []AmountMatch {
	var out []AmountMatch
	var tok numTok
	lastEnd := 0
	for i := 0; i < len(s); i++ {
		if !numIsDigit(s[i]) || (i > 0 && !numStartOK(s, i)) {
			continue
		}
		numLex(s, i, &tok)
		m, ok := numMatchAt(s, &tok, lastEnd)
		if !ok {
			// Skip the rest of this run of digits.
			for i+1 < len(s) && numIsDigit(s[i+1]) {
				i++
			}
			continue
		}
		out = append(out, m)
		lastEnd = m.End
		i = m.End - 1
	}
	return out
}

// FormatKronor formats whole kronor the Swedish way: "1 540 400 kr",
// "-5 000 kr". Groups are separated by plain spaces (U+0020), not
// U+00A0, because the text ends up in e-mail and JSON.
func FormatKronor(n int64) string {
	var u uint64
	neg := n < 0
	if neg {
		u = uint64(-(n + 1)) + 1 // safe for math.MinInt64
	} else {
		u = uint64(n)
	}
	digits := strconv.FormatUint(u, 10)
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3 + 4)
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(digits[i])
	}
	b.WriteString(" kr")
	return b.String()
}

// numMaxGroups bounds the digit groups lexed as one number (more than any
// amount has; the rest of a longer run is left alone).
const numMaxGroups = 13

// numTok is a run of digit groups as lexed: runs[k] and runs[k+1] are
// separated by seps[k], and seps[k] is a group space, '.' or ','.
// offs[k] is the byte offset of runs[k]. Fixed arrays keep ParseAmount
// free of allocations.
type numTok struct {
	n    int
	runs [numMaxGroups]string
	seps [numMaxGroups]rune
	offs [numMaxGroups]int
	end  int
}

// numLex lexes digit groups from s[i] (a digit) into t: digits, then as
// long as a single separator is followed by a digit, the separator and the
// next digits.
func numLex(s string, i int, t *numTok) {
	t.n = 0
	for {
		j := i
		for j < len(s) && numIsDigit(s[j]) {
			j++
		}
		t.runs[t.n], t.offs[t.n] = s[i:j], i
		t.n++
		t.end = j
		if j >= len(s) || t.n == numMaxGroups {
			return
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if !(r == '.' || r == ',' || numIsGroupSpace(r)) || j+size >= len(s) || !numIsDigit(s[j+size]) {
			return
		}
		t.seps[t.n-1] = r
		i = j + size
	}
}

// numValue interprets lexed digit groups times mult (1, 1e3, 1e6, 1e9) as
// whole kronor, rounding half away from zero.
func numValue(runs []string, seps []rune, mult int64) (int64, bool) {
	intRuns, intSeps := runs, seps
	frac := ""
	if n := len(seps); n > 0 {
		last, lastRun := seps[n-1], runs[n]
		if last == ',' || last == '.' {
			prev := rune(0)
			if n > 1 {
				prev = numSepClass(seps[n-2])
			}
			decimal := false
			switch {
			case len(lastRun) != 3:
				// "12,5", "12 500,50", "1,362,000.50", "1.540.400,50"
				decimal = prev != last && (len(lastRun) <= 2 || mult > 1)
				if !decimal {
					return 0, false
				}
			case mult > 1 && n == 1:
				decimal = true // "1,250 mnkr"
			case prev != 0 && prev != last:
				return 0, false // "12 500,500", "1.540,400"
			}
			if decimal {
				intRuns, intSeps, frac = runs[:n], seps[:n-1], lastRun
			}
		}
	}
	if len(frac) > 6 {
		return 0, false
	}
	// The integer part: one run of digits, or groups of three.
	var ip int64
	first := intRuns[0]
	if len(intRuns) == 1 {
		if len(first) > 1 && first[0] == '0' && strings.Trim(first, "0") != "" {
			return 0, false // "0123" is a code, not an amount; "00" is 0
		}
	} else {
		if len(first) > 3 || (first[0] == '0') {
			return 0, false
		}
		class := numSepClass(intSeps[0])
		for k, r := range intRuns[1:] {
			if len(r) != 3 || numSepClass(intSeps[k]) != class {
				return 0, false
			}
		}
	}
	digits := 0
	for _, r := range intRuns {
		digits += len(r)
	}
	if digits > 16 {
		return 0, false // beyond MaxAmount, and int64 arithmetic
	}
	for _, r := range intRuns {
		for k := 0; k < len(r); k++ {
			ip = ip*10 + int64(r[k]-'0')
		}
	}
	if len(intRuns) >= 4 && numSepClass(intSeps[0]) == ' ' && ip >= numGluedLimit {
		return 0, false
	}
	if ip > MaxAmount/mult {
		return 0, false
	}
	v := ip * mult
	if frac != "" {
		var f, scale int64 = 0, 1
		for k := 0; k < len(frac); k++ {
			f = f*10 + int64(frac[k]-'0')
			scale *= 10
		}
		v += (2*f*mult + scale) / (2 * scale)
	}
	if v > MaxAmount {
		return 0, false
	}
	return v, true
}

// numSepClass maps every group space to ' '.
func numSepClass(r rune) rune {
	if numIsGroupSpace(r) {
		return ' '
	}
	return r
}

// numMatchAt turns a lexed number at tok into an amount match if a
// currency goes with it. When the whole run is not a valid amount, the
// longest valid tail starting after a space is tried ("2023 672 000 kr").
// A sign or "SEK" before the number must not reach back before minStart
// (the end of the previous match).
func numMatchAt(s string, tok *numTok, minStart int) (AmountMatch, bool) {
	j := numSkipInline(s, tok.end)
	u, uend, hasUnit := numUnitAt(s, j)
	if hasUnit && j == tok.end && !u.glued {
		hasUnit = false // "500kronor"
	}
	start := tok.offs[0]
	preStart, hasPrefix := -1, false
	for k := 0; k < tok.n; k++ {
		if k > 0 && !numIsGroupSpace(tok.seps[k-1]) {
			continue
		}
		if k > 0 && !hasUnit {
			break // a tail is only tried in front of a currency
		}
		mult := int64(1)
		if hasUnit {
			mult = u.mult
		}
		v, ok := numValue(tok.runs[k:tok.n], tok.seps[k:tok.n-1], mult)
		if !ok {
			continue
		}
		start = tok.offs[k]
		end := tok.end
		if hasUnit {
			end = uend
		} else if k == 0 {
			preStart, hasPrefix = numCurrencyBefore(s, start)
			if !hasPrefix || preStart < minStart {
				return AmountMatch{}, false
			}
		}
		neg := false
		if p, ok := numSignBefore(s, start); ok && p >= minStart {
			neg, start = true, p
		}
		if hasPrefix {
			start = preStart
		}
		if neg {
			v = -v
		}
		return AmountMatch{Kronor: v, Start: start, End: end, Text: s[start:end]}, true
	}
	return AmountMatch{}, false
}

// numStartOK tells whether a number may start at s[i] (a digit, i > 0):
// not inside a word, another number, a date ("31/12-2023") or a decimal.
func numStartOK(s string, i int) bool {
	r, size := utf8.DecodeLastRuneInString(s[:i])
	if numIsDigitRune(r) || unicode.IsLetter(r) {
		return false
	}
	switch r {
	case '/', '.', ',', '_':
		return false
	case ':':
		if i-size > 0 && numIsDigit(s[i-size-1]) {
			return false // "10:30"
		}
	case '-', '–', '—', '−':
		if i-size > 0 {
			p, _ := utf8.DecodeLastRuneInString(s[:i-size])
			if numIsDigitRune(p) || p == '/' {
				return false
			}
		}
	}
	return true
}

// numSignBefore finds a minus sign right before s[i] that is not a dash
// between two numbers; it returns the sign's offset.
func numSignBefore(s string, i int) (int, bool) {
	r, size := utf8.DecodeLastRuneInString(s[:i])
	if r != '-' && r != '−' {
		return 0, false
	}
	p := i - size
	if p > 0 {
		q, _ := utf8.DecodeLastRuneInString(s[:p])
		if !unicode.IsSpace(q) && q != '(' && q != ':' {
			return 0, false
		}
	}
	return p, true
}

// numSign reports whether s[i:] starts with a minus sign, and where the
// number after it starts.
func numSign(s string, i int) (int, bool) {
	if strings.HasPrefix(s[i:], "-") {
		return i + 1, true
	}
	if strings.HasPrefix(s[i:], "−") {
		return i + len("−"), true
	}
	return i, false
}

// numCurrencyPrefix matches "SEK" or "kr" at s[i] followed by a space or
// a digit.
func numCurrencyPrefix(s string, i int) (int, bool) {
	for _, w := range []string{"sek", "kr"} {
		if len(s)-i > len(w) && strings.EqualFold(s[i:i+len(w)], w) {
			r, _ := utf8.DecodeRuneInString(s[i+len(w):])
			if unicode.IsSpace(r) || numIsDigitRune(r) || r == '-' || r == '−' {
				return i + len(w), true
			}
		}
	}
	return i, false
}

// numCurrencyBefore finds "SEK " right before the number at s[i] (only
// SEK: "kr 2023" is more often the end of one amount and a year).
func numCurrencyBefore(s string, i int) (int, bool) {
	j := i
	if p, ok := numSignBefore(s, j); ok {
		j = p
	}
	k := j
	for k > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:k])
		if !numIsGroupSpace(r) {
			break
		}
		k -= size
	}
	if k < 3 || !strings.EqualFold(s[k-3:k], "sek") {
		return 0, false
	}
	if k > 3 {
		r, _ := utf8.DecodeLastRuneInString(s[:k-3])
		if unicode.IsLetter(r) || numIsDigitRune(r) {
			return 0, false
		}
	}
	return k - 3, true
}

// numUnit is a currency word or sign after an amount.
type numUnit struct {
	form  string // lower case; a space matches any run of spaces
	mult  int64
	word  bool // ends in a letter: needs a word boundary after it
	glued bool // may follow the digits without a space (":-")
}

// numUnits is ordered so that a longer form is tried before its prefix.
var numUnits = []numUnit{
	{form: "miljoner kronor", mult: 1_000_000, word: true},
	{form: "miljoner kr", mult: 1_000_000, word: true},
	{form: "miljarder kronor", mult: 1_000_000_000, word: true},
	{form: "milj. kronor", mult: 1_000_000, word: true},
	{form: "milj. kr", mult: 1_000_000, word: true},
	{form: "milj kronor", mult: 1_000_000, word: true},
	{form: "milj kr", mult: 1_000_000, word: true},
	{form: "tusen kronor", mult: 1_000, word: true},
	{form: "tusen kr", mult: 1_000, word: true},
	{form: "kronor", mult: 1, word: true},
	{form: "mnkr", mult: 1_000_000, word: true, glued: true},
	{form: "mdkr", mult: 1_000_000_000, word: true, glued: true},
	{form: "mkr", mult: 1_000_000, word: true, glued: true},
	{form: "msek", mult: 1_000_000, word: true, glued: true},
	{form: "tsek", mult: 1_000, word: true, glued: true},
	{form: "tkr", mult: 1_000, word: true, glued: true},
	{form: "kkr", mult: 1_000, word: true, glued: true},
	{form: "sek", mult: 1, word: true, glued: true},
	{form: "kr", mult: 1, word: true, glued: true},
	{form: ":-", mult: 1, glued: true},
	{form: ",-", mult: 1, glued: true},
}

// numUnitAt matches a currency unit at s[i] (case-insensitive, word
// boundary after a word) and returns where it ends.
func numUnitAt(s string, i int) (numUnit, int, bool) {
	if i >= len(s) {
		return numUnit{}, i, false
	}
	c := numLower(s[i])
	if c != 'k' && c != 'm' && c != 's' && c != 't' && s[i] != ':' && s[i] != ',' {
		return numUnit{}, i, false
	}
	for _, u := range numUnits {
		end, ok := numMatchForm(s, i, u.form)
		if !ok {
			continue
		}
		if u.word && end < len(s) {
			r, _ := utf8.DecodeRuneInString(s[end:])
			if unicode.IsLetter(r) || numIsDigitRune(r) {
				continue
			}
		}
		return u, end, true
	}
	return numUnit{}, i, false
}

// numMatchForm matches form at s[i] case-insensitively (ASCII); a space
// in form matches one or more group spaces.
func numMatchForm(s string, i int, form string) (int, bool) {
	for k := 0; k < len(form); k++ {
		if form[k] == ' ' {
			j := numSkipInline(s, i)
			if j == i {
				return 0, false
			}
			i = j
			continue
		}
		if i >= len(s) || numLower(s[i]) != form[k] {
			return 0, false
		}
		i++
	}
	return i, true
}

// numSkipSpaces skips any white space.
func numSkipSpaces(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

// numSkipInline skips spaces within a line (no line breaks).
func numSkipInline(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !numIsGroupSpace(r) && r != '\t' {
			break
		}
		i += size
	}
	return i
}

// numIsGroupSpace reports whether r separates thousands: a space, a no-break
// space, a narrow no-break space, a thin space or a figure space.
func numIsGroupSpace(r rune) bool {
	return r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\u2007'
}

// numLower lower-cases an ASCII letter.
func numLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func numIsDigit(c byte) bool { return '0' <= c && c <= '9' }

func numIsDigitRune(r rune) bool { return '0' <= r && r <= '9' }
