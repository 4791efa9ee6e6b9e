package scan

import (
	"bufio"
	"bytes"
	"context"

	"fmt"
	"image"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Engine runs Tesseract. The zero value is not usable: use Find (or
// set Path and Langs).
type Engine struct {
	Path  string // the tesseract program
	Langs string // the model: "swe"
	// PageTimeout bounds one tesseract run (default DefaultTimeout).
	PageTimeout time.Duration
	// Memory bounds a run's address space in bytes (default
	// DefaultMemory; RLIMIT_AS, so it counts mapped models too: the
	// Swedish model and a 300 dpi A4 page take about 250 MB).
	Memory uint64
	// OSD is set when the orientation model (osd) is installed; without
	// it turned pages are read as they are.
	OSD bool
	// Version is tesseract's version ("5.3.0").
	Version string

	noDeskew bool // tests: read skewed pages as they are
	// installed: the tesseract found on PATH, not one a test or an
	// operator named (ANSOKAN_TESSERACT); only its runs take the test
	// binaries' default cache (see CacheEnv).
	installed bool
}

var (
	findOnce sync.Once
	found    *Engine
	findErr  error
)

// Find returns the machine's Tesseract engine, looked up once: the
// program named by ANSOKAN_TESSERACT, else tesseract on PATH, with the
// Swedish model installed. ANSOKAN_OCR=off turns OCR off. The error wraps
// ErrUnavailable; it is logged once (slog.Warn), in Swedish and
// English, naming the packages.
func Find() (*Engine, error) {
	findOnce.Do(func() {
		found, findErr = find(context.Background())
		if findErr != nil {
			slog.Warn(UnavailableSwedish+" / scanned pages will not be read", "err", findErr)
		}
	})
	return found, findErr
}

func find(ctx context.Context) (*Engine, error) {
	if v := os.Getenv("ANSOKAN_OCR"); offValue(v) {
		return nil, fmt.Errorf("%w (turned off by ANSOKAN_OCR=%s)", ErrUnavailable, v)
	}
	path := os.Getenv("ANSOKAN_TESSERACT")
	if path == "" {
		p, err := exec.LookPath("tesseract")
		if err != nil {
			return nil, fmt.Errorf("%w: tesseract not found on PATH", ErrUnavailable)
		}
		path = p
	}
	lim := limits{Timeout: 10 * time.Second, Memory: DefaultMemory}
	out, err := runLimited(ctx, "tesseract --list-langs", path, lim, nil, "--list-langs")
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnavailable, path, err)
	}
	langs := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		langs[strings.TrimSpace(l)] = true
	}
	if !langs["swe"] {
		return nil, fmt.Errorf("%w: the Swedish model (swe) is missing", ErrUnavailable)
	}
	e := &Engine{Path: path, Langs: "swe", PageTimeout: DefaultTimeout, Memory: DefaultMemory, OSD: langs["osd"],
		installed: os.Getenv("ANSOKAN_TESSERACT") == ""}
	if v, err := runLimited(ctx, "tesseract --version", path, lim, nil, "--version"); err == nil {
		first, _, _ := strings.Cut(string(v), "\n")
		e.Version = strings.TrimSpace(strings.TrimPrefix(first, "tesseract "))
	}
	return e, nil
}

// offValue says whether ANSOKAN_OCR's value turns OCR off.
func offValue(v string) bool {
	return v == "off" || v == "0" || v == "false"
}

func (e *Engine) limits() limits {
	return limits{Timeout: e.PageTimeout, Memory: e.Memory}.orDefaults()
}

// ocr runs one tesseract pass (automatic page segmentation) on a grey
// image and returns its words.
func (e *Engine) ocr(ctx context.Context, g *image.Gray, dpi float64) ([]Word, error) {
	argv := []string{"stdin", "stdout", "-l", e.Langs}
	if dpi > 0 {
		argv = append(argv, "--dpi", strconv.Itoa(int(dpi+0.5)))
	}
	argv = append(argv, "--psm", "3", "tsv")
	out, err := e.run(ctx, "tesseract", encodePGM(g), argv...)
	if err != nil {
		return nil, err
	}
	return parseTSV(out)
}

// encodePGM writes a grey image as binary PGM (P5), which Tesseract
// (Leptonica) reads from stdin without decompressing anything.
func encodePGM(g *image.Gray) []byte {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	head := fmt.Sprintf("P5\n%d %d\n255\n", w, h)
	buf := make([]byte, 0, len(head)+w*h)
	buf = append(buf, head...)
	for y := 0; y < h; y++ {
		buf = append(buf, g.Pix[y*g.Stride:y*g.Stride+w]...)
	}
	return buf
}

// parseTSV reads Tesseract's TSV output: the word rows (level 5) with
// text. Output that is not Tesseract's TSV (no header, a row of the wrong
// shape, a number that is not one) is an error.
func parseTSV(b []byte) ([]Word, error) {
	var words []Word
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "level\tpage_num\t") {
		return nil, fmt.Errorf("tesseract wrote no TSV (first line %q)", clip(sc.Text()))
	}
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 11 || len(f) > 12 {
			return nil, fmt.Errorf("tesseract TSV: a row of %d fields: %q", len(f), clip(line))
		}
		n := make([]int, 10)
		for i := 0; i < 10; i++ {
			v, err := strconv.Atoi(f[i])
			if err != nil {
				return nil, fmt.Errorf("tesseract TSV: field %d of %q is not a number", i+1, clip(line))
			}
			n[i] = v
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		if err != nil {
			return nil, fmt.Errorf("tesseract TSV: confidence of %q is not a number", clip(line))
		}
		if n[0] != 5 || len(f) < 12 {
			continue
		}
		text := strings.TrimSpace(f[11])
		if text == "" {
			continue
		}
		words = append(words, Word{
			Text: text, Conf: conf,
			X0: n[6], Y0: n[7], X1: n[6] + n[8], Y1: n[7] + n[9],
			Block: n[2], Par: n[3], Line: n[4],
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("tesseract TSV: %w", err)
	}
	return words, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func meanConf(words []Word) float64 {
	if len(words) == 0 {
		return 0
	}
	s := 0.0
	for _, w := range words {
		s += w.Conf
	}
	return s / float64(len(words))
}
