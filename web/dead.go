package web

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
)

type deadView struct {
	Seq        uint64
	At         time.Time
	Files      []string
	Reason     string
	Deliveries uint64
	State      string
	Retryable  bool
}

// deadPage lists the dead letters (Fel), newest first.
func (s *Server) deadPage(w http.ResponseWriter, r *http.Request) {
	var out []deadView
	for _, d := range s.idx.deadLetters() {
		v := deadView{Seq: d.Seq, At: d.Letter.At, Reason: d.Letter.Reason, Deliveries: d.Letter.Deliveries, State: "ej åtgärdat"}
		if j := d.Letter.Job; j != nil {
			for _, f := range j.Files {
				v.Files = append(v.Files, f.Name)
			}
		}
		if d.Letter.By == "notify" && d.Letter.Delivery != nil {
			v.Files = []string{"avisering om post " + strconv.FormatUint(d.Letter.StreamSeq, 10)}
		}
		v.Retryable = d.Key != "" && d.Letter.Job != nil
		if row, ok := s.idx.get(d.Key); ok && d.Key != "" {
			switch {
			case row.Seq != 0 && row.Produced.After(d.Letter.At):
				v.State = "löst: en nyare läsning finns"
			case row.Pending != "":
				v.State, v.Retryable = "skickad igen, läses", false
			}
		}
		out = append(out, v)
	}
	notice := ""
	if r.URL.Query().Get("igen") != "" {
		notice = "Filerna har skickats igen."
	}
	s.render(w, r, http.StatusOK, "dead", page{Title: "Fel", Nav: "dead", Data: struct {
		Letters []deadView
		Notice  string
	}{out, notice}})
}

// retry submits a dead letter's files again (Försök igen), as one job
// under the same submission id.
func (s *Server) retry(w http.ResponseWriter, r *http.Request) {
	seq, _ := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	d, ok := s.idx.deadLetter(seq)
	if !ok || d.Letter.Job == nil || d.Key == "" {
		s.message(w, r, http.StatusNotFound, "Finns inte", "Det finns inget sådant misslyckat jobb.")
		return
	}
	job := d.Letter.Job
	files := make([]normalizer.File, 0, len(job.Files))
	for _, f := range job.Files {
		data, err := queue.FileData(r.Context(), s.js, f.Object)
		if err != nil {
			s.log.Warn("retry: file not read", "dead_seq", seq, "file", f.Name, "err", err)
			s.message(w, r, http.StatusGone, "Kan inte försöka igen", "Filen "+f.Name+" finns inte längre i lagringen. Ladda upp ansökan på nytt.")
			return
		}
		files = append(files, normalizer.File{Name: cmp.Or(f.Path, f.Name), Data: data})
	}
	rc, err := s.client.Submit(r.Context(), files, job.Submission)
	if err != nil {
		s.log.Error("retry not submitted", "dead_seq", seq, "err", err)
		s.auditf(r, AuditEntry{Action: "retry", Key: d.Key, Detail: fmt.Sprintf("dead letter %d: failed: %v", seq, err)})
		s.message(w, r, http.StatusBadGateway, "Fel", "Filerna kunde inte skickas igen just nu. Försök igen om en stund.")
		return
	}
	s.auditf(r, AuditEntry{Action: "retry", Key: d.Key, File: rc.Job.Files[0].SHA256, Detail: fmt.Sprintf("dead letter %d: job %s", seq, rc.Job.Ref())})
	http.Redirect(w, r, uploadURL(rc.Job, rc.Job.Files[0].SHA256), http.StatusSeeOther)
}
