package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"sync"

	"github.com/finsam/ansokan/extractor"
)

// The guards' regular expressions run on small slices of the file (a
// trailer, a stream dictionary, one cross-reference table); the scans of
// the whole file are byte searches (pdfXrefTables, pdfTypeNames), which
// cost a fraction of a regular expression's pass over every byte of a
// scanned page's image.
var (
	pdfSubsecRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^\s*(\d+)\s+(\d+)\s*$`) })
	pdfXrefSizeRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/Size\s+(\d+)`) })
	pdfXrefIndexRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/Index\s*\[([^\]]*)\]`) })
	pdfXrefWRe     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/W\s*\[([^\]]*)\]`) })
	pdfIntRe       = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\d+`) })
	pdfStartXrefRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`startxref\s+(\d+)`) })
	pdfPrevRe      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/Prev\s+(\d+)`) })
)

// pdfIsWord reports whether c is a word byte for a regular expression's
// \b: an ASCII letter, digit or underscore.
func pdfIsWord(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// pdfIsRegexpSpace is \s of a regular expression: the ASCII white space
// without NUL (which PDF counts as white space, the guards do not).
func pdfIsRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// pdfXrefTables returns the body of every cross-reference table in data:
// what lies between the keyword xref (as a word) and its white space, and
// the next trailer keyword (as a word). It gives what the regular
// expression `(?s)\bxref\s+(.*?)\btrailer\b` gives as its first group,
// match after match.
func pdfXrefTables(data []byte) [][]byte {
	var out [][]byte
	for pos := 0; pos < len(data); {
		i := bytes.Index(data[pos:], []byte("xref"))
		if i < 0 {
			break
		}
		i += pos
		body := i + len("xref")
		if i > 0 && pdfIsWord(data[i-1]) || body >= len(data) || !pdfIsRegexpSpace(data[body]) {
			pos = i + 1
			continue
		}
		for body < len(data) && pdfIsRegexpSpace(data[body]) {
			body++
		}
		end := pdfNextTrailer(data, body)
		if end < 0 {
			break // no table after this one can end either
		}
		out = append(out, data[body:end])
		pos = end + len("trailer")
	}
	return out
}

// pdfNextTrailer returns the index of the first keyword trailer, as a
// word, at or after from; -1 when there is none.
func pdfNextTrailer(data []byte, from int) int {
	for from <= len(data) {
		j := bytes.Index(data[from:], []byte("trailer"))
		if j < 0 {
			return -1
		}
		j += from
		end := j + len("trailer")
		if (j == 0 || !pdfIsWord(data[j-1])) && (end == len(data) || !pdfIsWord(data[end])) {
			return j
		}
		from = j + 1
	}
	return -1
}

// pdfTypeNames returns the [start, end) of every "/Type /Name" in data
// whose name is one of names and ends there (the next byte is not a word
// byte): what the regular expression `/Type\s*/(?:Name1|Name2)\b` finds,
// match after match.
func pdfTypeNames(data []byte, names ...string) [][2]int {
	var out [][2]int
	for pos := 0; pos < len(data); {
		i := bytes.Index(data[pos:], []byte("/Type"))
		if i < 0 {
			break
		}
		i += pos
		pos = i + 1
		j := i + len("/Type")
		for j < len(data) && pdfIsRegexpSpace(data[j]) {
			j++
		}
		if j >= len(data) || data[j] != '/' {
			continue
		}
		j++
		for _, name := range names {
			end := j + len(name)
			if bytes.HasPrefix(data[j:], []byte(name)) && (end == len(data) || !pdfIsWord(data[end])) {
				out = append(out, [2]int{i, end})
				pos = end
				break
			}
		}
	}
	return out
}

// pdfCheckPrevChain follows the /Prev links between cross-reference
// sections from the last startxref: the parser follows them without a
// loop check, so a chain that comes back to itself would never end.
func pdfCheckPrevChain(data []byte) error {
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		return nil
	}
	m := pdfStartXrefRe().FindSubmatch(data[i:min(len(data), i+64)])
	if m == nil {
		return nil
	}
	off, err := strconv.ParseInt(string(m[1]), 10, 64)
	seen := map[int64]bool{}
	for err == nil && off > 0 && off < int64(len(data)) {
		if seen[off] || len(seen) > 1000 {
			return fmt.Errorf("%w: the cross-reference sections' /Prev chain loops", extractor.ErrCorrupt)
		}
		seen[off] = true
		sec := data[off:min(int64(len(data)), off+1<<20)]
		var dict []byte
		if bytes.HasPrefix(bytes.TrimLeft(sec, " \t\r\n\x00"), []byte("xref")) {
			t := bytes.Index(sec, []byte("trailer"))
			if t < 0 {
				return nil
			}
			dict = sec[t:]
			if e := bytes.Index(dict, []byte("startxref")); e >= 0 {
				dict = dict[:e]
			}
		} else {
			dict = sec[:min(len(sec), 4096)]
			if e := bytes.Index(dict, []byte("stream")); e >= 0 {
				dict = dict[:e]
			}
		}
		p := pdfPrevRe().FindSubmatch(dict)
		if p == nil {
			return nil
		}
		off, err = strconv.ParseInt(string(p[1]), 10, 64)
	}
	return nil
}

// pdfCheckXref rejects cross-reference data whose numbers would make the
// parser allocate without bound: ledongthuc/pdf sizes its xref table by
// the numbers it reads (a subsection "0 4294967295", a stream's /Size or
// /W), so a hostile or broken file could make it allocate gigabytes, and
// running out of memory cannot be recovered. Object numbers above
// MaxPDFObjects are refused as a limit. It then inflates the object and
// cross-reference streams (which the library inflates on its own, out of
// the walker's sight) against MaxPDFStreamBytes and returns their
// decompressed size.
func pdfCheckXref(data []byte, lim extractor.Limits) (int64, error) {
	if err := pdfCheckPrevChain(data); err != nil {
		return 0, err
	}
	// Object numbers above the PDF's own implementation limit (ISO
	// 32000-1 Annex C: 8 388 607) are damage; below it, the limit.
	const specMax = 8_388_607
	maxObj := uint64(min(lim.MaxPDFObjects, specMax))
	tooBig := func(v uint64) error {
		if v > specMax {
			return fmt.Errorf("%w: the cross-reference data declares object number %d, beyond what a PDF can hold", extractor.ErrCorrupt, v)
		}
		return extractor.LimitErr("MaxPDFObjects", "the cross-reference data declares %d objects, more than %d", v, maxObj)
	}
	num := func(b []byte) uint64 {
		v, err := strconv.ParseUint(string(b), 10, 64)
		if err != nil {
			return 1 << 63
		}
		return v
	}
	for _, table := range pdfXrefTables(data) {
		for _, s := range pdfSubsecRe().FindAllSubmatch(table, -1) {
			if a, n := num(s[1]), num(s[2]); a > maxObj || n > maxObj || a+n > maxObj {
				return 0, tooBig(min(a+n, 1<<63))
			}
		}
	}
	for _, loc := range pdfTypeNames(data, "XRef") {
		start := max(0, loc[0]-2048)
		if i := bytes.LastIndex(data[start:loc[0]], []byte("obj")); i >= 0 {
			start += i
		}
		end := min(len(data), loc[1]+2048)
		if i := bytes.Index(data[loc[1]:end], []byte("stream")); i >= 0 {
			end = loc[1] + i
		}
		dict := data[start:end]
		if m := pdfXrefSizeRe().FindSubmatch(dict); m != nil && num(m[1]) > maxObj {
			return 0, tooBig(num(m[1]))
		}
		if m := pdfXrefIndexRe().FindSubmatch(dict); m != nil {
			ns := pdfIntRe().FindAll(m[1], -1)
			for i := 0; i+1 < len(ns); i += 2 {
				if a, n := num(ns[i]), num(ns[i+1]); a > maxObj || n > maxObj || a+n > maxObj {
					return 0, tooBig(min(a+n, 1<<63))
				}
			}
		}
		if m := pdfXrefWRe().FindSubmatch(dict); m != nil {
			for _, w := range pdfIntRe().FindAll(m[1], -1) {
				if num(w) > 16 {
					return 0, fmt.Errorf("%w: cross-reference field width %d is out of range", extractor.ErrCorrupt, num(w))
				}
			}
		}
	}
	return pdfCheckStreams(data, lim)
}

// pdfCheckStreams inflates every FlateDecode object stream and
// cross-reference stream found in the raw bytes, up to MaxPDFStreamBytes
// each and MaxPDFTotalStreamBytes in all, and returns the bytes inflated.
// Streams it cannot inflate itself (encrypted, other filters, broken)
// are skipped: the library's own error handling meets them.
func pdfCheckStreams(data []byte, lim extractor.Limits) (int64, error) {
	var total int64
	for _, loc := range pdfTypeNames(data, "ObjStm", "XRef") {
		end := min(len(data), loc[1]+4096)
		i := bytes.Index(data[loc[1]:end], []byte("stream"))
		if i < 0 {
			continue
		}
		start := max(0, loc[0]-4096)
		if j := bytes.LastIndex(data[start:loc[0]], []byte("obj")); j >= 0 {
			start += j
		}
		body := loc[1] + i + len("stream")
		if !bytes.Contains(data[start:body], []byte("/FlateDecode")) {
			continue
		}
		if body < len(data) && data[body] == '\r' {
			body++
		}
		if body < len(data) && data[body] == '\n' {
			body++
		}
		zr, err := zlib.NewReader(bytes.NewReader(data[body:]))
		if err != nil {
			continue
		}
		n, _ := io.CopyN(io.Discard, zr, lim.MaxPDFStreamBytes+1)
		if n > lim.MaxPDFStreamBytes {
			return total, extractor.LimitErr("MaxPDFStreamBytes", "a stream unpacks to more than %s", extractor.PlainBytes(lim.MaxPDFStreamBytes))
		}
		total += n
		if total > lim.MaxPDFTotalStreamBytes {
			return total, extractor.LimitErr("MaxPDFTotalStreamBytes", "the streams unpack to more than %s", extractor.PlainBytes(lim.MaxPDFTotalStreamBytes))
		}
	}
	return total, nil
}
