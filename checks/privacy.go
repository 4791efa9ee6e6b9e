package checks

import (
	"strconv"
	"strings"
	"time"

	"github.com/finsam/ansokan/schema"
)

// Personnummer and samordningsnummer in free text.
//
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
//
// What is found is masked in the record: every digit becomes "X"
// ("XXXXXX-XXXX"), so that neither the date of birth nor the serial stays.

var (
	rePnr     = lazyRegexp(`(?:^|[^\d])((?:19|20)?\d{6}[-+]\d{4}|(?:19|20)\d{10}|\d{10})(?:[^\d]|$)`)
	rePnrWord = lazyRegexp(`(?i)(personnummer|personnr|pnr|samordningsnummer|samordningsnr)\W{0,3}$`)
)

// personnummer reports the [start, end) byte ranges of valid personnummer
// and samordningsnummer in s.
func personnummer(s string) [][2]int {
	var out [][2]int
	for from := 0; from < len(s); {
		loc := rePnr().FindStringSubmatchIndex(s[from:])
		if loc == nil {
			break
		}
		a, b := from+loc[2], from+loc[3]
		from = b
		num := s[a:b]
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, num)
		sep := len(digits) != len(num)
		if len(digits) == 10 && !sep && !rePnrWord().MatchString(s[max(0, a-24):a]) {
			continue
		}
		if validPnr(digits) {
			out = append(out, [2]int{a, b})
		}
	}
	return out
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

// mask replaces every digit in the ranges with X.
func mask(s string, ranges [][2]int) string {
	b := []byte(s)
	for _, r := range ranges {
		for i := r[0]; i < r[1]; i++ {
			if b[i] >= '0' && b[i] <= '9' {
				b[i] = 'X'
			}
		}
	}
	return string(b)
}

// checkPersonnummer finds personnummer and samordningsnummer in the
// record's free text and masks them.
func checkPersonnummer(r *schema.Record, c *Context) []schema.Finding {
	var out []schema.Finding
	scan := func(text *string, subject, path, where string) {
		if text == nil {
			return
		}
		rs := personnummer(*text)
		if len(rs) == 0 {
			return
		}
		*text = mask(*text, rs)
		n := "Ett personnummer"
		if len(rs) > 1 {
			n = itoa(len(rs)) + " personnummer"
		}
		out = append(out, c.finding(schema.CodePrivacyPersonnummer, subject, path,
			n+" (eller samordningsnummer) står i "+where+" och har maskerats i posten. Personuppgifter om deltagare eller medarbetare hör inte hemma i ansökan; be sökanden ta bort dem."))
	}
	scan(r.Title, "title", "/title", "insatsens namn")
	for _, key := range sortedSectionKeys(r.Sections) {
		s := r.Sections[key]
		scan(&s.Text, key, "/sections/"+ptrKey(key)+"/text", "avsnittet "+quote(s.Heading))
		r.Sections[key] = s
	}
	for i := range r.ExtraSections {
		s := &r.ExtraSections[i]
		scan(&s.Text, s.Heading, "/extra_sections/"+itoa(i)+"/text", "avsnittet "+quote(s.Heading))
	}
	if r.Anchoring != nil {
		scan(r.Anchoring.How, "anchoring", "/anchoring/how", "svaret om förankring")
	}
	if r.ExpectedParticipants != nil {
		scan(&r.ExpectedParticipants.Text, "expected_participants", "/expected_participants/text", "antalet deltagare")
	}
	if r.Owner != nil {
		for i := range r.Owner.Units {
			scan(&r.Owner.Units[i], "owner", "/owner/units/"+itoa(i), "insatsägarens enheter")
		}
	}
	for i := range r.Signatures {
		s := &r.Signatures[i]
		scan(s.Name, orEmpty(s.Organisation), "/signatures/"+itoa(i)+"/name", "ett namnförtydligande")
	}
	if b := r.Budget; b != nil {
		eachLine(b, func(ln lineRef) {
			scan(&ln.line.Label, ln.line.Label, ln.path+"/label", "en budgetrad")
		})
	}
	return out
}

func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func itoa(i int) string { return strconv.Itoa(i) }
