package scan

import (
	"math"
	"reflect"
	"testing"
)

// bits draws dark rectangles on a w×h bitmap.
func bits(w, h int, rects ...Rect) *bitmap {
	b := &bitmap{w: w, h: h, ink: make([]bool, w*h)}
	for _, r := range rects {
		for y := r.Y0; y < r.Y1; y++ {
			for x := r.X0; x < r.X1; x++ {
				b.ink[y*w+x] = true
			}
		}
	}
	return b
}

func TestFindRules(t *testing.T) {
	// At 150 dpi a rule is at least 50 px long and at most 6 px thick.
	tests := []struct {
		name  string
		marks []Rect
		want  []Rect
	}{
		{"horizontal", []Rect{{10, 20, 200, 22}}, []Rect{{10, 20, 200, 22}}},
		{"vertical", []Rect{{30, 10, 31, 90}}, []Rect{{30, 10, 31, 90}}},
		{"too short", []Rect{{10, 20, 50, 22}}, nil},
		{"too thick: a filled box", []Rect{{10, 20, 200, 40}}, nil},
		{"a one-pixel dropout joins", []Rect{{10, 20, 100, 22}, {101, 20, 200, 22}}, []Rect{{10, 20, 200, 22}}},
		{"a wide gap splits", []Rect{{10, 20, 100, 22}, {110, 20, 200, 22}}, []Rect{{10, 20, 100, 22}, {110, 20, 200, 22}}},
		{"a table cell", []Rect{{10, 10, 190, 12}, {10, 88, 190, 90}, {10, 10, 12, 90}, {188, 10, 190, 90}},
			[]Rect{{10, 10, 190, 12}, {10, 88, 190, 90}, {10, 10, 12, 90}, {188, 10, 190, 90}}},
		{"a row ruled on its own: short sides that meet both rules", []Rect{{10, 10, 190, 12}, {10, 30, 190, 32}, {10, 10, 12, 32}, {100, 10, 101, 32}, {188, 10, 190, 32}},
			[]Rect{{10, 10, 190, 12}, {10, 30, 190, 32}, {10, 10, 12, 32}, {100, 10, 101, 32}, {188, 10, 190, 32}}},
		{"a short stroke that meets one rule is not", []Rect{{10, 10, 190, 12}, {10, 50, 190, 52}, {100, 12, 102, 36}},
			[]Rect{{10, 10, 190, 12}, {10, 50, 190, 52}}},
		{"a short stroke between rules that does not reach them is not", []Rect{{10, 10, 190, 12}, {10, 40, 190, 42}, {100, 16, 102, 36}},
			[]Rect{{10, 10, 190, 12}, {10, 40, 190, 42}}},
		{"a short stroke with no rule is not", []Rect{{100, 10, 102, 34}}, nil},
		{"a stem between two short runs (a bold serif line's baseline) is not", []Rect{{10, 10, 80, 12}, {10, 30, 80, 32}, {40, 10, 42, 32}},
			[]Rect{{10, 10, 80, 12}, {10, 30, 80, 32}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findRules(bits(220, 100, tt.marks...), 150)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rules %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFindInk(t *testing.T) {
	word := Word{Text: "Underskrift", Conf: 95, X0: 10, Y0: 10, X1: 110, Y1: 30}
	rule := Rect{10, 80, 210, 82}
	tests := []struct {
		name  string
		marks []Rect
		words []Word
		want  []Rect
	}{
		{"a confident word is not ink", []Rect{{12, 12, 108, 28}}, []Word{word}, nil},
		{"an unsure word is", []Rect{{12, 12, 108, 28}}, []Word{{Text: "Sn", Conf: 30, X0: 10, Y0: 10, X1: 110, Y1: 30}}, []Rect{{12, 12, 108, 28}}},
		{"the rule is not ink", []Rect{rule}, nil, nil},
		{"a stroke across the rule is, in one box", []Rect{rule, {60, 60, 64, 100}}, nil, []Rect{{60, 60, 64, 100}}},
		{"speckle is not", []Rect{{150, 40, 152, 42}}, nil, nil},
		{"near marks merge", []Rect{{120, 40, 130, 50}, {135, 40, 145, 50}}, nil, []Rect{{120, 40, 145, 50}}},
		{"far marks do not", []Rect{{120, 40, 130, 50}, {180, 40, 190, 50}}, nil, []Rect{{120, 40, 130, 50}, {180, 40, 190, 50}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mergeInk(inkMarks(bits(220, 110, tt.marks...), 150, tt.words, []Rect{rule}), 150)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ink %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGarbage(t *testing.T) {
	tests := []struct {
		text string
		conf float64
		want bool
	}{
		{"Underskrift", 95, false},
		{"Underskrift", 20, false}, // unsure, but letters: kept
		{"~/;", 20, true},
		{"Sn", 39, false},
		{"a", 30, true},
		{"a", 90, false},
		{"%&/(", 30, true},
		{"________", 90, true}, // a typed line
		{"......", 90, true},
		{"2026-03-14", 30, false},
	}
	for _, tt := range tests {
		if got := garbage(Word{Text: tt.text, Conf: tt.conf}); got != tt.want {
			t.Errorf("garbage(%q, %.0f) = %v, want %v", tt.text, tt.conf, got, tt.want)
		}
	}
}

func TestParseOSD(t *testing.T) {
	tests := []struct {
		out  string
		rot  int
		conf float64
		err  bool
	}{
		{"Page number: 0\nOrientation in degrees: 90\nRotate: 270\nOrientation confidence: 9.30\nScript: Latin\nScript confidence: 8.06\n", 270, 9.30, false},
		{"Rotate: 0\nOrientation confidence: 0.50\n", 0, 0.5, false},
		{"Rotate: 45\nOrientation confidence: 2\n", 0, 0, true},
		{"Too few characters. Skipping this page\n", 0, 0, true},
	}
	for _, tt := range tests {
		rot, conf, err := parseOSD([]byte(tt.out))
		if rot != tt.rot || conf != tt.conf || (err != nil) != tt.err {
			t.Errorf("%q: %d, %.2f, %v", tt.out, rot, conf, err)
		}
	}
}

// TestEstimateSkew: parallel lines drawn at an angle give that angle;
// a blank page and a speckled one give 0.
func TestEstimateSkew(t *testing.T) {
	for _, angle := range []float64{0, 0.5, -1.5, 4, -9} {
		b := bits(800, 600)
		slope := math.Tan(angle * math.Pi / 180)
		for l := 0; l < 12; l++ {
			y0 := 100 + float64(l)*35
			// Dashes like words along the line.
			for x := 50; x < 750; x++ {
				if (x/40)%4 == 3 {
					continue
				}
				for d := 0; d < 3; d++ {
					y := int(y0 + float64(x-400)*slope + float64(d))
					b.ink[y*b.w+x] = true
				}
			}
		}
		if got := estimateSkew(b); math.Abs(got-angle) > 0.1 {
			t.Errorf("lines at %.1f°: estimated %.2f°", angle, got)
		}
	}
	if got := estimateSkew(bits(800, 600)); got != 0 {
		t.Errorf("blank page: %.2f°", got)
	}
}

// TestRotate: turning by 90° four times, or 180° twice, gives the page
// back, and a 90° turn is clockwise.
func TestRotate(t *testing.T) {
	g := grey(30, 20, 3) // dark top-left corner
	r := rotate(g, 90)
	if r.Bounds().Dx() != 20 || r.Bounds().Dy() != 30 || r.Pix[0*r.Stride+19] != 0 || r.Pix[0] != 255 {
		t.Errorf("90° clockwise: the top-left corner should be top-right")
	}
	if !reflect.DeepEqual(rotate(rotate(rotate(r, 90), 90), 90).Pix, g.Pix) || !reflect.DeepEqual(rotate(rotate(g, 180), 180).Pix, g.Pix) {
		t.Error("four quarter turns are not the page")
	}
}

func TestFramedFigure(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"[0]", true}, {"[1", true}, {"0|", true}, {"|600 000]", true}, {"[", true},
		// Not framed: a figure, a word, a reference inside text, a bar between words.
		{"0", false}, {"[se", false}, {"Summa|", false}, {"[1][2]", false}, {"1|2", false},
	} {
		if got := framedFigure(c.s); got != c.want {
			t.Errorf("framedFigure(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestTextRules(t *testing.T) {
	word := Word{Text: "(namnförtydligande)", Conf: 92, X0: 689, Y0: 1008, X1: 1129, Y1: 1051}
	for _, c := range []struct {
		name string
		rule Rect
		keep bool
	}{
		{"a letter's stroke inside the word", Rect{695, 1005, 696, 1054}, false},
		{"a cell side beside the word", Rect{680, 1005, 682, 1054}, true},
		{"a long side through the word's row", Rect{695, 700, 696, 1300}, true},
		{"a baseline under the word", Rect{689, 1049, 1129, 1051}, false},
		{"a row rule under the word", Rect{300, 1054, 2000, 1056}, true},
	} {
		got := textRules([]Rect{c.rule}, []Word{word})
		if (len(got) == 1) != c.keep {
			t.Errorf("%s: textRules kept %v, want kept %v", c.name, got, c.keep)
		}
	}
}
