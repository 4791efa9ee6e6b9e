package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/scan"
	"github.com/ledongthuc/pdf"
	"golang.org/x/image/ccitt"
)

// The page image of a scanned page: the scanner's own image when the
// page is one image, decoded here (DCTDecode, FlateDecode samples,
// CCITTFaxDecode), turned the way the page shows it. Anything else
// (JBIG2, JPX, several images, vector drawing) is rendered by pdftoppm.

// pdfMaxPlaced bounds the images recorded per page: a scan has one.
const pdfMaxPlaced = 64

// pdfPlaced is an image drawn on a page: the image XObject (none for an
// inline image) and the CTM it was drawn with, which maps the unit
// square onto the page.
type pdfPlaced struct {
	v      pdf.Value
	ctm    pdfMat
	inline bool
}

// errPDFRender: the embedded image cannot be decoded here; the page is
// rendered instead.
var errPDFRender = errors.New("render the page")

// pdfCoverage is the part of the page box the placed image covers.
func pdfCoverage(pl pdfPlaced, box [4]float64) float64 {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range [][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		x, y := pl.ctm.apply(c[0], c[1])
		x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
	}
	ix := max(0, min(x1, box[2])-max(x0, box[0]))
	iy := max(0, min(y1, box[3])-max(y0, box[1]))
	area := (box[2] - box[0]) * (box[3] - box[1])
	if area <= 0 {
		return 0
	}
	return ix * iy / area
}

// pdfStreamRaw returns a stream's bytes as stored in the file (no filter
// applied). The library does not expose them; its printed form of a
// stream ends in "@offset", the offset of the data in the file it
// opened (data). A file the library decrypts itself is not read this
// way (the caller renders it).
func pdfStreamRaw(v pdf.Value, data []byte) ([]byte, error) {
	s := v.String()
	i := strings.LastIndexByte(s, '@')
	if v.Kind() != pdf.Stream || i < 0 {
		return nil, fmt.Errorf("%w: not a stream", errPDFRender)
	}
	off, err := strconv.ParseInt(s[i+1:], 10, 64)
	n := v.Key("Length").Int64()
	if err != nil || off < 0 || n <= 0 || off > int64(len(data)) {
		return nil, fmt.Errorf("%w: stream data not found", errPDFRender)
	}
	return data[off:min(int64(len(data)), off+n)], nil
}

// pdfImageFilter returns the image's single filter and its parameters
// (DecodeParms may be a dictionary, an indirect one, or an array).
func pdfImageFilter(v pdf.Value) (string, pdf.Value, error) {
	f, p := v.Key("Filter"), v.Key("DecodeParms")
	if p.Kind() == pdf.Null {
		p = v.Key("DP")
	}
	switch f.Kind() {
	case pdf.Null:
		return "", p, nil
	case pdf.Name:
		return f.Name(), p, nil
	case pdf.Array:
		if f.Len() == 1 {
			return f.Index(0).Name(), p.Index(0), nil
		}
	}
	return "", p, fmt.Errorf("%w: filter chain %s", errPDFRender, pdfPanicText(f.String()))
}

// pdfDecodeImage decodes an image XObject into grey pixels as stored
// (first row at the top of the image), refusing one over maxPixels
// before its samples are decoded.
func pdfDecodeImage(v pdf.Value, data []byte, maxPixels int64) (*image.Gray, error) {
	w, h := int(v.Key("Width").Int64()), int(v.Key("Height").Int64())
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("%w: image without a size", errPDFRender)
	}
	if int64(w)*int64(h) > maxPixels {
		return nil, extractor.LimitErr("MaxOCRPixels", "the page image is %d×%d pixels, more than %d million", w, h, maxPixels/1_000_000)
	}
	filter, parms, err := pdfImageFilter(v)
	if err != nil {
		return nil, err
	}
	raw, err := pdfStreamRaw(v, data)
	if err != nil {
		return nil, err
	}
	decodeInv := false
	if d := v.Key("Decode"); d.Len() >= 2 && d.Index(0).Float64() > d.Index(1).Float64() {
		decodeInv = true
	}
	switch filter {
	case "DCTDecode":
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("JPEG image: %w", err)
		}
		if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
			return nil, extractor.LimitErr("MaxOCRPixels", "the page image is %d×%d pixels, more than %d million", cfg.Width, cfg.Height, maxPixels/1_000_000)
		}
		img, err := jpeg.Decode(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("JPEG image: %w", err)
		}
		g := scan.ToGray(img)
		if decodeInv {
			pdfInvert(g)
		}
		return g, nil
	case "CCITTFaxDecode":
		return pdfDecodeCCITT(parms, raw, w, h, decodeInv, maxPixels)
	case "FlateDecode", "":
		return pdfDecodeSamples(v, filter, parms, raw, w, h, decodeInv)
	}
	return nil, fmt.Errorf("%w: %s image", errPDFRender, filter)
}

func pdfDecodeCCITT(parms pdf.Value, raw []byte, w, h int, decodeInv bool, maxPixels int64) (*image.Gray, error) {
	k := parms.Key("K").Int64()
	var sf ccitt.SubFormat
	switch {
	case k < 0:
		sf = ccitt.Group4
	case k == 0:
		sf = ccitt.Group3
	default:
		// Mixed 1-D/2-D Group 3 is not decoded by x/image/ccitt.
		return nil, fmt.Errorf("%w: CCITT Group 3 2-D image", errPDFRender)
	}
	if c := int(parms.Key("Columns").Int64()); c > 0 && c != w {
		w = c
	}
	if r := int(parms.Key("Rows").Int64()); r > 0 && r < h {
		h = r
	}
	if int64(w)*int64(h) > maxPixels {
		return nil, extractor.LimitErr("MaxOCRPixels", "the page image is %d×%d pixels, more than %d million", w, h, maxPixels/1_000_000)
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	opts := &ccitt.Options{Align: parms.Key("EncodedByteAlign").Bool()}
	err := ccitt.DecodeIntoGray(g, bytes.NewReader(raw), ccitt.MSB, sf, opts)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("CCITT image: %w", err)
	}
	// The filter gives 0 for black (BlackIs1 false) and the image's
	// /Decode maps 0 to black; either one turned over inverts the page.
	if parms.Key("BlackIs1").Bool() != decodeInv {
		pdfInvert(g)
	}
	return g, nil
}

// pdfDecodeSamples decodes raw or Flate-compressed samples: 1, 2, 4 or
// 8 bits per component in DeviceGray, CalGray, DeviceRGB, CalRGB,
// DeviceCMYK, ICCBased or Indexed, with the PNG and TIFF predictors, or
// an image mask.
func pdfDecodeSamples(v pdf.Value, filter string, parms pdf.Value, raw []byte, w, h int, decodeInv bool) (*image.Gray, error) {
	mask := v.Key("ImageMask").Bool()
	bpc := int(v.Key("BitsPerComponent").Int64())
	if mask {
		bpc = 1
	}
	ncomp, lookup, err := pdfColorSpace(v.Key("ColorSpace"), mask)
	if err != nil {
		return nil, err
	}
	if bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 {
		return nil, fmt.Errorf("%w: %d bits per component", errPDFRender, bpc)
	}
	pred := int(parms.Key("Predictor").Int64())
	rowBytes := (w*ncomp*bpc + 7) / 8
	stride := rowBytes
	if pred >= 10 {
		stride++
	}
	var src io.Reader = bytes.NewReader(raw)
	if filter == "FlateDecode" {
		zr, err := zlib.NewReader(src)
		if err != nil {
			return nil, fmt.Errorf("Flate image: %w", err)
		}
		src = zr
	}
	// Row by row: the samples of a colour page are several times its
	// grey pixels.
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 0xFF // a short stream leaves the rest of the page white
	}
	line := make([]byte, stride)
	prev := make([]byte, rowBytes)
	row := make([]byte, rowBytes)
	bpp := max(1, ncomp*bpc/8)
	maxv := float64(int(1)<<bpc - 1)
	for y := 0; y < h; y++ {
		if _, err := io.ReadFull(src, line); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			return nil, fmt.Errorf("Flate image: %w", err)
		}
		if pred >= 10 {
			pdfUnpredictPNG(line[0], line[1:], prev, bpp)
			copy(row, line[1:])
		} else {
			copy(row, line)
			if pred == 2 && bpc == 8 {
				for i := bpp; i < len(row); i++ {
					row[i] += row[i-bpp]
				}
			}
		}
		copy(prev, row)
		for x := 0; x < w; x++ {
			var c [4]float64
			for k := 0; k < ncomp; k++ {
				c[k] = float64(pdfSample(row, (x*ncomp+k)*bpc, bpc)) / maxv
			}
			var l float64
			switch {
			case lookup != nil:
				l = lookup[min(int(c[0]*maxv+0.5), len(lookup)-1)]
			case ncomp == 1:
				l = c[0]
			case ncomp == 3:
				l = 0.299*c[0] + 0.587*c[1] + 0.114*c[2]
			case ncomp == 4:
				l = (1 - c[3]) * (1 - (0.299*c[0] + 0.587*c[1] + 0.114*c[2]))
			}
			if decodeInv {
				l = 1 - l
			}
			if mask {
				// Sample 0 paints (in black); 1 leaves the page white.
				if l > 0.5 {
					l = 1
				} else {
					l = 0
				}
			}
			g.Pix[y*g.Stride+x] = uint8(l*255 + 0.5)
		}
	}
	return g, nil
}

// pdfColorSpace returns the components of a colour space and, for an
// Indexed one, the grey of each index.
func pdfColorSpace(cs pdf.Value, mask bool) (int, []float64, error) {
	if mask {
		return 1, nil, nil
	}
	name := cs.Name()
	if cs.Kind() == pdf.Array {
		name = cs.Index(0).Name()
	}
	switch name {
	case "DeviceGray", "CalGray", "G":
		return 1, nil, nil
	case "DeviceRGB", "CalRGB", "RGB":
		return 3, nil, nil
	case "DeviceCMYK", "CMYK":
		return 4, nil, nil
	case "ICCBased":
		n := int(cs.Index(1).Key("N").Int64())
		if n == 1 || n == 3 || n == 4 {
			return n, nil, nil
		}
	case "Indexed", "I":
		base, _, err := pdfColorSpace(cs.Index(1), false)
		if err != nil {
			return 0, nil, err
		}
		hival := int(cs.Index(2).Int64())
		var table []byte
		switch t := cs.Index(3); t.Kind() {
		case pdf.String:
			table = []byte(t.RawString())
		case pdf.Stream:
			rc := t.Reader()
			table, _ = io.ReadAll(io.LimitReader(rc, 4*256))
			rc.Close()
		}
		if hival < 0 || hival > 255 {
			break
		}
		lookup := make([]float64, hival+1)
		for i := range lookup {
			var c [4]float64
			for k := 0; k < base; k++ {
				if j := i*base + k; j < len(table) {
					c[k] = float64(table[j]) / 255
				}
			}
			switch base {
			case 1:
				lookup[i] = c[0]
			case 3:
				lookup[i] = 0.299*c[0] + 0.587*c[1] + 0.114*c[2]
			case 4:
				lookup[i] = (1 - c[3]) * (1 - (0.299*c[0] + 0.587*c[1] + 0.114*c[2]))
			}
		}
		return 1, lookup, nil
	}
	return 0, nil, fmt.Errorf("%w: colour space %s", errPDFRender, pdfPanicText(cs.String()))
}

func pdfSample(row []byte, bit, bpc int) int {
	if bpc == 8 {
		return int(row[bit/8])
	}
	b := row[bit/8]
	shift := 8 - bpc - bit%8
	return int(b>>shift) & (1<<bpc - 1)
}

// pdfUnpredictPNG undoes one row's PNG filter in place.
func pdfUnpredictPNG(kind byte, cur, prev []byte, bpp int) {
	for i := range cur {
		var a, b, c int
		if i >= bpp {
			a = int(cur[i-bpp])
			c = int(prev[i-bpp])
		}
		b = int(prev[i])
		switch kind {
		case 1:
			cur[i] += byte(a)
		case 2:
			cur[i] += byte(b)
		case 3:
			cur[i] += byte((a + b) / 2)
		case 4:
			p := a + b - c
			pa, pb, pc := abs(p-a), abs(p-b), abs(p-c)
			switch {
			case pa <= pb && pa <= pc:
				cur[i] += byte(a)
			case pb <= pc:
				cur[i] += byte(b)
			default:
				cur[i] += byte(c)
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func pdfInvert(g *image.Gray) {
	for i := range g.Pix {
		g.Pix[i] = 255 - g.Pix[i]
	}
}

// pdfUpright turns the image's pixels (first row at the top of the
// image's own space) into the page as it is shown: through the image's
// CTM (which may flip or turn it in quarter turns) and the page's
// /Rotate. It returns the upright image and its resolution, or
// errPDFRender for an image drawn at an angle.
func pdfUpright(src *image.Gray, ctm pdfMat, rotate int) (*image.Gray, float64, error) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	// Directions, in the page's user space, of the image's columns
	// (x growing) and rows (y growing downwards in the image).
	u := [2]float64{ctm[0], ctm[1]}
	v := [2]float64{-ctm[2], -ctm[3]}
	lu, lv := math.Hypot(u[0], u[1]), math.Hypot(v[0], v[1])
	if lu == 0 || lv == 0 {
		return nil, 0, fmt.Errorf("%w: image of no size", errPDFRender)
	}
	axis := func(d [2]float64, l float64) ([2]int, bool) {
		switch {
		case math.Abs(d[1]) < 0.01*l:
			return [2]int{sign(d[0]), 0}, true
		case math.Abs(d[0]) < 0.01*l:
			return [2]int{0, sign(d[1])}, true
		}
		return [2]int{}, false
	}
	du, ok1 := axis(u, lu)
	dv, ok2 := axis(v, lv)
	if !ok1 || !ok2 || (du[0] != 0) == (dv[0] != 0) {
		return nil, 0, fmt.Errorf("%w: image drawn at an angle", errPDFRender)
	}
	dpi := (float64(w)/(lu/72) + float64(h)/(lv/72)) / 2
	// /Rotate turns the page clockwise for display: (x, y) → (y, -x).
	for r := ((rotate%360 + 360) % 360) / 90; r > 0; r-- {
		du = [2]int{du[1], -du[0]}
		dv = [2]int{dv[1], -dv[0]}
	}
	// On the shown page x grows to the right, rows grow downwards (-y).
	if du == [2]int{1, 0} && dv == [2]int{0, -1} {
		return src, dpi, nil // as stored: no copy
	}
	ow, oh := w, h
	if du[0] == 0 {
		ow, oh = h, w
	}
	out := image.NewGray(image.Rect(0, 0, ow, oh))
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			var x, y int
			switch {
			case du[0] == 1:
				x = i
			case du[0] == -1:
				x = ow - 1 - i
			case du[1] == -1:
				y = i
			default:
				y = oh - 1 - i
			}
			switch {
			case dv[0] == 1:
				x = j
			case dv[0] == -1:
				x = ow - 1 - j
			case dv[1] == -1:
				y = j
			case dv[1] == 1:
				y = oh - 1 - j
			}
			out.Pix[y*out.Stride+x] = src.Pix[j*src.Stride+i]
		}
	}
	return out, dpi, nil
}

func sign(f float64) int {
	if f < 0 {
		return -1
	}
	return 1
}
