package pdf

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
)

// pdfSampleTables reads a sample PDF and returns its tables with 9
// columns (the budget's grid).
func pdfSampleTables(t *testing.T, name string) []*extractor.Table {
	t.Helper()
	doc, err := readFile(filepath.Join("..", "..", "samples", name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []*extractor.Table
	for _, b := range doc.Blocks {
		if b.Table != nil && b.Table.Columns == 9 {
			out = append(out, b.Table)
		}
	}
	return out
}

// pdfRowTexts gives a row's cell texts with every space taken out, so
// that a word broken at the cell's edge compares equal to the whole word
// (re-joining it is the normalizer's work).
func pdfRowTexts(r extractor.Row) []string {
	out := make([]string, len(r.Cells))
	for i, c := range r.Cells {
		out[i] = strings.Join(strings.Fields(c.Text), "")
	}
	return out
}

func pdfFindRow(tables []*extractor.Table, first string) (extractor.Row, bool) {
	for _, tb := range tables {
		for _, r := range tb.Rows {
			for _, s := range pdfRowTexts(r) {
				if s == first {
					return r, true
				}
			}
		}
	}
	return extractor.Row{}, false
}

// TestPDFGridCells: in a ruled table every line inside a cell's box is
// that cell's: the budget's header band, whose party names wrap over two
// or three lines and break mid-word, is one row of whole cells; a cell
// without inner rules spans its columns.
func TestPDFGridCells(t *testing.T) {
	tests := []struct {
		file  string
		first string   // a cell that finds the row
		want  []string // the row's cells, spaces removed, from the first party column
		from  int
	}{
		// H: a Word table (cells aligned at the top).
		{"h-langa-namn.pdf", "Huvudinsatsägare", []string{"Huvudinsatsägare", "Delinsatsägare", "Delinsatsägare", "Delinsatsägare", "ATTREKVIRERA-ALLAINSATSÄGARE"}, 1},
		{"h-langa-namn.pdf", "Skellefteåkommun", []string{"Skellefteåkommun", "Arbetsförmedlingen", "RegionVästerbotten", "Försäkringskassan"}, 4},
		{"h-langa-namn.pdf", "Egenfinansiering", []string{"Skellefteåkommun", "Arbetsförmedlingen", "RegionVästerbotten", "Försäkringskassan"}, 1},
		// I: the workbook printed by Calc (cells centred vertically).
		{"i-smala-kolumner.pdf", "Huvudinsatsägare", []string{"Huvudinsatsägare", "Delinsatsägare", "Delinsatsägare", "Delinsatsägare", "ATTREKVIRERA-ALLAINSATSÄGARE"}, 4},
		{"i-smala-kolumner.pdf", "Skellefteåkommun", []string{"Skellefteåkommun", "Arbetsförmedlingen", "RegionVästerbotten", "Försäkringskassan"}, 4},
		{"i-smala-kolumner.pdf", "Egenfinansiering", []string{"Skellefteåkommun", "Arbetsförmedlingen", "RegionVästerbotten", "Försäkringskassan"}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.first, func(t *testing.T) {
			r, ok := pdfFindRow(pdfSampleTables(t, tt.file), tt.first)
			if !ok {
				t.Fatalf("no row with %q", tt.first)
			}
			got := pdfRowTexts(r)
			if len(got) < tt.from+len(tt.want) {
				t.Fatalf("row %q: too few cells", got)
			}
			for i, w := range tt.want {
				if got[tt.from+i] != w {
					t.Errorf("row %q: cell %d is %q, want %q", got, tt.from+i, got[tt.from+i], w)
				}
			}
		})
	}
	// The title row of H's Word table spans all nine columns.
	r, ok := pdfFindRow(pdfSampleTables(t, "h-langa-namn.pdf"), "Budget-detaljeradLångasteg")
	if !ok || len(r.Cells) != 1 || r.Cells[0].Span != 9 {
		t.Errorf("title row: %+v, want one cell spanning 9 columns", r.Cells)
	}
}
