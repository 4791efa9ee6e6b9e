package pdfsig

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzVerify runs the signature-dictionary scan, the CMS parsing and the
// coverage analysis over arbitrary bytes, seeded with the signed test
// PDFs (whole, cut and garbled) and the samples. It must never panic
// (VerifyBytes turns a panic into a verdict, so the target calls the
// parts directly) and every verdict must be self-consistent.
func FuzzVerify(f *testing.F) {
	var seeds [][]byte
	for _, fx := range fixtures(f) {
		seeds = append(seeds, fx.pdf)
	}
	if b, err := os.ReadFile(filepath.Join("..", "..", "samples", "a-sprangbradan.pdf")); err == nil {
		seeds = append(seeds, b[len(b)-2000:]) // its trailer: whole, it stalls the fuzzer minimizing
	}
	for _, s := range seeds {
		f.Add(s)
		f.Add(s[:len(s)/2])
		// The signature dictionary's end: the scan's and parser's edge.
		if i := len(s) - 600; i > 0 {
			f.Add(s[i:])
		}
	}
	f.Add([]byte("1 0 obj << /ByteRange [0 1 2 3] /Contents <3082> >> endobj %%EOF"))
	f.Add([]byte("1 0 obj << /ByteRange [0 -1 99999999999 3] /Contents (\\) >> endobj"))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		sigs := findSignatures(data)
		objs := expand(objects(data, 0, len(data)))
		fields := fieldNames(data, objs)
		revs, eofs := revisions(data)
		for _, s := range sigs {
			v := verifyOne(data, s, Options{Now: now})
			v.Field = fields[s.obj.num]
			coverage(data, objs, revs, eofs, s, &v)
			if v.Intact == (v.Problem != "") {
				t.Fatalf("intact %v with problem %q", v.Intact, v.Problem)
			}
			if v.CoversDocument == (v.ChangedAfter != "") {
				t.Fatalf("covers %v with changed_after %q", v.CoversDocument, v.ChangedAfter)
			}
			if v.Revision < 0 || v.Revision > len(revs) {
				t.Fatalf("revision %d of %d", v.Revision, len(revs))
			}
		}
	})
}
