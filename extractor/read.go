package extractor

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Sentinel errors to branch on. Readers wrap them (with %w) in an *Error
// that says where.
var (
	// ErrEncrypted: the file is password-protected and no password opens it.
	ErrEncrypted = errors.New("encrypted")
	// ErrUnsupported: a format ansokan does not read (legacy .doc/.xls, .odt, images …).
	ErrUnsupported = errors.New("unsupported format")
	// ErrCorrupt: the file claims a supported format but its structure is broken.
	ErrCorrupt = errors.New("corrupt file")
	// ErrEmpty: the file has no bytes.
	ErrEmpty = errors.New("empty file")
)

// Error is an extraction error with the position it was seen at. Its
// fields map onto a finding's evidence.
type Error struct {
	File      string
	Page      int    // PDF
	Sheet     string // xlsx
	Cell      string // xlsx
	Paragraph int    // docx
	Err       error
}

func (e *Error) Error() string {
	where := e.File
	switch {
	case e.Page > 0:
		where += fmt.Sprintf(" page %d", e.Page)
	case e.Sheet != "" && e.Cell != "":
		where += fmt.Sprintf(" sheet %q cell %s", e.Sheet, e.Cell)
	case e.Sheet != "":
		where += fmt.Sprintf(" sheet %q", e.Sheet)
	case e.Paragraph > 0:
		where += fmt.Sprintf(" paragraph %d", e.Paragraph)
	}
	if where == "" {
		return e.Err.Error()
	}
	return where + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Sniff tells the format from the first bytes of a file, not its name.
// It returns ErrUnsupported (wrapped, naming what the bytes are) for a
// format ansokan does not read.
func Sniff(head []byte, name string) (Format, error) {
	switch {
	case len(head) == 0:
		return "", ErrEmpty
	case bytes.HasPrefix(head, []byte("%PDF-")) || bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		return FormatPDF, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip(head)
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		// OLE2 compound file: a legacy .doc/.xls, or an encrypted OOXML package.
		if bytes.Contains(head, utf16("EncryptedPackage")) || bytes.Contains(head, utf16("EncryptionInfo")) {
			return "", fmt.Errorf("%w: a password-protected Office file", ErrEncrypted)
		}
		if bytes.Contains(head, utf16("WordDocument")) {
			return "", fmt.Errorf("%w: a legacy Word 97-2003 .doc file; save it as .docx or PDF", ErrUnsupported)
		}
		if bytes.Contains(head, utf16("Workbook")) || bytes.Contains(head, utf16("Book")) {
			return "", fmt.Errorf("%w: a legacy Excel 97-2003 .xls file; save it as .xlsx", ErrUnsupported)
		}
		return "", fmt.Errorf("%w: a legacy Office (OLE2) file", ErrUnsupported)
	case bytes.HasPrefix(head, []byte("{\\rtf")):
		return "", fmt.Errorf("%w: an RTF file; save it as .docx or PDF", ErrUnsupported)
	case bytes.HasPrefix(head, []byte("\x89PNG")), bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")),
		bytes.HasPrefix(head, []byte("GIF8")), bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return "", fmt.Errorf("%w: an image, not a document (a scan must be sent as a PDF)", ErrUnsupported)
	}
	return "", fmt.Errorf("%w: not a PDF, Word (.docx) or Excel (.xlsx) file", ErrUnsupported)
}

// sniffZip tells docx from xlsx (and .odt/.ods from both) by the names of
// the package's parts, found in the local file headers of the head.
func sniffZip(head []byte) (Format, error) {
	switch {
	case bytes.Contains(head, []byte("mimetypeapplication/vnd.oasis.opendocument.text")):
		return "", fmt.Errorf("%w: an OpenDocument text (.odt) file; save it as .docx or PDF", ErrUnsupported)
	case bytes.Contains(head, []byte("mimetypeapplication/vnd.oasis.opendocument")):
		return "", fmt.Errorf("%w: an OpenDocument file; save it as .docx, .xlsx or PDF", ErrUnsupported)
	case bytes.Contains(head, []byte("word/")):
		return FormatDOCX, nil
	case bytes.Contains(head, []byte("xl/")):
		return FormatXLSX, nil
	}
	// The part names may all sit beyond the head; the caller opens the zip.
	return "zip", nil
}

func utf16(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

// ReadFile reads one file from disk. The document's Name is the file's
// base name.
func ReadFile(path string) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: filepath.Base(path), Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &Error{File: filepath.Base(path), Err: err}
	}
	if st.IsDir() {
		return nil, &Error{File: filepath.Base(path), Err: errors.New("is a directory")}
	}
	return Read(f, st.Size(), filepath.Base(path))
}

// Read reads a document of any supported format, detected from its
// content. name is used for the Document and in errors.
func Read(r io.ReaderAt, size int64, name string) (doc *Document, err error) {
	sum, err := hashReaderAt(r, size)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	head := make([]byte, min(size, 8192))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, &Error{File: name, Err: err}
	}
	format, err := Sniff(head, name)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	if format == "zip" {
		format, err = sniffZipParts(r, size)
		if err != nil {
			return nil, &Error{File: name, Err: err}
		}
	}
	switch format {
	case FormatDOCX:
		doc, err = ReadDOCX(r, size)
	case FormatPDF:
		doc, err = ReadPDF(r, size)
	case FormatXLSX:
		doc, err = ReadXLSX(r, size)
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			if e.File == "" {
				e.File = name
			}
			return nil, e
		}
		return nil, &Error{File: name, Err: err}
	}
	doc.Name = name
	doc.Format = format
	doc.SHA256 = sum
	doc.Bytes = size
	return doc, nil
}

func hashReaderAt(r io.ReaderAt, size int64) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(r, 0, size)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
