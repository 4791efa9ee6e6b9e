package extractor

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// SniffAt tells the format of a whole file from its content: Sniff on
// its head, then what the head cannot tell — an OLE2 compound file's
// directory (legacy Office or an encrypted package), a zip's part names
// (or its main part's content type) when they lie beyond the head. The
// zip is opened under lim's zip limits. Errors are those of Sniff, or
// what reading the file failed with.
func SniffAt(r io.ReaderAt, size int64, lim Limits) (Format, error) {
	head := make([]byte, min(size, 8192))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	format, err := Sniff(head, "")
	if err != nil && bytes.HasPrefix(head, ole2Magic) {
		return "", SniffOLE2(r, size, head)
	}
	if err != nil {
		return "", err
	}
	if format == "zip" {
		return sniffZipParts(r, size, lim.WithDefaults())
	}
	return format, nil
}

// SniffOLE2 tells what an OLE2 compound file (one whose head starts with
// the OLE2 magic) is: a password-protected Office package (ErrEncrypted)
// or a legacy .doc/.xls/.ppt (ErrUnsupported). It reads the stream names
// from the head and, when they lie beyond it, from the directory.
func SniffOLE2(r io.ReaderAt, size int64, head []byte) error {
	if err := sniffOLE2(head); !strings.HasSuffix(err.Error(), ole2Generic) {
		return err
	}
	return sniffOLE2At(r, size)
}

// Sniff tells the format from the first bytes of a file, not its name.
// PNG, JPEG and TIFF images are formats of their own (read by OCR as
// the pages of a scan); other images are unsupported.
// It returns ErrUnsupported (wrapped, naming what the bytes are) for a
// format ansokan does not read, ErrEncrypted for a password-protected
// Office file and ErrEmpty for no bytes. The name is not used.
func Sniff(head []byte, name string) (Format, error) {
	switch {
	case len(head) == 0:
		return "", ErrEmpty
	case bytes.HasPrefix(head, []byte("%PDF-")) || bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		return FormatPDF, nil
	case head[0] == '%' && pdfHeadlessRe().Match(head[:min(len(head), 1024)]):
		// A PDF that lost its header line but starts with a comment and
		// an object, as some generators write it.
		return FormatPDF, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip(head)
	case bytes.HasPrefix(head, ole2Magic):
		return "", sniffOLE2(head)
	}
	switch kind := imageKind(head); kind {
	case "":
	case "PNG":
		return FormatPNG, nil
	case "JPEG":
		return FormatJPEG, nil
	case "TIFF":
		return FormatTIFF, nil
	default:
		return "", fmt.Errorf("%w: an image (%s) ansokan does not read; send it as PDF, PNG, JPEG or TIFF", ErrUnsupported, kind)
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	lower := bytes.ToLower(text[:min(len(text), 512)])
	switch {
	case bytes.HasPrefix(text, []byte("{\\rtf")):
		return "", fmt.Errorf("%w: an RTF file; save it as .docx or PDF", ErrUnsupported)
	case bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) ||
		(bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("<html"))):
		return "", fmt.Errorf("%w: an HTML page; save it as PDF", ErrUnsupported)
	case bytes.HasPrefix(lower, []byte("<?xml")):
		return "", fmt.Errorf("%w: an XML file, not a Word (.docx) or Excel (.xlsx) package", ErrUnsupported)
	case isPlainText(head):
		return "", fmt.Errorf("%w: a plain text file, not a PDF, Word (.docx) or Excel (.xlsx) file", ErrUnsupported)
	}
	return "", fmt.Errorf("%w: not a PDF, Word (.docx) or Excel (.xlsx) file", ErrUnsupported)
}

var pdfHeadlessRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^%[^\r\n]*[\r\n]+\s*\d+\s+\d+\s+obj\s*<<`) })

var ole2Magic = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")

// sniffOLE2 tells what an OLE2 compound file is from the stream names in
// its head: a legacy .doc/.xls, or an encrypted OOXML package. When the
// directory lies beyond the head, it says only "a legacy Office (OLE2)
// file"; sniffOLE2At reads the directory.
func sniffOLE2(head []byte) error {
	has := func(name string) bool { return bytes.Contains(head, utf16LE(name)) }
	return ole2Kind(has)
}

// sniffOLE2At reads the stream names from the compound file's directory.
func sniffOLE2At(r io.ReaderAt, size int64) error {
	names := map[string]bool{}
	for _, n := range ole2Names(r, size) {
		names[n] = true
	}
	return ole2Kind(func(name string) bool { return names[name] })
}

func ole2Kind(has func(string) bool) error {
	switch {
	case has("EncryptedPackage") || has("EncryptionInfo"):
		return fmt.Errorf("%w: a password-protected Office file", ErrEncrypted)
	case has("WordDocument"):
		return fmt.Errorf("%w: a legacy Word 97-2003 .doc file; save it as .docx or PDF", ErrUnsupported)
	case has("Workbook") || has("Book"):
		return fmt.Errorf("%w: a legacy Excel 97-2003 .xls file; save it as .xlsx", ErrUnsupported)
	case has("PowerPoint Document"):
		return fmt.Errorf("%w: a legacy PowerPoint .ppt file; save it as PDF", ErrUnsupported)
	}
	return fmt.Errorf("%w: %s", ErrUnsupported, ole2Generic)
}

const ole2Generic = "a legacy Office (OLE2) file; save it as .docx, .xlsx or PDF"

// ole2Names lists the names in a compound file's directory (MS-CFB),
// following the directory's sector chain through the first 109 FAT
// sectors the header lists (files up to about 7 MB with 512-byte
// sectors); enough to tell what the file is.
func ole2Names(r io.ReaderAt, size int64) []string {
	hdr := make([]byte, 512)
	if _, err := r.ReadAt(hdr, 0); err != nil || !bytes.HasPrefix(hdr, ole2Magic) {
		return nil
	}
	le32 := func(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	shift := binary.LittleEndian.Uint16(hdr[30:])
	if shift != 9 && shift != 12 {
		return nil
	}
	ss := int64(1) << shift
	perFAT := uint32(ss / 4)
	nFAT := le32(hdr, 44)
	read := func(sector uint32) []byte {
		off := (int64(sector) + 1) * ss
		if sector >= 0xFFFFFFFA || off+ss > size {
			return nil
		}
		b := make([]byte, ss)
		if _, err := r.ReadAt(b, off); err != nil {
			return nil
		}
		return b
	}
	next := func(sector uint32) uint32 {
		i := sector / perFAT
		if i >= 109 || i >= nFAT {
			return 0xFFFFFFFE
		}
		fat := read(le32(hdr, 76+4*int(i)))
		if fat == nil {
			return 0xFFFFFFFE
		}
		return le32(fat, int(sector%perFAT)*4)
	}
	var names []string
	sector := le32(hdr, 48)
	for range 64 {
		b := read(sector)
		if b == nil {
			break
		}
		for e := 0; e+128 <= len(b); e += 128 {
			n := int(binary.LittleEndian.Uint16(b[e+64:]))
			if n < 2 || n > 64 || n%2 != 0 {
				continue
			}
			u := make([]uint16, 0, n/2-1)
			for i := 0; i < n-2; i += 2 {
				u = append(u, binary.LittleEndian.Uint16(b[e+i:]))
			}
			names = append(names, string(utf16.Decode(u)))
		}
		sector = next(sector)
	}
	return names
}

// imageKind names an image format from its magic bytes, or "".
func imageKind(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return "JPEG"
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return "GIF"
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return "TIFF"
	case bytes.HasPrefix(head, []byte("BM")) && len(head) >= 26 && head[14] >= 12 && head[15] == 0 && head[16] == 0:
		return "BMP"
	case len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")):
		return "WebP"
	case len(head) >= 12 && bytes.Equal(head[4:8], []byte("ftyp")):
		switch string(head[8:12]) {
		case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1":
			return "HEIC"
		case "avif", "avis":
			return "AVIF"
		}
	}
	return ""
}

// isPlainText reports whether the head is text: valid UTF-8 (a cut
// character at the end allowed) with no control characters other than
// white space.
func isPlainText(head []byte) bool {
	b := head
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' || r == 0x7F {
			return false
		}
		b = b[n:]
	}
	return true
}

// sniffZip tells docx from xlsx (and .odt/.ods from both) by the names of
// the package's parts, found in the local file headers of the head.
func sniffZip(head []byte) (Format, error) {
	const mime = "mimetypeapplication/vnd.oasis.opendocument."
	switch i := bytes.Index(head, []byte(mime)); {
	case i >= 0:
		return "", fmt.Errorf("%w: %s", ErrUnsupported, odfKindFromMime(string(head[i+len("mimetype"):])))
	case bytes.Contains(head, []byte("word/")):
		return FormatDOCX, nil
	case bytes.Contains(head, []byte("xl/")):
		return FormatXLSX, nil
	}
	// The part names may all sit beyond the head; the caller opens the zip.
	return "zip", nil
}

func utf16LE(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}
