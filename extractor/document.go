// Package extractor holds what the format readers share: the document
// model (ordered blocks — paragraphs, list items, tables — with the page
// furniture — headers, footers, page numbers, template stamps,
// e-signature stamps — kept apart), the sentinel errors and the
// positioned *Error, the Limits every reader works under, content
// sniffing (Sniff, SniffAt), and the limited zip access the Office readers
// use. It knows nothing of the application form; the normalizer gives the
// blocks their meaning.
//
// The readers are one package per format: extractor/pdf, extractor/docx
// and extractor/xlsx, each importing this package for the model and none
// importing another. extractor/anyformat sniffs a file and hands it to
// the right reader (Read, ReadFile, ReadLimited): what callers use.
package extractor

// Format names a supported source format, as the record's source.files[].format.
type Format string

const (
	FormatDOCX Format = "docx"
	FormatPDF  Format = "pdf"
	FormatXLSX Format = "xlsx"
	// Image files read by OCR as the pages of a scan (a signature page
	// sent as a photo, a scanner's multi-page TIFF).
	FormatPNG  Format = "png"
	FormatJPEG Format = "jpeg"
	FormatTIFF Format = "tiff"
)

// IsImage reports whether f is one of the image formats.
func (f Format) IsImage() bool { return f == FormatPNG || f == FormatJPEG || f == FormatTIFF }

// Document is one source file read into blocks.
type Document struct {
	Name   string // file name as given by the caller (base name for evidence)
	Format Format
	SHA256 string // hex digest of the file's bytes
	Bytes  int64
	Pages  int // PDF page count; 0 for other formats

	// Blocks is the body in reading order. Tables hold their cells' own
	// blocks, so nested tables and paragraphs inside cells keep their shape.
	Blocks []Block
	// Furniture is what repeats around the body: page headers and footers,
	// page numbers, template version stamps (v:19-07-10) and e-signature
	// stamps (verification links, "Electronically signed"). Kept apart so
	// the body text is clean, but not thrown away: an e-signature stamp is
	// evidence for the signature checks.
	Furniture []Block
	// NoTextPages lists the 1-based PDF pages that have no text layer at
	// all (scanned or image-only pages). A blank page (neither text nor
	// an image) is not one, unless no page of the file has text.
	NoTextPages []int
	// Scans lists the pages read by OCR (a PDF's pages without a text
	// layer, every page of an image file), in page order, with what the
	// OCR saw on each: confidence, orientation, and the marks that are
	// not text. A page of NoTextPages that is not here (or is here with
	// Err set) could not be read by OCR.
	Scans []ScanPage
	// Sheets lists the workbook's sheet names in order (xlsx only).
	Sheets []string
	// DigitalSignatures are the PDF's cryptographic signatures and
	// document timestamps with their verdicts (PDF only; see
	// extractor/pdfsig).
	DigitalSignatures []DigitalSignature
}

// ScanPage is one page read by OCR. Coordinates are points (1/72 inch)
// from the bottom-left corner of the page as it reads upright (after
// the OCR's rotation and deskew), the same frame as the blocks' X0, X1
// and Y on that page.
type ScanPage struct {
	Page int // 1-based page number in the document
	// Source says where the page image came from: "embedded" (the
	// scanner's image inside the PDF), "rendered" (the page rendered by
	// pdftoppm) or "image" (an image file's frame).
	Source     string
	DPI        float64 // resolution of the image the OCR read
	Confidence float64 // mean word confidence, 0-100 (Tesseract's)
	Words      int     // words recognised
	Rotation   int     // degrees the page was turned to read upright: 0, 90, 180, 270
	Skew       float64 // degrees of skew corrected
	Width      float64 // page width in points, upright
	Height     float64 // page height in points, upright
	// Ink is the marks on the page that are neither recognised words
	// nor ruling lines: handwriting, stamps, logos, speckle over a
	// minimal size. The signature check looks for ink where a
	// signature belongs.
	Ink []Box
	// Err is why the page could not be read by OCR ("" when it was):
	// OCR not installed, the engine's time or memory limit, an image
	// that could not be decoded. The page then has no text.
	Err string
}

// Box is a rectangle in a ScanPage's frame (points, origin bottom-left).
type Box struct {
	X0, Y0, X1, Y1 float64
}

// Kind says what a Block is.
type Kind string

const (
	KindParagraph Kind = "paragraph" // also headings: see Block.Level
	KindListItem  Kind = "list_item"
	KindTable     Kind = "table"
)

// Furniture kinds, for Block.Furniture.
const (
	FurnitureHeader     = "header"
	FurnitureFooter     = "footer"
	FurniturePageNumber = "page_number"
	FurnitureStamp      = "template_stamp" // v:19-07-10
	FurnitureESign      = "esign_stamp"    // sign.visma.net/…, "Electronically signed"
)

// Block is one paragraph, list item or table.
//
// Checkbox states are carried in the text as ☒ (checked) and ☐ (unchecked),
// whatever the source: Word legacy form fields, w14:checkbox content
// controls, Wingdings symbols and typed characters all come out the same.
type Block struct {
	Kind Kind
	// Text of a paragraph or list item: runs joined, soft line breaks as
	// "\n", tabs as "\t", non-breaking and narrow spaces kept as written.
	// Empty for tables.
	Text string
	// Style is the paragraph style as the source names it ("Heading1",
	// "Rubrik 2", "List Bullet"); empty when unknown.
	Style string
	// Level is the heading level (1 = top) from the style's outline level,
	// or inferred from font size and weight in a PDF; 0 for body text.
	Level int
	// Bold is true when the whole paragraph is set in bold.
	Bold bool
	// ListMarker is the rendered marker of a list item ("•", "1.", "a)"),
	// ListLevel its nesting level (0 = outermost).
	ListMarker string
	ListLevel  int
	// Table is set when Kind is KindTable.
	Table *Table
	// Furniture is set on blocks in Document.Furniture (see the Furniture*
	// constants); empty in the body.
	Furniture string
	// Tag is the tag or alias of the innermost content control (w:sdt)
	// around the block, when there is one.
	Tag string

	// Where the block was seen, for a finding's evidence.
	Page      int     // 1-based PDF page; 0 when the format has no pages
	Paragraph int     // 1-based ordinal of the paragraph in a Word body (all paragraphs, cells included)
	Sheet     string  // xlsx sheet name
	X0, X1    float64 // PDF: left and right edge of the text in points; 0 elsewhere
	Y         float64 // PDF: baseline of the first line, points from the page's bottom
	// Above and Below are, in a PDF, the distances in points from the
	// block's first baseline up to the line above it and from its last
	// baseline down to the line below it on the same page: a heading
	// stands closer to the text it opens than to the text before it.
	// 0 when there is no such line (the top or the bottom of the page).
	Above, Below float64
}

// Table is a grid of rows. Cells are laid out on the table's grid: a cell
// spanning several grid columns appears once with Span > 1, and a cell
// continuing a vertical merge from the row above appears with Merged set
// and no content of its own.
type Table struct {
	Rows    []Row
	Columns int    // number of grid columns
	Sheet   string // xlsx: the sheet the table is
	Page    int    // PDF: the page of the first row
}

// Row is one table row.
type Row struct {
	Cells []Cell
	Page  int     // PDF: the page of the row
	Y     float64 // PDF: the baseline of the row
	Num   int     // xlsx: 1-based sheet row number
}

// Cell is one table cell.
type Cell struct {
	// Text is the cell's text: its paragraphs joined by "\n" (nested
	// tables included, rows on lines of their own).
	Text string
	// Blocks is the cell's content in order (paragraphs, list items,
	// nested tables). Readers of flat formats (PDF, xlsx) leave it nil.
	Blocks []Block
	Col    int  // 0-based grid column where the cell starts
	Span   int  // grid columns covered; 1 for an ordinary cell
	Merged bool // continuation of a merge from the row above (or, xlsx, any non-anchor cell of a merged range)

	// Workbook cells.
	Ref     string   // "E7"
	Value   *float64 // the numeric value (cached, or computed when the cache is missing); nil for text and empty cells
	Formula string   // the formula without "=", when the cell has one
	NumFmt  string   // number format code ("#,##0", "0%", "yy-mm-dd")
	IsDate  bool     // the number format is a date format (Value is an Excel serial)

	// PDF cells.
	X0, X1 float64
}

// Size is what the document costs to hold: the bytes of its text (every
// block's, every cell's, the furniture's) and its items (blocks, rows
// and cells, nested ones included). The reading limits MaxDocumentTextBytes
// and MaxDocumentItems, and a submission's limits, bound them.
func (d *Document) Size() (text int64, items int) {
	var walk func([]Block)
	walk = func(bs []Block) {
		for i := range bs {
			b := &bs[i]
			items++
			text += int64(len(b.Text))
			if b.Table == nil {
				continue
			}
			for r := range b.Table.Rows {
				row := &b.Table.Rows[r]
				items++
				for c := range row.Cells {
					cell := &row.Cells[c]
					items++
					text += int64(len(cell.Text))
					walk(cell.Blocks)
				}
			}
		}
	}
	walk(d.Blocks)
	walk(d.Furniture)
	return text, items
}
