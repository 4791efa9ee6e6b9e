package isolate

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
)

// sampleDocs reads the samples in process.
func sampleDocs(t testing.TB) []*extractor.Document {
	t.Helper()
	var docs []*extractor.Document
	for _, f := range samples(t) {
		d, err := anyformat.Read(bytes.NewReader(f.data), int64(len(f.data)), f.name)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		docs = append(docs, d)
	}
	return docs
}

// mustEncode encodes r, failing the test on an error.
func mustEncode(t testing.TB, r *response) []byte {
	t.Helper()
	b, err := encodeResponse(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// roundTrip encodes r and decodes it again.
func roundTrip(t testing.TB, r *response) response {
	t.Helper()
	got, err := decodeResponse(mustEncode(t, r))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every sample's document comes back as it went: the same JSON, and
// deeply equal (nil and empty slices apart, strings byte for byte).
func TestCodecSamples(t *testing.T) {
	for _, doc := range sampleDocs(t) {
		got := roundTrip(t, &response{Doc: doc, MaxRSSKB: 123456})
		if got.MaxRSSKB != 123456 || got.Err != nil || got.Doc == nil {
			t.Fatalf("%s: response %+v", doc.Name, got)
		}
		if !bytes.Equal(mustJSON(t, got.Doc), mustJSON(t, doc)) {
			t.Errorf("%s: JSON differs after the round trip", doc.Name)
		}
		if !reflect.DeepEqual(got.Doc, doc) {
			t.Errorf("%s: not deeply equal after the round trip", doc.Name)
		}
	}
}

func TestCodecError(t *testing.T) {
	for _, r := range []response{
		{Err: &wireError{Kind: "limit", Msg: "too large: x", File: "a.xlsx", Page: -3, Sheet: "Blad\xff1", Cell: "E7", Paragraph: 1 << 40}, MaxRSSKB: -1},
		{Err: &wireError{}},
		{},
	} {
		got := roundTrip(t, &r)
		if !reflect.DeepEqual(got, r) {
			t.Errorf("%+v came back as %+v", r, got)
		}
	}
}

// A document with every field set, and with the cases JSON or a careless
// codec would lose: nil beside empty slices, a Value pointing to 0, -0
// and odd floats, tables in cells, strings that are not UTF-8.
func oddDocument() *extractor.Document {
	zero := 0.0
	negZero := math.Copysign(0, -1)
	tiny := math.SmallestNonzeroFloat64
	inner := &extractor.Table{
		Rows: []extractor.Row{
			{Cells: []extractor.Cell{{Text: "inre", Blocks: []extractor.Block{}, Value: &negZero}}, Y: -1e308},
			{Cells: []extractor.Cell{}},
			{},
		},
		Columns: 1,
	}
	outer := &extractor.Table{
		Rows: []extractor.Row{{
			Cells: []extractor.Cell{
				{
					Text:   "a\nb",
					Blocks: []extractor.Block{{Kind: extractor.KindParagraph, Text: "a"}, {Kind: extractor.KindTable, Table: inner}},
					Col:    0, Span: 2, Merged: true,
					Ref: "B2", Value: &zero, Formula: "SUM(A1:A2)", NumFmt: "yy-mm-dd", IsDate: true,
					X0: 0.1, X1: math.MaxFloat64,
				},
				{Value: &tiny, Merged: true},
			},
			Page: 3, Y: 612.25, Num: 7,
		}},
		Columns: 3, Sheet: "Budget", Page: 2,
	}
	return &extractor.Document{
		Name:   "ansökan\xff\xfe.docx",
		Format: extractor.FormatDOCX,
		SHA256: "\x00\x01binary\x80",
		Bytes:  math.MaxInt64,
		Pages:  -1,
		Blocks: []extractor.Block{
			{Kind: extractor.KindParagraph, Text: "Rubrik\t☒ ☐\u00a0", Style: "Heading1", Level: 1, Bold: true, Tag: "tag", Paragraph: 1},
			{Kind: extractor.KindListItem, Text: "\xc3", ListMarker: "•", ListLevel: 2, Page: 1, X0: negZero, X1: -0.5, Y: 1e-300, Above: 25.9, Below: 16.9},
			{Kind: extractor.KindTable, Table: outer, Sheet: "S"},
			{Kind: extractor.KindTable, Table: &extractor.Table{}},
			{Kind: extractor.KindTable, Table: &extractor.Table{Rows: []extractor.Row{}}},
		},
		Furniture:   []extractor.Block{},
		NoTextPages: []int{},
		Sheets:      []string{"", "Blad1", "\xff"},
		DigitalSignatures: []extractor.DigitalSignature{
			{Field: "Sökande", SubFilter: "adbe.pkcs7.detached", Signer: "Östen Åkerlund", Organisation: "Region", Email: "o@example.se",
				Issuer: "CA", SignedAt: "2026-03-01T12:00:00+01:00", SignedAtSource: "signingTime", Intact: true, CertValid: true,
				Revision: 2, CoversDocument: true, Trusted: &trueValue},
			{Timestamp: true, Problem: "bad\xff", Detail: "detail", ChangedAfter: "innehållet ändrades", Revision: -1, Trusted: new(bool)},
			{},
		},
		Scans: []extractor.ScanPage{
			{Page: 2, Source: "embedded", DPI: 300, Confidence: 91.5, Words: 412, Rotation: 270, Skew: -1.25, Width: 595.2, Height: 841.92,
				Ink: []extractor.Box{{X0: 72, Y0: 100.5, X1: 250, Y1: 130}, {}}},
			{Page: 3, Source: "rendered", Err: "tesseract: no answer within 1m0s", Ink: []extractor.Box{}},
			{},
		},
	}
}

var trueValue = true

func TestCodecOddDocument(t *testing.T) {
	doc := oddDocument()
	got := roundTrip(t, &response{Doc: doc}).Doc
	if !reflect.DeepEqual(got, doc) {
		t.Fatalf("not deeply equal after the round trip:\n%s\n%s", mustJSON(t, got), mustJSON(t, doc))
	}
	if !bytes.Equal(mustJSON(t, got), mustJSON(t, doc)) {
		t.Error("JSON differs after the round trip")
	}
	// DeepEqual takes -0 for 0: look at the bits.
	cell := got.Blocks[2].Table.Rows[0].Cells[0]
	if cell.Value == nil || math.Float64bits(*cell.Value) != 0 {
		t.Errorf("Value pointing to 0 came back as %v", cell.Value)
	}
	innerValue := cell.Blocks[1].Table.Rows[0].Cells[0].Value
	if innerValue == nil || math.Float64bits(*innerValue) != math.Float64bits(math.Copysign(0, -1)) {
		t.Errorf("Value pointing to -0 came back as %v", innerValue)
	}
	if math.Float64bits(got.Blocks[1].X0) != math.Float64bits(math.Copysign(0, -1)) {
		t.Errorf("X0 -0 came back as %v", got.Blocks[1].X0)
	}
	if got.Furniture == nil || got.NoTextPages == nil || got.Blocks[0].Table != nil || got.Blocks[2].Table.Rows[0].Cells[1].Blocks != nil {
		t.Error("nil and empty slices or pointers mixed up")
	}
	nilDoc := roundTrip(t, &response{Doc: &extractor.Document{}}).Doc
	if !reflect.DeepEqual(nilDoc, &extractor.Document{}) {
		t.Errorf("the zero document came back as %+v", nilDoc)
	}
}

// The decoder's allocation bound rests on the minimum sizes: the zero
// value of each element takes exactly that many bytes.
func TestCodecMinSizes(t *testing.T) {
	for _, c := range []struct {
		name string
		got  int
		min  int
	}{
		{"Block", len(appendBlock(nil, &extractor.Block{})), minBlock},
		{"Row", len(appendRow(nil, &extractor.Row{})), minRow},
		{"Cell", len(appendCell(nil, &extractor.Cell{})), minCell},
		{"DigitalSignature", len(appendDigitalSignature(nil, &extractor.DigitalSignature{})), minSig},
		{"Scan", len(appendScan(nil, &extractor.ScanPage{})), minScan},
		{"Box", len(appendFloat(appendFloat(appendFloat(appendFloat(nil, 0), 0), 0), 0)), minBox},
		{"int", len(appendInt(nil, 0)), minInt},
		{"string", len(appendString(nil, "")), minStr},
	} {
		if c.got != c.min {
			t.Errorf("a zero %s takes %d bytes, min%s is %d", c.name, c.got, c.name, c.min)
		}
	}
}

// nested is a document whose tables nest depth deep.
func nested(depth int) *extractor.Document {
	var blocks []extractor.Block
	for range depth {
		blocks = []extractor.Block{{Kind: extractor.KindTable, Table: &extractor.Table{
			Rows: []extractor.Row{{Cells: []extractor.Cell{{Blocks: blocks}}}},
		}}}
	}
	return &extractor.Document{Blocks: blocks}
}

func TestCodecNesting(t *testing.T) {
	doc := nested(maxNesting)
	if got := roundTrip(t, &response{Doc: doc}).Doc; !reflect.DeepEqual(got, doc) {
		t.Errorf("tables %d deep do not come back", maxNesting)
	}
	for _, depth := range []int{maxNesting + 1, 256} {
		r := &response{Doc: nested(depth)}
		if _, err := encodeResponse(r); !errors.Is(err, extractor.ErrLimit) {
			t.Errorf("tables %d deep: encodeResponse says %v", depth, err)
		}
		if _, err := decodeResponse(appendResponse(nil, r)); !errors.Is(err, errMalformed) {
			t.Errorf("tables %d deep: decodeResponse says %v", depth, err)
		}
	}
}

// A child whose document nests too deep to send answers with a limit
// error for the file, not with a payload the parent would refuse.
func TestServeTooDeep(t *testing.T) {
	saved := read
	defer func() { read = saved }()
	read = func(name string, data []byte, lim extractor.Limits) (*extractor.Document, error) {
		return nested(maxNesting + 1), nil
	}
	var in, out bytes.Buffer
	if err := writeJSON(&in, hello{}); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(&in, request{Name: "djup.docx"}); err != nil {
		t.Fatal(err)
	}
	if err := writeFrame(&in, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if code := serve(&in, &out); code != exitDone {
		t.Fatalf("serve exited %d", code)
	}
	var r ready
	if err := readJSON(&out, &r); err != nil {
		t.Fatal(err)
	}
	b, err := readFrame(&out)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := decodeResponse(b)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Doc != nil || resp.Err == nil {
		t.Fatalf("response %+v", resp)
	}
	if err := resp.Err.decode("djup.docx"); !errors.Is(err, extractor.ErrLimit) {
		t.Errorf("error %v does not wrap ErrLimit", err)
	}
}

func TestCodecRefusesGarbage(t *testing.T) {
	good := mustEncode(t, &response{Doc: oddDocument()})
	for name, b := range map[string][]byte{
		"empty":           nil,
		"JSON":            mustJSON(t, response{Doc: oddDocument()}),
		"other version":   append([]byte{responseVersion + 1}, good[1:]...),
		"trailing byte":   append(append([]byte{}, good...), 0),
		"unknown flag":    {responseVersion, 0x04, 0},
		"huge slice":      {responseVersion, respDoc, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"huge string":     {responseVersion, respDoc, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"overlong varint": {responseVersion, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
	} {
		if _, err := decodeResponse(b); !errors.Is(err, errMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Slices nested in an element cannot claim the bytes its later
// siblings need: the count that would is refused at once.
func TestCodecOwedBytes(t *testing.T) {
	const rows = 10
	payload := func(declared int) []byte {
		b := []byte{responseVersion, respDoc, 0, 0, 0, 0, 0, 0} // MaxRSSKB, Name, Format, SHA256, Bytes, Pages
		b = append(b, 2+1)                                      // two blocks
		b = append(b, 0, 0, 0, 0, blockTable, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
		b = append(b, 0, 0, 0, byte(declared+1)) // the table: Columns, Sheet, Page, its rows
		b = append(b, make([]byte, rows*minRow)...)
		b = append(b, make([]byte, minBlock)...) // the second block
		return append(b, 0, 0, 0, 0, 0)          // Furniture, NoTextPages, Sheets, DigitalSignatures, Scans
	}
	r, err := decodeResponse(payload(rows))
	if err != nil || len(r.Doc.Blocks) != 2 || len(r.Doc.Blocks[0].Table.Rows) != rows {
		t.Fatalf("the honest payload: %v", err)
	}
	_, err = decodeResponse(payload(rows + 4))
	if err == nil || !strings.Contains(err.Error(), "elements of at least 4 bytes") {
		t.Errorf("rows claiming the second block's bytes: %v", err)
	}
}

// Every cut of an encoded response is an error, never a panic: for the
// small payloads all prefixes, for the large ones the first and last
// 512 and about 1000 between.
func TestCodecTruncated(t *testing.T) {
	payloads := [][]byte{mustEncode(t, &response{Doc: oddDocument(), Err: &wireError{Msg: "m"}})}
	for _, doc := range sampleDocs(t) {
		payloads = append(payloads, mustEncode(t, &response{Doc: doc}))
	}
	const edge, spread = 512, 1000
	for _, p := range payloads {
		for n := range len(p) {
			if n >= edge && n < len(p)-edge && n%max(1, (len(p)-2*edge)/spread) != 0 {
				continue
			}
			if _, err := decodeResponse(p[:n]); !errors.Is(err, errMalformed) {
				t.Fatalf("%d of %d bytes: %v", n, len(p), err)
			}
		}
	}
}

// excerpt cuts a document down to its first few blocks and a table,
// with a few rows to a table and a few furniture blocks.
func excerpt(d *extractor.Document) *extractor.Document {
	e := *d
	e.Blocks = nil
	for i, k := range d.Blocks {
		if i < 3 || k.Table != nil {
			e.Blocks = append(e.Blocks, k)
		}
		if len(e.Blocks) == 4 {
			break
		}
	}
	for i, k := range e.Blocks {
		if k.Table != nil {
			t := *k.Table
			t.Rows = t.Rows[:min(3, len(t.Rows))]
			e.Blocks[i].Table = &t
		}
	}
	e.Furniture = d.Furniture[:min(2, len(d.Furniture))]
	return &e
}

// Whatever decodes encodes again to the same bytes, and so to the same
// document.
//
// The samples seed it cut down (excerpt): whole, they take 8-32 KB
// encoded, and the fuzzer spent its time minimizing every interesting
// input grown from them, at no execs per second.
func FuzzDecodeResponse(f *testing.F) {
	seeds := [][]byte{
		mustEncode(f, &response{Doc: oddDocument(), MaxRSSKB: 1 << 20}),
		mustEncode(f, &response{Err: &wireError{Kind: "corrupt", Msg: "bad", Page: 2}}),
		mustEncode(f, &response{Doc: nested(3)}),
	}
	for _, doc := range sampleDocs(f) {
		seeds = append(seeds, mustEncode(f, &response{Doc: excerpt(doc)}))
	}
	for _, s := range seeds {
		f.Add(s)
		f.Add(s[:len(s)/2])
		f.Add(s[:len(s)-1])
		garbled := append([]byte{}, s...)
		for i := 1; i < len(garbled); i += 97 {
			garbled[i] ^= 0x5a
		}
		f.Add(garbled)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeResponse(b)
		if err != nil {
			if !errors.Is(err, errMalformed) {
				t.Fatalf("error %v does not wrap errMalformed", err)
			}
			return
		}
		again, err := encodeResponse(&r)
		if err != nil {
			t.Fatalf("decoded, but does not encode: %v", err)
		}
		r2, err := decodeResponse(again)
		if err != nil {
			t.Fatalf("re-encoded, but does not decode: %v", err)
		}
		if again2 := appendResponse(nil, &r2); !bytes.Equal(again2, again) {
			t.Fatal("the second round trip changed the encoding")
		}
		j1, err1 := json.Marshal(r)
		j2, err2 := json.Marshal(r2)
		if (err1 == nil) != (err2 == nil) || !bytes.Equal(j1, j2) {
			t.Fatalf("JSON differs after a round trip: %v %v", err1, err2)
		}
	})
}

// The response codec against encoding/json, per sample document:
// encode and decode.
func BenchmarkCodecRoundTrip(b *testing.B) {
	docs := sampleDocs(b)
	var size int
	for i := 0; b.Loop(); i++ {
		p, err := encodeResponse(&response{Doc: docs[i%len(docs)]})
		if err != nil {
			b.Fatal(err)
		}
		size += len(p)
		if _, err := decodeResponse(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size)/float64(b.N), "bytes/doc")
}

func BenchmarkJSONRoundTrip(b *testing.B) {
	docs := sampleDocs(b)
	var size int
	for i := 0; b.Loop(); i++ {
		p, err := json.Marshal(&response{Doc: docs[i%len(docs)]})
		if err != nil {
			b.Fatal(err)
		}
		size += len(p)
		var r response
		if err := json.Unmarshal(p, &r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size)/float64(b.N), "bytes/doc")
}
