package queue

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/finsam/ansokan/internal/mailtest"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/schema"
)

// A message submitted as one job gives the record of its attachments,
// the one their plain submission gives, with the message in
// source.message and a submission id from its Message-ID; submitted
// again (a mailbox read twice) it is the same job, and no second record
// is made. Its attachments are stored on their own too.
func TestSubmitMessage(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	startWorker(t, e.wjs, WorkerConfig{Now: testClock})
	files := []normalizer.File{sampleFile(t, "a-sprangbradan.docx"), sampleFile(t, "a-sprangbradan-budget.xlsx")}
	msg := mailtest.Message{
		ID: "<20261204.1@kommun.example.se>", From: "Björn Åström <bjorn@kommun.example.se>",
		Subject: "=?UTF-8?Q?Ans=C3=B6kan?=", Date: "Fri, 04 Dec 2026 10:15:00 +0100", Text: "Hej!",
	}
	for _, f := range files {
		msg.Parts = append(msg.Parts, mailtest.Part{Name: "Bilaga " + f.Name, Naming: mailtest.RFC2231, Data: f.Data})
	}
	raw := msg.Bytes()

	r, err := e.client.SubmitMessage(ctxGuard(t), raw, "Ansökan.eml")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Job.Message || len(r.Job.Files) != 1 || !strings.HasPrefix(r.Job.Submission, "mail-") {
		t.Fatalf("job %+v", r.Job)
	}
	st, rec := doneRecord(t, e.client, r)
	m := rec.Source.Message
	if m == nil || m.From == nil || *m.From != "Björn Åström <bjorn@kommun.example.se>" || m.Subject == nil || *m.Subject != "Ansökan" ||
		m.MessageID == nil || *m.MessageID != "20261204.1@kommun.example.se" || m.AutoSubmitted {
		t.Errorf("source.message %s", mustJSON(t, m))
	}
	if rec.SubmissionID == nil || *rec.SubmissionID != r.Job.Submission {
		t.Errorf("submission_id %v, want %s", rec.SubmissionID, r.Job.Submission)
	}
	names := map[string]string{}
	for _, f := range rec.Source.Files {
		if !strings.HasPrefix(f.Path, "Ansökan.eml/Bilaga ") {
			t.Errorf("file path %q", f.Path)
		}
		names[f.Name] = strings.TrimPrefix(f.Name, "Bilaga ")
		// Stored on its own, for downloads.
		if info, err := e.client.files.GetInfo(ctxGuard(t), f.SHA256); err != nil || info.Size != uint64(f.Bytes) {
			t.Errorf("attachment %s not stored: %v", f.Name, err)
		}
	}
	var plain schema.Record
	if err := json.Unmarshal(direct(t, files, st.Job), &plain); err != nil {
		t.Fatal(err)
	}
	if got, want := mailtest.Content(t, rec, names), mailtest.Content(t, plain, nil); got != want {
		t.Errorf("the message's record differs from its files':\n%s\n%s", got, want)
	}

	again, err := e.client.SubmitMessage(ctxGuard(t), raw, "Ansökan.eml")
	if err != nil {
		t.Fatal(err)
	}
	if !again.Duplicate || again.Job.ID != r.Job.ID {
		t.Errorf("the same message again: %+v", again)
	}
	if n := len(listAll(t, e.js, StreamRecords)); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
}

// A message without application files, and one that is not a message at
// all, still get a record: it says why, and nothing is lost.
func TestSubmitMessageWithoutFiles(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	startWorker(t, e.wjs, WorkerConfig{Now: testClock})
	for _, c := range []struct {
		name string
		raw  []byte
		msg  bool
	}{
		{"text only", mailtest.Message{ID: "<x@kommun.example.se>", From: "anna@kommun.example.se", Subject: "Fråga", Text: "Hej!",
			Parts: []mailtest.Part{{Name: "bild.png", Type: "image/png", Data: []byte("\x89PNG\r\n\x1a\n")}}}.Bytes(), true},
		{"not a message", []byte("\x00\x01\x02 binary garbage\r\n\r\n"), false},
	} {
		r, err := e.client.SubmitMessage(ctxGuard(t), c.raw, "meddelande.eml")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, rec := doneRecord(t, e.client, r)
		if rec.Complete || len(rec.Findings) == 0 || rec.Findings[0].Code != "document.unreadable" {
			t.Errorf("%s: complete %v, findings %s", c.name, rec.Complete, mustJSON(t, rec.Findings))
		}
		if (rec.Source.Message != nil) != c.msg {
			t.Errorf("%s: source.message %s", c.name, mustJSON(t, rec.Source.Message))
		}
	}
}

// doneRecord waits until the receipt's job is done and reads its record.
func doneRecord(t *testing.T, c *Client, r Receipt) (*Status, schema.Record) {
	t.Helper()
	st := waitState(t, c, r.Job.Files[0].SHA256, StateDone)
	body, err := c.Record(ctxGuard(t), st.Record)
	if err != nil {
		t.Fatal(err)
	}
	var rec schema.Record
	if err := json.Unmarshal(body, &rec); err != nil {
		t.Fatal(err)
	}
	return st, rec
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
