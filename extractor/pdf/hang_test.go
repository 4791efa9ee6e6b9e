package pdf

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor"
)

// The PDF library's lexer used to loop for ever at the end of a content
// stream still inside a token: readByte returns '\n' there for ever, and
// the hex-string reader skipped it as white space without looking at EOF.
// A 654-byte file whose page content ends in "<" (found by fuzzing) held
// a reading child for its whole CPU limit, and an in-process caller for
// ever. The library is patched (third_party/ledongthuc-pdf/PATCHES.md);
// these files must now read, in process, within a second.

// pdfHangFile is a minimal valid one-page PDF whose content stream is
// content, with the standard font Helvetica as /F1; toUnicode, when not
// empty, is the font's /ToUnicode CMap stream.
func pdfHangFile(content, toUnicode string) []byte {
	font := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	if toUnicode != "" {
		font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		font,
	}
	if toUnicode != "" {
		objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(toUnicode), toUnicode))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, obj := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, obj)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

const pdfHangCMap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
	"1 begincodespacerange <00> <FF> endcodespacerange\n"

// pdfHangCases are the files that hung (or, for the CMap counts, grew
// without bound) before the patch, one per loop fixed. text is the text
// the document must hold when it is read ("" when the file must be
// refused as corrupt: nothing on its only page could be read). seed names
// the file's copy under testdata/fuzz/FuzzReadPDF.
var pdfHangCases = []struct {
	name, content, toUnicode, text, seed string
}{
	// The fuzzer's crasher: the page content is a lone "<".
	{name: "content is <", content: "<", seed: "hang_hex_eof"},
	{name: "text then <", content: "BT /F1 12 Tf 72 712 Td (Hello) Tj ET\n<", text: "Hello", seed: "hang_hex_after_text"},
	{name: "unterminated hex string", content: "BT /F1 12 Tf 72 712 Td (Hello) Tj <48656C", text: "Hello", seed: "hang_hex_digits"},
	{name: "unterminated literal string", content: "BT /F1 12 Tf 72 712 Td (Hello) Tj (wor", text: "Hello", seed: "hang_literal_eof"},
	{name: "unterminated array", content: "BT /F1 12 Tf 72 712 Td (Hello) Tj [(wor) -20 (ld)", text: "Hello", seed: "hang_array_eof"},
	{name: "unterminated dictionary", content: "BT /F1 12 Tf 72 712 Td (Hello) Tj /Span << /ActualText (x)", text: "Hello", seed: "hang_dict_eof"},
	{name: "comment to the end", content: "BT /F1 12 Tf 72 712 Td (Hello) Tj ET % no newline", text: "Hello"},
	{name: "ToUnicode ends in <", content: "BT /F1 12 Tf 72 712 Td (Hello) Tj ET",
		toUnicode: pdfHangCMap + "1 beginbfchar <41> <", seed: "hang_tounicode_eof"},
	{name: "ToUnicode count 2^62", content: "BT /F1 12 Tf 72 712 Td (A) Tj ET",
		toUnicode: pdfHangCMap + "4611686018427387904 beginbfchar <41> <0042> endbfchar endcmap end end", text: "B", seed: "hang_tounicode_count"},
}

// TestReadPDFEndsAtEOF reads each file in process with the default limits
// and fails, instead of hanging the suite, when a read takes more than a
// second: a document holding the text drawn before the content broke
// off, or an error a record can carry (wrapping extractor.ErrCorrupt).
func TestReadPDFEndsAtEOF(t *testing.T) {
	for _, c := range pdfHangCases {
		data := pdfHangFile(c.content, c.toUnicode)
		type result struct {
			doc *extractor.Document
			err error
		}
		done := make(chan result, 1)
		go func() {
			doc, err := Read(bytes.NewReader(data), int64(len(data)))
			done <- result{doc, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(time.Second):
			// The goroutine cannot be stopped; the test binary ends
			// with the failed test.
			t.Fatalf("%s: Read did not return within a second (%d-byte file)", c.name, len(data))
		}
		switch {
		case (r.doc == nil) == (r.err == nil):
			t.Errorf("%s: document %v and error %v: want one of them", c.name, r.doc != nil, r.err)
		case c.text == "" && !errors.Is(r.err, extractor.ErrCorrupt):
			t.Errorf("%s: error %v, want one wrapping extractor.ErrCorrupt", c.name, r.err)
		case c.text != "" && r.err != nil:
			t.Errorf("%s: %v, want a document with %q", c.name, r.err, c.text)
		case c.text != "" && !strings.Contains(pdfBodyText(r.doc), c.text):
			t.Errorf("%s: text %q, want %q", c.name, pdfBodyText(r.doc), c.text)
		}
	}
}

// TestPDFHangFuzzSeeds keeps the files above as seeds of FuzzReadPDF,
// in the fuzzing engine's corpus format, so that "go test" runs them and
// the fuzzer starts from them. -update writes them.
func TestPDFHangFuzzSeeds(t *testing.T) {
	update := flag.Lookup("update").Value.String() == "true"
	dir := filepath.Join("testdata", "fuzz", "FuzzReadPDF")
	for _, c := range pdfHangCases {
		if c.seed == "" {
			continue
		}
		data := pdfHangFile(c.content, c.toUnicode)
		path := filepath.Join(dir, c.seed)
		want := "go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n"
		if update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (go test ./extractor -run TestPDFHangFuzzSeeds -update writes it)", c.name, err)
			continue
		}
		if string(got) != want {
			t.Errorf("%s: %s differs from the file the test builds (-update rewrites it)", c.name, path)
		}
	}
	// The fuzzer's crasher is in the 654-byte class it was found in.
	if n := len(pdfHangFile("<", "")); n < 500 || n > 800 {
		t.Errorf("the crasher is %d bytes", n)
	}
}
