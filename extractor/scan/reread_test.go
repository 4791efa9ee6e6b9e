package scan

import (
	"context"
	"testing"
)

// TestReread: marks left as ink that sit on a line of text are read
// again; figures become words on that line (a lone figure, a grouped
// amount), a letter and a scribble stay ink, and a figure on no line
// of text stays ink.
func TestReread(t *testing.T) {
	e := engine(t)
	c := newCanvas(t, 1400, 300, 150, 11)
	label := c.text(40, 80, "Lokalhyra")
	lone := c.text(1200, 80, "8") // the Go font's "0" is slashed: Tesseract reads it "5)"
	amount := c.text(800, 80, "12 500")
	letter := c.text(1000, 80, "x")
	alone := c.text(600, 250, "7")
	scribble := c.signature(300, 160, 120)
	b := &bitmap{w: c.Bounds().Dx(), h: c.Bounds().Dy(), ink: binarise(c.Gray)}
	p := &Page{Words: []Word{{Text: "Lokalhyra", Conf: 95, X0: label.X0, Y0: label.Y0, X1: label.X1, Y1: label.Y1, Block: 1, Par: 1, Line: 1}}}
	p.marks = inkMarks(b, 150, p.Words, nil)
	p.Ink = mergeInk(p.marks, 150)
	if err := e.reread(context.Background(), c.Gray, 150, p); err != nil {
		t.Fatal(err)
	}
	got := map[string]Word{}
	for _, w := range p.Words[1:] {
		got[w.Text] = w
	}
	for text, box := range map[string]Rect{"8": lone, "12 500": amount} {
		w, ok := got[text]
		if !ok {
			t.Errorf("no word %q read again: words %v", text, p.Words)
			continue
		}
		if !overlaps(Rect{w.X0, w.Y0, w.X1, w.Y1}, box) || w.Block != 1 || w.Line != 1 {
			t.Errorf("%q at %v on line %d.%d.%d, want at %v on the label's line", text, w, w.Block, w.Par, w.Line, box)
		}
	}
	if len(got) != 2 {
		t.Errorf("words read again %v, want only 8 and 12 500", p.Words[1:])
	}
	for _, keep := range []Rect{letter, alone, scribble} {
		found := false
		for _, r := range p.Ink {
			found = found || overlaps(r, keep)
		}
		if !found {
			t.Errorf("the mark at %v is no longer ink: %v", keep, p.Ink)
		}
	}
	for _, gone := range []Rect{lone, amount} {
		for _, r := range p.Ink {
			if overlaps(r, gone) {
				t.Errorf("the figure at %v is still ink (%v)", gone, r)
			}
		}
	}
}
