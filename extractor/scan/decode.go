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
	"io"
	"math"

	"golang.org/x/image/tiff"
)

// maxFrames bounds the pages of one TIFF.
const maxFrames = 500

// ErrImageFormat is returned for bytes that are not a PNG, JPEG or TIFF
// image this package reads.
var ErrImageFormat = errors.New("not a PNG, JPEG or TIFF image")

// Frame is one page of an image file, read from its header and not yet
// decoded: a 100-page TIFF is 100 Frames and holds no pixels until a
// Frame is decoded.
type Frame struct {
	Width, Height int     // pixels
	DPI           float64 // stated by the file, else guessed (see PageDPI)
	decode        func() (image.Image, error)
}

// Decode decodes the frame's pixels. Frames of one file may be decoded
// concurrently; each call decodes afresh.
func (f Frame) Decode() (image.Image, error) {
	return f.decode()
}

// Frames lists the pages of an image file: PNG, JPEG or TIFF with every
// page (golang.org/x/image/tiff reads only the first; Frames walks the
// chain of image directories, and a frame is decoded by pointing the
// header at its directory, without copying the file). A frame's DPI is
// the resolution the file states (PNG pHYs, JPEG JFIF, TIFF
// XResolution) or a guess from its size (PageDPI). x/image/tiff cannot
// read JPEG compression: a page in JPEG strips (7) is decoded here, one
// JPEG stream per strip; old-style JPEG (6) and JPEG tiles are an error
// naming the compression. Frames checks no pixel limit: the caller
// compares Width × Height with its own before Decode (DecodeImage uses
// MaxPixels).
func Frames(data []byte) ([]Frame, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return single(data, "PNG", png.Decode, pngDPI(data))
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return single(data, "JPEG", jpeg.Decode, jfifDPI(data))
	case bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")):
		return tiffFrames(data)
	}
	return nil, ErrImageFormat
}

func single(data []byte, kind string, decode func(io.Reader) (image.Image, error), dpi float64) ([]Frame, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	return []Frame{{Width: cfg.Width, Height: cfg.Height, DPI: PageDPI(dpi, cfg.Width, cfg.Height), decode: func() (image.Image, error) {
		img, err := decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", kind, err)
		}
		return img, nil
	}}}, nil
}

// DecodeImage decodes every page of an image file (see Frames), each
// with its resolution; a page over MaxPixels is refused before it is
// decoded. It holds every page decoded at once: to read a long TIFF a
// page at a time, use Frames.
func DecodeImage(data []byte) (frames []image.Image, dpi []float64, err error) {
	fs, err := Frames(data)
	if err != nil {
		return nil, nil, err
	}
	for i, f := range fs {
		if err := CheckPixels(f.Width, f.Height, 0); err != nil {
			if len(fs) > 1 {
				err = fmt.Errorf("TIFF page %d: %w", i+1, err)
			}
			return nil, nil, err
		}
		img, err := f.Decode()
		if err != nil {
			return nil, nil, err
		}
		frames = append(frames, img)
		dpi = append(dpi, f.DPI)
	}
	return frames, dpi, nil
}

// PageDPI is the resolution a page image is read at: the one its file
// states (stated) when it is from 100 to 1200 dpi, else a guess that the
// image is an A4 page. 72 and 96 are what programs write when they do
// not know, and a scan is never under 100 dpi. The guess fits the image
// in an A4 page (8.27 × 11.69 in) upright, or lying when it is wider
// than tall by an A4's ratio (1.2 to 1.6); a strip (a band cut from a
// page, a signature line) is taken as a page's width. The guess is kept
// from 100 to 600 dpi.
func PageDPI(stated float64, w, h int) float64 {
	if stated >= 100 && stated <= 1200 {
		return math.Round(stated)
	}
	pw, ph := 8.27, 11.69
	if r := float64(w) / float64(max(h, 1)); r >= 1.2 && r <= 1.6 {
		pw, ph = ph, pw
	}
	dpi := math.Round(max(float64(w)/pw, float64(h)/ph))
	return min(max(dpi, 100), 600)
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
		g := ToGray(img)
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

// tiffFrames lists a TIFF's pages; page n is decoded through a view of
// the file whose header points at the nth directory.
func tiffFrames(data []byte) ([]Frame, error) {
	dirs, err := tiffDirs(data)
	if err != nil {
		return nil, fmt.Errorf("TIFF: %w", err)
	}
	frames := make([]Frame, len(dirs))
	for i, d := range dirs {
		frames[i] = Frame{Width: int(d.width), Height: int(d.height), DPI: PageDPI(d.dpi, int(d.width), int(d.height))}
		frames[i].decode = func() (image.Image, error) {
			switch {
			case d.compression == 7 && !d.tiled:
				img, err := jpegStrips(data, d)
				if err != nil {
					return nil, fmt.Errorf("TIFF page %d (JPEG compression): %w", i+1, err)
				}
				return img, nil
			case d.compression == 6 || d.compression == 7:
				return nil, fmt.Errorf("TIFF page %d: JPEG compression (%d, %s) is not supported: convert it first (tiffcp -c lzw in.tif out.tif, or img2pdf)", i+1, d.compression, map[bool]string{true: "tiled", false: "old-style"}[d.tiled])
			}
			img, err := tiff.Decode(ifdView{data: data, ifd: d.offset})
			if err != nil {
				return nil, fmt.Errorf("TIFF page %d (compression %d): %w", i+1, d.compression, err)
			}
			return img, nil
		}
	}
	return frames, nil
}

// ifdView is a TIFF file whose header points at the directory at ifd:
// what x/image/tiff, which decodes the first directory only, reads to
// decode a later page. It is an io.ReaderAt, which tiff.Decode reads
// in place (no copy of the file).
type ifdView struct {
	data []byte
	ifd  uint32
}

func (v ifdView) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= int64(len(v.data)) {
		return 0, io.EOF
	}
	n := copy(p, v.data[off:])
	// Bytes 4-7 of the header: the first directory's offset.
	for i := max(off, 4); i < min(off+int64(n), 8); i++ {
		var b [4]byte
		byteOrder(v.data).PutUint32(b[:], v.ifd)
		p[i-off] = b[i-4]
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (v ifdView) Read([]byte) (int, error) {
	return 0, errors.New("ifdView is read with ReadAt")
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
