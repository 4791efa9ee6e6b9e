package score

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Totals sums the results of several records.
type Totals struct {
	Records     int          `json:"records"`
	Fields      Tally        `json:"fields"`
	Sections    Tally        `json:"sections"`
	SectionF1   float64      `json:"mean_section_f1"`
	Signatures  Tally        `json:"signatures"`
	Handwritten Tally        `json:"handwritten"`
	Budget      Tally        `json:"budget"`
	Findings    FindingTally `json:"findings"`
	CER         CER          `json:"cer"`
	Precision   float64      `json:"findings_precision"`
	Recall      float64      `json:"findings_recall"`
	// CleanFalseAlarms counts the findings raised on clean samples that
	// their gold does not expect.
	CleanFalseAlarms int   `json:"clean_false_alarms"`
	Complete         Tally `json:"complete"`
}

// Sum adds up results.
func Sum(results []Result) Totals {
	var t Totals
	var f1 []float64
	for _, r := range results {
		t.Records++
		t.Fields = t.Fields.Plus(r.Fields)
		t.Sections = t.Sections.Plus(r.Sections)
		f1 = append(f1, r.SectionF1...)
		t.Signatures = t.Signatures.Plus(r.Signatures)
		t.Handwritten = t.Handwritten.Plus(r.Handwritten)
		t.CER = t.CER.Plus(r.CER)
		t.Budget = t.Budget.Plus(r.Budget)
		t.Findings = t.Findings.Plus(r.Findings)
		if r.Clean {
			t.CleanFalseAlarms += r.Findings.FalsePositives
		}
		if r.Complete != nil {
			t.Complete.add(*r.Complete)
		}
	}
	t.SectionF1 = (&Result{SectionF1: f1}).MeanSectionF1()
	t.Precision, t.Recall = t.Findings.Precision(), t.Findings.Recall()
	return t
}

// Report is what `ansokan eval --json` prints.
type Report struct {
	Results []Result `json:"results"`
	Totals  Totals   `json:"totals"`
}

// pct is n of d as a percentage with the counts.
func pct(n, d int) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f%% (%d/%d)", 100*float64(n)/float64(d), n, d)
}

func frac(t Tally) string {
	if t.Total == 0 {
		return "–"
	}
	return fmt.Sprintf("%d/%d %3.0f%%", t.Correct, t.Total, 100*t.Rate())
}

// WriteText prints one row per result and a totals row; with misses, the
// items that did not match are listed under the table.
func WriteText(w io.Writer, rep Report, misses bool) error {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "record\tfields\tsections (F1≥0.90)\tmean F1\tsignatures\tbudget\tfindings P\tR\tFP\tcomplete\t")
	row := func(name string, fields, sections Tally, f1 float64, sig, bud Tally, ft FindingTally, fp string, complete string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%s\t%s\t%.2f\t%.2f\t%s\t%s\t\n", name, frac(fields), frac(sections), f1,
			frac(sig), frac(bud), ft.Precision(), ft.Recall(), fp, complete)
	}
	for _, r := range rep.Results {
		c := "–"
		if r.Complete != nil {
			c = map[bool]string{true: "agrees", false: "DIFFERS"}[*r.Complete]
		}
		fp := fmt.Sprint(r.Findings.FalsePositives)
		if r.Clean {
			fp += " (clean)"
		}
		row(r.Name, r.Fields, r.Sections, r.MeanSectionF1(), r.Signatures, r.Budget, r.Findings, fp, c)
	}
	t := rep.Totals
	row(fmt.Sprintf("TOTAL (%d)", t.Records), t.Fields, t.Sections, t.SectionF1, t.Signatures, t.Budget, t.Findings,
		fmt.Sprintf("%d (%d on clean)", t.Findings.FalsePositives, t.CleanFalseAlarms), frac(t.Complete))
	if err := tw.Flush(); err != nil {
		return err
	}
	// Scans: the handwritten verdicts and the character error rates,
	// under the table, only when some gold judges a scanned signature.
	if t.Handwritten.Total > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "record	handwritten	CER	CER å/ä/ö	")
		for _, r := range rep.Results {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", r.Name, frac(r.Handwritten), pct(r.CER.Errors, r.CER.Chars), pct(r.CER.UmlautErrors, r.CER.Umlauts))
		}
		fmt.Fprintf(tw, "TOTAL (%d)\t%s\t%s\t%s\t\n", t.Records, frac(t.Handwritten), pct(t.CER.Errors, t.CER.Chars), pct(t.CER.UmlautErrors, t.CER.Umlauts))
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if !misses {
		return nil
	}
	for _, r := range rep.Results {
		first := true
		for _, it := range r.Items {
			if it.OK {
				continue
			}
			if first {
				fmt.Fprintf(w, "\n%s:\n", r.Name)
				first = false
			}
			fmt.Fprintf(w, "  %-10s %s: want %s, got %s\n", it.Part, it.Key, it.Want, it.Got)
		}
	}
	return nil
}
