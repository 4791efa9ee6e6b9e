// Package privacy finds Swedish personal identity numbers (personnummer
// and samordningsnummer) in text and masks them everywhere ansokan
// writes: every string of a record (MaskValue), every log line
// (NewHandler), every line a command prints to people (NewWriter), the
// queue's status entries and dead letters.
//
// A masked number keeps its shape and loses every digit:
// "19121212-1212" becomes "XXXXXXXX-XXXX", so that neither the date of
// birth nor the serial stays, and a reader can still see that a number
// stood there. Organisationsnummer (month digits 20 or more) are not
// personal and are left as they are.
package privacy

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A match is a date of birth (YYMMDD or YYYYMMDD; for a samordningsnummer
// the day plus 60) followed by a four-digit serial whose last digit is
// the Luhn check digit over the ten-digit form. Written with a separator
// ("850312-1234", "19850312-1234", "850312+1234" for a person over 100)
// or as twelve digits it is found anywhere; ten digits without a
// separator are only taken when "personnummer", "pnr", "personnr" or
// "samordningsnummer" stands just before them, because ten-digit numbers
// without a separator are more often phone or case numbers.
// Organisationsnummer have month digits 20 or more, are no valid date,
// and are left alone.
var rePnrWord = regexp.MustCompile(`(?i)(personnummer|personnr|pnr|samordningsnummer|samordningsnr)\W{0,3}$`)

// digestLen is the shortest run of hex digits taken for a digest or an
// identifier (a SHA-256, a job id, a content id) rather than text: digits
// inside one are not a personnummer, and masking them would break the
// hash. A run of digits alone is never a digest: it is checked.
const digestLen = 32

// Find reports the [start, end) byte ranges of the valid personnummer
// and samordningsnummer in s, in order.
func Find(s string) [][2]int {
	if !enoughDigits(s) {
		return nil
	}
	var out [][2]int
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		// A maximal run of digits, s[i:j].
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		a, b, next := i, j, j
		ok := false
		run := j - i
		switch {
		case (run == 6 || run == 8 && century(s[i:])) && j+5 <= len(s) && (s[j] == '-' || s[j] == '+') &&
			allDigits(s[j+1:j+5]) && (j+5 == len(s) || !isDigit(s[j+5])):
			b, next, ok = j+5, j+5, true // YYMMDD-NNNN, YYYYMMDD-NNNN
		case run == 12 && century(s[i:]):
			ok = !inDigest(s, a, b)
		case run == 10:
			// Without a separator only after the word: ten-digit numbers
			// are more often phone or case numbers.
			ok = rePnrWord.MatchString(s[max(0, a-24):a]) && !inDigest(s, a, b)
		}
		if ok && validPnr(digitsOf(s[a:b])) {
			out = append(out, [2]int{a, b})
		}
		i = next
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func century(s string) bool { return strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20") }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// enoughDigits is the fast path: a string with fewer than ten digits
// holds no number.
func enoughDigits(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if n++; n >= 10 {
				return true
			}
		}
	}
	return false
}

// inDigest reports whether s[a:b] lies in a run of at least digestLen hex
// digits that holds a letter.
func inDigest(s string, a, b int) bool {
	i, j := a, b
	letter := false
	for i > 0 && isHex(s[i-1]) {
		i--
		letter = letter || s[i] > '9'
	}
	for j < len(s) && isHex(s[j]) {
		letter = letter || s[j] > '9'
		j++
	}
	return letter && j-i >= digestLen
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// validPnr checks the date (day + 60 allowed) and the Luhn digit of a
// 10- or 12-digit number.
func validPnr(d string) bool {
	var century string
	if len(d) == 12 {
		century, d = d[:2], d[2:]
	}
	if len(d) != 10 {
		return false
	}
	yy, _ := strconv.Atoi(d[0:2])
	mm, _ := strconv.Atoi(d[2:4])
	dd, _ := strconv.Atoi(d[4:6])
	if dd > 60 {
		dd -= 60 // samordningsnummer
	}
	if mm < 1 || mm > 12 || dd < 1 {
		return false
	}
	year := 2000 + yy
	if century != "" {
		c, _ := strconv.Atoi(century)
		year = c*100 + yy
	}
	// A date that does not exist (31 April) is no date of birth; leap
	// years need the century, and 29 February is taken when any century
	// makes it valid.
	t := time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd {
		if century != "" || mm != 2 || dd != 29 || time.Date(year-100, 2, 29, 0, 0, 0, 0, time.UTC).Day() != 29 {
			return false
		}
	}
	return luhn(d)
}

func luhn(d string) bool {
	sum := 0
	for i, r := range d {
		v := int(r - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// Mask returns s with every digit of every number Find finds replaced by
// "X". The result has the length of s, byte for byte.
func Mask(s string) string {
	m, _ := mask(s)
	return m
}

// mask is Mask, and how many numbers it masked.
func mask(s string) (string, int) {
	rs := Find(s)
	if len(rs) == 0 {
		return s, 0
	}
	b := []byte(s)
	for _, r := range rs {
		for i := r[0]; i < r[1]; i++ {
			if b[i] >= '0' && b[i] <= '9' {
				b[i] = 'X'
			}
		}
	}
	return string(b), len(rs)
}
