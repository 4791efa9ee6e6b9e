// Command genscan makes the scanned samples: it prints committed sample
// PDFs to page images (pdftoppm), signs the signature places with a drawn
// stroke where the sample's signer signs, turns or skews a page as a
// scanner does, and writes image-only pages: greyscale JPEG (DCTDecode,
// written here) or black-and-white CCITT G4 (tiffcp -c g4, tiff2pdf).
// Partly scanned files keep the digital pages and replace the signature
// pages (qpdf --pages). It writes the ground truth too: the original's
// gold, with `handwritten` true where a stroke was drawn, false on a
// scanned block left unsigned, and the findings a scan adds.
//
// Needs pdftoppm and pdftotext (poppler-utils), qpdf, tiffcp and
// tiff2pdf (libtiff-tools). Run by samples/gen/make-scans.sh; CI never
// runs it: its outputs are committed.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// spec is one scanned sample.
type spec struct {
	stem   string // output stem
	src    string // the digital PDF (a file name in -samples or -work)
	gold   string // the original's gold stem
	pages  []int  // pages to scan; nil: all (fully scanned)
	dpi    int
	bw     bool            // black and white CCITT G4; else grey JPEG
	turn   map[int]bool    // pages stored turned by 90° (landscape pixels)
	skew   map[int]float64 // pages skewed by degrees
	modes  map[string]string
	skip   map[int]bool // stroke places (in order over the scanned pages) left unsigned
	noise  bool
	signed bool // draw strokes at all
	// withBudget copies the original's budget workbook beside the scan
	// (the PDF has no budget pages).
	withBudget bool
}

var specs = []spec{
	{stem: "seed000-samordnat-stod-skannad", src: "seed000-samordnat-stod.pdf", gold: "seed000-samordnat-stod", dpi: 150, noise: true},
	{stem: "seed003-arbetsstegen-skannad", src: "seed003-arbetsstegen.pdf", gold: "seed003-arbetsstegen", dpi: 300, bw: true,
		skew: map[int]float64{2: 2.0}, signed: true, modes: map[string]string{"(namn)": "below"}},
	{stem: "c-vagen-vidare-skannad", withBudget: true, src: "c-vagen-vidare.pdf", gold: "c-vagen-vidare", dpi: 200, noise: true,
		turn: map[int]bool{1: true}, signed: true, modes: map[string]string{"Namnteckning": "columns"}},
	{stem: "a-sprangbradan-delskannad", withBudget: true, src: "a-sprangbradan.pdf", gold: "a-sprangbradan", pages: []int{4, 5, 6, 7}, dpi: 200,
		signed: true, noise: true, modes: map[string]string{"(namn)": "below"}},
	{stem: "g-ett-steg-till-delskannad", withBudget: true, src: "g-ett-steg-till.pdf", gold: "g-ett-steg-till", pages: []int{2}, dpi: 300, bw: true,
		signed: true, modes: map[string]string{"Namnteckning": "below", "Underskrift": "right"}},
	{stem: "e-bron-till-arbete-delskannad", withBudget: true, src: "e-bron-till-arbete.pdf", gold: "e-bron-till-arbete", pages: []int{2}, dpi: 200,
		signed: true, noise: true, skip: map[int]bool{3: true}, modes: map[string]string{"Namnteckning": "columns"}},
}

func main() {
	samples := flag.String("samples", "samples", "the samples folder (digital PDFs in, scanned PDFs and gold out)")
	work := flag.String("work", "", "folder with PDFs not committed as samples (seed003-arbetsstegen.pdf)")
	only := flag.String("only", "", "make only this stem")
	budgets := flag.Bool("budgets", false, "write only the budget workbooks beside the scans")
	flag.Parse()
	for _, s := range specs {
		if *only != "" && s.stem != *only {
			continue
		}
		if *budgets {
			if err := s.copyBudget(*samples); err != nil {
				fmt.Fprintf(os.Stderr, "genscan: %s: %v\n", s.stem, err)
				os.Exit(1)
			}
			continue
		}
		if err := s.make(*samples, *work); err != nil {
			fmt.Fprintf(os.Stderr, "genscan: %s: %v\n", s.stem, err)
			os.Exit(1)
		}
		fmt.Println("wrote", s.stem)
	}
}

func (s spec) make(samples, work string) error {
	src := filepath.Join(samples, s.src)
	if _, err := os.Stat(src); err != nil && work != "" {
		src = filepath.Join(work, s.src)
	}
	n, err := pageCount(src)
	if err != nil {
		return err
	}
	scan := map[int]bool{}
	if s.pages == nil {
		for p := 1; p <= n; p++ {
			scan[p] = true
		}
	} else {
		for _, p := range s.pages {
			scan[p] = true
		}
	}
	tmp, err := os.MkdirTemp("", "genscan")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	rng := rand.New(rand.NewPCG(uint64(len(s.stem)), 15))
	place := 0
	var strokes []bool // per stroke place, in order: drawn or not
	var qargs []string
	for p := 1; p <= n; p++ {
		if !scan[p] {
			qargs = append(qargs, src, strconv.Itoa(p))
			continue
		}
		img, err := render(src, p, s.dpi, tmp)
		if err != nil {
			return err
		}
		if s.signed {
			places, err := signPlaces(src, p, s.modes)
			if err != nil {
				return err
			}
			for _, r := range places {
				drawn := !s.skip[place]
				strokes = append(strokes, drawn)
				place++
				if drawn {
					stroke(img, r, float64(s.dpi)/72, rng)
				}
			}
		}
		if s.noise {
			speckle(img, rng)
		}
		if d := s.skew[p]; d != 0 {
			img = skew(img, d)
		}
		if s.turn[p] {
			img = turn90(img)
		}
		out := filepath.Join(tmp, fmt.Sprintf("page-%03d.pdf", p))
		if s.bw {
			err = writeG4(img, s.dpi, out, tmp)
		} else {
			err = writeJPEG(img, s.dpi, out)
		}
		if err != nil {
			return err
		}
		qargs = append(qargs, out, "1")
	}
	dst := filepath.Join(samples, s.stem+".pdf")
	args := append([]string{"--deterministic-id", "--empty", "--pages"}, qargs...)
	args = append(args, "--", dst)
	if out, err := exec.Command("qpdf", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("qpdf: %v: %s", err, out)
	}
	// The workbook travels beside the form, as the applicant sent it,
	// unless the PDF carries the budget's pages itself (the seeds).
	if err := s.copyBudget(samples); err != nil {
		return err
	}
	return s.writeGold(samples, strokes, n, scan)
}

// copyBudget puts the original's budget workbook beside the scan, as the
// applicant sent it, with the document title marking it as the scanned
// application's: a byte-identical copy would be the same file to every
// content-addressed store (the queue keeps one copy of equal files).
func (s spec) copyBudget(samples string) error {
	if !s.withBudget {
		return nil
	}
	wb, err := excelize.OpenFile(filepath.Join(samples, s.gold+"-budget.xlsx"))
	if err != nil {
		return err
	}
	defer wb.Close()
	if err := wb.SetDocProps(&excelize.DocProperties{Title: "Budget (" + s.stem + ")"}); err != nil {
		return err
	}
	return wb.SaveAs(filepath.Join(samples, s.stem+"-budget.xlsx"))
}

// writeGold writes the scanned sample's ground truth from the original's.
func (s spec) writeGold(samples string, strokes []bool, pages int, scan map[int]bool) error {
	b, err := os.ReadFile(filepath.Join(samples, "gold", s.gold+".json"))
	if err != nil {
		return err
	}
	var g map[string]any
	if err := json.Unmarshal(b, &g); err != nil {
		return err
	}
	sigs, _ := g["signatures"].([]any)
	findings, _ := g["findings"].([]any)
	// Stroke places are in page order, one per block, in the order the
	// blocks appear, which is the gold's order on every sample here
	// except column tables, where it is the header's order (also the
	// gold's).
	i := 0
	for _, x := range sigs {
		sig := x.(map[string]any)
		if !s.signed {
			// Scanned as it was (an e-signed print): no ink where
			// anyone signs. An e-signed block is not judged by its ink,
			// so no finding follows.
			sig["handwritten"] = false
			continue
		}
		if i >= len(strokes) {
			return fmt.Errorf("%d signature blocks in the gold, %d signature places found", len(sigs), len(strokes))
		}
		sig["handwritten"] = strokes[i]
		if !strokes[i] && sig["electronic"] != true {
			// An unsigned block is an error: the application is not
			// complete, whatever the original's gold said.
			findings = append(findings, map[string]any{"code": "signature.missing", "subject": sig["organisation"]})
			g["complete"] = false
		}
		i++
	}
	if s.signed && i != len(strokes) {
		return fmt.Errorf("%d signature blocks in the gold, %d signature places found", i, len(strokes))
	}
	findings = append(findings, map[string]any{"code": "document.no_text", "subject": s.stem + ".pdf"})
	g["findings"] = findings
	out, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(samples, "gold", s.stem+".json"), append(out, '\n'), 0o644)
}

func pageCount(pdf string) (int, error) {
	out, err := exec.Command("qpdf", "--show-npages", pdf).Output()
	if err != nil {
		return 0, fmt.Errorf("qpdf --show-npages %s: %w", pdf, err)
	}
	return strconv.Atoi(strings.TrimSpace(string(out)))
}

func render(pdf string, page, dpi int, tmp string) (*image.Gray, error) {
	out, err := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), "-gray", "-png", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-singlefile", pdf).Output()
	if err != nil {
		return nil, fmt.Errorf("pdftoppm page %d: %w", page, err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		return nil, err
	}
	g, ok := img.(*image.Gray)
	if !ok {
		g = image.NewGray(img.Bounds())
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				g.Set(x, y, img.At(x, y))
			}
		}
	}
	return g, nil
}

// A word of pdftotext -bbox, in points from the page's top-left.
type word struct {
	X0 float64 `xml:"xMin,attr"`
	Y0 float64 `xml:"yMin,attr"`
	X1 float64 `xml:"xMax,attr"`
	Y1 float64 `xml:"yMax,attr"`
	T  string  `xml:",chardata"`
}

type rect struct{ x0, y0, x1, y1 float64 } // points, top-left origin

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// signPlaces finds where the signers sign on a page: the places after
// each signature label, in reading order. modes says, per label word,
// where the place is: "below" (the empty row or line under the label),
// "right" (the value cell beside it) or "columns" (one place per party
// column of a column-per-party table, found from the dates of the row
// above).
func signPlaces(pdf string, page int, modes map[string]string) ([]rect, error) {
	out, err := exec.Command("pdftotext", "-bbox", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), pdf, "-").Output()
	if err != nil {
		return nil, fmt.Errorf("pdftotext -bbox page %d: %w", page, err)
	}
	var words []word
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "word" {
			var w word
			if err := dec.DecodeElement(&w, &se); err == nil {
				words = append(words, w)
			}
		}
	}
	var places []rect
	for i, w := range words {
		key := w.T
		if strings.HasSuffix(key, "(namn)") {
			key = "(namn)" // "Insatsägare (namn)", "Samverkanspart(namn)"
		}
		mode, ok := modes[key]
		if !ok {
			continue
		}
		if w.T == "Underskrift" && i+1 < len(words) && words[i+1].T == "(*)" {
			continue // the section's heading, not a label
		}
		x0 := w.X0
		if w.T == "(namn)" && i > 0 {
			x0 = words[i-1].X0
		}
		switch mode {
		case "below":
			next := 1e9
			for _, v := range words {
				if v.Y0 > w.Y1+1 && v.X1 > x0 && v.X0 < x0+200 {
					next = min(next, v.Y0)
				}
			}
			places = append(places, rect{x0 + 8, w.Y1 + 1, x0 + 120, min(next-1, w.Y1+30)})
		case "right":
			next := 1e9
			for _, v := range words {
				if v.Y0 > w.Y1+1 && v.X0 < w.X1+250 && v.X1 > w.X1 {
					next = min(next, v.Y0)
				}
			}
			places = append(places, rect{w.X1 + 30, w.Y0 - 2, w.X1 + 150, min(next-2, w.Y1+24)})
		case "columns":
			for _, v := range words {
				if dateRe.MatchString(v.T) && v.X0 > w.X1 && w.Y0-v.Y0 > 3 && w.Y0-v.Y0 < 16 {
					places = append(places, rect{v.X0 + 2, w.Y0 - 3, v.X0 + 70, w.Y1 + 4})
				}
			}
		}
	}
	return places, nil
}

// stroke draws a signature-like stroke in r (points), scale pixels a point.
func stroke(img *image.Gray, r rect, scale float64, rng *rand.Rand) {
	w, h := (r.x1-r.x0)*scale, (r.y1-r.y0)*scale
	x0, y0 := r.x0*scale, r.y0*scale
	pen := max(1.5, 0.9*scale) // about 0.6 mm wide at any resolution
	f1, f2 := 2+rng.Float64()*3, 5+rng.Float64()*4
	p1, p2 := rng.Float64()*6, rng.Float64()*6
	steps := int(w * 4)
	for i := 0; i <= steps; i++ {
		t := float64(i) / float64(steps)
		x := x0 + w*(0.05+0.9*t) + 0.06*w*math.Sin(2*math.Pi*f2*t+p2)
		y := y0 + h*(0.5+0.32*math.Sin(2*math.Pi*f1*t+p1)+0.12*math.Sin(2*math.Pi*f2*t))
		disc(img, x, y, pen/2)
	}
}

func disc(img *image.Gray, cx, cy, r float64) {
	b := img.Bounds()
	for y := int(cy - r - 1); y <= int(cy+r+1); y++ {
		for x := int(cx - r - 1); x <= int(cx+r+1); x++ {
			if (float64(x)-cx)*(float64(x)-cx)+(float64(y)-cy)*(float64(y)-cy) <= r*r && image.Pt(x, y).In(b) {
				img.SetGray(x, y, color.Gray{Y: 25})
			}
		}
	}
}

// speckle adds the light grey noise of a scanner glass.
func speckle(img *image.Gray, rng *rand.Rand) {
	for i := range img.Pix {
		if rng.IntN(400) == 0 {
			v := int(img.Pix[i]) - rng.IntN(40)
			img.Pix[i] = uint8(max(0, v))
		}
	}
}

// skew turns the page by deg degrees about its centre, white outside.
func skew(src *image.Gray, deg float64) *image.Gray {
	b := src.Bounds()
	dst := image.NewGray(b)
	a := deg * math.Pi / 180
	sin, cos := math.Sin(a), math.Cos(a)
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := cos*dx+sin*dy+cx, -sin*dx+cos*dy+cy
			ix, iy := int(sx+0.5), int(sy+0.5)
			v := uint8(255)
			if ix >= 0 && iy >= 0 && ix < b.Dx() && iy < b.Dy() {
				v = src.Pix[iy*src.Stride+ix]
			}
			dst.Pix[y*dst.Stride+x] = v
		}
	}
	return dst
}

// turn90 stores the page turned a quarter clockwise, as a scanner fed the
// sheet sideways does (landscape pixels, no /Rotate).
func turn90(src *image.Gray) *image.Gray {
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	dst := image.NewGray(image.Rect(0, 0, h, w))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dst.Pix[x*dst.Stride+(h-1-y)] = src.Pix[y*src.Stride+x]
		}
	}
	return dst
}

// writeJPEG writes a one-page PDF holding the image as DCTDecode.
func writeJPEG(img *image.Gray, dpi int, out string) error {
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, img, &jpeg.Options{Quality: 70}); err != nil {
		return err
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	pw, ph := float64(w)*72/float64(dpi), float64(h)*72/float64(dpi)
	content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n", pw, ph)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>", pw, ph),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", w, h, jb.Len(), jb.String()),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
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
	return os.WriteFile(out, b.Bytes(), 0o644)
}

// writeG4 thresholds the page to black and white and writes a one-page
// PDF with the CCITT G4 image (an uncompressed 1-bit TIFF written here,
// compressed by tiffcp, wrapped by tiff2pdf).
func writeG4(img *image.Gray, dpi int, out, tmp string) error {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	rowBytes := (w + 7) / 8
	bits := make([]byte, rowBytes*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if img.Pix[y*img.Stride+x] < 140 {
				bits[y*rowBytes+x/8] |= 0x80 >> (x % 8) // WhiteIsZero: 1 is black
			}
		}
	}
	var t bytes.Buffer
	le := func(v any) { _ = writeLE(&t, v) }
	t.WriteString("II")
	le(uint16(42))
	le(uint32(8))
	type ent struct {
		tag, typ uint16
		n, v     uint32
	}
	dataOff := uint32(8 + 2 + 11*12 + 4 + 16)
	ents := []ent{
		{256, 4, 1, uint32(w)}, {257, 4, 1, uint32(h)}, {258, 3, 1, 1}, {259, 3, 1, 1}, {262, 3, 1, 0},
		{273, 4, 1, dataOff}, {277, 3, 1, 1}, {278, 4, 1, uint32(h)}, {279, 4, 1, uint32(len(bits))},
		{282, 5, 1, 8 + 2 + 11*12 + 4}, {283, 5, 1, 8 + 2 + 11*12 + 4 + 8},
	}
	le(uint16(len(ents)))
	for _, e := range ents {
		le(e.tag)
		le(e.typ)
		le(e.n)
		le(e.v)
	}
	le(uint32(0))
	le(uint32(dpi))
	le(uint32(1))
	le(uint32(dpi))
	le(uint32(1))
	t.Write(bits)
	raw := filepath.Join(tmp, "raw.tif")
	g4 := filepath.Join(tmp, "g4.tif")
	if err := os.WriteFile(raw, t.Bytes(), 0o644); err != nil {
		return err
	}
	if o, err := exec.Command("tiffcp", "-c", "g4", raw, g4).CombinedOutput(); err != nil {
		return fmt.Errorf("tiffcp: %v: %s", err, o)
	}
	if o, err := exec.Command("tiff2pdf", "-o", out, g4).CombinedOutput(); err != nil {
		return fmt.Errorf("tiff2pdf: %v: %s", err, o)
	}
	return nil
}

func writeLE(w *bytes.Buffer, v any) error {
	bw := bufio.NewWriter(w)
	var b []byte
	switch x := v.(type) {
	case uint16:
		b = []byte{byte(x), byte(x >> 8)}
	case uint32:
		b = []byte{byte(x), byte(x >> 8), byte(x >> 16), byte(x >> 24)}
	}
	bw.Write(b)
	return bw.Flush()
}
