package normalizer

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/schema"
)

// Verification pages as the services print them (the shape, not their
// exact wording), and pages that must not be taken for one.
var verificationCases = []struct {
	name    string
	page    string
	service string
	want    []pageSigner
	// headingInProse: joined into one paragraph, the service's heading
	// no longer starts a line, and the page is not recognised (a
	// heading must start a line, or prose naming the service would
	// count).
	headingInProse bool
}{
	{name: "Scrive verifikat", service: "Scrive", page: `Verifikat
Transaktion 09222115557429823671
Dokument
Ansökan Språngbrädan
Huvuddokument
7 sidor
Initierat på 2023-10-16 09:12:03 CEST (+0200) av Helena Norberg (HN)
Färdigställt 2023-10-20 10:51:00 CEST (+0200)
Signerande parter
Helena Norberg (HN)
Enköpings kommun
helena.norberg@enkoping.se
Signerade 2023-10-16 10:00:00 CEST (+0200)
Johan Ekström (JE)
Arbetsförmedlingen
johan.ekstrom@arbetsformedlingen.se
Signerade 2023-10-18 10:17:00 CEST (+0200)
Händelsehistorik
Helena Norberg (HN) signerade 2023-10-16 10:00:00 CEST (+0200)
Johan Ekström (JE) signerade 2023-10-18 10:17:00 CEST (+0200)`,
		want: []pageSigner{
			{"Helena Norberg", "helena.norberg@enkoping.se", "Enköpings kommun", "2023-10-16T10:00:00+02:00"},
			{"Johan Ekström", "johan.ekstrom@arbetsformedlingen.se", "Arbetsförmedlingen", "2023-10-18T10:17:00+02:00"},
		}},
	{name: "Scrive, event log only", service: "Scrive", page: `Verifikat
Transaktion 123
Händelsehistorik
Sara Lindgren (SL) signerade 2023-11-02 14:05:09 CET (+0100)`,
		want: []pageSigner{{Name: "Sara Lindgren", SignedAt: "2023-11-02T14:05:09+01:00"}}},
	{name: "Visma Sign (Addo)", service: "Visma Sign", headingInProse: true, page: `Detta dokument är signerat elektroniskt
Visma Sign
Signaturer
Signerat av: Mikael Holm
Organisation: Försäkringskassan
E-post: mikael.holm@forsakringskassan.se
Tidpunkt: 2023-10-20 10:51
Signerat av: Sara Lindgren
E-post: sara.lindgren@regionuppsala.se
Tidpunkt: 2023-10-19 10:34`,
		want: []pageSigner{
			{"Mikael Holm", "mikael.holm@forsakringskassan.se", "Försäkringskassan", "2023-10-20T10:51:00+02:00"},
			{"Sara Lindgren", "sara.lindgren@regionuppsala.se", "", "2023-10-19T10:34:00+02:00"},
		}},
	{name: "DocuSign certificate of completion", service: "DocuSign", page: `Certificate Of Completion
Envelope Id: 4F2A1C0E9B7D4E2A8C5B3D1F6E7A9B0C Status: Completed
Signer Events Signature Timestamp
Anna Svensson
anna.svensson@tierp.se
Security Level: Email, Account Authentication (None)
Sent: 3/1/2024 | 11:02:15 AM
Signed: 3/1/2024 | 11:40:02 AM
Bo Ek
bo.ek@regionuppsala.se
Signed: 11/4/2024 | 9:03:44 AM`,
		want: []pageSigner{
			{"Anna Svensson", "anna.svensson@tierp.se", "", "2024-03-01T11:40:02+01:00"},
			{"Bo Ek", "bo.ek@regionuppsala.se", "", "2024-11-04T09:03:44+01:00"},
		}},
	{name: "Assently", service: "Assently", page: `Assently
Signed by
Karin Öberg
karin.oberg@uppsala.se
2024-06-12 08:15:00 UTC`,
		want: []pageSigner{{"Karin Öberg", "karin.oberg@uppsala.se", "", "2024-06-12T08:15:00Z"}}},

	// Not verification pages.
	{name: "project text that mentions signing", page: `Underskrifter
Ansökan ska vara signerad av samtliga parter innan den lämnas in.
Signerat av behörig företrädare för varje part, t.ex. via Visma Sign eller Scrive.
Helena Norberg
helena.norberg@enkoping.se
2023-10-16`},
	{name: "a form's signature block", page: `Underskrift
Namn: Helena Norberg
E-post: helena.norberg@enkoping.se
Datum: 2023-10-16 10:00`},
	{name: "the word verifikat alone", page: `Verifikat
Bokföringen ska ha ett verifikat för varje utgift.
Namn: Johan Ekström`},
	{name: "a service named in prose", page: `Vi signerar med Visma Sign och Assently.
Signerat av: Helena Norberg`},
	{name: "markers but no signer", service: "", page: `Certificate Of Completion
Envelope Id: 123
Signer Events`},
}

func TestVerificationPage(t *testing.T) {
	for _, c := range verificationCases {
		t.Run(c.name, func(t *testing.T) {
			service, got := verificationPage(strings.Split(c.page, "\n"))
			if service != c.service {
				t.Errorf("service %q, want %q", service, c.service)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("signers:\n got  %+v\n want %+v", got, c.want)
			}
			// The same page with its lines joined into one paragraph, as
			// a PDF reader may give it: cut again, read the same.
			if c.headingInProse {
				return
			}
			joined := segment(strings.ReplaceAll(c.page, "\n", " "))
			service, got = verificationPage(joined)
			if service != c.service || fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("joined into one paragraph, cut into %q:\n got  %q %+v\n want %q %+v", joined, service, got, c.service, c.want)
			}
		})
	}
}

func TestPageTime(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Signerade 2023-10-16 10:00:00 CEST (+0200)", "2023-10-16T10:00:00+02:00"},
		{"2024-01-05 09:30", "2024-01-05T09:30:00+01:00"},          // winter: CET
		{"2024-03-31 01:59", "2024-03-31T01:59:00+01:00"},          // the last Sunday of March, before 02:00
		{"2024-03-31 03:00", "2024-03-31T03:00:00+02:00"},          // after
		{"2024-10-27 02:30", "2024-10-27T02:30:00+02:00"},          // the last Sunday of October, before 03:00
		{"2024-10-27 12:00", "2024-10-27T12:00:00+01:00"},          // after
		{"2024-06-12 08:15:00 UTC", "2024-06-12T08:15:00Z"},        //
		{"2024-06-12T08:15:00+03:00", "2024-06-12T08:15:00+03:00"}, //
		{"Signed: 12/31/2024 | 12:05:00 AM", "2024-12-31T00:05:00+01:00"},
		{"Signed: 7/4/2024 | 1:05 PM", "2024-07-04T13:05:00+02:00"},
		{"2024-02-30 10:00", ""}, // no such day
		{"Minst 20 per år", ""},
		{"2 073 600 kr", ""},
	} {
		got, ok := pageTime(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("pageTime(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
}

// textPDF writes a PDF of one page per element of pages, each line set
// in Helvetica (WinAnsiEncoding: å, ä, ö as one byte each).
func textPDF(pages ...string) []byte {
	var objs []string
	kids := ""
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for i, p := range pages {
		var c bytes.Buffer
		c.WriteString("BT /F1 11 Tf 14 TL 60 780 Td\n")
		for _, l := range strings.Split(p, "\n") {
			c.WriteString("(")
			for _, r := range l {
				switch {
				case r == '(' || r == ')' || r == '\\':
					c.WriteString("\\" + string(r))
				case r < 0x80:
					c.WriteRune(r)
				case r <= 0xff:
					fmt.Fprintf(&c, "\\%03o", r)
				default:
					c.WriteString("?")
				}
			}
			c.WriteString(") Tj T*\n")
		}
		c.WriteString("ET")
		page, content := 4+2*i, 5+2*i
		kids += fmt.Sprintf("%d 0 R ", page)
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>", content),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", c.Len(), c.String()))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, len(pages))
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// A PDF whose second page is a Scrive verifikat: its signers are in the
// record's verification_signers, with the service and the page, and
// digital_signatures stays empty (nothing was signed cryptographically);
// the first page, a project text that mentions signing, gives none.
func TestVerificationPageInRecord(t *testing.T) {
	pdf := textPDF(verificationCases[5].page, verificationCases[0].page)
	doc, err := anyformat.Read(bytes.NewReader(pdf), int64(len(pdf)), "ansokan.pdf")
	if err != nil {
		t.Fatal(err)
	}
	r := Normalize([]Input{{Doc: doc}}, nil)
	if len(r.DigitalSignatures) != 0 {
		t.Errorf("a verification page's signers in digital_signatures: %+v", r.DigitalSignatures)
	}
	if len(r.VerificationSigners) != 2 {
		t.Fatalf("got %d verification signers: %+v", len(r.VerificationSigners), r.VerificationSigners)
	}
	for i, v := range r.VerificationSigners {
		if v.File != "ansokan.pdf" || v.Service != "Scrive" || v.Page != 2 || v.Name == nil || v.SignedAt == nil || v.Email == nil {
			t.Errorf("signer %d: %+v", i, v)
		}
	}
	if *r.VerificationSigners[1].Name != "Johan Ekström" {
		t.Errorf("second signer %q", *r.VerificationSigners[1].Name)
	}
	for _, f := range r.Findings {
		if f.Code == schema.CodeSignatureDigitalInvalid {
			t.Errorf("a verification page's signer judged as a signature: %+v", f)
		}
	}
}

// A block gets its cryptographic signature in digital and its signer on
// a verification page in verification, each matched on its own: name
// order and diacritics aside, by e-mail, the organisation deciding
// between namesakes; a party on neither list leaves both null.
func TestMatchVerificationApart(t *testing.T) {
	s := func(v string) *string { return &v }
	blocks := []schema.Signature{
		{Organisation: s("Enköpings kommun"), Name: s("Helena Norberg"), Email: s("helena.norberg@enkoping.se")},
		{Organisation: s("Arbetsförmedlingen"), Name: s("Johan Ekström")},
		{Organisation: s("Region Uppsala"), Name: s("Anna Berg")},
		{Organisation: s("Försäkringskassan"), Name: s("Anna Berg")},
		{Organisation: s("Tierps kommun"), Name: s("Per Ek")},
	}
	digital := []schema.DigitalSignature{
		{Signer: s("Scrive eSign"), Organisation: s("Scrive AB")},
		{Signer: s("Norberg Helena")},
		{Signer: s("Johan Ekström"), Timestamp: true},
	}
	signers := []schema.VerificationSigner{
		{Name: s("H. Norberg"), Email: s("Helena.Norberg@enkoping.se")},
		{Name: s("Ekstrom Johan")},
		{Name: s("Anna Berg"), Organisation: s("Försäkringskassan")},
		{Name: s("Anna Berg"), Organisation: s("Region Uppsala")},
	}
	matchDigital(blocks, digital)
	matchVerification(blocks, signers)
	wantDigital := []any{1, nil, nil, nil, nil}
	wantVerification := []any{0, 1, 3, 2, nil}
	for i, b := range blocks {
		if got := show(b.Digital); got != wantDigital[i] {
			t.Errorf("block %d digital %v, want %v", i, got, wantDigital[i])
		}
		if got := show(b.Verification); got != wantVerification[i] {
			t.Errorf("block %d verification %v, want %v", i, got, wantVerification[i])
		}
	}
}

func show(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
