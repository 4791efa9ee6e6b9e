package isolate

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
)

// A document whose answer is larger than its text and items allow (here
// through style names, which the text limit does not count) is answered
// with a limit error: the parent never takes in more than responseLimit.
func TestServeResponseLimit(t *testing.T) {
	saved := read
	defer func() { read = saved }()
	read = func(name string, data []byte, lim extractor.Limits) (*extractor.Document, error) {
		style := strings.Repeat("s", 1<<20)
		doc := &extractor.Document{}
		for range 20 {
			doc.Blocks = append(doc.Blocks, extractor.Block{Kind: extractor.KindParagraph, Text: "a", Style: style})
		}
		return doc, nil
	}
	lim := extractor.Limits{MaxDocumentTextBytes: 1, MaxDocumentItems: 1}
	var in, out bytes.Buffer
	for _, v := range []any{hello{}, request{Name: "stil.docx", Limits: lim}} {
		if err := writeJSON(&in, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeFrame(&in, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if code := serve(&in, &out); code != exitDone {
		t.Fatalf("serve exited %d", code)
	}
	var r ready
	if err := readJSON(&out, &r); err != nil {
		t.Fatal(err)
	}
	b, err := readFrameMax(&out, responseLimit(lim))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := decodeResponse(b)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Doc != nil || resp.Err == nil {
		t.Fatalf("a document of %d bytes came back", len(b))
	}
	if err := resp.Err.decode("stil.docx"); !errors.Is(err, extractor.ErrLimit) || !strings.Contains(err.Error(), "answer would be") {
		t.Errorf("error %v: want a limit error about the answer's size", err)
	}
}

// The parent refuses a frame over the limit before allocating it.
func TestReadFrameMax(t *testing.T) {
	var b bytes.Buffer
	if err := writeFrame(&b, make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	if _, err := readFrameMax(bytes.NewReader(b.Bytes()), 99); !errors.Is(err, errMalformed) {
		t.Errorf("100 bytes under a limit of 99: %v", err)
	}
	if got, err := readFrameMax(bytes.NewReader(b.Bytes()), 100); err != nil || len(got) != 100 {
		t.Errorf("100 bytes under a limit of 100: %d, %v", len(got), err)
	}
	if d, want := responseLimit(extractor.Limits{}), int64(2*(16<<20)+256*250_000+16<<20); d != want {
		t.Errorf("default response limit %d, want %d (109 MB)", d, want)
	}
}
