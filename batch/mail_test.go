package batch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/finsam/ansokan/internal/mailtest"
	"github.com/finsam/ansokan/schema"
)

func sampleBytes(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mailFrom(id, subject string, parts ...mailtest.Part) mailtest.Message {
	return mailtest.Message{ID: "<" + id + "@kommun.example.se>", From: "=?ISO-8859-1?Q?G=F6ran_=D6berg?= <goran@kommun.example.se>",
		Subject: subject, Date: "Thu, 3 Dec 2026 16:40:00 +0100", Text: "Hej,\nFrom the förbund's form.\n", Parts: parts}
}

// A batch over a folder of an .eml, an mbox export, a Maildir and a zip
// holding an .eml: every message is one submission with its metadata; a
// message without application files gets a record saying so; the .eml's
// record is the plain files' record; a resumed run skips them all.
func TestBatchMail(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	aPDF, aDOCX, aXLSX := sampleBytes(t, "a-sprangbradan.pdf"), sampleBytes(t, "a-sprangbradan.docx"), sampleBytes(t, "a-sprangbradan-budget.xlsx")
	bDOCX, bPDF := sampleBytes(t, "b-nasta-steg.docx"), sampleBytes(t, "b-nasta-steg.pdf")

	writeFile(t, filepath.Join(in, "Ansökan Språngbrädan.eml"), mailFrom("a", "=?UTF-8?Q?Ans=C3=B6kan?=",
		mailtest.Part{Name: "Språngbrädan.pdf", Naming: mailtest.RFC2047Q, Data: aPDF},
		mailtest.Part{Name: "Språngbrädan.docx", Naming: mailtest.RFC2231, Data: aDOCX},
		mailtest.Part{Name: "Språngbrädan budget.xlsx", Naming: mailtest.RFC2231Continued, Data: aXLSX},
	).Bytes())
	writeFile(t, filepath.Join(in, "export", "Inkorg.mbox"), mailtest.Mbox(
		mailFrom("m1", "Nästa steg", mailtest.Part{Name: "Nästa steg.docx", Naming: mailtest.RFC2231, Data: bDOCX}).Bytes(),
		mailFrom("m2", "=?UTF-8?Q?Fr=C3=A5ga_om_blanketten?=").Bytes(),
		mailFrom("m3", "Fwd", mailtest.Forward(mailFrom("inner", "Ansökan", mailtest.Part{Name: "Blankett å.docx", Naming: mailtest.RFC2047B, Data: aDOCX}))).Bytes(),
	))
	md := filepath.Join(in, "Maildir")
	writeFile(t, filepath.Join(md, "cur", "1733300000.M1P1.host:2,S"), mailFrom("d1", "PDF i zip",
		mailtest.Part{Name: "Bilagor.zip", Naming: mailtest.RFC2047Q, Data: mailtest.Zip([]string{"Språngbrädan signerad.pdf"}, map[string][]byte{"Språngbrädan signerad.pdf": aPDF})}).Bytes())
	writeFile(t, filepath.Join(md, "new", "1733300001.M2P1.host"), mailFrom("d2", "Budget",
		mailtest.Part{Name: "Budget.xlsx", Naming: mailtest.RFC2047Latin1, Data: aXLSX}).Bytes())
	writeFile(t, filepath.Join(md, "tmp", "1733300002.M3P1.host"), mailFrom("d3", "halvlevererat",
		mailtest.Part{Name: "x.pdf", Data: bPDF}).Bytes())
	writeFile(t, filepath.Join(in, "arkiv.zip"), mailtest.Zip([]string{"mejl/Nästa steg.eml"},
		map[string][]byte{"mejl/Nästa steg.eml": mailFrom("z1", "Nästa steg (pdf)", mailtest.Part{Name: "Nästa steg.pdf", Naming: mailtest.RFC2047Q, Data: bPDF}).Bytes()}))

	out := filepath.Join(dir, "out.jsonl")
	st, err := Run(context.Background(), Options{Paths: []string{in}, Out: out, Jobs: 2, Log: quietLog(), Now: goldenClock})
	if err != nil {
		t.Fatal(err)
	}
	if st.Submissions != 7 || st.Written != 7 || st.Failed != 0 || st.Duplicates != 0 {
		t.Fatalf("stats %+v, want 7 submissions written", st)
	}
	recs := readRecords(t, out)
	byPath := map[string]schema.Record{}
	for _, r := range recs {
		if r.Source.Message == nil || r.Source.Message.MessageID == nil || r.SubmissionID == nil || !strings.HasPrefix(*r.SubmissionID, "mail-") {
			t.Errorf("record of %s: source.message %+v, submission_id %v", r.Source.Files[0].Path, r.Source.Message, r.SubmissionID)
			continue
		}
		if *r.Source.Message.From != "Göran Öberg <goran@kommun.example.se>" {
			t.Errorf("from %q", *r.Source.Message.From)
		}
		var paths []string
		for _, f := range r.Source.Files {
			paths = append(paths, f.Path)
		}
		byPath[strings.Join(paths, "|")] = r
	}
	want := []string{
		"Ansökan Språngbrädan.eml/Språngbrädan.pdf|Ansökan Språngbrädan.eml/Språngbrädan.docx|Ansökan Språngbrädan.eml/Språngbrädan budget.xlsx",
		"export/Inkorg.mbox#1/Nästa steg.docx",
		"export/Inkorg.mbox#2",
		"export/Inkorg.mbox#3/Ansökan.eml/Blankett å.docx",
		"Maildir/cur/1733300000.M1P1.host:2,S/Bilagor.zip/Språngbrädan signerad.pdf",
		"Maildir/new/1733300001.M2P1.host/Budget.xlsx",
		"arkiv.zip/mejl/Nästa steg.eml/Nästa steg.pdf",
	}
	var got []string
	for p := range byPath {
		got = append(got, p)
	}
	slices.Sort(got)
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("records of\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	none := byPath["export/Inkorg.mbox#2"]
	if len(none.Findings) != 1 || none.Findings[0].Code != schema.CodeDocumentUnreadable || !strings.Contains(none.Findings[0].Message, "meddelandet saknar ansökningsfiler") {
		t.Errorf("a message without files: findings %+v", none.Findings)
	}
	if s := none.Source.Message.Subject; s == nil || *s != "Fråga om blanketten" {
		t.Errorf("subject %v", s)
	}

	// The .eml's record is the plain files' record.
	plain := filepath.Join(dir, "plain")
	writeFile(t, filepath.Join(plain, "a-sprangbradan.pdf"), aPDF)
	writeFile(t, filepath.Join(plain, "a-sprangbradan.docx"), aDOCX)
	writeFile(t, filepath.Join(plain, "a-sprangbradan-budget.xlsx"), aXLSX)
	pout := filepath.Join(dir, "plain.jsonl")
	if _, err := Run(context.Background(), Options{Paths: []string{plain}, Out: pout, Jobs: 1, Log: quietLog(), Now: goldenClock}); err != nil {
		t.Fatal(err)
	}
	wantRec := readRecords(t, pout)[0]
	if len(wantRec.Findings) == 0 {
		t.Fatal("the sample has no findings: the comparison would prove little")
	}
	gotRec := byPath[want[0]]
	names := map[string]string{"Språngbrädan.pdf": "a-sprangbradan.pdf", "Språngbrädan.docx": "a-sprangbradan.docx", "Språngbrädan budget.xlsx": "a-sprangbradan-budget.xlsx"}
	if g, w := mailtest.Content(t, gotRec, names), mailtest.Content(t, wantRec, nil); g != w {
		t.Errorf("the message's record differs from the files'\n got %.2000s\nwant %.2000s", g, w)
	}

	// Resume: every message's record is recognised, the one without
	// files too.
	st, err = Run(context.Background(), Options{Paths: []string{in}, Out: out, Resume: true, Jobs: 2, Log: quietLog()})
	if err != nil || st.Written != 0 || st.Resumed != 7 {
		t.Errorf("resumed run: %+v, err %v", st, err)
	}
}
