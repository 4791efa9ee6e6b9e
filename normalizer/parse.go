package normalizer

import (
	"strings"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/profile"
)

// part is a run of items under one heading.
type part struct {
	m     match
	items []item
	loc   srcLoc
}

// form is what one document says, before it becomes a record.
type form struct {
	doc        *extractor.Document
	parts      []*part // in document order; fields and sections
	extras     []*part // headings the profile does not know
	signatures []sigBlock
	electronic bool
	tables     []BudgetTable
}

// first returns the first part opened by the given field (and key).
func (f *form) first(field, key string) *part {
	for _, p := range f.parts {
		if p.m.field == field && p.m.key == key {
			return p
		}
	}
	return nil
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

var reStampLine = lazyRegexp(`^\s*v:\s?\d{2}-\d{2}-\d{2}\s*$`)

// parseForm walks a document's items and cuts them into parts under
// the profile's headings.
func parseForm(doc *extractor.Document, p *profile.Profile) *form {
	items, tables := flatten(doc)
	f := &form{doc: doc, tables: tables}
	m := newMatcher(p)
	f.electronic = hasESign(doc)

	var (
		cur         *part
		inAgreement bool
		sig         *sigParser
	)
	closeCur := func() { cur = nil }
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
		hm, isHeading := m.match(text)
		if sig != nil {
			// In the signature pages only signature labels and values count;
			// the repeated "Insatsens namn" header of each page is skipped.
			if isHeading && hm.field == fieldTitle {
				sig.skipValue = true
				continue
			}
			if isHeading && hm.field == fieldSignature {
				sig.start(it)
				continue
			}
			sig.feed(it, text)
			continue
		}
		if isHeading && hm.field == fieldSignature {
			closeCur()
			inAgreement = false
			sig = newSigParser()
			sig.start(it)
			continue
		}
		if isHeading && !(inAgreement && m.isSubheading(text)) {
			if hm.inline() {
				// A label with its answer inside a section: record it apart
				// and keep the line in the section's text too.
				lp := &part{m: hm, loc: it.loc}
				if hm.rest != "" {
					lp.items = []item{withText(it, hm.rest)}
				} else if i+1 < len(items) {
					lp.items = []item{items[i+1]}
				}
				f.parts = append(f.parts, lp)
				if cur != nil {
					cur.items = append(cur.items, it)
				}
				continue
			}
			cur = &part{m: hm, loc: it.loc}
			f.parts = append(f.parts, cur)
			inAgreement = hm.field == fieldSection && hm.key == "agreement"
			if hm.rest != "" {
				cur.items = append(cur.items, withText(it, hm.rest))
			}
			continue
		}
		// A heading the profile does not know. Word's heading styles say so
		// exactly; a PDF's level is only a hint from bold or size, and a
		// bold line ending in a colon ("Övergripande mål:", "Effektmål:")
		// labels part of an answer, not a section of its own.
		if !inAgreement && it.level > 0 && cur != nil && len(text) <= maxHeadingRunes && (doc.Format == extractor.FormatDOCX || !strings.HasSuffix(text, ":")) {
			cur = &part{m: match{written: text}, loc: it.loc}
			f.extras = append(f.extras, cur)
			continue
		}
		if cur == nil {
			continue // the template's intro before the first heading
		}
		cur.items = append(cur.items, it)
	}
	if sig != nil {
		f.signatures = sig.finish()
	}
	return f
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
