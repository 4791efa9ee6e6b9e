package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/finsam/ansokan/internal/corpus"
)

// The byte searches that replaced the guards' scans of the whole file
// find what the regular expressions they replaced found, on every
// fixture, sample and corpus PDF and on cases made to sit at the edges
// (words that only end in xref, a trailer glued to a word, white space
// the expressions do not count, the end of the data).
func TestGuardSearchesMatchRegexps(t *testing.T) {
	tableRe := regexp.MustCompile(`(?s)\bxref\s+(.*?)\btrailer\b`)
	xrefRe := regexp.MustCompile(`/Type\s*/XRef\b`)
	innerRe := regexp.MustCompile(`/Type\s*/(?:ObjStm|XRef)\b`)
	inputs := map[string][]byte{
		"startxref":      []byte("startxref 12 xref\n0 1\ntrailer"),
		"glued trailer":  []byte("xref\n0 3\nxtrailer trailers trailer_ trailer\n"),
		"NUL space":      []byte("xref\x000 1 trailer xref 0 2\ntrailer"),
		"no trailer":     []byte("xref\n0 1\n0000000000 65535 f\n"),
		"bare":           []byte("xref"),
		"space only":     []byte("xref \r\n\t\f"),
		"trailer at end": []byte("1 0 obj xref 0 1 trailer"),
		"two":            []byte("xref\n0 1\ntrailer<<>>\nxref\n5 2\ntrailer<</Prev 9>>"),
		"nested":         []byte("xref 0 1 xref 2 3 trailer trailer"),
		"non-ASCII":      []byte("\xc3xref 0 1\xe2\x80\x83trailer\xff"),
		"types":          []byte("/Type/XRef /Type /XRefs /Type\n/ObjStm/Type /ObjStm_ /Type  /XRef/Type/XRef"),
		"type at end":    []byte("<< /Type /XRef"),
		"type cut":       []byte("<< /Type /XRe"),
	}
	add := func(paths []string) {
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				inputs[p] = b
			}
		}
	}
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "*.pdf"))
	samples, _ := filepath.Glob(filepath.Join("..", "..", "samples", "*.pdf"))
	add(fixtures)
	add(samples)
	if root, ok := corpus.Dir(); ok {
		files, _ := filepath.Glob(filepath.Join(root, "pdf", "*"))
		add(files)
	}
	for name, data := range inputs {
		var want [][]byte
		for _, m := range tableRe.FindAllSubmatch(data, -1) {
			want = append(want, m[1])
		}
		got := pdfXrefTables(data)
		if len(got) != len(want) {
			t.Errorf("%s: %d tables, the expression finds %d", name, len(got), len(want))
		} else {
			for i := range got {
				if !bytes.Equal(got[i], want[i]) {
					t.Errorf("%s: table %d differs:\n got %q\nwant %q", name, i, got[i], want[i])
				}
			}
		}
		for _, c := range []struct {
			re    *regexp.Regexp
			names []string
		}{{xrefRe, []string{"XRef"}}, {innerRe, []string{"ObjStm", "XRef"}}} {
			want := c.re.FindAllIndex(data, -1)
			got := pdfTypeNames(data, c.names...)
			if len(got) != len(want) {
				t.Errorf("%s: %d /Type %v, the expression finds %d", name, len(got), c.names, len(want))
				continue
			}
			for i := range got {
				if got[i][0] != want[i][0] || got[i][1] != want[i][1] {
					t.Errorf("%s: /Type %v match %d at %v, the expression's at %v", name, c.names, i, got[i], want[i])
				}
			}
		}
	}
}
