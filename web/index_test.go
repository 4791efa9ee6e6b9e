package web

import (
	"testing"
	"time"

	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// A row's status follows the order the Inkorg promises.
func TestRowStatus(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		row  Row
		want string
	}{
		{"clean", Row{Seq: 1, Complete: true}, StatusComplete},
		{"error", Row{Seq: 1, Errors: 1}, StatusIncomplete},
		{"warning", Row{Seq: 1, Complete: true, Warnings: 2}, StatusReview},
		{"uncertain over error", Row{Seq: 1, Errors: 1, Uncertain: true}, StatusReview},
		{"info only", Row{Seq: 1, Complete: true, Infos: 1}, StatusComplete},
		{"job in hand", Row{Seq: 1, Complete: true, Pending: "j"}, StatusPending},
		{"no record yet", Row{}, StatusPending},
		{"dead, no record", Row{Dead: 3, DeadAt: t0}, StatusFailed},
		{"dead after the record", Row{Seq: 1, Complete: true, Produced: t0, Dead: 3, DeadAt: t0.Add(time.Hour)}, StatusFailed},
		{"record after the dead letter", Row{Seq: 2, Complete: true, Produced: t0.Add(time.Hour), Dead: 3, DeadAt: t0}, StatusComplete},
	} {
		if got := tc.row.Status(); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// The newest record of a submission wins, whatever order the records
// are taken in; a dead letter read twice (a follow taken up again) is
// listed once; a job's status makes its row pending until it is done.
func TestIndexNewestWins(t *testing.T) {
	x := newIndex()
	title := func(s string) *schema.Record { return &schema.Record{Title: &s, Complete: true} }
	now := time.Now()
	first := title("först")
	first.Source.Files = []schema.File{{Name: "först.pdf"}}
	first.Findings = []schema.Finding{{Code: "a.code", Severity: schema.SeverityError}}
	x.addRecord(first, "submission a", 1, now)
	held, _ := x.get("submission a") // a copy a page or an event holds
	newer := title("ny")
	newer.Source.Files = []schema.File{{Name: "ny.pdf"}}
	newer.Findings = []schema.Finding{{Code: "b.code", Severity: schema.SeverityWarning}}
	x.addRecord(newer, "submission a", 5, now)
	x.addRecord(title("gammal"), "submission a", 2, now)
	if len(held.Files) != 1 || held.Files[0] != "först.pdf" || len(held.Codes) != 1 || held.Codes[0] != "a.code" {
		t.Errorf("a newer record changed a copy of the row: files %q, codes %q", held.Files, held.Codes)
	}
	if r, _ := x.get("submission a"); r.Seq != 5 || r.Title != "ny" {
		t.Errorf("row %+v: want record 5", r)
	}
	job := &queue.Job{ID: "j", Submission: "a", Files: []queue.FileRef{{Name: "x.pdf", SHA256: "s"}}}
	dl := queue.DeadLetter{Job: job, Reason: "trasig", At: now}
	x.addDead(dl, 7)
	x.addDead(dl, 7)
	if n := len(x.deadLetters()); n != 1 {
		t.Errorf("%d dead letters, want 1", n)
	}
	x.setStatus(&queue.Status{State: queue.StateProcessing, Job: job})
	if r, _ := x.get("submission a"); r.Status() != StatusPending {
		t.Errorf("status while processing: %s", r.Status())
	}
	x.setStatus(&queue.Status{State: queue.StateDone, Job: job})
	if r, _ := x.get("submission a"); r.Pending != "" {
		t.Errorf("still pending after done: %+v", r)
	}
	x.setStatus(&queue.Status{State: queue.StateDone, Job: &queue.Job{ID: "k", Submission: "b", Files: job.Files}})
	if _, ok := x.get("submission b"); ok {
		t.Error("a done job without a record made a row")
	}
	if r, ok := x.find("a"); !ok || r.Seq != 5 {
		t.Errorf("find by submission id: %+v %t", r, ok)
	}
}

// A file's name reaches the browser whole: ASCII in filename, UTF-8 in
// filename* (RFC 5987), nothing that could end the header's value.
func TestContentDisposition(t *testing.T) {
	for _, tc := range []struct{ kind, name, want string }{
		{"attachment", "budget.xlsx", `attachment; filename="budget.xlsx"; filename*=UTF-8''budget.xlsx`},
		{"inline", "Ansökan Älvkarleby.pdf", `inline; filename="Ans_kan _lvkarleby.pdf"; filename*=UTF-8''Ans%C3%B6kan%20%C3%84lvkarleby.pdf`},
		{"attachment", "a\"b\\c;d\r\n.docx", `attachment; filename="a_b_c;d__.docx"; filename*=UTF-8''a%22b%5Cc%3Bd%0D%0A.docx`},
	} {
		if got := contentDisposition(tc.kind, tc.name); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
