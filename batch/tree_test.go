package batch

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sampleSubmission is one sample submission: its files' roles and bytes.
type sampleSubmission struct {
	docx, pdf, xlsx []byte // nil when the submission has none
}

// loadSamples reads the sample submissions from ../samples by the
// samples' own stem rule (the stem with "-budget" removed).
func loadSamples(t testing.TB) []sampleSubmission {
	t.Helper()
	docs, err := filepath.Glob("../samples/*.docx")
	if err != nil || len(docs) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	var out []sampleSubmission
	for _, d := range docs {
		stem := strings.TrimSuffix(d, ".docx")
		s := sampleSubmission{docx: mustRead(t, d)}
		s.pdf, _ = os.ReadFile(stem + ".pdf")
		s.xlsx, _ = os.ReadFile(stem + "-budget.xlsx")
		out = append(out, s)
	}
	return out
}

func mustRead(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// variant returns a copy of a sample file whose bytes differ (so its
// SHA-256 differs) but whose content reads the same: an OOXML package
// gets a zip comment; a PDF gets n in its trailer /ID, same length, so
// no offset moves.
func variant(t testing.TB, data []byte, n int) []byte {
	t.Helper()
	switch {
	case bytes.HasPrefix(data, []byte("PK")):
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.SetComment(fmt.Sprintf("variant %d", n)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	case bytes.HasPrefix(data, []byte("%PDF")):
		out := bytes.Clone(data)
		i := bytes.LastIndex(out, []byte("/ID"))
		if i < 0 {
			t.Fatal("PDF without /ID")
		}
		j := i + bytes.IndexByte(out[i:], '<') + 1
		copy(out[j:j+8], fmt.Sprintf("%08X", n))
		return out
	}
	t.Fatal("unknown sample kind")
	return nil
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// tree is a generated folder of submissions and what a run must make of it.
type tree struct {
	root      string
	apps      int            // distinct submissions expected (one record each)
	files     int            // files a run must find (duplicates included)
	dups      int            // submissions that are byte copies of another
	appOf     map[string]int // file SHA-256 → the submission it belongs to
	filesOf   map[int]int    // submission → its number of files
	noText    int            // the submission with the scanned PDF
	unreadble int            // the submission with the corrupt file
}

// makeTree writes n submissions made from the samples into a nested tree
// under dir, in four naming patterns, every tenth inside a zip archive,
// every fifteenth also copied byte for byte to another folder, plus a
// corrupt Word file, a scanned PDF and files that are not applications.
func makeTree(t testing.TB, dir string, n int) *tree {
	t.Helper()
	samples := loadSamples(t)
	tr := &tree{root: dir, appOf: map[string]int{}, filesOf: map[int]int{}}
	zipPath := filepath.Join(dir, "inkommet", "inkommet.zip")
	if err := os.MkdirAll(filepath.Dir(zipPath), 0o755); err != nil {
		t.Fatal(err)
	}
	zf, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	write := func(app int, rel string, data []byte, inZip bool) {
		tr.appOf[sum(data)] = app
		tr.files++
		if inZip {
			w, err := zw.Create(filepath.ToSlash(rel))
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
			return
		}
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		s := samples[i%len(samples)]
		folder := filepath.Join(fmt.Sprintf("region%d", i%3), fmt.Sprintf("år%d", 2023+i%2))
		var names [3]string // docx, pdf, xlsx
		switch (i / len(samples)) % 4 {
		case 0:
			stem := fmt.Sprintf("insats-%03d", i)
			names = [3]string{stem + ".docx", stem + ".pdf", stem + "-budget.xlsx"}
		case 1:
			stem := fmt.Sprintf("Insats %03d", i)
			names = [3]string{"Ansökan " + stem + ".docx", stem + " signerad.pdf", "Budget " + stem + ".xlsx"}
		case 2:
			stem := fmt.Sprintf("insats_%03d", i)
			names = [3]string{stem + ".docx", stem + ".pdf", stem + "_budget.xlsx"}
		case 3:
			folder = filepath.Join(folder, fmt.Sprintf("Insats nr %03d", i))
			names = [3]string{"Ansökan.docx", "Underskriven ansökan.pdf", "Budget.xlsx"}
		}
		inZip := i%10 == 9
		copies := 1
		if i%15 == 0 {
			copies = 2
			tr.dups++
		}
		for c := range copies {
			f := folder
			if c == 1 {
				f = filepath.Join("kopior", folder)
			}
			nf := 0
			for k, data := range [][]byte{s.docx, s.pdf, s.xlsx} {
				if data != nil {
					write(i, filepath.Join(f, names[k]), variant(t, data, i), inZip)
					nf++
				}
			}
			tr.filesOf[i] = nf
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zf.Close(); err != nil {
		t.Fatal(err)
	}
	tr.apps = n
	// A corrupt Word file and a scanned PDF, in a folder of their own.
	tr.unreadble, tr.noText = n, n+1
	write(n, filepath.Join("övrigt", "trasig.docx"), []byte("PK\x03\x04 this is not a Word file"), false)
	write(n+1, filepath.Join("övrigt", "skannad.pdf"), mustRead(t, "../extractor/pdf/testdata/image_only.pdf"), false)
	tr.filesOf[n], tr.filesOf[n+1] = 1, 1
	tr.apps += 2
	// Not applications: skipped or ignored.
	for _, name := range []string{"läsmig.txt", ".DS_Store", "~$trasig.docx"} {
		if err := os.WriteFile(filepath.Join(dir, "övrigt", name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}
