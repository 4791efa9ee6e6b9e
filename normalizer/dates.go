package normalizer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Date is a calendar date as written; Day (and Month) are 0 when the
// source leaves them out ("2022-06-", "juni 2022"), Year is 0 when it
// leaves out the year ("16 juni").
type Date struct{ Year, Month, Day int }

// DateMatch is a date found in free text.
type DateMatch struct {
	Date       Date
	Start, End int // byte offsets in the text
	Text       string
}

// String gives "YYYY-MM-DD", "YYYY-MM" when the day is missing, and ""
// when the year or month is missing.
func (d Date) String() string {
	if d.Year <= 0 || d.Month <= 0 || d.Year > 9999 || d.Month > 12 || d.Day < 0 || d.Day > 31 {
		return ""
	}
	b := make([]byte, 0, 10)
	b = dateAppend(b, d.Year, 4)
	b = append(b, '-')
	b = dateAppend(b, d.Month, 2)
	if d.Day > 0 {
		b = append(b, '-')
		b = dateAppend(b, d.Day, 2)
	}
	return string(b)
}

// Partial reports whether the year, month or day is missing.
func (d Date) Partial() bool { return d.Year == 0 || d.Month == 0 || d.Day == 0 }

// IsZero reports whether d is the zero Date (no date at all).
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is before o. It compares only full dates: when
// either is partial it is false.
func (d Date) Before(o Date) bool {
	if d.Partial() || o.Partial() {
		return false
	}
	if d.Year != o.Year {
		return d.Year < o.Year
	}
	if d.Month != o.Month {
		return d.Month < o.Month
	}
	return d.Day < o.Day
}

// dateMinYear and dateMaxYear bound the four-digit years ansokan reads as
// years; anything outside is a number, not a date.
const (
	dateMinYear = 1900
	dateMaxYear = 2099
)

// ParseDate parses a whole string as one date. Accepted (section 4 of the
// domain notes): "2023-01-01" (also with "/" or "."), "2023-01-01
// 00:00:00", "20230101", "1/1-2023", "1/1–2022", "1/1 -2023", "31/12-
// 2023", "31/12 2023", "1/1/2023", "13.12.2013", "13 december 2013", "13
// dec. 2013", and the partial "2022-06-", "2022-06", "juni 2022" (Day 0),
// "16 juni", "3/6" (Year 0). A two-digit year after a day and month
// ("31/12-23") is ambiguous and rejected; ååmmdd is ParseShortDate's.
// Surrounding space and a trailing ".", "," or ";" are ignored. Years must
// lie in 1900–2099 and the day must exist in that month (29 February in
// leap years, or when the year is unknown).
func ParseDate(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, false
	}
	d, end, ok := dateAt(s, 0)
	if !ok {
		return Date{}, false
	}
	if strings.TrimSpace(strings.TrimRight(s[end:], ".,;")) != "" {
		return Date{}, false
	}
	return d, true
}

// ParseShortDate parses a date in an ååmmdd column: "23-01-01", "230101",
// "23 01 01", "23/01/01", "23.01.01" are 2023-01-01 (two-digit years are
// 2000+yy). It also accepts every form ParseDate accepts ("1/1-2023").
func ParseShortDate(s string) (Date, bool) {
	t := strings.TrimSpace(s)
	var y, m, d int
	ok := false
	switch {
	case len(t) == 6 && dateAllDigits(t):
		y, m, d, ok = dateNum(t[0:2]), dateNum(t[2:4]), dateNum(t[4:6]), true
	case len(t) == 8 && dateAllDigits(t[0:2]) && dateAllDigits(t[3:5]) && dateAllDigits(t[6:8]) &&
		t[2] == t[5] && strings.IndexByte("- /.", t[2]) >= 0:
		y, m, d, ok = dateNum(t[0:2]), dateNum(t[3:5]), dateNum(t[6:8]), true
	}
	if ok {
		dt := Date{2000 + y, m, d}
		if dateValid(dt) {
			return dt, true
		}
		return Date{}, false
	}
	return ParseDate(s)
}

// FindDates finds the dates in free text, in order and not overlapping,
// in the forms ParseDate accepts (but not ååmmdd: "v:19-07-10" is a
// version stamp). The dash between two dates of a range ("1/1-2023-
// 31/12–2023") is not part of either. A run of 10 or 12 digits or an
// 8-digit date followed by "-NNNN" (personnummer) is not a date.
//
// A day and month without a year takes the year of the next date in the
// same sentence, or the year before when the day would otherwise come
// after that date: "26 april och 24 maj 2022" gives 2022-04-26 and
// 2022-05-24. Alone ("lokus-mötet 3/6") it keeps Year 0.
func FindDates(s string) []DateMatch {
	var out []DateMatch
	lastEnd := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case numIsDigit(c):
			if i > 0 && numIsDigit(s[i-1]) {
				continue
			}
			if !dateStartOK(s, i, lastEnd) {
				continue
			}
		case 'a' <= c|0x20 && c|0x20 <= 'z':
			if i > 0 {
				r, _ := utf8.DecodeLastRuneInString(s[:i])
				if unicode.IsLetter(r) || numIsDigitRune(r) {
					continue
				}
			}
		default:
			continue
		}
		d, end, ok := dateAt(s, i)
		if !ok {
			continue
		}
		out = append(out, DateMatch{Date: d, Start: i, End: end, Text: s[i:end]})
		lastEnd = end
		i = end - 1
	}
	dateFillYears(s, out)
	return out
}

// dateFillYears gives a day-month without year the year of the next dated
// match in the same sentence.
func dateFillYears(s string, ms []DateMatch) {
	for k := range ms {
		d := ms[k].Date
		if d.Year != 0 || d.Month == 0 || d.Day == 0 {
			continue
		}
		for n := k + 1; n < len(ms); n++ {
			if dateSentenceBreak(s[ms[n-1].End:ms[n].Start]) {
				break
			}
			t := ms[n].Date
			if t.Year == 0 {
				continue
			}
			y := t.Year
			td := t.Day
			if td == 0 {
				td = 31
			}
			if t.Month != 0 && (d.Month > t.Month || d.Month == t.Month && d.Day > td) {
				y-- // "20 december och 10 januari 2023"
			}
			if c := (Date{y, d.Month, d.Day}); y >= dateMinYear && dateValid(c) {
				ms[k].Date = c
			}
			break
		}
	}
}

// dateSentenceBreak reports whether the text between two dates ends a
// sentence: ".", "!", "?", ";" or a blank line.
func dateSentenceBreak(gap string) bool {
	if strings.ContainsAny(gap, ".!?;") {
		return true
	}
	blank := false
	for k := 0; k < len(gap); k++ {
		switch gap[k] {
		case '\n':
			if blank {
				return true
			}
			blank = true
		case ' ', '\t', '\r':
		default:
			blank = false
		}
	}
	return false
}

// dateStartOK tells whether a number at s[i] may start a date: not inside
// a word, a decimal, a time or a longer number; after a dash only when the
// dash follows a date just found (a range: "1/1-2023-1/12-2023").
func dateStartOK(s string, i, lastEnd int) bool {
	if i == 0 {
		return true
	}
	r, size := utf8.DecodeLastRuneInString(s[:i])
	if unicode.IsLetter(r) {
		return false
	}
	switch r {
	case '/', '.', ',', '_', '+':
		return false
	case ':':
		if i-size > 0 && numIsDigit(s[i-size-1]) {
			return false // "10:30"
		}
	case '-', '–', '—':
		if i-size > 0 && i-size != lastEnd {
			p, _ := utf8.DecodeLastRuneInString(s[:i-size])
			if numIsDigitRune(p) || unicode.IsLetter(p) {
				return false
			}
		}
	}
	return true
}

// dateAt parses a date that starts at s[i] and returns where it ends.
func dateAt(s string, i int) (Date, int, bool) {
	if i >= len(s) {
		return Date{}, i, false
	}
	if !numIsDigit(s[i]) {
		return dateMonthYear(s, i)
	}
	j := i
	for j < len(s) && numIsDigit(s[j]) {
		j++
	}
	switch j - i {
	case 4:
		return dateISO(s, i, j)
	case 8:
		return dateCompact(s, i, j)
	case 1, 2:
		return dateDayFirst(s, i, j)
	}
	return Date{}, i, false
}

// dateISO parses "2023-01-01" (also "/" and "."), with an optional time
// after it, and the partial "2022-06-" and "2022-06".
func dateISO(s string, i, j int) (Date, int, bool) {
	y := dateNum(s[i:j])
	if y < dateMinYear || y > dateMaxYear || j >= len(s) {
		return Date{}, i, false
	}
	sep := s[j]
	if sep != '-' && sep != '/' && sep != '.' {
		return Date{}, i, false
	}
	m, k := dateDigits(s, j+1)
	if n := k - (j + 1); n < 1 || n > 2 || m < 1 || m > 12 {
		return Date{}, i, false
	}
	if k < len(s) && s[k] == sep {
		if d, e := dateDigits(s, k+1); e > k+1 {
			dt := Date{y, m, d}
			if e-(k+1) > 2 || !dateValid(dt) {
				return Date{}, i, false
			}
			return dt, dateTime(s, e), true
		}
		// "2022-06-": the day left out.
		if sep == '-' && k-(j+1) == 2 {
			return Date{y, m, 0}, k + 1, true
		}
		return Date{}, i, false
	}
	if sep == '-' && k-(j+1) == 2 {
		return Date{y, m, 0}, k, true // "2022-06"
	}
	return Date{}, i, false
}

// dateTime skips a time of day after a full date: " 00:00:00", "T08:30".
func dateTime(s string, i int) int {
	if i+5 >= len(s) || (s[i] != ' ' && s[i] != 'T') {
		return i
	}
	h, k := dateDigits(s, i+1)
	if k != i+3 || k >= len(s) || s[k] != ':' || h > 23 {
		return i
	}
	mi, e := dateDigits(s, k+1)
	if e != k+3 || mi > 59 {
		return i
	}
	if e < len(s) && s[e] == ':' {
		if sec, e2 := dateDigits(s, e+1); e2 == e+3 && sec <= 60 {
			e = e2
		}
	}
	return e
}

// dateCompact parses "20230101". An 8-digit date followed by "-NNNN" or
// "+NNNN" is a personnummer, not a date.
func dateCompact(s string, i, j int) (Date, int, bool) {
	dt := Date{dateNum(s[i : i+4]), dateNum(s[i+4 : i+6]), dateNum(s[i+6 : i+8])}
	if !dateValid(dt) {
		return Date{}, i, false
	}
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		if _, e := dateDigits(s, j+1); e-(j+1) == 4 {
			return Date{}, i, false
		}
	}
	return dt, j, true
}

// dateDayFirst parses the forms that start with the day: "1/1-2023",
// "31/12 2023", "3/6", "13.12.2013", "13 december 2013", "16 juni".
func dateDayFirst(s string, i, j int) (Date, int, bool) {
	day := dateNum(s[i:j])
	if j >= len(s) || day < 1 || day > 31 {
		return Date{}, i, false
	}
	switch s[j] {
	case '/':
		m, k := dateDigits(s, j+1)
		if k-(j+1) < 1 || k-(j+1) > 2 {
			return Date{}, i, false
		}
		if y, e, ok := dateYearAfter(s, k); ok {
			dt := Date{y, m, day}
			return dt, e, dateValid(dt)
		} else if e < 0 {
			return Date{}, i, false // "31/12-23": ambiguous
		}
		dt := Date{0, m, day}
		return dt, k, dateValid(dt)
	case '.':
		m, k := dateDigits(s, j+1)
		if k-(j+1) < 1 || k-(j+1) > 2 || k >= len(s) || s[k] != '.' {
			return Date{}, i, false
		}
		y, e := dateDigits(s, k+1)
		if e-(k+1) != 4 {
			return Date{}, i, false
		}
		dt := Date{y, m, day}
		return dt, e, dateValid(dt)
	}
	// "13 december 2013", "16 juni"
	k := numSkipInline(s, j)
	if k == j {
		return Date{}, i, false
	}
	m, e, _, ok := dateMonthName(s, k)
	if !ok {
		return Date{}, i, false
	}
	if y, ye, ok := dateYearAfterName(s, e); ok {
		dt := Date{y, m, day}
		return dt, ye, dateValid(dt)
	}
	dt := Date{0, m, day}
	return dt, e, dateValid(dt)
}

// dateMonthYear parses "juni 2022" (Day 0) at s[i], a letter at a word
// start. "jul 2022" is not taken: "jul" is also Christmas.
func dateMonthYear(s string, i int) (Date, int, bool) {
	m, e, abbr, ok := dateMonthName(s, i)
	if !ok || strings.EqualFold(abbr, "jul") {
		return Date{}, i, false
	}
	y, ye, ok := dateYearAfterName(s, e)
	if !ok {
		return Date{}, i, false
	}
	return Date{y, m, 0}, ye, true
}

// dateYearAfter reads the year after a day/month: optional spaces, an
// optional "-", "–", "—" or "/", optional spaces and four digits. It
// returns e < 0 when a dash or slash is followed by a two-digit year.
func dateYearAfter(s string, k int) (int, int, bool) {
	p := numSkipInline(s, k)
	dash := false
	if p < len(s) {
		r, size := utf8.DecodeRuneInString(s[p:])
		if r == '-' || r == '–' || r == '—' || r == '/' {
			dash = true
			p = numSkipInline(s, p+size)
		}
	}
	if !dash && p == k {
		return 0, k, false
	}
	y, e := dateDigits(s, p)
	switch e - p {
	case 4:
		if y < dateMinYear || y > dateMaxYear || (e < len(s) && s[e] == '/') {
			return 0, k, false
		}
		return y, e, true
	case 2:
		if !dash || (e < len(s) && s[e] == '/') {
			break // "31/12 23 personer", "3/6-17/6"
		}
		if _, _, _, ok := dateMonthName(s, numSkipInline(s, e)); ok && numSkipInline(s, e) > e {
			break // "1/1-15 juni"
		}
		return 0, -1, false
	}
	return 0, k, false
}

// dateYearAfterName reads " 2013" after a month name.
func dateYearAfterName(s string, e int) (int, int, bool) {
	p := numSkipInline(s, e)
	if p == e {
		return 0, e, false
	}
	y, ye := dateDigits(s, p)
	if ye-p != 4 || y < dateMinYear || y > dateMaxYear {
		return 0, e, false
	}
	return y, ye, true
}

// dateMonths maps Swedish month names and abbreviations to months.
var dateMonths = map[string]int{
	"januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6,
	"juli": 7, "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
	"sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}

// dateMonthName reads a month name at s[i] (case-insensitive, a whole
// word, an abbreviation optionally followed by "."), returning the month,
// where it ends and the word as written.
func dateMonthName(s string, i int) (int, int, string, bool) {
	j := i
	for j < len(s) && j-i < 10 && ('a' <= s[j]|0x20 && s[j]|0x20 <= 'z') {
		j++
	}
	if j-i < 3 || j-i > 9 {
		return 0, i, "", false
	}
	if j < len(s) {
		r, _ := utf8.DecodeRuneInString(s[j:])
		if unicode.IsLetter(r) || numIsDigitRune(r) {
			return 0, i, "", false
		}
	}
	var buf [9]byte
	w := buf[:j-i]
	for k := range w {
		w[k] = s[i+k] | 0x20
	}
	m, ok := dateMonths[string(w)]
	if !ok {
		return 0, i, "", false
	}
	word := s[i:j] // as written; callers compare it case-insensitively
	full := len(w) > 4 || string(w) == "juni" || string(w) == "juli" || string(w) == "mars" || string(w) == "maj"
	if !full && j < len(s) && s[j] == '.' {
		j++ // "dec."
	}
	return m, j, word, true
}

// dateDigits reads the run of digits at s[i] and returns its value (only
// meaningful for runs of up to 9 digits) and where it ends.
func dateDigits(s string, i int) (int, int) {
	v, j := 0, i
	for j < len(s) && numIsDigit(s[j]) {
		if j-i < 9 {
			v = v*10 + int(s[j]-'0')
		}
		j++
	}
	return v, j
}

// dateValid checks a date with a day: month and day ranges and the year
// range; Year 0 means no year (29 February is then allowed).
func dateValid(d Date) bool {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	if d.Year != 0 && (d.Year < dateMinYear || d.Year > dateMaxYear) {
		return false
	}
	return d.Day <= dateDaysIn(d.Year, d.Month)
}

// dateDaysIn gives the days of a month; year 0 counts as a leap year.
func dateDaysIn(year, month int) int {
	switch month {
	case 2:
		if year == 0 || (year%4 == 0 && (year%100 != 0 || year%400 == 0)) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func dateNum(s string) int {
	v := 0
	for k := 0; k < len(s); k++ {
		v = v*10 + int(s[k]-'0')
	}
	return v
}

func dateAllDigits(s string) bool {
	for k := 0; k < len(s); k++ {
		if !numIsDigit(s[k]) {
			return false
		}
	}
	return s != ""
}

// dateAppend appends v zero-padded to width digits.
func dateAppend(b []byte, v, width int) []byte {
	var buf [4]byte
	for k := width - 1; k >= 0; k-- {
		buf[k] = byte('0' + v%10)
		v /= 10
	}
	return append(b, buf[:width]...)
}
