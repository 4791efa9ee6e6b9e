package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/internal/mailtest"
	"github.com/finsam/ansokan/schema"
)

// sprangbradanMail is a message carrying the three files of the
// a-sprangbradan sample under Swedish names: the PDF named in RFC 2047,
// the Word form in RFC 2231 with continuations, the budget zipped (the
// zip named in RFC 2047 ISO-8859-1).
func sprangbradanMail(t *testing.T) (mailtest.Message, map[string]string) {
	t.Helper()
	read := func(n string) []byte {
		b, err := os.ReadFile("../../samples/" + n)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	zipped := mailtest.Zip([]string{"Budget för Språngbrädan.xlsx"}, map[string][]byte{"Budget för Språngbrädan.xlsx": read("a-sprangbradan-budget.xlsx")})
	m := mailtest.Message{
		ID:      "<a1b2c3.sprangbradan@tierp.example.se>",
		From:    "=?UTF-8?Q?Bj=C3=B6rn_=C3=85str=C3=B6m?= <bjorn.astrom@tierp.example.se>",
		Subject: "=?UTF-8?Q?Ans=C3=B6kan_Spr=C3=A5ngbr=C3=A4dan?=",
		Date:    "Fri, 4 Dec 2026 10:15:00 +0100",
		Text:    "Hej! Här kommer vår ansökan.",
		Parts: []mailtest.Part{
			{Name: "Ansökan Språngbrädan (signerad).pdf", Naming: mailtest.RFC2047Q, Type: "application/pdf", Data: read("a-sprangbradan.pdf")},
			{Name: "Ansökan Språngbrädan – ifylld blankett.docx", Naming: mailtest.RFC2231Continued, Data: read("a-sprangbradan.docx")},
			{Name: "Bilagor å ä ö.zip", Naming: mailtest.RFC2047Latin1, Type: "application/zip", Data: zipped},
		},
	}
	plain := map[string]string{
		"Ansökan Språngbrädan (signerad).pdf":         "a-sprangbradan.pdf",
		"Ansökan Språngbrädan – ifylld blankett.docx": "a-sprangbradan.docx",
		"Budget för Språngbrädan.xlsx":                "a-sprangbradan-budget.xlsx",
	}
	return m, plain
}

// An .eml gives the record the plain files give with --submission (the
// same findings, the same content), and the message's metadata.
func TestExtractMail(t *testing.T) {
	m, plain := sprangbradanMail(t)
	dir := t.TempDir()
	eml := filepath.Join(dir, "ansökan.eml")
	if err := os.WriteFile(eml, m.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCmd(t, "extract", eml)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	recs := records(t, out)
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	got := recs[0]
	code, out, stderr = runCmd(t, "extract", "--submission",
		"../../samples/a-sprangbradan.pdf", "../../samples/a-sprangbradan.docx", "../../samples/a-sprangbradan-budget.xlsx")
	if code != exitOK {
		t.Fatalf("plain files: exit %d, stderr:\n%s", code, stderr)
	}
	want := records(t, out)[0]
	if len(want.Findings) == 0 {
		t.Fatal("the sample has no findings: the comparison would prove little")
	}
	if c, w := mailtest.Content(t, got, plain), mailtest.Content(t, want, nil); c != w {
		t.Errorf("the message's record differs from the files'\n got %.3000s\nwant %.3000s", c, w)
	}

	var paths []string
	for _, f := range got.Source.Files {
		paths = append(paths, f.Path)
	}
	wantPaths := []string{
		eml + "/Ansökan Språngbrädan (signerad).pdf",
		eml + "/Ansökan Språngbrädan – ifylld blankett.docx",
		eml + "/Bilagor å ä ö.zip/Budget för Språngbrädan.xlsx",
	}
	if strings.Join(paths, "|") != strings.Join(wantPaths, "|") {
		t.Errorf("paths\n %q\nwant\n %q", paths, wantPaths)
	}
	msg := got.Source.Message
	if msg == nil {
		t.Fatal("no source.message")
	}
	for _, c := range []struct {
		got  *string
		want string
	}{
		{msg.MessageID, "a1b2c3.sprangbradan@tierp.example.se"},
		{msg.From, "Björn Åström <bjorn.astrom@tierp.example.se>"},
		{msg.Subject, "Ansökan Språngbrädan"},
		{msg.Received, "2026-12-04T10:15:00+01:00"},
	} {
		if c.got == nil || *c.got != c.want {
			t.Errorf("source.message: got %v, want %q", c.got, c.want)
		}
	}
	if got.SubmissionID == nil || !strings.HasPrefix(*got.SubmissionID, "mail-") {
		t.Errorf("submission_id %v", got.SubmissionID)
	}
	// The same message, re-encoded (another boundary), keeps its id.
	if err := os.WriteFile(eml, m.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ = runCmd(t, "extract", eml)
	if again := records(t, out)[0].SubmissionID; again == nil || *again != *got.SubmissionID {
		t.Errorf("submission id changed: %v, then %v", *got.SubmissionID, again)
	}
}

// A message without application files gets a record saying so, and exit
// status 1 as for an unreadable file.
func TestExtractMailWithoutFiles(t *testing.T) {
	m, _ := sprangbradanMail(t)
	m.Parts = []mailtest.Part{{Name: "logga.png", Type: "image/png", Data: []byte("\x89PNG\r\n\x1a\n")}}
	eml := filepath.Join(t.TempDir(), "fråga.eml")
	if err := os.WriteFile(eml, m.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCmd(t, "extract", eml)
	if code != exitUnreadable {
		t.Fatalf("exit %d, want %d", code, exitUnreadable)
	}
	if !strings.Contains(stderr, "fråga.eml") || !strings.Contains(stderr, "no .docx, .pdf or .xlsx") {
		t.Errorf("stderr %q", stderr)
	}
	rec := records(t, out)[0]
	if rec.Complete || len(rec.Findings) != 1 || rec.Findings[0].Code != schema.CodeDocumentUnreadable ||
		!strings.Contains(rec.Findings[0].Message, "meddelandet saknar ansökningsfiler") {
		t.Fatalf("findings %+v", rec.Findings)
	}
	if rec.Source.Message == nil || rec.Source.Message.Subject == nil || rec.SubmissionID == nil {
		t.Errorf("source.message %+v, submission_id %v", rec.Source.Message, rec.SubmissionID)
	}
}

// 'ansokan batch' over an mbox export: each message one record, the one
// without files saying so (exit 1, as for an unreadable file).
func TestBatchMbox(t *testing.T) {
	m, _ := sprangbradanMail(t)
	empty := m
	empty.ID, empty.Parts = "<tom@tierp.example.se>", nil
	dir := t.TempDir()
	in := filepath.Join(dir, "export")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "Inkorg"), mailtest.Mbox(m.Bytes(), empty.Bytes()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "r.jsonl")
	code, _, stderr := runCmd(t, "batch", "--in-process", "--jobs", "1", "--out", out, in)
	if code != exitUnreadable {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUnreadable, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	recs := records(t, string(b))
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	for _, r := range recs {
		if r.Source.Message == nil || r.Source.Message.Subject == nil || *r.Source.Message.Subject != "Ansökan Språngbrädan" {
			t.Errorf("source.message %+v", r.Source.Message)
		}
	}
	if !strings.Contains(stderr, "records written 2") {
		t.Errorf("summary:\n%s", stderr)
	}
}
