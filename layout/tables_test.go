package layout

import (
	"testing"

	"github.com/finsam/ansokan/extractor"
)

// row builds a table row of one-paragraph cells from column 0; "" leaves
// a cell empty.
func row(texts ...string) []extractor.Cell {
	var out []extractor.Cell
	for i, t := range texts {
		c := extractor.Cell{Col: i, Span: 1, Text: t}
		if t != "" {
			c.Blocks = []extractor.Block{para(t)}
		}
		out = append(out, c)
	}
	return out
}

func TestTableShapes(t *testing.T) {
	tests := []struct {
		name     string
		tbl      extractor.Block
		want     Shape
		header   int
		labelCol int
		caption  int
	}{
		{"single cell", table(1, row("Underskrifter")), ShapeSingleCell, -1, -1, -1},
		{"label/value per party", table(2,
			row("Organisation", "Svedala kommun"),
			row("Datum", "2024-03-12"),
			row("Namnteckning", ""),
			row("Namnförtydligande", "Karin Åberg, förvaltningschef"),
			row("E-post", "karin.aberg@svedala.se")), ShapeLabelValue, -1, 0, -1},
		{"label/value with a caption and Underskrift inside", table(2,
			[]extractor.Cell{{Col: 0, Span: 2, Text: "Insatsägare", Blocks: []extractor.Block{para("Insatsägare")}}},
			row("Underskrift", ""),
			row("Organisation", "Mora kommun"),
			row("Datum", "2025-02-10"),
			row("Namnförtydligande", "Eva Lindqvist")), ShapeLabelValue, -1, 0, 0},
		{"column per party", table(5,
			row("", "Mora kommun", "Arbetsförmedlingen", "Region Dalarna", "Försäkringskassan"),
			row("Datum", "2025-02-10", "2025-02-11", "2025-02-12", "2025-02-13"),
			row("Namnteckning"),
			row("Namnförtydligande", "Eva Lindqvist", "Per Olsson", "Maria Hedlund", "Lars Nyström"),
			row("E-post", "eva@mora.se", "per@af.se", "maria@rd.se", "lars@fk.se")), ShapeLabelColumns, 0, 0, -1},
		{"column per role, corner filled", table(3,
			row("Roll", "Projektägare", "Samverkanspart"),
			row("Organisation", "Mora kommun", "Arbetsförmedlingen"),
			row("Datum", "2025-02-10", "2025-02-11"),
			row("E-post", "eva@mora.se", "per@af.se")), ShapeLabelColumns, 0, 0, -1},
		{"row per party", table(5,
			row("Roll", "Organisation", "Datum", "Namn", "E-post"),
			row("Sökande", "Region Västerbotten", "2025-03-20", "Sofia Lundberg, verksamhetschef", "sofia@rvb.se"),
			row("Samverkanspart", "Umeå kommun", "", "Johan Berglund", "johan@umea.se"),
			row("Samverkanspart", "Arbetsförmedlingen", "2025-03-21", "Amir Hassan", "amir@af.se")), ShapeHeaderRows, 0, -1, -1},
		{"row per party, distinct first column", table(4,
			row("Organisation", "Datum", "Namnförtydligande", "E-post"),
			row("Region Västerbotten", "2025-03-20", "Sofia Lundberg", "sofia@rvb.se"),
			row("Umeå kommun", "2025-03-22", "Johan Berglund", "johan@umea.se")), ShapeHeaderRows, 0, -1, -1},
		{"side by side, labels repeated", table(2,
			row("Insatsägare", "Samverkanspart"),
			row("Organisation och datum", "Organisation och datum"),
			row("Mora kommun 2025-02-10", "Arbetsförmedlingen 2025-02-11"),
			row("Namnförtydligande", "Namnförtydligande"),
			row("Eva Lindqvist", "Per Olsson")), ShapeSideBySide, -1, -1, -1},
		{"side by side, a block in each cell", table(2,
			[]extractor.Cell{cell(0, para("Insatsägare"), para("Mora kommun")), cell(1, para("Samverkanspart"), para("Arbetsförmedlingen"))}), ShapeSideBySide, -1, -1, -1},
		// Tables that hold no label/value pairs.
		{"budget", table(4,
			row("Kostnadsslag", "Mora kommun", "Arbetsförmedlingen", "Totalt"),
			row("Lönekostnader", "450 000", "120 000", "570 000"),
			row("Lokalkostnader", "60 000", "0", "60 000"),
			row("Summa", "510 000", "120 000", "630 000")), ShapeHeaderRows, 0, -1, -1},
		{"two-column budget list", table(2,
			row("Kostnadsslag", "Belopp"),
			row("Lönekostnader", "450 000"),
			row("Summa", "450 000")), ShapeHeaderRows, 0, -1, -1},
		{"Ja/Nej questions", table(2,
			row("Har ansökan diskuterats i beredningsgruppen?", "☒ Ja ☐ Nej"),
			row("Finns en styrgrupp?", "☐ Ja ☒ Nej")), ShapeUnknown, -1, -1, -1},
		{"Ja/Nej columns", table(3,
			row("Fråga", "Ja", "Nej"),
			row("Diskuterad i beredningsgruppen", "☒", "☐"),
			row("Styrgrupp finns", "☐", "☒")), ShapeUnknown, -1, -1, -1},
		{"labels over values in one column", table(1,
			row("Organisation och datum"), row("Enköpings kommun 2023-10-16"), row("Insatsägare (namnförtydligande)"), row("Helena Norberg")), ShapeUnknown, -1, -1, -1},
		{"sentences", table(2,
			row("Syftet är att fler ska arbeta.", "Vi samverkar med parterna."),
			row("Målet är nått när hälften har arbete.", "Det följs upp varje år.")), ShapeUnknown, -1, -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := Flatten(docOf(extractor.FormatDOCX, para("Före"), tt.tbl, para("Efter")), Options{})
			grids := Tables(items)
			g := grids[1]
			if len(grids) != 1 || g == nil {
				t.Fatalf("%d tables", len(grids))
			}
			if g.Shape != tt.want || g.Header != tt.header || g.LabelCol != tt.labelCol || g.Caption != tt.caption {
				t.Errorf("shape %s header %d label column %d caption %d; want %s %d %d %d",
					g.Shape, g.Header, g.LabelCol, g.Caption, tt.want, tt.header, tt.labelCol, tt.caption)
			}
			if items[g.First].Text == "Före" || items[g.Last].Text == "Efter" {
				t.Errorf("table spans items %d..%d", g.First, g.Last)
			}
		})
	}
}

// The PDF reader breaks long cell lines; an address broken in two is
// still an address, a date with a missing day still a date.
func TestKindOf(t *testing.T) {
	for text, want := range map[string]cellKind{
		"per.olsson@arbetsform edlingen.se": kindEmail,
		"eva@mora.se":                       kindEmail,
		"2022-06-":                          kindDate,
		"16 juni 2025":                      kindDate,
		"450 000":                           kindNumber,
		"12,5 %":                            kindNumber,
		"☒ Ja ☐ Nej":                        kindTick,
		"Mora kommun":                       kindLabel,
		"Sofia Lundberg, verksamhetschef":   kindLabel,
		"Syftet är att fler ska arbeta.":    kindText,
		"":                                  kindEmpty,
	} {
		if got := kindOf(text); got != want {
			t.Errorf("kindOf(%q) = %d, want %d", text, got, want)
		}
	}
}
