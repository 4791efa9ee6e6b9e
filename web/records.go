package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/batch"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// errNoRecord: no record is stored under the sequence.
var errNoRecord = errors.New("no record")

// recordData reads the record stored under seq in ANSOKAN_RECORDS.
func (s *Server) recordData(ctx context.Context, seq uint64) ([]byte, error) {
	st, err := s.js.Stream(ctx, queue.StreamRecords)
	if err != nil {
		return nil, fmt.Errorf("record %d: %w", seq, err)
	}
	m, err := st.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, fmt.Errorf("record %d: %w", seq, errNoRecord)
	}
	if err != nil {
		return nil, fmt.Errorf("record %d: %w", seq, err)
	}
	if !strings.HasPrefix(m.Subject, "ansokan.records.") {
		return nil, fmt.Errorf("record %d: %w", seq, errNoRecord)
	}
	return queue.RecordData(ctx, s.js, m.Header, m.Data)
}

// findingView is a finding as the Ansökan page lists it.
type findingView struct {
	N                    int
	Severity, SevLabel   string
	Code, Message, Where string
	Href, EvidenceText   string
}

type sigView struct {
	N                                     int
	Role, Organisation, Date, Name, Email string
	Verdict                               string
}

type digitalView struct{ File, Signer, SignedAt, Verdict, Issuer string }

type sectionView struct{ Heading, Text string }

type recordPage struct {
	Seq                     uint64
	Rec                     *schema.Record
	Row                     Row
	Status                  string
	Errors, Warnings, Infos int
	Newer                   uint64
	Produced                string
	Title, Owner, Period    string
	Partners                []string
	Participants, Amount    string
	Anchoring               string
	Findings                []findingView
	Budget                  *budgetView
	Signatures              []sigView
	Digital                 []digitalView
	Sections                []sectionView
	Files                   []schema.File
	Notice                  string
}

// evidenceLink is where a finding's evidence is in the original: a PDF
// opens at its page in the browser's viewer (#page=N); a workbook or a
// Word file is downloaded.
func evidenceLink(rec *schema.Record, seq uint64, e *schema.Evidence) (href, text string) {
	if e == nil {
		return "", ""
	}
	var sha string
	for _, f := range rec.Source.Files {
		if f.Name == e.File || f.Path == e.File {
			sha = f.SHA256
			break
		}
	}
	var at []string
	switch {
	case e.Page != nil:
		at = append(at, fmt.Sprintf("sida %d", *e.Page))
	case e.Sheet != "" && e.Cell != "":
		at = append(at, fmt.Sprintf("blad %s, cell %s", e.Sheet, e.Cell))
	case e.Cell != "":
		at = append(at, "cell "+e.Cell)
	case e.Paragraph != nil:
		at = append(at, fmt.Sprintf("stycke %d", *e.Paragraph))
	}
	text = e.File
	if len(at) > 0 {
		text += ", " + strings.Join(at, ", ")
	}
	if sha == "" {
		return "", text
	}
	href = fileHref(sha, seq)
	if e.Page != nil && strings.EqualFold(filepath.Ext(e.File), ".pdf") {
		href += "#page=" + strconv.Itoa(*e.Page)
	}
	return href, text
}

var roleLabel = map[string]string{schema.RoleOwner: "Insatsägare", schema.RolePartner: "Samverkanspart"}

// signatureVerdict says in Swedish what is known of a block's signature.
func signatureVerdict(r *schema.Record, s schema.Signature) string {
	var parts []string
	if s.Digital != nil && *s.Digital >= 0 && *s.Digital < len(r.DigitalSignatures) {
		parts = append(parts, "digital signatur: "+digitalVerdict(r.DigitalSignatures[*s.Digital]))
	}
	if s.Verification != nil && *s.Verification >= 0 && *s.Verification < len(r.VerificationSigners) {
		v := r.VerificationSigners[*s.Verification]
		parts = append(parts, fmt.Sprintf("enligt %s verifikat (sida %d, ej kontrollerat)", v.Service, v.Page))
	}
	if s.Electronic {
		parts = append(parts, "e-signerad")
	}
	if s.Handwritten != nil {
		if *s.Handwritten {
			parts = append(parts, "handskriven underskrift finns")
		} else {
			parts = append(parts, "ingen handskriven underskrift")
		}
	}
	if len(parts) == 0 {
		return "ingen underskrift påvisad"
	}
	return strings.Join(parts, "; ")
}

func digitalVerdict(d schema.DigitalSignature) string {
	switch {
	case !d.Intact:
		return "ogiltig: " + deref(d.Problem)
	case !d.CoversDocument:
		return "giltig, men dokumentet har ändrats efteråt: " + deref(d.ChangedAfter)
	case d.Trusted != nil && !*d.Trusted:
		return "oförändrad, men utfärdaren är inte betrodd"
	case !d.CertificateValid:
		return "oförändrad, men certifikatet var inte giltigt vid signeringen"
	}
	return "giltig och oförändrad"
}

// sectionOrder is the order of the form's sections.
var sectionOrder = []string{schema.SectionPurpose, schema.SectionGoals, schema.SectionBackground, schema.SectionTargetGroup,
	schema.SectionMethods, schema.SectionEvaluation, schema.SectionResultsUse, schema.SectionBudgetText, schema.SectionAgreement}

var sectionLabel = map[string]string{
	schema.SectionPurpose: "Syfte", schema.SectionGoals: "Mål", schema.SectionBackground: "Bakgrund",
	schema.SectionTargetGroup: "Målgrupp", schema.SectionMethods: "Metod", schema.SectionEvaluation: "Uppföljning och utvärdering",
	schema.SectionResultsUse: "Tillvaratagande av resultat", schema.SectionBudgetText: "Budget", schema.SectionAgreement: "Överenskommelse",
}

func newRecordPage(rec *schema.Record, seq uint64, row Row) recordPage {
	p := recordPage{Seq: seq, Rec: rec, Row: row, Title: deref(rec.Title), Files: rec.Source.Files, Produced: rec.ProducedAt}
	if t, err := time.Parse(time.RFC3339, rec.ProducedAt); err == nil {
		p.Produced = t.Local().Format("2006-01-02 15:04")
	}
	var tmp Row
	rowFromRecord(&tmp, rec, seq, time.Time{})
	p.Errors, p.Warnings, p.Infos = tmp.Errors, tmp.Warnings, tmp.Infos
	p.Status = tmp.Status()
	if row.Seq > seq {
		p.Newer = row.Seq
	}
	if rec.Owner != nil {
		p.Owner = deref(rec.Owner.Organisation)
		if len(rec.Owner.Units) > 0 {
			p.Owner += " (" + strings.Join(rec.Owner.Units, ", ") + ")"
		}
	}
	for _, pt := range rec.Partners {
		p.Partners = append(p.Partners, pt.Organisation)
	}
	if pd := rec.Period; pd != nil {
		p.Period = deref(pd.Start) + " – " + deref(pd.End)
		if pd.IntakeEnd != nil {
			p.Period += ", intag till " + *pd.IntakeEnd
		}
	}
	if ep := rec.ExpectedParticipants; ep != nil {
		p.Participants = ep.Text
	}
	if rec.RequestedAmountSEK != nil {
		p.Amount = normalizer.FormatKronor(*rec.RequestedAmountSEK)
	}
	if a := rec.Anchoring; a != nil {
		switch {
		case a.Discussed == nil:
			p.Anchoring = "ej angivet"
		case *a.Discussed:
			p.Anchoring = "Ja"
		default:
			p.Anchoring = "Nej"
		}
		if a.How != nil {
			p.Anchoring += ": " + *a.How
		}
	}
	for i, f := range rec.Findings {
		href, text := evidenceLink(rec, seq, f.Evidence)
		p.Findings = append(p.Findings, findingView{N: i + 1, Severity: f.Severity, SevLabel: sevLabel[f.Severity],
			Code: f.Code, Message: f.Message, Where: batch.Where(rec, f), Href: href, EvidenceText: text})
	}
	p.Budget = newBudgetView(rec)
	for i, sg := range rec.Signatures {
		p.Signatures = append(p.Signatures, sigView{N: i + 1, Role: roleLabel[sg.Role], Organisation: deref(sg.Organisation),
			Date: deref(sg.Date), Name: deref(sg.Name), Email: deref(sg.Email), Verdict: signatureVerdict(rec, sg)})
	}
	for _, d := range rec.DigitalSignatures {
		signer := deref(d.Signer)
		if d.Timestamp {
			signer = "(tidsstämpel)"
		}
		p.Digital = append(p.Digital, digitalView{File: d.File, Signer: signer, SignedAt: deref(d.SignedAt), Verdict: digitalVerdict(d), Issuer: deref(d.Issuer)})
	}
	for _, k := range sectionOrder {
		sec, ok := rec.Sections[k]
		h := sec.Heading
		if h == "" {
			h = sectionLabel[k]
		}
		if !ok && k == schema.SectionAgreement {
			continue
		}
		p.Sections = append(p.Sections, sectionView{Heading: h, Text: sec.Text})
	}
	for _, sec := range rec.ExtraSections {
		p.Sections = append(p.Sections, sectionView{Heading: sec.Heading, Text: sec.Text})
	}
	return p
}

// record serves /records/{seq}, /records/{seq}.json and
// /records/{seq}.xlsx (the Excel register row).
func (s *Server) record(w http.ResponseWriter, r *http.Request) {
	arg := r.PathValue("seq")
	form := "page"
	if base, ok := strings.CutSuffix(arg, ".json"); ok {
		arg, form = base, "json"
	} else if base, ok := strings.CutSuffix(arg, ".xlsx"); ok {
		arg, form = base, "xlsx"
	}
	seq, err := strconv.ParseUint(arg, 10, 64)
	if err != nil || seq == 0 {
		s.message(w, r, http.StatusNotFound, "Finns inte", "Det finns ingen ansökan med det numret.")
		return
	}
	data, err := s.recordData(r.Context(), seq)
	if errors.Is(err, errNoRecord) {
		s.message(w, r, http.StatusNotFound, "Finns inte", "Det finns ingen ansökan med det numret.")
		return
	}
	if err != nil {
		s.log.Error("record not read", "seq", seq, "err", err)
		s.message(w, r, http.StatusBadGateway, "Fel", "Ansökan kunde inte hämtas just nu. Försök igen om en stund.")
		return
	}
	key, _ := queue.SubmissionKey(data)
	action := "view"
	if form != "page" {
		action = "download"
	}
	if !s.audited(w, r, AuditEntry{Action: action, Seq: seq, Key: key, What: form}) {
		return
	}
	switch form {
	case "json":
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", contentDisposition("attachment", fmt.Sprintf("ansokan-%d.json", seq)))
		_, _ = w.Write(data)
		return
	case "xlsx":
		s.registerRow(w, r, seq, data)
		return
	}
	var rec schema.Record
	if err := json.Unmarshal(data, &rec); err != nil {
		s.log.Error("record not decoded", "seq", seq, "err", err)
		s.message(w, r, http.StatusInternalServerError, "Fel", "Ansökan kunde inte läsas.")
		return
	}
	row, _ := s.idx.get(key)
	p := newRecordPage(&rec, seq, row)
	if r.URL.Query().Get("omkord") != "" {
		p.Notice = "Ansökan har köats för att läsas om."
	}
	s.render(w, r, http.StatusOK, "record", page{Title: p.Title, Data: p})
}

// registerRow writes the record's row of the Excel register (package
// batch's register, of this one record).
func (s *Server) registerRow(w http.ResponseWriter, r *http.Request, seq uint64, data []byte) {
	dir, err := os.MkdirTemp("", "ansokan-web-register-")
	if err != nil {
		s.message(w, r, http.StatusInternalServerError, "Fel", "Registerraden kunde inte skapas.")
		return
	}
	defer os.RemoveAll(dir)
	jsonl, xlsx := filepath.Join(dir, "records.jsonl"), filepath.Join(dir, "register.xlsx")
	compact := make([]byte, 0, len(data)+1)
	if err := os.WriteFile(jsonl, append(append(compact, data...), '\n'), 0o600); err != nil {
		s.message(w, r, http.StatusInternalServerError, "Fel", "Registerraden kunde inte skapas.")
		return
	}
	if err := batch.WriteRegister(jsonl, xlsx); err != nil {
		s.log.Error("register row not written", "seq", seq, "err", err)
		s.message(w, r, http.StatusInternalServerError, "Fel", "Registerraden kunde inte skapas.")
		return
	}
	b, err := os.ReadFile(xlsx)
	if err != nil {
		s.message(w, r, http.StatusInternalServerError, "Fel", "Registerraden kunde inte skapas.")
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", contentDisposition("attachment", fmt.Sprintf("register-%d.xlsx", seq)))
	_, _ = w.Write(b)
}

// submission redirects to the newest record of a submission, named by
// its submission id, its job id or a file's SHA-256.
func (s *Server) submission(w http.ResponseWriter, r *http.Request) {
	row, ok := s.idx.find(r.PathValue("id"))
	if !ok || row.Seq == 0 {
		s.message(w, r, http.StatusNotFound, "Finns inte", "Ingen läst ansökan har det id:t.")
		return
	}
	http.Redirect(w, r, "/records/"+strconv.FormatUint(row.Seq, 10), http.StatusSeeOther)
}

// contentTypes by the file's extension; the others are downloaded as
// octet streams.
var contentTypes = map[string]string{
	".pdf":  "application/pdf",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".png":  "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".tif": "image/tiff", ".tiff": "image/tiff",
}

// fileHref links to an original file as the record seq names it.
func fileHref(sha string, seq uint64) string {
	return "/files/" + sha + "?r=" + strconv.FormatUint(seq, 10)
}

// file serves an original file by its SHA-256: a PDF inline (so that
// #page=N opens it at the page), anything else as a download. The name
// comes from the file's status, or, for a file that has none (an
// attachment of a message submitted whole), from the record the link
// came from (?r=SEQ), which must list it.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha")
	if !isSHA256(sha) {
		s.message(w, r, http.StatusNotFound, "Finns inte", "Filen finns inte.")
		return
	}
	name := s.fileName(r.Context(), sha, r.URL.Query().Get("r"))
	if name == "" {
		s.message(w, r, http.StatusNotFound, "Finns inte", "Filen finns inte.")
		return
	}
	if !s.audited(w, r, AuditEntry{Action: "download", File: sha, What: "original", Detail: name}) {
		return
	}
	data, err := queue.FileData(r.Context(), s.js, sha)
	if err != nil {
		s.log.Error("file not read", "sha256", sha, "err", err)
		s.message(w, r, http.StatusNotFound, "Finns inte", "Filen kunde inte hämtas (den kan ha gallrats).")
		return
	}
	ext := strings.ToLower(filepath.Ext(name))
	ct, ok := contentTypes[ext]
	if !ok {
		ct = "application/octet-stream"
	}
	kind := "attachment"
	if ext == ".pdf" {
		kind = "inline"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", contentDisposition(kind, name))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// fileName is the name of the stored file sha: its status's, else the
// one record seq gives it; "" when neither knows it.
func (s *Server) fileName(ctx context.Context, sha, seq string) string {
	if st, err := s.client.Status(ctx, sha); err == nil && st != nil {
		return st.Name
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	if err != nil || n == 0 {
		return ""
	}
	data, err := s.recordData(ctx, n)
	if err != nil {
		return ""
	}
	var rec struct {
		Source struct {
			Files []schema.File `json:"files"`
		} `json:"source"`
	}
	if json.Unmarshal(data, &rec) != nil {
		return ""
	}
	for _, f := range rec.Source.Files {
		if f.SHA256 == sha {
			return f.Name
		}
	}
	return ""
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// reprocessOne queues the record's submission again (Omkör).
func (s *Server) reprocessOne(w http.ResponseWriter, r *http.Request) {
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	if err != nil {
		s.message(w, r, http.StatusNotFound, "Finns inte", "Det finns ingen ansökan med det numret.")
		return
	}
	data, err := s.recordData(r.Context(), seq)
	var rec schema.Record
	if err == nil {
		err = json.Unmarshal(data, &rec)
	}
	if err != nil || len(rec.Source.Files) == 0 {
		s.message(w, r, http.StatusNotFound, "Finns inte", "Det finns ingen ansökan med det numret.")
		return
	}
	sha := rec.Source.Files[0].SHA256
	rc, err := s.client.ReprocessJob(r.Context(), sha)
	key, _ := queue.SubmissionKey(data)
	if err != nil {
		s.auditf(r, AuditEntry{Action: "reprocess", Seq: seq, Key: key, Detail: "failed: " + err.Error()})
		s.log.Warn("reprocess refused", "seq", seq, "err", err)
		s.message(w, r, http.StatusConflict, "Kunde inte omköras", "Ansökan kunde inte läsas om: den håller på att läsas, har misslyckats (använd Försök igen under Fel) eller så har filerna gallrats.")
		return
	}
	s.auditf(r, AuditEntry{Action: "reprocess", Seq: seq, Key: key, Detail: rc.Job.Ref()})
	http.Redirect(w, r, uploadURL(rc.Job, sha), http.StatusSeeOther)
}

// reprocessAll queues every submission read by an older version (or,
// with all=1, every one) again.
func (s *Server) reprocessAll(w http.ResponseWriter, r *http.Request) {
	since := ""
	if r.PostFormValue("all") == "1" {
		since = "0"
	}
	queued, skipped, err := s.client.Reprocess(r.Context(), since)
	s.auditf(r, AuditEntry{Action: "reprocess", Detail: fmt.Sprintf("all (since %q): %d queued, %d skipped", since, len(queued), skipped)})
	if err != nil {
		s.log.Error("reprocess failed", "err", err)
		s.message(w, r, http.StatusBadGateway, "Fel", fmt.Sprintf("Omkörningen avbröts efter %d ansökningar. Försök igen.", len(queued)))
		return
	}
	http.Redirect(w, r, "/?omkord="+strconv.Itoa(len(queued)), http.StatusSeeOther)
}

// audited writes the audit entry of a view or download before it is
// served; when it cannot be written, the request is refused: what is
// not audited is not shown.
func (s *Server) audited(w http.ResponseWriter, r *http.Request, e AuditEntry) bool {
	e.At = s.cfg.Now().UTC()
	e.Addr = s.clientAddr(r)
	if ss := sessionOf(r); ss != nil && e.User == "" {
		e.User = ss.user
	}
	if err := s.audit.write(e); err != nil {
		s.log.Error("audit log not written; request refused", "action", e.Action, "err", err)
		s.message(w, r, http.StatusServiceUnavailable, "Fel", "Granskningsloggen kan inte skrivas, så ansökan kan inte visas just nu. Kontakta driften.")
		return false
	}
	return true
}
