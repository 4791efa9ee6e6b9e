package isolate

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/finsam/ansokan/extractor"
)

// The parent and a child talk over the child's stdin and stdout in
// frames: a 4-byte big-endian length, then the payload. The parent sends
// a hello (the child's limits) and, per document, a request header and
// the file's bytes; the child answers the hello with ready and each
// document with a response. The hello, ready and request are JSON: they
// are small and rare, and JSON keeps them inspectable. The response is
// binary (codec.go): it carries the whole document, and decoding it as
// JSON cost the parent most of the per-document price of isolation
// (about 0.8 ms of 1.4 ms on the samples), more than the copies
// through the pipes.

// maxFrame bounds a frame either way: a file is bounded by
// Limits.MaxFileBytes, a response by what the child's memory limit lets
// it build.
const maxFrame = 1 << 30

type hello struct {
	Memory   int64 `json:"memory"`    // bytes the child may grow by
	CPUMilli int64 `json:"cpu_ms"`    // CPU time per document
	MaxStack int64 `json:"max_stack"` // bytes per goroutine stack
}

type ready struct {
	PID int `json:"pid"`
}

type request struct {
	Name   string           `json:"name"`
	Limits extractor.Limits `json:"limits"`
}

// A child reading a scan sends a progress frame after each page read by
// OCR, before its response: the tag byte, then the pages done and the
// pages to read as uvarints. The parent gives the document more time
// with each (see proc.extract). The tag is neither a response's version
// byte nor '{'.
const progressTag = 0xA1

type progress struct{ done, total int }

func encodeProgress(p progress) []byte {
	b := []byte{progressTag}
	b = binary.AppendUvarint(b, uint64(p.done))
	return binary.AppendUvarint(b, uint64(p.total))
}

func decodeProgress(b []byte) (progress, error) {
	if len(b) == 0 || b[0] != progressTag {
		return progress{}, fmt.Errorf("%w: not a progress frame", errMalformed)
	}
	done, n := binary.Uvarint(b[1:])
	if n <= 0 {
		return progress{}, fmt.Errorf("%w: progress frame", errMalformed)
	}
	total, m := binary.Uvarint(b[1+n:])
	if m <= 0 || 1+n+m != len(b) || done > total || total > 1<<20 {
		return progress{}, fmt.Errorf("%w: progress frame", errMalformed)
	}
	return progress{int(done), int(total)}, nil
}

type response struct {
	Doc      *extractor.Document `json:"doc,omitempty"`
	Err      *wireError          `json:"err,omitempty"`
	MaxRSSKB int64               `json:"max_rss_kb"` // the child's peak resident set so far
}

// wireError carries an *extractor.Error across: where it happened, the
// message, and which sentinel it wraps so errors.Is still answers.
type wireError struct {
	Kind      string `json:"kind,omitempty"`
	Msg       string `json:"msg"`
	File      string `json:"file,omitempty"`
	Page      int    `json:"page,omitempty"`
	Sheet     string `json:"sheet,omitempty"`
	Cell      string `json:"cell,omitempty"`
	Paragraph int    `json:"paragraph,omitempty"`
}

var sentinels = map[string]error{
	"encrypted":   extractor.ErrEncrypted,
	"unsupported": extractor.ErrUnsupported,
	"corrupt":     extractor.ErrCorrupt,
	"empty":       extractor.ErrEmpty,
	"limit":       extractor.ErrLimit,
}

func encodeError(err error) *wireError {
	w := &wireError{Msg: err.Error()}
	var e *extractor.Error
	if errors.As(err, &e) {
		*w = wireError{Msg: e.Err.Error(), File: e.File, Page: e.Page, Sheet: e.Sheet, Cell: e.Cell, Paragraph: e.Paragraph}
	}
	for kind, s := range sentinels {
		if errors.Is(err, s) {
			w.Kind = kind
			break
		}
	}
	return w
}

func (w *wireError) decode(name string) error {
	e := &extractor.Error{File: w.File, Page: w.Page, Sheet: w.Sheet, Cell: w.Cell, Paragraph: w.Paragraph,
		Err: &remoteError{msg: w.Msg, is: sentinels[w.Kind]}}
	if e.File == "" {
		e.File = name
	}
	return e
}

// remoteError is an error as the child saw it: its message, and the
// sentinel it wrapped (nil when none).
type remoteError struct {
	msg string
	is  error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.is }

func writeFrame(w io.Writer, payload []byte) error {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(payload)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeFrame(w, b)
}

// responseLimit bounds the response to one document, as the parent
// reads it and the child checks it before sending: the document's text
// twice over (its codec writes every string once, and the text limit
// leaves out names, styles and formulas) plus 256 bytes an item, and
// room for the rest. With the default limits: 109 MB. Whatever a
// document holds, the parent never takes in more.
func responseLimit(lim extractor.Limits) int64 {
	lim = lim.WithDefaults()
	return min(2*lim.MaxDocumentTextBytes+256*int64(lim.MaxDocumentItems)+16<<20, maxFrame)
}

func readFrame(r io.Reader) ([]byte, error) { return readFrameMax(r, maxFrame) }

// readFrameMax reads a frame of at most max bytes; a longer one is an
// error before anything of it is allocated.
func readFrameMax(r io.Reader, max int64) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	size := binary.BigEndian.Uint32(n[:])
	if int64(size) > max {
		return nil, fmt.Errorf("%w: frame of %d bytes, more than %d", errMalformed, size, max)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return b, nil
}

func readJSON(r io.Reader, v any) error {
	b, err := readFrame(r)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
