package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// ErrNoRenderer is returned when pdftoppm is missing: a PDF page that is
// not one embedded image cannot be turned into an image to read.
var ErrNoRenderer = errors.New("PDF page rendering unavailable: install poppler-utils (Debian)")

// MaxRenderDPI bounds Render's resolution.
const MaxRenderDPI = 600

// RenderAvailable says whether pdftoppm is on PATH.
func RenderAvailable() bool {
	_, err := exec.LookPath("pdftoppm")
	return err == nil
}

// Renderer renders PDF pages with pdftoppm, each page a separate
// process under the Renderer's limits. The zero Renderer uses
// DefaultTimeout and DefaultMemory.
type Renderer struct {
	Timeout time.Duration // one page's run
	Memory  uint64        // bytes of address space
}

// Render renders one page (1-based) of a PDF as a grey image at dpi
// with pdftoppm, a separate process under DefaultTimeout and
// DefaultMemory, the PDF on its stdin (read from pdf as pdftoppm reads
// it: no copy here). A missing pdftoppm is an error wrapping
// ErrNoRenderer.
func Render(ctx context.Context, pdf io.ReaderAt, size int64, page int, dpi float64) (image.Image, error) {
	return Renderer{}.Render(ctx, pdf, size, page, dpi)
}

// Render is Render under r's limits.
func (r Renderer) Render(ctx context.Context, pdf io.ReaderAt, size int64, page int, dpi float64) (image.Image, error) {
	path, err := exec.LookPath("pdftoppm")
	if err != nil {
		return nil, ErrNoRenderer
	}
	if page < 1 {
		return nil, fmt.Errorf("render page %d: pages count from 1", page)
	}
	if dpi <= 0 || dpi > MaxRenderDPI {
		return nil, fmt.Errorf("render page %d at %.0f dpi: the resolution must be in (0, %d]", page, dpi, MaxRenderDPI)
	}
	n := strconv.Itoa(page)
	// -singlefile without an output root: the PNG on stdout.
	args := []string{"-q", "-gray", "-png", "-r", strconv.FormatFloat(dpi, 'f', -1, 64), "-f", n, "-l", n, "-singlefile", "-"}
	lim := limits{Timeout: r.Timeout, Memory: r.Memory}.orDefaults()
	out, err := runLimited(ctx, "pdftoppm", path, lim, io.NewSectionReader(pdf, 0, size), args...)
	if err != nil {
		return nil, fmt.Errorf("render page %d: %w", page, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("render page %d: pdftoppm wrote nothing (no such page?)", page)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		return nil, fmt.Errorf("render page %d: pdftoppm's PNG: %w", page, err)
	}
	return img, nil
}

// RenderFile is Render of the PDF at path.
func RenderFile(ctx context.Context, path string, page int, dpi float64) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	img, err := Render(ctx, f, st.Size(), page, dpi)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// Status is one line for 'ansokan version': what reads scanned pages on
// this machine, e.g. "OCR: tesseract 5.3.0 (swe, osd); rendering:
// pdftoppm 22.12.0". It looks again each time (two short runs of
// tesseract, one of pdftoppm).
func Status() string {
	var b strings.Builder
	// find, not Find: the line says it, no warning in the log.
	e, err := find(context.Background())
	if v := os.Getenv("ANSOKAN_OCR"); err != nil && offValue(v) {
		b.WriteString("OCR: turned off (ANSOKAN_OCR=" + v + ")")
	} else if err != nil {
		why := strings.TrimPrefix(strings.TrimPrefix(err.Error(), ErrUnavailable.Error()), ": ")
		b.WriteString("OCR: not available — install tesseract-ocr tesseract-ocr-swe tesseract-ocr-osd")
		if why != "" {
			b.WriteString(" (" + strings.Trim(why, " ()") + ")")
		}
	} else {
		models := "swe"
		if e.OSD {
			models += ", osd"
		}
		fmt.Fprintf(&b, "OCR: tesseract %s (%s)", e.Version, models)
	}
	b.WriteString("; rendering: ")
	path, err := exec.LookPath("pdftoppm")
	if err != nil {
		b.WriteString("not available (install poppler-utils)")
		return b.String()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// pdftoppm -v prints its version on stderr.
	out, _ := exec.CommandContext(ctx, path, "-v").CombinedOutput()
	first, _, _ := strings.Cut(string(out), "\n")
	if v, ok := strings.CutPrefix(strings.TrimSpace(first), "pdftoppm version "); ok {
		b.WriteString("pdftoppm " + v)
	} else {
		b.WriteString("pdftoppm")
	}
	return b.String()
}
