package checks

import (
	"strings"
	"testing"

	"github.com/finsam/ansokan/schema"
)

// signedSample is a-sprangbradan.pdf's record with two of its four
// blocks matched to intact digital signatures.
func signedSample(t *testing.T) *schema.Record {
	r := load(t, "a-sprangbradan.pdf")
	ok := schema.DigitalSignature{File: "a-sprangbradan.pdf", Signer: str("Helena Norberg"), Intact: true, CoversDocument: true,
		CertificateValid: true, SignedAt: str("2023-10-16T09:30:00+02:00")}
	second := ok
	second.Signer = str("Johan Ekström")
	r.DigitalSignatures = []schema.DigitalSignature{ok, second}
	zero, one := 0, 1
	r.Signatures[0].Digital, r.Signatures[1].Digital = &zero, &one
	r.Signatures[2].Digital, r.Signatures[3].Digital = &zero, &one // both fully matched first
	return r
}

func TestDigitalAllMatchedRaisesNothing(t *testing.T) {
	r := signedSample(t)
	none(t, run(r, formCtx()), schema.CodeSignatureDigitalInvalid, schema.CodeSignatureDigitalUnmatched)
}

func TestDigitalUnmatched(t *testing.T) {
	r := signedSample(t)
	r.Signatures[2].Digital, r.Signatures[3].Digital = nil, nil
	fs := run(r, formCtx())
	want(t, fs, schema.CodeSignatureDigitalUnmatched, "Region Uppsala", "/signatures/2/digital", schema.SeverityWarning)
	want(t, fs, schema.CodeSignatureDigitalUnmatched, "Försäkringskassan", "/signatures/3/digital", schema.SeverityWarning)

	// No block matched: the document is not said to be digitally signed
	// by the others, so nothing is unmatched.
	r = signedSample(t)
	for i := range r.Signatures {
		r.Signatures[i].Digital = nil
	}
	none(t, run(r, formCtx()), schema.CodeSignatureDigitalUnmatched)
}

func TestDigitalInvalid(t *testing.T) {
	r := signedSample(t)
	r.DigitalSignatures[0].Intact = false
	r.DigitalSignatures[0].Problem = str("de underskrivna byten har ändrats efter underskriften")
	r.DigitalSignatures[1].CoversDocument = false
	r.DigitalSignatures[1].ChangedAfter = str("innehållet ändrades efter underskriften (version 3: en sidas innehåll byttes ut (objekt 4))")
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeSignatureDigitalInvalid, "Helena Norberg", "/digital_signatures/0/intact", schema.SeverityError)
	if !strings.Contains(f.Message, "byten har ändrats") {
		t.Errorf("message %q", f.Message)
	}
	f = want(t, fs, schema.CodeSignatureDigitalInvalid, "Johan Ekström", "/digital_signatures/1/covers_document", schema.SeverityError)
	if !strings.Contains(f.Message, "version 3") {
		t.Errorf("message %q", f.Message)
	}
	if r.Complete {
		t.Error("a record with an invalid digital signature is complete")
	}
}

func TestDigitalCertificateAndTrust(t *testing.T) {
	r := signedSample(t)
	no := false
	r.DigitalSignatures[0].CertificateValid = false
	r.DigitalSignatures[1].Trusted = &no
	r.DigitalSignatures[1].Issuer = str("Okänd CA")
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeSignatureDigitalInvalid, "Helena Norberg", "/digital_signatures/0/signed_at", schema.SeverityWarning)
	if !strings.Contains(f.Message, "2023-10-16 09:30") {
		t.Errorf("message %q", f.Message)
	}
	want(t, fs, schema.CodeSignatureDigitalInvalid, "Johan Ekström", "/digital_signatures/1/trusted", schema.SeverityWarning)
}

// A block without a date whose party signed digitally: the date finding
// is info naming the signing time.
func TestDigitalSigningTimeForMissingDate(t *testing.T) {
	r := signedSample(t)
	r.Signatures[0].Date = nil
	r.Signatures[1].Date = nil
	r.Signatures[1].Digital = nil
	r.Signatures[3].Digital = nil
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeSignatureDateMissing, "Enköpings kommun", "/signatures/0/date", schema.SeverityInfo)
	if !strings.Contains(f.Message, "digitalt signerat 2023-10-16 09:30") {
		t.Errorf("message %q", f.Message)
	}
	want(t, fs, schema.CodeSignatureDateMissing, "Arbetsförmedlingen", "/signatures/1/date", schema.SeverityWarning)
}

// A signer listed on an e-signature service's verification page: never
// judged as a signature (nothing was verified), its block counts as
// matched, and a block without a date gets the page's time.
func TestDigitalVerificationPage(t *testing.T) {
	r := signedSample(t)
	r.VerificationSigners = []schema.VerificationSigner{{File: "a-sprangbradan.pdf", Page: 8, Service: "Scrive",
		Name: str("Sara Lindgren"), SignedAt: str("2023-10-19T10:34:00+02:00")}}
	zero := 0
	r.Signatures[2].Digital, r.Signatures[2].Verification, r.Signatures[2].Date = nil, &zero, nil
	r.Signatures[3].Digital = nil
	fs := run(r, formCtx())
	none(t, fs, schema.CodeSignatureDigitalInvalid)
	f := want(t, fs, schema.CodeSignatureDateMissing, "Region Uppsala", "/signatures/2/date", schema.SeverityInfo)
	if !strings.Contains(f.Message, "verifikat (Scrive, sida 8 i a-sprangbradan.pdf) signerades det 2023-10-19 10:34") {
		t.Errorf("message %q", f.Message)
	}
	want(t, fs, schema.CodeSignatureDigitalUnmatched, "Försäkringskassan", "/signatures/3/digital", schema.SeverityWarning)
	for _, x := range fs {
		if x.Code == schema.CodeSignatureDigitalUnmatched && *x.Subject == "Region Uppsala" {
			t.Errorf("a block matched to a verification page's signer reported unmatched: %+v", x)
		}
	}
}

// A block matched both to a cryptographic signature and to a
// verification page's signer: the signature's time is the one named
// (the stronger evidence).
func TestDigitalBeforeVerificationPage(t *testing.T) {
	r := signedSample(t)
	r.VerificationSigners = []schema.VerificationSigner{{File: "a-sprangbradan.pdf", Page: 8, Service: "Scrive",
		Name: str("Helena Norberg"), SignedAt: str("2023-10-20T08:00:00+02:00")}}
	zero := 0
	r.Signatures[0].Verification, r.Signatures[0].Date = &zero, nil
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeSignatureDateMissing, *r.Signatures[0].Organisation, "/signatures/0/date", schema.SeverityInfo)
	if !strings.Contains(f.Message, "digitalt signerat 2023-10-16 09:30") || strings.Contains(f.Message, "verifikat") {
		t.Errorf("message %q", f.Message)
	}
}
