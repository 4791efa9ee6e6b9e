package checks

import (
	"slices"
	"strconv"
	"strings"

	"github.com/finsam/ansokan/schema"
)

// The plausibility gate of the budget. Before a budget check reports an
// applicant's error it asks whether the reading was sound: figures on a
// page OCR read with low confidence are guesses (Context.Doubtful). A misread
// table (a party column lost at a page's narrow header, its figures
// dropped or credited to a neighbour) does not make one wrong sum but a
// cascade: every line, Summa row and total the column touches. These are
// the signs of a misreading rather than of the applicant's arithmetic:
//
//   - a party column with no figure on any cost line while its Summa or
//     total rows hold non-zero amounts for it;
//   - most cost lines (at least two) failing their row sum;
//   - three or more rows (lines, Summa rows, totals) failing their row
//     sum by the same difference: one column's figures missing;
//   - one party column failing three or more of its Summa and total rows,
//     more than half of those it has.
//
// Then the record carries one extraction.uncertain finding (subject
// "budget", with the file and page, saying what could not be read) and
// none of the sum findings that would follow from the misreading
// (budget.row_sum_mismatch, .column_sum_mismatch, .total_mismatch,
// .summary_mismatch, .requested_amount_mismatch).

// budgetDoubt is why the budget's reading is doubtful.
type budgetDoubt struct {
	path string // where the evidence points
	what string // Swedish: what could not be read
}

// budgetGate computes the doubt once per record.
type budgetGate struct {
	rec   *schema.Record
	doubt *budgetDoubt
}

// budgetDoubtful tells whether the budget's sums must not be reported
// (see above).
func (c *Context) budgetDoubtful(r *schema.Record) *budgetDoubt {
	if c.gate == nil || c.gate.rec != r {
		c.gate = &budgetGate{rec: r, doubt: findBudgetDoubt(r, c)}
	}
	return c.gate.doubt
}

func findBudgetDoubt(r *schema.Record, c *Context) *budgetDoubt {
	b := r.Budget
	if b == nil {
		return nil
	}
	// Figures read by OCR with low confidence: the first such place, in
	// path order so the finding is the same at every run.
	var guessed []string
	for path, e := range c.Where {
		if strings.HasPrefix(path, "/budget/") && onPage(&e, c.Doubtful) {
			guessed = append(guessed, path)
		}
	}
	if len(guessed) > 0 {
		slices.Sort(guessed)
		e := c.Where[guessed[0]]
		return &budgetDoubt{path: guessed[0],
			what: "beloppen på sidan " + strconv.Itoa(*e.Page) + " är inskannade och lästes med OCR med låg säkerhet"}
	}
	// A party column with no figures on its lines but with totals.
	for _, p := range b.Parties {
		onLine := false
		eachLine(b, func(ln lineRef) {
			if ln.line.Amounts[p] != 0 {
				onLine = true
			}
		})
		if onLine {
			continue
		}
		for _, t := range []struct {
			t    *schema.Total
			path string
		}{{b.RequestedTotal, "/budget/requested_total"}, {b.OwnFinancingTotal, "/budget/own_financing_total"}, {b.TotalCost, "/budget/total_cost"}} {
			if t.t != nil && t.t.Amounts[p] != 0 {
				return &budgetDoubt{path: t.path + "/amounts/" + ptrKey(p),
					what: "kolumnen för " + p + " har inga belopp på kostnadsraderna men " + kr(t.t.Amounts[p]) + " på summaraderna"}
			}
		}
	}
	raw := append(rawBudgetRows(r, c), rawBudgetSums(r, c)...)
	raw = append(raw, rawBudgetTotals(r, c)...)
	if len(raw) == 0 {
		return nil
	}
	// Most lines failing their row sum.
	lines, lineFails := 0, 0
	var firstLine string
	eachLine(b, func(ln lineRef) {
		if ln.line.Total != nil {
			lines++
		}
	})
	diffs := map[int64]int{}
	var firstDiff = map[int64]string{}
	for _, f := range raw {
		if f.Code != schema.CodeBudgetRowSum && !(f.Code == schema.CodeBudgetTotal && strings.HasSuffix(f.Path, "/total")) {
			continue
		}
		if f.Code == schema.CodeBudgetRowSum && strings.Contains(f.Path, "/lines/") {
			lineFails++
			if firstLine == "" {
				firstLine = f.Path
			}
		}
		if d, ok := rowDiff(b, f.Path); ok && d != 0 {
			diffs[d]++
			if firstDiff[d] == "" {
				firstDiff[d] = f.Path
			}
		}
	}
	if lineFails >= 2 && 2*lineFails > lines {
		return &budgetDoubt{path: firstLine,
			what: strconv.Itoa(lineFails) + " av " + strconv.Itoa(lines) + " kostnadsrader summerar inte till sin total, som om en partskolumn saknas"}
	}
	for d, n := range diffs {
		if n >= 3 {
			return &budgetDoubt{path: firstDiff[d],
				what: strconv.Itoa(n) + " rader skiljer sig från sin total med samma belopp, " + kr(d) + ", som om en partskolumn saknas"}
		}
	}
	// One party failing most of its Summa and total rows.
	fails := map[string]int{}
	var first = map[string]string{}
	for _, f := range raw {
		if f.Code != schema.CodeBudgetColumnSum && f.Code != schema.CodeBudgetTotal {
			continue
		}
		_, p, ok := strings.Cut(f.Path, "/amounts/")
		if !ok {
			continue
		}
		fails[p]++
		if first[p] == "" {
			first[p] = f.Path
		}
	}
	for _, p := range b.Parties {
		n := fails[ptrKey(p)]
		if n < 3 {
			continue
		}
		rows := 0
		for _, s := range sectionNames {
			for _, gn := range groupNames {
				if g := group(costGroups(b, s.key), gn.key); g != nil && g.Sum != nil {
					if _, ok := g.Sum.Amounts[p]; ok {
						rows++
					}
				}
			}
		}
		for _, t := range []*schema.Total{b.RequestedTotal, b.OwnFinancingTotal, b.TotalCost} {
			if t != nil {
				if _, ok := t.Amounts[p]; ok {
					rows++
				}
			}
		}
		if 2*n > rows {
			return &budgetDoubt{path: first[ptrKey(p)],
				what: "kolumnen för " + p + " stämmer inte med raderna i " + strconv.Itoa(n) + " av " + strconv.Itoa(rows) + " summarader"}
		}
	}
	return nil
}

// rowDiff is a row's written total less the sum of its party cells, for
// a row-sum finding's path (".../lines/3/total", ".../sum/total",
// "/budget/requested_total/total").
func rowDiff(b *schema.Budget, path string) (int64, bool) {
	p := strings.TrimPrefix(strings.TrimSuffix(path, "/total"), "/budget/")
	var total *int64
	var amounts map[string]int64
	switch p {
	case "requested_total", "own_financing_total", "total_cost":
		t := map[string]*schema.Total{"requested_total": b.RequestedTotal, "own_financing_total": b.OwnFinancingTotal, "total_cost": b.TotalCost}[p]
		if t == nil {
			return 0, false
		}
		total, amounts = t.Total, t.Amounts
	default:
		parts := strings.Split(p, "/") // section/group/sum or section/group/lines/i
		if len(parts) < 3 {
			return 0, false
		}
		g := group(costGroups(b, parts[0]), parts[1])
		if g == nil {
			return 0, false
		}
		switch {
		case parts[2] == "sum" && g.Sum != nil:
			total, amounts = g.Sum.Total, g.Sum.Amounts
		case parts[2] == "lines" && len(parts) == 4:
			i, err := strconv.Atoi(parts[3])
			if err != nil || i < 0 || i >= len(g.Lines) {
				return 0, false
			}
			total, amounts = g.Lines[i].Total, g.Lines[i].Amounts
		default:
			return 0, false
		}
	}
	if total == nil {
		return 0, false
	}
	return *total - sumAmounts(amounts), true
}

// checkBudgetDoubt reports the doubtful reading as one
// extraction.uncertain finding.
func checkBudgetDoubt(r *schema.Record, c *Context) []schema.Finding {
	d := c.budgetDoubtful(r)
	if d == nil {
		return nil
	}
	f := c.finding(schema.CodeExtractionUncertain, "budget", d.path, "")
	where := ""
	if e := f.Evidence; e != nil {
		switch {
		case e.Page != nil:
			where = " (sidan " + strconv.Itoa(*e.Page) + " i " + e.File + ")"
		case e.Sheet != "":
			where = " (bladet ”" + e.Sheet + "” i " + e.File + ")"
		case e.File != "":
			where = " (" + e.File + ")"
		}
	}
	f.Message = "Budgeten kunde inte läsas med säkerhet: " + d.what + where + "; summakontrollerna är inte gjorda – granska manuellt."
	return []schema.Finding{f}
}
