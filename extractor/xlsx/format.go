package xlsx

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxBuiltinNumFmt maps the built-in number format ids of ECMA-376
// (§18.8.30) to their format codes. Ids 5-8 and 23-36, 41-44, 50-81 are
// locale dependent; the ones a Swedish workbook meets are given an
// equivalent code (dates as ISO, currency as kr).
var xlsxBuiltinNumFmt = map[int]string{
	0:  "General",
	1:  "0",
	2:  "0.00",
	3:  "#,##0",
	4:  "#,##0.00",
	5:  `#,##0 "kr";-#,##0 "kr"`,
	6:  `#,##0 "kr";[Red]-#,##0 "kr"`,
	7:  `#,##0.00 "kr";-#,##0.00 "kr"`,
	8:  `#,##0.00 "kr";[Red]-#,##0.00 "kr"`,
	9:  "0%",
	10: "0.00%",
	11: "0.00E+00",
	12: "# ?/?",
	13: "# ??/??",
	14: "mm-dd-yy",
	15: "d-mmm-yy",
	16: "d-mmm",
	17: "mmm-yy",
	18: "h:mm AM/PM",
	19: "h:mm:ss AM/PM",
	20: "h:mm",
	21: "h:mm:ss",
	22: "m/d/yy h:mm",
	37: "#,##0 ;(#,##0)",
	38: "#,##0 ;[Red](#,##0)",
	39: "#,##0.00;(#,##0.00)",
	40: "#,##0.00;[Red](#,##0.00)",
	41: `_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-`,
	42: `_-* #,##0 "kr"_-;-* #,##0 "kr"_-;_-* "-" "kr"_-;_-@_-`,
	43: `_-* #,##0.00_-;-* #,##0.00_-;_-* "-"??_-;_-@_-`,
	44: `_-* #,##0.00 "kr"_-;-* #,##0.00 "kr"_-;_-* "-"?? "kr"_-;_-@_-`,
	45: "mm:ss",
	46: "[h]:mm:ss",
	47: "mmss.0",
	48: "##0.0E+0",
	49: "@",
}

// xlsxLocaleDateFmt reports whether a built-in id without a code of its own
// is one of the locale (East Asian) date formats.
func xlsxLocaleDateFmt(id int) bool {
	return (id >= 27 && id <= 36) || (id >= 50 && id <= 58) || (id >= 71 && id <= 81)
}

// xlsxStripFormat removes from a format section what is not a placeholder:
// quoted literals, escaped characters, bracketed modifiers ([Red], [$-41D]),
// and the padding/fill directives _x and *x.
func xlsxStripFormat(code string) string {
	var b strings.Builder
	rs := []rune(code)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; r {
		case '"':
			for i++; i < len(rs) && rs[i] != '"'; i++ {
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := i + 1
			for j < len(rs) && rs[j] != ']' {
				j++
			}
			inner := strings.ToLower(string(rs[i+1 : min(j, len(rs))]))
			// Elapsed time [h], [mm], [ss] is a time placeholder.
			if inner != "" && strings.Trim(inner, "hms") == "" {
				b.WriteString(inner)
			}
			i = j
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xlsxIsDateFormat reports whether a number format code formats dates or
// times (the value is an Excel serial).
func xlsxIsDateFormat(code string) bool {
	sec := xlsxSections(code)[0]
	s := strings.ToLower(xlsxStripFormat(sec))
	if s == "general" || s == "" {
		return false
	}
	return strings.ContainsAny(s, "ymdhs")
}

// xlsxSections splits a format code into its ;-separated sections, not
// splitting inside quotes or brackets.
func xlsxSections(code string) []string {
	var secs []string
	inQuote, inBracket, start := false, false, 0
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '\\' && !inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '[':
			inBracket = true
		case c == ']':
			inBracket = false
		case c == ';' && !inBracket:
			secs = append(secs, code[start:i])
			start = i + 1
		}
	}
	return append(secs, code[start:])
}

// xlsxFormatDate renders an Excel serial the Swedish way: ISO date, with
// the time of day when the format shows one and it is not midnight; a
// time-only format gives the time.
func xlsxFormatDate(serial float64, code string, date1904 bool) string {
	t, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return strconv.FormatFloat(serial, 'f', -1, 64)
	}
	// ExcelDateToTime can land a few nanoseconds off; round to the second.
	t = t.Round(time.Second)
	s := strings.ToLower(xlsxStripFormat(xlsxSections(code)[0]))
	hasDate := strings.ContainsAny(s, "yd") || (strings.Contains(s, "m") && !strings.ContainsAny(s, "hs"))
	hasTime := strings.ContainsAny(s, "hs")
	switch {
	case hasTime && !hasDate:
		return t.Format("15:04:05")
	case hasTime && (t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0):
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("2006-01-02")
}

// xlsxFormatNumber renders a number the way a Swedish reader sees it under
// the cell's number format: digits grouped by spaces where the format
// groups them ("1 362 000"), a decimal comma, percent formats as "100%",
// the format's literal prefix and suffix kept ("2 402 400 kr"). Without
// a format (General) the number is written plainly, like Excel does
// (so a year stays "2023").
func xlsxFormatNumber(v float64, code string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	secs := xlsxSections(code)
	sec, neg := secs[0], v < 0
	switch {
	case v < 0 && len(secs) >= 2 && strings.TrimSpace(secs[1]) != "":
		sec, v, neg = secs[1], -v, false // the section carries its own sign
	case v == 0 && len(secs) >= 3 && strings.TrimSpace(secs[2]) != "":
		sec = secs[2]
	}
	if neg {
		v = -v
	}
	sign := ""
	if neg {
		sign = "-"
	}
	if s := strings.TrimSpace(xlsxStripFormat(sec)); s == "" || strings.EqualFold(s, "general") || strings.ContainsAny(s, "eE") {
		if strings.TrimSpace(sec) != "" && s == "" {
			// A section of literals only, like "-" for zero.
			return xlsxLiterals(sec)
		}
		return sign + xlsxGeneral(v)
	}

	var prefix, suffix strings.Builder
	var intPart, fracPart []rune // placeholders
	seenDigit, inFrac, afterDigits, percent := false, false, false, 0
	group, scale := false, 0
	pendingCommas := 0
	rs := []rune(sec)
	lit := func(s string) {
		if seenDigit {
			afterDigits = true
			suffix.WriteString(s)
		} else {
			prefix.WriteString(s)
		}
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			lit(string(rs[i+1 : min(j, len(rs))]))
			i = j
		case r == '\\':
			if i+1 < len(rs) {
				lit(string(rs[i+1]))
			}
			i++
		case r == '_':
			i++ // a space the width of the next character: dropped
		case r == '*':
			i++
		case r == '[':
			for i < len(rs) && rs[i] != ']' {
				i++
			}
		case r == '0' || r == '#' || r == '?':
			if afterDigits {
				continue // placeholders after a literal (a phone-number mask): ignored
			}
			if pendingCommas > 0 {
				group = true
				pendingCommas = 0
			}
			seenDigit = true
			if inFrac {
				fracPart = append(fracPart, r)
			} else {
				intPart = append(intPart, r)
			}
		case r == '.' && !afterDigits:
			if pendingCommas > 0 {
				scale += pendingCommas
				pendingCommas = 0
			}
			inFrac = true
			seenDigit = true
		case r == ',' && seenDigit && !inFrac && !afterDigits:
			pendingCommas++
		case r == '%':
			percent++
			lit("%")
		case r == '@':
		default:
			lit(string(r))
		}
	}
	scale += pendingCommas
	for ; percent > 0; percent-- {
		v *= 100
	}
	for ; scale > 0; scale-- {
		v /= 1000
	}
	minFrac := strings.Count(string(fracPart), "0")
	maxFrac := len(fracPart)
	minInt := strings.Count(string(intPart), "0")
	num := strconv.FormatFloat(v, 'f', maxFrac, 64)
	ip, fp, _ := strings.Cut(num, ".")
	for len(fp) > minFrac && strings.HasSuffix(fp, "0") {
		fp = fp[:len(fp)-1]
	}
	if ip == "0" && minInt == 0 && fp != "" {
		ip = ""
	}
	for len(ip) < minInt {
		ip = "0" + ip
	}
	if group {
		ip = xlsxGroup(ip)
	}
	out := ip
	if fp != "" {
		out += "," + fp
	}
	if out == "" {
		out = "0"
	}
	if strings.Trim(out, "0, ") == "" {
		sign = "" // no "-0"
	}
	return sign + prefix.String() + out + suffix.String()
}

// xlsxLiterals gives the literal text of a format section without
// placeholders (quotes removed, padding dropped).
func xlsxLiterals(sec string) string {
	var b strings.Builder
	rs := []rune(sec)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; r {
		case '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			b.WriteString(string(rs[i+1 : min(j, len(rs))]))
			i = j
		case '\\':
			if i+1 < len(rs) {
				b.WriteRune(rs[i+1])
			}
			i++
		case '_', '*':
			i++
		case '[':
			for i < len(rs) && rs[i] != ']' {
				i++
			}
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// xlsxGeneral writes a number plainly: integers as digits, fractions with
// up to ten significant digits and a decimal comma.
func xlsxGeneral(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	s := strconv.FormatFloat(v, 'g', 10, 64)
	if strings.ContainsAny(s, "e") {
		return strings.Replace(s, ".", ",", 1)
	}
	s = strconv.FormatFloat(v, 'f', -1, 64)
	if f, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64); err == nil {
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strings.Replace(s, ".", ",", 1)
}

// xlsxGroup groups the digits of an integer by threes with spaces.
func xlsxGroup(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
