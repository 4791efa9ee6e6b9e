// Package anyformat reads a file of any format ansokan knows: it tells
// the format from the content (extractor.SniffAt), never the name, and
// hands the file to the reader of that format (extractor/pdf,
// extractor/docx, extractor/xlsx), then fills in what every document
// carries (name, format, digest, size).
//
// It is its own package, above the three readers, because the
// dispatcher imports all of them and every reader imports extractor for
// the document model: in extractor it would be an import cycle. Callers
// that take files of unknown kind (the normalizer, the reading processes,
// the command) import this package; a caller that knows it holds a
// workbook can call xlsx.Read directly.
package anyformat

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/docx"
	"github.com/finsam/ansokan/extractor/pdf"
	"github.com/finsam/ansokan/extractor/pdfsig"
	"github.com/finsam/ansokan/extractor/xlsx"
)

// ReadFile reads one file from disk with extractor.DefaultLimits. The document's
// Name is the file's base name.
func ReadFile(path string) (*extractor.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &extractor.Error{File: filepath.Base(path), Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &extractor.Error{File: filepath.Base(path), Err: err}
	}
	if st.IsDir() {
		return nil, &extractor.Error{File: filepath.Base(path), Err: errors.New("is a directory")}
	}
	return Read(f, st.Size(), filepath.Base(path))
}

// Read reads a document of any supported format, detected from its
// content, with extractor.DefaultLimits. name is used for the Document and in
// errors.
func Read(r io.ReaderAt, size int64, name string) (*extractor.Document, error) {
	return ReadLimited(r, size, name, extractor.DefaultLimits())
}

// ReadLimited is Read with the given limits (zero fields take their
// defaults). A file over a limit gives an *extractor.Error wrapping extractor.ErrLimit. It
// returns either a document or an error, never both and never neither.
func ReadLimited(r io.ReaderAt, size int64, name string, lim extractor.Limits) (doc *extractor.Document, err error) {
	lim = lim.WithDefaults()
	if size > lim.MaxFileBytes {
		return nil, &extractor.Error{File: name, Err: extractor.LimitErr("MaxFileBytes", "the file is %s, more than %s", extractor.PlainBytes(size), extractor.PlainBytes(lim.MaxFileBytes))}
	}
	if size < 0 {
		return nil, &extractor.Error{File: name, Err: fmt.Errorf("negative size %d", size)}
	}
	sum, err := hashReaderAt(r, size)
	if err != nil {
		return nil, &extractor.Error{File: name, Err: err}
	}
	format, err := extractor.SniffAt(r, size, lim)
	if err != nil {
		return nil, &extractor.Error{File: name, Err: err}
	}
	switch format {
	case extractor.FormatDOCX:
		doc, err = docx.ReadLimited(r, size, lim)
	case extractor.FormatPDF:
		doc, err = pdf.ReadLimited(r, size, lim)
		if err == nil && doc != nil {
			var roots *x509.CertPool
			if roots, err = pdfsig.TrustPool(lim.TrustAnchors); err == nil {
				doc.DigitalSignatures, err = pdfsig.Verify(r, size, pdfsig.Options{Roots: roots})
			}
		}
	case extractor.FormatXLSX:
		doc, err = xlsx.ReadLimited(r, size, lim)
	case extractor.FormatPNG, extractor.FormatJPEG, extractor.FormatTIFF:
		doc, err = pdf.ReadImage(r, size, lim)
	}
	if err == nil && doc == nil {
		err = fmt.Errorf("%w: the %s reader returned nothing", extractor.ErrCorrupt, format)
	}
	if err != nil {
		var e *extractor.Error
		if errors.As(err, &e) {
			if e.File == "" {
				e.File = name
			}
			return nil, e
		}
		return nil, &extractor.Error{File: name, Err: err}
	}
	if text, items := doc.Size(); text > lim.MaxDocumentTextBytes {
		return nil, &extractor.Error{File: name, Err: extractor.LimitErr("MaxDocumentTextBytes", "the document holds %s of text, more than %s", extractor.PlainBytes(text), extractor.PlainBytes(lim.MaxDocumentTextBytes))}
	} else if items > lim.MaxDocumentItems {
		return nil, &extractor.Error{File: name, Err: extractor.LimitErr("MaxDocumentItems", "the document holds %d paragraphs, rows and cells, more than %d", items, lim.MaxDocumentItems)}
	}
	doc.Name = name
	doc.Format = format
	doc.SHA256 = sum
	doc.Bytes = size
	finite(doc.Blocks)
	finite(doc.Furniture)
	return doc, nil
}

// finite clears the numbers no JSON can carry: a workbook cell holding
// "NaN" or "1E+999", a PDF drawn with absurd coordinates. A Document
// never holds NaN or ±Inf: a cell value becomes absent (its text stays as
// written), a position 0 (unknown).
func finite(blocks []extractor.Block) {
	ok := func(f float64) float64 {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0
		}
		return f
	}
	for i := range blocks {
		b := &blocks[i]
		b.X0, b.X1, b.Y = ok(b.X0), ok(b.X1), ok(b.Y)
		if b.Table == nil {
			continue
		}
		for r := range b.Table.Rows {
			row := &b.Table.Rows[r]
			row.Y = ok(row.Y)
			for c := range row.Cells {
				cell := &row.Cells[c]
				cell.X0, cell.X1 = ok(cell.X0), ok(cell.X1)
				if cell.Value != nil && (math.IsNaN(*cell.Value) || math.IsInf(*cell.Value, 0)) {
					cell.Value = nil
				}
				finite(cell.Blocks)
			}
		}
	}
}

func hashReaderAt(r io.ReaderAt, size int64) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(r, 0, size)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
