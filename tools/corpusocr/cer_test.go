package main

import "testing"

func TestBestWindow(t *testing.T) {
	for _, c := range []struct {
		ref, hyp string
		want     int
	}{
		{"Happy New Year", "xx Happy New Year yy", 0},
		{"Happy New Year", "Hapy New Yeer", 2},
		{"abc", "", 3},
		{"", "anything", 0},
		{"The LinnSequencer", "header\nThe LinnSequencer\nmore", 0},
		{"4 ons linzen", "4 0ns linzen", 1},
	} {
		if got := bestWindow([]rune(c.ref), []rune(c.hyp)); got != c.want {
			t.Errorf("bestWindow(%q, %q) = %d, want %d", c.ref, c.hyp, got, c.want)
		}
	}
}

func TestCER(t *testing.T) {
	lines := []string{"The (quick) [brown]", "over  the\tlazy dog"}
	text := "noise The (quick) [brown] noise\nover the lazy d0g end"
	// one substitution over 19 + 17 characters (white space squashed)
	if got, want := cer(lines, text), 1.0/36; got != want {
		t.Errorf("cer = %v, want %v", got, want)
	}
	if got := cer(lines, ""); got != 1 {
		t.Errorf("cer of nothing = %v, want 1", got)
	}
}

func TestScanned(t *testing.T) {
	for cat, want := range map[string]bool{
		"scanned": true, "scanned;rotated": true, "mixed-scan": true, "image": true,
		"image;rotated": true, "image-only": true, "normal": false, "corrupt": false,
	} {
		if scanned(cat) != want {
			t.Errorf("scanned(%q) = %v", cat, !want)
		}
	}
}
