package scan

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCache: with CacheEnv set, a page whose image was read before takes
// the kept output (tesseract is not run again); another image runs it;
// a failed run is not kept.
func TestCache(t *testing.T) {
	t.Setenv(CacheEnv, t.TempDir())
	runs := filepath.Join(t.TempDir(), "runs")
	e := fake(t, "cat >/dev/null; echo run >> "+runs+"; printf '"+tsvHeader+"\\n5\\t1\\t1\\t1\\t1\\t1\\t2\\t3\\t10\\t8\\t91.5\\tHej\\n'")
	count := func() int {
		b, _ := os.ReadFile(runs)
		return strings.Count(string(b), "run")
	}
	page := func(shade uint8) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, 40, 30))
		for i := range g.Pix {
			g.Pix[i] = shade
		}
		return g
	}
	ctx := context.Background()
	for i, tc := range []struct {
		img  *image.Gray
		runs int
	}{
		{page(255), 1}, // first read: runs
		{page(255), 1}, // same image: kept
		{page(250), 2}, // another image: runs
		{page(250), 2},
	} {
		if _, err := e.ocr(ctx, tc.img, 150); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != tc.runs {
			t.Fatalf("read %d: tesseract ran %d times, want %d", i+1, got, tc.runs)
		}
	}
	bad := fake(t, "cat >/dev/null; echo run >> "+runs+"; exit 3")
	for range 2 {
		if _, err := bad.ocr(ctx, page(1), 150); err == nil {
			t.Fatal("a failing run gave no error")
		}
	}
	if got := count(); got != 4 {
		t.Errorf("a failed run was kept: tesseract ran %d times, want 4", got)
	}
}
