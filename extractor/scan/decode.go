package scan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/tiff"
)

// maxFrames bounds the pages of one TIFF.
const maxFrames = 500

// ErrImageFormat is returned for bytes that are not a PNG, JPEG or TIFF
// image this package reads.
var ErrImageFormat = errors.New("not a PNG, JPEG or TIFF image")

// DecodeImage decodes an image file: PNG, JPEG or TIFF with every page
// (golang.org/x/image/tiff reads only the first; DecodeImage walks the
// chain of image directories and decodes each in turn). dpi[i] is the
// resolution the file states for frame i (PNG pHYs, JPEG JFIF, TIFF
// XResolution), else a guess from its size (see guessDPI). An image over
// MaxPixels is refused before it is decoded. x/image/tiff cannot read
// JPEG compression: a page in JPEG strips (7) is decoded here, one JPEG
// stream per strip; old-style JPEG (6) and JPEG tiles are an error
// naming the compression.
func DecodeImage(data []byte) (frames []image.Image, dpi []float64, err error) {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		if err := checkSize(data); err != nil {
			return nil, nil, err
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("PNG: %w", err)
		}
		return []image.Image{img}, []float64{orGuess(pngDPI(data), img)}, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		if err := checkSize(data); err != nil {
			return nil, nil, err
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("JPEG: %w", err)
		}
		return []image.Image{img}, []float64{orGuess(jfifDPI(data), img)}, nil
	case bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")):
		return decodeTIFF(data)
	}
	return nil, nil, ErrImageFormat
}

func checkSize(data []byte) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return err
	}
	if px := float64(cfg.Width) * float64(cfg.Height); px > MaxPixels {
		return fmt.Errorf("%w: %dx%d px (%.0f MP, the limit is %d MP)", ErrTooLarge, cfg.Width, cfg.Height, px/1e6, MaxPixels/1_000_000)
	}
	return nil
}

func orGuess(dpi float64, img image.Image) float64 {
	if dpi >= 50 && dpi <= 2400 {
		return dpi
	}
	b := img.Bounds()
	return guessDPI(b.Dx(), b.Dy())
}

// guessDPI guesses the resolution of an image that does not say: a page
// 2000 px wide or more is an A4 scan at 300 dpi; a smaller one is taken
// as a page's width (8.27 in), but never under 70 dpi (a screenshot or
// a cut-out is not a page).
func guessDPI(w, h int) float64 {
	if w >= 2000 {
		return 300
	}
	return max(70, float64(min(w, h))/8.27)
}

// pngDPI reads the pHYs chunk (pixels per metre).
func pngDPI(data []byte) float64 {
	p := 8
	for p+8 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		if typ == "IDAT" || n < 0 || p+12+n > len(data) {
			break
		}
		if typ == "pHYs" && n >= 9 && data[p+8+8] == 1 {
			return float64(binary.BigEndian.Uint32(data[p+8:])) * 0.0254
		}
		p += 12 + n
	}
	return 0
}

// jfifDPI reads a JPEG's JFIF APP0 density.
func jfifDPI(data []byte) float64 {
	if len(data) < 18 || data[2] != 0xFF || data[3] != 0xE0 || string(data[6:11]) != "JFIF\x00" {
		return 0
	}
	x := float64(binary.BigEndian.Uint16(data[14:]))
	switch data[13] {
	case 1:
		return x
	case 2:
		return x * 2.54
	}
	return 0
}

// TIFF tags read here.
const (
	tagWidth       = 256
	tagHeight      = 257
	tagCompression = 259
	tagXResolution = 282
	tagResUnit     = 296

	tagStripOffsets    = 273
	tagRowsPerStrip    = 278
	tagStripByteCounts = 279
	tagTileWidth       = 322
	tagJPEGTables      = 347
)

// tiffValues reads a SHORT or LONG array entry (inline when it fits in
// four bytes).
func tiffValues(data []byte, order binary.ByteOrder, e []byte) ([]uint32, error) {
	typ, n := order.Uint16(e[2:]), order.Uint32(e[4:])
	size := uint32(4)
	if typ == 3 {
		size = 2
	} else if typ != 4 {
		return nil, fmt.Errorf("type %d, not SHORT or LONG", typ)
	}
	if n > 1<<20 {
		return nil, fmt.Errorf("%d values", n)
	}
	src := e[8:12]
	if n*size > 4 {
		p := order.Uint32(e[8:])
		if int64(p)+int64(n*size) > int64(len(data)) {
			return nil, errors.New("values past the end")
		}
		src = data[p : p+n*size]
	}
	out := make([]uint32, n)
	for i := range out {
		if size == 2 {
			out[i] = uint32(order.Uint16(src[i*2:]))
		} else {
			out[i] = order.Uint32(src[i*4:])
		}
	}
	return out, nil
}

// jpegStrips decodes a JPEG-compressed (7) TIFF page strip by strip: each
// strip is a JPEG stream missing the tables it shares with the others
// (JPEGTables), and the page is their greys stacked. A page stored as RGB
// without the YCbCr transform reads as its red channel here, which for a
// scanned document is as good a grey.
func jpegStrips(data []byte, d ifd) (image.Image, error) {
	if len(d.stripOffs) == 0 || len(d.stripOffs) != len(d.stripLens) {
		return nil, errors.New("no strips")
	}
	rows := int(d.rowsPerStrip)
	if rows <= 0 || rows > int(d.height) {
		rows = int(d.height)
	}
	page := image.NewGray(image.Rect(0, 0, int(d.width), int(d.height)))
	for i, off := range d.stripOffs {
		n := d.stripLens[i]
		if int64(off)+int64(n) > int64(len(data)) || n < 4 {
			return nil, fmt.Errorf("strip %d past the end", i+1)
		}
		strip := data[off : off+n]
		var stream []byte
		if len(d.jpegTables) >= 4 {
			// Tables without their EOI, then the strip without its SOI.
			stream = append(append(stream, d.jpegTables[:len(d.jpegTables)-2]...), strip[2:]...)
		} else {
			stream = strip
		}
		img, err := jpeg.Decode(bytes.NewReader(stream))
		if err != nil {
			return nil, fmt.Errorf("strip %d: %w", i+1, err)
		}
		g := toGray(img)
		y0 := i * rows
		if y0 >= page.Rect.Dy() {
			break
		}
		draw.Draw(page, image.Rect(0, y0, page.Rect.Dx(), min(page.Rect.Dy(), y0+g.Rect.Dy())), g, image.Point{}, draw.Src)
	}
	return page, nil
}

// ifd is what DecodeImage needs of one TIFF image directory.
type ifd struct {
	offset        uint32
	width, height uint32
	compression   uint32
	dpi           float64
	// For JPEG compression (7), read here: strips and shared tables.
	rowsPerStrip         uint32
	stripOffs, stripLens []uint32
	jpegTables           []byte
	tiled                bool
}

// decodeTIFF decodes every page: page n by pointing a copy's header at
// the nth directory.
func decodeTIFF(data []byte) ([]image.Image, []float64, error) {
	dirs, err := tiffDirs(data)
	if err != nil {
		return nil, nil, fmt.Errorf("TIFF: %w", err)
	}
	cp := bytes.Clone(data)
	order := byteOrder(data)
	var frames []image.Image
	var dpis []float64
	for i, d := range dirs {
		if px := float64(d.width) * float64(d.height); px > MaxPixels {
			return nil, nil, fmt.Errorf("TIFF page %d: %w: %dx%d px (%.0f MP, the limit is %d MP)", i+1, ErrTooLarge, d.width, d.height, px/1e6, MaxPixels/1_000_000)
		}
		var img image.Image
		switch {
		case d.compression == 7 && !d.tiled:
			img, err = jpegStrips(data, d)
			if err != nil {
				return nil, nil, fmt.Errorf("TIFF page %d (JPEG compression): %w", i+1, err)
			}
		case d.compression == 6 || d.compression == 7:
			return nil, nil, fmt.Errorf("TIFF page %d: JPEG compression (%d, %s) is not supported: convert it first (tiffcp -c lzw in.tif out.tif, or img2pdf)", i+1, d.compression, map[bool]string{true: "tiled", false: "old-style"}[d.tiled])
		default:
			order.PutUint32(cp[4:], d.offset)
			img, err = tiff.Decode(bytes.NewReader(cp))
			if err != nil {
				return nil, nil, fmt.Errorf("TIFF page %d (compression %d): %w", i+1, d.compression, err)
			}
		}
		frames = append(frames, img)
		dpis = append(dpis, orGuess(d.dpi, img))
	}
	return frames, dpis, nil
}

func byteOrder(data []byte) binary.ByteOrder {
	if data[0] == 'M' {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// tiffDirs walks the chain of image directories.
func tiffDirs(data []byte) ([]ifd, error) {
	if len(data) < 8 {
		return nil, errors.New("too short")
	}
	order := byteOrder(data)
	off := order.Uint32(data[4:])
	seen := map[uint32]bool{}
	var dirs []ifd
	for off != 0 {
		if seen[off] {
			return nil, fmt.Errorf("directory %d at offset %d loops back", len(dirs)+1, off)
		}
		seen[off] = true
		if len(dirs) == maxFrames {
			return nil, fmt.Errorf("more than %d pages", maxFrames)
		}
		if int64(off)+2 > int64(len(data)) {
			return nil, fmt.Errorf("directory %d at offset %d is past the end", len(dirs)+1, off)
		}
		n := int(order.Uint16(data[off:]))
		end := int64(off) + 2 + int64(n)*12
		if end+4 > int64(len(data)) {
			return nil, fmt.Errorf("directory %d at offset %d is cut short", len(dirs)+1, off)
		}
		d := ifd{offset: off, compression: 1}
		var xres float64
		unit := uint32(2)
		for k := 0; k < n; k++ {
			e := data[int(off)+2+k*12:]
			tag, typ := order.Uint16(e), order.Uint16(e[2:])
			val := func() uint32 {
				if typ == 3 { // SHORT
					return uint32(order.Uint16(e[8:]))
				}
				return order.Uint32(e[8:])
			}
			switch tag {
			case tagWidth:
				d.width = val()
			case tagHeight:
				d.height = val()
			case tagCompression:
				d.compression = val()
			case tagResUnit:
				unit = val()
			case tagRowsPerStrip:
				d.rowsPerStrip = val()
			case tagStripOffsets, tagStripByteCounts:
				vs, err := tiffValues(data, order, e)
				if err != nil {
					return nil, fmt.Errorf("directory %d, tag %d: %w", len(dirs)+1, tag, err)
				}
				if tag == tagStripOffsets {
					d.stripOffs = vs
				} else {
					d.stripLens = vs
				}
			case tagTileWidth:
				d.tiled = true
			case tagJPEGTables:
				cnt, p := order.Uint32(e[4:]), order.Uint32(e[8:])
				if cnt > 4 && int64(p)+int64(cnt) <= int64(len(data)) {
					d.jpegTables = data[p : p+cnt]
				}
			case tagXResolution:
				if typ == 5 { // RATIONAL, stored at an offset
					p := order.Uint32(e[8:])
					if int64(p)+8 <= int64(len(data)) {
						num, den := order.Uint32(data[p:]), order.Uint32(data[p+4:])
						if den != 0 {
							xres = float64(num) / float64(den)
						}
					}
				}
			}
		}
		switch unit {
		case 2:
			d.dpi = xres
		case 3:
			d.dpi = xres * 2.54
		}
		dirs = append(dirs, d)
		off = order.Uint32(data[end:])
	}
	if len(dirs) == 0 {
		return nil, errors.New("no image directory")
	}
	return dirs, nil
}
