// Package scan reads scanned pages: it runs Tesseract (a separate
// process, under time and memory limits) on a page image and returns the
// words with their boxes and confidences, the page's ruling lines and the
// ink that is neither (handwriting, stamps), the page's orientation and
// skew. It decodes image files (PNG, JPEG, TIFF with every page) and
// renders PDF pages with pdftoppm when a page is not one embedded image.
//
// It knows nothing of PDF structure or of the application form:
// extractor/pdf hands it page images and turns the words into the same
// positioned text a PDF's text layer gives.
//
// # The pipeline of Recognize
//
//  1. Prepare: any image becomes 8-bit grey. A page read above 400 dpi is
//     scaled to 300 (a box filter, row by row: a 1-bit scan never exists
//     as 8-bit grey at full size); an image over MaxPixels (200 MP) that
//     cannot be scaled so is refused (ocrmypdf's hugemono.pdf, 35000 px
//     square at 300 dpi: 1225 MP).
//  2. Skew: the page is binarised (Otsu, never lighter than 200) and its
//     ink projected across the lines at angles of ±10° (steps of 0.25°,
//     then 0.05°): the sharpest profile is the lines' slope. Above 0.2°
//     the grey page is turned back (bilinear, same size) before OCR, so
//     words, rules and ink share the straightened frame and one printed
//     line's words share their baseline. ocrmypdf--skew.pdf at 150 dpi:
//     1.85°; the tops of a line's words spread 4 px (median; 90th
//     percentile 5 px) instead of 13 (26), words 731 → 724 (fewer split
//     lines), mean confidence 90.8 → 92.7; ocrmypdf--rotated_skew.pdf:
//     −2.80°, spread 38 → 4 px, 696 → 724 words, confidence 89.3 → 92.5;
//     tika--testRotated+10.png: 10.00°, 550 words at 94.8.
//  3. OCR: one tesseract run (--psm 3, TSV, OMP_THREAD_LIMIT=1, the page
//     as PGM on stdin: as fast as PNG there, 2.3-2.7 s either way for a
//     150 dpi A4 page of 40 lines, with nothing to encode here).
//  4. Orientation, only when the pass looks wrong (the page has ink, more
//     than 0.2 % of its pixels, but fewer than 5 words of confidence ≥ 40,
//     a mean confidence under 60, or most long words standing taller than
//     wide: Tesseract reads a page on its side line by line, in upright
//     boxes): OSD (--psm 0 -l osd) says the turn, the page is turned in Go
//     and read again, and the better pass (characters of confident words,
//     weighted by confidence) is kept; a page on its side without OSD
//     goes by the order of its words. tesseract--phototest-rotated-R.png:
//     turned by 270°, 60 of the upright page's 60 words; the four pages of
//     ocrmypdf--cardinal.pdf (0, 90, 180, 270°) all read 723-725 words.
//  5. Words: a word under confidence 40 that is mostly not letters or
//     digits (a signature read as "~/;") and typed lines ("_____") leave
//     Words; Confidence is the mean of the words kept.
//  6. Rules: dark runs at least 1/3 inch long and at most 1 mm thick,
//     horizontal and vertical (a one-pixel dropout does not break them),
//     less those lying in a confident word's box (bold or blurred letters'
//     bottoms).
//  7. Ink: connected dark marks (8-neighbours) outside confident words'
//     boxes and off the rules, at least 0.5 mm across, merged when closer
//     than 2 mm. A signature across its line comes out as ink; the
//     printed name and the line do not (TestSignatureInk).
//
// The Go side (steps 2, 6, 7) takes about 50 ms on a 150 dpi A4 page
// (BenchmarkAnalyse); Recognize of that page 2.5 s on this 2-core machine
// (BenchmarkRecognize), nearly all of it Tesseract.
//
// # Processes
//
// Each tesseract and pdftoppm run is its own process group under a
// wall-clock timeout (DefaultTimeout, 120 s: the group is killed) and an
// address-space limit (DefaultMemory, 1.5 GB, set by 'ulimit -v' in a
// /bin/sh wrapper before exec, so it holds from the program's first
// instruction), with Pdeathsig so a dying ansokan takes it along. A hang,
// a crash, a non-zero exit and output that is not Tesseract's TSV are
// errors naming the reason ("tesseract killed after 120 s", "tesseract
// crashed: signal SIGSEGV (memory limit 1536 MB)"). An Engine is safe for
// concurrent use: each call runs its own processes.
package scan

import (
	"errors"
	"image"
)

// ErrUnavailable is returned when OCR cannot run on this machine: the
// tesseract program or its Swedish model is missing. Its message names
// the Debian packages to install.
var ErrUnavailable = errors.New("OCR unavailable: install tesseract-ocr, tesseract-ocr-swe and tesseract-ocr-osd (Debian)")

// UnavailableSwedish says ErrUnavailable to an officer: scanned pages are
// not read on this machine, and what to install.
const UnavailableSwedish = "Skannade sidor läses inte på den här datorn: installera tesseract-ocr, tesseract-ocr-swe och tesseract-ocr-osd (Debian)"

// Word is one recognised word. Coordinates are pixels of the image as
// read upright (after Rotation and deskew), origin top-left.
type Word struct {
	Text           string
	Conf           float64 // 0-100
	X0, Y0, X1, Y1 int
	// Tesseract's layout: block, paragraph and line numbers (1-based);
	// words of one line share Block, Par and Line.
	Block, Par, Line int
}

// Rect is a rectangle in pixels of the upright image, origin top-left.
type Rect struct {
	X0, Y0, X1, Y1 int
}

// Page is what OCR read on one page image. Coordinates are pixels of
// the upright, straightened image (Width × Height at DPI), origin
// top-left: the input turned clockwise by Rotation, then by -Skew.
type Page struct {
	Width, Height int     // pixels of the upright image
	DPI           float64 // resolution of the image
	Rotation      int     // degrees (clockwise) the image was turned to read upright: 0, 90, 180, 270
	// Skew is the slope of the printed lines that was straightened, in
	// degrees, positive when they fell to the right (clockwise on
	// screen); 0 when under 0.2°.
	Skew       float64
	Words      []Word
	Rules      []Rect // ruling lines (long thin dark runs)
	Ink        []Rect // marks that are neither confident words nor rules
	marks      []Rect // Ink's connected marks before they were merged
	Confidence float64
	// Image is the grey image the coordinates refer to: the input
	// scaled, turned upright and straightened. Whatever measures the
	// words' strokes (bold) reads this image, not the input, whose
	// pixels are elsewhere when the page was turned, skewed or scaled.
	// Drop it when done: it is the size of the page.
	Image *image.Gray
}
