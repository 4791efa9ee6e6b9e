// Package score measures how well ansokan reads applications: it compares
// records (schema.Record) with ground truth written independently of the
// extractor (a Gold per submission) and counts what matches.
//
// A Gold has the shape of the record with only the annotated parts
// present: a part that is absent (null) in the gold is not scored. The
// scores are
//
//   - fields: title, owner organisation, partners as a set, period
//     start/end/intake_end, expected participant count, requested amount
//     and anchoring.discussed, each exact;
//   - sections: each annotated section's token F1 (tokens are lower-cased
//     words); a section counts as correct at F1 ≥ SectionThreshold;
//   - signatures: role, organisation, date, name, email and electronic of
//     each gold block, exact, blocks aligned by organisation; a block the
//     gold does not have counts as one miss;
//   - budget: every figure of the gold budget (line totals and party
//     amounts, Summa rows, the three totals, the summary rows), exact;
//   - findings: precision and recall by (code, subject);
//   - complete: agreement with the gold's complete.
package score

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/finsam/ansokan/schema"
)

// Gold is the ground truth of one submission, in the record's shape. Nil
// (absent) parts are not annotated and not scored; Findings is annotated
// when present, even empty (a clean sample: every finding is a false
// alarm).
type Gold struct {
	Title                *string                      `json:"title,omitempty"`
	Owner                *schema.Owner                `json:"owner,omitempty"`
	Partners             []schema.Partner             `json:"partners,omitempty"`
	Period               *schema.Period               `json:"period,omitempty"`
	ExpectedParticipants *schema.ExpectedParticipants `json:"expected_participants,omitempty"`
	RequestedAmountSEK   *int64                       `json:"requested_amount_sek,omitempty"`
	Anchoring            *schema.Anchoring            `json:"anchoring,omitempty"`
	Sections             map[string]GoldSection       `json:"sections,omitempty"`
	ExtraSections        []schema.Section             `json:"extra_sections,omitempty"`
	Signatures           []schema.Signature           `json:"signatures,omitempty"`
	Budget               *schema.Budget               `json:"budget,omitempty"`
	Findings             []GoldFinding                `json:"findings"`
	Complete             *bool                        `json:"complete,omitempty"`
}

// GoldSection is a section's expected text (the heading is not scored).
type GoldSection struct {
	Text string `json:"text"`
}

// GoldFinding is one expected finding. A nil Subject matches any subject
// (for codes whose subject is the reader's wording, such as the
// parties.mismatch summary). Optional marks a finding the README allows
// but does not require ("section.missing and/or template.placeholder"):
// it is neither a miss when absent nor a false alarm when present.
type GoldFinding struct {
	Code     string  `json:"code"`
	Subject  *string `json:"subject"`
	Optional bool    `json:"optional,omitempty"`
}

// Clean reports whether the gold expects no finding above severity info:
// every other finding on it is a false alarm on a clean sample.
func (g *Gold) Clean() bool {
	if g.Findings == nil {
		return false
	}
	for _, f := range g.Findings {
		if schema.DefaultSeverity[f.Code] != schema.SeverityInfo && !f.Optional {
			return false
		}
	}
	return true
}

// LoadGold reads every *.json file in dir as a Gold, keyed by the file
// name without ".json".
func LoadGold(dir string) (map[string]*Gold, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no gold files (*.json)", dir)
	}
	out := map[string]*Gold{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var g Gold
		if err := json.Unmarshal(b, &g); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out[strings.TrimSuffix(filepath.Base(p), ".json")] = &g
	}
	return out, nil
}

// Names returns the keys of a gold set in order.
func Names(gold map[string]*Gold) []string {
	out := make([]string, 0, len(gold))
	for k := range gold {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
