package normalizer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// File is one file of a submission as received: its name and bytes.
type File struct {
	Name string
	Data []byte
}

// Reader reads one file into a document. anyformat.Read behind InProcess
// is one; an isolated pool of child processes (package isolate) is the
// one for untrusted files.
type Reader interface {
	Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error)
}

// InProcess reads files in the calling process, with the extractor's
// default limits.
type InProcess struct{}

// Extract implements Reader.
func (InProcess) Extract(_ context.Context, name string, data []byte) (*extractor.Document, error) {
	return anyformat.Read(bytes.NewReader(data), int64(len(data)), name)
}

// Process reads the files of one submission and makes its record: the
// path every caller (extract, the queue workers, batch) takes from bytes
// to a checked record. A file that cannot be read still counts: the
// record says why (document.unreadable). A cancelled context is reported
// the same way for the files not yet read.
func Process(ctx context.Context, files []File, r Reader, p *profile.Profile) *schema.Record {
	if r == nil {
		r = InProcess{}
	}
	inputs := make([]Input, 0, len(files))
	for _, f := range files {
		inputs = append(inputs, ReadInput(ctx, f, r))
	}
	return Normalize(inputs, p)
}

// ReadInput reads one file into an Input; a file that cannot be read
// becomes an Input carrying the reason, its hash and size.
func ReadInput(ctx context.Context, f File, r Reader) Input {
	name := filepath.Base(f.Name)
	var doc *extractor.Document
	err := ctx.Err()
	if err == nil {
		doc, err = r.Extract(ctx, name, f.Data)
	}
	if err == nil && doc != nil {
		return Input{Doc: doc}
	}
	sum := sha256.Sum256(f.Data)
	return Input{Name: name, Err: err, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(f.Data)), Format: FormatByName(name)}
}

// FormatByName guesses a file's format from its extension, for the
// record of a file whose content could not be read ("" when unknown).
func FormatByName(name string) string {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".docx", ".pdf", ".xlsx":
		return ext[1:]
	}
	return ""
}
