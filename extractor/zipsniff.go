package extractor

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
)

// sniffZipParts opens a zip whose head did not name its parts and looks
// at the part names.
func sniffZipParts(r io.ReaderAt, size int64) (Format, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return "", fmt.Errorf("%w: broken zip archive: %v", ErrCorrupt, err)
	}
	for _, f := range zr.File {
		switch {
		case f.Name == "mimetype":
			return "", fmt.Errorf("%w: an OpenDocument file; save it as .docx, .xlsx or PDF", ErrUnsupported)
		case strings.HasPrefix(f.Name, "word/"):
			return FormatDOCX, nil
		case strings.HasPrefix(f.Name, "xl/"):
			return FormatXLSX, nil
		}
	}
	return "", fmt.Errorf("%w: a zip archive that is neither a Word nor an Excel file", ErrUnsupported)
}
