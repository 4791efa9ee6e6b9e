package normalizer

import (
	"math"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/extractor"
)

// Cells and rows of a budget table, whatever the source (workbook, PDF,
// Word), and the figures in them: amounts, percentages, dates.

type budgetCell struct {
	text   string // trimmed
	value  *float64
	numFmt string
	isDate bool
	ref    string
	col    int
	x0, x1 float64
	para   int
}

func (c budgetCell) hasX() bool { return c.x1 > 0 || c.x0 > 0 }

type budgetRow struct {
	cells []budgetCell
	loc   BudgetLoc
}

// budgetTableMarkers tell a budget table (or a piece of one, split by a PDF
// page break) from the application's other tables.
var budgetTableMarkers = []string{
	"lönekostnader", "lokalkostnader", "lokalhyra", "övriga kostnader", "egenfinansiering",
	"total kostnad för insatsen", "totalt från samordningsförbundet", "huvudinsatsägare",
	"delinsatsägare", "att rekvirera", "totalt projektet", "budget - detaljerad",
	"budgetsammanställning", "kostnader i tkr", "kostnader i kr", "insatsens löptid",
}

func budgetIsBudgetTable(t *extractor.Table) bool {
	if s := strings.ToLower(t.Sheet); strings.HasPrefix(s, "utkast") {
		return false
	}
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			low := budgetNorm(c.Text)
			if strings.HasPrefix(low, "utkast") {
				return false // a draft, not the budget
			}
			for _, m := range budgetTableMarkers {
				if strings.Contains(low, m) {
					return true
				}
			}
		}
	}
	return false
}

// budgetPeriodParagraph returns block i as a one-cell table when it is a
// paragraph that gives the budget's löptid beside the budget table
// ("Budgetens löptid: 2025-01-01 – 2026-12-31" just above or below it):
// the period is then read from it as from a "Insatsens löptid" row. The
// paragraph stays in the text as well.
func budgetPeriodParagraph(doc *extractor.Document, i int) *extractor.Table {
	b := &doc.Blocks[i]
	if b.Kind != extractor.KindParagraph || len([]rune(b.Text)) > 200 ||
		!strings.Contains(strings.ToLower(b.Text), "löptid") || len(FindDates(b.Text)) == 0 {
		return nil
	}
	near := false
	for j := max(0, i-2); j <= min(len(doc.Blocks)-1, i+2); j++ {
		if t := doc.Blocks[j].Table; j != i && t != nil && (isBudgetTable(t) || budgetIsBudgetTable(t)) {
			near = true
			break
		}
	}
	if !near {
		return nil
	}
	return &extractor.Table{
		Page:    b.Page,
		Columns: 1,
		Rows: []extractor.Row{{Page: b.Page, Y: b.Y, Cells: []extractor.Cell{{
			Text: b.Text, X0: b.X0, X1: b.X1, Blocks: []extractor.Block{*b},
		}}}},
	}
}

// budgetRows concatenates the budget tables of one file into one stream
// of rows (a budget split over PDF pages continues where it left off).
// exact reports whether cells carry numeric values (a workbook).
func budgetRows(file string, tables []*extractor.Table) (rows []budgetRow, exact bool) {
	var prev *extractor.Table
	for _, t := range tables {
		// A PDF table cut off its budget by an unruled heading line
		// ("Övriga kostnader" between two ruled grids) continues it: the
		// same grid, on the same or the next page, even when none of its
		// rows is a template marker ("Utvärdering", "Resor" …).
		cont := prev != nil && t.Sheet == "" && t.Page > 0 && t.Columns == prev.Columns && t.Columns >= 5 &&
			(t.Page == prev.Page || t.Page == prev.Page+1)
		period := t.Columns == 1 && len(t.Rows) == 1 && len(t.Rows[0].Cells) == 1 &&
			strings.Contains(strings.ToLower(t.Rows[0].Cells[0].Text), "löptid")
		if !cont && !period && !budgetIsBudgetTable(t) {
			prev = nil
			continue
		}
		if t.Columns >= 5 {
			prev = t // a group heading between two grids (budgetGap) is no grid
		}
		for _, r := range t.Rows {
			br := budgetRow{loc: BudgetLoc{File: file, Page: r.Page, Sheet: t.Sheet}}
			if br.loc.Page == 0 {
				br.loc.Page = t.Page
			}
			for _, c := range r.Cells {
				if c.Merged {
					continue
				}
				text := strings.TrimSpace(c.Text)
				if c.X1 > c.X0 && c.Value == nil {
					// A PDF cell: words broken at its edge.
					text = RejoinBroken(text)
				}
				if text == "" && c.Value == nil {
					continue
				}
				bc := budgetCell{text: text, value: c.Value, numFmt: c.NumFmt, isDate: c.IsDate,
					ref: c.Ref, col: c.Col, x0: c.X0, x1: c.X1}
				if c.Value != nil {
					exact = true
				}
				for _, b := range c.Blocks {
					if b.Paragraph > 0 {
						bc.para = b.Paragraph
						break
					}
				}
				br.cells = append(br.cells, bc)
			}
			if len(br.cells) == 0 {
				continue
			}
			br.loc.Cell = br.cells[0].ref
			br.loc.Paragraph = br.cells[0].para
			rows = append(rows, br)
		}
	}
	return rows, exact
}

// budgetNorm lower-cases and collapses white space, and makes dashes
// plain, for matching template texts.
func budgetNorm(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return budgetDashes.Replace(s)
}

// budgetDashes is built once: a Replacer is costly to make and safe to share.
var budgetDashes = strings.NewReplacer("–", "-", "—", "-", "\u00ad", "")

// budgetLabelText joins a label's lines and cells with single spaces.
func budgetLabelText(parts []string) string {
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// budgetAmounts reads a cell as amounts: one amount, or several zeros when
// a PDF glued empty cells together ("00"). ok is false when the cell is
// not an amount.
func budgetAmounts(c budgetCell) (vals []int64, ok bool) {
	if c.value != nil {
		if c.isDate || strings.Contains(c.numFmt, "%") {
			return nil, false
		}
		return []int64{int64(math.Round(*c.value))}, true
	}
	t := c.text
	if t == "" {
		return nil, false
	}
	if n, ok := ParseAmount(t); ok {
		if t != "0" && strings.Trim(t, "0") == "" {
			return make([]int64, len(t)), true // "00": glued zeros
		}
		return []int64{n}, true
	}
	// "0 0" or "0\u00a00": zero cells glued with a space.
	f := strings.Fields(t)
	if len(f) > 1 {
		for _, w := range f {
			if w != "0" {
				return nil, false
			}
		}
		return make([]int64, len(f)), true
	}
	if t == "-" || t == "–" {
		return []int64{0}, true // accounting format's zero
	}
	return nil, false
}

func budgetPercent(c budgetCell) (float64, bool) {
	if c.value != nil {
		if strings.Contains(c.numFmt, "%") {
			return math.Round(*c.value*100*1e6) / 1e6, true
		}
		return 0, false
	}
	return ParsePercent(c.text, false)
}

func budgetDate(c budgetCell) (string, bool) {
	if c.value != nil {
		if !c.isDate {
			return "", false
		}
		t, err := excelize.ExcelDateToTime(*c.value, false)
		if err != nil {
			return "", false
		}
		return t.Format("2006-01-02"), true
	}
	d, ok := ParseShortDate(c.text)
	if !ok || d.Day == 0 || d.Month == 0 || d.Year == 0 {
		return "", false
	}
	return d.String(), true
}

// budgetRowDates finds the dates in a row: date cells, and dates inside
// text cells ("Insatsens löptid: 2023-01-01 2024-12-31").
func budgetRowDates(r budgetRow) []string {
	var out []string
	for _, c := range r.cells {
		if d, ok := budgetDate(c); ok {
			out = append(out, d)
			continue
		}
		if c.value != nil {
			continue
		}
		for _, m := range FindDates(c.text) {
			if s := m.Date.String(); len(s) == len("2006-01-02") {
				out = append(out, s)
			}
		}
	}
	return out
}
