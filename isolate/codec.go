package isolate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/finsam/ansokan/extractor"
)

// The response codec: a child's answer in a compact binary form that
// the parent decodes without reflection (see the comment in wire.go for
// why the response is not JSON).
//
// A payload is the version byte, then the response. Every field is
// written in the order of the struct, as:
//
//   - int, int64: a zig-zag varint (binary.AppendVarint);
//   - string: its length as a uvarint, then its bytes as they are (not
//     necessarily UTF-8);
//   - float64: its bits (math.Float64bits) byte-reversed, as a uvarint,
//     as encoding/gob does: 0 takes one byte, and so do the short
//     mantissas of round numbers;
//   - bools and pointer presence: the bits of one flags byte per struct;
//   - slice: its length plus one as a uvarint, 0 for a nil slice, so nil
//     and empty stay apart; then the elements.
//
// In every struct the slice of nested structs comes last (Block's Table,
// Table's Rows, Row's Cells, Cell's Blocks): an element's own fields are
// all read before anything nested inside it is declared, which the
// decoder's allocation bound relies on (see decoder.count).

// responseVersion starts every response payload. It is never '{', so a
// child that still speaks JSON is told apart at its first byte.
const responseVersion = 0xB4

// maxNesting bounds how deep tables may nest in a document sent back:
// the decoder recurses once per table. With the default
// Limits.MaxXMLDepth of 256 a .docx cannot nest more than about 84
// tables (each takes w:tbl, w:tr and w:tc).
const maxNesting = 128

// errMalformed is wrapped by every error of decodeResponse.
var errMalformed = errors.New("malformed response")

// Flag bits.
const (
	respDoc = 1 << iota
	respErr
)

const (
	blockBold = 1 << iota
	blockTable
)

const (
	sigTimestamp = 1 << iota
	sigIntact
	sigCertValid
	sigCovers
	sigTrustKnown
	sigTrusted
)

const (
	cellMerged = 1 << iota
	cellIsDate
	cellValue
)

// The fewest bytes an element of a slice takes: one per field of its
// own (the flags byte counts once, a nested slice's length counts, the
// things nested inside do not). TestCodecMinSizes checks them.
const (
	minBlock = 17
	minRow   = 4
	minCell  = 10
	minSig   = 13
	minScan  = 11
	minBox   = 4
	minInt   = 1
	minStr   = 1
)

// encodeResponse encodes r for the parent. It fails, with an error that
// wraps extractor.ErrLimit, only when tables in r's document nest
// deeper than maxNesting, which the parent would refuse.
func encodeResponse(r *response) ([]byte, error) {
	if d := r.Doc; d != nil && (nestsTooDeep(d.Blocks, 0) || nestsTooDeep(d.Furniture, 0)) {
		return nil, fmt.Errorf("%w: tables nest more than %d deep, more than a reading process may send back", extractor.ErrLimit, maxNesting)
	}
	return appendResponse(make([]byte, 0, 4<<10), r), nil
}

// nestsTooDeep reports whether tables in blocks, which depth tables
// enclose, nest deeper than maxNesting.
func nestsTooDeep(blocks []extractor.Block, depth int) bool {
	for i := range blocks {
		t := blocks[i].Table
		if t == nil {
			continue
		}
		if depth+1 > maxNesting {
			return true
		}
		for _, row := range t.Rows {
			for _, c := range row.Cells {
				if nestsTooDeep(c.Blocks, depth+1) {
					return true
				}
			}
		}
	}
	return false
}

// appendResponse appends r's encoding, version byte first, to b.
func appendResponse(b []byte, r *response) []byte {
	var flags byte
	if r.Doc != nil {
		flags |= respDoc
	}
	if r.Err != nil {
		flags |= respErr
	}
	b = append(b, responseVersion, flags)
	b = binary.AppendVarint(b, r.MaxRSSKB)
	if r.Err != nil {
		b = appendWireError(b, r.Err)
	}
	if r.Doc != nil {
		b = appendDocument(b, r.Doc)
	}
	return b
}

func appendWireError(b []byte, e *wireError) []byte {
	b = appendString(b, e.Kind)
	b = appendString(b, e.Msg)
	b = appendString(b, e.File)
	b = appendInt(b, e.Page)
	b = appendString(b, e.Sheet)
	b = appendString(b, e.Cell)
	return appendInt(b, e.Paragraph)
}

func appendDocument(b []byte, d *extractor.Document) []byte {
	b = appendString(b, d.Name)
	b = appendString(b, string(d.Format))
	b = appendString(b, d.SHA256)
	b = binary.AppendVarint(b, d.Bytes)
	b = appendInt(b, d.Pages)
	b = appendBlocks(b, d.Blocks)
	b = appendBlocks(b, d.Furniture)
	b = appendLen(b, d.NoTextPages)
	for _, n := range d.NoTextPages {
		b = appendInt(b, n)
	}
	b = appendLen(b, d.Sheets)
	for _, s := range d.Sheets {
		b = appendString(b, s)
	}
	b = appendLen(b, d.DigitalSignatures)
	for i := range d.DigitalSignatures {
		b = appendDigitalSignature(b, &d.DigitalSignatures[i])
	}
	b = appendLen(b, d.Scans)
	for i := range d.Scans {
		b = appendScan(b, &d.Scans[i])
	}
	return b
}

func appendScan(b []byte, s *extractor.ScanPage) []byte {
	b = appendInt(b, s.Page)
	b = appendString(b, s.Source)
	b = appendFloat(b, s.DPI)
	b = appendFloat(b, s.Confidence)
	b = appendInt(b, s.Words)
	b = appendInt(b, s.Rotation)
	b = appendFloat(b, s.Skew)
	b = appendFloat(b, s.Width)
	b = appendFloat(b, s.Height)
	b = appendString(b, s.Err)
	b = appendLen(b, s.Ink)
	for _, x := range s.Ink {
		b = appendFloat(b, x.X0)
		b = appendFloat(b, x.Y0)
		b = appendFloat(b, x.X1)
		b = appendFloat(b, x.Y1)
	}
	return b
}

func appendDigitalSignature(b []byte, s *extractor.DigitalSignature) []byte {
	var f byte
	for _, bit := range []struct {
		on   bool
		flag byte
	}{
		{s.Timestamp, sigTimestamp}, {s.Intact, sigIntact}, {s.CertValid, sigCertValid},
		{s.CoversDocument, sigCovers}, {s.Trusted != nil, sigTrustKnown}, {s.Trusted != nil && *s.Trusted, sigTrusted},
	} {
		if bit.on {
			f |= bit.flag
		}
	}
	b = append(b, f)
	for _, str := range []string{s.Field, s.SubFilter, s.Signer, s.Organisation, s.Email, s.Issuer,
		s.SignedAt, s.SignedAtSource, s.Problem, s.Detail, s.ChangedAfter} {
		b = appendString(b, str)
	}
	return appendInt(b, s.Revision)
}

func appendBlocks(b []byte, blocks []extractor.Block) []byte {
	b = appendLen(b, blocks)
	for i := range blocks {
		b = appendBlock(b, &blocks[i])
	}
	return b
}

func appendBlock(b []byte, k *extractor.Block) []byte {
	var flags byte
	if k.Bold {
		flags |= blockBold
	}
	if k.Table != nil {
		flags |= blockTable
	}
	b = appendString(b, string(k.Kind))
	b = appendString(b, k.Text)
	b = appendString(b, k.Style)
	b = appendInt(b, k.Level)
	b = append(b, flags)
	b = appendString(b, k.ListMarker)
	b = appendInt(b, k.ListLevel)
	b = appendString(b, k.Furniture)
	b = appendString(b, k.Tag)
	b = appendInt(b, k.Page)
	b = appendInt(b, k.Paragraph)
	b = appendString(b, k.Sheet)
	b = appendFloat(b, k.X0)
	b = appendFloat(b, k.X1)
	b = appendFloat(b, k.Y)
	b = appendFloat(b, k.Above)
	b = appendFloat(b, k.Below)
	if k.Table != nil {
		b = appendTable(b, k.Table)
	}
	return b
}

func appendTable(b []byte, t *extractor.Table) []byte {
	b = appendInt(b, t.Columns)
	b = appendString(b, t.Sheet)
	b = appendInt(b, t.Page)
	b = appendLen(b, t.Rows)
	for i := range t.Rows {
		b = appendRow(b, &t.Rows[i])
	}
	return b
}

func appendRow(b []byte, r *extractor.Row) []byte {
	b = appendInt(b, r.Page)
	b = appendFloat(b, r.Y)
	b = appendInt(b, r.Num)
	b = appendLen(b, r.Cells)
	for i := range r.Cells {
		b = appendCell(b, &r.Cells[i])
	}
	return b
}

func appendCell(b []byte, c *extractor.Cell) []byte {
	var flags byte
	if c.Merged {
		flags |= cellMerged
	}
	if c.IsDate {
		flags |= cellIsDate
	}
	if c.Value != nil {
		flags |= cellValue
	}
	b = appendString(b, c.Text)
	b = appendInt(b, c.Col)
	b = appendInt(b, c.Span)
	b = append(b, flags)
	if c.Value != nil {
		b = appendFloat(b, *c.Value)
	}
	b = appendString(b, c.Ref)
	b = appendString(b, c.Formula)
	b = appendString(b, c.NumFmt)
	b = appendFloat(b, c.X0)
	b = appendFloat(b, c.X1)
	return appendBlocks(b, c.Blocks)
}

func appendInt(b []byte, n int) []byte {
	return binary.AppendVarint(b, int64(n))
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendFloat(b []byte, f float64) []byte {
	return binary.AppendUvarint(b, bits.ReverseBytes64(math.Float64bits(f)))
}

// appendLen appends a slice's length plus one, or 0 for a nil slice.
func appendLen[T any](b []byte, s []T) []byte {
	if s == nil {
		return append(b, 0)
	}
	return binary.AppendUvarint(b, uint64(len(s))+1)
}

// decodeResponse decodes a payload of encodeResponse. The payload comes
// from a child that may have been subverted by the file it read, so
// nothing in it is trusted: every length is checked against the bytes
// left before anything is allocated for it, and tables may nest at
// most maxNesting deep. Errors wrap errMalformed.
//
// The document's strings share one copy of the payload: keeping any of
// them keeps the whole payload's bytes.
func decodeResponse(payload []byte) (response, error) {
	switch {
	case len(payload) == 0:
		return response{}, fmt.Errorf("%w: empty", errMalformed)
	case payload[0] == '{':
		return response{}, fmt.Errorf("%w: JSON, from a reading process older than its parent", errMalformed)
	case payload[0] != responseVersion:
		return response{}, fmt.Errorf("%w: version byte %#x, want %#x", errMalformed, payload[0], responseVersion)
	}
	d := decoder{buf: payload, str: string(payload), off: 1}
	r := d.response()
	if d.err == nil && d.off != len(d.buf) {
		d.fail("%d bytes after the response", len(d.buf)-d.off)
	}
	if d.err != nil {
		return response{}, d.err
	}
	return r, nil
}

// decoder reads a payload. Its first problem sticks: every read after
// it returns a zero value, and the callers check err where a loop or a
// recursion would go on in vain.
type decoder struct {
	buf   []byte
	str   string // buf as one string: decoded strings are substrings of it
	off   int    // the next byte to read
	owed  int    // bytes still owed to slice elements declared but not read yet
	depth int    // tables around what is being read
	err   error
}

// fail records the decoder's first problem.
func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: byte %d: %s", errMalformed, d.off, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) response() response {
	var r response
	flags := d.flags(respDoc | respErr)
	r.MaxRSSKB = d.int64()
	if flags&respErr != 0 {
		r.Err = d.wireError()
	}
	if flags&respDoc != 0 {
		r.Doc = d.document()
	}
	return r
}

func (d *decoder) wireError() *wireError {
	return &wireError{
		Kind:      d.string(),
		Msg:       d.string(),
		File:      d.string(),
		Page:      d.int(),
		Sheet:     d.string(),
		Cell:      d.string(),
		Paragraph: d.int(),
	}
}

func (d *decoder) document() *extractor.Document {
	doc := &extractor.Document{
		Name:   d.string(),
		Format: extractor.Format(d.string()),
		SHA256: d.string(),
		Bytes:  d.int64(),
		Pages:  d.int(),
	}
	doc.Blocks = d.blocks()
	doc.Furniture = d.blocks()
	if n, isNil := d.count(minInt); !isNil {
		doc.NoTextPages = make([]int, n)
		for i := range doc.NoTextPages {
			d.owed -= minInt
			doc.NoTextPages[i] = d.int()
		}
	}
	if n, isNil := d.count(minStr); !isNil {
		doc.Sheets = make([]string, n)
		for i := range doc.Sheets {
			d.owed -= minStr
			doc.Sheets[i] = d.string()
		}
	}
	if n, isNil := d.count(minSig); !isNil {
		doc.DigitalSignatures = make([]extractor.DigitalSignature, n)
		for i := range doc.DigitalSignatures {
			d.owed -= minSig
			d.digitalSignature(&doc.DigitalSignatures[i])
		}
	}
	if n, isNil := d.count(minScan); !isNil {
		doc.Scans = make([]extractor.ScanPage, n)
		for i := range doc.Scans {
			d.owed -= minScan
			d.scan(&doc.Scans[i])
		}
	}
	return doc
}

func (d *decoder) scan(s *extractor.ScanPage) {
	s.Page = d.int()
	s.Source = d.string()
	s.DPI = d.float()
	s.Confidence = d.float()
	s.Words = d.int()
	s.Rotation = d.int()
	s.Skew = d.float()
	s.Width = d.float()
	s.Height = d.float()
	s.Err = d.string()
	if n, isNil := d.count(minBox); !isNil {
		s.Ink = make([]extractor.Box, n)
		for i := range s.Ink {
			d.owed -= minBox
			s.Ink[i] = extractor.Box{X0: d.float(), Y0: d.float(), X1: d.float(), Y1: d.float()}
		}
	}
}

func (d *decoder) digitalSignature(s *extractor.DigitalSignature) {
	f := d.flags(sigTimestamp | sigIntact | sigCertValid | sigCovers | sigTrustKnown | sigTrusted)
	s.Timestamp = f&sigTimestamp != 0
	s.Intact = f&sigIntact != 0
	s.CertValid = f&sigCertValid != 0
	s.CoversDocument = f&sigCovers != 0
	if f&sigTrustKnown != 0 {
		t := f&sigTrusted != 0
		s.Trusted = &t
	} else if f&sigTrusted != 0 {
		d.fail("trusted without trust known")
	}
	for _, p := range []*string{&s.Field, &s.SubFilter, &s.Signer, &s.Organisation, &s.Email, &s.Issuer,
		&s.SignedAt, &s.SignedAtSource, &s.Problem, &s.Detail, &s.ChangedAfter} {
		*p = d.string()
	}
	s.Revision = d.int()
}

func (d *decoder) blocks() []extractor.Block {
	n, isNil := d.count(minBlock)
	if isNil {
		return nil
	}
	blocks := make([]extractor.Block, n)
	for i := range blocks {
		if d.err != nil {
			break
		}
		d.owed -= minBlock
		d.block(&blocks[i])
	}
	return blocks
}

func (d *decoder) block(k *extractor.Block) {
	k.Kind = extractor.Kind(d.string())
	k.Text = d.string()
	k.Style = d.string()
	k.Level = d.int()
	flags := d.flags(blockBold | blockTable)
	k.Bold = flags&blockBold != 0
	k.ListMarker = d.string()
	k.ListLevel = d.int()
	k.Furniture = d.string()
	k.Tag = d.string()
	k.Page = d.int()
	k.Paragraph = d.int()
	k.Sheet = d.string()
	k.X0 = d.float()
	k.X1 = d.float()
	k.Y = d.float()
	k.Above = d.float()
	k.Below = d.float()
	if flags&blockTable != 0 {
		k.Table = d.table()
	}
}

func (d *decoder) table() *extractor.Table {
	if d.err != nil {
		return nil
	}
	if d.depth == maxNesting {
		d.fail("tables nest more than %d deep", maxNesting)
		return nil
	}
	t := &extractor.Table{
		Columns: d.int(),
		Sheet:   d.string(),
		Page:    d.int(),
	}
	n, isNil := d.count(minRow)
	if isNil {
		return t
	}
	t.Rows = make([]extractor.Row, n)
	d.depth++
	for i := range t.Rows {
		if d.err != nil {
			break
		}
		d.owed -= minRow
		d.row(&t.Rows[i])
	}
	d.depth--
	return t
}

func (d *decoder) row(r *extractor.Row) {
	r.Page = d.int()
	r.Y = d.float()
	r.Num = d.int()
	n, isNil := d.count(minCell)
	if isNil {
		return
	}
	r.Cells = make([]extractor.Cell, n)
	for i := range r.Cells {
		if d.err != nil {
			break
		}
		d.owed -= minCell
		d.cell(&r.Cells[i])
	}
}

func (d *decoder) cell(c *extractor.Cell) {
	c.Text = d.string()
	c.Col = d.int()
	c.Span = d.int()
	flags := d.flags(cellMerged | cellIsDate | cellValue)
	c.Merged = flags&cellMerged != 0
	c.IsDate = flags&cellIsDate != 0
	if flags&cellValue != 0 {
		v := d.float()
		c.Value = &v
	}
	c.Ref = d.string()
	c.Formula = d.string()
	c.NumFmt = d.string()
	c.X0 = d.float()
	c.X1 = d.float()
	c.Blocks = d.blocks()
}

// count reads a slice's length (see appendLen) and checks that the
// bytes left can hold that many elements of at least min bytes each,
// beside what the elements declared before still need. It then owes
// those bytes to the new elements; reading each element first pays its
// min back. An element's own fields take at least min bytes and are all
// read before a slice nested in it is declared, so the elements
// allocated at any time take no more than min bytes of the payload
// each, however slices nest: at most 16 times the payload's size in
// memory (a 16-byte string header per byte of Sheets; a Block takes
// 184 bytes per 15, a Cell 144 per 10).
func (d *decoder) count(min int) (n int, isNil bool) {
	v := d.uvarint()
	if d.err != nil || v == 0 {
		return 0, true
	}
	v--
	// Strings and long varints may have eaten into the bytes owed: then
	// nothing is left, and only an empty slice may be declared.
	left := max(0, len(d.buf)-d.off-d.owed)
	if v > uint64(left/min) {
		d.fail("%d elements of at least %d bytes, %d bytes left", v, min, left)
		return 0, true
	}
	n = int(v)
	d.owed += n * min
	return n, false
}

// flags reads a flags byte, which may have only the bits of valid set.
func (d *decoder) flags(valid byte) byte {
	if d.err != nil {
		return 0
	}
	if d.off >= len(d.buf) {
		d.fail("truncated")
		return 0
	}
	f := d.buf[d.off]
	if f&^valid != 0 {
		d.fail("flags %#x, want bits of %#x", f, valid)
		return 0
	}
	d.off++
	return f
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.buf[d.off:])
	if n <= 0 {
		d.fail("truncated or overlong varint")
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) int64() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.buf[d.off:])
	if n <= 0 {
		d.fail("truncated or overlong varint")
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) int() int {
	v := d.int64()
	if int64(int(v)) != v {
		d.fail("%d does not fit an int", v)
		return 0
	}
	return int(v)
}

func (d *decoder) float() float64 {
	return math.Float64frombits(bits.ReverseBytes64(d.uvarint()))
}

// string reads a string as a substring of d.str: no copy, no allocation.
func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil || n == 0 {
		return ""
	}
	if left := len(d.buf) - d.off; n > uint64(left) {
		d.fail("string of %d bytes, %d left", n, left)
		return ""
	}
	s := d.str[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}
