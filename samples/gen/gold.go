package main

// Ground truth ("gold") for ansokan eval, written from the same data the
// sample writers put into the documents, never from ansokan's output.
// A gdoc wraps a doc: the paragraph helpers write the document and, while
// a section is open, record the same text in the contract's form
// (paragraphs joined by a blank line, list items by a line break,
// bullets as "- ", numbered items as "1. "). The sample writer names the
// section a heading opens (section, extra); any other heading closes it.
// Everything the record holds outside sections (title, parties, period,
// signatures, budget, expected findings) the writer states with the data
// it writes, see gold* below.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

// gblock is one recorded paragraph: a list item or not.
type gblock struct {
	list bool
	text string
}

// gdoc is a doc that records its sections for the gold.
type gdoc struct {
	*doc
	gold   score.Gold
	key    string // the open section's key; "" with extra >= 0 or nothing open
	extra  int    // index into gold.ExtraSections, -1 when none is open
	blocks []gblock
}

func recorded(d *doc) *gdoc {
	return &gdoc{doc: d, extra: -1, gold: score.Gold{Sections: map[string]score.GoldSection{}}}
}

// joinBlocks renders recorded paragraphs as the contract's text.
func joinBlocks(bs []gblock) string {
	var b strings.Builder
	for i, x := range bs {
		if i > 0 {
			if x.list && bs[i-1].list {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(x.text)
	}
	return b.String()
}

// close ends the open section, storing its text.
func (g *gdoc) close() {
	switch {
	case g.key != "":
		g.gold.Sections[g.key] = score.GoldSection{Text: joinBlocks(g.blocks)}
	case g.extra >= 0:
		g.gold.ExtraSections[g.extra].Text = joinBlocks(g.blocks)
	}
	g.key, g.extra, g.blocks = "", -1, nil
}

func (g *gdoc) record(list bool, s string) {
	if g.key != "" || g.extra >= 0 {
		g.blocks = append(g.blocks, gblock{list: list, text: s})
	}
}

// section writes a heading that opens the section key.
func (g *gdoc) section(key string, level int, heading string) {
	g.close()
	g.doc.heading(level, heading)
	g.key = key
}

// extraSection writes a heading the template does not have: an
// extra_sections entry.
func (g *gdoc) extraSection(level int, heading string) {
	g.close()
	g.doc.heading(level, heading)
	g.gold.ExtraSections = append(g.gold.ExtraSections, schema.Section{Heading: heading})
	g.extra = len(g.gold.ExtraSections) - 1
}

// heading writes a heading that is no section's: it closes the open one.
func (g *gdoc) heading(level int, s string) {
	g.close()
	g.doc.heading(level, s)
}

func (g *gdoc) text(s string) {
	g.doc.text(s)
	g.record(false, strings.ReplaceAll(s, "\n", " "))
}

func (g *gdoc) bold(s string) {
	g.doc.bold(s)
	g.record(false, s)
}

func (g *gdoc) bullets(items ...string) {
	g.doc.bullets(items...)
	for _, it := range items {
		g.record(true, "- "+it)
	}
}

func (g *gdoc) directBullets(items ...string) {
	g.doc.directBullets(items...)
	for _, it := range items {
		g.record(true, "- "+it)
	}
}

func (g *gdoc) numbered(numID int, items ...string) {
	g.doc.numbered(numID, items...)
	for i, it := range items {
		g.record(true, fmt.Sprintf("%d. %s", i+1, it))
	}
}

// The template pieces of uppsala.go, wrapped so that they close the open
// section (they write headings through the inner doc).

func (g *gdoc) jaNej(mark string, col int) {
	g.close()
	g.doc.jaNej(mark, col)
}

func (g *gdoc) agreement() {
	g.close()
	g.doc.agreement()
	g.key = schema.SectionAgreement
	g.record(false, "(Texten under hela detta avsnitt skall stå kvar orörd)")
	for _, a := range uppsalaAgreement {
		g.record(false, a[0])
		g.record(false, a[1])
	}
	g.close()
}

func (g *gdoc) signatureBlock(heading string, s signature) {
	g.close()
	g.doc.signatureBlock(heading, s)
}

func (g *gdoc) partnerSignaturePage(title string) {
	g.close()
	g.doc.partnerSignaturePage(title)
}

func (g *gdoc) write(path string) error {
	g.close()
	return g.doc.write(path)
}

// ---------------------------------------------------------------------
// The parts outside sections.

func strp(s string) *string { return &s }
func int64p(n int64) *int64 { return &n }
func boolp(b bool) *bool    { return &b }

// optStr is nil for "", else a pointer: a field the document leaves empty.
func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func goldPartners(orgs ...string) []schema.Partner {
	out := []schema.Partner{}
	for _, o := range orgs {
		out = append(out, schema.Partner{Organisation: o})
	}
	return out
}

func goldPeriod(start, end, intakeEnd string) *schema.Period {
	return &schema.Period{Start: optStr(start), End: optStr(end), IntakeEnd: optStr(intakeEnd)}
}

func goldParticipants(n int, perYear bool, text string) *schema.ExpectedParticipants {
	return &schema.ExpectedParticipants{Count: &n, PerYear: perYear, Text: text}
}

// goldSig is a signature block as the record should hold it: canonical
// organisation, ISO date ("YYYY-MM" without a day, "" for none).
func goldSig(owner bool, org, date, name, email string, electronic bool) schema.Signature {
	role := schema.RolePartner
	if owner {
		role = schema.RoleOwner
	}
	return schema.Signature{Role: role, Organisation: optStr(org), Date: optStr(date), Name: optStr(name),
		Email: optStr(email), Electronic: electronic}
}

func finding(code, subject string) score.GoldFinding {
	return score.GoldFinding{Code: code, Subject: optStr(subject)}
}

// goldBudget is the budget as the record should hold it: every line with
// an amount, each group's Summa, the totals and the summary rows, parties
// by their canonical names (canon[i] for column i; "" for a placeholder
// column such as NAMN, which the record drops).
func (b *budget) goldBudget(canon [4]string) *schema.Budget {
	amounts := func(a [4]int64, zeros bool) map[string]int64 {
		m := map[string]int64{}
		for i, v := range a {
			if canon[i] != "" && (v != 0 || zeros) {
				m[canon[i]] += v
			}
		}
		return m
	}
	group := func(ls []bLine) *schema.CostGroup {
		g := &schema.CostGroup{Lines: []schema.BudgetLine{}}
		for _, l := range ls {
			if l.total() == 0 {
				continue
			}
			g.Lines = append(g.Lines, schema.BudgetLine{Label: l.label, Amounts: amounts(l.amounts, false), Total: int64p(l.total())})
		}
		s := sumLines(ls)
		g.Sum = &schema.SumRow{Amounts: amounts(s, true), Total: int64p(total4(s))}
		return g
	}
	total := func(a [4]int64) *schema.Total {
		return &schema.Total{Amounts: amounts(a, true), Total: int64p(total4(a))}
	}
	req, own := b.requested(), b.own()
	out := &schema.Budget{
		Requested: &schema.CostGroups{
			Salaries: group(b.reqSalaries()),
			Premises: group([]bLine{rentLine(b.rent), premLine(b.prem)}),
			Other:    group(b.otherLines()),
		},
		OwnFinancing: &schema.CostGroups{
			Salaries: group(b.ownSal()),
			Premises: group([]bLine{rentLine(b.ownRent), premLine(b.ownPrem)}),
			Other:    group(b.ownOth()),
		},
		RequestedTotal:    total(req),
		OwnFinancingTotal: total(own),
		TotalCost:         total(add4(req, own)),
	}
	for _, c := range canon {
		if c != "" {
			out.Parties = append(out.Parties, c)
		}
	}
	for _, s := range b.summary {
		if s.col < 0 || canon[s.col] == "" {
			continue
		}
		r, o := req[s.col], own[s.col]
		out.Summary = append(out.Summary, schema.SummaryRow{Party: canon[s.col], Requested: int64p(r), OwnFinancing: int64p(o), Total: int64p(r + o)})
	}
	return out
}

// writeGold writes out/gold/<stem>.json.
func writeGold(out, stem string, g *score.Gold) error {
	if g.Findings == nil {
		g.Findings = []score.GoldFinding{}
	}
	// The "Hur och när" answer was recorded as a section; it belongs to
	// anchoring.how.
	if s, ok := g.Sections["anchoring.how"]; ok {
		delete(g.Sections, "anchoring.how")
		if g.Anchoring == nil {
			g.Anchoring = &schema.Anchoring{}
		}
		g.Anchoring.How = strp(s.Text)
	}
	if len(g.Sections) == 0 {
		g.Sections = nil
	}
	dir := filepath.Join(out, "gold")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, stem+".json"), buf.Bytes(), 0o644)
}
