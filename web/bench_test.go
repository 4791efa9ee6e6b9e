package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/schema"
)

// BenchmarkInbox is the Inkorg page over 1,000 submissions: server time
// of one request (filter, sort, page, render), the index filled from
// the samples' records with titles and owners varied. Target: < 200 ms.
func BenchmarkInbox(b *testing.B) {
	e := newEnv(b)
	names := []string{"a-sprangbradan", "b-nasta-steg", "c-vagen-vidare", "d-steg-for-steg", "e-bron-till-arbete", "f-kustnara-stod", "seed003-arbetsstegen"}
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range 1000 {
		r := goldenRecord(b, names[i%len(names)]+".submission.golden.json")
		title := fmt.Sprintf("%s %d", deref(r.Title), i)
		r.Title = &title
		id := fmt.Sprintf("bench-%04d", i)
		r.SubmissionID = &id
		e.srv.idx.addRecord(r, "submission "+id, uint64(i+1), base.Add(time.Duration(i)*time.Hour))
	}
	br := e.browser()
	br.login("anna", "rätt-lösen")
	cookies := br.c.Jar.Cookies(mustURL(b, e.hs.URL))
	h := e.srv.Handler()
	for _, q := range []string{"/", "/?sort=title&dir=asc&page=7", "/?q=kommun&status=ofullst%C3%A4ndig&code=" + schema.CodeBudgetUnitMismatch} {
		b.Run(strings.TrimPrefix(q, "/"), func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, q, nil)
				for _, c := range cookies {
					req.AddCookie(c)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Ansökningar: ") {
					b.Fatalf("%s: %d", q, w.Code)
				}
			}
		})
	}
}
