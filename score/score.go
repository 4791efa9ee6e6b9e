package score

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/finsam/ansokan/schema"
)

// SectionThreshold is the token F1 at which a section counts as read
// correctly.
const SectionThreshold = 0.90

// Tally counts scored items.
type Tally struct {
	Correct int `json:"correct"`
	Total   int `json:"total"`
}

// Rate is Correct/Total, 1 when nothing was scored.
func (t Tally) Rate() float64 {
	if t.Total == 0 {
		return 1
	}
	return float64(t.Correct) / float64(t.Total)
}

func (t *Tally) add(ok bool) {
	t.Total++
	if ok {
		t.Correct++
	}
}

// Plus is the sum of two tallies.
func (t Tally) Plus(u Tally) Tally {
	return Tally{Correct: t.Correct + u.Correct, Total: t.Total + u.Total}
}

// FindingTally counts findings matched by (code, subject).
type FindingTally struct {
	TruePositives  int `json:"true_positives"`
	FalsePositives int `json:"false_positives"`
	FalseNegatives int `json:"false_negatives"`
}

// Precision is TP/(TP+FP), 1 when nothing was found.
func (f FindingTally) Precision() float64 {
	if f.TruePositives+f.FalsePositives == 0 {
		return 1
	}
	return float64(f.TruePositives) / float64(f.TruePositives+f.FalsePositives)
}

// Recall is TP/(TP+FN), 1 when nothing was expected.
func (f FindingTally) Recall() float64 {
	if f.TruePositives+f.FalseNegatives == 0 {
		return 1
	}
	return float64(f.TruePositives) / float64(f.TruePositives+f.FalseNegatives)
}

// Plus is the sum of two finding tallies.
func (f FindingTally) Plus(g FindingTally) FindingTally {
	return FindingTally{f.TruePositives + g.TruePositives, f.FalsePositives + g.FalsePositives, f.FalseNegatives + g.FalseNegatives}
}

// Item is one scored comparison, kept so that a reader of the scores can
// see what was missed.
type Item struct {
	Part string `json:"part"` // fields, sections, signatures, handwritten, budget, findings, complete
	Key  string `json:"key"`
	OK   bool   `json:"ok"`
	Want string `json:"want,omitempty"`
	Got  string `json:"got,omitempty"`
}

// Result is the score of one record against its gold.
type Result struct {
	Name       string    `json:"name"`
	Fields     Tally     `json:"fields"`
	Sections   Tally     `json:"sections"`
	SectionF1  []float64 `json:"section_f1"` // per scored section, in Items order
	Signatures Tally     `json:"signatures"`
	// Handwritten counts the handwritten-signature verdicts on scanned
	// pages (the gold blocks whose handwritten is true or false).
	Handwritten Tally        `json:"handwritten"`
	Budget      Tally        `json:"budget"`
	Findings    FindingTally `json:"findings"`
	// CER is the character error rate of the section texts (and of
	// their å, ä, ö alone) against the gold's.
	CER CER `json:"cer"`
	// Complete is nil when the gold does not annotate complete.
	Complete *bool `json:"complete_agrees"`
	// Clean: the gold expects no finding above info, so every false
	// positive is a false alarm on a clean sample.
	Clean bool   `json:"clean"`
	Items []Item `json:"items"`
}

// MeanSectionF1 is the mean token F1 of the scored sections (1 when none).
func (r *Result) MeanSectionF1() float64 {
	if len(r.SectionF1) == 0 {
		return 1
	}
	var s float64
	for _, f := range r.SectionF1 {
		s += f
	}
	return s / float64(len(r.SectionF1))
}

func (r *Result) item(part string, t *Tally, key string, ok bool, want, got any) {
	t.add(ok)
	r.Items = append(r.Items, Item{Part: part, Key: key, OK: ok, Want: show(want), Got: show(got)})
}

// show renders a value for an Item: pointers dereferenced, nil as "null".
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case *string:
		if x == nil {
			return "null"
		}
		return *x
	case *int64:
		if x == nil {
			return "null"
		}
		return fmt.Sprint(*x)
	case *int:
		if x == nil {
			return "null"
		}
		return fmt.Sprint(*x)
	case *bool:
		if x == nil {
			return "null"
		}
		return fmt.Sprint(*x)
	}
	return fmt.Sprint(v)
}

// Score compares rec with g.
func Score(name string, g *Gold, rec *schema.Record) Result {
	r := Result{Name: name, Clean: g.Clean()}
	scoreFields(&r, g, rec)
	scoreSections(&r, g, rec)
	scoreSignatures(&r, g, rec)
	if g.Budget != nil {
		scoreBudget(&r, g.Budget, rec.Budget)
	}
	if g.Findings != nil {
		scoreFindings(&r, g.Findings, rec.Findings)
	}
	if g.Complete != nil {
		agree := *g.Complete == rec.Complete
		r.Complete = &agree
		r.Items = append(r.Items, Item{Part: "complete", Key: "complete", OK: agree, Want: fmt.Sprint(*g.Complete), Got: fmt.Sprint(rec.Complete)})
	}
	return r
}

// norm collapses white space, so that a line break inside a title is
// not a difference.
func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

func eqStr(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return norm(*a) == norm(*b)
}

func eqPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func scoreFields(r *Result, g *Gold, rec *schema.Record) {
	t := &r.Fields
	if g.Title != nil {
		r.item("fields", t, "title", eqStr(g.Title, rec.Title), g.Title, rec.Title)
	}
	if g.Owner != nil {
		var got *string
		if rec.Owner != nil {
			got = rec.Owner.Organisation
		}
		r.item("fields", t, "owner.organisation", eqStr(g.Owner.Organisation, got), g.Owner.Organisation, got)
	}
	if g.Partners != nil {
		want, got := partnerSet(g.Partners), partnerSet(rec.Partners)
		r.item("fields", t, "partners", slices.Equal(want, got), strings.Join(want, ", "), strings.Join(got, ", "))
	}
	if g.Period != nil {
		var p schema.Period
		if rec.Period != nil {
			p = *rec.Period
		}
		r.item("fields", t, "period.start", eqStr(g.Period.Start, p.Start), g.Period.Start, p.Start)
		r.item("fields", t, "period.end", eqStr(g.Period.End, p.End), g.Period.End, p.End)
		r.item("fields", t, "period.intake_end", eqStr(g.Period.IntakeEnd, p.IntakeEnd), g.Period.IntakeEnd, p.IntakeEnd)
	}
	if g.ExpectedParticipants != nil {
		var got *int
		if rec.ExpectedParticipants != nil {
			got = rec.ExpectedParticipants.Count
		}
		r.item("fields", t, "expected_participants.count", eqPtr(g.ExpectedParticipants.Count, got), g.ExpectedParticipants.Count, got)
	}
	if g.RequestedAmountSEK != nil {
		r.item("fields", t, "requested_amount_sek", eqPtr(g.RequestedAmountSEK, rec.RequestedAmountSEK), g.RequestedAmountSEK, rec.RequestedAmountSEK)
	}
	if g.Anchoring != nil {
		var got *bool
		if rec.Anchoring != nil {
			got = rec.Anchoring.Discussed
		}
		r.item("fields", t, "anchoring.discussed", eqPtr(g.Anchoring.Discussed, got), g.Anchoring.Discussed, got)
	}
}

func partnerSet(ps []schema.Partner) []string {
	var out []string
	for _, p := range ps {
		out = append(out, norm(p.Organisation))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// Tokens splits s into lower-cased words: runs of letters and digits.
func Tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// F1 is the token F1 of got against want (bags of Tokens): 1 when both
// are empty, 0 when only one is.
func F1(want, got string) float64 {
	w, g := Tokens(want), Tokens(got)
	if len(w) == 0 && len(g) == 0 {
		return 1
	}
	if len(w) == 0 || len(g) == 0 {
		return 0
	}
	bag := map[string]int{}
	for _, t := range w {
		bag[t]++
	}
	common := 0
	for _, t := range g {
		if bag[t] > 0 {
			bag[t]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p := float64(common) / float64(len(g))
	rc := float64(common) / float64(len(w))
	return 2 * p * rc / (p + rc)
}

func scoreSections(r *Result, g *Gold, rec *schema.Record) {
	keys := make([]string, 0, len(g.Sections))
	for k := range g.Sections {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		want := g.Sections[k].Text
		got, ok := rec.Sections[k]
		f := 0.0
		if ok {
			f = F1(want, got.Text)
		}
		r.SectionF1 = append(r.SectionF1, f)
		r.item("sections", &r.Sections, k, f >= SectionThreshold, fmt.Sprintf("F1 ≥ %.2f", SectionThreshold), fmt.Sprintf("F1 %.2f", f))
		text := ""
		if ok {
			text = got.Text
		}
		r.CER = r.CER.Plus(CharErrors(want, text))
	}
	// Extra sections: each gold one against the record's extra section
	// with the same heading (white space and case aside).
	used := make([]bool, len(rec.ExtraSections))
	for _, e := range g.ExtraSections {
		f := 0.0
		for i, x := range rec.ExtraSections {
			if !used[i] && strings.EqualFold(norm(x.Heading), norm(e.Heading)) {
				used[i] = true
				f = F1(e.Text, x.Text)
				break
			}
		}
		r.SectionF1 = append(r.SectionF1, f)
		r.item("sections", &r.Sections, "extra: "+e.Heading, f >= SectionThreshold, fmt.Sprintf("F1 ≥ %.2f", SectionThreshold), fmt.Sprintf("F1 %.2f", f))
	}
}

func scoreSignatures(r *Result, g *Gold, rec *schema.Record) {
	if g.Signatures == nil {
		return
	}
	used := make([]bool, len(rec.Signatures))
	t := &r.Signatures
	for gi, want := range g.Signatures {
		// Align by organisation; a gold block without one by position.
		idx := -1
		for i, s := range rec.Signatures {
			if used[i] {
				continue
			}
			if want.Organisation != nil && eqStr(want.Organisation, s.Organisation) {
				idx = i
				break
			}
		}
		if idx < 0 && want.Organisation == nil && gi < len(rec.Signatures) && !used[gi] {
			idx = gi
		}
		label := "signature " + show(want.Organisation)
		var got schema.Signature
		if idx >= 0 {
			used[idx] = true
			got = rec.Signatures[idx]
		}
		found := idx >= 0
		r.item("signatures", t, label+".role", found && want.Role == got.Role, want.Role, got.Role)
		r.item("signatures", t, label+".organisation", found && eqStr(want.Organisation, got.Organisation), want.Organisation, got.Organisation)
		r.item("signatures", t, label+".date", found && eqStr(want.Date, got.Date), want.Date, got.Date)
		r.item("signatures", t, label+".name", found && eqStr(want.Name, got.Name), want.Name, got.Name)
		r.item("signatures", t, label+".email", found && eqStr(want.Email, got.Email), want.Email, got.Email)
		r.item("signatures", t, label+".electronic", found && want.Electronic == got.Electronic, want.Electronic, got.Electronic)
		if want.Digital != nil || got.Digital != nil {
			// The digital signature matched to the block, by its index in
			// digital_signatures: scored where the gold or the record has
			// one, so that an unsigned sample's blocks add nothing.
			ok := found && want.Digital != nil && got.Digital != nil && *want.Digital == *got.Digital
			r.item("signatures", t, label+".digital", ok, want.Digital, got.Digital)
		}
		if want.Verification != nil || got.Verification != nil {
			// The signer a verification page lists matched to the block,
			// by its index in verification_signers: scored as digital is.
			ok := found && want.Verification != nil && got.Verification != nil && *want.Verification == *got.Verification
			r.item("signatures", t, label+".verification", ok, want.Verification, got.Verification)
		}
		if want.Handwritten != nil {
			// Scored apart: a verdict about ink on a scanned page.
			ok := found && got.Handwritten != nil && *got.Handwritten == *want.Handwritten
			r.item("handwritten", &r.Handwritten, label+".handwritten", ok, want.Handwritten, got.Handwritten)
		}
	}
	for i, s := range rec.Signatures {
		if !used[i] {
			r.item("signatures", t, "signature not in the gold", false, "none", show(s.Organisation))
		}
	}
}
