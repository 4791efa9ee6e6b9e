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
package scan

import (
	"errors"
)

// ErrUnavailable is returned when OCR cannot run on this machine: the
// tesseract program or its Swedish model is missing. Its message names
// the Debian packages to install.
var ErrUnavailable = errors.New("OCR unavailable: install tesseract-ocr, tesseract-ocr-swe and tesseract-ocr-osd (Debian)")

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

// Page is what OCR read on one page image.
type Page struct {
	Width, Height int     // pixels of the upright image
	DPI           float64 // resolution of the image
	Rotation      int     // degrees (clockwise) the image was turned to read upright: 0, 90, 180, 270
	Skew          float64 // degrees of skew corrected
	Words         []Word
	Rules         []Rect // ruling lines (long thin dark runs)
	Ink           []Rect // marks that are neither confident words nor rules
	Confidence    float64
}
