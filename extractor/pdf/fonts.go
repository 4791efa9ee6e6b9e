package pdf

import (
	"strings"
	"sync"
)

// Widths of the standard fonts that PDFs may use without embedding them
// or giving /Widths (Helvetica/Arial and Courier; Times is approximated
// by Helvetica, close enough for word gaps). Indexed by WinAnsi code.

var pdfHelveticaASCII = [95]float64{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' ' … '/'
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
	278, 278, 584, 584, 584, 556, 1015, // : ; < = > ? @
	667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
	722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
	278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
	334, 260, 334, 584, // { | } ~
}

var (
	pdfStdOnce      sync.Once
	pdfHelveticaStd [256]float64
	pdfCourierStd   [256]float64
)

func pdfStdWidths(base string) *[256]float64 {
	pdfStdOnce.Do(func() {
		for i := range 256 {
			pdfCourierStd[i] = 600
			switch {
			case i >= 32 && i < 127:
				pdfHelveticaStd[i] = pdfHelveticaASCII[i-32]
			case i >= 0xC0:
				pdfHelveticaStd[i] = 556 // accented letters: roughly a lowercase letter
			case i == 0xA0:
				pdfHelveticaStd[i] = 278
			default:
				pdfHelveticaStd[i] = 556
			}
		}
	})
	if strings.Contains(strings.ToLower(base), "courier") {
		return &pdfCourierStd
	}
	return &pdfHelveticaStd
}
