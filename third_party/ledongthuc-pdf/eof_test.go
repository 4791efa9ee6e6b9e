package pdf

// Regression tests for the loops of the lexer that did not end at the end
// of the data. At EOF readByte returns '\n' for ever, so a loop that skips
// white space without looking at b.eof never ends: a content stream
// ending in "<" held GetPlainText in readHexString for ever (found by
// fuzzing a 654-byte file). Each case must now end, with the library's
// error where the data is malformed.

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// within runs f and fails the test if it has not returned after d: a
// regression then fails instead of hanging the suite (the goroutine is
// left behind; the test binary ends soon after).
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("did not return within %v", d)
	}
}

// lexAll reads tokens from src as Interpret does (allowEOF) until io.EOF
// and returns the tokens and the text of the panic that stopped it, if
// any.
func lexAll(src string, objects bool) (toks []token, failure string) {
	defer func() {
		if x := recover(); x != nil {
			failure = fmt.Sprint(x)
		}
	}()
	b := newBuffer(strings.NewReader(src), 0)
	b.allowEOF = true
	b.allowObjptr = false
	b.allowStream = false
	for {
		var tok token
		if objects {
			tok = b.readObject()
		} else {
			tok = b.readToken()
		}
		if tok == io.EOF {
			return toks, ""
		}
		toks = append(toks, tok)
	}
}

func TestLexerEndsAtEOF(t *testing.T) {
	for _, c := range []struct {
		src     string
		objects bool   // read objects (arrays, dictionaries), not tokens
		fail    string // "" when the data is well-formed
	}{
		{src: "<", fail: "malformed hex string: unexpected end of data"},
		{src: "BT <", fail: "malformed hex string: unexpected end of data"},
		{src: "< \n\t", fail: "malformed hex string: unexpected end of data"},
		{src: "<4", fail: "malformed hex string: unexpected end of data"},
		{src: "<41 4", fail: "malformed hex string: unexpected end of data"},
		{src: "<4142", fail: "malformed hex string: unexpected end of data"},
		{src: "(abc", fail: "malformed literal string: unexpected end of data"},
		{src: "(a(b)", fail: "malformed literal string: unexpected end of data"},
		{src: `(a\`, fail: "malformed literal string: unexpected end of data"},
		{src: `(a\0`, fail: "malformed literal string: unexpected end of data"},
		{src: "[1 2", objects: true, fail: "malformed array: unexpected end of data"},
		{src: "[<41>", objects: true, fail: "malformed array: unexpected end of data"},
		{src: "<< /A 1", objects: true, fail: "malformed dictionary: unexpected end of data"},
		{src: "<< /A [1", objects: true, fail: "malformed array: unexpected end of data"},
		{src: "/Na#4", fail: "malformed name"},
		// Well-formed data that ends without a newline still reads.
		{src: "<4142>"},
		{src: "(abc)"},
		{src: "/Name"},
		{src: "Tj"},
		{src: "% a comment to the end"},
		{src: "[1 2]", objects: true},
		{src: "<< /A 1 >>", objects: true},
	} {
		var toks []token
		var failure string
		within(t, time.Second, func() { toks, failure = lexAll(c.src, c.objects) })
		if !strings.Contains(failure, c.fail) || (c.fail == "") != (failure == "") {
			t.Errorf("%q: error %q, want %q", c.src, failure, c.fail)
		}
		if c.fail == "" && len(toks) == 0 && !strings.HasPrefix(c.src, "%") {
			t.Errorf("%q: no token", c.src)
		}
	}
}

// TestLexerClosedStringsUnchanged: strings that are closed read as
// before.
func TestLexerClosedStringsUnchanged(t *testing.T) {
	toks, failure := lexAll(`(a\(b\)c) <41 42> (x\ny)`, false)
	if failure != "" {
		t.Fatal(failure)
	}
	want := []token{"a(b)c", "AB", "x\ny"}
	if fmt.Sprint(toks) != fmt.Sprint(want) {
		t.Errorf("tokens %q, want %q", toks, want)
	}
}

// buildPDF writes a PDF of the given objects (numbered from 1, object 1
// the catalog) with a cross-reference table.
func buildPDF(objs ...string) []byte {
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs)+1)
	for i, obj := range objs {
		offsets[i+1] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", i+1, obj)
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets[1:] {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return buf.Bytes()
}

func streamObj(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// onePagePDF is a one-page PDF whose page content is content; font, when
// not empty, is the font dictionary /F1 (object 5) and extra objects
// follow from number 5 (or 6).
func onePagePDF(content string, extra ...string) []byte {
	res := "<< >>"
	if len(extra) > 0 {
		res = "<< /Font << /F1 5 0 R >> >>"
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources " + res + " /Contents 4 0 R >>",
		streamObj("", content),
	}
	return buildPDF(append(objs, extra...)...)
}

// TestPlainTextEndsAtEOF reads pages whose content stream ends inside an
// unterminated token: GetPlainText returns with the lexer's error.
func TestPlainTextEndsAtEOF(t *testing.T) {
	for _, c := range []struct{ content, fail string }{
		{"BT /F1 12 Tf 72 712 Td (Hello) Tj ET\nBT <", "malformed hex string"},
		{"BT /F1 12 Tf 72 712 Td <48656C", "malformed hex string"},
		{"BT /F1 12 Tf 72 712 Td (Hello", "malformed literal string"},
		{"BT /F1 12 Tf 72 712 Td [(Hel) -20 (lo)", ""}, // the operand is dropped, the page read
		{"BT /F1 12 Tf 72 712 Td << /A 1", ""},
		{"BT /F1 12 Tf 72 712 Td (Hello) Tj ET % to the end", ""},
	} {
		data := onePagePDF(c.content)
		r, err := NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%q: NewReader: %v", c.content, err)
		}
		var perr error
		within(t, time.Second, func() { _, perr = r.Page(1).GetPlainText(nil) })
		if c.fail == "" && perr != nil || c.fail != "" && (perr == nil || !strings.Contains(perr.Error(), c.fail)) {
			t.Errorf("%q: error %v, want %q", c.content, perr, c.fail)
		}
	}
}

// TestToUnicodeCountsBounded: a CMap's bfchar/bfrange count comes from
// the file; a count of 2^62 used to append empty entries until memory
// ran out. A ToUnicode stream ending in "<" ends with the lexer's error.
func TestToUnicodeCountsBounded(t *testing.T) {
	cmap := func(body string) string {
		return streamObj("", "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"+
			"1 begincodespacerange <00> <FF> endcodespacerange\n"+body)
	}
	for _, c := range []struct{ body, fail string }{
		{"4611686018427387904 beginbfchar <41> <0042> endbfchar\nendcmap end end", ""},
		{"4611686018427387904 beginbfrange <41> <42> <0043> endbfrange\nendcmap end end", ""},
		{"1 beginbfchar <41> <", "malformed hex string"},
	} {
		data := onePagePDF("BT /F1 12 Tf 72 712 Td (A) Tj ET",
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>", cmap(c.body))
		r, err := NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		var text string
		var perr error
		within(t, 5*time.Second, func() {
			defer func() {
				if x := recover(); x != nil {
					perr = fmt.Errorf("%v", x)
				}
			}()
			f := r.Page(1).Font("F1")
			text = f.Encoder().Decode("A")
		})
		if c.fail == "" && (perr != nil || text != "B" && text != "C") || c.fail != "" && (perr == nil || !strings.Contains(perr.Error(), c.fail)) {
			t.Errorf("%q: text %q, error %v, want %q", c.body, text, perr, c.fail)
		}
	}
}

// objStmReader is a Reader over data in which object 2 lives in object
// stream 1 (at offset off): enough of a file for resolve.
func objStmReader(data []byte, off int64) *Reader {
	return &Reader{
		f:   bytes.NewReader(data),
		end: int64(len(data)),
		xref: []xref{
			{},
			{ptr: objptr{1, 0}, offset: off},
			{ptr: objptr{2, 0}, inStream: true, stream: objptr{1, 0}},
		},
	}
}

// TestObjectStreamEndsAtEOF: an object stream's /N can claim more objects
// than it holds (the search read io.EOF 2^63 times), its /Extends can
// point back at itself, and the object in it can end inside a string.
func TestObjectStreamEndsAtEOF(t *testing.T) {
	for _, c := range []struct{ dict, data, fail string }{
		{"/Type /ObjStm /N 9223372036854775807 /First 4", "3 0 ", "cannot find object in stream"},
		{"/Type /ObjStm /N 1 /First 4 /Extends 1 0 R", "3 0 ", "/Extends chain too long or cyclic"},
		{"/Type /ObjStm /N 1 /First 4", "2 0 <41", "malformed hex string"},
		{"/Type /ObjStm /N 1 /First 4", "2 0 [1 2", "malformed array"},
		{"/Type /ObjStm /N 1 /First 4", "2 0 <41>", ""},
	} {
		data := []byte("%PDF-1.5\n1 0 obj\n" + streamObj(c.dict, c.data) + "\nendobj\n")
		r := objStmReader(data, int64(len("%PDF-1.5\n")))
		var v Value
		var perr error
		within(t, 5*time.Second, func() {
			defer func() {
				if x := recover(); x != nil {
					perr = fmt.Errorf("%v", x)
				}
			}()
			v = r.resolve(objptr{}, objptr{2, 0})
		})
		if c.fail == "" && (perr != nil || v.RawString() != "A") || c.fail != "" && (perr == nil || !strings.Contains(perr.Error(), c.fail)) {
			t.Errorf("%s %q: value %v, error %v, want %q", c.dict, c.data, v, perr, c.fail)
		}
	}
}
