package normalizer

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/finsam/ansokan/internal/planted"
	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/schema"
)

// An application with personnummer planted in every place a string of
// the record can come from (planted.Build): none comes out unmasked,
// anywhere in the record, findings included, and each place where the
// record keeps the text has its privacy.personnummer finding.
func TestProcessMasksEverything(t *testing.T) {
	s, err := planted.Build()
	if err != nil {
		t.Fatal(err)
	}
	var files []File
	for _, f := range s.Files {
		files = append(files, File{Name: "inkommet/" + f.Name, Data: f.Data})
	}
	rec := Process(context.Background(), files, nil, nil)
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range planted.Leaks(string(b), s.Plants) {
		t.Errorf("%s (%s) is in the record unmasked", p.Number, p.Where)
	}
	for _, p := range planted.Unreported(rec, s.Plants) {
		t.Errorf("no privacy finding under %s for %s", p.Path, p.Where)
	}
	// The sheet name reaches the record only in findings' evidence: masked.
	for _, p := range s.Plants {
		if p.Where == "budget: sheet name" && !strings.Contains(string(b), `"sheet":"`+privacy.Mask("Budget "+p.Number)+`"`) {
			t.Errorf("no evidence names the masked sheet")
		}
	}
	// The findings that quote text quote it masked (parties.mismatch names
	// the renamed budget column; the row and the heading are subjects).
	quoted := 0
	for _, f := range rec.Findings {
		if f.Code != schema.CodePrivacyPersonnummer && f.Subject != nil && strings.Contains(*f.Subject, "XXXXXX") {
			quoted++
		}
	}
	if quoted == 0 {
		t.Error("no finding quotes masked text: the plants did not reach the checks")
	}
	if rec.Complete {
		t.Error("the unreadable attachment did not make the record incomplete")
	}
}
