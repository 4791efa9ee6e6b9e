// Command corpusreport reads every file of the shared robustness corpus
// (shared/corpus, see its README and MANIFEST.tsv) with ansokan's
// extractor and, where they are on PATH, with pdftotext (PDF) and pandoc
// (.docx; pandoc has no .xlsx reader), and prints a Markdown report: a
// table of outcomes by format, the files a peer read but ansokan did
// not, and the slowest files. Corpus files are read in place, never
// copied.
//
//	go run ./tools/corpusreport [-corpus ../shared/corpus] [-timeout 60s] > report.md
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/internal/corpus"
)

func main() {
	def, _ := corpus.Dir()
	dir := flag.String("corpus", def, "corpus `DIR` (holds MANIFEST.tsv; default $ANSOKAN_CORPUS, else ../shared/corpus beside the project)")
	timeout := flag.Duration("timeout", time.Minute, "time allowed per file and tool")
	flag.Parse()
	if err := run(context.Background(), *dir, *timeout, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "corpusreport:", err)
		os.Exit(1)
	}
}

// entry is one corpus file as the manifest describes it.
type entry struct {
	path, format, container, category string
}

// outcome is what one tool made of one file.
type outcome struct {
	class  string // see the class* constants
	reason string // one line: the error, or what was found
	chars  int    // characters of text read
	took   time.Duration
}

const (
	classFull        = "read fully"
	classFindings    = "read with findings"
	classEncrypted   = "encrypted"
	classCorrupt     = "corrupt"
	classUnsupported = "unsupported"
	classLimit       = "limit"
	classEmpty       = "empty"
	classPanic       = "panic"
	classHung        = "hung"
	classPeerRead    = "read"
	classPeerNoText  = "no text"
	classPeerFailed  = "failed"
	classNoPeer      = "no reader"
)

type result struct {
	entry
	ansokan, peer outcome
	peerName      string
}

func run(ctx context.Context, dir string, timeout time.Duration, stdout, stderr io.Writer) error {
	rows, err := corpus.Manifest(dir)
	if err != nil {
		return err
	}
	entries := make([]entry, len(rows))
	for i, r := range rows {
		entries[i] = entry{path: r.Path, format: r.Format, container: r.Container, category: r.Category}
	}
	_, errPDF := exec.LookPath("pdftotext")
	_, errPandoc := exec.LookPath("pandoc")
	var results []result
	for i, e := range entries {
		fmt.Fprintf(stderr, "\r%d/%d %-70.70s", i+1, len(entries), e.path)
		path := filepath.Join(dir, e.path)
		r := result{entry: e, ansokan: readAnsokan(path, timeout)}
		switch {
		case e.format == "pdf" && errPDF == nil:
			r.peerName = "pdftotext"
			r.peer = readPeer(ctx, timeout, "pdftotext", "-q", "-enc", "UTF-8", path, "-")
		case e.format == "docx" && errPandoc == nil:
			r.peerName = "pandoc"
			r.peer = readPeer(ctx, timeout, "pandoc", "-f", "docx", "-t", "plain", path)
		default:
			r.peer = outcome{class: classNoPeer}
		}
		results = append(results, r)
	}
	fmt.Fprintln(stderr)
	report(stdout, results, errPDF == nil, errPandoc == nil)
	return nil
}

// readAnsokan reads one file with ReadLimited and the default limits,
// behind recover, in a goroutine the report stops waiting for after
// timeout (the limits should make that impossible).
func readAnsokan(path string, timeout time.Duration) outcome {
	type res struct {
		doc *extractor.Document
		err error
		pan any
	}
	ch := make(chan res, 1)
	start := time.Now()
	go func() {
		defer func() {
			if x := recover(); x != nil {
				ch <- res{pan: x}
			}
		}()
		f, err := os.Open(path)
		if err != nil {
			ch <- res{err: err}
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			ch <- res{err: err}
			return
		}
		doc, err := anyformat.ReadLimited(f, st.Size(), filepath.Base(path), extractor.DefaultLimits())
		ch <- res{doc: doc, err: err}
	}()
	var r res
	select {
	case r = <-ch:
	case <-time.After(timeout):
		return outcome{class: classHung, reason: "no result after " + timeout.String(), took: timeout}
	}
	o := outcome{took: time.Since(start)}
	switch {
	case r.pan != nil:
		o.class, o.reason = classPanic, oneLine(fmt.Sprint(r.pan))
	case r.err != nil:
		o.reason = oneLine(r.err.Error())
		switch {
		case errors.Is(r.err, extractor.ErrEncrypted):
			o.class = classEncrypted
		case errors.Is(r.err, extractor.ErrLimit):
			o.class = classLimit
		case errors.Is(r.err, extractor.ErrUnsupported):
			o.class = classUnsupported
		case errors.Is(r.err, extractor.ErrEmpty):
			o.class = classEmpty
		default:
			o.class = classCorrupt
		}
	default:
		o.chars = docChars(r.doc)
		switch {
		case len(r.doc.NoTextPages) > 0:
			o.class = classFindings
			o.reason = fmt.Sprintf("%d of %d pages without text", len(r.doc.NoTextPages), r.doc.Pages)
			// Pages read by OCR say so, with their mean confidence.
			read, conf := 0, 0.0
			for _, s := range r.doc.Scans {
				if s.Err == "" {
					read++
					conf += s.Confidence
				}
			}
			if read > 0 {
				o.reason += fmt.Sprintf(", %d read by OCR (confidence %.0f)", read, conf/float64(read))
			}
		case o.chars == 0:
			o.class = classFindings
			o.reason = "no text"
		default:
			o.class = classFull
		}
	}
	return o
}

// docChars counts the letters and digits in a document (body and
// furniture, table cells included).
func docChars(d *extractor.Document) int {
	n := 0
	var walk func([]extractor.Block)
	walk = func(bs []extractor.Block) {
		for _, b := range bs {
			n += alnum(b.Text)
			if b.Table != nil {
				for _, row := range b.Table.Rows {
					for _, c := range row.Cells {
						if c.Blocks != nil {
							walk(c.Blocks)
						} else {
							n += alnum(c.Text)
						}
					}
				}
			}
		}
	}
	walk(d.Blocks)
	walk(d.Furniture)
	return n
}

// readPeer runs a peer tool; read means exit 0 with text on stdout.
func readPeer(ctx context.Context, timeout time.Duration, name string, args ...string) outcome {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	o := outcome{took: time.Since(start)}
	o.chars = alnum(strings.ToValidUTF8(out.String(), ""))
	switch {
	case ctx.Err() != nil:
		o.class, o.reason = classPeerFailed, "no result after "+timeout.String()
	case err != nil:
		o.class, o.reason = classPeerFailed, oneLine(firstLine(errb.String())+" ("+err.Error()+")")
	case o.chars == 0:
		o.class = classPeerNoText
	default:
		o.class = classPeerRead
	}
	return o
}

// alnum counts letters and digits: the text, without the layout (table
// rules, spacing) that each tool draws its own way.
func alnum(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "?")), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:160]) + "…"
	}
	return s
}

func report(w io.Writer, results []result, havePDF, havePandoc bool) {
	formats := []string{"pdf", "docx", "xlsx"}
	fmt.Fprintln(w, "## Corpus comparison")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "ansokan: `ReadLimited` with `DefaultLimits()`. Peers: `pdftotext` (poppler) for PDF, `pandoc -t plain` for .docx;")
	fmt.Fprintln(w, "pandoc has no .xlsx reader. A peer has read a file when it exits 0 with non-empty text.")
	if !havePDF {
		fmt.Fprintln(w, "pdftotext was not on PATH.")
	}
	if !havePandoc {
		fmt.Fprintln(w, "pandoc was not on PATH.")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| format | files | read fully | read with findings | refused: encrypted | corrupt | unsupported | limit | empty | panic/hung | peer | peer read | peer no text | peer failed |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, f := range formats {
		var rs []result
		for _, r := range results {
			if r.format == f {
				rs = append(rs, r)
			}
		}
		count := func(class string, peer bool) int {
			n := 0
			for _, r := range rs {
				o := r.ansokan
				if peer {
					o = r.peer
				}
				if o.class == class {
					n++
				}
			}
			return n
		}
		peer := map[string]string{"pdf": "pdftotext", "docx": "pandoc", "xlsx": "none (no pandoc reader)"}[f]
		pr, pn, pf := fmt.Sprint(count(classPeerRead, true)), fmt.Sprint(count(classPeerNoText, true)), fmt.Sprint(count(classPeerFailed, true))
		if f == "xlsx" || (f == "pdf" && !havePDF) || (f == "docx" && !havePandoc) {
			pr, pn, pf = "–", "–", "–"
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s | %s |\n", f, len(rs),
			count(classFull, false), count(classFindings, false), count(classEncrypted, false), count(classCorrupt, false),
			count(classUnsupported, false), count(classLimit, false), count(classEmpty, false),
			count(classPanic, false)+count(classHung, false), peer, pr, pn, pf)
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "### Time per file (ansokan)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| format | median | 95th percentile | max (file) |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, f := range formats {
		var ds []time.Duration
		slowest := ""
		var max time.Duration
		for _, r := range results {
			if r.format != f {
				continue
			}
			ds = append(ds, r.ansokan.took)
			if r.ansokan.took > max {
				max, slowest = r.ansokan.took, filepath.Base(r.path)
			}
		}
		if len(ds) == 0 {
			continue
		}
		slices.Sort(ds)
		fmt.Fprintf(w, "| %s | %v | %v | %v (%s) |\n", f, round(ds[len(ds)/2]), round(ds[len(ds)*95/100]), round(max), slowest)
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "### Read by the peer, not by ansokan")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Files the peer read text from where ansokan refused the file or read no text at all.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| file | category | ansokan | peer letters and digits |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, r := range results {
		if r.peer.class != classPeerRead {
			continue
		}
		a := r.ansokan
		if a.class == classFull || (a.class == classFindings && a.chars > 0) {
			continue
		}
		why := a.class
		if a.reason != "" {
			why += ": " + a.reason
		}
		fmt.Fprintf(w, "| %s | %s | %s | %d |\n", r.path, r.category, strings.ReplaceAll(why, "|", "\\|"), r.peer.chars)
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "### Read, but much less text than the peer")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Both read text, ansokan less than half the peer's letters and digits.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| file | category | ansokan | peer |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, r := range results {
		if r.peer.class == classPeerRead && r.ansokan.chars > 0 && 2*r.ansokan.chars < r.peer.chars {
			fmt.Fprintf(w, "| %s | %s | %d | %d |\n", r.path, r.category, r.ansokan.chars, r.peer.chars)
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "### Refused by ansokan, by reason")
	fmt.Fprintln(w)
	for _, class := range []string{classEncrypted, classCorrupt, classUnsupported, classLimit, classEmpty, classPanic, classHung} {
		var lines []string
		for _, r := range results {
			if r.ansokan.class == class {
				lines = append(lines, fmt.Sprintf("- %s: %s", r.path, r.ansokan.reason))
			}
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "**%s** (%d)\n\n%s\n\n", class, len(lines), strings.Join(lines, "\n"))
	}
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
