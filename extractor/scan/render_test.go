package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// onePagePDF is a one-page PDF (A6 portrait, 298×420 pt) with a black
// square 100 pt wide at (50, 50) from the bottom left.
func onePagePDF() []byte {
	content := "0 g 50 50 100 100 re f"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestRender(t *testing.T) {
	if !RenderAvailable() {
		t.Skip("pdftoppm not installed (Debian: poppler-utils)")
	}
	pdf := onePagePDF()
	path := filepath.Join(t.TempDir(), "page.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		page   int
		dpi    float64
		w, h   int
		dark   int // pixels of the square
		errHas string
	}{
		{1, 72, 298, 420, 100 * 100, ""},
		{1, 144, 596, 840, 200 * 200, ""},
		{2, 72, 0, 0, 0, "pdftoppm"},
		{0, 72, 0, 0, 0, "pages count from 1"},
		{1, 5000, 0, 0, 0, "the resolution must be"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("page %d at %.0f dpi", tt.page, tt.dpi), func(t *testing.T) {
			img, err := RenderFile(context.Background(), path, tt.page, tt.dpi)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) || !strings.Contains(err.Error(), path) {
					t.Fatalf("error %v, want one naming the file with %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
				t.Errorf("%dx%d px, want %dx%d", b.Dx(), b.Dy(), tt.w, tt.h)
			}
			if d := darkPixels(img); d < tt.dark*95/100 || d > tt.dark*105/100 {
				t.Errorf("%d dark pixels, want %d", d, tt.dark)
			}
		})
	}
}

// TestRenderMissing: without pdftoppm, Render says which package to
// install.
func TestRenderMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if RenderAvailable() {
		t.Fatal("pdftoppm found on an empty PATH")
	}
	pdf := onePagePDF()
	_, err := Render(context.Background(), bytes.NewReader(pdf), int64(len(pdf)), 1, 72)
	if !errors.Is(err, ErrNoRenderer) || !strings.Contains(err.Error(), "poppler-utils") {
		t.Errorf("error %v, want ErrNoRenderer naming poppler-utils", err)
	}
}

// TestFindOff: ANSOKAN_OCR=off and a missing program are ErrUnavailable,
// and the error names the packages.
func TestFindOff(t *testing.T) {
	tests := []struct {
		env, prog, want string
	}{
		{"off", "", "turned off by ANSOKAN_OCR=off"},
		{"", filepath.Join(t.TempDir(), "no-such-tesseract"), "no-such-tesseract"},
	}
	for _, tt := range tests {
		t.Setenv("ANSOKAN_OCR", tt.env)
		t.Setenv("ANSOKAN_TESSERACT", tt.prog)
		_, err := find(context.Background())
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "tesseract-ocr-swe") {
			t.Errorf("ANSOKAN_OCR=%q ANSOKAN_TESSERACT=%q: error %v, want ErrUnavailable with %q", tt.env, tt.prog, err, tt.want)
		}
	}
}

// TestFindModels: a tesseract without the Swedish model is unavailable;
// with it, the engine knows whether OSD can run and its version.
func TestFindModels(t *testing.T) {
	dir := t.TempDir()
	write := func(name, langs string) string {
		p := filepath.Join(dir, name)
		script := "#!/bin/sh\ncase \"$1\" in\n--version) echo 'tesseract 5.9.1'; echo ' leptonica-1.84';;\n--list-langs) printf 'List of available languages in \"/x\" (2):\\n" + langs + "';;\nesac\n"
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Setenv("ANSOKAN_OCR", "")
	t.Setenv("ANSOKAN_TESSERACT", write("eng-only", "eng\\nosd\\n"))
	if _, err := find(context.Background()); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "Swedish") {
		t.Errorf("eng only: %v", err)
	}
	t.Setenv("ANSOKAN_TESSERACT", write("swe", "eng\\nswe\\n"))
	e, err := find(context.Background())
	if err != nil || e.OSD || e.Version != "5.9.1" || e.Langs != "swe" {
		t.Errorf("swe: %+v, %v", e, err)
	}
}

// TestStatus: one line naming the OCR engine and the renderer, or what
// to install.
func TestStatus(t *testing.T) {
	s := Status()
	if strings.Contains(s, "\n") || !strings.HasPrefix(s, "OCR: ") || !strings.Contains(s, "; rendering: ") {
		t.Errorf("status %q", s)
	}
	if _, err := exec.LookPath("tesseract"); err == nil && os.Getenv("ANSOKAN_OCR") == "" && !strings.Contains(s, "tesseract 5") {
		t.Errorf("status %q: no tesseract version", s)
	}
}
