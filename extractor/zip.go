package extractor

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// sniffZipParts opens a zip whose head did not name its parts and looks
// at the part names.
func sniffZipParts(r io.ReaderAt, size int64, lim Limits) (Format, error) {
	zr, err := OpenZip(r, size, lim)
	if err != nil {
		return "", err
	}
	var types *zip.File
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/")) // some writers use Windows separators
		switch {
		case name == "mimetype":
			return "", fmt.Errorf("%w: %s", ErrUnsupported, odfKind(f))
		case strings.HasPrefix(name, "word/"):
			return FormatDOCX, nil
		case strings.HasPrefix(name, "xl/"):
			return FormatXLSX, nil
		case name == "[content_types].xml":
			types = f
		}
	}
	// A package with its parts elsewhere: the content type of its main
	// part says what it is.
	if types != nil && types.UncompressedSize64 <= 1<<20 {
		if rc, err := NewZipBudget(lim).Open(types); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, 1<<20))
			rc.Close()
			for _, t := range []struct {
				ct     string
				format Format
			}{
				{"wordprocessingml.document.main+xml", FormatDOCX},
				{"wordprocessingml.template.main+xml", FormatDOCX},
				{"ms-word.document.macroEnabled.main+xml", FormatDOCX},
				{"spreadsheetml.sheet.main+xml", FormatXLSX},
				{"spreadsheetml.template.main+xml", FormatXLSX},
				{"ms-excel.sheet.macroEnabled.main+xml", FormatXLSX},
			} {
				if bytes.Contains(b, []byte(t.ct)) {
					return t.format, nil
				}
			}
		}
	}
	return "", fmt.Errorf("%w: a zip archive that is neither a Word nor an Excel file", ErrUnsupported)
}

// odfKind names an OpenDocument package from its mimetype entry.
func odfKind(f *zip.File) string {
	mime := ""
	if f.UncompressedSize64 <= 128 {
		if rc, err := f.Open(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, 128))
			rc.Close()
			mime = string(b)
		}
	}
	return odfKindFromMime(mime)
}

func odfKindFromMime(mime string) string {
	const pre = "application/vnd.oasis.opendocument."
	switch {
	case strings.HasPrefix(mime, pre+"text"):
		return "an OpenDocument text (.odt) file; save it as .docx or PDF"
	case strings.HasPrefix(mime, pre+"spreadsheet"):
		return "an OpenDocument spreadsheet (.ods) file; save it as .xlsx"
	case strings.HasPrefix(mime, pre+"presentation"):
		return "an OpenDocument presentation (.odp) file; save it as PDF"
	}
	return "an OpenDocument file; save it as .docx, .xlsx or PDF"
}

// OpenZip opens a .docx or .xlsx package with the zip limits applied:
// the entry count declared by the end-of-central-directory record is
// checked before the directory is read, then the entry count and the sum
// of the declared uncompressed sizes. The bytes actually inflated are
// counted by a ZipBudget.
func OpenZip(r io.ReaderAt, size int64, lim Limits) (*zip.Reader, error) {
	if n, ok := zipDeclaredEntries(r, size); ok && n > uint64(lim.MaxZipEntries) {
		return nil, LimitErr("MaxZipEntries", "the package has %d entries, more than %d", n, lim.MaxZipEntries)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: broken zip archive: %v", ErrCorrupt, err)
	}
	if len(zr.File) > lim.MaxZipEntries {
		return nil, LimitErr("MaxZipEntries", "the package has %d entries, more than %d", len(zr.File), lim.MaxZipEntries)
	}
	var total uint64
	for _, f := range zr.File {
		total += min(f.UncompressedSize64, 1<<62) // saturates: at most 10 000 entries
		if total > uint64(lim.MaxZipUncompressedBytes) {
			return nil, LimitErr("MaxZipUncompressedBytes", "the package declares more than %s unpacked", PlainBytes(lim.MaxZipUncompressedBytes))
		}
	}
	return zr, nil
}

// zipDeclaredEntries reads the total entry count from the end of central
// directory record (or its zip64 counterpart). ok is false when the
// record is not found; zip.NewReader then reports the damage.
func zipDeclaredEntries(r io.ReaderAt, size int64) (n uint64, ok bool) {
	const eocdLen = 22
	if size < eocdLen {
		return 0, false
	}
	start := max(0, size-(eocdLen+65535))
	buf := make([]byte, size-start)
	if _, err := r.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
		return 0, false
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return 0, false
	}
	n = uint64(binary.LittleEndian.Uint16(buf[i+10:]))
	if n != 0xFFFF || i < 20 || !bytes.Equal(buf[i-20:i-16], []byte("PK\x06\x07")) {
		return n, true
	}
	// zip64: the locator before the record points at the zip64 record.
	off := int64(binary.LittleEndian.Uint64(buf[i-20+8:]))
	rec := make([]byte, 56)
	if off < 0 || off > size-56 {
		return n, true
	}
	if _, err := r.ReadAt(rec, off); err != nil || !bytes.Equal(rec[:4], []byte("PK\x06\x06")) {
		return n, true
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}

// ZipBudget counts the bytes actually inflated from a package against
// MaxZipUncompressedBytes, whatever the entries' headers declared.
type ZipBudget struct {
	left  int64
	limit int64
}

func NewZipBudget(lim Limits) *ZipBudget {
	return &ZipBudget{left: lim.MaxZipUncompressedBytes, limit: lim.MaxZipUncompressedBytes}
}

// open opens an entry for reading through the budget.
func (b *ZipBudget) Open(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return &zipBudgetReader{rc: rc, b: b}, nil
}

type zipBudgetReader struct {
	rc io.ReadCloser
	b  *ZipBudget
}

func (z *zipBudgetReader) Read(p []byte) (int, error) {
	if z.b.left < 0 {
		return 0, LimitErr("MaxZipUncompressedBytes", "the package unpacks to more than %s", PlainBytes(z.b.limit))
	}
	if int64(len(p)) > z.b.left+1 {
		p = p[:z.b.left+1]
	}
	n, err := z.rc.Read(p)
	z.b.left -= int64(n)
	if z.b.left < 0 {
		return n, LimitErr("MaxZipUncompressedBytes", "the package unpacks to more than %s", PlainBytes(z.b.limit))
	}
	return n, err
}

func (z *zipBudgetReader) Close() error { return z.rc.Close() }
