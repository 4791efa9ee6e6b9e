package docx

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/finsam/ansokan/extractor"
)

// readFile reads a file as extractor/anyformat.ReadFile does when the file
// is a DOCX (this package cannot import anyformat, which imports it): the
// content is sniffed, a file of another format is refused as unsupported,
// and the document gets its name, format, digest and size.
func readFile(path string) (*extractor.Document, error) {
	name := filepath.Base(path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &extractor.Error{File: name, Err: err}
	}
	r := bytes.NewReader(data)
	format, err := extractor.SniffAt(r, int64(len(data)), extractor.DefaultLimits())
	if err == nil && format != extractor.FormatDOCX {
		err = fmt.Errorf("%w: a %s file, not DOCX", extractor.ErrUnsupported, format)
	}
	if err != nil {
		return nil, &extractor.Error{File: name, Err: err}
	}
	doc, err := Read(r, int64(len(data)))
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
	sum := sha256.Sum256(data)
	doc.Name, doc.Format, doc.SHA256, doc.Bytes = name, extractor.FormatDOCX, hex.EncodeToString(sum[:]), int64(len(data))
	return doc, nil
}
