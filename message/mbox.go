package message

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Span is one message of an mbox file: its bytes from the "From " line
// on, up to the next one.
type Span struct {
	Offset, Length int64
}

// IsMbox reports whether a file's first bytes are an mbox's: a "From "
// separator line.
func IsMbox(head []byte) bool { return bytes.HasPrefix(head, []byte("From ")) }

// MboxSpans lists the messages of an mbox file (mboxo, mboxrd; the
// format Thunderbird, Apple Mail and Google Takeout export): a message
// begins at a line starting "From " at the start of the file or after an
// empty line. Lines of any length are read.
func MboxSpans(r io.Reader) ([]Span, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var spans []Span
	var off int64
	start := int64(-1)
	prevBlank, atLineStart := true, true
	for {
		line, err := br.ReadSlice('\n')
		full := err == nil || err == io.EOF
		if err == bufio.ErrBufferFull {
			err = nil
		}
		if atLineStart && prevBlank && bytes.HasPrefix(line, []byte("From ")) {
			if start >= 0 {
				spans = append(spans, Span{start, off - start})
			}
			start = off
		}
		if atLineStart {
			t := bytes.TrimRight(line, "\r\n")
			prevBlank = len(t) == 0 && full
		}
		atLineStart = full
		off += int64(len(line))
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading mbox: %w", err)
		}
	}
	if start >= 0 && off > start {
		spans = append(spans, Span{start, off - start})
	}
	return spans, nil
}

// FromMbox turns one mbox entry into the raw message: the "From "
// separator line dropped and ">From " quoting undone (one '>' taken from
// lines of '>'s followed by "From ", as mboxrd writes and mboxo readers
// expect to lose).
func FromMbox(entry []byte) []byte {
	if i := bytes.IndexByte(entry, '\n'); i >= 0 && IsMbox(entry) {
		entry = entry[i+1:]
	}
	var out bytes.Buffer
	out.Grow(len(entry))
	for len(entry) > 0 {
		i := bytes.IndexByte(entry, '\n')
		line := entry
		if i >= 0 {
			line = entry[:i+1]
		}
		entry = entry[len(line):]
		if j := len(line) - len(bytes.TrimLeft(line, ">")); j > 0 && bytes.HasPrefix(line[j:], []byte("From ")) {
			line = line[1:]
		}
		out.Write(line)
	}
	return out.Bytes()
}

// IsMaildir reports whether dir is a Maildir: it holds the folders cur,
// new and tmp.
func IsMaildir(dir string) bool {
	for _, sub := range []string{"cur", "new", "tmp"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err != nil || !st.IsDir() {
			return false
		}
	}
	return true
}
