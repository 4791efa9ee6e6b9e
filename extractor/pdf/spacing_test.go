package pdf

import (
	"math"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
)

// A block's Above and Below are the baseline distances to the lines
// around it on its page: a heading style's space before shows as more
// room above than below; body paragraphs stand as far from the one
// above as from the one below; the page's first block has nothing above
// it and its last nothing below.
func TestBlockSpacing(t *testing.T) {
	doc := pdfTestRead(t, "ansokan.pdf")
	find := func(prefix string) extractor.Block {
		t.Helper()
		for _, b := range doc.Blocks {
			if strings.HasPrefix(b.Text, prefix) {
				return b
			}
		}
		t.Fatalf("no block %q in\n%s", prefix, pdfDump(doc))
		return extractor.Block{}
	}
	// Heading 1 mid-page, after a list.
	if h := find("Beskriv bakgrunden till/behovet"); h.Above < 1.3*h.Below || h.Below <= 0 {
		t.Errorf("heading: above %.1f below %.1f, want clearly more above", h.Above, h.Below)
	}
	// A body paragraph between two others.
	if p := find("Ge Försäkringskassan och möten"); p.Above <= 0 || math.Abs(p.Above-p.Below) > 1 {
		t.Errorf("body paragraph: above %.1f below %.1f, want the same", p.Above, p.Below)
	}
	// A list item's neighbours are the other items.
	if li := find("Gemensam planering med parterna"); li.Above <= 0 || li.Above != li.Below {
		t.Errorf("list item: above %.1f below %.1f, want the items' pitch both ways", li.Above, li.Below)
	}
	// The first and last blocks of each page.
	first, last := map[int]extractor.Block{}, map[int]extractor.Block{}
	for _, b := range doc.Blocks {
		if b.Kind == extractor.KindTable {
			continue
		}
		if _, ok := first[b.Page]; !ok {
			first[b.Page] = b
		}
		last[b.Page] = b
	}
	for page, b := range first {
		if b.Above != 0 {
			t.Errorf("page %d's first block %q: above %.1f, want 0", page, b.Text, b.Above)
		}
	}
	if b := last[1]; b.Below != 0 {
		t.Errorf("page 1's last block %q: below %.1f, want 0", b.Text, b.Below)
	}
}
