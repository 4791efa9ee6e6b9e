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
// digital signatures (samples/gensig's), every required party is matched
// to its own entry, as the gold says; and where the document was changed
// after signing, each signature's signature.digital_invalid names the
// revision and what changed.
func TestSignedSamplesMatched(t *testing.T) {
	gold, err := score.LoadGold("gold")
	if err != nil {
		t.Fatal(err)
	}
	subs := submissions(sampleFiles(t))
	n := 0
	for _, stem := range score.Names(gold) {
		g := gold[stem]
		if !slices.ContainsFunc(g.Signatures, func(s schema.Signature) bool { return s.Digital != nil }) {
			continue
		}
		n++
		t.Run(stem, func(t *testing.T) {
			var r schema.Record
			if err := json.Unmarshal(extract(t, subs[stem]...), &r); err != nil {
				t.Fatal(err)
			}
			if len(r.Signatures) != len(g.Signatures) {
				t.Fatalf("%d blocks, the gold has %d", len(r.Signatures), len(g.Signatures))
			}
			for i, want := range g.Signatures {
				got := r.Signatures[i]
				if want.Digital == nil || got.Digital == nil || *got.Digital != *want.Digital {
					t.Errorf("block %d (%s): matched %v, want %v", i, *want.Organisation, show(got.Digital), show(want.Digital))
					continue
				}
				d := r.DigitalSignatures[*got.Digital]
				if d.Signer == nil || !strings.Contains(*want.Name, *d.Signer) {
					t.Errorf("block %d (%s) matched to %v", i, *want.Name, d.Signer)
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
