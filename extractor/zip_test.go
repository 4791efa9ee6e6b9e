package extractor

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The inflate budget counts the bytes that come out of the decompressor,
// whatever the entry declared.
func TestZipBudgetCountsInflatedBytes(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("a.xml")
	w.Write(bytes.Repeat([]byte("<a/>"), 1000))
	w, _ = zw.Create("b.xml")
	w.Write(bytes.Repeat([]byte("<b/>"), 1000))
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	b := NewZipBudget(Limits{MaxZipUncompressedBytes: 6 << 10})
	var errs []error
	for _, f := range zr.File {
		rc, err := b.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		errs = append(errs, err)
	}
	if errs[0] != nil {
		t.Errorf("first entry (4000 bytes): %v", errs[0])
	}
	if !errors.Is(errs[1], ErrLimit) || !strings.Contains(errs[1].Error(), "unpacks to more than 6 KB (limit MaxZipUncompressedBytes)") {
		t.Errorf("second entry: %v, want the inflate limit", errs[1])
	}
}

// The end-of-central-directory record's entry count is read before the
// directory: a package that declares more entries than the limit is
// refused without loading them.
func TestZipDeclaredEntries(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("docx", "testdata", "writer.docx"))
	if err != nil {
		t.Fatal(err)
	}
	n, ok := zipDeclaredEntries(bytes.NewReader(data), int64(len(data)))
	if !ok || n != 11 {
		t.Fatalf("declared entries = %d, %v; want 11", n, ok)
	}
	// Claim 60 000 entries: refused by the count, not by zip.NewReader.
	i := bytes.LastIndex(data, []byte("PK\x05\x06"))
	bad := append([]byte(nil), data...)
	bad[i+8], bad[i+9], bad[i+10], bad[i+11] = 0x60, 0xEA, 0x60, 0xEA
	_, err = OpenZip(bytes.NewReader(bad), int64(len(bad)), DefaultLimits())
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "60000 entries, more than 10000 (limit MaxZipEntries)") {
		t.Errorf("err = %v", err)
	}
}
