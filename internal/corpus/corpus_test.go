package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

func TestManifestAndDir(t *testing.T) {
	dir := t.TempDir()
	tsv := "path\tformat\tcontainer\tcategory\tnote\n" +
		"pdf/a.pdf\tpdf\tpdf\tnormal\tsays \"hi\"\n" +
		"\n" +
		"docx/b.docx\tdocx\tzip\tcorrupt\r\n"
	if err := os.WriteFile(filepath.Join(dir, "MANIFEST.tsv"), []byte(tsv), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(Env, dir)
	got, ok := Dir()
	if !ok || got != dir {
		t.Fatalf("Dir() = %q, %v; want %q, true", got, ok, dir)
	}
	es, err := Manifest(got)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Path != "pdf/a.pdf" || es[0].Fields["note"] != `says "hi"` || es[1].Category != "corrupt" || es[1].Format != "docx" {
		t.Errorf("entries %+v", es)
	}

	if err := os.WriteFile(filepath.Join(dir, "MANIFEST.tsv"), []byte("path\tformat\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Manifest(dir); err == nil {
		t.Error("a manifest without rows or columns was accepted")
	}
	t.Setenv(Env, filepath.Join(dir, "nothing"))
	if _, ok := Dir(); ok {
		t.Error("Dir() found a corpus where there is none")
	}
}
