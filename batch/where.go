package batch

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/finsam/ansokan/schema"
)

// The register speaks to a förbund officer: severities, sections and
// places in the application in Swedish, as the form calls them.

// severityLabel is a severity as the register shows it.
var severityLabel = map[string]string{
	schema.SeverityError:   "fel",
	schema.SeverityWarning: "varning",
	schema.SeverityInfo:    "info",
}

// sectionLabel names each section key as the form does, for a section
// the record has no heading for (typically a missing one).
var sectionLabel = map[string]string{
	schema.SectionPurpose:     "Syfte",
	schema.SectionGoals:       "Mål",
	schema.SectionBackground:  "Bakgrund",
	schema.SectionTargetGroup: "Målgrupp",
	schema.SectionMethods:     "Metod",
	schema.SectionEvaluation:  "Uppföljning och utvärdering",
	schema.SectionResultsUse:  "Tillvaratagande av resultat",
	schema.SectionBudgetText:  "Budget",
	schema.SectionAgreement:   "Överenskommelse",
}

// fieldLabel names the record's fields where a JSON Pointer ends in one.
var fieldLabel = map[string]string{
	"date": "datum", "name": "namnförtydligande", "email": "e-post", "organisation": "organisation",
	"role": "roll", "electronic": "e-signatur", "handwritten": "handskriven underskrift", "digital": "digital signatur",
	"verification": "signeringstjänstens verifikat", "service": "signeringstjänst", "page": "sida", "signed_at": "signerad",
	"intact": "oförändrad", "covers_document": "täcker dokumentet", "changed_after": "ändrat efter underskriften",
	"trusted": "betrodd", "certificate_valid": "certifikatet giltigt", "signer": "undertecknare", "issuer": "utfärdare",
	"start": "startdatum", "end": "slutdatum", "intake_end": "slutdatum för intag",
	"count": "antal", "per_year": "per år", "text": "text", "heading": "rubrik", "units": "enheter",
	"discussed": "diskuterad i lokal utvecklingsgrupp", "how": "hur och när",
	"label": "benämning", "percent": "procent", "from": "från", "to": "till", "total": "totalt", "amounts": "belopp",
	"unit_stated": "angiven enhet", "unit": "enhet", "parties": "parter", "sum": "summa",
	"requested": "sökt", "own_financing": "egenfinansiering", "other": "övrigt",
	"pages": "sidor", "sha256": "kontrollsumma", "format": "format", "bytes": "storlek",
}

var costGroupLabel = map[string]string{"salaries": "lönekostnader", "premises": "lokalkostnader", "other": "övriga kostnader"}

// sectionName is what the form calls a section: the heading as written
// in the application when the record has it, else the key's label.
func sectionName(r *schema.Record, key string) string {
	if s, ok := r.Sections[key]; ok && strings.TrimSpace(s.Heading) != "" {
		return s.Heading
	}
	return cmp.Or(sectionLabel[key], key)
}

// subjectLabel is a finding's subject for the register's "Gäller"
// column: a section key becomes the section's name, the parts an
// uncertain reading names become Swedish; organisations and budget row
// labels stay as written.
func subjectLabel(r *schema.Record, f schema.Finding) string {
	if f.Subject == nil {
		return ""
	}
	s := *f.Subject
	switch {
	case sectionLabel[s] != "":
		return sectionName(r, s)
	case s == "signatures":
		return "Underskrifter"
	case s == "budget":
		return "Budget"
	case strings.HasPrefix(s, "page "):
		return "Sida " + strings.TrimPrefix(s, "page ")
	}
	return s
}

// pointerTokens splits a JSON Pointer (RFC 6901) into its unescaped
// reference tokens.
func pointerTokens(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks
}

// index reads an array index token; -1 when it is none.
func index(tok string) int {
	n, err := strconv.Atoi(tok)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// nth is "what N" for the array index tok, counting from 1.
func nth(what, tok string) string {
	if i := index(tok); i >= 0 {
		return fmt.Sprintf("%s %d", what, i+1)
	}
	return what + " " + tok
}

// fields names the rest of a pointer, field by field.
func fields(toks []string) []string {
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, cmp.Or(fieldLabel[t], strings.ReplaceAll(t, "_", " ")))
	}
	return out
}

// Where is where for other packages: the alert e-mails of package
// notify name a finding's place as the register does.
func Where(r *schema.Record, f schema.Finding) string { return where(r, f) }

// where says in words where in the application a finding's JSON Pointer
// points ("Underskrift 2, datum", "Budget, lönekostnader rad 3, Region
// Uppsala", "Avsnitt: Syfte"), and where in the source it was seen when
// the evidence says ("sida 3", "blad Budget, cell A7", "stycke 96").
func where(r *schema.Record, f schema.Finding) string {
	s := describePointer(r, f.Path)
	if e := f.Evidence; e != nil {
		var at string
		switch {
		case e.Page != nil:
			at = fmt.Sprintf("sida %d", *e.Page)
		case e.Cell != "" && e.Sheet != "":
			at = fmt.Sprintf("blad %s, cell %s", e.Sheet, e.Cell)
		case e.Cell != "":
			at = "cell " + e.Cell
		case e.Sheet != "":
			at = "blad " + e.Sheet
		case e.Paragraph != nil:
			at = fmt.Sprintf("stycke %d", *e.Paragraph)
		}
		if at != "" {
			s += " (" + at + ")"
		}
	}
	return s
}

// describePointer names the place a JSON Pointer into the record points
// at, using the record for the names behind indexes.
func describePointer(r *schema.Record, ptr string) string {
	toks := pointerTokens(ptr)
	if len(toks) == 0 {
		return "Hela ansökan"
	}
	head, rest := toks[0], toks[1:]
	var parts []string
	switch head {
	case "source":
		parts = []string{"Filer"}
		if len(rest) >= 2 && rest[0] == "files" {
			parts = []string{nth("Fil", rest[1])}
			if i := index(rest[1]); i >= 0 && i < len(r.Source.Files) {
				parts[0] = "Fil " + cmp.Or(r.Source.Files[i].Path, r.Source.Files[i].Name)
			}
			rest = rest[2:]
		} else {
			rest = nil
		}
	case "title":
		parts = []string{"Insatsens namn"}
	case "owner":
		parts = []string{"Insatsägare"}
		if len(rest) > 0 && rest[0] == "organisation" {
			rest = rest[1:]
		}
	case "partners":
		parts = []string{"Samverkansparter"}
		if len(rest) > 0 {
			parts = []string{nth("Samverkanspart", rest[0])}
			if i := index(rest[0]); i >= 0 && i < len(r.Partners) {
				parts = append(parts, r.Partners[i].Organisation)
			}
			rest = rest[1:]
			if len(rest) > 0 && rest[0] == "organisation" {
				rest = rest[1:]
			}
		}
	case "period":
		parts = []string{"Planerad insatstid"}
	case "expected_participants":
		parts = []string{"Förväntat antal deltagare"}
	case "requested_amount_sek":
		parts = []string{"Ansökt belopp"}
	case "anchoring":
		parts = []string{"Lokal förankring"}
	case "sections":
		parts = []string{"Avsnitt"}
		if len(rest) > 0 {
			parts = []string{"Avsnitt: " + sectionName(r, rest[0])}
			rest = rest[1:]
			if len(rest) == 1 && rest[0] == "text" {
				rest = nil // the section is its text
			}
		}
	case "extra_sections":
		parts = []string{"Egna avsnitt"}
		if len(rest) > 0 {
			parts = []string{nth("Eget avsnitt", rest[0])}
			if i := index(rest[0]); i >= 0 && i < len(r.ExtraSections) {
				parts = []string{"Avsnitt: " + r.ExtraSections[i].Heading}
			}
			rest = rest[1:]
			if len(rest) == 1 && rest[0] == "text" {
				rest = nil
			}
		}
	case "signatures":
		parts = []string{"Underskrifter"}
		if len(rest) > 0 {
			parts = []string{nth("Underskrift", rest[0])}
			rest = rest[1:]
		}
	case "digital_signatures":
		parts = []string{"Digitala signaturer"}
		if len(rest) > 0 {
			parts = []string{nth("Digital signatur", rest[0])}
			rest = rest[1:]
		}
	case "verification_signers":
		parts = []string{"Signerare enligt verifikat"}
		if len(rest) > 0 {
			parts = []string{nth("Signerare enligt verifikat", rest[0])}
			rest = rest[1:]
		}
	case "budget":
		parts, rest = budgetPlace(r, rest)
	default:
		parts = fields([]string{head})
		parts[0] = strings.ToUpper(parts[0][:1]) + parts[0][1:]
	}
	return strings.Join(append(parts, fields(rest)...), ", ")
}

// budgetPlace names a place in the budget: "Budget, lönekostnader rad
// 3", "Budget, egenfinansiering, lokalkostnader, summa", "Budget, total
// kostnad"; it returns what of the pointer is left (a field, a party).
func budgetPlace(r *schema.Record, toks []string) ([]string, []string) {
	parts := []string{"Budget"}
	if len(toks) == 0 {
		return parts, nil
	}
	switch head, rest := toks[0], toks[1:]; head {
	case "requested", "own_financing":
		if head == "own_financing" {
			parts = append(parts, "egenfinansiering")
		} else if len(rest) == 0 {
			parts = append(parts, "sökta medel")
		}
		if len(rest) == 0 {
			return parts, nil
		}
		group := cmp.Or(costGroupLabel[rest[0]], rest[0])
		rest = rest[1:]
		switch {
		case len(rest) >= 2 && rest[0] == "lines":
			group = nth(group+" rad", rest[1])
			rest = rest[2:]
		case len(rest) >= 1 && rest[0] == "lines":
			rest = rest[1:]
		}
		parts = append(parts, group)
		if len(rest) > 0 && rest[0] == "amounts" {
			rest = rest[1:]
		}
		return parts, rest
	case "requested_total", "own_financing_total", "total_cost":
		parts = append(parts, map[string]string{
			"requested_total": "totalt från Samordningsförbundet", "own_financing_total": "summa egenfinansiering", "total_cost": "total kostnad",
		}[head])
		if len(rest) > 0 && rest[0] == "amounts" {
			rest = rest[1:]
		}
		return parts, rest
	case "summary":
		parts = append(parts, "budgetsammanställning")
		if len(rest) > 0 {
			if i := index(rest[0]); r.Budget != nil && i >= 0 && i < len(r.Budget.Summary) {
				parts = append(parts, r.Budget.Summary[i].Party)
			} else {
				parts = append(parts, nth("rad", rest[0]))
			}
			rest = rest[1:]
		}
		return parts, rest
	case "period":
		return append(parts, "period"), rest
	case "parties":
		parts = append(parts, "parter")
		if len(rest) > 0 {
			if i := index(rest[0]); r.Budget != nil && i >= 0 && i < len(r.Budget.Parties) {
				parts = append(parts, r.Budget.Parties[i])
			} else {
				parts = append(parts, nth("kolumn", rest[0]))
			}
			rest = rest[1:]
		}
		return parts, rest
	default:
		return parts, toks
	}
}
