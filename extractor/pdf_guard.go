package extractor

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// pdfMaxXref is the largest object number the cross-reference data may
// name. ledongthuc/pdf sizes its xref table by the numbers it reads
// (a subsection "0 4294967295", a stream's /Size or /W), so a hostile or
// broken file could make it allocate gigabytes, and running out of memory
// cannot be recovered. pdfCheckXref looks at those numbers first.
const pdfMaxXref = 1 << 21

var (
	pdfXrefTableRe = regexp.MustCompile(`(?s)\bxref\s+(.*?)\btrailer\b`)
	pdfSubsecRe    = regexp.MustCompile(`(?m)^\s*(\d+)\s+(\d+)\s*$`)
	pdfXrefTypeRe  = regexp.MustCompile(`/Type\s*/XRef\b`)
	pdfXrefSizeRe  = regexp.MustCompile(`/Size\s+(\d+)`)
	pdfXrefIndexRe = regexp.MustCompile(`/Index\s*\[([^\]]*)\]`)
	pdfXrefWRe     = regexp.MustCompile(`/W\s*\[([^\]]*)\]`)
	pdfIntRe       = regexp.MustCompile(`\d+`)
	pdfStartXrefRe = regexp.MustCompile(`startxref\s+(\d+)`)
	pdfPrevRe      = regexp.MustCompile(`/Prev\s+(\d+)`)
)

// pdfCheckPrevChain follows the /Prev links between cross-reference
// sections from the last startxref: the parser follows them without a
// loop check, so a chain that comes back to itself would never end.
func pdfCheckPrevChain(data []byte) error {
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		return nil
	}
	m := pdfStartXrefRe.FindSubmatch(data[i:min(len(data), i+64)])
	if m == nil {
		return nil
	}
	off, err := strconv.ParseInt(string(m[1]), 10, 64)
	seen := map[int64]bool{}
	for err == nil && off > 0 && off < int64(len(data)) {
		if seen[off] || len(seen) > 1000 {
			return fmt.Errorf("%w: the cross-reference sections' /Prev chain loops", ErrCorrupt)
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
		p := pdfPrevRe.FindSubmatch(dict)
		if p == nil {
			return nil
		}
		off, err = strconv.ParseInt(string(p[1]), 10, 64)
	}
	return nil
}

// pdfCheckXref rejects cross-reference data whose numbers would make the
// parser allocate without bound. Files over 256 MB are not scanned.
func pdfCheckXref(r io.ReaderAt, size int64) error {
	if size > 256<<20 {
		return nil
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if err := pdfCheckPrevChain(data); err != nil {
		return err
	}
	tooBig := func(what string, v uint64) error {
		return fmt.Errorf("%w: cross-reference %s %d is out of range", ErrCorrupt, what, v)
	}
	num := func(b []byte) uint64 {
		v, err := strconv.ParseUint(string(b), 10, 64)
		if err != nil {
			return 1 << 63
		}
		return v
	}
	for _, m := range pdfXrefTableRe.FindAllSubmatch(data, -1) {
		for _, s := range pdfSubsecRe.FindAllSubmatch(m[1], -1) {
			if a, n := num(s[1]), num(s[2]); a > pdfMaxXref || n > pdfMaxXref || a+n > pdfMaxXref {
				return tooBig("subsection end", a+n)
			}
		}
	}
	for _, loc := range pdfXrefTypeRe.FindAllIndex(data, -1) {
		start := max(0, loc[0]-2048)
		if i := bytes.LastIndex(data[start:loc[0]], []byte("obj")); i >= 0 {
			start += i
		}
		end := min(len(data), loc[1]+2048)
		if i := bytes.Index(data[loc[1]:end], []byte("stream")); i >= 0 {
			end = loc[1] + i
		}
		dict := data[start:end]
		if m := pdfXrefSizeRe.FindSubmatch(dict); m != nil && num(m[1]) > pdfMaxXref {
			return tooBig("size", num(m[1]))
		}
		if m := pdfXrefIndexRe.FindSubmatch(dict); m != nil {
			ns := pdfIntRe.FindAll(m[1], -1)
			for i := 0; i+1 < len(ns); i += 2 {
				if a, n := num(ns[i]), num(ns[i+1]); a > pdfMaxXref || n > pdfMaxXref || a+n > pdfMaxXref {
					return tooBig("index end", a+n)
				}
			}
		}
		if m := pdfXrefWRe.FindSubmatch(dict); m != nil {
			for _, w := range pdfIntRe.FindAll(m[1], -1) {
				if num(w) > 16 {
					return tooBig("field width", num(w))
				}
			}
		}
	}
	return nil
}
