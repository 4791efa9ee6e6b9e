package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor/docx"
)

// The corpus's .docx files carry a styles part the size Word writes, and
// it changes nothing the reader sees: the same file with the template's
// small part reads to the same blocks.
func TestCorpusWordStyles(t *testing.T) {
	dir := t.TempDir()
	if err := writeCorpus(dir, 2, 3); err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".docx") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no .docx in the corpus")
	}
	for _, path := range files {
		big, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		small, styles := replaceStyles(t, big, docxStyles)
		if n := len(styles); n < 300<<10 {
			t.Errorf("%s: styles part of %d bytes, want Word's size (over 300 KB)", filepath.Base(path), n)
		}
		a, err := docx.Read(bytes.NewReader(big), int64(len(big)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := docx.Read(bytes.NewReader(small), int64(len(small)))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s reads differently with Word's styles part", filepath.Base(path))
		}
	}
}

// replaceStyles returns the package with its styles part replaced, and
// the part it had.
func replaceStyles(t *testing.T, pkg []byte, styles string) ([]byte, []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var old []byte
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "word/styles.xml" {
			old, b = b, []byte(styles)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), old
}
