package normalizer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/extractor/xlsx"
	"github.com/finsam/ansokan/schema"

	"github.com/finsam/ansokan/internal/corpus"
)

// ---------------------------------------------------------------------
// Table builders.

// budgetGrid builds a Word-like table: each row a list of cell texts on
// the grid (column = index); empty strings are empty cells.
func budgetGrid(rows ...[]string) *extractor.Table {
	t := &extractor.Table{}
	for _, r := range rows {
		var row extractor.Row
		for i, s := range r {
			if s == "" {
				continue
			}
			row.Cells = append(row.Cells, extractor.Cell{Text: s, Col: i, Span: 1})
			t.Columns = max(t.Columns, i+1)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func bg(cells ...string) []string { return cells }

// PDF geometry of the budget page: party columns start at the header's
// left edges, amounts are right-aligned at the column's right edge.
var (
	budgetTestStarts = []float64{379, 463, 547, 631, 715}
	budgetTestRights = []float64{452, 536, 621, 705, 789}
)

type budgetPCell struct {
	text   string
	x0, x1 float64
}

func bLab(s string) budgetPCell { return budgetPCell{s, 43, 43 + 4.5*float64(len([]rune(s)))} }
func bPct(s string) budgetPCell { return budgetPCell{s, 150, 172} }
func bFrom(s string) budgetPCell {
	return budgetPCell{s, 211, 211 + 4*float64(len(s))}
}
func bTo(s string) budgetPCell { return budgetPCell{s, 295, 295 + 4*float64(len(s))} }

// bAmt is an amount in party column i (4 = the total column).
func bAmt(i int, s string) budgetPCell {
	r := budgetTestRights[i]
	return budgetPCell{s, r - 5*float64(len([]rune(s))), r}
}

// bHead is a header text at the left edge of column i.
func bHead(i int, s string) budgetPCell {
	return budgetPCell{s, budgetTestStarts[i], budgetTestStarts[i] + 4.5*float64(len([]rune(s)))}
}

// budgetPDF builds a PDF-like table: cells with x positions, their Col
// from a clustering that differs from page to page (as the PDF reader's).
func budgetPDF(page int, rows ...[]budgetPCell) *extractor.Table {
	t := &extractor.Table{Page: page}
	for i, r := range rows {
		row := extractor.Row{Page: page, Y: 800 - 12*float64(i)}
		for j, c := range r {
			row.Cells = append(row.Cells, extractor.Cell{Text: c.text, Col: j, Span: 1, X0: c.x0, X1: c.x1})
			t.Columns = max(t.Columns, j+1)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func bRow(cells ...budgetPCell) []budgetPCell { return cells }

func bI64(v int64) *int64     { return &v }
func bF64(v float64) *float64 { return &v }
func bStr(s string) *string   { return &s }
func bAm(kv ...any) map[string]int64 {
	m := map[string]int64{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = int64(kv[i+1].(int))
	}
	return m
}

func budgetJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func budgetCheckEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", what, budgetJSON(t, got), budgetJSON(t, want))
	}
}

// ---------------------------------------------------------------------
// Seed 000 (Älvkarleby, "Arbetsmarknadsstödjare") as a Word table.

const (
	bAlv = "Älvkarleby kommun"
	bAF  = "Arbetsförmedlingen"
	bFK  = "Försäkringskassan"
	bReg = "Region Uppsala"
	bUpp = "Uppsala kommun"
)

func seed000Grid() []BudgetTable {
	detail := budgetGrid(
		bg("Budget - detaljerad Arbetsmarknadsstödjare"),
		bg("Insatsens löptid:", "", "2023-01-01", "2024-12-31"),
		bg("Fyll i färgmarkerade fält:\nKostnader att rekvirera från Samordningsförbundet"),
		bg("Kostnader i tkr", "", "", "", "Huvudinsatsägare", "Delinsatsägare", "Delinsatsägare", "Delinsatsägare"),
		bg("", "", "", "", "Älvkarleby kommun", "Arbetsförmedlningen", "Försäkringskassan", "Region Uppsala", "ATT REKVIRERA - ALLA INSATSÄGARE"),
		bg("Lönekostnader", "tjänst i %", "tidsperiod (ååmmdd)"),
		bg("inkl PO.pålägg", "", "från", "till"),
		bg("1. Arbetsmarknadsstödjare", "100%", "23-01-01", "24-12-31", "1 362 000", "", "", "", "1 362 000"),
		bg("2.", "0%", "", "", "", "", "", "", "0"),
		bg("3.", "0%", "", "", "", "", "", "", "0"),
		bg("4.", "0%", "", "", "", "", "", "", "0"),
		bg("", "", "", "", "", "", "", "", "0"),
		bg("Summa lönekostnader", "100%", "", "", "1 362 000", "0", "0", "0", "1 362 000"),
		bg("Lokalkostnader"),
		bg("Lokalhyra", "", "", "", "86 400", "", "", "", "86 400"),
		bg("", "", "", "", "", "", "", "", "0"),
		bg("Övriga lokalkostnader", "", "", "", "", "", "", "", "0"),
		bg("Summa lokalkostnader", "", "", "", "86 400", "0", "0", "0", "86 400"),
		bg("Övriga kostnader"),
		bg("Utvärdering", "", "", "", "", "", "", "", "0"),
		bg("Spridningsseminarier", "", "", "", "", "", "", "", "0"),
		bg("Utbildning insatsmedarbetare", "", "", "", "", "", "", "", "0"),
		bg("Inköpta utredningar, utbildningar och\ntjänster avsedda för deltagare", "", "", "", "", "", "", "", "0"),
		bg("Övriga aktiviteter för deltagare", "", "", "", "", "", "", "", "0"),
		bg("Telefon-, IT-kostnader", "", "", "", "4 000", "", "", "", "4 000"),
		bg("Resor", "", "", "", "20 000", "", "", "", "20 000"),
		bg("Tolk", "", "", "", "60 000", "", "", "", "60 000"),
		bg("Informationsmaterial", "", "", "", "8 000", "", "", "", "8 000"),
		bg("Övrigt", "", "", "", "", "", "", "", "0"),
		bg("Summa övriga kostnader", "", "", "", "92 000", "0", "0", "0", "92 000"),
		bg("Totalt från Samordningsförbundet", "", "", "", "1 540 400", "0", "0", "0", "1 540 400"),
		bg("Egenfinansiering", "", "", "", "Älvkarleby kommun", "Arbetsförmedlningen", "Försäkringskassan", "Region Uppsala"),
		bg("Lönekostnader inkl po-pål", "tjänst i %"),
		bg("1.", "0%", "", "", "", "", "", "", "0"),
		bg("2.", "0%", "", "", "", "", "", "", "0"),
		bg("Summa lönekostnader", "0%", "", "", "0", "0", "0", "0", "0"),
		bg("Lokalkostnader"),
		bg("Lokalhyra", "", "", "", "", "", "", "", "0"),
		bg("Summa lokalkostnader", "", "", "", "0", "0", "0", "0", "0"),
		bg("Övriga kostnader"),
		bg("Kostnadsbeteckning", "", "", "", "", "", "", "", "0"),
		bg("Kostnadsbeteckning", "", "", "", "", "", "", "", "0"),
		bg("Summa övriga kostnader", "", "", "", "0", "0", "0", "0", "0"),
		bg("Summa egenfinansiering", "", "", "", "0", "0", "0", "0", "0"),
		bg("Total kostnad för insatsen", "", "", "", "1 540 400", "0", "0", "0", "1 540 400"),
	)
	summary := budgetGrid(
		bg("Budgetsammanställning Arbetsmarknadsstödjare"),
		bg("Projektets löptid", "2023-01-01", "2024-12-31"),
		bg("Kostnader i tkr", "Att rekvirera från Samordningsförbundet", "Projektägarnas egenfinansiering", "Totalt projektet"),
		bg("Huvudinsatsägare\nÄlvkarleby kommun", "1 540 400", "0", "1 540 400"),
		bg("Delinsatsägare 1\nArbetsförmedlningen", "0", "0", "0"),
		bg("Delinsatsägare 2\nFörsäkringskassan", "0", "0", "0"),
		bg("Delinsatsägare 3\nNAMN", "0", "0", "0"),
		bg("Delinsatsägare 4\nRegion Uppsala", "0", "0", "0"),
		bg("Summa", "1 540 400", "0", "1 540 400"),
		bg("Instruktioner till ansökan:"),
	)
	other := budgetGrid(bg("Ja", "Nej"), bg("x", ""))
	return []BudgetTable{{"ansokan.docx", other}, {"ansokan.docx", detail}, {"ansokan.docx", summary}}
}

func seed000Want() *schema.Budget {
	bZero4 := bAm(bAlv, 0, bAF, 0, bFK, 0, bReg, 0)
	return &schema.Budget{
		UnitStated: bStr("tkr"),
		Unit:       "kr",
		Period:     &schema.BudgetPeriod{Start: bStr("2023-01-01"), End: bStr("2024-12-31")},
		Parties:    []string{bAlv, bAF, bFK, bReg},
		Requested: &schema.CostGroups{
			Salaries: &schema.CostGroup{
				Lines: []schema.BudgetLine{{Label: "1. Arbetsmarknadsstödjare", Percent: bF64(100), From: bStr("2023-01-01"), To: bStr("2024-12-31"),
					Amounts: bAm(bAlv, 1362000), Total: bI64(1362000)}},
				Sum: &schema.SumRow{Percent: bF64(100), Amounts: bAm(bAlv, 1362000, bAF, 0, bFK, 0, bReg, 0), Total: bI64(1362000)},
			},
			Premises: &schema.CostGroup{
				Lines: []schema.BudgetLine{{Label: "Lokalhyra", Amounts: bAm(bAlv, 86400), Total: bI64(86400)}},
				Sum:   &schema.SumRow{Amounts: bAm(bAlv, 86400, bAF, 0, bFK, 0, bReg, 0), Total: bI64(86400)},
			},
			Other: &schema.CostGroup{
				Lines: []schema.BudgetLine{
					{Label: "Telefon-, IT-kostnader", Amounts: bAm(bAlv, 4000), Total: bI64(4000)},
					{Label: "Resor", Amounts: bAm(bAlv, 20000), Total: bI64(20000)},
					{Label: "Tolk", Amounts: bAm(bAlv, 60000), Total: bI64(60000)},
					{Label: "Informationsmaterial", Amounts: bAm(bAlv, 8000), Total: bI64(8000)},
				},
				Sum: &schema.SumRow{Amounts: bAm(bAlv, 92000, bAF, 0, bFK, 0, bReg, 0), Total: bI64(92000)},
			},
		},
		OwnFinancing: &schema.CostGroups{
			Salaries: &schema.CostGroup{Lines: []schema.BudgetLine{}, Sum: &schema.SumRow{Percent: bF64(0), Amounts: bZero4, Total: bI64(0)}},
			Premises: &schema.CostGroup{Lines: []schema.BudgetLine{}, Sum: &schema.SumRow{Amounts: bAm(bAlv, 0, bAF, 0, bFK, 0, bReg, 0), Total: bI64(0)}},
			Other:    &schema.CostGroup{Lines: []schema.BudgetLine{}, Sum: &schema.SumRow{Amounts: bAm(bAlv, 0, bAF, 0, bFK, 0, bReg, 0), Total: bI64(0)}},
		},
		RequestedTotal:    &schema.Total{Amounts: bAm(bAlv, 1540400, bAF, 0, bFK, 0, bReg, 0), Total: bI64(1540400)},
		OwnFinancingTotal: &schema.Total{Amounts: bAm(bAlv, 0, bAF, 0, bFK, 0, bReg, 0), Total: bI64(0)},
		TotalCost:         &schema.Total{Amounts: bAm(bAlv, 1540400, bAF, 0, bFK, 0, bReg, 0), Total: bI64(1540400)},
		Summary: []schema.SummaryRow{
			{Party: bAlv, Requested: bI64(1540400), OwnFinancing: bI64(0), Total: bI64(1540400)},
			{Party: bAF, Requested: bI64(0), OwnFinancing: bI64(0), Total: bI64(0)},
			{Party: bFK, Requested: bI64(0), OwnFinancing: bI64(0), Total: bI64(0)},
			{Party: bReg, Requested: bI64(0), OwnFinancing: bI64(0), Total: bI64(0)},
		},
	}
}

func TestParseBudgetSeed000Word(t *testing.T) {
	b, locs := parseBudget(seed000Grid())
	if b == nil {
		t.Fatal("no budget")
	}
	budgetCheckEqual(t, "budget", b, seed000Want())
	if b.RequestedTotal == nil || b.RequestedTotal.Total == nil || *b.RequestedTotal.Total != 1540400 {
		t.Errorf("requested total = %+v, want 1 540 400", b.RequestedTotal)
	}
	for _, p := range []string{
		"/budget/requested/salaries/lines/0", "/budget/requested/salaries/sum", "/budget/requested/other/lines/3",
		"/budget/requested_total", "/budget/own_financing_total", "/budget/total_cost", "/budget/summary/3",
		"/budget/period", "/budget/unit_stated", "/budget/own_financing/salaries/sum",
	} {
		if l, ok := locs[p]; !ok || l.File != "ansokan.docx" {
			t.Errorf("locs[%q] = %+v, %v", p, l, ok)
		}
	}
	if _, ok := locs["/budget/summary/4"]; ok {
		t.Errorf("a location for a summary row that is not there")
	}
}

// ---------------------------------------------------------------------
// Seed 003 (Uppsala kommun, "Arbetslivsintro") as PDF pages: a two-row
// party header, a wrapped label, glued zeros, the table split over two
// pages, a year sheet and a draft after it.

func seed003PDF() []BudgetTable {
	page1 := budgetPDF(9,
		bRow(bLab("Budget - detaljerad Arbetslivsintro-förlängningsansökan")),
		bRow(bLab("Insatsens löptid: 2023-01-01 2023-12-31")),
		bRow(bLab("Fyll i färgmarkerade fält:")),
		bRow(bLab("Kostnader att rekvirera från Samordningsförbundet")),
		bRow(bLab("Kostnader i tkr"), bHead(0, "Huvudinsatsägare"), bHead(1, "Delinsatsägare"), bHead(2, "Delinsatsägare"), bHead(3, "Delinsatsägare")),
		bRow(bHead(0, "Uppsala kommun"), bHead(1, "Region Uppsala"), bHead(2, "NAMN"), bHead(3, "NAMN"), bHead(4, "ATT REKVIRERA -")),
		bRow(bHead(4, "ALLA INSATSÄGARE")),
		bRow(bLab("Lönekostnader"), bPct("tjänst i %"), bFrom("tidsperiod (ååmmdd)")),
		bRow(bLab("inkl PO.pålägg"), bFrom("från"), bTo("till")),
		bRow(bLab("Kvalificerad handläggare/ projektledare"), bPct("100%"), bFrom("1/1-2023"), bTo("31/12-2023"), bAmt(0, "672 000"), bAmt(4, "672 000")),
		bRow(bLab("Socialsekreterare"), bPct("100%"), bFrom("1/1-2023"), bTo("31/12- 2023"), bAmt(0, "672 000"), bAmt(4, "672 000")),
		bRow(bLab("Arbetsterapeut"), bPct("50%"), bFrom("1/1-2023"), bTo("30/11-2023"), bAmt(0, "280 000"), bAmt(4, "280 000")),
		bRow(bLab("Rehabiliteringskoordinator"), bPct("100%"), bFrom("1/1-2023"), bTo("31/12-2023"), bAmt(1, "680 400"), bAmt(4, "680 400")),
		bRow(bAmt(4, "0")),
		bRow(bLab("Summa lönekostnader"), bPct("350%"), bAmt(0, "1 624 000"), bAmt(1, "680 400"), bAmt(2, "0"), bAmt(3, "0"), bAmt(4, "2 304 400")),
		bRow(bLab("Lokalkostnader")),
		bRow(bLab("Lokalhyra"), bAmt(4, "0")),
		bRow(bAmt(4, "0")),
		bRow(bLab("Övriga lokalkostnader"), bAmt(4, "0")),
		bRow(bLab("Summa lokalkostnader"), bAmt(0, "0"), bAmt(1, "0"), bAmt(2, "0"), bAmt(3, "0"), bAmt(4, "0")),
	)
	page2 := budgetPDF(10,
		bRow(bLab("Övriga kostnader")),
		bRow(bLab("Utvärdering"), bAmt(4, "0")),
		bRow(bLab("Spridningsseminarier"), bAmt(4, "0")),
		bRow(bLab("Utbildning insatsmedarbetare"), bAmt(4, "0")),
		bRow(bLab("Inköpta utredningar, utbildningar och")),
		bRow(bLab("tjänster avsedda för deltagare"), bFrom("1/1-2023"), bTo("31/12-2023"), bAmt(0, "500 000"), bAmt(4, "500 000")),
		bRow(bLab("Övriga aktiviteter för deltagare"), bAmt(4, "0")),
		bRow(bLab("Telefon-, IT-kostnader"), bAmt(4, "0")),
		bRow(bLab("Resor"), bAmt(4, "0")),
		bRow(bLab("Tolk"), bAmt(4, "0")),
		bRow(bLab("Informationsmaterial"), bAmt(4, "0")),
		bRow(bAmt(4, "0")),
		bRow(bLab("Övrigt"), bFrom("1/1-2023"), bTo("31/12-2023"), bAmt(0, "100 000"), bAmt(4, "100 000")),
		bRow(bAmt(4, "0")),
		bRow(bLab("Summa övriga kostnader"), bAmt(0, "600 000"), bAmt(1, "0"), bAmt(2, "0"), bAmt(3, "0"), bAmt(4, "600 000")),
		bRow(bLab("Totalt från Samordningsförbundet"), bAmt(0, "2 224 000"), bAmt(1, "680 400"), bAmt(2, "0"), bAmt(3, "0"), bAmt(4, "2 904 400")),
		bRow(bLab("Egenfinansiering"), bHead(0, "Uppsala kommun"), bHead(1, "Region Uppsala"), bHead(2, "NAMN"), bHead(3, "NAMN")),
		bRow(bLab("Lönekostnader inkl po-pål"), bPct("tjänst i %")),
		bRow(bLab("Socialsekreterare"), bPct("100%"), bFrom("1/1-2023"), bTo("31/12 2023"), bAmt(0, "672 000"), bAmt(4, "672 000")),
		bRow(bLab("Socialsekreterare"), bPct("100%"), bFrom("1/1-2023"), bTo("31/12- 2023"), bAmt(0, "672 000"), bAmt(4, "672 000")),
		bRow(bLab("3."), bPct("0%"), bAmt(4, "0")),
		bRow(bLab("4."), bPct("0%"), bAmt(4, "0")),
		bRow(bLab("5."), bPct("0%"), budgetPCell{"00", 680, 789}),
		bRow(bLab("Summa lönekostnader"), bPct("200%"), bAmt(0, "1 344 000"), bAmt(1, "0"), bAmt(2, "0"), bAmt(3, "0"), bAmt(4, "1 344 000")),
		bRow(bLab("Lokalkostnader")),
		bRow(bLab("Lokalhyra"), bAmt(4, "0")),
		bRow(bLab("Övriga lokalkostnader"), budgetPCell{"00", 680, 789}),
		// A Summa row whose zeros were glued: 0 | 0 0 | 0 | 0.
		bRow(bLab("Summa lokalkostnader"), bAmt(0, "0"), budgetPCell{"00", 500, 621}, bAmt(3, "0"), bAmt(4, "0")),
		bRow(bLab("Övriga kostnader")),
		bRow(bLab("Kostnadsbeteckning"), bAmt(4, "0")),
		bRow(bLab("Kostnadsbeteckning"), bAmt(4, "0")),
		bRow(bLab("Summa övriga kostnader"), bAmt(0, "0"), bAmt(1, "0"), bAmt(2, "0"), bAmt(3, "0"), bAmt(4, "0")),
		bRow(bLab("Summa egenfinansiering"), bAmt(0, "1 344 000"), bAmt(1, "0"), bAmt(2, "0"), bAmt(3, "0"), bAmt(4, "1 344 000")),
		bRow(bLab("Total kostnad för insatsen"), bAmt(0, "3 568 000"), bAmt(1, "680 400"), bAmt(2, "0"), bAmt(3, "0"), bAmt(4, "4 248 400")),
	)
	year := budgetPDF(11,
		bRow(bLab("ÅR 1"), bHead(0, "ÅR 2"), bHead(1, "ÅR 3"), bHead(2, "ÅR 4")),
		bRow(bLab("2023"), bHead(0, "20XX"), bHead(1, "20XX"), bHead(2, "20XX")),
		bRow(bLab("LÖNEKOSTNADER")),
		bRow(bLab("inkl P.O tillägg")),
		bRow(bLab("Socialsekreterare")),
		bRow(bLab("ÖVRIGA KOSTNADER")),
		bRow(bLab("TOTALT")),
	)
	sx := []float64{200, 300, 400}
	sh := func(i int, s string) budgetPCell { return budgetPCell{s, sx[i], sx[i] + 4.5*float64(len([]rune(s)))} }
	sa := func(i int, s string) budgetPCell { r := sx[i] + 90; return budgetPCell{s, r - 5*float64(len(s)), r} }
	summary := budgetPDF(12,
		bRow(bLab("Budgetsammanställning Arbetslivsintro- förlängningsansökan")),
		bRow(bLab("Projektets löptid 2023-01-01 2023-12-31")),
		bRow(bLab("Kostnader i tkr")),
		bRow(sh(0, "Att rekvirera från"), sh(1, "Projektägarnas"), sh(2, "Totalt projektet")),
		bRow(sh(0, "Samordningsförbundet"), sh(1, "egenfinansiering")),
		bRow(bLab("Huvudinsatsägare")),
		bRow(bLab("Uppsala kommun"), sa(0, "2 224 000"), sa(1, "1 344 000"), sa(2, "3 568 000")),
		bRow(bLab("Delinsatsägare 1")),
		bRow(bLab("Region Uppsala"), sa(0, "680 400"), sa(1, "0"), sa(2, "680 400")),
		bRow(bLab("Delinsatsägare 2")),
		bRow(bLab("NAMN"), sa(0, "0"), sa(1, "0"), sa(2, "0")),
		bRow(bLab("Delinsatsägare 3")),
		bRow(bLab("NAMN"), sa(0, "0"), sa(1, "0"), sa(2, "0")),
		bRow(bLab("Summa"), sa(0, "2 904 400"), sa(1, "1 344 000"), sa(2, "4 248 400")),
		bRow(bLab("Instruktioner till ansökan:")),
	)
	draft := budgetPDF(13,
		bRow(bLab("Utkast budget 0-klassade sjukskrivna 1/1-2023-1/12-2023")),
		bRow(bLab("Övriga kostnader"), bAmt(0, "100 000")),
		bRow(bLab("Total projektbudget"), bAmt(0, "2 904 400")),
	)
	const f = "ansokan.pdf"
	return []BudgetTable{{f, page1}, {f, page2}, {f, year}, {f, summary}, {f, draft}}
}

func seed003Want() *schema.Budget {
	line := func(label string, p float64, bFrom, bTo string, party string, v int64) schema.BudgetLine {
		l := schema.BudgetLine{Label: label, Amounts: map[string]int64{party: v}, Total: bI64(v)}
		if p >= 0 {
			l.Percent = bF64(p)
		}
		if bFrom != "" {
			l.From, l.To = bStr(bFrom), bStr(bTo)
		}
		return l
	}
	zero := bAm(bUpp, 0, bReg, 0)
	return &schema.Budget{
		UnitStated: bStr("tkr"),
		Unit:       "kr",
		Period:     &schema.BudgetPeriod{Start: bStr("2023-01-01"), End: bStr("2023-12-31")},
		Parties:    []string{bUpp, bReg},
		Requested: &schema.CostGroups{
			Salaries: &schema.CostGroup{
				Lines: []schema.BudgetLine{
					line("Kvalificerad handläggare/ projektledare", 100, "2023-01-01", "2023-12-31", bUpp, 672000),
					line("Socialsekreterare", 100, "2023-01-01", "2023-12-31", bUpp, 672000),
					line("Arbetsterapeut", 50, "2023-01-01", "2023-11-30", bUpp, 280000),
					line("Rehabiliteringskoordinator", 100, "2023-01-01", "2023-12-31", bReg, 680400),
				},
				Sum: &schema.SumRow{Percent: bF64(350), Amounts: bAm(bUpp, 1624000, bReg, 680400), Total: bI64(2304400)},
			},
			Premises: &schema.CostGroup{Lines: []schema.BudgetLine{}, Sum: &schema.SumRow{Amounts: zero, Total: bI64(0)}},
			Other: &schema.CostGroup{
				Lines: []schema.BudgetLine{
					line("Inköpta utredningar, utbildningar och tjänster avsedda för deltagare", -1, "2023-01-01", "2023-12-31", bUpp, 500000),
					line("Övrigt", -1, "2023-01-01", "2023-12-31", bUpp, 100000),
				},
				Sum: &schema.SumRow{Amounts: bAm(bUpp, 600000, bReg, 0), Total: bI64(600000)},
			},
		},
		OwnFinancing: &schema.CostGroups{
			Salaries: &schema.CostGroup{
				Lines: []schema.BudgetLine{
					line("Socialsekreterare", 100, "2023-01-01", "2023-12-31", bUpp, 672000),
					line("Socialsekreterare", 100, "2023-01-01", "2023-12-31", bUpp, 672000),
				},
				Sum: &schema.SumRow{Percent: bF64(200), Amounts: bAm(bUpp, 1344000, bReg, 0), Total: bI64(1344000)},
			},
			Premises: &schema.CostGroup{Lines: []schema.BudgetLine{}, Sum: &schema.SumRow{Amounts: bAm(bUpp, 0, bReg, 0), Total: bI64(0)}},
			Other:    &schema.CostGroup{Lines: []schema.BudgetLine{}, Sum: &schema.SumRow{Amounts: bAm(bUpp, 0, bReg, 0), Total: bI64(0)}},
		},
		RequestedTotal:    &schema.Total{Amounts: bAm(bUpp, 2224000, bReg, 680400), Total: bI64(2904400)},
		OwnFinancingTotal: &schema.Total{Amounts: bAm(bUpp, 1344000, bReg, 0), Total: bI64(1344000)},
		TotalCost:         &schema.Total{Amounts: bAm(bUpp, 3568000, bReg, 680400), Total: bI64(4248400)},
		Summary: []schema.SummaryRow{
			{Party: bUpp, Requested: bI64(2224000), OwnFinancing: bI64(1344000), Total: bI64(3568000)},
			{Party: bReg, Requested: bI64(680400), OwnFinancing: bI64(0), Total: bI64(680400)},
		},
	}
}

func TestParseBudgetSeed003PDF(t *testing.T) {
	b, locs := parseBudget(seed003PDF())
	if b == nil {
		t.Fatal("no budget")
	}
	budgetCheckEqual(t, "budget", b, seed003Want())
	for p, page := range map[string]int{
		"/budget/requested/salaries/lines/3": 9,
		"/budget/requested/other/lines/0":    10,
		"/budget/requested_total":            10,
		"/budget/total_cost":                 10,
		"/budget/summary/1":                  12,
		"/budget/period":                     9,
	} {
		if l := locs[p]; l.Page != page || l.File != "ansokan.pdf" {
			t.Errorf("locs[%q] = %+v, want page %d", p, l, page)
		}
	}
}

// ---------------------------------------------------------------------
// Special rows and columns.

func TestParseBudgetRows(t *testing.T) {
	header := [][]string{
		bg("Kostnader i kr", "", "", "", "Huvudinsatsägare", "Delinsatsägare", "Delinsatsägare"),
		bg("", "", "", "", "Uppsala kommun", "NAMN", "Region uppsala", "ATT REKVIRERA - ALLA INSATSÄGARE"),
		bg("Lönekostnader", "tjänst i %"),
	}
	tests := []struct {
		name  string
		rows  [][]string
		check func(t *testing.T, b *schema.Budget)
	}{
		{
			name: "placeholder column with an amount keeps it under NAMN",
			rows: [][]string{
				bg("Projektledare", "50%", "1/1-2023", "31/12-2023", "", "300 000", "", "300 000"),
				bg("Summa lönekostnader", "50%", "", "", "0", "300 000", "0", "300 000"),
			},
			check: func(t *testing.T, b *schema.Budget) {
				budgetCheckEqual(t, "parties", b.Parties, []string{bUpp, bReg})
				budgetCheckEqual(t, "line", b.Requested.Salaries.Lines, []schema.BudgetLine{
					{Label: "Projektledare", Percent: bF64(50), From: bStr("2023-01-01"), To: bStr("2023-12-31"), Amounts: bAm("NAMN", 300000), Total: bI64(300000)}})
				budgetCheckEqual(t, "sum", b.Requested.Salaries.Sum, &schema.SumRow{Percent: bF64(50), Amounts: bAm(bUpp, 0, "NAMN", 300000, bReg, 0), Total: bI64(300000)})
			},
		},
		{
			name: "Kostnadsbeteckning with amounts is a line; without, it is not",
			rows: [][]string{
				bg("Övriga kostnader"),
				bg("Kostnadsbeteckning", "", "", "", "10 000", "", "", "10 000"),
				bg("Kostnadsbeteckning", "", "", "", "", "", "", "0"),
				bg("Utvärdering", "", "", "", "0", "", "", "0"),
				bg("5.", "0%", "", "", "", "", "", "0"),
			},
			check: func(t *testing.T, b *schema.Budget) {
				budgetCheckEqual(t, "other lines", b.Requested.Other.Lines, []schema.BudgetLine{
					{Label: "Kostnadsbeteckning", Amounts: bAm(bUpp, 10000), Total: bI64(10000)}})
				if len(b.Requested.Salaries.Lines) != 0 {
					t.Errorf("salaries lines = %v", b.Requested.Salaries.Lines)
				}
			},
		},
		{
			name: "a line with a zero total as written and amounts only non-zero",
			rows: [][]string{
				bg("Koordinator", "100%", "", "", "400 000", "", "", "0"),
			},
			check: func(t *testing.T, b *schema.Budget) {
				budgetCheckEqual(t, "line", b.Requested.Salaries.Lines, []schema.BudgetLine{
					{Label: "Koordinator", Percent: bF64(100), Amounts: bAm(bUpp, 400000), Total: bI64(0)}})
				if *b.UnitStated != "kr" || b.Unit != "kr" {
					t.Errorf("unit %q/%q", *b.UnitStated, b.Unit)
				}
			},
		},
		{
			name: "a row with no total written has a nil total",
			rows: [][]string{
				bg("Koordinator", "100%", "", "", "400 000"),
			},
			check: func(t *testing.T, b *schema.Budget) {
				if l := b.Requested.Salaries.Lines; len(l) != 1 || l[0].Total != nil {
					t.Errorf("lines = %s", budgetJSON(t, l))
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := append(append([][]string{}, header...), tc.rows...)
			b, _ := parseBudget([]BudgetTable{{"b.docx", budgetGrid(rows...)}})
			if b == nil {
				t.Fatal("no budget")
			}
			tc.check(t, b)
		})
	}
}

func TestParseBudgetUnit(t *testing.T) {
	tests := []struct {
		name      string
		unitRow   string
		amount    string
		wantUnit  string
		wantTotal int64
		wantState *string
	}{
		{"tkr header over kronor", "Kostnader i tkr", "1 362 000", "kr", 1362000, bStr("tkr")},
		{"tkr header over thousands", "Kostnader i tkr", "1 362", "tkr", 1362000, bStr("tkr")},
		{"kr header", "Kostnader i kr", "1 362 000", "kr", 1362000, bStr("kr")},
		{"no header, small figures stay kronor", "Kostnader", "800", "kr", 800, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tbl := budgetGrid(
				bg(tc.unitRow, "", "", "", "Huvudinsatsägare", "Delinsatsägare"),
				bg("", "", "", "", "Älvkarleby kommun", "Region Uppsala", "ATT REKVIRERA - ALLA INSATSÄGARE"),
				bg("Lönekostnader"),
				bg("Stödjare", "100%", "", "", tc.amount, "", tc.amount),
				bg("Totalt från Samordningsförbundet", "", "", "", tc.amount, "0", tc.amount),
			)
			b, _ := parseBudget([]BudgetTable{{"b.docx", tbl}})
			if b == nil {
				t.Fatal("no budget")
			}
			if b.Unit != tc.wantUnit || !reflect.DeepEqual(b.UnitStated, tc.wantState) {
				t.Errorf("unit = %q, stated %s; want %q, %s", b.Unit, budgetJSON(t, b.UnitStated), tc.wantUnit, budgetJSON(t, tc.wantState))
			}
			if got := *b.RequestedTotal.Total; got != tc.wantTotal {
				t.Errorf("requested total = %d, want %d", got, tc.wantTotal)
			}
			if got := b.Requested.Salaries.Lines[0].Amounts[bAlv]; got != tc.wantTotal {
				t.Errorf("line amount = %d, want %d", got, tc.wantTotal)
			}
		})
	}
}

func TestParseBudgetNone(t *testing.T) {
	for name, tables := range map[string][]BudgetTable{
		"nothing":   nil,
		"no budget": {{"a.docx", budgetGrid(bg("Ja", "Nej"), bg("x"))}},
		"draft only": {{"a.xlsx", budgetGrid(bg("Utkast budget"), bg("Lönekostnader"), bg("Socialsekreterare", "672 000"),
			bg("Total projektbudget", "672 000"))}},
	} {
		if b, _ := parseBudget(tables); b != nil {
			t.Errorf("%s: got a budget %s", name, budgetJSON(t, b))
		}
	}
}

// ---------------------------------------------------------------------
// A real workbook: built with excelize (formulas without cached values,
// merged header cells, percent and date formats, an amount typed as
// text), read by the extractor, parsed here.

func budgetWorkbook(t *testing.T, extra func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	const det = "Budget - detaljerad"
	must(f.SetSheetName("Sheet1", det))
	set := func(sheet, ref string, v any) { t.Helper(); must(f.SetCellValue(sheet, ref, v)) }
	fx := func(sheet, ref, s string) { t.Helper(); must(f.SetCellFormula(sheet, ref, s)) }
	style := func(code string) int {
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		must(err)
		return id
	}
	amount, pctS, date := style("#,##0"), style("0%"), style("yy-mm-dd")
	row := func(n int, label string) string { r := "A" + strconv.Itoa(n); set(det, r, label); return r }

	set(det, "A1", "Budget - detaljerad Förstärkt stöd")
	must(f.MergeCell(det, "A1", "I1"))
	set(det, "A2", "Insatsens löptid:")
	set(det, "C2", 44927) // 2023-01-01
	set(det, "D2", 45657) // 2024-12-31
	must(f.SetCellStyle(det, "C2", "D2", date))
	set(det, "A4", "Kostnader i tkr")
	for i, c := range []string{"E", "F", "G", "H"} {
		role := "Delinsatsägare"
		if i == 0 {
			role = "Huvudinsatsägare"
		}
		set(det, c+"4", role)
	}
	set(det, "E5", "Älvkarleby kommun")
	set(det, "F5", "Arbetsförmedlningen")
	set(det, "G5", "Försäkringskassan")
	set(det, "H5", "Region Uppsala")
	set(det, "I4", "ATT REKVIRERA - ALLA INSATSÄGARE")
	must(f.MergeCell(det, "I4", "I5"))
	row(6, "Lönekostnader")
	set(det, "B6", "tjänst i %")
	set(det, "C6", "tidsperiod (ååmmdd)")
	must(f.MergeCell(det, "C6", "D6"))
	row(7, "inkl PO.pålägg")
	set(det, "C7", "från")
	set(det, "D7", "till")

	// Lines 8-11, sum 12.
	row(8, "1. Arbetsmarknadsstödjare")
	set(det, "B8", 1)
	set(det, "C8", 44927)
	set(det, "D8", 45657)
	set(det, "E8", 1362000)
	row(9, "2.")
	set(det, "B9", 0)
	row(10, "Socialsekreterare")
	set(det, "B10", 0.5)
	set(det, "C10", "1/1-2023") // text dates
	set(det, "D10", "31/12-2023")
	set(det, "H10", "200\u00a0000") // an amount typed as text, NBSP
	for r := 8; r <= 10; r++ {
		fx(det, "I"+strconv.Itoa(r), "SUM(E"+strconv.Itoa(r)+":H"+strconv.Itoa(r)+")")
	}
	must(f.SetCellStyle(det, "B8", "B12", pctS))
	must(f.SetCellStyle(det, "C8", "D9", date))
	row(12, "Summa lönekostnader")
	fx(det, "B12", "SUM(B8:B10)")
	for _, c := range []string{"E", "F", "G", "H", "I"} {
		fx(det, c+"12", "SUM("+c+"8:"+c+"10)")
	}
	row(13, "Lokalkostnader")
	row(14, "Lokalhyra")
	set(det, "E14", 86400)
	fx(det, "I14", "SUM(E14:H14)")
	row(15, "Summa lokalkostnader")
	for _, c := range []string{"E", "F", "G", "H", "I"} {
		fx(det, c+"15", "SUM("+c+"14:"+c+"14)")
	}
	row(16, "Övriga kostnader")
	row(17, "Inköpta utredningar, utbildningar och tjänster avsedda för deltagare")
	set(det, "E17", 92000)
	fx(det, "I17", "SUM(E17:H17)")
	row(18, "Summa övriga kostnader")
	for _, c := range []string{"E", "F", "G", "H", "I"} {
		fx(det, c+"18", "SUM("+c+"17:"+c+"17)")
	}
	row(19, "Totalt från Samordningsförbundet")
	for _, c := range []string{"E", "F", "G", "H", "I"} {
		fx(det, c+"19", c+"12+"+c+"15+"+c+"18")
	}
	row(20, "Egenfinansiering")
	set(det, "E20", "Älvkarleby kommun")
	set(det, "F20", "Arbetsförmedlingen")
	set(det, "G20", "Försäkringskassan")
	set(det, "H20", "Region Uppsala")
	row(21, "Lönekostnader inkl po-pål")
	row(22, "Socialsekreterare")
	set(det, "B22", 1)
	set(det, "E22", 672000)
	fx(det, "I22", "SUM(E22:H22)")
	must(f.SetCellStyle(det, "B22", "B23", pctS))
	row(23, "Summa lönekostnader")
	fx(det, "B23", "B22")
	for _, c := range []string{"E", "F", "G", "H", "I"} {
		fx(det, c+"23", c+"22")
	}
	row(24, "Summa egenfinansiering")
	for _, c := range []string{"E", "F", "G", "H", "I"} {
		fx(det, c+"24", c+"23")
	}
	row(25, "Total kostnad för insatsen")
	for _, c := range []string{"E", "F", "G", "H", "I"} {
		fx(det, c+"25", c+"19+"+c+"24")
	}
	must(f.SetCellStyle(det, "E8", "I25", amount))

	const sum = "Budgetsammanställning"
	_, err := f.NewSheet(sum)
	must(err)
	set(sum, "A1", "Budgetsammanställning Förstärkt stöd")
	set(sum, "A2", "Projektets löptid")
	set(sum, "B2", 44927)
	set(sum, "C2", 45657)
	must(f.SetCellStyle(sum, "B2", "C2", date))
	set(sum, "A3", "Kostnader i tkr")
	set(sum, "B3", "Att rekvirera från Samordningsförbundet")
	set(sum, "C3", "Projektägarnas egenfinansiering")
	set(sum, "D3", "Övrig finansiering, ESF mm")
	set(sum, "E3", "Totalt projektet")
	parties := []struct{ role, org, col string }{
		{"Huvudinsatsägare", "Älvkarleby kommun", "E"},
		{"Delinsatsägare 1", "Arbetsförmedlingen", "F"},
		{"Delinsatsägare 2", "Försäkrningskassan", "G"},
		{"Delinsatsägare 3", "NAMN", ""},
		{"Delinsatsägare 4", "Region Uppsala", "H"},
	}
	r := 4
	for _, p := range parties {
		set(sum, "A"+strconv.Itoa(r), p.role)
		set(sum, "A"+strconv.Itoa(r+1), p.org)
		if p.col != "" {
			fx(sum, "B"+strconv.Itoa(r+1), "'Budget - detaljerad'!"+p.col+"19")
			fx(sum, "C"+strconv.Itoa(r+1), "'Budget - detaljerad'!"+p.col+"24")
		} else {
			set(sum, "B"+strconv.Itoa(r+1), 0)
			set(sum, "C"+strconv.Itoa(r+1), 0)
		}
		fx(sum, "E"+strconv.Itoa(r+1), "B"+strconv.Itoa(r+1)+"+C"+strconv.Itoa(r+1)+"+D"+strconv.Itoa(r+1))
		r += 2
	}
	set(sum, "A"+strconv.Itoa(r), "Summa")
	fx(sum, "B"+strconv.Itoa(r), "SUM(B4:B"+strconv.Itoa(r-1)+")")
	must(f.SetCellStyle(sum, "B4", "E"+strconv.Itoa(r), amount))

	_, err = f.NewSheet("Utkast")
	must(err)
	set("Utkast", "A1", "Utkast budget")
	set("Utkast", "A2", "Socialsekreterare, 100%")
	set("Utkast", "B2", "672 000")
	// Print layout like the template's: landscape, wide label column, so
	// that a PDF export of the workbook looks like the seeds' budget pages.
	land, one := "landscape", 1
	for _, sh := range []string{det, sum} {
		must(f.SetColWidth(sh, "A", "A", 42))
		must(f.SetColWidth(sh, "B", "D", 12))
		must(f.SetColWidth(sh, "E", "I", 18))
		must(f.SetPageLayout(sh, &excelize.PageLayoutOptions{Orientation: &land, FitToWidth: &one}))
	}
	if extra != nil {
		extra(f)
	}
	var buf bytes.Buffer
	must(f.Write(&buf))
	return buf.Bytes()
}

func budgetTablesOf(t *testing.T, name string, data []byte) []BudgetTable {
	t.Helper()
	doc, err := xlsx.Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []BudgetTable
	for _, b := range doc.Blocks {
		if b.Table != nil {
			out = append(out, BudgetTable{File: name, Table: b.Table})
		}
	}
	return out
}

func TestParseBudgetXLSX(t *testing.T) {
	b, locs := parseBudget(budgetTablesOf(t, "budget.xlsx", budgetWorkbook(t, nil)))
	if b == nil {
		t.Fatal("no budget")
	}
	zero := func(m map[string]int64) map[string]int64 {
		out := bAm(bAlv, 0, bAF, 0, bFK, 0, bReg, 0)
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	want := &schema.Budget{
		UnitStated: bStr("tkr"),
		Unit:       "kr",
		Period:     &schema.BudgetPeriod{Start: bStr("2023-01-01"), End: bStr("2024-12-31")},
		Parties:    []string{bAlv, bAF, bFK, bReg},
		Requested: &schema.CostGroups{
			Salaries: &schema.CostGroup{
				Lines: []schema.BudgetLine{
					{Label: "1. Arbetsmarknadsstödjare", Percent: bF64(100), From: bStr("2023-01-01"), To: bStr("2024-12-31"), Amounts: bAm(bAlv, 1362000), Total: bI64(1362000)},
					// SUM ignores the amount typed as text: the total is
					// 0 as the workbook computes it; the checks will see it.
					{Label: "Socialsekreterare", Percent: bF64(50), From: bStr("2023-01-01"), To: bStr("2023-12-31"), Amounts: bAm(bReg, 200000), Total: bI64(0)},
				},
				Sum: &schema.SumRow{Percent: bF64(150), Amounts: zero(bAm(bAlv, 1362000)), Total: bI64(1362000)},
			},
			Premises: &schema.CostGroup{
				Lines: []schema.BudgetLine{{Label: "Lokalhyra", Amounts: bAm(bAlv, 86400), Total: bI64(86400)}},
				Sum:   &schema.SumRow{Amounts: zero(bAm(bAlv, 86400)), Total: bI64(86400)},
			},
			Other: &schema.CostGroup{
				Lines: []schema.BudgetLine{{Label: "Inköpta utredningar, utbildningar och tjänster avsedda för deltagare", Amounts: bAm(bAlv, 92000), Total: bI64(92000)}},
				Sum:   &schema.SumRow{Amounts: zero(bAm(bAlv, 92000)), Total: bI64(92000)},
			},
		},
		OwnFinancing: &schema.CostGroups{
			Salaries: &schema.CostGroup{
				Lines: []schema.BudgetLine{{Label: "Socialsekreterare", Percent: bF64(100), Amounts: bAm(bAlv, 672000), Total: bI64(672000)}},
				Sum:   &schema.SumRow{Percent: bF64(100), Amounts: zero(bAm(bAlv, 672000)), Total: bI64(672000)},
			},
			Premises: &schema.CostGroup{Lines: []schema.BudgetLine{}},
			Other:    &schema.CostGroup{Lines: []schema.BudgetLine{}},
		},
		RequestedTotal:    &schema.Total{Amounts: zero(bAm(bAlv, 1540400)), Total: bI64(1540400)},
		OwnFinancingTotal: &schema.Total{Amounts: zero(bAm(bAlv, 672000)), Total: bI64(672000)},
		TotalCost:         &schema.Total{Amounts: zero(bAm(bAlv, 2212400)), Total: bI64(2212400)},
		Summary: []schema.SummaryRow{
			{Party: bAlv, Requested: bI64(1540400), OwnFinancing: bI64(672000), Total: bI64(2212400)},
			{Party: bAF, Requested: bI64(0), OwnFinancing: bI64(0), Total: bI64(0)},
			{Party: bFK, Requested: bI64(0), OwnFinancing: bI64(0), Total: bI64(0)},
			{Party: bReg, Requested: bI64(0), OwnFinancing: bI64(0), Total: bI64(0)},
		},
	}
	budgetCheckEqual(t, "budget", b, want)
	for p, cell := range map[string]string{
		"/budget/requested/salaries/lines/0":                     "A8",
		"/budget/requested/salaries/lines/0/total":               "I8",
		"/budget/requested/salaries/lines/1/amounts/" + bReg:     "H10",
		"/budget/requested/salaries/sum/percent":                 "B12",
		"/budget/requested_total":                                "A19",
		"/budget/total_cost/total":                               "I25",
		"/budget/summary/0":                                      "A5",
		"/budget/summary/0/requested":                            "B5",
		"/budget/own_financing/salaries/lines/0/amounts/" + bAlv: "E22",
	} {
		l, ok := locs[p]
		if !ok || l.Cell != cell || l.File != "budget.xlsx" || l.Sheet == "" {
			t.Errorf("locs[%q] = %+v, %v; want cell %s", p, l, ok, cell)
		}
	}
}

// A submission: the workbook and the same budget printed in the PDF. The
// workbook's exact figures win, whatever the order.
func TestParseBudgetPrefersWorkbook(t *testing.T) {
	xlsx := budgetTablesOf(t, "budget.xlsx", budgetWorkbook(t, nil))
	pdf := seed003PDF()
	for _, tables := range [][]BudgetTable{append(append([]BudgetTable{}, pdf...), xlsx...), append(append([]BudgetTable{}, xlsx...), pdf...)} {
		b, locs := parseBudget(tables)
		if b == nil {
			t.Fatal("no budget")
		}
		if got := *b.RequestedTotal.Total; got != 1540400 {
			t.Errorf("requested total = %d, want the workbook's 1 540 400", got)
		}
		if l := locs["/budget/requested_total"]; l.File != "budget.xlsx" {
			t.Errorf("requested_total seen in %+v, want the workbook", l)
		}
		if len(b.Summary) != 4 || locs["/budget/summary/0"].File != "budget.xlsx" {
			t.Errorf("summary from %+v: %s", locs["/budget/summary/0"], budgetJSON(t, b.Summary))
		}
	}
}

// The budgets validate against the record's JSON Schema ($defs/budget).
func TestParseBudgetValidates(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.JSONSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("record.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("record.schema.json#/$defs/budget")
	if err != nil {
		t.Fatal(err)
	}
	for name, tables := range map[string][]BudgetTable{
		"000":  seed000Grid(),
		"003":  seed003PDF(),
		"xlsx": budgetTablesOf(t, "budget.xlsx", budgetWorkbook(t, nil)),
	} {
		b, _ := parseBudget(tables)
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(budgetJSON(t, b)))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestBudgetWriteWorkbook writes the test workbook when
// ANSOKAN_BUDGET_XLSX names a file (for trying the whole pipeline by hand).
func TestBudgetWriteWorkbook(t *testing.T) {
	path := os.Getenv("ANSOKAN_BUDGET_XLSX")
	if path == "" {
		t.Skip("set ANSOKAN_BUDGET_XLSX=FILE to write the workbook")
	}
	if err := os.WriteFile(path, budgetWorkbook(t, nil), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestParseBudgetCorpus runs the parser over every table of the shared
// robustness corpus's workbooks and Word files: whatever they hold, it
// must not panic, and a budget it returns must validate.
func TestParseBudgetCorpus(t *testing.T) {
	var files []string
	for _, dir := range []string{"xlsx", "docx"} { // PDFs: the PDF reader has its own corpus test
		root, ok := corpus.Dir()
		if !ok {
			break
		}
		fs, _ := filepath.Glob(filepath.Join(root, dir, "*"))
		files = append(files, fs...)
	}
	if len(files) == 0 {
		t.Skip("corpus not present")
	}
	n := 0
	for _, path := range files {
		doc, err := anyformat.ReadFile(path)
		if err != nil {
			continue
		}
		var tables []BudgetTable
		for _, b := range doc.Blocks {
			if b.Table != nil {
				tables = append(tables, BudgetTable{File: doc.Name, Table: b.Table})
			}
		}
		n += len(tables)
		if b, _ := parseBudget(tables); b != nil && b.Unit == "" {
			t.Errorf("%s: a budget without a unit", filepath.Base(path))
		}
	}
	t.Logf("%d tables", n)
}

func TestBudgetLabelIs(t *testing.T) {
	for _, c := range []struct {
		label, want string
		ok          bool
	}{
		{"summa egenfinansiering", "summa egenfinansiering", true},
		{"summa egenfinansicring", "summa egenfinansiering", true},
		{"summa egenfinansiering (kr)", "summa egenfinansiering", true},
		{"totalt från samordningsförbundct", "totalt från samordningsförbundet", true},
		// Must not match: two letters wrong, a short word wrong, another label.
		{"summa egenfinanscirng", "summa egenfinansiering", false},
		{"sunna egenfinansiering", "summa egenfinansiering", false},
		{"summa lokalkostnader", "summa lönekostnader", false},
		{"summa", "summa egenfinansiering", false},
	} {
		if got := budgetLabelIs(c.label, c.want); got != c.ok {
			t.Errorf("budgetLabelIs(%q, %q) = %v, want %v", c.label, c.want, got, c.ok)
		}
	}
}
