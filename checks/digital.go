package checks

import (
	"strconv"
	"time"

	"github.com/finsam/ansokan/schema"
)

// Digital-signature checks, over the verdicts extractor/pdfsig gave, the
// signers e-signature services' verification pages list, and the
// normalizer's matching of both to the signature blocks.
//
//   - signature.digital_invalid (error): a digital signature whose signed
//     bytes or CMS do not verify, or whose document was changed after it
//     was signed (the revision and what changed are named). As a warning:
//     a signer's certificate that was not valid at the signing time, or
//     that does not chain to a configured trust anchor.
//   - signature.digital_unmatched (warning): some signature blocks are
//     matched to digital signatures or to signers an e-signature
//     service's verification page lists, but this one is matched to
//     neither. Not raised when the signatures were read with doubt.
//   - A verification page's signer is read from the page's text, not
//     verified: it is never judged here, only counted as its block's
//     (lower-weight) evidence of signing.
//   - A block without a date whose party signed digitally, or whom a
//     verification page lists with a time, gets its
//     signature.date_missing as info naming that time (see
//     checkSignatures).
func checkDigital(r *schema.Record, c *Context) []schema.Finding {
	var out []schema.Finding
	for i, d := range r.DigitalSignatures {
		path := "/digital_signatures/" + strconv.Itoa(i)
		subject := ""
		what := "Den digitala underskriften"
		if d.Timestamp {
			what = "Dokumentets tidsstämpel"
		}
		if d.Signer != nil && !d.Timestamp {
			subject = *d.Signer
			what += " av " + *d.Signer
		}
		if d.Field != nil {
			what += " (fält " + quote(*d.Field) + ")"
		}
		what += " i " + d.File
		switch {
		case !d.Intact:
			problem := "den går inte att verifiera"
			if d.Problem != nil {
				problem = *d.Problem
			}
			out = append(out, c.finding(schema.CodeSignatureDigitalInvalid, subject, path+"/intact",
				what+" är inte giltig: "+problem+"."))
		case !d.CoversDocument:
			changed := "underskriften täcker inte hela dokumentet"
			if d.ChangedAfter != nil {
				changed = *d.ChangedAfter
			}
			out = append(out, c.finding(schema.CodeSignatureDigitalInvalid, subject, path+"/covers_document",
				what+" gäller inte dokumentet som det ser ut nu: "+changed+"."))
		case !d.CertificateValid:
			f := c.finding(schema.CodeSignatureDigitalInvalid, subject, path+"/signed_at",
				what+" gjordes med ett certifikat som inte var giltigt vid underskriften"+at(d.SignedAt)+".")
			f.Severity = schema.SeverityWarning
			out = append(out, f)
		}
		if d.Trusted != nil && !*d.Trusted {
			issuer := ""
			if d.Issuer != nil {
				issuer = " (utfärdare " + *d.Issuer + ")"
			}
			f := c.finding(schema.CodeSignatureDigitalInvalid, subject, path+"/trusted",
				what+" har ett certifikat som inte är utfärdat av någon av förbundets betrodda utfärdare"+issuer+".")
			f.Severity = schema.SeverityWarning
			out = append(out, f)
		}
	}
	if c.uncertain("signatures") {
		return out
	}
	matched := 0
	for _, s := range r.Signatures {
		if s.Digital != nil || s.Verification != nil {
			matched++
		}
	}
	if matched == 0 || matched == len(r.Signatures) {
		return out
	}
	for i, s := range r.Signatures {
		if s.Digital != nil || s.Verification != nil {
			continue
		}
		who, subject := "underskriftsblock "+strconv.Itoa(i+1), ""
		if s.Organisation != nil {
			who, subject = *s.Organisation, *s.Organisation
		}
		name := ""
		if s.Name != nil {
			name = " (" + *s.Name + ")"
		}
		out = append(out, c.finding(schema.CodeSignatureDigitalUnmatched, subject, "/signatures/"+strconv.Itoa(i)+"/digital",
			"Dokumentet är digitalt signerat av andra parter, men ingen digital underskrift hör till "+who+name+"."))
	}
	return out
}

// at formats a signing time as " (2026-03-01 12:00)", or "" when unknown.
func at(signedAt *string) string {
	if signedAt == nil {
		return ""
	}
	return " (" + signingTime(*signedAt) + ")"
}

// signingTime formats an RFC 3339 time as date and minute, in the
// signature's own offset.
func signingTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.Format("2006-01-02 15:04")
}

// verifiedBy names a verification page by its service, page and file:
// "signeringstjänstens verifikat (Scrive, sida 8 i ansokan.pdf)".
func verifiedBy(v schema.VerificationSigner) string {
	return "signeringstjänstens verifikat (" + v.Service + ", sida " + strconv.Itoa(v.Page) + " i " + v.File + ")"
}
