package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"

	"github.com/finsam/ansokan/extractor"
	"golang.org/x/image/tiff"
)

// ReadImage reads an image file (PNG, JPEG, TIFF with every frame) as
// the pages of a scan: every frame is a page, read by OCR and laid out
// like a PDF page (lines, paragraphs, tables, furniture). Without OCR
// the document has every page in NoTextPages and each ScanPage says
// why it was not read. A frame over Limits.MaxOCRPixels is that page's
// error; a file with more frames than MaxPDFPages is refused.
//
// TODO(scan): decode with scan.DecodeImage once it lands.
func ReadImage(r io.ReaderAt, size int64, lim extractor.Limits) (*extractor.Document, error) {
	lim = lim.WithDefaults()
	if size > lim.MaxFileBytes {
		return nil, extractor.LimitErr("MaxFileBytes", "the file is %s, more than %s", extractor.PlainBytes(size), extractor.PlainBytes(lim.MaxFileBytes))
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	frames, err := imageFrames(data, lim)
	if err != nil {
		return nil, err
	}
	doc := &extractor.Document{Pages: len(frames)}
	jobs := make([]*pdfScanJob, len(frames))
	for i, f := range frames {
		doc.NoTextPages = append(doc.NoTextPages, i+1)
		jobs[i] = &pdfScanJob{num: i + 1, source: "image", img: func() (*image.Gray, float64, string, error) {
			g, dpi, err := f.decode(lim.MaxOCRPixels)
			return g, dpi, "image", err
		}}
	}
	pdfOCRPages(jobs, lim)
	var read []*pdfPageLines
	for _, j := range jobs {
		if j.page == nil {
			j.page = &pdfPage{num: j.num}
		}
		read = append(read, pdfPrepare(j.page))
		doc.Scans = append(doc.Scans, j.scan)
	}
	pdfLayout(doc, read)
	return doc, nil
}

// imageFrame is one frame of an image file, decoded when asked.
type imageFrame struct {
	data []byte // the file
	kind string
	dpi  float64 // from the file; 0 when it does not say
	// A TIFF frame after the first: its IFD's offset and the file's
	// byte order.
	ifd uint32
	bo  binary.ByteOrder
}

func (f imageFrame) decode(maxPixels int64) (*image.Gray, float64, error) {
	var cfg image.Config
	var err error
	if f.ifd != 0 {
		f.data = tiffAt(f.data, f.bo, f.ifd)
	}
	switch f.kind {
	case "png":
		cfg, err = png.DecodeConfig(bytes.NewReader(f.data))
	case "jpeg":
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(f.data))
	case "tiff":
		cfg, err = tiff.DecodeConfig(bytes.NewReader(f.data))
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s image: %w", f.kind, err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return nil, 0, extractor.LimitErr("MaxOCRPixels", "the image is %d×%d pixels, more than %d million", cfg.Width, cfg.Height, maxPixels/1_000_000)
	}
	var img image.Image
	switch f.kind {
	case "png":
		img, err = png.Decode(bytes.NewReader(f.data))
	case "jpeg":
		img, err = jpeg.Decode(bytes.NewReader(f.data))
	case "tiff":
		img, err = tiff.Decode(bytes.NewReader(f.data))
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s image: %w", f.kind, err)
	}
	dpi := f.dpi
	if dpi < 100 || dpi > 1200 {
		// No resolution, or not a credible one for a scan (72 and 96
		// are what programs write when they do not know): take the
		// image for an A4 page, as scans and photos of a form are.
		dpi = math.Round(max(float64(cfg.Width)/8.27, float64(cfg.Height)/11.69))
		dpi = min(max(dpi, 100), 600)
	}
	return pdfToGray(img), dpi, nil
}

// imageFrames lists the frames of an image file.
func imageFrames(data []byte, lim extractor.Limits) ([]imageFrame, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return []imageFrame{{data: data, kind: "png", dpi: pngDPI(data)}}, nil
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return []imageFrame{{data: data, kind: "jpeg", dpi: jpegDPI(data)}}, nil
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return tiffFrames(data, lim)
	}
	return nil, fmt.Errorf("%w: not a PNG, JPEG or TIFF image", extractor.ErrUnsupported)
}

// pngDPI reads the pHYs chunk (pixels per metre).
func pngDPI(data []byte) float64 {
	for off := 8; off+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[off:]))
		typ := string(data[off+4 : off+8])
		if typ == "pHYs" && n >= 9 && off+8+9 <= len(data) && data[off+16] == 1 {
			return math.Round(float64(binary.BigEndian.Uint32(data[off+8:])) * 0.0254)
		}
		if typ == "IDAT" || n < 0 || n > len(data) {
			return 0
		}
		off += 12 + n
	}
	return 0
}

// jpegDPI reads the JFIF header's density.
func jpegDPI(data []byte) float64 {
	if len(data) < 18 || data[2] != 0xFF || data[3] != 0xE0 || string(data[6:11]) != "JFIF\x00" {
		return 0
	}
	x := float64(binary.BigEndian.Uint16(data[14:]))
	switch data[13] {
	case 1:
		return x
	case 2:
		return math.Round(x * 2.54)
	}
	return 0
}

// tiffFrames lists a TIFF's frames (its chain of IFDs). x/image/tiff
// decodes a file's first IFD only, so each frame is presented as a copy
// of the file whose header points at that frame's IFD.
func tiffFrames(data []byte, lim extractor.Limits) ([]imageFrame, error) {
	var bo binary.ByteOrder = binary.LittleEndian
	if data[0] == 'M' {
		bo = binary.BigEndian
	}
	var frames []imageFrame
	seen := map[uint32]bool{}
	off := bo.Uint32(data[4:])
	for off != 0 {
		if seen[off] || int64(off)+2 > int64(len(data)) {
			break
		}
		seen[off] = true
		if len(frames) >= lim.MaxPDFPages {
			return nil, extractor.LimitErr("MaxPDFPages", "more than %d pages", lim.MaxPDFPages)
		}
		n := int(bo.Uint16(data[off:]))
		end := int64(off) + 2 + 12*int64(n)
		if end+4 > int64(len(data)) {
			break
		}
		f := imageFrame{data: data, kind: "tiff", dpi: tiffDPI(data, bo, off, n)}
		if len(frames) > 0 {
			f.ifd, f.bo = off, bo
		}
		frames = append(frames, f)
		off = bo.Uint32(data[end:])
	}
	if len(frames) == 0 {
		return nil, fmt.Errorf("%w: a TIFF image without a page", extractor.ErrCorrupt)
	}
	return frames, nil
}

// tiffAt is a copy of the file with its header pointing at the IFD at
// off, made when the frame is decoded (one copy per OCR worker at a
// time).
func tiffAt(data []byte, bo binary.ByteOrder, off uint32) []byte {
	b := append([]byte(nil), data...)
	bo.PutUint32(b[4:], off)
	return b
}

// tiffDPI reads XResolution (282) and ResolutionUnit (296) of an IFD.
func tiffDPI(data []byte, bo binary.ByteOrder, off uint32, n int) float64 {
	var res float64
	unit := 2
	for i := 0; i < n; i++ {
		e := int(off) + 2 + 12*i
		tag, typ := bo.Uint16(data[e:]), bo.Uint16(data[e+2:])
		switch {
		case tag == 282 && typ == 5:
			p := int64(bo.Uint32(data[e+8:]))
			if p+8 <= int64(len(data)) {
				num, den := bo.Uint32(data[p:]), bo.Uint32(data[p+4:])
				if den != 0 {
					res = float64(num) / float64(den)
				}
			}
		case tag == 296 && typ == 3:
			unit = int(bo.Uint16(data[e+8:]))
		}
	}
	if unit == 3 {
		res *= 2.54
	}
	return math.Round(res)
}
