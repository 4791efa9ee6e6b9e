package extractor

import (
	"errors"
	"fmt"
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
	// ErrNoFiles: a container sent as a submission (an e-mail message)
	// holds no .docx, .pdf or .xlsx file.
	ErrNoFiles = errors.New("no application files")
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
