package checks

import (
	"strconv"
	"strings"

	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/schema"
)

// Personnummer and samordningsnummer, anywhere in the record.
//
// Run masks every string of the record (package privacy: free text,
// headings, organisations, names, e-mails, budget labels and column
// names, file names, and whatever field is added later) before any check
// runs, so that the findings quote masked text, and once more over the
// finished record, findings included. checkPersonnummer then reports
// what the first pass masked: one finding per place, with its path and
// without the number.

// maskBefore is Run's first pass: the record, and the evidence and page
// lists the findings quote.
func (c *Context) maskBefore(r *schema.Record) {
	c.masked = privacy.MaskValue(r)
	where := make(map[string]schema.Evidence, len(c.Where))
	for p, e := range c.Where {
		privacy.MaskValue(&e)
		where[privacy.Mask(p)] = e
	}
	c.Where = where
	c.Scanned = maskKeys(c.Scanned)
	c.OCR = maskKeys(c.OCR)
	c.Doubtful = maskKeys(c.Doubtful)
}

// maskKeys masks the file names of a page list, as the evidence's are.
func maskKeys(m map[string][]int) map[string][]int {
	out := make(map[string][]int, len(m))
	for f, pages := range m {
		out[privacy.Mask(f)] = pages
	}
	return out
}

// checkPersonnummer reports the places where Run's first pass masked a
// personnummer or samordningsnummer.
func checkPersonnummer(r *schema.Record, c *Context) []schema.Finding {
	var out []schema.Finding
	columns := map[string]bool{} // budget column names reported: they repeat in every amounts map
	for _, p := range c.masked {
		subject, where := describe(r, p, columns)
		if where == "" {
			continue
		}
		n := "Ett personnummer"
		if p.Count > 1 {
			n = itoa(p.Count) + " personnummer"
		}
		out = append(out, c.finding(schema.CodePrivacyPersonnummer, subject, p.Path,
			n+" (eller samordningsnummer) står i "+where+" och har maskerats i posten. Personuppgifter om deltagare eller medarbetare hör inte hemma i ansökan; be sökanden ta bort dem."))
	}
	return out
}

// describe gives a place's subject and, in Swedish, where in the
// application it is ("" for a place not to report: a finding already in
// the record, a budget column name reported before).
func describe(r *schema.Record, p privacy.Place, columns map[string]bool) (subject, where string) {
	tok := tokens(p.Path)
	at := func(i int) string {
		if i < len(tok) {
			return tok[i]
		}
		return ""
	}
	index := func(i int) int {
		n, err := strconv.Atoi(at(i))
		if err != nil {
			return -1
		}
		return n
	}
	switch at(0) {
	case "findings":
		return "", ""
	case "title":
		return "title", "insatsens namn"
	case "sections":
		key := at(1)
		if at(2) == "heading" {
			return key, "rubriken till avsnittet " + quote(r.Sections[key].Heading)
		}
		return key, "avsnittet " + quote(r.Sections[key].Heading)
	case "extra_sections":
		heading := ""
		if i := index(1); i >= 0 && i < len(r.ExtraSections) {
			heading = r.ExtraSections[i].Heading
		}
		if at(2) == "heading" {
			return heading, "en egen rubrik"
		}
		return heading, "avsnittet " + quote(heading)
	case "anchoring":
		return "anchoring", "svaret om förankring"
	case "expected_participants":
		return "expected_participants", "antalet deltagare"
	case "owner":
		if at(1) == "units" {
			return "owner", "insatsägarens enheter"
		}
		return "owner", "namnet på insatsägaren"
	case "partners":
		return "partners", "namnet på en samverkanspart"
	case "signatures":
		org := ""
		if i := index(1); i >= 0 && i < len(r.Signatures) {
			org = orEmpty(r.Signatures[i].Organisation)
		}
		switch at(2) {
		case "name":
			return org, "ett namnförtydligande"
		case "email":
			return org, "en e-postadress i en underskrift"
		case "organisation":
			return org, "organisationens namn i en underskrift"
		}
		return org, "en underskrift"
	case "budget":
		switch {
		case at(1) == "parties", at(1) == "summary" && at(3) == "party", p.Key:
			col := tok[len(tok)-1] // a key: the column's name
			if i := index(2); at(1) == "parties" && i >= 0 && i < len(r.Budget.Parties) {
				col = r.Budget.Parties[i]
			} else if at(1) == "summary" && i >= 0 && i < len(r.Budget.Summary) {
				col = r.Budget.Summary[i].Party
			}
			if columns[col] {
				return "", ""
			}
			columns[col] = true
			return "budget", "en kolumnrubrik i budgeten"
		case at(len(tok)-1) == "label":
			if l := budgetLine(r, p.Path); l != nil {
				return l.Label, "en budgetrad"
			}
			return "budget", "en budgetrad"
		}
		return "budget", "budgeten"
	case "source":
		switch {
		case at(1) == "message":
			return "source", "uppgifterna om e-postmeddelandet"
		case at(len(tok)-1) == "name":
			return "source", "ett filnamn"
		case at(len(tok)-1) == "path":
			return "source", "sökvägen till en fil"
		}
		return "source", "uppgifterna om filerna"
	case "digital_signatures":
		return "digital_signatures", "en digital signatur"
	}
	return at(0), "fältet " + p.Path
}

// budgetLine is the line a path's "/…/lines/N/label" names.
func budgetLine(r *schema.Record, path string) *schema.BudgetLine {
	if r.Budget == nil {
		return nil
	}
	var found *schema.BudgetLine
	eachLine(r.Budget, func(ln lineRef) {
		if ln.path+"/label" == path {
			found = ln.line
		}
	})
	return found
}

// tokens splits a JSON Pointer into its unescaped reference tokens.
func tokens(ptr string) []string {
	if ptr == "" {
		return nil
	}
	ts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, t := range ts {
		ts[i] = pointerUnescaper.Replace(t)
	}
	return ts
}

var pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")

func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func itoa(i int) string { return strconv.Itoa(i) }
