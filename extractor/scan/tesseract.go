package scan

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Engine runs Tesseract. The zero value is not usable: use Find.
type Engine struct {
	Path  string // the tesseract program
	Langs string // "swe" (with "+eng" when installed)
	// PageTimeout bounds one page's OCR run (default 120 s).
	PageTimeout time.Duration
}

var (
	findOnce sync.Once
	found    *Engine
	findErr  error
)

// Find returns the machine's Tesseract engine, looked up once: the
// program named by ANSOKAN_TESSERACT, else tesseract on PATH, with the
// Swedish model installed. ANSOKAN_OCR=off turns OCR off. The error wraps
// ErrUnavailable.
func Find() (*Engine, error) {
	findOnce.Do(func() { found, findErr = find() })
	return found, findErr
}

func find() (*Engine, error) {
	if v := os.Getenv("ANSOKAN_OCR"); v == "off" || v == "0" || v == "false" {
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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--list-langs").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%w: %s --list-langs: %v", ErrUnavailable, path, err)
	}
	langs := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		langs[strings.TrimSpace(l)] = true
	}
	if !langs["swe"] {
		return nil, fmt.Errorf("%w: the Swedish model (swe) is missing", ErrUnavailable)
	}
	e := &Engine{Path: path, Langs: "swe", PageTimeout: 120 * time.Second}
	return e, nil
}

// Recognize runs OCR on one page image of the given resolution.
func (e *Engine) Recognize(ctx context.Context, img image.Image, dpi float64) (*Page, error) {
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode page image: %w", err)
	}
	words, err := e.run(ctx, buf.Bytes(), dpi, "--psm", "3", "tsv")
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	p := &Page{Width: b.Dx(), Height: b.Dy(), DPI: dpi, Words: words}
	p.Confidence = meanConf(words)
	return p, nil
}

// run runs tesseract on an encoded image from stdin and parses its TSV.
func (e *Engine) run(ctx context.Context, image []byte, dpi float64, args ...string) ([]Word, error) {
	timeout := e.PageTimeout
	if timeout <= 0 {
		timeout = 120 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	argv := []string{"stdin", "stdout", "-l", e.Langs}
	if dpi > 0 {
		argv = append(argv, "--dpi", strconv.Itoa(int(dpi+0.5)))
	}
	argv = append(argv, args...)
	cmd := exec.CommandContext(ctx, e.Path, argv...)
	// Tesseract's OpenMP threads cost more than they give on a page
	// (10 s instead of 2.6 s for a 300 dpi page on 2 cores): one thread,
	// and pages run in parallel instead.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.Stdin = bytes.NewReader(image)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, fmt.Errorf("tesseract: no answer within %s", timeout)
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return nil, fmt.Errorf("tesseract: %w: %s", err, msg)
	}
	return parseTSV(stdout.Bytes())
}

// parseTSV reads Tesseract's TSV output: the word rows (level 5) with
// text.
func parseTSV(b []byte) ([]Word, error) {
	var words []Word
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first {
			first = false
			if strings.HasPrefix(line, "level\t") {
				continue
			}
		}
		f := strings.Split(line, "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		text := strings.TrimSpace(f[11])
		if text == "" {
			continue
		}
		n := make([]int, 10)
		for i := 0; i < 10; i++ {
			v, err := strconv.Atoi(f[i])
			if err != nil {
				return nil, fmt.Errorf("tesseract TSV: field %d of %q: %w", i+1, line, err)
			}
			n[i] = v
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		if err != nil {
			return nil, fmt.Errorf("tesseract TSV: confidence of %q: %w", line, err)
		}
		words = append(words, Word{
			Text: text, Conf: conf,
			X0: n[6], Y0: n[7], X1: n[6] + n[8], Y1: n[7] + n[9],
			Block: n[2], Par: n[3], Line: n[4],
		})
	}
	return words, sc.Err()
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
