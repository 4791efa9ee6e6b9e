package web

import (
	"math"
	"regexp"
	"strconv"
	"testing"
)

// The stylesheet's text colours keep a contrast of at least 4.5:1 on the
// backgrounds they are used on (WCAG 2.1 AA, 1.4.3); the focus outline
// and table lines at least 3:1 (1.4.11).
func TestContrast(t *testing.T) {
	css, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{6})`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	for _, tc := range []struct {
		fg, bg string
		min    float64
	}{
		{"fg", "bg", 4.5}, {"link", "bg", 4.5}, {"link", "th", 4.5}, {"white", "link", 4.5}, {"link", "drop", 4.5}, {"fg", "drop-over", 4.5}, {"link", "under-bg", 4.5},
		{"muted", "bg", 4.5}, {"err", "err-bg", 4.5}, {"warn", "warn-bg", 4.5}, {"ok", "ok-bg", 4.5},
		{"under", "under-bg", 4.5}, {"err", "mark", 4.5}, {"fg", "mark", 4.5}, {"err", "bg", 4.5}, {"warn", "bg", 4.5},
		{"focus", "bg", 3}, {"line", "bg", 3},
	} {
		a, b := vars[tc.fg], vars[tc.bg]
		if a == "" || b == "" {
			t.Errorf("no colour %s or %s in style.css", tc.fg, tc.bg)
			continue
		}
		if r := contrast(a, b); r < tc.min {
			t.Errorf("%s (%s) on %s (%s): %.2f:1, want %.1f:1", tc.fg, a, tc.bg, b, r, tc.min)
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[i:i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(1) + 0.7152*ch(3) + 0.0722*ch(5)
}
