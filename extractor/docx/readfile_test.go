package docx

import (
	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/readtest"
)

// readFile reads a file as extractor/anyformat.ReadFile does when the file
// is a DOCX (this package cannot import anyformat, which imports it).
func readFile(path string) (*extractor.Document, error) {
	return readtest.ReadFile(path, extractor.FormatDOCX, Read)
}
