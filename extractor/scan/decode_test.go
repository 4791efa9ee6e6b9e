package scan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/internal/corpus"
)

// tiffPages writes an uncompressed 8-bit grey TIFF, one page per image,
// little-endian; compression is the tag written (1 for the pixels as
// they are; other values to test refusals). xres 0 leaves out the
// resolution.
// With compression 7 each page is one strip, a JPEG stream of its own.
func tiffPages(pages []*image.Gray, compression uint16, xres uint32) []byte {
	le := binary.LittleEndian
	var b bytes.Buffer
	b.WriteString("II*\x00\x00\x00\x00\x00")
	var prevNext int // where the previous directory's next-offset sits
	prevNext = 4
	for _, g := range pages {
		w, h := g.Bounds().Dx(), g.Bounds().Dy()
		dataOff := b.Len()
		pix := g.Pix[:w*h]
		if compression == 7 {
			var j bytes.Buffer
			if err := jpeg.Encode(&j, g, &jpeg.Options{Quality: 95}); err != nil {
				panic(err)
			}
			pix = j.Bytes()
		}
		b.Write(pix)
		resOff := b.Len()
		binary.Write(&b, le, [2]uint32{xres, 1})
		if b.Len()%2 == 1 {
			b.WriteByte(0)
		}
		ifdOff := b.Len()
		out := b.Bytes()
		le.PutUint32(out[prevNext:], uint32(ifdOff))
		type entry struct {
			tag, typ uint16
			n, v     uint32
		}
		es := []entry{
			{256, 4, 1, uint32(w)}, {257, 4, 1, uint32(h)}, {258, 3, 1, 8},
			{259, 3, 1, uint32(compression)}, {262, 3, 1, 1}, {273, 4, 1, uint32(dataOff)},
			{277, 3, 1, 1}, {278, 4, 1, uint32(h)}, {279, 4, 1, uint32(len(pix))},
		}
		if xres > 0 {
			es = append(es, entry{282, 5, 1, uint32(resOff)}, entry{296, 3, 1, 2})
		}
		binary.Write(&b, le, uint16(len(es)))
		for _, e := range es {
			binary.Write(&b, le, e.tag)
			binary.Write(&b, le, e.typ)
			binary.Write(&b, le, e.n)
			if e.typ == 3 {
				binary.Write(&b, le, uint16(e.v))
				binary.Write(&b, le, uint16(0))
			} else {
				binary.Write(&b, le, e.v)
			}
		}
		prevNext = b.Len()
		binary.Write(&b, le, uint32(0))
	}
	return b.Bytes()
}

// grey is a w×h page, paper white, with a dark square whose side is
// mark px: a different page for each mark.
func grey(w, h, mark int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for y := 0; y < mark; y++ {
		for x := 0; x < mark; x++ {
			g.Pix[y*g.Stride+x] = 0
		}
	}
	return g
}

func darkPixels(img image.Image) int {
	g := ToGray(img)
	n := 0
	for _, v := range g.Pix {
		if v < 128 {
			n++
		}
	}
	return n
}

// withPHYs inserts a pHYs chunk (pixels per metre) after a PNG's IHDR.
func withPHYs(t *testing.T, img image.Image, ppm uint32) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	ihdrEnd := 8 + 12 + 13
	chunk := make([]byte, 4+4+9+4)
	binary.BigEndian.PutUint32(chunk, 9)
	copy(chunk[4:], "pHYs")
	binary.BigEndian.PutUint32(chunk[8:], ppm)
	binary.BigEndian.PutUint32(chunk[12:], ppm)
	chunk[16] = 1
	binary.BigEndian.PutUint32(chunk[17:], crc32.ChecksumIEEE(chunk[4:17]))
	return append(append(append([]byte{}, data[:ihdrEnd]...), chunk...), data[ihdrEnd:]...)
}

// withJFIF puts a JFIF APP0 segment (units 1: dots per inch) after a
// JPEG's SOI.
func withJFIF(t *testing.T, img image.Image, dpi uint16) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	app0 := []byte{0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 1, byte(dpi >> 8), byte(dpi), byte(dpi >> 8), byte(dpi), 0, 0}
	if data[2] == 0xFF && data[3] == 0xE0 { // the encoder's own APP0
		n := int(binary.BigEndian.Uint16(data[4:]))
		data = append(data[:2:2], data[4+n:]...)
	}
	return append(append(append([]byte{}, data[:2]...), app0...), data[2:]...)
}

func TestDecodeImage(t *testing.T) {
	page := grey(600, 800, 20)
	tests := []struct {
		name   string
		data   []byte
		marks  []int // dark pixels of each frame
		dpi    []float64
		errIs  error
		errHas string
	}{
		{"png with pHYs", withPHYs(t, page, 11811), []int{400}, []float64{300}, nil, ""},
		{"png, no resolution: a page's width", withPHYs(t, grey(827, 1169, 10), 0), []int{100}, []float64{100}, nil, ""},
		{"empty", nil, nil, nil, ErrImageFormat, ""},
		{"jpeg with JFIF", withJFIF(t, page, 200), []int{400}, []float64{200}, nil, ""},
		{"tiff three pages", tiffPages([]*image.Gray{grey(300, 400, 10), grey(300, 400, 20), grey(300, 400, 30)}, 1, 150), []int{100, 400, 900}, []float64{150, 150, 150}, nil, ""},
		{"tiff no resolution", tiffPages([]*image.Gray{grey(2480, 40, 5)}, 1, 0), []int{25}, []float64{300}, nil, ""},
		{"tiff JPEG strips", tiffPages([]*image.Gray{grey(300, 400, 20), grey(300, 400, 30)}, 7, 200), []int{400, 900}, []float64{200, 200}, nil, ""},
		{"tiff old JPEG", tiffPages([]*image.Gray{grey(30, 40, 5)}, 6, 0), nil, nil, nil, "TIFF page 1: JPEG compression (6, old-style) is not supported"},
		{"tiff loop", func() []byte {
			b := tiffPages([]*image.Gray{grey(30, 40, 5)}, 1, 0)
			off := binary.LittleEndian.Uint32(b[4:])
			binary.LittleEndian.PutUint32(b[len(b)-4:], off)
			return b
		}(), nil, nil, nil, "loops back"},
		{"tiff cut", tiffPages([]*image.Gray{grey(30, 40, 5)}, 1, 0)[:1300], nil, nil, nil, "cut short"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), nil, nil, ErrImageFormat, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frames, dpi, err := DecodeImage(tt.data)
			if tt.errIs != nil || tt.errHas != "" {
				if err == nil || (tt.errIs != nil && !errors.Is(err, tt.errIs)) || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("error %v, want %v / %q", err, tt.errIs, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(frames) != len(tt.marks) {
				t.Fatalf("%d frames, want %d", len(frames), len(tt.marks))
			}
			for i, f := range frames {
				// JPEG blurs the square's edge a little.
				if d := darkPixels(f); d < tt.marks[i]*9/10 || d > tt.marks[i]*11/10 {
					t.Errorf("frame %d: %d dark pixels, want %d", i+1, d, tt.marks[i])
				}
				if dpi[i] < tt.dpi[i]-0.5 || dpi[i] > tt.dpi[i]+0.5 {
					t.Errorf("frame %d: %.1f dpi, want %.0f", i+1, dpi[i], tt.dpi[i])
				}
			}
		})
	}
}

// TestDecodeCorpus: the corpus's CCITT G4 TIFF and its two-page
// JPEG-in-TIFF decode with their stated resolutions.
func TestDecodeCorpus(t *testing.T) {
	dir, ok := corpus.Dir()
	if !ok {
		t.Skipf("no corpus (set %s)", corpus.Env)
	}
	data, err := os.ReadFile(filepath.Join(dir, "img", "tesseract--8087_054.3B.tif"))
	if err != nil {
		t.Fatal(err)
	}
	frames, dpi, err := DecodeImage(data)
	if err != nil || len(frames) != 1 || frames[0].Bounds().Dx() != 2560 || dpi[0] != 300 {
		t.Errorf("G4 TIFF: %d frames, dpi %v, err %v", len(frames), dpi, err)
	}
	data, err = os.ReadFile(filepath.Join(dir, "img", "tika--testTIFF_multipage.tif"))
	if err != nil {
		t.Fatal(err)
	}
	frames, dpi, err = DecodeImage(data)
	// It says 96 dpi, what programs write when they do not know: an
	// 800 px wide page is guessed an A4 page's width, 97 dpi, and read at
	// no less than 100 (PageDPI).
	if err != nil || len(frames) != 2 || frames[1].Bounds().Dx() != 800 || dpi[1] != 100 {
		t.Errorf("JPEG-in-TIFF: %d frames, dpi %v, err %v", len(frames), dpi, err)
	}
	for i, f := range frames {
		// Black text on white: some ink, mostly paper.
		if d := darkPixels(f); d < 1000 || d > 800*600/4 {
			t.Errorf("JPEG-in-TIFF page %d: %d dark pixels", i+1, d)
		}
	}
}

// huge is an image that claims many pixels and holds none.
type huge struct{ w, h int }

func (h huge) ColorModel() color.Model { return color.GrayModel }
func (h huge) Bounds() image.Rectangle { return image.Rect(0, 0, h.w, h.h) }
func (h huge) At(x, y int) color.Color { return color.White }

// SubImage gives downscale its rows quickly.
func (h huge) SubImage(r image.Rectangle) image.Image {
	g := image.NewGray(r)
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	return g
}

func TestPrepare(t *testing.T) {
	tests := []struct {
		name   string
		img    image.Image
		dpi    float64
		w, h   int
		outDPI float64
		errHas string
	}{
		{"grey as it is", grey(100, 80, 4), 150, 100, 80, 150, ""},
		{"600 dpi to 300", grey(1000, 800, 40), 600, 500, 400, 300, ""},
		{"400 dpi stays", grey(1000, 800, 40), 400, 1000, 800, 400, ""},
		{"35000 px square", huge{35000, 35000}, 300, 0, 0, 0, "35000x35000 px (1225 MP, the limit is 200 MP)"},
		{"220 MP at 2400 dpi: read at 300", huge{20000, 11000}, 2400, 2500, 1375, 300, ""},
		{"empty", image.NewGray(image.Rect(0, 0, 0, 10)), 150, 0, 0, 0, "empty image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, dpi, err := prepare(tt.img, tt.dpi)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("error %v, want %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g.Bounds().Dx() != tt.w || g.Bounds().Dy() != tt.h || dpi != tt.outDPI {
				t.Errorf("%dx%d at %.0f dpi, want %dx%d at %.0f", g.Bounds().Dx(), g.Bounds().Dy(), dpi, tt.w, tt.h, tt.outDPI)
			}
		})
	}
}

func TestPageDPI(t *testing.T) {
	tests := []struct {
		name   string
		stated float64
		w, h   int
		want   float64
	}{
		{"stated 300", 300, 2480, 3508, 300},
		{"stated 299.99 (pHYs in metres)", 299.9994, 2480, 3508, 300},
		{"fax 204", 204, 1728, 2200, 204},
		{"72 on an A4 scan at 300", 72, 2480, 3508, 300},
		{"96 on an A4 scan at 150", 96, 1240, 1754, 150},
		{"none, A4 lying at 300", 0, 3508, 2480, 300},
		{"none, a band of a page at 150", 0, 1240, 380, 150},
		{"none, a phone photo", 0, 3024, 4032, 366},
		{"none, a screenshot", 0, 400, 300, 100},
		{"none, 2400 dpi claimed by size", 0, 20000, 28000, 600},
		{"stated 2400: not a scan's", 2400, 2480, 3508, 300},
	}
	for _, tt := range tests {
		if got := PageDPI(tt.stated, tt.w, tt.h); got != tt.want {
			t.Errorf("%s: PageDPI(%v, %d, %d) = %v, want %v", tt.name, tt.stated, tt.w, tt.h, got, tt.want)
		}
	}
}

// TestFrames: a three-page TIFF is listed from its directories (sizes
// and resolutions, no pixels), and any page decodes alone, in any
// order, the file unchanged (the header is pointed at the page's
// directory in a view, not in the bytes).
func TestFrames(t *testing.T) {
	data := tiffPages([]*image.Gray{grey(300, 400, 10), grey(200, 500, 20), grey(300, 400, 30)}, 1, 150)
	orig := bytes.Clone(data)
	fs, err := Frames(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 3 || fs[1].Width != 200 || fs[1].Height != 500 || fs[1].DPI != 150 {
		t.Fatalf("frames %+v", fs)
	}
	for _, i := range []int{2, 0, 1} {
		img, err := fs[i].Decode()
		if err != nil {
			t.Fatal(err)
		}
		want := []int{100, 400, 900}[i]
		if d := darkPixels(img); d != want || img.Bounds().Dx() != fs[i].Width {
			t.Errorf("page %d: %d dark pixels, %d px wide; want %d, %d", i+1, d, img.Bounds().Dx(), want, fs[i].Width)
		}
	}
	if !bytes.Equal(data, orig) {
		t.Error("decoding a page changed the file's bytes")
	}
}
