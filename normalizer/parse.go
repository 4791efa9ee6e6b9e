package normalizer

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/layout"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// part is a run of items under one heading.
type part struct {
	m        match
	items    []item
	loc      srcLoc
	strength int      // the layout strength of its heading
	maybe    []string // for an extra section: the keys its heading may name
	how      reading  // how its heading was read (profile check)
}

// form is what one document says, before it becomes a record.
type form struct {
	doc        *extractor.Document
	parts      []*part // in document order; fields and sections
	extras     []*part // headings the profile does not know
	signatures []sigBlock
	sigDoubts  []sigDoubt // signature readings that may be wrong
	electronic bool
	tables     []BudgetTable
	items      []item  // the whole body, for fields stated in prose
	order      []*part // parts and extras in document order
}

// first returns the part opened by the given field (and key): the first
// one that holds an answer, else the first. A later answered part never
// loses to an earlier empty one.
func (f *form) first(field, key string) *part {
	var empty *part
	for _, p := range f.parts {
		if p.m.field != field || p.m.key != key {
			continue
		}
		if p.answered() {
			return p
		}
		if empty == nil {
			empty = p
		}
	}
	return empty
}

// all returns every part opened by the given field (and key), in order.
func (f *form) all(field, key string) []*part {
	var out []*part
	for _, p := range f.parts {
		if p.m.field == field && p.m.key == key {
			out = append(out, p)
		}
	}
	return out
}

// answered tells whether a part holds any text.
func (p *part) answered() bool {
	for _, it := range p.items {
		if strings.TrimSpace(it.text) != "" && !reStampLine().MatchString(strings.TrimSpace(it.text)) {
			return true
		}
	}
	return false
}

// inlines returns every inline label found anywhere, in order.
func (f *form) inlines(field string) []*part {
	var out []*part
	for _, p := range f.parts {
		if p.m.field == field {
			out = append(out, p)
		}
	}
	return out
}

var reStampLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*v:\s?\d{2}-\d{2}-\d{2}\s*$`) })

// parseForm walks a document's items and cuts them into parts. A part
// starts at every heading: one the profile names (exact), one whose
// words the lexicon places (a field or section key), or one that only
// looks like a heading (an extra section). See README "How headings are
// found".
func parseForm(doc *extractor.Document, p *profile.Profile) *form {
	items, litems, tables := flatten(doc)
	f := &form{doc: doc, tables: tables, items: items}
	r := &reader{m: newMatcher(p), lx: defaultLexicon, items: items, litems: litems}
	if p.StrictHeadings {
		r.lx = nil
	}
	f.electronic = hasESign(doc)

	var (
		cur         *part
		inAgreement bool
		sig         *sigParser
		grids       map[int]*layout.Grid // the tables' structure, read once the signatures start
	)
	opened := map[string]bool{} // targets a heading has opened
	for i := 0; i < len(items); i++ {
		it := items[i]
		text := strings.TrimSpace(it.text)
		if reStampLine().MatchString(text) {
			continue // a template version stamp in the body
		}
		if esignLine(text) {
			f.electronic = true
			continue
		}
		h := r.read(i)
		isHeading := h.kind == knownHeading
		hm := h.m
		if sig != nil {
			// A signature table is read by its structure, as a whole.
			if g := grids[it.table]; it.table != 0 && g != nil && i == g.First && sig.table(items, litems, g) {
				i = g.Last
				continue
			}
			// In the signature pages only signature labels and values count;
			// the repeated "Insatsens namn" header of each page is skipped.
			if isHeading && hm.field == fieldTitle && h.exact {
				sig.skipValue = true
				continue
			}
			if isHeading && hm.field == fieldSignature && h.exact {
				sig.start(it)
				continue
			}
			sig.feed(it, text)
			continue
		}
		if inAgreement && (r.m.isSubheading(text) || !h.exact && !(isHeading && hm.field == fieldSignature && h.strong)) {
			// The agreement's own sub-headings ("Kostnader", "Underskrifter")
			// and whatever else looks like a heading in it are its text; only
			// a heading the profile names ends it, or the signatures' own
			// heading (strong, not one of its sub-headings).
			cur.items = append(cur.items, it)
			continue
		}
		if isHeading && hm.field == fieldSignature && (h.exact || h.strong) {
			cur = nil
			inAgreement = false
			sig = newSigParser()
			sig.start(it)
			grids = layout.Tables(litems)
			if g := grids[it.table]; it.table != 0 && g != nil {
				// The heading is a cell of a signature table ("Underskrift"
				// inside the party's table): read the table from its start.
				i = g.First - 1
			}
			continue
		}
		if isHeading && hm.field != fieldSignature {
			t := hm.target()
			if h.pair && cur != nil && cur.m.target() == t {
				cur.items = append(cur.items, it) // "Period: …" under the period heading
				continue
			}
			if cur != nil && cur.m.field != fieldSection && cur.m.field != "" && !cur.answered() && !h.exact && !h.strong && !h.pair {
				// The answer to a field's label just read ("Insatsens namn",
				// then "Ny start – unga vuxna"): an unformatted line that
				// merely reads like a label is the value, not a heading.
				cur.items = append(cur.items, it)
				continue
			}
			if hm.inline() || h.pair {
				// A label with its answer: record it apart. Inside a section
				// the line stays in the section's text too; a field's part
				// (title, owner, …) ends at another field's label.
				lp := &part{m: hm, loc: it.loc, how: h}
				switch {
				case hm.rest != "":
					lp.items = []item{withText(it, hm.rest)}
				case h.value >= 0:
					lp.items = []item{items[h.value]}
				case i+1 < len(items):
					lp.items = []item{items[i+1]}
				}
				f.parts = append(f.parts, lp)
				f.order = append(f.order, lp)
				opened[t] = true
				if cur != nil && cur.m.field == fieldSection {
					cur.items = append(cur.items, it)
				} else if cur != nil && cur.m.field != "" {
					cur = nil
				}
				continue
			}
			if cur != nil && cur.m.target() == t && (cur.answered() || !h.strong || strings.HasSuffix(text, ":")) {
				// A sub-label of the answer that is open ("Mål:" inside the
				// goals): part of the answer.
				cur.items = append(cur.items, it)
				continue
			}
			if opened[t] && !h.exact && !h.strong {
				// A weak candidate for a key already read: part of the answer.
				if cur != nil {
					cur.items = append(cur.items, it)
				}
				continue
			}
			cur = &part{m: hm, loc: it.loc, strength: h.strength, how: h}
			f.parts = append(f.parts, cur)
			f.order = append(f.order, cur)
			opened[t] = true
			if hm.rest == "" && i+1 < len(items) && continuesHeading(hm.written, items[i+1].text) {
				// "9. Uppföljning och" / "utvärdering": a heading broken over
				// two lines or rows.
				cur.m.written += " " + cleanText(items[i+1].text)
				i++
			}
			inAgreement = hm.field == fieldSection && hm.key == schema.SectionAgreement
			if hm.rest != "" {
				cur.items = append(cur.items, withText(it, hm.rest))
			}
			continue
		}
		if h.kind == unknownHeading && cur != nil {
			// A heading the profile and the lexicon do not know: a section
			// of the applicant's own.
			cur = &part{m: match{written: withNumber(it, text)}, loc: it.loc, strength: h.strength, maybe: h.maybe, how: h}
			f.extras = append(f.extras, cur)
			f.order = append(f.order, cur)
			continue
		}
		if cur == nil {
			continue // the template's intro before the first heading
		}
		cur.items = append(cur.items, it)
	}
	if sig != nil {
		f.signatures = sig.finish()
		sig.finishDoubts()
		f.sigDoubts = sig.doubts
	}
	return f
}

// continuesHeading tells whether next finishes a heading broken after a
// conjunction or preposition: a short line that starts in lower case.
func continuesHeading(written, next string) bool {
	words := strings.Fields(written)
	if len(words) == 0 {
		return false
	}
	switch strings.ToLower(words[len(words)-1]) {
	case "och", "eller", "samt", "för", "av", "till", "med", "i", "på", "om", "inom", "efter":
	default:
		return false
	}
	next = strings.TrimSpace(next)
	r, _ := utf8.DecodeRuneInString(next)
	return unicode.IsLower(r) && utf8.RuneCountInString(next) <= 60 && !strings.ContainsAny(next, ".\n")
}

func withText(it item, text string) item {
	it.text = text
	return it
}

// esignMarkers are the traces e-signature services leave on a document.
var esignMarkers = []string{
	"sign.visma.net", "vismasign", "electronically signed", "sähköisesti allekirjoitettu",
	"elektroniskt signerats", "scrive.com", "signerat med scrive", "assently", "signed with assently",
	"verifikat", "signerat elektroniskt", "e-signerat", "docusign",
}

func esignLine(s string) bool {
	low := strings.ToLower(s)
	for _, m := range esignMarkers {
		if strings.Contains(low, m) {
			return true
		}
	}
	return false
}

func hasESign(doc *extractor.Document) bool {
	for _, b := range doc.Furniture {
		if b.Furniture == extractor.FurnitureESign || esignLine(b.Text) {
			return true
		}
	}
	return false
}

// sectionText renders a part's items as the contract's section text:
// paragraphs joined by a blank line, list items as lines of their own
// starting with "- " (or their number).
func sectionText(items []item) string {
	var b strings.Builder
	prevList := false
	for _, it := range items {
		text := strings.TrimSpace(it.text)
		if text == "" || reStampLine().MatchString(text) {
			continue
		}
		isList := it.marker != ""
		if b.Len() > 0 {
			if isList && prevList {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		if isList {
			b.WriteString(strings.Repeat("  ", it.listLevel))
			if isBullet(it.marker) {
				b.WriteString("- ")
			} else {
				b.WriteString(it.marker + " ")
			}
		}
		b.WriteString(cleanText(text))
		prevList = isList
	}
	return b.String()
}

func isBullet(marker string) bool {
	switch marker {
	case "•", "-", "–", "◦", "▪", "", "o", "·", "*", "■", "□", "➢", "✓":
		return true
	}
	return false
}

// cleanText folds the spaces of a paragraph: non-breaking and narrow
// spaces become plain ones, runs of spaces and tabs collapse, soft line
// breaks stay.
func cleanText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.Map(func(r rune) rune {
			switch r {
			case '\u00a0', '\u202f', '\u2009', '\t':
				return ' '
			}
			return r
		}, l)
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// lines returns the items' text split into trimmed non-empty lines.
func lines(items []item) []string {
	var out []string
	for _, it := range items {
		for _, l := range strings.Split(cleanText(it.text), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
	}
	return out
}
