package normalizer

import (
	"cmp"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/finsam/ansokan/layout"
)

// sigBlock is one signature block as written.
type sigBlock struct {
	role    string // "owner", "partner" or "" when no label says
	orgText string // the organisation as written
	org     string // canonical, when recognised
	date    *Date
	dateRaw string
	name    string
	email   string
	loc     srcLoc
	nameLoc srcLoc
	sign    signRef // where the signature itself goes (handwritten.go)
}

// signRef is the label of a block's signature (Underskrift, Namnteckning,
// a "(namn)" line): the item it is, and in a table the grid column and
// row the signature goes in.
type signRef struct {
	at       int  // the label item's index + 1; 0: no label seen
	col, row int  // table: the value's grid column and row; -1 when the signature goes under the label
	heading  bool // the "Underskrift" heading over the whole block, a weaker clue than a label
}

func labelRef(it item) signRef { return signRef{at: it.idx + 1, col: -1, row: -1} }

// setSign records a signature label for the block: a label outranks the
// heading over the block, and the block's first label stays (a later
// "Underskrift" the reader did not take for the next block's heading —
// an OCR'd "Underskrift (\")" — is not this block's).
func (b *sigBlock) setSign(r signRef) {
	if b.sign.at == 0 || b.sign.heading && !r.heading {
		b.sign = r
	}
}

// sigDoubt is a signature reading that may be wrong: the checks report
// it as extraction.uncertain instead of the findings the misreading
// would give.
type sigDoubt struct {
	loc  srcLoc
	what string // Swedish, e.g. "underskriftsblock 2 saknar organisation"
}

// sigParser reads the signature pages: a sequence of blocks, each a run
// of labels ("Organisation och datum", "Insatsägare (namnförtydligande)",
// "E-post") each followed by its value, in a table or as paragraphs.
type sigParser struct {
	blocks    []sigBlock
	doubts    []sigDoubt
	cur       *sigBlock
	pending   string // the label waiting for its value
	skipValue bool   // the next value is the repeated insats name: ignore it
}

func newSigParser() *sigParser { return &sigParser{} }

// Signature labels, folded by labelKey.
const (
	sigOrgDate  = "orgdate"
	sigOrg      = "org"
	sigDate     = "date"
	sigSign     = "sign" // the signature itself: Underskrift, Namnteckning
	sigNameSign = "namn" // "Namn": the signature line in the 2019 form, the printed name in a table
	sigName     = "name"
	sigEmail    = "email"
	sigTitle    = "title"
	sigRole     = "role"    // a bare role ("Samverkanspart"); with a value, the organisation
	sigRoleCol  = "rolecol" // "Roll": the value names the role
	sigOther    = "other"   // known but not kept: Telefon, Ort
	sigRoleNone = ""
)

// sigLabel recognises a signature label; it returns the label kind, the
// role it implies and any value on the same line.
func sigLabel(text string) (kind, role, rest string, ok bool) {
	label, value, hasColon := strings.Cut(text, ":")
	key := labelKey(label)
	if !hasColon {
		key = labelKey(text)
		value = ""
	}
	role = sigRoleNone
	for _, p := range sigRoles {
		if strings.HasPrefix(key, p.prefix) {
			role = p.role
			key = strings.TrimPrefix(key, p.prefix)
			break
		}
	}
	value = strings.TrimSpace(value)
	switch key {
	case "organisationochdatum", "organisationdatum", "organisationochort", "ortochdatum":
		return sigOrgDate, role, value, true
	case "organisation":
		if role != "" || value == "" {
			return sigOrg, role, value, true
		}
		return sigOrg, role, value, true
	case "datum", "underskriftsdatum", "ortdatum":
		return sigDate, role, value, true
	case "namn":
		return sigNameSign, role, value, true
	case "underskrift", "namnteckning", "signatur", "underskrifter":
		return sigSign, role, value, true
	case "namnförtydligande", "namnfortydligande", "förtydligande":
		return sigName, role, value, true
	case "epost", "email", "mejl", "epostadress", "mail":
		return sigEmail, role, value, true
	case "titel", "befattning", "tjänst", "funktion":
		return sigTitle, role, value, true
	case "roll", "part", "partsroll":
		if role == "" {
			return sigRoleCol, role, value, true
		}
	case "telefon", "tel", "telefonnummer", "mobil", "ort", "adress", "organisationsnummer", "orgnr":
		return sigOther, role, value, true
	case "":
		if role != "" && value == "" {
			// A bare role heading over a block: "Projektägare", "Samverkanspart".
			return sigRole, role, "", true
		}
	}
	return "", "", "", false
}

// sigRoles are the words of a role, longest first where one starts
// another.
var sigRoles = []struct{ prefix, role string }{
	{"huvudinsatsägare", "owner"}, {"insatsägare", "owner"}, {"projektägare", "owner"}, {"huvudman", "owner"},
	{"huvudsökande", "owner"}, {"sökandeorganisation", "owner"}, {"sökande", "owner"},
	{"samverkansparter", "partner"}, {"samverkanspart", "partner"}, {"delinsatsägare", "partner"},
	{"medsökande", "partner"}, {"medverkandepart", "partner"},
}

// roleOf reads a role from a value or caption ("Sökande",
// "Samverkanspart 2"); "" when it names none.
func roleOf(text string) string {
	key := labelKey(text)
	for _, p := range sigRoles {
		if strings.HasPrefix(key, p.prefix) && len(key)-len(p.prefix) <= 4 {
			return p.role
		}
	}
	return ""
}

// start opens a new block at an "Underskrift" heading.
func (s *sigParser) start(it item) {
	s.flush()
	s.cur = &sigBlock{loc: it.loc}
	r := labelRef(it)
	r.heading = true
	s.cur.setSign(r)
	s.pending = ""
}

func (b *sigBlock) hasContent() bool {
	return b.orgText != "" || b.name != "" || b.email != ""
}

func (s *sigParser) flush() {
	if s.cur != nil && (s.cur.hasContent() || s.cur.role != "") {
		s.blocks = append(s.blocks, *s.cur)
	}
	s.cur = nil
}

func (s *sigParser) feed(it item, text string) {
	if kind, role, rest, ok := sigLabel(text); ok {
		s.skipValue = false
		// A template without "Underskrift" headings: a role heading, or an
		// organisation label when the block already has one, starts the
		// next block.
		if s.cur == nil || (kind == sigRole && s.cur.hasContent()) ||
			((kind == sigOrgDate || kind == sigOrg) && s.cur.orgText != "") {
			s.flush()
			s.cur = &sigBlock{loc: it.loc}
		}
		if role != "" && s.cur.role == "" {
			s.cur.role = role
		}
		if (kind == sigSign || kind == sigNameSign) && rest == "" {
			s.cur.setSign(labelRef(it))
		}
		s.pending = kind
		if kind == sigRole {
			s.pending = ""
		}
		if rest != "" {
			s.value(it, rest)
		}
		return
	}
	if s.skipValue {
		s.skipValue = false
		return
	}
	if s.cur == nil || s.pending == "" {
		return
	}
	s.value(it, text)
}

// value assigns text to the pending label.
func (s *sigParser) value(it item, text string) {
	s.cur.set(s.pending, it.loc, text, false)
	s.pending = ""
}

// set assigns the value of a label of the given kind. In a table
// (inTable) a "Namn" cell with text is the printed name unless a
// Namnförtydligande says otherwise; in the 2019 form it is the signature
// line.
func (b *sigBlock) set(kind string, loc srcLoc, text string, inTable bool) {
	text = cleanText(text)
	if text == "" {
		return
	}
	switch kind {
	case sigOrgDate, sigOrg:
		orgText, dateRaw, date := splitOrgDate(text)
		if kind == sigOrg && inTable && date == nil {
			orgText = strings.Join(strings.Fields(text), " ")
		}
		if orgText == "" && date != nil {
			// Only a date under the organisation's label.
			if b.date == nil {
				b.date, b.dateRaw = date, dateRaw
			}
			return
		}
		b.loc = loc
		b.orgText = orgText
		if date != nil || b.date == nil {
			b.dateRaw, b.date = dateRaw, date
		}
		b.org = ""
		if org, ok := CanonicalOrganisation(b.orgText); ok {
			b.org = org
		}
	case sigDate:
		if ds := FindDates(text); len(ds) > 0 {
			d := ds[0].Date
			b.date, b.dateRaw = &d, ds[0].Text
		} else {
			b.dateRaw = text
		}
	case sigNameSign:
		if inTable && b.name == "" {
			b.name = strings.Join(strings.Fields(text), " ")
			b.nameLoc = loc
		}
	case sigName:
		b.name = strings.Join(strings.Fields(text), " ")
		b.nameLoc = loc
	case sigTitle:
		// A Befattning of its own is not part of the printed name (the
		// contract: the namnförtydligande as written); the record has no
		// field for it.
	case sigEmail:
		b.email = strings.TrimSpace(strings.TrimPrefix(text, "mailto:"))
		if inTable {
			// A PDF cell breaks a long address over lines.
			b.email = strings.Join(strings.Fields(b.email), "")
		}
	case sigRole, sigRoleCol:
		if r := roleOf(text); r != "" && b.role == "" {
			b.role = r
		}
	}
}

// splitOrgDate splits "Region Uppsala 2022-06-" into the organisation as
// written and the date.
func splitOrgDate(text string) (org, dateRaw string, date *Date) {
	ds := FindDates(text)
	if len(ds) == 0 {
		return strings.TrimSpace(strings.TrimRight(text, ", ")), "", nil
	}
	d := ds[0]
	org = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(text[:d.Start]), ",;"))
	if org == "" {
		org = strings.TrimSpace(text[d.End:])
	}
	dd := d.Date
	return org, d.Text, &dd
}

func (s *sigParser) finish() []sigBlock {
	s.flush()
	return s.blocks
}

// sigCell is one cell of a signature table: its text and where it is.
type sigCell struct {
	text string
	loc  srcLoc
}

// cellAt returns the cell of the grid at row and column.
func cellAt(items []item, litems []layout.Item, g *layout.Grid, row, col int) (sigCell, bool) {
	i, ok := g.At(row, col)
	if !ok {
		return sigCell{}, false
	}
	return sigCell{text: g.Text(litems, row, col), loc: items[i].loc}, true
}

// table reads a signature table by its structure (see layout.Shape): a
// label column with N value columns gives N blocks side by side, a header
// row over data rows a block per row, a two-column label/value table one
// block, blocks side by side one per column. The table is each block's
// boundary. It returns false for a table of another shape, which the
// caller reads as a stream of labels and values.
func (s *sigParser) table(items []item, litems []layout.Item, g *layout.Grid) bool {
	switch g.Shape {
	case layout.ShapeLabelValue, layout.ShapeLabelColumns, layout.ShapeHeaderRows, layout.ShapeSideBySide:
	default:
		return false
	}
	// What stands open above the table (an "Underskrift" heading, a role
	// caption such as "Projektägare") names the table's blocks.
	captionRole := ""
	var captionLoc srcLoc
	if s.cur != nil && !s.cur.hasContent() {
		captionRole, captionLoc = s.cur.role, s.cur.loc
	}
	if g.Caption >= 0 {
		if c, ok := cellAt(items, litems, g, g.Caption, g.Cols[0]); ok {
			if r := roleOf(c.text); r != "" {
				captionRole = r
			} else if _, role, _, ok := sigLabel(c.text); ok && role != "" {
				captionRole = role
			}
			captionLoc = c.loc
		}
	}
	var blocks []sigBlock
	var unmapped []string
	mapped := 0
	label := func(text string) (kind, role string, ok bool) {
		kind, role, _, ok = sigLabel(strings.TrimSpace(text))
		if !ok {
			if t := strings.Join(strings.Fields(text), " "); t != "" {
				unmapped = append(unmapped, t)
			}
			return "", "", false
		}
		mapped++
		return kind, role, true
	}
	// put gives a block a labelled value.
	put := func(b *sigBlock, kind, role string, c sigCell) {
		if role != "" && b.role == "" {
			b.role = role
		}
		if b.loc.file == "" {
			b.loc = c.loc
		}
		if kind == sigRole {
			// "Insatsägare | Mora kommun": the role's organisation.
			kind = sigOrg
		}
		b.set(kind, c.loc, c.text, true)
	}
	switch g.Shape {
	case layout.ShapeLabelValue:
		b := sigBlock{}
		value := g.Cols[len(g.Cols)-1]
		for _, r := range g.Rows {
			if r == g.Caption {
				continue
			}
			lc, _ := cellAt(items, litems, g, r, g.LabelCol)
			kind, role, ok := label(lc.text)
			if !ok {
				continue
			}
			if role != "" && b.role == "" {
				b.role = role
			}
			vc, ok := cellAt(items, litems, g, r, value)
			if ok {
				put(&b, kind, role, vc)
			}
			if li, has := g.At(r, g.LabelCol); has && (kind == sigSign || kind == sigNameSign && !ok) {
				b.setSign(signRef{at: li + 1, col: value, row: r})
			}
		}
		blocks = append(blocks, b)
	case layout.ShapeLabelColumns:
		cols := g.Cols[1:]
		blocks = make([]sigBlock, len(cols))
		for _, r := range g.Rows {
			if r == g.Caption {
				continue
			}
			lc, hasLabel := cellAt(items, litems, g, r, g.LabelCol)
			kind, role := "", ""
			switch {
			case r == g.Header && !hasLabel:
				kind = "header" // an empty corner: the header names the parties
			default:
				var ok bool
				if kind, role, ok = label(lc.text); !ok {
					continue
				}
			}
			for k, c := range cols {
				vc, ok := cellAt(items, litems, g, r, c)
				if !ok {
					continue
				}
				if kind == "header" {
					// The parties' columns are named by a role or an
					// organisation.
					if ro := roleOf(vc.text); ro != "" {
						blocks[k].role = ro
						if blocks[k].loc.file == "" {
							blocks[k].loc = vc.loc
						}
						continue
					}
					put(&blocks[k], sigOrg, "", vc)
					continue
				}
				put(&blocks[k], kind, role, vc)
			}
			if li, has := g.At(r, g.LabelCol); has && hasLabel && (kind == sigSign || kind == sigNameSign) {
				for k, c := range cols {
					if _, filled := cellAt(items, litems, g, r, c); kind == sigSign || !filled {
						blocks[k].setSign(signRef{at: li + 1, col: c, row: r})
					}
				}
			}
		}
	case layout.ShapeHeaderRows:
		kinds := map[int][2]string{}
		for _, c := range g.Cols {
			hc, ok := cellAt(items, litems, g, g.Header, c)
			if !ok {
				continue
			}
			if kind, role, ok := label(hc.text); ok {
				kinds[c] = [2]string{kind, role}
			}
		}
		for _, r := range g.Rows {
			if r == g.Header || r == g.Caption {
				continue
			}
			b := sigBlock{}
			for _, c := range g.Cols {
				k, ok := kinds[c]
				if !ok {
					continue
				}
				if vc, ok := cellAt(items, litems, g, r, c); ok {
					put(&b, k[0], k[1], vc)
				}
				if hi, has := g.At(g.Header, c); has && k[0] == sigSign {
					b.setSign(signRef{at: hi + 1, col: c, row: r})
				}
			}
			blocks = append(blocks, b)
		}
	case layout.ShapeSideBySide:
		for _, c := range g.Cols {
			col := newSigParser()
			col.cur = &sigBlock{}
			for _, r := range g.Rows {
				i, ok := g.At(r, c)
				if !ok {
					continue
				}
				for j := i; j <= g.Last; j++ {
					if j > i && (litems[j].First || litems[j].Table != g.Table) {
						break
					}
					if litems[j].Table != g.Table {
						continue
					}
					col.feedCell(items[j])
				}
			}
			blocks = append(blocks, col.finish()...)
		}
		mapped = len(blocks)
	}
	if mapped == 0 {
		// No signature label at all: not a signature table, and no
		// boundary of the block being read.
		return true
	}
	if s.cur != nil && !s.cur.hasContent() {
		s.cur = nil // its heading or caption opened this table
	}
	s.flush()
	s.pending, s.skipValue = "", false
	if len(unmapped) > 0 {
		s.doubts = append(s.doubts, sigDoubt{loc: items[g.First].loc,
			what: "underskriftstabellen har rader som inte kunde tolkas (" + quoteAll(unmapped) + ")"})
	}
	for _, b := range blocks {
		if !b.hasContent() && b.role == "" {
			continue
		}
		if b.role == "" {
			b.role = captionRole
		}
		if b.loc.file == "" {
			b.loc = cmp.Or(captionLoc, items[g.First].loc)
		}
		s.blocks = append(s.blocks, b)
	}
	return true
}

// feedCell reads one paragraph of a side-by-side block: an
// "Underskrift" or a role over the block opens it, the rest is read as a
// stream of labels and values.
func (s *sigParser) feedCell(it item) {
	for _, line := range strings.Split(it.text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		fresh := s.cur != nil && !s.cur.hasContent() && s.pending == ""
		kind, role, _, ok := sigLabel(line)
		switch {
		case fresh && ok && kind == sigSign:
			if line == strings.TrimSpace(it.text) {
				r := labelRef(it)
				r.heading = true
				s.cur.setSign(r)
			}
			continue
		case fresh && ok && kind == sigRole:
			s.cur.role = role
			continue
		case fresh && !ok && s.cur.role == "" && roleOf(line) != "":
			s.cur.role = roleOf(line)
			continue
		}
		s.feed(withText(it, line), line)
		if s.cur != nil {
			s.cur.email = strings.Join(strings.Fields(s.cur.email), "")
		}
	}
}

// finishDoubts adds the doubts the blocks themselves give: a block
// without an organisation.
func (s *sigParser) finishDoubts() {
	for k, b := range s.blocks {
		if b.orgText == "" {
			s.doubts = append(s.doubts, sigDoubt{loc: b.loc, what: "underskriftsblock " + strconv.Itoa(k+1) + " saknar organisation"})
		}
	}
}

func quoteAll(ss []string) string {
	var out []string
	for _, s := range ss {
		out = append(out, quote(s))
	}
	return strings.Join(out, ", ")
}

// restoreAt puts back the "@" of an address under an e-mail label that
// OCR read as one or two other marks ("per.olssonQarbetsformedlingen.se",
// "lars.nystromQQforsakringskassan.se"): a lower-case name, capitals or
// symbols (an address is written in lower case), a lower-case domain
// with a dot. Anything else is returned as it is.
func restoreAt(s string) string {
	if strings.Contains(s, "@") {
		return s
	}
	return misreadAtRe().ReplaceAllString(s, "$1@$3")
}

var misreadAtRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([a-z0-9._%+-]*[a-z0-9])([A-ZÅÄÖ©®]{1,2})([a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,})$`)
})
