package samples

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

// TestSignedSamplesMatched: on every sample whose gold matches blocks to
// digital signatures or to a verification page's signers
// (samples/gensig's), every required party is matched to its own entry
// in each list, as the gold says; digital_signatures holds only what
// was verified (a verification page's signer is never there); and where
// the document was changed after signing, each signature's
// signature.digital_invalid names the revision and what changed.
func TestSignedSamplesMatched(t *testing.T) {
	gold, err := score.LoadGold("gold")
	if err != nil {
		t.Fatal(err)
	}
	subs := submissions(sampleFiles(t))
	n := 0
	for _, stem := range score.Names(gold) {
		g := gold[stem]
		if !slices.ContainsFunc(g.Signatures, func(s schema.Signature) bool { return s.Digital != nil || s.Verification != nil }) {
			continue
		}
		n++
		t.Run(stem, func(t *testing.T) {
			b := extract(t, subs[stem]...)
			var r schema.Record
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatal(err)
			}
			if len(r.Signatures) != len(g.Signatures) {
				t.Fatalf("%d blocks, the gold has %d", len(r.Signatures), len(g.Signatures))
			}
			for i, want := range g.Signatures {
				got := r.Signatures[i]
				if show(got.Digital) != show(want.Digital) {
					t.Errorf("block %d (%s): digital %v, want %v", i, *want.Organisation, show(got.Digital), show(want.Digital))
				} else if got.Digital != nil {
					d := r.DigitalSignatures[*got.Digital]
					if d.Signer == nil || !strings.Contains(*want.Name, *d.Signer) {
						t.Errorf("block %d (%s) matched to %v", i, *want.Name, d.Signer)
					}
				}
				if show(got.Verification) != show(want.Verification) {
					t.Errorf("block %d (%s): verification %v, want %v", i, *want.Organisation, show(got.Verification), show(want.Verification))
				} else if got.Verification != nil {
					v := r.VerificationSigners[*got.Verification]
					if v.Name == nil || !strings.Contains(*want.Name, *v.Name) || v.SignedAt == nil || v.Page < 1 {
						t.Errorf("block %d (%s) matched to %+v", i, *want.Name, v)
					}
				}
			}
			// Every entry of digital_signatures was verified: a
			// verification page's signer has its own list.
			var raw struct {
				Digital []map[string]any `json:"digital_signatures"`
			}
			if err := json.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			for i, d := range raw.Digital {
				for _, k := range []string{"intact", "covers_document", "certificate_valid"} {
					if _, ok := d[k].(bool); !ok {
						t.Errorf("digital_signatures[%d].%s is %v, want true or false", i, k, d[k])
					}
				}
			}
			// The gold says where the document was changed after signing.
			changed := slices.ContainsFunc(g.Findings, func(f score.GoldFinding) bool { return f.Code == schema.CodeSignatureDigitalInvalid })
			invalid := 0
			for _, f := range r.Findings {
				if f.Code != schema.CodeSignatureDigitalInvalid {
					continue
				}
				invalid++
				if !changed || !reRevision.MatchString(f.Message) || !strings.Contains(f.Message, "ändrades efter underskriften") {
					t.Errorf("%s: %s", f.Code, f.Message)
				}
			}
			if changed && invalid != len(g.Signatures) {
				t.Errorf("%d signature.digital_invalid after the change, want one per signature (%d)", invalid, len(g.Signatures))
			}
		})
	}
	if n < 3 {
		t.Errorf("%d signed samples, want at least 3 (samples/gensig)", n)
	}
}

// reRevision: the finding names the revision and what changed in it.
var reRevision = regexp.MustCompile(`version \d+: [a-zåäö]`)

func show(p *int) any {
	if p == nil {
		return "null"
	}
	return *p
}
