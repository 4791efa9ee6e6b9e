package scan

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
)

// MaxPixels is the largest image read (width × height): 200 MP holds an
// A4 page at 1200 dpi (140 MP). Larger images are refused unless their
// resolution is known and they can be read at 300 dpi instead.
const MaxPixels = 200_000_000

// Resolutions: pages read above maxDPI are scaled down to readDPI before
// OCR: Tesseract reads 300 dpi text as well as 600 dpi, four times
// faster.
const (
	maxDPI  = 400
	readDPI = 300
)

// ErrTooLarge is returned for an image over MaxPixels.
var ErrTooLarge = fmt.Errorf("image too large")

// prepare turns any image into 8-bit grey at no more than maxDPI: the
// image OCR reads. It returns the grey image and its resolution.
func prepare(img image.Image, dpi float64) (*image.Gray, float64, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil, 0, fmt.Errorf("empty image (%dx%d px)", w, h)
	}
	scale := 1.0
	if dpi > maxDPI {
		scale = readDPI / dpi
	}
	if err := CheckPixels(w, h, dpi); err != nil {
		return nil, 0, err
	}
	if scale < 1 {
		return downscale(img, scale), dpi * scale, nil
	}
	return ToGray(img), dpi, nil
}

// ToGray converts an image to 8-bit grey with its origin at (0, 0); an
// *image.Gray at the origin is returned as it is, a JPEG's luma is its
// grey, transparent pixels are paper.
func ToGray(img image.Image) *image.Gray {
	b := img.Bounds()
	if g, ok := img.(*image.Gray); ok && b.Min == (image.Point{}) {
		return g
	}
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.Paletted:
		lut := make([]uint8, len(src.Palette))
		for i, c := range src.Palette {
			lut[i] = color.GrayModel.Convert(c).(color.Gray).Y
		}
		for y := 0; y < b.Dy(); y++ {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			out := g.Pix[y*g.Stride:]
			for x := 0; x < b.Dx(); x++ {
				out[x] = lut[row[x]]
			}
		}
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], src.Y[src.YOffset(b.Min.X, b.Min.Y+y):])
		}
	default:
		// Transparent pixels are paper: draw over white.
		draw.Draw(g, g.Bounds(), image.White, image.Point{}, draw.Src)
		draw.Draw(g, g.Bounds(), img, b.Min, draw.Over)
	}
	return g
}

// downscale reads img at scale (< 1) as grey, each pixel the mean of
// the source pixels it covers (a box filter: thin strokes stay grey
// instead of vanishing). It reads the source row by row, so a 1-bit
// scan of 1 GP never exists as 8-bit grey in memory.
func downscale(img image.Image, scale float64) *image.Gray {
	b := img.Bounds()
	w := max(1, int(float64(b.Dx())*scale+0.5))
	h := max(1, int(float64(b.Dy())*scale+0.5))
	out := image.NewGray(image.Rect(0, 0, w, h))
	sum := make([]uint32, w)
	cnt := make([]uint32, w)
	xmap := make([]int, b.Dx()) // source column → target column
	for x := range xmap {
		xmap[x] = min(w-1, int(float64(x)*float64(w)/float64(b.Dx())))
	}
	row := image.NewGray(image.Rect(0, 0, b.Dx(), 1))
	ty := 0
	flush := func() {
		for x := 0; x < w; x++ {
			if cnt[x] > 0 {
				out.Pix[ty*out.Stride+x] = uint8(sum[x] / cnt[x])
			}
			sum[x], cnt[x] = 0, 0
		}
	}
	for y := 0; y < b.Dy(); y++ {
		t := min(h-1, int(float64(y)*float64(h)/float64(b.Dy())))
		if t != ty {
			flush()
			ty = t
		}
		readRow(img, b.Min.Y+y, row)
		for x, v := range row.Pix[:b.Dx()] {
			sum[xmap[x]] += uint32(v)
			cnt[xmap[x]]++
		}
	}
	flush()
	return out
}

// readRow converts one row of img to grey into row (1 px high).
func readRow(img image.Image, y int, row *image.Gray) {
	b := img.Bounds()
	switch src := img.(type) {
	case *image.Gray:
		copy(row.Pix, src.Pix[src.PixOffset(b.Min.X, y):src.PixOffset(b.Min.X, y)+b.Dx()])
	default:
		sub := image.Rect(b.Min.X, y, b.Max.X, y+1)
		g := ToGray(subImage(img, sub))
		copy(row.Pix, g.Pix[:b.Dx()])
	}
}

func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	g := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(g, g.Bounds(), img, r.Min, draw.Src)
	return g
}

// rotate turns a grey image clockwise by deg (0, 90, 180 or 270).
func rotate(g *image.Gray, deg int) *image.Gray {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	switch deg {
	case 90, 270:
		out := image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := g.Pix[y*g.Stride+x]
				if deg == 90 { // (x, y) → (h-1-y, x)
					out.Pix[x*out.Stride+h-1-y] = v
				} else { // (x, y) → (y, w-1-x)
					out.Pix[(w-1-x)*out.Stride+y] = v
				}
			}
		}
		return out
	case 180:
		out := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Pix[(h-1-y)*out.Stride+w-1-x] = g.Pix[y*g.Stride+x]
			}
		}
		return out
	}
	return g
}

// deskew turns a grey image by -angle degrees about its centre (angle
// is the slope of its text lines, positive when they fall to the right
// in image coordinates), bilinear, same size, paper white outside.
func deskew(g *image.Gray, angle float64) *image.Gray {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	a := angle * math.Pi / 180
	cos, sin := math.Cos(a), math.Sin(a)
	cx, cy := float64(w)/2, float64(h)/2
	for y := 0; y < h; y++ {
		dy := float64(y) + 0.5 - cy
		for x := 0; x < w; x++ {
			dx := float64(x) + 0.5 - cx
			// source = centre + R(angle)·(dest − centre)
			sx := cx + dx*cos - dy*sin - 0.5
			sy := cy + dx*sin + dy*cos - 0.5
			out.Pix[y*out.Stride+x] = bilinear(g, sx, sy)
		}
	}
	return out
}

func bilinear(g *image.Gray, x, y float64) uint8 {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 255
		}
		return float64(g.Pix[y*g.Stride+x])
	}
	v := at(x0, y0)*(1-fx)*(1-fy) + at(x0+1, y0)*fx*(1-fy) + at(x0, y0+1)*(1-fx)*fy + at(x0+1, y0+1)*fx*fy
	return uint8(v + 0.5)
}

// turnPoint maps a point of the skewed image to the deskewed one (the
// inverse of deskew's sampling).
func turnPoint(x, y float64, w, h int, angle float64) (float64, float64) {
	a := angle * math.Pi / 180
	cos, sin := math.Cos(a), math.Sin(a)
	cx, cy := float64(w)/2, float64(h)/2
	dx, dy := x-cx, y-cy
	return cx + dx*cos + dy*sin, cy - dx*sin + dy*cos
}

// binarise splits a grey image into ink (true) and paper by Otsu's
// threshold, never lighter than 200 (a blank page's noise is paper).
func binarise(g *image.Gray) []bool {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	t := inkThreshold(g)
	ink := make([]bool, w*h)
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride:]
		for x := 0; x < w; x++ {
			ink[y*w+x] = int(row[x]) < t
		}
	}
	return ink
}

// otsu returns the threshold (pixels below it are dark) that best splits
// the histogram in two classes.
// inkThreshold is the grey level under which a pixel of g is ink:
// Otsu's threshold, at most 200.
func inkThreshold(g *image.Gray) int {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	var hist [256]int
	for y := 0; y < h; y++ {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+w] {
			hist[v]++
		}
	}
	return min(otsu(hist[:], w*h), 200)
}

func otsu(hist []int, total int) int {
	var sum float64
	for i, n := range hist {
		sum += float64(i * n)
	}
	var sumB, best float64
	var wB int
	t := 128
	for i, n := range hist {
		wB += n
		if wB == 0 {
			continue
		}
		wF := total - wB
		if wF == 0 {
			break
		}
		sumB += float64(i * n)
		mB := sumB / float64(wB)
		mF := (sum - sumB) / float64(wF)
		between := float64(wB) * float64(wF) * (mB - mF) * (mB - mF)
		if between > best {
			best = between
			t = i + 1
		}
	}
	return t
}

// CheckPixels refuses an image of w×h pixels over MaxPixels: call it
// before decoding an image whose size is known (a PDF image's /Width and
// /Height), so a 35000 px square 1-bit scan is refused before it takes
// 1.2 GB as grey. An image over the limit at more than 400 dpi is
// accepted when it fits at 300 dpi (Recognize reads it scaled).
func CheckPixels(w, h int, dpi float64) error {
	px := float64(w) * float64(h)
	if px <= MaxPixels {
		return nil
	}
	if dpi > maxDPI {
		if s := readDPI / dpi; px*s*s <= MaxPixels {
			return nil
		}
	}
	return fmt.Errorf("%w: %dx%d px (%.0f MP, the limit is %d MP)", ErrTooLarge, w, h, px/1e6, MaxPixels/1_000_000)
}
