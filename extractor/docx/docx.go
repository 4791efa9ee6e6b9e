// Package docx reads a .docx file (WordprocessingML) into the
// extractor's document model with a streaming encoding/xml reader: the
// body, content controls, check boxes, lists, tables, notes, headers and
// footers.
package docx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/finsam/ansokan/extractor"
)

// docxMaxFields caps nested complex fields tracked at once (deeper ones
// count but are not tracked). Not a Limits field: nothing is refused.
const docxMaxFields = 256

// errDocxFatal marks a part that is refused as hostile (XML entity
// declarations): the whole package is refused, never read in part, as for
// ErrLimit.
var errDocxFatal = errors.New("refused")

// docxFatal reports whether err refuses the whole package.
func docxFatal(err error) bool {
	return errors.Is(err, extractor.ErrLimit) || errors.Is(err, errDocxFatal)
}

// errDocxPanic marks a panic caught at ReadLimited's boundary (a bug, never
// an expected outcome; tests look for it).
var errDocxPanic = errors.New("docx reader failed")

// Read reads a .docx file (WordprocessingML, transitional or strict)
// into blocks: the main document's body in Blocks (footnotes and endnotes
// appended at the end), the headers and footers of its sections in
// Furniture. Name, Format, SHA256 and Bytes are left for anyformat.Read to
// fill. extractor.DefaultLimits apply.
func Read(r io.ReaderAt, size int64) (*extractor.Document, error) {
	return ReadLimited(r, size, extractor.DefaultLimits())
}

// ReadLimited is Read with the given limits (zero fields take their
// defaults). A file over a limit gives an error wrapping
// extractor.ErrLimit. The document's Name, Format, SHA256 and Bytes are
// left for the caller (extractor/anyformat) to fill.
func ReadLimited(r io.ReaderAt, size int64, lim extractor.Limits) (doc *extractor.Document, err error) {
	defer func() {
		if x := recover(); x != nil {
			msg := fmt.Sprint(x)
			if len(msg) > 200 {
				msg = msg[:200] + "…"
			}
			doc, err = nil, fmt.Errorf("%w: %w: %s", extractor.ErrCorrupt, errDocxPanic, msg)
		}
	}()
	lim = lim.WithDefaults()
	if size > lim.MaxFileBytes {
		return nil, extractor.LimitErr("MaxFileBytes", "the file is %s, more than %s", extractor.PlainBytes(size), extractor.PlainBytes(lim.MaxFileBytes))
	}
	zr, err := extractor.OpenZip(r, size, lim)
	if err != nil {
		return nil, err
	}
	pkg := &docxPackage{files: make(map[string]*zip.File, len(zr.File)), lim: lim, budget: extractor.NewZipBudget(lim)}
	for _, f := range zr.File {
		name := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/"))
		if _, dup := pkg.files[name]; !dup {
			pkg.files[name] = f
		}
	}
	return pkg.read()
}

// docxPackage is an opened Word package.
type docxPackage struct {
	files     map[string]*zip.File // by lower-cased part name
	lim       extractor.Limits
	budget    *extractor.ZipBudget // inflated bytes, against MaxZipUncompressedBytes
	main      string               // main document part name
	rels      map[string]docxRel   // the main part's relationships by id
	styles    *docxStyles
	numbering *docxNumbering
}

type docxRel struct {
	Type, Target string // Target resolved to a part name
}

// openPart opens a part for reading through the package's inflate
// budget. ok is false when the package has no such part.
func (pkg *docxPackage) openPart(name string) (rc io.ReadCloser, ok bool, err error) {
	f := pkg.files[strings.ToLower(name)]
	if f == nil {
		return nil, false, nil
	}
	rc, err = pkg.budget.Open(f)
	if err != nil {
		return nil, true, fmt.Errorf("%w: part %s: %w", extractor.ErrCorrupt, name, err)
	}
	return rc, true, nil
}

// parsePart runs fn over a part's XML. A missing part is not an error
// (fn is not called).
func (pkg *docxPackage) parsePart(name string, fn func(x *docxXML) error) (found bool, err error) {
	rc, ok, err := pkg.openPart(name)
	if !ok || err != nil {
		return ok, err
	}
	defer rc.Close()
	return true, docxParseXML(rc, name, pkg.lim, fn)
}

// docxParseXML runs fn over the XML of the part name read from r.
func docxParseXML(r io.Reader, name string, lim extractor.Limits, fn func(x *docxXML) error) error {
	x, err := newDocxXML(r, name, lim)
	if err != nil {
		return err
	}
	return docxParseErr(name, fn(x))
}

// docxParseErr is the error of a part's parse as the reader reports it.
func docxParseErr(name string, err error) error {
	if err != nil {
		if !errors.Is(err, extractor.ErrCorrupt) && !errors.Is(err, extractor.ErrLimit) {
			err = fmt.Errorf("%w: %s: %w", extractor.ErrCorrupt, name, err)
		}
		return err
	}
	return nil
}

func (pkg *docxPackage) read() (*extractor.Document, error) {
	rootRels, err := pkg.readRels("", "_rels/.rels")
	if err != nil && docxFatal(err) {
		return nil, err
	}
	for _, rel := range rootRels {
		if strings.HasSuffix(rel.Type, "/officeDocument") && pkg.files[strings.ToLower(rel.Target)] != nil {
			pkg.main = rel.Target
			break
		}
	}
	if pkg.main == "" {
		pkg.main = "word/document.xml"
		if pkg.files[pkg.main] == nil {
			return nil, fmt.Errorf("%w: not a Word document: the package has no word/document.xml", extractor.ErrCorrupt)
		}
	}
	dir, base := path.Split(pkg.main)
	pkg.rels, err = pkg.readRels(dir, dir+"_rels/"+base+".rels")
	if err != nil && docxFatal(err) {
		return nil, err
	}
	// Styles and numbering are optional: a package without them (or
	// with broken ones) is read without style names and list markers.
	pkg.styles = &docxStyles{byID: map[string]*docxStyle{}}
	if name := pkg.relTarget("/styles", dir+"styles.xml"); name != "" {
		styles, err := pkg.readStyles(name)
		switch {
		case err != nil && docxFatal(err):
			return nil, err
		case err == nil && styles != nil:
			pkg.styles = styles
		}
	}
	pkg.numbering = &docxNumbering{abstract: map[string]*docxAbstractNum{}, nums: map[string]*docxNum{}}
	if name := pkg.relTarget("/numbering", dir+"numbering.xml"); name != "" {
		if _, err := pkg.parsePart(name, pkg.numbering.parse); err != nil {
			if docxFatal(err) {
				return nil, err
			}
			pkg.numbering = &docxNumbering{abstract: map[string]*docxAbstractNum{}, nums: map[string]*docxNum{}}
		}
	}

	doc := &extractor.Document{Format: extractor.FormatDOCX}
	body := newDocxParser(pkg, &doc.Blocks)
	body.count = true
	if _, err := pkg.parsePart(pkg.main, body.parseRoot); err != nil {
		return nil, &extractor.Error{Paragraph: body.paraN, Err: err}
	}
	if err := pkg.readNotes(body, dir); err != nil {
		return nil, err
	}
	if err := pkg.readFurniture(doc, body.sectRefs); err != nil {
		return nil, err
	}
	return doc, nil
}

// readNotes appends the footnotes and endnotes to the body.
func (pkg *docxPackage) readNotes(body *docxParser, dir string) error {
	for _, n := range []struct{ rel, style string }{{"/footnotes", "footnote text"}, {"/endnotes", "endnote text"}} {
		name := pkg.relTarget(n.rel, "")
		if name == "" {
			continue
		}
		body.noteStyle = n.style
		body.fields, body.fieldOverflow = nil, 0
		if _, err := pkg.parsePart(name, body.parseRoot); err != nil {
			if docxFatal(err) {
				return err
			}
			// A broken notes part loses the notes, not the document.
		}
	}
	body.noteStyle = ""
	return nil
}

// docxStampRe matches a template version stamp such as "v:19-07-10".
var docxStampRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^v\s*[:.]\s*\d{2,4}-\d{2}-\d{2}$`) })

// readFurniture reads the header and footer parts referenced by the
// sections, each distinct part once, into doc.Furniture.
func (pkg *docxPackage) readFurniture(doc *extractor.Document, refs []docxSectRef) error {
	seenPart := map[string]bool{}
	seenText := map[string]bool{}
	for _, ref := range refs {
		rel, ok := pkg.rels[ref.id]
		if !ok || seenPart[rel.Target] {
			continue
		}
		seenPart[rel.Target] = true
		var blocks []extractor.Block
		p := newDocxParser(pkg, &blocks)
		if _, err := pkg.parsePart(rel.Target, p.parseRoot); err != nil {
			if docxFatal(err) {
				return err
			}
			continue // a broken header loses the header, not the document
		}
		var key strings.Builder
		key.WriteString(ref.kind)
		for i := range blocks {
			key.WriteString("\x00")
			key.WriteString(docxBlockText(&blocks[i]))
		}
		if seenText[key.String()] {
			continue
		}
		seenText[key.String()] = true
		for i := range blocks {
			b := &blocks[i]
			b.Furniture = ref.kind
			if b.Kind != extractor.KindTable && docxStampRe().MatchString(strings.TrimSpace(b.Text)) {
				b.Furniture = extractor.FurnitureStamp
			}
			doc.Furniture = append(doc.Furniture, *b)
		}
	}
	return nil
}

// relTarget returns the target of the main part's first relationship
// whose type ends in typeSuffix, or fallback when there is none and the
// fallback part exists.
func (pkg *docxPackage) relTarget(typeSuffix, fallback string) string {
	best := ""
	for id, rel := range pkg.rels {
		// Map order is random: take the smallest id for determinism.
		if strings.HasSuffix(rel.Type, typeSuffix) && pkg.files[strings.ToLower(rel.Target)] != nil && (best == "" || id < best) {
			best = id
		}
	}
	if best != "" {
		return pkg.rels[best].Target
	}
	if fallback != "" && pkg.files[strings.ToLower(fallback)] != nil {
		return fallback
	}
	return ""
}

// readRels reads a relationships part; targets are resolved against dir
// (the source part's folder). External targets are left out.
func (pkg *docxPackage) readRels(dir, name string) (map[string]docxRel, error) {
	rels := map[string]docxRel{}
	_, err := pkg.parsePart(name, func(x *docxXML) error {
		for {
			tok, err := x.next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			t, ok := tok.(xml.StartElement)
			if !ok || t.Name.Local != "Relationship" || strings.EqualFold(docxAttr(t, "TargetMode"), "External") {
				continue
			}
			target := docxAttr(t, "Target")
			if target == "" {
				continue
			}
			if strings.HasPrefix(target, "/") {
				target = path.Clean(target)[1:]
			} else {
				target = path.Clean(dir + target)
			}
			rels[docxAttr(t, "Id")] = docxRel{Type: docxAttr(t, "Type"), Target: strings.ToLower(target)}
		}
	})
	return rels, err
}

// docxXML is a streaming XML decoder with the nesting, element and DTD
// guards applied.
type docxXML struct {
	d     *xml.Decoder
	part  string
	depth int
	elems int
	lim   extractor.Limits

	// local: names are not resolved to their namespaces (see localNames);
	// open holds the names of the open elements then, as written.
	local bool
	open  []xml.Name
	// scan, when set, gives the tokens instead of the decoder (see
	// docxParseStyles).
	scan *docxScanner
}

// localNames is for parsers that look at local names only (styles,
// numbering): the tokens come from the decoder's RawToken, which skips
// namespace resolution (a third of a styles part's parse), and next
// itself makes the checks Token would have made — end tags match their
// start tags, prefix included, and no element is left open at the end —
// with the same errors at the same tokens. Call it before the first next.
func (x *docxXML) localNames() { x.local = docxRawTokens }

// docxRawTokens lets the tests compare localNames with Token.
var docxRawTokens = true

func newDocxXML(r io.Reader, part string, lim extractor.Limits) (*docxXML, error) {
	br := bufio.NewReaderSize(r, 32<<10)
	head, _ := br.Peek(2)
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return nil, fmt.Errorf("%w: %s: UTF-16 XML is not supported", extractor.ErrCorrupt, part)
	}
	d := xml.NewDecoder(br)
	d.Strict = true
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("unsupported XML encoding %q", label)
	}
	return &docxXML{d: d, part: part, lim: lim}, nil
}

// next returns the next token (namespaces resolved, names matched by the
// caller on their local part).
func (x *docxXML) next() (xml.Token, error) {
	var tok xml.Token
	var err error
	switch {
	case x.scan != nil:
		tok, err = x.scan.next()
	case x.local:
		tok, err = x.rawNext()
	default:
		tok, err = x.d.Token()
	}
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		x.depth++
		x.elems++
		if x.depth > x.lim.MaxXMLDepth {
			return nil, extractor.LimitErr("MaxXMLDepth", "%s nests elements deeper than %d", x.part, x.lim.MaxXMLDepth)
		}
		if x.elems > x.lim.MaxXMLElements {
			return nil, extractor.LimitErr("MaxXMLElements", "%s has more than %d elements", x.part, x.lim.MaxXMLElements)
		}
	case xml.EndElement:
		x.depth--
	case xml.Directive:
		if bytes.Contains(t, []byte("ENTITY")) {
			return nil, fmt.Errorf("%w: %w: %s declares XML entities in a DOCTYPE (never written by Word)", extractor.ErrCorrupt, errDocxFatal, x.part)
		}
	}
	return tok, nil
}

// rawNext is Token without namespace resolution: RawToken, and the
// nesting checks Token makes (encoding/xml's Decoder.popElement), with its
// messages.
func (x *docxXML) rawNext() (xml.Token, error) {
	tok, err := x.d.RawToken()
	if tok == nil && err != nil {
		if err == io.EOF && len(x.open) > 0 {
			return nil, x.syntaxError("unexpected EOF")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		x.open = append(x.open, t.Name)
	case xml.EndElement:
		n := len(x.open)
		switch {
		case n == 0:
			return nil, x.syntaxError("unexpected end element </" + t.Name.Local + ">")
		case x.open[n-1].Local != t.Name.Local:
			return nil, x.syntaxError("element <" + x.open[n-1].Local + "> closed by </" + t.Name.Local + ">")
		case x.open[n-1].Space != t.Name.Space:
			ns := t.Name.Space
			if ns == "" {
				ns = `""`
			}
			return nil, x.syntaxError("element <" + x.open[n-1].Local + "> in space " + x.open[n-1].Space +
				" closed by </" + t.Name.Local + "> in space " + ns)
		}
		x.open = x.open[:n-1]
	}
	return tok, nil
}

func (x *docxXML) syntaxError(msg string) error {
	line, _ := x.d.InputPos()
	return &xml.SyntaxError{Msg: msg, Line: line}
}

// skip consumes the rest of the element whose start was just read.
func (x *docxXML) skip() error {
	for n := 1; n > 0; {
		tok, err := x.next()
		if err != nil {
			return docxEOF(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			n++
		case xml.EndElement:
			n--
		}
	}
	return nil
}

// docxEOF turns an end of file inside an element into an error.
func docxEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// docxAttr returns the value of the attribute with the given local name.
func docxAttr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// docxOn reads an OOXML boolean attribute (w:val); a missing value is true.
func docxOn(t xml.StartElement) bool {
	switch strings.ToLower(docxAttr(t, "val")) {
	case "", "1", "true", "on":
		return true
	}
	return false
}
