package pdf

import (
	"errors"
	"fmt"
	"image"
	"io"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/scan"
)

// ReadImage reads an image file (PNG, JPEG, TIFF with every frame) as
// the pages of a scan: every frame is a page, read by OCR and laid out
// like a PDF page (lines, paragraphs, tables, furniture). Without OCR
// the document has every page in NoTextPages and each ScanPage says
// why it was not read. A frame over Limits.MaxOCRPixels is that page's
// error; a file with more frames than MaxPDFPages is refused. Frames
// are listed from their headers and decoded one at a time, each in the
// OCR worker that reads it (scan.Frames): a 100-page TIFF does not
// hold 100 decoded pages.
func ReadImage(r io.ReaderAt, size int64, lim extractor.Limits) (*extractor.Document, error) {
	lim = lim.WithDefaults()
	if size > lim.MaxFileBytes {
		return nil, extractor.LimitErr("MaxFileBytes", "the file is %s, more than %s", extractor.PlainBytes(size), extractor.PlainBytes(lim.MaxFileBytes))
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	frames, err := scan.Frames(data)
	switch {
	case errors.Is(err, scan.ErrImageFormat):
		return nil, fmt.Errorf("%w: %w", extractor.ErrUnsupported, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", extractor.ErrCorrupt, err)
	case len(frames) > lim.MaxPDFPages:
		return nil, extractor.LimitErr("MaxPDFPages", "more than %d pages", lim.MaxPDFPages)
	}
	doc := &extractor.Document{Pages: len(frames)}
	jobs := make([]*pdfScanJob, len(frames))
	for i, f := range frames {
		doc.NoTextPages = append(doc.NoTextPages, i+1)
		jobs[i] = &pdfScanJob{num: i + 1, source: "image", img: func() (*image.Gray, float64, string, error) {
			if int64(f.Width)*int64(f.Height) > lim.MaxOCRPixels {
				return nil, 0, "image", extractor.LimitErr("MaxOCRPixels", "the image is %d×%d pixels, more than %d million", f.Width, f.Height, lim.MaxOCRPixels/1_000_000)
			}
			img, err := f.Decode()
			if err != nil {
				return nil, 0, "image", err
			}
			return scan.ToGray(img), f.DPI, "image", nil
		}}
	}
	pdfOCRPages(jobs, lim)
	var read []*pdfPageLines
	for _, j := range jobs {
		if j.page == nil {
			j.page = &pdfPage{num: j.num}
		}
		read = append(read, pdfPrepare(j.page))
		doc.Scans = append(doc.Scans, j.scan)
	}
	pdfLayout(doc, read)
	return doc, nil
}
