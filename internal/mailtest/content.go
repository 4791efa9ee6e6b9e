package mailtest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/finsam/ansokan/schema"
)

// Content is a record's content without what depends on how it arrived
// (its files' names and paths, its id, its time), with the attachments'
// names replaced by the plain files' (names maps the one to the other):
// the record of a message and of its files given plainly compare equal.
func Content(t testing.TB, r schema.Record, names map[string]string) string {
	t.Helper()
	r.Source, r.SubmissionID, r.ProducedAt = schema.Source{}, nil, ""
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for from, to := range names {
		fj, _ := json.Marshal(from)
		tj, _ := json.Marshal(to)
		s = strings.ReplaceAll(s, string(fj), string(tj))
	}
	return s
}
