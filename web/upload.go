package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
)

// multipartOverhead is what a multipart body may hold beyond the files'
// bytes (boundaries, headers, the CSRF token).
const multipartOverhead = 1 << 20

type uploadData struct {
	MaxFiles int
	MaxSize  string
	Error    string
}

func (s *Server) uploadData(msg string) uploadData {
	return uploadData{MaxFiles: s.cfg.Limits.MaxFiles, MaxSize: byteSize(s.cfg.Limits.MaxBytes), Error: msg}
}

func (s *Server) uploadForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "upload", page{Title: "Ladda upp", Nav: "upload", Data: s.uploadData("")})
}

// wantsJSON: the upload's XHR asks for JSON.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// uploadError answers a refused upload: JSON to the XHR, the form again
// with the message otherwise.
func (s *Server) uploadError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
		return
	}
	s.render(w, r, status, "upload", page{Title: "Ladda upp", Nav: "upload", Data: s.uploadData(msg)})
}

// uploadURL is the page that waits for a job's record.
func uploadURL(j *queue.Job, sha string) string {
	return "/uploads/" + url.PathEscape(j.ID) + "?file=" + url.QueryEscape(sha)
}

// upload takes the files of one submission (multipart, field "files")
// and submits them as one job. The body is bounded by the submission
// limits; the CSRF token is the X-CSRF-Token header (XHR) or the form's
// first part.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	ss := sessionOf(r)
	lim := s.cfg.Limits
	r.Body = http.MaxBytesReader(w, r.Body, lim.MaxBytes+multipartOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		s.uploadError(w, r, http.StatusBadRequest, "Uppladdningen gick inte att läsa. Välj filerna och försök igen.")
		return
	}
	tokenOK := r.Header.Get("X-CSRF-Token") != "" // checked by requireSession
	var files []normalizer.File
	var total int64
	tooLarge := func() {
		s.uploadError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf(
			"Filerna är för stora: högst %s tillsammans. Dela inte upp en ansökan; kontakta driften om gränsen behöver höjas.", byteSize(lim.MaxBytes)))
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			tooLarge()
			return
		}
		if err != nil {
			s.uploadError(w, r, http.StatusBadRequest, "Uppladdningen avbröts. Försök igen.")
			return
		}
		switch part.FormName() {
		case "csrf":
			tok, _ := io.ReadAll(io.LimitReader(part, 256))
			tokenOK = tokenOK || ss.validCSRF(string(tok))
			continue
		case "files":
		default:
			continue
		}
		if !tokenOK {
			http.Error(w, "Formuläret saknar en giltig säkerhetskod (CSRF). Ladda om sidan och försök igen.", http.StatusForbidden)
			return
		}
		name := filepath.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
		if part.FileName() == "" || name == "." || name == "/" {
			continue // the form sent without a file chosen
		}
		if len(files) >= lim.MaxFiles {
			s.uploadError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("För många filer: högst %d i en ansökan.", lim.MaxFiles))
			return
		}
		data, err := io.ReadAll(part)
		if errors.As(err, &mbe) {
			tooLarge()
			return
		}
		if err != nil {
			s.uploadError(w, r, http.StatusBadRequest, "Uppladdningen avbröts. Försök igen.")
			return
		}
		total += int64(len(data))
		if total > lim.MaxBytes {
			tooLarge()
			return
		}
		files = append(files, normalizer.File{Name: name, Data: data})
	}
	if !tokenOK {
		http.Error(w, "Formuläret saknar en giltig säkerhetskod (CSRF). Ladda om sidan och försök igen.", http.StatusForbidden)
		return
	}
	if len(files) == 0 {
		s.uploadError(w, r, http.StatusBadRequest, "Välj minst en fil att ladda upp.")
		return
	}
	rc, err := s.client.Submit(r.Context(), files, "")
	switch {
	case errors.Is(err, normalizer.ErrSubmissionLimit):
		s.uploadError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("Ansökan är för stor: högst %d filer och %s tillsammans.", lim.MaxFiles, byteSize(lim.MaxBytes)))
		return
	case errors.Is(err, queue.ErrStoreFull):
		s.uploadError(w, r, http.StatusInsufficientStorage, "Lagringen är full, så filerna kunde inte tas emot. Kontakta driften.")
		return
	case err != nil:
		s.log.Error("upload not submitted", "files", len(files), "err", err)
		s.uploadError(w, r, http.StatusBadGateway, "Filerna kunde inte lämnas till kön just nu. Försök igen om en stund.")
		return
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	s.auditf(r, AuditEntry{Action: "upload", File: rc.Job.Files[0].SHA256, Key: jobKey(rc.Job),
		Detail: fmt.Sprintf("job %s, %d files (%s), duplicate %t", rc.Job.ID, len(files), strings.Join(names, ", "), rc.Duplicate)})
	next := uploadURL(rc.Job, rc.Job.Files[0].SHA256)
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"job": rc.Job.ID, "duplicate": rc.Duplicate, "status_url": next})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

type waitingData struct {
	Job, File string
	Files     []string
	Step      string
	Failed    bool
}

// stepLabel says a job's step in Swedish.
func stepLabel(st *queue.Status) string {
	switch st.State {
	case queue.StateReceived:
		return "mottagen, väntar på att läsas"
	case queue.StateProcessing:
		if st.RetryAt != nil {
			return fmt.Sprintf("försöker igen (försök %d)", st.Deliveries+1)
		}
		return "läses"
	case queue.StateDone:
		return "klar"
	case queue.StateFailed:
		return "misslyckades: " + st.LastError
	}
	return st.State
}

// uploadStatus shows where a job stands, and goes to its record once it
// is made: JSON for the upload's script, a page that refreshes itself
// otherwise.
func (s *Server) uploadStatus(w http.ResponseWriter, r *http.Request) {
	job, sha := r.PathValue("job"), r.URL.Query().Get("file")
	st, err := s.client.Status(r.Context(), sha)
	if !isSHA256(sha) || err != nil || st == nil || st.Job == nil {
		s.message(w, r, http.StatusNotFound, "Finns inte", "Det finns ingen sådan uppladdning.")
		return
	}
	d := waitingData{Job: job, File: sha, Step: stepLabel(st)}
	for _, f := range st.Job.Files {
		d.Files = append(d.Files, f.Name)
	}
	recordURL := ""
	switch {
	case st.Job.ID != job:
		// A newer job took the file over (another upload, a reprocess).
		d.Step = "filen har lämnats in igen; se Inkorgen"
	case st.State == queue.StateDone && st.Record != nil:
		recordURL = "/records/" + strconv.FormatUint(st.Record.Seq, 10)
	case st.State == queue.StateFailed:
		d.Failed = true
	}
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"state": st.State, "step": d.Step, "failed": d.Failed, "record_url": recordURL})
		return
	}
	if recordURL != "" {
		http.Redirect(w, r, recordURL, http.StatusSeeOther)
		return
	}
	refresh := 2
	if d.Failed {
		refresh = 0
	}
	s.render(w, r, http.StatusOK, "waiting", page{Title: "Ansökan läses", Nav: "upload", Refresh: refresh, Data: d})
}
