package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"sync"

	"github.com/finsam/ansokan/extractor"
)

// When a PDF's cross-reference data is broken (wrong offsets, a missing
// or damaged table, a truncated tail, a /Prev chain that loops) the
// objects themselves are usually intact, and pdftotext, pdf.js and qpdf
// read the file by finding them. ledongthuc/pdf does not, so
// pdfReconstruct does it before the parser sees the file: it scans for
// "N G obj", finds the catalog, and appends a new cross-reference table
// and trailer that point at what it found. Offsets before the appended
// part do not move. Objects inside object streams are not listed (a
// classic table cannot point into them), so a file that keeps its page
// tree in an object stream behind a broken cross-reference stream stays
// unreadable.

var (
	pdfObjStartRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(\d{1,10})[ \t\r\n\f\x00]+(\d{1,5})[ \t\r\n\f\x00]+obj\b`)
	})
	pdfRootRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/Root\s*(\d+)\s+(\d+)\s+R`) })
	pdfInfoRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/Info\s*(\d+)\s+(\d+)\s+R`) })
	pdfCatalogRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/Type\s*/Catalog\b`) })
)

// pdfReconstruct returns data with a rebuilt cross-reference table and
// trailer appended, or nil when it finds no objects or no catalog.
func pdfReconstruct(data []byte, lim extractor.Limits) []byte {
	type at struct {
		off int
		gen int
	}
	objs := map[int]at{}
	maxNum := 0
	var starts [][2]int // object start offset, number; in file order
	for _, m := range pdfObjStartRe().FindAllSubmatchIndex(data, -1) {
		// The number must begin a token.
		if m[0] > 0 && !pdfIsSpace(data[m[0]-1]) && !pdfIsDelim(data[m[0]-1]) {
			continue
		}
		num, err1 := strconv.Atoi(string(data[m[2]:m[3]]))
		gen, err2 := strconv.Atoi(string(data[m[4]:m[5]]))
		if err1 != nil || err2 != nil || num <= 0 || num >= lim.MaxPDFObjects || gen > 65535 {
			continue
		}
		objs[num] = at{m[0], gen} // a later definition wins, as in an update
		starts = append(starts, [2]int{m[0], num})
		maxNum = max(maxNum, num)
	}
	if len(objs) == 0 {
		return nil
	}
	// The catalog: the last trailer's /Root when that object exists,
	// else the last object that says /Type /Catalog.
	root := -1
	if m := pdfLastMatch(pdfRootRe(), data); m != nil {
		if n, err := strconv.Atoi(string(m[1])); err == nil {
			if _, ok := objs[n]; ok {
				root = n
			}
		}
	}
	if root < 0 {
		for _, loc := range pdfCatalogRe().FindAllIndex(data, -1) {
			// The object the match is in: the last start before it.
			for i := len(starts) - 1; i >= 0; i-- {
				if starts[i][0] < loc[0] {
					root = starts[i][1]
					break
				}
			}
		}
	}
	if root < 0 {
		return nil
	}
	var b bytes.Buffer
	b.Grow(len(data) + 20*(maxNum+1) + 200)
	b.Write(data)
	if len(data) > 0 && data[len(data)-1] != '\n' {
		b.WriteByte('\n')
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n", maxNum+1)
	b.WriteString("0000000000 65535 f\r\n")
	for n := 1; n <= maxNum; n++ {
		if o, ok := objs[n]; ok {
			fmt.Fprintf(&b, "%010d %05d n\r\n", o.off, o.gen)
		} else {
			b.WriteString("0000000000 00000 f\r\n")
		}
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d %d R", maxNum+1, root, objs[root].gen)
	if m := pdfLastMatch(pdfInfoRe(), data); m != nil {
		if n, err := strconv.Atoi(string(m[1])); err == nil {
			if o, ok := objs[n]; ok {
				fmt.Fprintf(&b, " /Info %d %d R", n, o.gen)
			}
		}
	}
	fmt.Fprintf(&b, " >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}
