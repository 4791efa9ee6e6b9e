package normalizer

import (
	"strings"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

// The budget template (Uppsala län, v:19-07-10) as it reaches us: an xlsx
// workbook ("Budget - detaljerad", "Budgetsammanställning", a year sheet,
// sometimes an "Utkast"), the same pages printed into the signed PDF, or a
// table in the Word application. parseBudget reads the figures as written;
// the checks decide whether they add up.
//
// Decisions (documented for the checks):
//   - A line's Amounts holds only the non-zero party amounts; Total is the
//     total column as written, also when it is 0, and nil when empty.
//   - A Summa row's and a total row's Amounts hold every party column that
//     has a figure written, zeros included (they are "as written" totals);
//     an empty cell is left out.
//   - Placeholder columns (headed NAMN, or with no organisation under the
//     role) are not parties: their zero amounts are dropped, their non-zero
//     amounts are kept under the key "NAMN" (summed when several columns
//     are placeholders) so that the checks can flag them.
//   - Rows that are unused template rows ("2.", "3.", "Kostnadsbeteckning",
//     "Utvärdering" … with no amount, percent or date other than 0) are not
//     lines. A row still labelled "Kostnadsbeteckning" that carries amounts
//     is a line, label as written.
//   - Labels wrapped over two rows (PDF) are joined with a space; line
//     breaks inside a cell become spaces.
//   - Amounts are stored in kronor. The unit is inferred from the figures:
//     when the median non-zero figure is 10 000 or more, or the largest
//     is 100 000 or more, the figures are kronor whatever the header says
//     ("Kostnader i tkr" over kronor is the common case); otherwise, when
//     the header says tkr, they are thousands and are multiplied by 1 000.
//     Without a tkr header the figures are taken as kronor.

// BudgetLoc says where a budget figure was seen (for findings' evidence).
type BudgetLoc struct {
	File        string
	Page        int
	Sheet, Cell string
	Paragraph   int
}

// BudgetTable is a table of one source file.
type BudgetTable struct {
	File  string
	Table *extractor.Table
}

// parseBudget finds the budget template's tables among the tables of one
// or more documents and returns the budget as written (nil when there is
// none), and for each JSON pointer inside the record where its row or cell
// was seen: rows ("/budget/requested/salaries/lines/0",
// "/budget/requested/salaries/sum", "/budget/requested_total",
// "/budget/summary/2", "/budget/period", "/budget/unit_stated") and the
// cells below them (".../lines/0/total", ".../lines/0/amounts/Region
// Uppsala", ".../sum/percent", "/budget/summary/2/requested").
//
// When a submission holds the budget twice (the workbook and its pages in
// the signed PDF), the workbook's figures are used: they are exact.
func parseBudget(tables []BudgetTable) (*schema.Budget, map[string]BudgetLoc) {
	var files []string
	byFile := map[string][]*extractor.Table{}
	for _, t := range tables {
		if t.Table == nil {
			continue
		}
		if _, ok := byFile[t.File]; !ok {
			files = append(files, t.File)
		}
		byFile[t.File] = append(byFile[t.File], t.Table)
	}
	var results []*budgetParse
	for _, f := range files {
		rows, exact := budgetRows(f, byFile[f])
		if len(rows) == 0 {
			continue
		}
		p := newBudgetParse(exact)
		p.run(rows)
		if p.hasDetail || len(p.summary) > 0 {
			results = append(results, p)
		}
	}
	if len(results) == 0 {
		return nil, nil
	}
	return budgetAssemble(results)
}

// ---------------------------------------------------------------------
// Putting the budget together.

// budgetAssemble makes the record's budget from the per-file parses: the
// detailed budget from the best source (a workbook's exact values before
// a PDF's or Word's text), the summary from the same file when it has one.
func budgetAssemble(results []*budgetParse) (*schema.Budget, map[string]BudgetLoc) {
	pick := func(ok func(*budgetParse) bool) *budgetParse {
		var best *budgetParse
		for _, r := range results {
			if ok(r) && (best == nil || (r.exact && !best.exact)) {
				best = r
			}
		}
		return best
	}
	detail := pick(func(r *budgetParse) bool { return r.hasDetail })
	summary := detail
	if summary == nil || len(summary.summary) == 0 {
		if s := pick(func(r *budgetParse) bool { return len(r.summary) > 0 }); s != nil {
			summary = s
		}
	}
	meta := detail
	if meta == nil {
		meta = summary
	}

	b := &schema.Budget{Parties: []string{}, Summary: []schema.SummaryRow{}}
	locs := map[string]BudgetLoc{}
	unitSrc := meta
	if unitSrc.unitStated == "" && summary != nil && summary.unitStated != "" {
		unitSrc = summary
	}
	if unitSrc.unitStated != "" {
		u := unitSrc.unitStated
		b.UnitStated = &u
		locs["/budget/unit_stated"] = unitSrc.unitLoc
	}
	periodSrc := meta
	if len(periodSrc.period) == 0 && summary != nil && len(summary.period) > 0 {
		periodSrc = summary
	}
	if ps := periodSrc.period; len(ps) > 0 {
		b.Period = &schema.BudgetPeriod{Start: &ps[0]}
		if len(ps) > 1 {
			b.Period.End = &ps[1]
		}
		locs["/budget/period"] = periodSrc.periodLoc
	}
	if detail != nil {
		b.Parties = append(b.Parties, detail.parties...)
		b.Requested, b.OwnFinancing = detail.requested, detail.own
		b.RequestedTotal, b.OwnFinancingTotal, b.TotalCost = detail.reqTotal, detail.ownTotal, detail.totalCost
		for k, v := range detail.locs {
			if !strings.HasPrefix(k, "/summary/") {
				locs["/budget"+k] = v
			}
		}
	}
	if summary != nil && len(summary.summary) > 0 {
		b.Summary = append(b.Summary, summary.summary...)
		for k, v := range summary.locs {
			if strings.HasPrefix(k, "/summary/") {
				locs["/budget"+k] = v
			}
		}
		if detail == nil {
			for _, r := range b.Summary {
				if r.Party != "NAMN" && !budgetContains(b.Parties, r.Party) {
					b.Parties = append(b.Parties, r.Party)
				}
			}
		}
	}
	b.Unit = "kr"
	if med, top := budgetMedianMax(b); b.UnitStated != nil && *b.UnitStated == "tkr" && med > 0 &&
		med < budgetKronorMedian && top < budgetKronorMax {
		b.Unit = "tkr"
		budgetScale(b, 1000)
	}
	return b, locs
}
