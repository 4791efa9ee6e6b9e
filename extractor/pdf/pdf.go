// Package pdf reads a .pdf file into the extractor's document model. It
// uses github.com/ledongthuc/pdf (imported under its own name, pdf) as the
// parser only and walks the content streams itself, rebuilding lines,
// words, paragraphs and table columns from glyph positions and ruling
// lines; guards, decryption and repair around the library are its own.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"sort"
	"strings"

	"github.com/finsam/ansokan/extractor"
	"github.com/ledongthuc/pdf"
)

// Read reads a .pdf file: every page's glyphs with their positions,
// grouped into lines, paragraphs, list items and tables, with the page
// furniture (headers, footers, page numbers, version and e-signature
// stamps) moved to Document.Furniture.
//
// A page that cannot be read (the parser panics on it, or its content is
// broken) is listed in NoTextPages like an image-only page; the other
// pages are still read. A blank page (neither text nor an image: an empty
// page Word put before a section break) is not listed, unless no page of
// the file has text. When no page can be read the error wraps
// ErrCorrupt. Password-protected files give an error wrapping ErrEncrypted.
// DefaultLimits apply; a file over one gives an error wrapping ErrLimit.
func Read(r io.ReaderAt, size int64) (*extractor.Document, error) {
	return ReadLimited(r, size, extractor.DefaultLimits())
}

// ReadLimited is Read with the given limits (zero fields take their
// defaults). A file over a limit gives an error wrapping
// extractor.ErrLimit. The document's Name, Format, SHA256 and Bytes are
// left for the caller (extractor/anyformat) to fill.
func ReadLimited(r io.ReaderAt, size int64, lim extractor.Limits) (doc *extractor.Document, err error) {
	// The library calls recover on their own, per page; this is the
	// last boundary, for a bug in ansokan's own code (layout, repair).
	defer func() {
		if x := recover(); x != nil {
			doc, err = nil, fmt.Errorf("%w: pdf reader failed: %s", extractor.ErrCorrupt, pdfPanicText(x))
		}
	}()
	lim = lim.WithDefaults()
	if size > lim.MaxFileBytes {
		return nil, extractor.LimitErr("MaxFileBytes", "the file is %s, more than %s", extractor.PlainBytes(size), extractor.PlainBytes(lim.MaxFileBytes))
	}
	data, err := pdfLoad(r, size)
	if err != nil {
		return nil, err
	}
	file, err := pdfOpenPages(data, lim)
	if err != nil && errors.Is(err, extractor.ErrCorrupt) {
		// A broken cross-reference table, a missing page tree or a
		// header that is not at the start: read the objects where they
		// are, as pdftotext and pdf.js do.
		if fixed := pdfReconstruct(data, lim); fixed != nil {
			file2, err2 := pdfOpenPages(fixed, lim)
			switch {
			case err2 == nil && len(file2.pages) > 0:
				file, err = file2, nil
			case errors.Is(err2, extractor.ErrLimit):
				err = err2
			}
		}
	}
	if err != nil {
		return nil, err
	}
	pages, streamBytes := file.pages, file.streamBytes
	doc = &extractor.Document{Pages: len(pages)}
	if len(pages) == 0 {
		return doc, nil
	}
	w := &pdfWalker{fonts: map[string]*pdfFont{}, lim: lim, streamBytes: streamBytes}
	var read []*pdfPageLines
	var firstErr error
	failed := 0
	anyText := false
	var blank []int // pages with neither text nor an image: not scans
	// Pages without text, for OCR once every page is walked.
	var jobs []*pdfScanJob
	render := func(page int, box [4]float64) (*image.Gray, float64, error) {
		return pdfRender(data, page, box, lim)
	}
	encrypted := file.rd.Trailer().Key("Encrypt").Kind() != pdf.Null
	scanJob := func(p *pdfPage, ref pdfPageRef) {
		src, img := pdfPageImage(p, ref, file.data, encrypted, render, lim)
		jobs = append(jobs, &pdfScanJob{num: p.num, source: src, img: img})
	}
	var blankPages []*pdfPage
	for i, pg := range pages {
		p, err := w.page(pg, i+1)
		if errors.Is(err, extractor.ErrLimit) {
			return nil, err
		}
		if err != nil {
			failed++
			if firstErr == nil {
				firstErr = err
			}
			doc.NoTextPages = append(doc.NoTextPages, i+1)
			continue
		}
		switch {
		case p.textGlyphs > 0:
			anyText = true
		case p.images > 0:
			doc.NoTextPages = append(doc.NoTextPages, i+1)
			scanJob(p, pg)
		default:
			blank = append(blank, i+1)
			if len(p.rules) > 0 || len(p.glyphs) > 0 {
				blankPages = append(blankPages, p)
			}
		}
		read = append(read, pdfPrepare(p)) // before the next page reuses its buffers
	}
	if !anyText {
		// Not one page with text: the file as a whole has no text layer
		// (a scan saved without its images, or pages of vector outlines),
		// and its empty pages say so too.
		doc.NoTextPages = append(doc.NoTextPages, blank...)
		sort.Ints(doc.NoTextPages)
		// Its pages of vector outlines are rendered for OCR; pages
		// that draw nothing at all are left out.
		for _, p := range blankPages {
			scanJob(p, pages[p.num-1])
		}
		sort.SliceStable(jobs, func(a, b int) bool { return jobs[a].num < jobs[b].num })
	}
	if failed == len(pages) {
		return nil, &extractor.Error{Page: 1, Err: fmt.Errorf("%w: no page could be read: %v", extractor.ErrCorrupt, firstErr)}
	}
	pdfOCRPages(jobs, lim)
	read = pdfWithScans(doc, read, jobs)
	pdfLayout(doc, read)
	return doc, nil
}

// pdfLoad reads the file into memory (its size is bounded by
// MaxFileBytes): the guards scan it, and decryption and repair rewrite
// it. Bytes before the "%PDF-" header are dropped (cross-reference
// offsets count from the header), bytes after the last %%EOF are cut, and
// a file without a header gets one (it is then read by repair).
func pdfLoad(r io.ReaderAt, size int64) ([]byte, error) {
	size = pdfTrimTail(r, size)
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	switch i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); {
	case i > 0:
		data = data[i:]
	case i < 0:
		data = append([]byte("%PDF-1.7\n%\n"), data...)
	}
	return data, nil
}

// pdfOpenPages opens the file and lists its pages: decryption, the
// guards, the parser, the page tree.
func pdfOpenPages(data []byte, lim extractor.Limits) (f pdfFile, err error) {
	f.rd, f.data, f.streamBytes, err = pdfOpen(data, lim)
	if err != nil {
		return pdfFile{}, err
	}
	f.pages, err = pdfPageTree(f.rd, lim)
	return f, err
}

// pdfFile is an opened file: the parser, the bytes it reads (decrypted
// or repaired, as opened), its pages, and the stream bytes counted so
// far.
type pdfFile struct {
	rd          *pdf.Reader
	data        []byte
	pages       []pdfPageRef
	streamBytes int64
}

// pdfOpen opens the file with ledongthuc/pdf, after what the library
// does not do itself: files encrypted without a user password are
// decrypted (pdfDecrypt), and a "%PDF-2.0" (or otherwise odd) header line
// is presented as "%PDF-1.7". Before the library sees the file, its
// cross-reference sizes and the streams the library inflates on its own
// (object and cross-reference streams) are checked against the limits;
// streamBytes is what those streams inflate to.
func pdfOpen(data []byte, lim extractor.Limits) (rd *pdf.Reader, out []byte, streamBytes int64, err error) {
	defer func() {
		if x := recover(); x != nil {
			rd, err = nil, fmt.Errorf("%w: %s", extractor.ErrCorrupt, pdfPanicText(x))
		}
	}()
	if dec, ok, err := pdfDecrypt(data); ok {
		if err != nil {
			return nil, nil, 0, err
		}
		data = dec
	}
	streamBytes, err = pdfCheckXref(data, lim)
	if err != nil {
		return nil, nil, 0, err
	}
	if h := data; len(h) < 9 || h[5] != '1' || h[6] != '.' || h[7] < '0' || h[7] > '7' || (h[8] != '\r' && h[8] != '\n') {
		data = append([]byte(nil), data...)
		copy(data, "%PDF-1.7\n") // same length: offsets hold
	}
	rd, err = pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err == nil {
		return rd, data, streamBytes, nil
	}
	// The library tries the empty user password itself; files it
	// cannot open that way and pdfDecrypt did not open need a password.
	msg := err.Error()
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		return nil, nil, 0, fmt.Errorf("%w: the PDF is password-protected; send it without a password", extractor.ErrEncrypted)
	case strings.Contains(msg, "encrypt"):
		return nil, nil, 0, fmt.Errorf("%w: the PDF is password-protected (%s)", extractor.ErrEncrypted, pdfPanicText(msg))
	}
	return nil, nil, 0, fmt.Errorf("%w: %s", extractor.ErrCorrupt, pdfPanicText(msg))
}

// pdfTrimTail returns the size up to the end of the last "%%EOF" when the
// file has trailing bytes after it (the library looks only at the last
// 100 bytes).
func pdfTrimTail(r io.ReaderAt, size int64) int64 {
	const tail = 100
	if size <= tail {
		return size
	}
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && !errors.Is(err, io.EOF) {
		return size
	}
	if bytes.HasSuffix(bytes.TrimRight(buf, "\r\n\t \x00"), []byte("%%EOF")) {
		return size
	}
	const window = 64 << 10
	start := max(0, size-window)
	buf = make([]byte, size-start)
	if _, err := r.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
		return size
	}
	if i := bytes.LastIndex(buf, []byte("%%EOF")); i >= 0 {
		return start + int64(i) + 5
	}
	return size
}

// pdfPageRef is a page dictionary with its inherited attributes.
type pdfPageRef struct {
	v         pdf.Value
	resources pdf.Value
	box       [4]float64
	rotate    int
}

// pdfPageTree lists the pages in order. It walks the tree itself (the
// library's Reader.Page walks from the root for every page and resolves
// each kid again), with a depth cap and a check for a node that contains
// itself. A tree that declares (/Count) or holds more than MaxPDFPages
// pages is refused before any page is read.
func pdfPageTree(rd *pdf.Reader, lim extractor.Limits) (pages []pdfPageRef, err error) {
	defer func() {
		if x := recover(); x != nil {
			if len(pages) == 0 {
				pages, err = nil, fmt.Errorf("%w: page tree: %s", extractor.ErrCorrupt, pdfPanicText(x))
			}
		}
	}()
	tooMany := extractor.LimitErr("MaxPDFPages", "more than %d pages", lim.MaxPDFPages)
	root := rd.Trailer().Key("Root").Key("Pages")
	if root.Kind() != pdf.Dict {
		return nil, fmt.Errorf("%w: no page tree", extractor.ErrCorrupt)
	}
	// A declared count is trusted only when it is possible: every page
	// is an object, so a count above the trailer's /Size is damage (the
	// tree is walked and counted instead).
	count, objects := root.Key("Count"), rd.Trailer().Key("Size")
	if count.Kind() == pdf.Integer && count.Int64() > int64(lim.MaxPDFPages) &&
		(objects.Kind() != pdf.Integer || count.Int64() < objects.Int64()) {
		return nil, tooMany
	}
	over := false
	var ancestors []string
	var visit func(node pdf.Value, inh pdfPageRef, media, crop pdf.Value, depth int)
	visit = func(node pdf.Value, inh pdfPageRef, media, crop pdf.Value, depth int) {
		if over || depth > 32 {
			return
		}
		if res := node.Key("Resources"); res.Kind() == pdf.Dict {
			inh.resources = res
		}
		if m := node.Key("MediaBox"); m.Len() == 4 {
			media = m
		}
		if c := node.Key("CropBox"); c.Len() == 4 {
			crop = c
		}
		if rot := node.Key("Rotate"); rot.Kind() == pdf.Integer {
			inh.rotate = int(rot.Int64())
		}
		kids := node.Key("Kids")
		if node.Key("Type").Name() == "Pages" || (kids.Kind() == pdf.Array && node.Key("Type").Name() != "Page") {
			// An intermediate node printed the same as one of its
			// ancestors is that ancestor: the tree loops.
			id := node.String()
			for _, a := range ancestors {
				if a == id {
					return
				}
			}
			ancestors = append(ancestors, id)
			for i := 0; i < kids.Len() && !over; i++ {
				visit(kids.Index(i), inh, media, crop, depth+1)
			}
			ancestors = ancestors[:len(ancestors)-1]
			return
		}
		if len(pages) >= lim.MaxPDFPages {
			over = true
			return
		}
		inh.v = node
		inh.box = pdfBox(media, crop)
		pages = append(pages, inh)
	}
	visit(root, pdfPageRef{}, pdf.Value{}, pdf.Value{}, 0)
	if over {
		return nil, tooMany
	}
	return pages, nil
}

// pdfBox is the visible area: the CropBox clipped to the MediaBox, or the
// MediaBox, or US Letter.
func pdfBox(media, crop pdf.Value) [4]float64 {
	rect := func(v pdf.Value) ([4]float64, bool) {
		if v.Len() != 4 {
			return [4]float64{}, false
		}
		a, b, c, d := v.Index(0).Float64(), v.Index(1).Float64(), v.Index(2).Float64(), v.Index(3).Float64()
		r := [4]float64{min(a, c), min(b, d), max(a, c), max(b, d)}
		return r, r[2]-r[0] > 1 && r[3]-r[1] > 1
	}
	box, ok := rect(media)
	if !ok {
		box = [4]float64{0, 0, 612, 792}
	}
	if c, ok := rect(crop); ok {
		c = [4]float64{max(c[0], box[0]), max(c[1], box[1]), min(c[2], box[2]), min(c[3], box[3])}
		if c[2]-c[0] > 1 && c[3]-c[1] > 1 {
			box = c
		}
	}
	return box
}

// pdfPage is one page's glyphs and rules.
type pdfPage struct {
	num        int
	box        [4]float64
	glyphs     []pdfGlyph
	rules      []pdfRule
	textGlyphs int
	images     int
	placed     []pdfPlaced // the images drawn, for OCR (at most pdfMaxPlaced)
}

// page walks one page. A panic inside the library (or here) loses only
// this page; a limit refuses the document (the error wraps ErrLimit).
func (w *pdfWalker) page(ref pdfPageRef, num int) (p *pdfPage, err error) {
	defer func() {
		if x := recover(); x != nil {
			w.docOps += w.ops
			if l, ok := x.(pdfLimit); ok {
				p, err = nil, l.err
				if l.perPage {
					err = &extractor.Error{Page: num, Err: l.err}
				}
				return
			}
			if len(w.glyphs) > 0 {
				// Keep what was drawn before the content broke off.
				p, err = w.pageResult(ref, num), nil
				return
			}
			p, err = nil, &extractor.Error{Page: num, Err: fmt.Errorf("%w: %s", extractor.ErrCorrupt, pdfPanicText(x))}
		}
	}()
	w.glyphs, w.rules, w.forms = w.glyphs[:0], w.rules[:0], w.forms[:0]
	w.boxes, w.diags = w.boxes[:0], w.diags[:0]
	w.layer, w.layers, w.run = 0, 0, 0
	w.pageBox = ref.box
	w.ops, w.images, w.placed = 0, 0, w.placed[:0]
	g := &pdfGState{ctm: pdfIdent, th: 1}
	contents := ref.v.Key("Contents")
	if contents.Kind() == pdf.Stream || contents.Kind() == pdf.Array {
		w.inflate(contents)
		w.walk(contents, ref.resources, g, 0)
	}
	w.annotations(ref.v, ref.resources)
	w.docOps += w.ops
	return w.pageResult(ref, num), nil
}

func (w *pdfWalker) pageResult(ref pdfPageRef, num int) *pdfPage {
	// The page borrows the walker's buffers, which the next page reuses:
	// it is laid out into lines (pdfPrepare) before the next page is
	// walked, and never copied.
	p := &pdfPage{num: num, box: ref.box, rules: w.rules, images: w.images}
	if len(w.placed) > 0 {
		p.placed = append([]pdfPlaced(nil), w.placed...)
	}
	for _, gl := range w.glyphs {
		if !gl.space {
			p.textGlyphs++
		}
	}
	// Check boxes drawn as graphics become ☒/☐ glyphs; they are not text
	// of the page's own (a page of empty boxes still has no text layer).
	w.glyphs = append(w.glyphs, pdfCheckGlyphs(w.boxes, w.diags, int32(w.run+1))...)
	p.glyphs = w.glyphs
	return p
}

// pdfWithScans puts the OCR'd pages in the place of their empty walks
// and lists every scanned page in doc.Scans.
func pdfWithScans(doc *extractor.Document, read []*pdfPageLines, jobs []*pdfScanJob) []*pdfPageLines {
	if len(jobs) == 0 {
		return read
	}
	byNum := map[int]*pdfScanJob{}
	for _, j := range jobs {
		byNum[j.num] = j
		doc.Scans = append(doc.Scans, j.scan)
	}
	for i, pl := range read {
		if j := byNum[pl.num]; j != nil && j.page != nil {
			read[i] = pdfPrepare(j.page)
		}
	}
	return read
}
