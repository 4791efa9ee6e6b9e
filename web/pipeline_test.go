package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/internal/mailtest"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

var recordLinkRE = regexp.MustCompile(`href="/records/(\d+)"`)

// A sample's three files uploaded as the form sends them make a record
// through a real worker; the open Inkorg hears of it by SSE; the record
// page, its JSON, its register row and the originals are served, and
// every view and download is audited.
func TestUploadMakesRecord(t *testing.T) {
	e := newEnv(t)
	e.startWorker(queue.WorkerConfig{Reader: normalizer.InProcess{}})
	b := e.browser()
	b.login("anna", "rätt-lösen")
	ev := b.events()

	files := []normalizer.File{sample(t, "a-sprangbradan.docx"), sample(t, "a-sprangbradan.pdf"), sample(t, "a-sprangbradan-budget.xlsx")}
	res, body := b.upload(files)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/uploads/") {
		t.Fatalf("upload: %s\n%s", res.Status, body)
	}
	waiting := res.Header.Get("Location")

	// The row appears by SSE once the record is made: with its title, as a link.
	done := ev.waitFor(t, "a settled row", settled)
	if !strings.Contains(done.Data["html"], "Språngbrädan") || done.Data["announce"] == "" {
		t.Errorf("event: %v", done.Data)
	}
	seq := recordLinkRE.FindStringSubmatch(done.Data["html"])[1]

	// The waiting page goes to the record.
	res, _ = b.get(waiting)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/records/"+seq {
		t.Fatalf("waiting page: %s to %q, want /records/%s", res.Status, res.Header.Get("Location"), seq)
	}
	// The upload's script asks the same as JSON.
	req, _ := http.NewRequest("GET", e.hs.URL+waiting, nil)
	req.Header.Set("Accept", "application/json")
	_, st := b.do(req)
	var status struct {
		State     string `json:"state"`
		RecordURL string `json:"record_url"`
	}
	if err := json.Unmarshal([]byte(st), &status); err != nil || status.RecordURL != "/records/"+seq || status.State != queue.StateDone {
		t.Errorf("waiting as JSON: %s (%v)", st, err)
	}
	res, page := b.get("/records/" + seq)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("record page: %s\n%s", res.Status, page)
	}
	var rec schema.Record
	res, raw := b.get("/records/" + seq + ".json")
	if err := json.Unmarshal([]byte(raw), &rec); err != nil || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("record JSON (%s): %v", res.Header.Get("Content-Type"), err)
	}
	for _, want := range []string{"<h1>" + *rec.Title + "</h1>", "Underskrifter", "Budget – detaljerad", "Enköpings kommun"} {
		if !strings.Contains(page, want) {
			t.Errorf("record page lacks %q", want)
		}
	}
	for i := range rec.Findings {
		if !strings.Contains(page, `id="f-`+strconv.Itoa(i+1)+`"`) {
			t.Errorf("finding %d not listed", i+1)
		}
	}

	// The inbox lists it; the filters find it or not.
	for q, want := range map[string]bool{
		"/": true, "/?q=spr%C3%A5ngbr%C3%A4dan": true, "/?q=region+uppsala": true, "/?q=ingenting": false,
		"/?owner=Enk%C3%B6pings+kommun": true, "/?status=misslyckad": false, "/?code=budget.unit_mismatch": true,
		"/?from=2000-01-01&to=2099-12-31": true, "/?to=2000-01-01": false, "/?sort=title&dir=asc": true,
	} {
		_, body := b.get(q)
		if got := strings.Contains(body, `href="/records/`+seq+`"`); got != want {
			t.Errorf("GET %s lists the record: %t, want %t", q, got, want)
		}
	}

	// The register row is an Excel file with the record's title.
	res, xlsx := b.get("/records/" + seq + ".xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "register-"+seq+".xlsx") {
		t.Fatalf("register row: %s %q", res.Status, res.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) < 2 || !strings.Contains(strings.Join(rows[1], "|"), *rec.Title) {
		t.Errorf("register rows %q: %v", rows, err)
	}
	_ = f.Close()

	// Originals: a PDF inline (for #page=N), the others as downloads, named in UTF-8.
	for _, file := range rec.Source.Files {
		res, data := b.get("/files/" + file.SHA256)
		cd := res.Header.Get("Content-Disposition")
		wantKind := "attachment;"
		if file.Format == "pdf" {
			wantKind = "inline;"
		}
		if res.StatusCode != http.StatusOK || len(data) != int(file.Bytes) || !strings.HasPrefix(cd, wantKind) ||
			!strings.Contains(cd, "filename*=UTF-8''"+file.Name) || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("file %s: %s, %d bytes, Content-Disposition %q", file.Name, res.Status, len(data), cd)
		}
	}
	// Evidence links point at the original, at its page for a PDF.
	if !regexp.MustCompile(`href="/files/[0-9a-f]{64}\?r=\d+(#page=\d+)?"`).MatchString(page) {
		t.Error("no evidence link to an original")
	}

	got := map[string]int{}
	for _, a := range e.audit.entries(t) {
		if a.User != "anna" {
			t.Errorf("audit entry by %q: %+v", a.User, a)
		}
		got[a.Action+" "+a.What]++
	}
	for k, want := range map[string]int{"upload ": 1, "view page": 1, "download json": 1, "download xlsx": 1, "download original": 3} {
		if got[k] != want {
			t.Errorf("audit %q: %d entries, want %d (all: %v)", k, got[k], want, got)
		}
	}

	// Reached by its submission too.
	key, _ := e.srv.idx.keyOfSeq(mustUint(t, seq))
	id := strings.TrimPrefix(key, "submission ")
	if res, _ := b.get("/submissions/" + id); res.Header.Get("Location") != "/records/"+seq {
		t.Errorf("/submissions/%s: %s to %q", id, res.Status, res.Header.Get("Location"))
	}

	// Omkör makes a newer record of the same submission, which replaces the row.
	res, _ = b.post("/records/"+seq+"/reprocess", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reprocess: %s", res.Status)
	}
	newer := ev.waitFor(t, "a newer record", func(html string) bool {
		m := recordLinkRE.FindStringSubmatch(html)
		return m != nil && m[1] != seq
	})
	if newer.Data["key"] != done.Data["key"] {
		t.Errorf("the reprocessed record is another row: %s, want %s", newer.Data["key"], done.Data["key"])
	}
	if _, body := b.get("/records/" + seq); !strings.Contains(body, "Det finns en nyare läsning") {
		t.Error("the old record does not point at the newer one")
	}
}

func mustUint(t testing.TB, s string) uint64 {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Upload limits come from the submission limits, with a Swedish answer.
func TestUploadLimits(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Limits.MaxBytes = 4 << 10; c.Limits.MaxFiles = 2 })
	b := e.browser()
	b.login("anna", "rätt-lösen")
	small := normalizer.File{Name: "a.pdf", Data: []byte("%PDF-1.4 small")}
	for _, tc := range []struct {
		name  string
		files []normalizer.File
		want  string
	}{
		{"too large", []normalizer.File{{Name: "stor.pdf", Data: bytes.Repeat([]byte("x"), 64<<10)}}, "Filerna är för stora"},
		{"over the body limit", []normalizer.File{{Name: "enorm.pdf", Data: bytes.Repeat([]byte("x"), 3<<20)}}, "Filerna är för stora"},
		{"too many", []normalizer.File{small, {Name: "b.pdf", Data: []byte("b")}, {Name: "c.pdf", Data: []byte("c")}}, "För många filer"},
		{"none", nil, "Välj minst en fil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := b.upload(tc.files)
			if res.StatusCode < 400 || !strings.Contains(body, tc.want) {
				t.Errorf("%s: %s\n%s", tc.name, res.Status, body)
			}
			res, body = b.upload(tc.files, "Accept", "application/json")
			var msg map[string]string
			if err := json.Unmarshal([]byte(body), &msg); err != nil || !strings.Contains(msg["error"], tc.want) {
				t.Errorf("%s as JSON: %s %q", tc.name, res.Status, body)
			}
		})
	}
}

// A job that fails on every delivery shows on Fel with its reason, and
// in the Inkorg as misslyckad; Försök igen submits its files again,
// and a working worker makes the record.
func TestDeadLetterRetry(t *testing.T) {
	e := newEnv(t)
	stopFailing := e.startWorker(queue.WorkerConfig{Reader: failing{}, IsRetryable: func(error) bool { return true }})
	b := e.browser()
	b.login("anna", "rätt-lösen")
	ev := b.events()
	res, body := b.upload([]normalizer.File{sample(t, "c-vagen-vidare.docx")}, "Accept", "application/json")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "status_url") {
		t.Fatalf("upload: %s %s", res.Status, body)
	}
	ev.wait(t, regexp.MustCompile(`misslyckad`))
	stopFailing()

	_, dead := b.get("/dead")
	m := regexp.MustCompile(`<form method="post" action="/dead/(\d+)/retry">`).FindStringSubmatch(dead)
	if m == nil || !strings.Contains(dead, errBroken.Error()) || !strings.Contains(dead, "c-vagen-vidare.docx") {
		t.Fatalf("Fel page:\n%s", dead)
	}
	e.startWorker(queue.WorkerConfig{Reader: normalizer.InProcess{}})
	res, _ = b.post("/dead/"+m[1]+"/retry", nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/uploads/") {
		t.Fatalf("retry: %s", res.Status)
	}
	row := ev.waitFor(t, "a settled row", settled)
	if strings.Contains(row.Data["html"], "misslyckad") {
		t.Errorf("the retried row is still failed: %s", row.Data["html"])
	}
	if _, dead := b.get("/dead"); !strings.Contains(dead, "löst: en nyare läsning finns") {
		t.Errorf("Fel page after the retry:\n%s", dead)
	}
	var retries int
	for _, a := range e.audit.entries(t) {
		if a.Action == "retry" {
			retries++
		}
	}
	if retries != 1 {
		t.Errorf("%d retry audit entries, want 1", retries)
	}
}

// A message submitted whole (mail ingest) has attachments without a
// status of their own: they are served by the record that lists them
// (?r=SEQ), and by no other link.
func TestMessageAttachmentDownload(t *testing.T) {
	e := newEnv(t)
	e.startWorker(queue.WorkerConfig{Reader: normalizer.InProcess{}})
	b := e.browser()
	b.login("anna", "rätt-lösen")
	ev := b.events()
	docx := sample(t, "b-nasta-steg.docx")
	raw := mailtest.Message{ID: "<nasta-1@kommun.example.se>", From: "Anna <anna@kommun.example.se>", Subject: "Ansökan", Text: "Hej",
		Parts: []mailtest.Part{{Name: "Nästa steg.docx", Naming: mailtest.RFC2231, Data: docx.Data}}}.Bytes()
	c := e.nats.Client(t)
	if _, err := c.SubmitMessage(ctxGuard(t), raw, "INBOX/Ansökan.eml"); err != nil {
		t.Fatal(err)
	}
	row := ev.waitFor(t, "a settled row", settled)
	seq := recordLinkRE.FindStringSubmatch(row.Data["html"])[1]
	_, page := b.get("/records/" + seq)
	sum := sha256.Sum256(docx.Data)
	sha := hex.EncodeToString(sum[:])
	link := "/files/" + sha + "?r=" + seq
	if !strings.Contains(page, `href="`+link+`"`) {
		t.Fatalf("the record page does not link %s", link)
	}
	res, data := b.get(link)
	if res.StatusCode != http.StatusOK || data != string(docx.Data) || !strings.Contains(res.Header.Get("Content-Disposition"), "N%C3%A4sta%20steg.docx") {
		t.Errorf("%s: %s, %d bytes, %q", link, res.Status, len(data), res.Header.Get("Content-Disposition"))
	}
	for _, bad := range []string{"/files/" + sha, "/files/" + sha + "?r=999", "/files/" + sha + "?r=x"} {
		if res, _ := b.get(bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %s, want 404", bad, res.Status)
		}
	}
}

// A record the retention sweep removes leaves the inbox at once: its row
// goes from the index and from the open pages (event "remove"), and its
// page is gone.
func TestRetentionRemovesRow(t *testing.T) {
	e := newEnv(t)
	e.startWorker(queue.WorkerConfig{Reader: normalizer.InProcess{}})
	b := e.browser()
	b.login("anna", "rätt-lösen")
	ev := b.events()
	if res, body := b.upload([]normalizer.File{sample(t, "b-nasta-steg.docx")}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %s\n%s", res.Status, body)
	}
	row := ev.waitFor(t, "a settled row", settled)
	seq := recordLinkRE.FindStringSubmatch(row.Data["html"])[1]

	sw, err := queue.NewSweeper(e.js, queue.RetentionConfig{Months: 1, Now: func() time.Time { return time.Now().AddDate(0, 2, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	n, err := sw.Sweep(ctxGuard(t))
	if err != nil || n.Records != 1 {
		t.Fatalf("sweep: %+v, %v", n, err)
	}
	gone := ev.waitForEvent(t, "remove")
	if gone.Data["key"] != row.Data["key"] {
		t.Errorf("removed %q, want the row %q", gone.Data["key"], row.Data["key"])
	}
	if _, page := b.get("/"); strings.Contains(page, "/records/"+seq) {
		t.Error("the inbox still lists the removed record")
	}
	if res, _ := b.get("/records/" + seq); res.StatusCode != http.StatusNotFound {
		t.Errorf("the removed record's page: %s", res.Status)
	}
}
