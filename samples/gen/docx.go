package main

// A small hand-written WordprocessingML writer: enough of the format to
// produce the application templates the samples imitate (heading styles
// with outline levels, bullet and decimal numbering, tables with shading
// and merges, content controls, legacy form fields, tracked changes,
// hyperlinks, text boxes, header and footer parts with fields, and
// portrait/landscape sections).

import (
	"archive/zip"
	"cmp"
	"fmt"
	"os"
	"strings"
	"time"
)

// Namespaces declared on the document, header and footer roots.
const docxNamespaces = `xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:o="urn:schemas-microsoft-com:office:office" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml" ` +
	`xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:w10="urn:schemas-microsoft-com:office:word" ` +
	`xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" ` +
	`xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`mc:Ignorable="w14 wp14"`

// esc escapes text for XML character data and attribute values.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// run is one w:r with optional formatting. Text may contain "\n" (soft
// line break, w:br) and "\t" (w:tab).
type run struct {
	text   string
	bold   bool
	italic bool
	size   int    // half-points; 0 = style default
	style  string // character style id
	font   string
	raw    string // when set, written as is instead of a text run
}

func (r run) xml() string {
	if r.raw != "" {
		return r.raw
	}
	var pr strings.Builder
	if r.style != "" {
		fmt.Fprintf(&pr, `<w:rStyle w:val="%s"/>`, r.style)
	}
	if r.font != "" {
		fmt.Fprintf(&pr, `<w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s" w:cs="%[1]s"/>`, r.font)
	}
	if r.bold {
		pr.WriteString(`<w:b/><w:bCs/>`)
	}
	if r.italic {
		pr.WriteString(`<w:i/><w:iCs/>`)
	}
	if r.size > 0 {
		fmt.Fprintf(&pr, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, r.size, r.size)
	}
	var b strings.Builder
	b.WriteString("<w:r>")
	if pr.Len() > 0 {
		b.WriteString("<w:rPr>" + pr.String() + "</w:rPr>")
	}
	b.WriteString(textRuns(r.text))
	b.WriteString("</w:r>")
	return b.String()
}

// textRuns renders text inside a w:r: w:t pieces, w:br for "\n", w:tab for "\t".
func textRuns(s string) string {
	var b strings.Builder
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			b.WriteString(`<w:t xml:space="preserve">` + esc(cur.String()) + `</w:t>`)
			cur.Reset()
		}
	}
	for _, r := range s {
		switch r {
		case '\n':
			flush()
			b.WriteString("<w:br/>")
		case '\t':
			flush()
			b.WriteString("<w:tab/>")
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return b.String()
}

// para describes one w:p.
type para struct {
	style     string
	numID     int // direct numbering; 0 = none (or inherited from the style)
	ilvl      int
	align     string // "center", "right"
	keepNext  bool
	pageBreak bool // page break before
	spaceAft  int  // twips; -1 = 0
	shade     string
	sectPr    string // a section break ending with this paragraph
	runs      []run
}

func (p para) xml() string {
	var pr strings.Builder
	if p.style != "" {
		fmt.Fprintf(&pr, `<w:pStyle w:val="%s"/>`, p.style)
	}
	if p.keepNext {
		pr.WriteString(`<w:keepNext/>`)
	}
	if p.pageBreak {
		pr.WriteString(`<w:pageBreakBefore/>`)
	}
	if p.numID > 0 {
		fmt.Fprintf(&pr, `<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr>`, p.ilvl, p.numID)
	}
	if p.shade != "" {
		fmt.Fprintf(&pr, `<w:shd w:val="clear" w:color="auto" w:fill="%s"/>`, p.shade)
	}
	if p.spaceAft != 0 {
		aft := p.spaceAft
		if aft < 0 {
			aft = 0
		}
		fmt.Fprintf(&pr, `<w:spacing w:after="%d"/>`, aft)
	}
	if p.align != "" {
		fmt.Fprintf(&pr, `<w:jc w:val="%s"/>`, p.align)
	}
	pr.WriteString(p.sectPr)
	var b strings.Builder
	b.WriteString("<w:p>")
	if pr.Len() > 0 {
		b.WriteString("<w:pPr>" + pr.String() + "</w:pPr>")
	}
	for _, r := range p.runs {
		b.WriteString(r.xml())
	}
	b.WriteString("</w:p>")
	return b.String()
}

// cell is one table cell: its content XML (paragraphs, content controls)
// and layout.
type cell struct {
	content string // block-level XML; an empty paragraph when ""
	span    int    // gridSpan
	vMerge  string // "restart", "continue" or ""
	shade   string
	width   int // twips; 0 = from the grid
}

// table renders a w:tbl with the given grid column widths.
func table(grid []int, rows [][]cell, opts ...string) string {
	var b strings.Builder
	total := 0
	for _, w := range grid {
		total += w
	}
	b.WriteString("<w:tbl><w:tblPr>")
	b.WriteString(`<w:tblStyle w:val="TableGrid"/>`)
	fmt.Fprintf(&b, `<w:tblW w:w="%d" w:type="dxa"/>`, total)
	b.WriteString(`<w:tblLayout w:type="fixed"/>`)
	b.WriteString(`<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>`)
	for _, o := range opts {
		b.WriteString(o)
	}
	b.WriteString("</w:tblPr><w:tblGrid>")
	for _, w := range grid {
		fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString("</w:tblGrid>")
	for _, row := range rows {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		col := 0
		for _, c := range row {
			span := c.span
			if span < 1 {
				span = 1
			}
			w := c.width
			if w == 0 {
				for i := col; i < col+span && i < len(grid); i++ {
					w += grid[i]
				}
			}
			col += span
			b.WriteString("<w:tc><w:tcPr>")
			fmt.Fprintf(&b, `<w:tcW w:w="%d" w:type="dxa"/>`, w)
			if span > 1 {
				fmt.Fprintf(&b, `<w:gridSpan w:val="%d"/>`, span)
			}
			switch c.vMerge {
			case "restart":
				b.WriteString(`<w:vMerge w:val="restart"/>`)
			case "continue":
				b.WriteString(`<w:vMerge/>`)
			}
			if c.shade != "" {
				fmt.Fprintf(&b, `<w:shd w:val="clear" w:color="auto" w:fill="%s"/>`, c.shade)
			}
			b.WriteString("</w:tcPr>")
			if c.content == "" {
				b.WriteString("<w:p/>")
			} else {
				b.WriteString(c.content)
			}
			b.WriteString("</w:tc>")
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	return b.String()
}

// sectPr renders section properties. Landscape swaps the page size.
func sectPr(landscape bool, marginTwips int) string {
	w, h, orient := 11906, 16838, ""
	if landscape {
		w, h, orient = 16838, 11906, ` w:orient="landscape"`
	}
	return fmt.Sprintf(`<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/>`+
		`<w:footerReference w:type="default" r:id="rIdFooter1"/>`+
		`<w:pgSz w:w="%d" w:h="%d"%s/>`+
		`<w:pgMar w:top="1418" w:right="%d" w:bottom="1418" w:left="%d" w:header="567" w:footer="850" w:gutter="0"/>`+
		`<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>`, w, h, orient, marginTwips, marginTwips)
}

// doc collects the body of one document and its external links.
type doc struct {
	body   strings.Builder
	links  []string // hyperlink targets; rId = rIdLink<n>
	header string   // header text
	stamp  string   // template stamp in the footer, after "Sida X av Y"
	title  string   // docProps title
	author string
	// lastSect is the section properties of the final section.
	lastSect string
	// styles is the styles part; docxStyles when empty.
	styles string
}

func (d *doc) add(xml ...string) {
	for _, x := range xml {
		d.body.WriteString(x)
	}
}

func (d *doc) p(p para) { d.add(p.xml()) }

// text adds a Normal paragraph; "\n" inside becomes a soft line break.
func (d *doc) text(s string) { d.p(para{runs: []run{{text: s}}}) }

// empty adds an empty paragraph.
func (d *doc) empty() { d.add("<w:p/>") }

// heading adds a paragraph in style Heading<level>.
func (d *doc) heading(level int, s string) {
	d.p(para{style: fmt.Sprintf("Heading%d", level), runs: []run{{text: s}}})
}

// bold adds a bold Normal paragraph (a sub-heading that is not a heading).
func (d *doc) bold(s string) { d.p(para{keepNext: true, runs: []run{{text: s, bold: true}}}) }

// bullets adds items in style List Bullet (numbering inherited from the style).
func (d *doc) bullets(items ...string) {
	for _, it := range items {
		d.p(para{style: "ListBullet", runs: []run{{text: it}}})
	}
}

// directBullets adds bullet items with direct numbering (w:numPr) on a
// List Paragraph, as Word does when the bullet button is pressed.
func (d *doc) directBullets(items ...string) {
	for _, it := range items {
		d.p(para{style: "ListParagraph", numID: numBullet, runs: []run{{text: it}}})
	}
}

// numbered adds decimal list items with the given num id.
func (d *doc) numbered(numID int, items ...string) {
	for _, it := range items {
		d.p(para{style: "ListParagraph", numID: numID, runs: []run{{text: it}}})
	}
}

// link registers a hyperlink target and returns its relationship id.
func (d *doc) link(target string) string {
	d.links = append(d.links, target)
	return fmt.Sprintf("rIdLink%d", len(d.links))
}

// Numbering instances defined in numbering.xml.
const (
	numBullet   = 1 // bullets, referenced by the List Bullet style too
	numDecimal  = 2 // 1. 2. 3.
	numDecimal2 = 3 // a second decimal list, restarting at 1
)

func (d *doc) documentXML() string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document ` + docxNamespaces + `><w:body>` + d.body.String() + d.lastSect + `</w:body></w:document>`
}

// fieldRuns renders a complex field (PAGE, NUMPAGES) with a cached result.
func fieldRuns(instr, result string) string {
	return `<w:r><w:fldChar w:fldCharType="begin"/></w:r>` +
		`<w:r><w:instrText xml:space="preserve"> ` + instr + ` </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
		`<w:r><w:t>` + result + `</w:t></w:r>` +
		`<w:r><w:fldChar w:fldCharType="end"/></w:r>`
}

func (d *doc) headerXML() string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:hdr ` + docxNamespaces + `>` +
		para{style: "Header", runs: []run{{text: d.header}}}.xml() +
		`</w:hdr>`
}

func (d *doc) footerXML() string {
	runs := `<w:r><w:t xml:space="preserve">Sida </w:t></w:r>` + fieldRuns("PAGE", "1") +
		`<w:r><w:t xml:space="preserve"> av </w:t></w:r>` + fieldRuns("NUMPAGES", "1")
	if d.stamp != "" {
		runs += `<w:r><w:tab/><w:t>` + esc(d.stamp) + `</w:t></w:r>`
	}
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:ftr ` + docxNamespaces + `><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` + runs + `</w:p></w:ftr>`
}

const docxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>`

const docxPackageRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>`

func (d *doc) documentRels() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	b.WriteString(`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
	b.WriteString(`<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>`)
	b.WriteString(`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>`)
	b.WriteString(`<Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>`)
	b.WriteString(`<Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>`)
	for i, l := range d.links {
		fmt.Fprintf(&b, `<Relationship Id="rIdLink%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="%s" TargetMode="External"/>`, i+1, esc(l))
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

func (d *doc) coreXML() string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(d.title) + `</dc:title><dc:creator>` + esc(d.author) + `</dc:creator>` +
		`<cp:lastModifiedBy>` + esc(d.author) + `</cp:lastModifiedBy><cp:revision>3</cp:revision>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">2019-07-10T08:00:00Z</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">2019-07-10T08:00:00Z</dcterms:modified>` +
		`</cp:coreProperties>`
}

const docxAppXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>Normal.dotm</Template><Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity><AppVersion>16.0000</AppVersion></Properties>`

const docxSettings = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:zoom w:percent="100"/><w:revisionView w:markup="0" w:insDel="0" w:formatting="0"/><w:defaultTabStop w:val="1304"/><w:hyphenationZone w:val="425"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="sv-SE"/><w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>`

func docxStyle(id, name, typ, basedOn, ppr, rpr string, extra string) string {
	s := fmt.Sprintf(`<w:style w:type="%s" w:styleId="%s"><w:name w:val="%s"/>`, typ, id, name)
	if basedOn != "" {
		s += fmt.Sprintf(`<w:basedOn w:val="%s"/>`, basedOn)
	}
	s += extra
	if ppr != "" {
		s += "<w:pPr>" + ppr + "</w:pPr>"
	}
	if rpr != "" {
		s += "<w:rPr>" + rpr + "</w:rPr>"
	}
	return s + "</w:style>"
}

var docxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="sv-SE" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	docxStyle("Normal", "Normal", "paragraph", "", "", "", `<w:qFormat/>`) +
	docxStyle("Title", "Title", "paragraph", "Normal", `<w:spacing w:after="240"/><w:outlineLvl w:val="0"/>`, `<w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/>`, `<w:next w:val="Normal"/><w:qFormat/>`) +
	docxStyle("Heading1", "heading 1", "paragraph", "Normal", `<w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/>`, `<w:b/><w:bCs/><w:sz w:val="26"/><w:szCs w:val="26"/>`, `<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>`) +
	docxStyle("Heading2", "heading 2", "paragraph", "Normal", `<w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="60"/><w:outlineLvl w:val="1"/>`, `<w:b/><w:bCs/><w:sz w:val="22"/><w:szCs w:val="22"/>`, `<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>`) +
	docxStyle("Heading3", "heading 3", "paragraph", "Normal", `<w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="40"/><w:outlineLvl w:val="2"/>`, `<w:b/><w:bCs/><w:i/><w:sz w:val="22"/><w:szCs w:val="22"/>`, `<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>`) +
	docxStyle("ListParagraph", "List Paragraph", "paragraph", "Normal", `<w:ind w:left="720"/><w:contextualSpacing/>`, "", `<w:uiPriority w:val="34"/><w:qFormat/>`) +
	docxStyle("ListBullet", "List Bullet", "paragraph", "Normal", `<w:numPr><w:numId w:val="1"/></w:numPr><w:contextualSpacing/>`, "", `<w:uiPriority w:val="99"/><w:unhideWhenUsed/>`) +
	docxStyle("ListNumber", "List Number", "paragraph", "Normal", `<w:numPr><w:numId w:val="2"/></w:numPr><w:contextualSpacing/>`, "", `<w:uiPriority w:val="99"/><w:unhideWhenUsed/>`) +
	docxStyle("Header", "header", "paragraph", "Normal", `<w:tabs><w:tab w:val="center" w:pos="4536"/><w:tab w:val="right" w:pos="9072"/></w:tabs><w:spacing w:after="0"/>`, `<w:sz w:val="16"/><w:szCs w:val="16"/>`, "") +
	docxStyle("Footer", "footer", "paragraph", "Normal", `<w:tabs><w:tab w:val="center" w:pos="4536"/><w:tab w:val="right" w:pos="9072"/></w:tabs><w:spacing w:after="0"/>`, `<w:sz w:val="16"/><w:szCs w:val="16"/>`, "") +
	docxStyle("TableText", "Table Text", "paragraph", "Normal", `<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>`, `<w:sz w:val="18"/><w:szCs w:val="18"/>`, "") +
	docxStyle("DefaultParagraphFont", "Default Paragraph Font", "character", "", "", "", `<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>`) +
	docxStyle("Hyperlink", "Hyperlink", "character", "DefaultParagraphFont", "", `<w:color w:val="0563C1"/><w:u w:val="single"/>`, `<w:uiPriority w:val="99"/><w:unhideWhenUsed/>`) +
	docxStyle("PlaceholderText", "Placeholder Text", "character", "DefaultParagraphFont", "", `<w:color w:val="808080"/>`, `<w:uiPriority w:val="99"/><w:semiHidden/>`) +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>` +
	`</w:styles>`

// docxLevel renders one numbering level.
func docxLevel(ilvl int, format, text, font string, indent int) string {
	rpr := ""
	if font != "" {
		rpr = fmt.Sprintf(`<w:rPr><w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:hint="default"/></w:rPr>`, font)
	}
	return fmt.Sprintf(`<w:lvl w:ilvl="%d"><w:start w:val="1"/><w:numFmt w:val="%s"/><w:lvlText w:val="%s"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="%d" w:hanging="360"/></w:pPr>%s</w:lvl>`,
		ilvl, format, text, indent, rpr)
}

var docxNumbering = func() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`)
	// Bullets as Word makes them: Symbol's private-use bullet, then "o" in Courier New.
	b.WriteString(`<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>`)
	b.WriteString(docxLevel(0, "bullet", "\uF0B7", "Symbol", 720))
	b.WriteString(docxLevel(1, "bullet", "o", "Courier New", 1440))
	b.WriteString(docxLevel(2, "bullet", "\uF0A7", "Wingdings", 2160))
	b.WriteString(`</w:abstractNum>`)
	b.WriteString(`<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>`)
	b.WriteString(docxLevel(0, "decimal", "%1.", "", 720))
	b.WriteString(docxLevel(1, "lowerLetter", "%2)", "", 1440))
	b.WriteString(docxLevel(2, "lowerRoman", "%3.", "", 2160))
	b.WriteString(`</w:abstractNum>`)
	b.WriteString(`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`)
	b.WriteString(`<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>`)
	b.WriteString(`<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>`)
	b.WriteString(`</w:numbering>`)
	return b.String()
}()

// docxEpoch is the modification time written into the zip entries, so
// that regenerating gives identical files.
var docxEpoch = time.Date(2019, 7, 10, 8, 0, 0, 0, time.UTC)

// write stores the document as a .docx package.
func (d *doc) write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	parts := []struct{ name, data string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxPackageRels},
		{"docProps/core.xml", d.coreXML()},
		{"docProps/app.xml", docxAppXML},
		{"word/document.xml", d.documentXML()},
		{"word/_rels/document.xml.rels", d.documentRels()},
		{"word/styles.xml", cmp.Or(d.styles, docxStyles)},
		{"word/numbering.xml", docxNumbering},
		{"word/settings.xml", docxSettings},
		{"word/header1.xml", d.headerXML()},
		{"word/footer1.xml", d.footerXML()},
	}
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: docxEpoch})
		if err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
		if _, err := w.Write([]byte(p.data)); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
