package normalizer

import (
	"strings"

	"github.com/finsam/ansokan/extractor"
)

// item is one paragraph-sized piece of a document's body in reading
// order, whatever its format: a paragraph, a list item, or the content of
// one table cell. Tables are flattened row by row, so a heading in a table
// cell and its answer in the next cell or row read like a heading and a
// paragraph, and label/value signature tables read like the PDF text.
type item struct {
	text      string // as written, soft line breaks kept as "\n"
	level     int    // heading level hint (0 = body)
	marker    string // list marker ("•", "1."); empty for paragraphs
	listLevel int
	loc       srcLoc

	// Table coordinates (table = 0: not in a table).
	table, row, col int
	// PDF positions (0 when unknown).
	x0, x1 float64
}

// srcLoc says where something was seen in a source file.
type srcLoc struct {
	file      string
	page      int
	paragraph int
	sheet     string
	cell      string
}

// flattener turns a document's blocks into items and collects its tables
// for the budget parser.
type flattener struct {
	doc       *extractor.Document
	items     []item
	tables    []BudgetTable
	nextTable int
}

func flatten(doc *extractor.Document) ([]item, []BudgetTable) {
	f := &flattener{doc: doc}
	for i := range doc.Blocks {
		if t := budgetGap(doc, i); t != nil {
			f.tables = append(f.tables, BudgetTable{File: doc.Name, Table: t})
			continue
		}
		f.block(&doc.Blocks[i], 0, 0, 0)
	}
	return f.items, f.tables
}

// budgetGap returns block i as a one-cell table when it is a short
// paragraph between two tables of the budget in a PDF: a group heading
// ("Lokalkostnader") that the page layout set apart from the rows around
// it. The budget parser needs it to know which group the rows below
// belong to.
func budgetGap(doc *extractor.Document, i int) *extractor.Table {
	if doc.Format != extractor.FormatPDF || i == 0 || i+1 >= len(doc.Blocks) {
		return nil
	}
	b, prev, next := &doc.Blocks[i], &doc.Blocks[i-1], &doc.Blocks[i+1]
	if b.Kind != extractor.KindParagraph || prev.Kind != extractor.KindTable || next.Kind != extractor.KindTable ||
		prev.Table == nil || next.Table == nil || !isBudgetTable(prev.Table) && !budgetIsBudgetTable(prev.Table) {
		return nil
	}
	if strings.Contains(b.Text, "\n") || len([]rune(b.Text)) > 80 {
		return nil
	}
	return &extractor.Table{
		Page:    b.Page,
		Columns: 1,
		Rows: []extractor.Row{{Page: b.Page, Y: b.Y, Cells: []extractor.Cell{{
			Text: b.Text, X0: b.X0, X1: b.X1,
		}}}},
	}
}

func (f *flattener) block(b *extractor.Block, table, row, col int) {
	switch b.Kind {
	case extractor.KindTable:
		if b.Table == nil {
			return
		}
		f.tables = append(f.tables, BudgetTable{File: f.doc.Name, Table: b.Table})
		// Workbooks and the budget template's tables are the budget
		// parser's; they hold no answers.
		if f.doc.Format == extractor.FormatXLSX || isBudgetTable(b.Table) {
			return
		}
		f.nextTable++
		id := f.nextTable
		for r, rw := range b.Table.Rows {
			for _, c := range rw.Cells {
				if c.Merged {
					continue
				}
				if len(c.Blocks) > 0 {
					for i := range c.Blocks {
						f.block(&c.Blocks[i], id, r, c.Col)
					}
					continue
				}
				if strings.TrimSpace(c.Text) == "" {
					continue
				}
				page := rw.Page
				if page == 0 {
					page = b.Table.Page
				}
				f.items = append(f.items, item{
					text:  c.Text,
					loc:   srcLoc{file: f.doc.Name, page: page, sheet: b.Table.Sheet, cell: c.Ref},
					table: id, row: r, col: c.Col,
					x0: c.X0, x1: c.X1,
				})
			}
		}
	default:
		if strings.TrimSpace(b.Text) == "" {
			return
		}
		it := item{
			text:  b.Text,
			level: b.Level,
			loc:   srcLoc{file: f.doc.Name, page: b.Page, paragraph: b.Paragraph, sheet: b.Sheet},
			table: table, row: row, col: col,
			x0: b.X0, x1: b.X1,
		}
		if b.Kind == extractor.KindListItem {
			it.marker = b.ListMarker
			if it.marker == "" {
				it.marker = "•"
			}
			it.listLevel = b.ListLevel
		}
		f.items = append(f.items, it)
	}
}

// budgetMarkers are cell texts only the budget template's tables hold.
var budgetMarkers = []string{
	"summa lönekostnader", "totalt från samordningsförbundet", "total kostnad för insatsen",
	"summa egenfinansiering", "att rekvirera från", "budget - detaljerad", "budgetsammanställning",
}

func isBudgetTable(t *extractor.Table) bool {
	hits := 0
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			// A cell that starts with a marker: an answer that mentions
			// "Budget - detaljerad" is not the budget.
			low := strings.ToLower(strings.TrimSpace(c.Text))
			for _, m := range budgetMarkers {
				if strings.HasPrefix(low, m) {
					hits++
				}
			}
		}
	}
	return hits >= 1
}
