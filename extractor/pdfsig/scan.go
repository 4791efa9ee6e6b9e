// Package pdfsig finds a PDF's digital signatures and document
// timestamps and verifies them: the signed byte range's digest against
// the CMS messageDigest, the CMS signature with the signer's certificate,
// the certificate's validity at the signing time, whether the signature
// covers the document as it stood at its revision and what later
// revisions changed, and optionally trust against configured anchors.
//
// It reads the file's bytes: the signature dictionaries are found by a
// careful scan for /ByteRange inside "N G obj … endobj" (signature
// dictionaries must hold /Contents as a direct, unencrypted string, so
// they are never hidden in object streams by conforming writers); the
// CMS is parsed and verified by github.com/smallstep/pkcs7 over
// crypto/x509. It imports nothing above the extractor.
package pdfsig

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// object is one "N G obj … endobj" in the file.
type object struct {
	num, gen   int
	start, end int    // byte offsets of the object's header and just past endobj
	body       []byte // between "obj" and "endobj"
}

// sigDict is a signature dictionary as found in the bytes.
type sigDict struct {
	obj       object
	byteRange [4]int64
	contents  []byte // decoded /Contents
	subFilter string
	typ       string // Sig or DocTimeStamp
	m         string // /M as written
	name      string // /Name
}

// revisionEnds returns the end offset of every revision: just past each
// %%EOF and the end-of-line that follows it.
func revisionEnds(data []byte) []int {
	ends, _ := revisions(data)
	return ends
}

// revisions returns the end offset of every revision and the offset of
// its %%EOF.
func revisions(data []byte) (ends, eofs []int) {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("%%EOF"))
		if j < 0 {
			break
		}
		e := i + j + 5
		for e < len(data) && (data[e] == '\r' || data[e] == '\n') && e-(i+j+5) < 2 {
			e++
		}
		ends = append(ends, e)
		eofs = append(eofs, i+j)
		i = i + j + 5
	}
	return ends, eofs
}

// objects returns every "N G obj … endobj" that starts in data[from:to].
func objects(data []byte, from, to int) []object {
	var objs []object
	for i := from; i < to; {
		j := bytes.Index(data[i:to], []byte("obj"))
		if j < 0 {
			break
		}
		p := i + j
		i = p + 3
		if p > 0 && isRegular(data[p-1]) || p+3 < len(data) && isRegular(data[p+3]) {
			continue
		}
		num, gen, start, ok := objHeader(data, p)
		if !ok {
			continue
		}
		e := bytes.Index(data[p+3:], []byte("endobj"))
		if e < 0 {
			break
		}
		end := p + 3 + e + 6
		objs = append(objs, object{num: num, gen: gen, start: start, end: end, body: data[p+3 : p+3+e]})
		i = end
	}
	return objs
}

// objHeader reads "N G " backwards from the "obj" keyword at p.
func objHeader(data []byte, p int) (num, gen, start int, ok bool) {
	q := p
	skipWS := func() {
		for q > 0 && isWhite(data[q-1]) {
			q--
		}
	}
	digits := func() (int, bool) {
		e := q
		for q > 0 && data[q-1] >= '0' && data[q-1] <= '9' && e-q < 10 {
			q--
		}
		if q == e {
			return 0, false
		}
		n, err := strconv.Atoi(string(data[q:e]))
		return n, err == nil
	}
	skipWS()
	gen, ok = digits()
	if !ok {
		return
	}
	if q == 0 || !isWhite(data[q-1]) {
		return 0, 0, 0, false
	}
	skipWS()
	num, ok = digits()
	if !ok || q > 0 && isRegular(data[q-1]) {
		return 0, 0, 0, false
	}
	return num, gen, q, true
}

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}

func isRegular(c byte) bool { return !isWhite(c) && !isDelim(c) }

// dictHead is the object's dictionary without its stream data, so that
// keys are not looked up in compressed bytes.
func dictHead(body []byte) []byte {
	if i := bytes.Index(body, []byte("stream")); i >= 0 {
		return body[:i]
	}
	return body
}

// key returns the offset just past /Name in d when followed by a
// delimiter or white space, or -1.
func key(d []byte, name string) int {
	k := []byte("/" + name)
	for i := 0; ; {
		j := bytes.Index(d[i:], k)
		if j < 0 {
			return -1
		}
		e := i + j + len(k)
		if e >= len(d) || !isRegular(d[e]) {
			return e
		}
		i = e
	}
}

func skipWhite(d []byte, i int) int {
	for i < len(d) && isWhite(d[i]) {
		i++
	}
	return i
}

// nameValue returns the name after /key ("/SubFilter /adbe.pkcs7.detached").
func nameValue(d []byte, k string) string {
	i := key(d, k)
	if i < 0 {
		return ""
	}
	i = skipWhite(d, i)
	if i >= len(d) || d[i] != '/' {
		return ""
	}
	e := i + 1
	for e < len(d) && isRegular(d[e]) {
		e++
	}
	return string(d[i+1 : e])
}

// stringValue returns the PDF string (literal or hex) after /key, decoded
// to UTF-8 when it carries a UTF-16 byte-order mark.
func stringValue(d []byte, k string) string {
	i := key(d, k)
	if i < 0 {
		return ""
	}
	raw, _, ok := pdfString(d, skipWhite(d, i))
	if !ok {
		return ""
	}
	return textString(raw)
}

// pdfString parses a literal (…) or hex <…> string at d[i:] and returns
// its bytes and the offset just past it.
func pdfString(d []byte, i int) ([]byte, int, bool) {
	if i >= len(d) {
		return nil, i, false
	}
	switch d[i] {
	case '<':
		e := bytes.IndexByte(d[i:], '>')
		if e < 0 {
			return nil, i, false
		}
		h := make([]byte, 0, e)
		for _, c := range d[i+1 : i+e] {
			if !isWhite(c) {
				h = append(h, c)
			}
		}
		if len(h)%2 == 1 {
			h = append(h, '0')
		}
		b, err := hex.DecodeString(string(h))
		return b, i + e + 1, err == nil
	case '(':
		var out []byte
		depth := 0
		for j := i + 1; j < len(d); j++ {
			c := d[j]
			switch {
			case c == '\\' && j+1 < len(d):
				j++
				switch e := d[j]; e {
				case 'n':
					out = append(out, '\n')
				case 'r':
					out = append(out, '\r')
				case 't':
					out = append(out, '\t')
				case 'b':
					out = append(out, '\b')
				case 'f':
					out = append(out, '\f')
				case '\r', '\n':
					if e == '\r' && j+1 < len(d) && d[j+1] == '\n' {
						j++
					}
				default:
					if e >= '0' && e <= '7' {
						v := 0
						k := 0
						for ; k < 3 && j+k < len(d) && d[j+k] >= '0' && d[j+k] <= '7'; k++ {
							v = v*8 + int(d[j+k]-'0')
						}
						j += k - 1
						out = append(out, byte(v))
					} else {
						out = append(out, e)
					}
				}
			case c == '(':
				depth++
				out = append(out, c)
			case c == ')':
				if depth == 0 {
					return out, j + 1, true
				}
				depth--
				out = append(out, c)
			default:
				out = append(out, c)
			}
		}
	}
	return nil, i, false
}

// textString decodes a PDF text string: UTF-16BE with a BOM, UTF-8 with a
// BOM, else PDFDocEncoding (read as Latin-1, which agrees for letters).
func textString(b []byte) string {
	if len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	if len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf {
		return string(b[3:])
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// byteRange parses /ByteRange [a b c d].
func byteRange(d []byte) ([4]int64, bool) {
	var br [4]int64
	i := key(d, "ByteRange")
	if i < 0 {
		return br, false
	}
	i = skipWhite(d, i)
	if i >= len(d) || d[i] != '[' {
		return br, false
	}
	i++
	for n := 0; n < 4; n++ {
		i = skipWhite(d, i)
		e := i
		for e < len(d) && (d[e] >= '0' && d[e] <= '9' || e == i && d[e] == '-') {
			e++
		}
		v, err := strconv.ParseInt(string(d[i:e]), 10, 64)
		if err != nil {
			return br, false
		}
		br[n] = v
		i = e
	}
	i = skipWhite(d, i)
	return br, i < len(d) && d[i] == ']'
}

// findSignatures returns every signature dictionary in data, once each
// (a dictionary rewritten unchanged in a later revision is kept once).
func findSignatures(data []byte) []sigDict {
	var sigs []sigDict
	type sigKey struct {
		num int
		br  [4]int64
	}
	seen := map[sigKey]bool{}
	objs := objects(data, 0, len(data))
	ur := map[int]bool{}
	for _, o := range expand(objs) {
		for n := range usageRights(o.body) {
			ur[n] = true
		}
	}
	for _, o := range objs {
		if ur[o.num] {
			continue
		}
		d := dictHead(o.body)
		if key(d, "ByteRange") < 0 {
			continue
		}
		br, ok := byteRange(d)
		if !ok || seen[sigKey{o.num, br}] {
			continue
		}
		i := key(d, "Contents")
		if i < 0 {
			continue
		}
		contents, _, ok := pdfString(d, skipWhite(d, i))
		if !ok {
			continue
		}
		seen[sigKey{o.num, br}] = true
		sigs = append(sigs, sigDict{
			obj:       o,
			byteRange: br,
			contents:  trimZeros(contents),
			subFilter: nameValue(d, "SubFilter"),
			typ:       nameValue(d, "Type"),
			m:         stringValue(d, "M"),
			name:      stringValue(d, "Name"),
		})
	}
	return sigs
}

// usageRights returns the object numbers of Adobe's usage-rights
// signatures (/Perms << /UR3 N 0 R >>): they enable Reader features and
// are nobody's signature of the document.
func usageRights(data []byte) map[int]bool {
	out := map[int]bool{}
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("/UR3"))
		if j < 0 {
			return out
		}
		i += j + 4
		var n, g int
		var r string
		if c, _ := fmt.Sscanf(string(data[i:min(len(data), i+32)]), "%d %d %s", &n, &g, &r); c == 3 && strings.HasPrefix(r, "R") {
			out[n] = true
		}
	}
}

// trimZeros drops the zero padding after the DER in /Contents: the DER
// carries its own length, and the placeholder is larger than the CMS.
func trimZeros(b []byte) []byte {
	if n := derLen(b); n > 0 && n <= len(b) {
		return b[:n]
	}
	return b
}

// derLen is the length of the DER element at the start of b, or 0.
func derLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	l := int(b[1])
	if l < 0x80 {
		return 2 + l
	}
	n := l & 0x7f
	if n == 0 || n > 4 || len(b) < 2+n {
		return 0
	}
	l = 0
	for _, c := range b[2 : 2+n] {
		l = l<<8 | int(c)
	}
	return 2 + n + l
}

// fieldNames maps a signature dictionary's object number to its field's
// /T, from the field (or merged field-widget) dictionaries whose /V refers
// to it.
func fieldNames(data []byte, objs []object) map[int]string {
	names := map[int]string{}
	for _, o := range objs {
		d := dictHead(o.body)
		i := key(d, "V")
		if i < 0 || key(d, "T") < 0 {
			continue
		}
		j := skipWhite(d, i)
		e := j
		for e < len(d) && d[e] >= '0' && d[e] <= '9' {
			e++
		}
		num, err := strconv.Atoi(string(d[j:e]))
		if err != nil {
			continue
		}
		rest := bytes.TrimLeft(d[e:], " \r\n\t")
		if g := bytes.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' }); g <= 0 ||
			!bytes.HasPrefix(bytes.TrimLeft(rest[g:], " \r\n\t"), []byte("R")) {
			continue
		}
		names[num] = stringValue(d, "T")
	}
	return names
}
