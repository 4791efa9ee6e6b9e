package pdfsig_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/extractor/pdfsig"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/schema"
)

// record reads pdf as the normalizer does and returns its record.
func record(t *testing.T, pdf []byte) *schema.Record {
	t.Helper()
	doc, err := anyformat.Read(bytes.NewReader(pdf), int64(len(pdf)), "ansokan.pdf")
	if err != nil {
		t.Fatal(err)
	}
	return normalizer.Normalize([]normalizer.Input{{Doc: doc}}, nil)
}

func findings(r *schema.Record, code string) []schema.Finding {
	var out []schema.Finding
	for _, f := range r.Findings {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

// A sample signed by two of its four parties: the signatures are in the
// record, matched to their blocks (one by e-mail, one by name in the
// other order without diacritics), and the two other parties are
// reported as digitally unsigned. Then a page is added after signing.
func TestRecordOfSignedSample(t *testing.T) {
	pdf, err := os.ReadFile(filepath.Join("..", "..", "samples", "a-sprangbradan.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	pdf = pdfsig.SignBare(t, pdf, "Agare", "Helena Norberg", "Enköpings kommun", "helena.norberg@enkoping.se")
	pdf = pdfsig.SignBare(t, pdf, "AF", "Ekstrom Johan", "Arbetsformedlingen", "je@example.se")
	r := record(t, pdf)

	if len(r.DigitalSignatures) != 2 {
		t.Fatalf("got %d digital signatures: %+v", len(r.DigitalSignatures), r.DigitalSignatures)
	}
	for i, d := range r.DigitalSignatures {
		if !d.Intact || !d.CoversDocument || d.File != "ansokan.pdf" || d.Trusted != nil || d.SignedAt == nil {
			t.Errorf("digital signature %d: %+v", i, d)
		}
	}
	want := []int{0, 1, -1, -1}
	if len(r.Signatures) != len(want) {
		t.Fatalf("got %d signature blocks", len(r.Signatures))
	}
	for i, w := range want {
		got := -1
		if r.Signatures[i].Digital != nil {
			got = *r.Signatures[i].Digital
		}
		if got != w {
			t.Errorf("block %d (%v) matched digital %d, want %d", i, *r.Signatures[i].Name, got, w)
		}
	}
	if f := findings(r, schema.CodeSignatureDigitalUnmatched); len(f) != 2 || *f[0].Subject != "Region Uppsala" {
		t.Errorf("unmatched: %+v", f)
	}
	if f := findings(r, schema.CodeSignatureDigitalInvalid); len(f) != 0 {
		t.Errorf("invalid: %+v", f)
	}
	if !r.Complete {
		t.Errorf("record not complete: %+v", r.Findings)
	}

	changed := pdfsig.AppendUpdate(pdf, map[int]string{
		9000: "<< /Type /Page /MediaBox [0 0 595 842] >>",
	})
	r = record(t, changed)
	f := findings(r, schema.CodeSignatureDigitalInvalid)
	for _, x := range f {
		t.Log(x.Message)
	}
	if len(f) != 2 || f[0].Severity != schema.SeverityError || !strings.Contains(f[0].Message, "en sida lades till") ||
		!strings.Contains(f[0].Message, "version 4") || r.Complete {
		t.Errorf("after a page was added: %+v", f)
	}
}
