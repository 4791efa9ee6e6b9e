package normalizer

import (
	"strings"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/layout"
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
	idx       int // the item's index in the document's items

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

// flatten turns a document's body into items through the layout stage,
// and collects its tables for the budget parser. The items and the
// layout items share their indexes.
func flatten(doc *extractor.Document) ([]item, []layout.Item, []BudgetTable) {
	var tables []BudgetTable
	litems := layout.Flatten(doc, layout.Options{
		Skip: func(i int) bool {
			if t := budgetGap(doc, i); t != nil {
				tables = append(tables, BudgetTable{File: doc.Name, Table: t})
				return true
			}
			if t := budgetPeriodParagraph(doc, i); t != nil {
				tables = append(tables, BudgetTable{File: doc.Name, Table: t})
			}
			return false
		},
		// Workbooks and the budget template's tables are the budget
		// parser's; they hold no answers.
		Table: func(t *extractor.Table) bool {
			tables = append(tables, BudgetTable{File: doc.Name, Table: t})
			return !isBudgetTable(t)
		},
	})
	items := make([]item, len(litems))
	for i := range litems {
		items[i] = fromLayout(&litems[i])
		items[i].idx = i
	}
	return items, litems, tables
}

func fromLayout(l *layout.Item) item {
	return item{
		text:      l.Text,
		level:     l.Level(),
		marker:    l.Marker,
		listLevel: l.ListLevel,
		loc:       srcLoc{file: l.Loc.File, page: l.Loc.Page, paragraph: l.Loc.Paragraph, sheet: l.Loc.Sheet, cell: l.Loc.Cell},
		table:     l.Table, row: l.Row, col: l.Col,
		x0: l.X0, x1: l.X1,
	}
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
