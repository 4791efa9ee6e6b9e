// Command corpusocr reads the shared corpus's scans — every file of
// MANIFEST.tsv whose category says scanned, mixed-scan or image
// (image-only included) — with ansokan's extractor (ReadLimited, the
// default limits: OCR of the pages without a text layer) and prints a
// Markdown table: what each file gave (OCR'd pages, words, mean
// confidence, or the reason it gave none) and, where the manifest states
// the file's text, the character error rate of ansokan's text and of
// Tesseract's own command line on the same page, for the stated lines.
//
//	go run ./tools/corpusocr [-corpus ../shared/corpus] > ocr.md
//	go run ./tools/corpusocr -text img/tesseract--phototest.tif   # both texts of one file
//
// CER of a stated line: the edit distance between the line and the
// best-matching stretch of the output (any start, any end: the output's
// other text costs nothing), divided by the line's length; a file's CER
// is the sum of its lines' distances over the sum of their lengths.
// Runs of white space count as one space on both sides.
//
// Tesseract's CLI runs with the same program and models as ansokan
// (scan.Find: "swe"), on the image file
// itself, or on each PDF page rendered by pdftoppm at 300 dpi (grey).
// Corpus files are read in place, never copied.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/extractor/scan"
	"github.com/finsam/ansokan/internal/corpus"
)

func main() {
	def, _ := corpus.Dir()
	dir := flag.String("corpus", def, "corpus `DIR` (holds MANIFEST.tsv; default $ANSOKAN_CORPUS, else ../shared/corpus beside the project)")
	timeout := flag.Duration("timeout", 5*time.Minute, "time allowed for Tesseract's CLI on one file")
	show := flag.String("text", "", "print ansokan's text and Tesseract CLI's for corpus `FILE` (as MANIFEST.tsv names it), to look at a CER")
	flag.Parse()
	if *show != "" {
		if err := showText(context.Background(), *dir, *show, *timeout, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "corpusocr:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(context.Background(), *dir, *timeout, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "corpusocr:", err)
		os.Exit(1)
	}
}

// stated holds the text the manifest's expected_outcome states for a
// file, one entry a line, as written there (the "/" line separators
// split). Files not here have no stated text.
var stated = map[string][]string{
	"pdf/tika--testOCR.pdf":       {"Happy New Year"},
	"pdf/tika--testPDF_JBIG2.pdf": {"test images compressed using JBIG2"},
	"pdf/ocrmypdf--ccitt.pdf":     linn,
	"pdf/ocrmypdf--jbig2.pdf":     linn,
	"pdf/ocrmypdf--skew.pdf":      {"The LinnSequencer"},
	"pdf/ocrmypdf--2400dpi.pdf":   linzen,
	"pdf/ocrmypdf--francais.pdf":  {"Portez ce vieux whisky au juge", "blond qui fume sur son Ile"},
	"pdf/docling--ocr_test_rotated_90.pdf": {
		"Docling bundles PDF document conversion to JSON and Markdown in an easy self contained package"},
	"pdf/docling--sample_with_rotation_mismatch.pdf": {"1972"},
	"img/tesseract--eurotext.tif": {
		"The (quick) [brown] {fox} jumps!", "Over the $43,456.78 <lazy> #90 dog",
		"& duck/goose, as 12.5% of E-mail", "from aspammer@website.com is spam.",
		"Der „schnelle” braune Fuchs springt", "über den faulen Hund. Le renard brun",
		"«rapide» saute par-dessus le chien", "paresseux. La volpe marrone rapida",
		"salta sopra il cane pigro. El zorro", "marrón rápido salta sobre el perro",
		"perezoso. A raposa marrom rápida", "salta sobre o cão preguiçoso."},
	"img/tesseract--phototest.tif":           photo,
	"img/tesseract--phototest-rotated-R.png": photo,
	"img/tesseract--8087_054.3B.tif": {
		"d a t e l i n e", `"This is Greater Serbia," yet they didn't take the city.`},
	"img/tika--testRotated+10.png":     {"Its had resolving otherwise she contented therefore"},
	"img/tika--testTIFF_multipage.tif": {"Page 2"},
	"img/ocrmypdf--typewriter.png":     linzen,
}

var (
	linn = []string{"The LinnSequencer", "32 Track MIDI Sequence Recorder",
		"The LinnSequencer is a state-of-the-art composition and performance tool for the professional musician."}
	linzen = []string{"Linzensoep a la Waterman", "4 ons linzen", "3 liter water"}
	photo  = []string{"This is a lot of 12 point text to test the", "ocr code and see if it works on all types",
		"of file format.", "The quick brown dog jumped over the lazy fox."}
)

// scanned reports whether a manifest category names a scan or an image.
func scanned(category string) bool {
	for c := range strings.SplitSeq(category, ";") {
		switch c {
		case "scanned", "mixed-scan", "image", "image-only":
			return true
		}
	}
	return false
}

// row is one file's line of the table.
type row struct {
	path, category string
	pages          []int   // OCR'd pages
	words          int     // words recognised
	conf           float64 // mean of the OCR'd pages' confidences
	note           string  // the reason, or what else was found
	took           time.Duration
	ours, cli      float64 // CER; -1 when not measured
	lines          int
	cliTook        time.Duration
}

func run(ctx context.Context, dir string, timeout time.Duration, stdout, stderr io.Writer) error {
	if dir == "" {
		fmt.Fprintln(stderr, "corpusocr: no corpus (set $ANSOKAN_CORPUS or put shared/corpus beside the project); nothing to do")
		return nil
	}
	eng, err := scan.Find()
	if err != nil {
		fmt.Fprintln(stderr, "corpusocr: skipped:", err, "(Debian: tesseract-ocr tesseract-ocr-swe)")
		return nil
	}
	entries, err := corpus.Manifest(dir)
	if err != nil {
		return err
	}
	var rows []row
	for _, e := range entries {
		if !scanned(e.Category) {
			continue
		}
		fmt.Fprintln(stderr, "reading", e.Path)
		r := row{path: e.Path, category: e.Category, ours: -1, cli: -1}
		text := readAnsokan(filepath.Join(dir, e.Path), &r)
		if lines := stated[e.Path]; len(lines) > 0 {
			r.lines = len(lines)
			r.ours = cer(lines, text)
			start := time.Now()
			out, err := tesseractCLI(ctx, eng, filepath.Join(dir, e.Path), timeout)
			r.cliTook = time.Since(start)
			if err != nil {
				r.note = strings.TrimSpace(r.note + "; tesseract CLI: " + err.Error())
			} else {
				r.cli = cer(lines, out)
			}
		}
		rows = append(rows, r)
	}
	report(stdout, eng, rows)
	return nil
}

// readAnsokan reads one file as ansokan extract does (in this process)
// and returns its text: every block's and table cell's, furniture
// included, one line each.
func readAnsokan(path string, r *row) string {
	start := time.Now()
	defer func() { r.took = time.Since(start) }()
	f, err := os.Open(path)
	if err != nil {
		r.note = err.Error()
		return ""
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		r.note = err.Error()
		return ""
	}
	doc, err := anyformat.ReadLimited(f, st.Size(), filepath.Base(path), extractor.DefaultLimits())
	if err != nil {
		r.note = "refused: " + oneLine(err.Error())
		return ""
	}
	var sum float64
	var failed []string
	for _, s := range doc.Scans {
		if s.Err != "" {
			failed = append(failed, fmt.Sprintf("page %d: %s", s.Page, oneLine(s.Err)))
			continue
		}
		r.pages = append(r.pages, s.Page)
		r.words += s.Words
		sum += s.Confidence
	}
	if len(r.pages) > 0 {
		r.conf = sum / float64(len(r.pages))
	}
	var b strings.Builder
	var walk func([]extractor.Block)
	walk = func(bs []extractor.Block) {
		for _, bl := range bs {
			if bl.Text != "" {
				b.WriteString(bl.Text)
				b.WriteByte('\n')
			}
			if bl.Table == nil {
				continue
			}
			for _, row := range bl.Table.Rows {
				for _, c := range row.Cells {
					b.WriteString(c.Text)
					b.WriteByte('\n')
				}
			}
		}
	}
	walk(doc.Blocks)
	walk(doc.Furniture)
	text := b.String()
	switch {
	case len(failed) > 0:
		r.note = strings.Join(failed, "; ")
	case len(doc.Scans) == 0 && len(doc.NoTextPages) == 0:
		r.note = fmt.Sprintf("text layer on every page (%d characters): no OCR needed", len([]rune(text)))
	case len(doc.Scans) == 0:
		r.note = fmt.Sprintf("pages %v without text and not OCR'd", doc.NoTextPages)
	case r.words == 0:
		r.note = "OCR found no words"
	}
	return text
}

// tesseractCLI runs Tesseract's command line on an image file, or on
// each page of a PDF rendered at 300 dpi, and returns the text.
func tesseractCLI(ctx context.Context, eng *scan.Engine, path string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	images := []string{path}
	if strings.HasSuffix(path, ".pdf") {
		tmp, err := os.MkdirTemp("", "corpusocr")
		if err != nil {
			return "", err
		}
		defer os.RemoveAll(tmp)
		if out, err := exec.CommandContext(ctx, "pdftoppm", "-r", "300", "-gray", "-png", path, filepath.Join(tmp, "p")).CombinedOutput(); err != nil {
			return "", fmt.Errorf("pdftoppm %s: %w: %s", filepath.Base(path), err, oneLine(string(out)))
		}
		images, err = filepath.Glob(filepath.Join(tmp, "p*.png"))
		if err != nil || len(images) == 0 {
			return "", fmt.Errorf("pdftoppm %s: no page rendered", filepath.Base(path))
		}
	}
	var text strings.Builder
	for _, img := range images {
		cmd := exec.CommandContext(ctx, eng.Path, img, "-", "-l", eng.Langs)
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return "", fmt.Errorf("tesseract %s: %w: %s", filepath.Base(img), err, oneLine(string(ee.Stderr)))
			}
			return "", fmt.Errorf("tesseract %s: %w", filepath.Base(img), err)
		}
		text.Write(out)
		text.WriteByte('\n')
	}
	return text.String(), nil
}

func report(w io.Writer, eng *scan.Engine, rows []row) {
	var distOurs, distCLI, refLen float64
	fmt.Fprintf(w, "Tesseract %s, models %s (the same for ansokan and the CLI); %s.\n\n", version(eng), eng.Langs, time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintln(w, "| file | category | OCR'd pages | words | mean confidence | ansokan s | stated lines | CER ansokan | CER tesseract CLI | note |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		pages, conf := "–", "–"
		if len(r.pages) > 0 {
			pages = pageList(r.pages)
			conf = fmt.Sprintf("%.1f", r.conf)
		}
		lines, ours, cli := "–", "–", "–"
		if r.lines > 0 {
			lines = fmt.Sprint(r.lines)
			ours = pct(r.ours)
			cli = pct(r.cli)
			ref := float64(refLength(stated[r.path]))
			if r.ours >= 0 && r.cli >= 0 {
				distOurs += r.ours * ref
				distCLI += r.cli * ref
				refLen += ref
			}
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %d | %s | %.1f | %s | %s | %s | %s |\n",
			r.path, r.category, pages, r.words, conf, r.took.Seconds(), lines, ours, cli, strings.ReplaceAll(r.note, "|", "\\|"))
	}
	if refLen > 0 {
		fmt.Fprintf(w, "\nAll stated lines (%d characters): CER ansokan %s, Tesseract CLI %s.\n", int(refLen), pct(distOurs/refLen), pct(distCLI/refLen))
	}
}

func pct(v float64) string {
	if v < 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f %%", 100*v)
}

// pageList writes pages as "1–4, 6".
func pageList(p []int) string {
	var parts []string
	for i := 0; i < len(p); {
		j := i
		for j+1 < len(p) && p[j+1] == p[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d–%d", p[i], p[j]))
		} else {
			parts = append(parts, fmt.Sprint(p[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func version(eng *scan.Engine) string {
	out, err := exec.Command(eng.Path, "--version").Output()
	if err != nil {
		return "?"
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimPrefix(strings.TrimSpace(first), "tesseract ")
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// showText prints both texts of one file, and each stated line's
// distance.
func showText(ctx context.Context, dir, file string, timeout time.Duration, w io.Writer) error {
	eng, err := scan.Find()
	if err != nil {
		return err
	}
	var r row
	ours := readAnsokan(filepath.Join(dir, file), &r)
	cli, err := tesseractCLI(ctx, eng, filepath.Join(dir, file), timeout)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "== ansokan (%s)\n%s\n== tesseract CLI\n%s\n", r.note, ours, cli)
	for _, l := range stated[file] {
		ref := []rune(squash(l))
		fmt.Fprintf(w, "%q: ansokan %d, CLI %d of %d\n", l, bestWindow(ref, []rune(squash(ours))), bestWindow(ref, []rune(squash(cli))), len(ref))
	}
	return nil
}
