package normalizer

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/message"
)

// ReadMessage reads the application files of an e-mail message as the
// inputs of one submission. path names the message (its file, or its
// place in a mailbox) and each file's path is path + "/" + its name; size
// is the raw message's length. A file that could not be taken out of the
// message is an input with its error; a message without application files
// is one input whose error says so (extractor.ErrNoFiles), so that the
// submission still gets its record, and the officers and the sender hear
// of it.
func (s *Submission) ReadMessage(ctx context.Context, m *message.Message, path string, size int64, r Reader) []Input {
	if len(m.Files) == 0 {
		name := filepath.Base(path)
		err := fmt.Errorf("%w: the message has no .docx, .pdf or .xlsx attachment", extractor.ErrNoFiles)
		return []Input{{Name: name, Path: path, Err: &extractor.Error{File: name, Err: err},
			SHA256: m.SHA256, Bytes: size, Format: "unknown"}}
	}
	inputs := make([]Input, 0, len(m.Files))
	for _, f := range m.Files {
		p := path + "/" + f.Name
		if f.Err != nil {
			base := filepath.Base(f.Name)
			inputs = append(inputs, Input{Name: base, Path: p, Err: &extractor.Error{File: base, Err: f.Err}, Format: FormatByName(base)})
			continue
		}
		inputs = append(inputs, s.Read(ctx, File{Name: p, Data: f.Data}, r))
	}
	return inputs
}
