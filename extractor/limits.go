package extractor

import (
	"errors"
	"fmt"
	"time"
)

// ErrLimit: the file is larger or more complex than one of the Limits
// allows. It is refused as a whole, never read in part. The error's
// message names the limit and its value ("too large: more than 2000
// pages (limit MaxPDFPages)").
var ErrLimit = errors.New("too large")

// Limits bound the work and memory one file may cost. A funding
// application is a few hundred KB: a Word form, a signed PDF of 10-30
// pages, a budget workbook of a few sheets. The defaults are one or two
// orders of magnitude above anything such a file needs, and low enough
// that one hostile or accidental giant (a zip bomb, a 100 000-page PDF, a
// sheet styled down to row 1 048 576) cannot take a worker's memory or
// minutes of its time.
//
// Hitting a limit refuses the file with an *Error wrapping ErrLimit; the
// readers check declared sizes and counts before they parse where the
// format declares them (zip central directory, PDF page count and
// cross-reference sizes), and count what they actually read where it does
// not (inflated bytes, XML elements, PDF operators).
//
// A zero field takes its default value (see DefaultLimits), so a caller
// can set only the limits it cares about. A limit cannot be switched off.
type Limits struct {
	// MaxFileBytes bounds the size of the file itself. Default 100 MB:
	// a submission with scanned attachments is rarely over 20 MB, and
	// the PDF guards read the whole file into memory once.
	MaxFileBytes int64

	// MaxZipEntries bounds the number of entries in a .docx or .xlsx
	// package, read from the zip's end-of-central-directory record before
	// the directory itself is loaded. Default 10 000: Word and Excel
	// write 10-50 parts, a few hundred with many images; every entry costs
	// memory when the directory is read.
	MaxZipEntries int
	// MaxZipUncompressedBytes bounds the bytes a .docx or .xlsx package
	// unpacks to, summed over all entries. Checked twice: the sizes the
	// central directory declares are summed before anything is inflated,
	// and the bytes actually inflated are counted while reading, because
	// declared sizes can lie. Default 256 MB: the largest real packages
	// seen (7 MB sheets) unpack to well under 50 MB; excelize holds the
	// unpacked parts in memory.
	MaxZipUncompressedBytes int64
	// MaxXMLDepth bounds how deep elements nest in one XML part of a
	// .docx or .xlsx. Default 256: Word nests about 20 deep even with
	// tables in tables; deeper nesting only costs stack and bookkeeping.
	MaxXMLDepth int
	// MaxXMLElements bounds the number of elements in one XML part.
	// Default 2 000 000: a 100-page document has about 100 000 elements;
	// every element costs parsing time.
	MaxXMLElements int

	// MaxPDFPages bounds the pages of a PDF, checked against the page
	// tree's declared /Count before any page is read and again while
	// the tree is walked. Default 2000: an application is 10-50 pages.
	MaxPDFPages int
	// MaxPDFObjects bounds the object numbers a PDF's cross-reference
	// data may declare. The parser sizes its tables by them, and running
	// out of memory cannot be recovered. Default 1 000 000: a 600-page
	// report has about 20 000 objects.
	MaxPDFObjects int
	// MaxPDFStreamBytes bounds the decompressed size of one PDF stream
	// the reader inflates (page contents, form XObjects, ToUnicode maps,
	// object and cross-reference streams; images are never inflated).
	// Default 64 MB: a dense page's content stream is under 1 MB.
	MaxPDFStreamBytes int64
	// MaxPDFTotalStreamBytes bounds the decompressed bytes of all those
	// streams in one PDF. Default 512 MB, so a deflate bomb spread over
	// many small streams is stopped too.
	MaxPDFTotalStreamBytes int64
	// MaxPDFPageOps bounds the content-stream operators interpreted for
	// one page, Form XObjects included. Default 2 000 000: a text page
	// has a few thousand, a detailed vector drawing a few hundred
	// thousand.
	MaxPDFPageOps int
	// MaxPDFOps bounds the content-stream operators interpreted for the
	// whole document. Default 30 000 000: 15 pages at the page limit.
	MaxPDFOps int

	// MaxXLSXRowsPerSheet bounds the used (non-empty) rows of one sheet.
	// Default 100 000: a budget has under 100.
	MaxXLSXRowsPerSheet int
	// MaxXLSXCells bounds the non-empty cells of the whole workbook.
	// Default 2 000 000; each becomes a Cell in the document.
	MaxXLSXCells int
	// MaxXLSXTextBytes bounds the text of all cells together (a shared
	// string referenced by every cell is a known decompression bomb).
	// Default 64 MB.
	MaxXLSXTextBytes int64
	// MaxXLSXMergesPerSheet bounds the merged ranges of one sheet,
	// counted in the raw XML before excelize loads it: excelize checks
	// them pairwise for overlaps (50 000 ranges take seconds) and scans
	// them on every cell lookup. Default 5000: a budget has under 50.
	MaxXLSXMergesPerSheet int
	// MaxXLSXFormulaCalcs bounds the formulas computed because the file
	// has no cached value for them (files written by generators).
	// CalcCellValue does not cache, so chained formulas cost more and
	// more. Default 20 000: a generated budget has under 200.
	MaxXLSXFormulaCalcs int
	// MaxXLSXFormulaCells bounds the cells computing those formulas
	// visits, counted over the whole workbook before each computation:
	// every cell of every range a formula names, and the same again for
	// each formula cell among them (excelize computes each once per
	// workbook). 7000 chained SUMs in 55 KB visit 24 million cells and
	// took 30 s of CPU. Default 100 000 (a fraction of a second of
	// excelize's work): a generated budget visits a few thousand, the
	// largest workbook of the test corpus under 9000.
	MaxXLSXFormulaCells int

	// MaxDocumentTextBytes bounds the text of the document read (every
	// paragraph, cell and piece of furniture), checked once it is read,
	// before it is handed on: in a reading child, before it is sent to
	// the parent, which would otherwise hold it all (a 96 KB .docx can
	// hold 30 MB of text). Default 16 MB: the largest document of the
	// test corpus, a 619-page PDF, has 1.8 MB.
	MaxDocumentTextBytes int64
	// MaxDocumentItems bounds the blocks, table rows and cells of the
	// document read, checked with MaxDocumentTextBytes; each costs about
	// 1 KB at the peak of normalizing. Default 250 000: the corpus's
	// largest workbook has 195 000.
	MaxDocumentItems int

	// MaxOCRPixels bounds the pixels of one page image read by OCR: a
	// scanner's image embedded in a PDF, an image file's frame, a page
	// rendered for OCR. Checked from the image's declared size before
	// it is decoded. Default 100 000 000: an A4 page at 600 dpi is 35
	// million; a grey page image costs a byte a pixel while Tesseract
	// reads it, and Tesseract several times that.
	MaxOCRPixels int64
	// OCRPageTimeout bounds the OCR of one page (Tesseract's run). A
	// page over it is that page's error; the other pages are read.
	// Default 60 s: a 300 dpi A4 page takes 2-4 s on one core.
	OCRPageTimeout time.Duration
	// OCRPageMemory bounds the memory of one page's Tesseract process
	// (its address space). Default 1 GB: Tesseract reads a 300 dpi
	// A4 page in about 150 MB.
	OCRPageMemory int64

	// TrustAnchors are not a limit: the DER certificates digital
	// signatures are chained to (pdfsig.ReadTrustDir reads them from
	// --trust-dir). They travel with the limits to the reading
	// processes. None: no trust list, and every signature's Trusted is
	// nil.
	TrustAnchors [][]byte `json:"trust_anchors,omitempty"`

	// Progress, when set, is called after each page read by OCR with
	// the pages done and the pages to read; it is not a limit. A
	// caller that bounds a document's wall-clock time (isolate) uses it
	// to give a long scan time page by page.
	Progress func(done, total int) `json:"-"`
}

// DefaultLimits returns the limits anyformat.Read and ReadFile use.
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes:            100 << 20,
		MaxZipEntries:           10_000,
		MaxZipUncompressedBytes: 256 << 20,
		MaxXMLDepth:             256,
		MaxXMLElements:          2_000_000,
		MaxPDFPages:             2000,
		MaxPDFObjects:           1_000_000,
		MaxPDFStreamBytes:       64 << 20,
		MaxPDFTotalStreamBytes:  512 << 20,
		MaxPDFPageOps:           2_000_000,
		MaxPDFOps:               30_000_000,
		MaxXLSXRowsPerSheet:     100_000,
		MaxXLSXCells:            2_000_000,
		MaxXLSXTextBytes:        64 << 20,
		MaxXLSXMergesPerSheet:   5000,
		MaxXLSXFormulaCalcs:     20_000,
		MaxXLSXFormulaCells:     100_000,
		MaxDocumentTextBytes:    16 << 20,
		MaxDocumentItems:        250_000,
		MaxOCRPixels:            100_000_000,
		OCRPageTimeout:          60 * time.Second,
		OCRPageMemory:           1 << 30,
	}
}

// WithDefaults returns l with every zero (or negative) field set to its
// default.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	set64 := func(v *int64, def int64) {
		if *v <= 0 {
			*v = def
		}
	}
	set64(&l.MaxFileBytes, d.MaxFileBytes)
	set(&l.MaxZipEntries, d.MaxZipEntries)
	set64(&l.MaxZipUncompressedBytes, d.MaxZipUncompressedBytes)
	set(&l.MaxXMLDepth, d.MaxXMLDepth)
	set(&l.MaxXMLElements, d.MaxXMLElements)
	set(&l.MaxPDFPages, d.MaxPDFPages)
	set(&l.MaxPDFObjects, d.MaxPDFObjects)
	set64(&l.MaxPDFStreamBytes, d.MaxPDFStreamBytes)
	set64(&l.MaxPDFTotalStreamBytes, d.MaxPDFTotalStreamBytes)
	set(&l.MaxPDFPageOps, d.MaxPDFPageOps)
	set(&l.MaxPDFOps, d.MaxPDFOps)
	set(&l.MaxXLSXRowsPerSheet, d.MaxXLSXRowsPerSheet)
	set(&l.MaxXLSXCells, d.MaxXLSXCells)
	set64(&l.MaxXLSXTextBytes, d.MaxXLSXTextBytes)
	set(&l.MaxXLSXMergesPerSheet, d.MaxXLSXMergesPerSheet)
	set(&l.MaxXLSXFormulaCalcs, d.MaxXLSXFormulaCalcs)
	set(&l.MaxXLSXFormulaCells, d.MaxXLSXFormulaCells)
	set64(&l.MaxDocumentTextBytes, d.MaxDocumentTextBytes)
	set(&l.MaxDocumentItems, d.MaxDocumentItems)
	set64(&l.MaxOCRPixels, d.MaxOCRPixels)
	if l.OCRPageTimeout <= 0 {
		l.OCRPageTimeout = d.OCRPageTimeout
	}
	set64(&l.OCRPageMemory, d.OCRPageMemory)
	return l
}

// ProgressWait is how long a read bounded by timeout (a document's
// wall-clock limit) may go on after Progress reported a page read by
// OCR, total the pages to read, the read having started at start:
// timeout again, counted from now, but never past timeout plus
// OCRPageTimeout for every page from the start. A 40-page scan takes
// minutes of Tesseract's time, a stuck page is stopped by its own limit,
// and a read that stops making progress is still stopped. The reading
// children (isolate) and the in-process read (normalizer.InProcess) both
// go by it.
func (l Limits) ProgressWait(start time.Time, timeout time.Duration, total int) time.Duration {
	page := l.WithDefaults().OCRPageTimeout
	return min(timeout, time.Until(start.Add(timeout+time.Duration(total)*page)))
}

// LimitErr builds the error for a limit that was hit: what was too large,
// in plain words, and the name of the Limits field.
func LimitErr(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s (limit %s)", ErrLimit, fmt.Sprintf(format, args...), field)
}

// PlainBytes writes a byte count for people: "64 MB", "67.4 KB", "100
// bytes" (MB and KB of 1024).
func PlainBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
