package bigdoc

import (
	"bytes"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
)

func TestDOCXReads(t *testing.T) {
	data := DOCX(1000)
	doc, err := anyformat.Read(bytes.NewReader(data), int64(len(data)), "stor.docx")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Blocks) != 1000 || doc.Blocks[999].Text != "Insatsens mål och syfte." {
		t.Errorf("%d blocks, last %+v", len(doc.Blocks), doc.Blocks[len(doc.Blocks)-1])
	}
}

func TestDOCXText(t *testing.T) {
	data := DOCXText(30 << 20)
	if len(data) > 200<<10 {
		t.Errorf("%d bytes, want a small file", len(data))
	}
	doc, err := anyformat.ReadLimited(bytes.NewReader(data), int64(len(data)), "text.docx", extractor.Limits{MaxDocumentTextBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := doc.Size(); text < 29<<20 || text > 31<<20 {
		t.Errorf("%d bytes of text, want about 30 MB", text)
	}
}
