package bigdoc

import (
	"bytes"
	"testing"

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
