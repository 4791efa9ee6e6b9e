package main

import (
	"fmt"
	"strings"
	"sync"
)

// wordStyles is a styles part the size Word writes (about 350 KB): the
// template's own styles (docxStyles) plus what Word adds to every file
// made from its Normal template — the latent styles table (376 entries),
// the built-in paragraph and character styles, and the built-in table
// styles (Plain, Grid and List tables in every accent colour), each with
// its conditional formats. None of the additions is used by the document;
// a reader pays for them only in parsing. The benchmark corpus carries it
// (the samples keep the small part: their goldens hold the files' digests).
var wordStyles = sync.OnceValue(func() string {
	small := docxStyles
	head, tail, ok := strings.Cut(small, "</w:docDefaults>")
	if !ok {
		panic("docxStyles has no docDefaults")
	}
	tail = strings.TrimSuffix(tail, "</w:styles>")
	var b strings.Builder
	b.WriteString(head)
	b.WriteString("</w:docDefaults>")
	b.WriteString(wordLatentStyles())
	b.WriteString(tail)
	b.WriteString(wordBuiltinStyles())
	b.WriteString(wordTableStyles())
	b.WriteString("</w:styles>")
	return b.String()
})

// wordLatentNames are the built-in style names Word lists in latentStyles
// (the first of its 376; the rest are the accent-coloured table styles,
// generated below).
var wordLatentNames = []string{"Normal", "heading 1", "heading 2", "heading 3", "heading 4", "heading 5",
	"heading 6", "heading 7", "heading 8", "heading 9", "index 1", "index 2", "index 3", "index 4",
	"index 5", "index 6", "index 7", "index 8", "index 9", "toc 1", "toc 2", "toc 3", "toc 4", "toc 5",
	"toc 6", "toc 7", "toc 8", "toc 9", "Normal Indent", "footnote text", "annotation text", "header",
	"footer", "index heading", "caption", "table of figures", "envelope address", "envelope return",
	"footnote reference", "annotation reference", "line number", "page number", "endnote reference",
	"endnote text", "table of authorities", "macro", "toa heading", "List", "List Bullet", "List Number",
	"List 2", "List 3", "List 4", "List 5", "List Bullet 2", "List Bullet 3", "List Bullet 4",
	"List Bullet 5", "List Number 2", "List Number 3", "List Number 4", "List Number 5", "Title",
	"Closing", "Signature", "Default Paragraph Font", "Body Text", "Body Text Indent", "List Continue",
	"List Continue 2", "List Continue 3", "List Continue 4", "List Continue 5", "Message Header",
	"Subtitle", "Salutation", "Date", "Body Text First Indent", "Body Text First Indent 2", "Note Heading",
	"Body Text 2", "Body Text 3", "Body Text Indent 2", "Body Text Indent 3", "Block Text", "Hyperlink",
	"FollowedHyperlink", "Strong", "Emphasis", "Document Map", "Plain Text", "E-mail Signature",
	"HTML Top of Form", "HTML Bottom of Form", "Normal (Web)", "HTML Acronym", "HTML Address",
	"HTML Cite", "HTML Code", "HTML Definition", "HTML Keyboard", "HTML Preformatted", "HTML Sample",
	"HTML Typewriter", "HTML Variable", "Normal Table", "annotation subject", "No List", "Outline List 1",
	"Outline List 2", "Outline List 3", "Table Simple 1", "Table Simple 2", "Table Simple 3",
	"Table Classic 1", "Table Classic 2", "Table Classic 3", "Table Classic 4", "Table Colorful 1",
	"Table Colorful 2", "Table Colorful 3", "Table Columns 1", "Table Columns 2", "Table Columns 3",
	"Table Columns 4", "Table Columns 5", "Table Grid 1", "Table Grid 2", "Table Grid 3", "Table Grid 4",
	"Table Grid 5", "Table Grid 6", "Table Grid 7", "Table Grid 8", "Table List 1", "Table List 2",
	"Table List 3", "Table List 4", "Table List 5", "Table List 6", "Table List 7", "Table List 8",
	"Table 3D effects 1", "Table 3D effects 2", "Table 3D effects 3", "Table Contemporary",
	"Table Elegant", "Table Professional", "Table Subtle 1", "Table Subtle 2", "Table Web 1",
	"Table Web 2", "Table Web 3", "Balloon Text", "Table Grid", "Table Theme", "Placeholder Text",
	"No Spacing", "Light Shading", "Light List", "Light Grid", "Medium Shading 1", "Medium Shading 2",
	"Medium List 1", "Medium List 2", "Medium Grid 1", "Medium Grid 2", "Medium Grid 3", "Dark List",
	"Colorful Shading", "Colorful List", "Colorful Grid", "Revision", "List Paragraph", "Quote",
	"Intense Quote", "Subtle Emphasis", "Intense Emphasis", "Subtle Reference", "Intense Reference",
	"Book Title", "Bibliography", "TOC Heading", "Plain Table 1", "Plain Table 2", "Plain Table 3",
	"Plain Table 4", "Plain Table 5", "Grid Table Light"}

// wordTableFamilies are Word's accent-coloured table style families.
var wordTableFamilies = []string{"Grid Table 1 Light", "Grid Table 2", "Grid Table 3", "Grid Table 4",
	"Grid Table 5 Dark", "Grid Table 6 Colorful", "Grid Table 7 Colorful", "List Table 1 Light",
	"List Table 2", "List Table 3", "List Table 4", "List Table 5 Dark", "List Table 6 Colorful",
	"List Table 7 Colorful"}

var wordAccents = []struct{ suffix, color, light string }{
	{"", "000000", "CCCCCC"}, {" - Accent 1", "4472C4", "B4C6E7"}, {" - Accent 2", "ED7D31", "F7CAAC"},
	{" - Accent 3", "A5A5A5", "DBDBDB"}, {" - Accent 4", "FFC000", "FFE599"}, {" - Accent 5", "5B9BD5", "BDD6EE"},
	{" - Accent 6", "70AD47", "C5E0B3"},
}

func wordTableNames() []string {
	var names []string
	for _, f := range wordTableFamilies {
		for _, a := range wordAccents {
			names = append(names, f+a.suffix)
		}
	}
	return names
}

func wordLatentStyles() string {
	var b strings.Builder
	names := append(append([]string(nil), wordLatentNames...), wordTableNames()...)
	fmt.Fprintf(&b, `<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="%d">`, len(names))
	for i, n := range names {
		switch {
		case i == 0:
			fmt.Fprintf(&b, `<w:lsdException w:name="%s" w:uiPriority="0" w:qFormat="1"/>`, n)
		case i < 10:
			fmt.Fprintf(&b, `<w:lsdException w:name="%s" w:semiHidden="1" w:uiPriority="9" w:unhideWhenUsed="1" w:qFormat="1"/>`, n)
		default:
			fmt.Fprintf(&b, `<w:lsdException w:name="%s" w:semiHidden="1" w:uiPriority="%d" w:unhideWhenUsed="1"/>`, n, 39+i%60)
		}
	}
	b.WriteString(`</w:latentStyles>`)
	return b.String()
}

// wordStyleID makes a style id from a name as Word does (spaces and
// punctuation dropped), with a prefix that keeps it apart from the
// template's own ids.
func wordStyleID(name string) string {
	var b strings.Builder
	b.WriteString("W")
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func wordBuiltinStyles() string {
	var b strings.Builder
	for i, name := range wordLatentNames[10:150] {
		typ := "paragraph"
		if strings.Contains(name, "reference") || strings.Contains(name, "Emphasis") || name == "Strong" ||
			strings.HasPrefix(name, "HTML") && !strings.Contains(name, "Preformatted") && !strings.Contains(name, "Address") {
			typ = "character"
		}
		if strings.HasPrefix(name, "Table ") || strings.Contains(name, "List ") && strings.HasPrefix(name, "Outline") {
			continue // the table styles follow
		}
		ppr := ""
		if typ == "paragraph" {
			ppr = fmt.Sprintf(`<w:spacing w:before="%d" w:after="%d" w:line="%d" w:lineRule="auto"/><w:ind w:left="%d" w:right="%d"/><w:jc w:val="left"/>`,
				(i%5)*40, 60+(i%4)*40, 240+(i%3)*24, (i%6)*220, (i%2)*220)
		}
		rpr := fmt.Sprintf(`<w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/><w:color w:val="%06X" w:themeColor="text1" w:themeTint="BF"/><w:sz w:val="%d"/><w:szCs w:val="%d"/><w:lang w:val="sv-SE"/>`,
			(i*0x10203)%0xFFFFFF, 16+(i%6)*2, 16+(i%6)*2)
		extra := fmt.Sprintf(`<w:uiPriority w:val="%d"/><w:semiHidden/><w:unhideWhenUsed/><w:rsid w:val="00%06X"/>`, 39+i%60, (i*0x3F1D7)%0xFFFFFF)
		b.WriteString(docxStyle(wordStyleID(name), name, typ, "Normal", ppr, rpr, `<w:next w:val="Normal"/>`+extra))
	}
	return b.String()
}

func wordTableStyles() string {
	var b strings.Builder
	border := func(color string) string {
		var s strings.Builder
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			fmt.Fprintf(&s, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="%s" w:themeColor="accent1" w:themeTint="99"/>`, side, color)
		}
		return s.String()
	}
	for fi, f := range wordTableFamilies {
		for _, a := range wordAccents {
			name := f + a.suffix
			fmt.Fprintf(&b, `<w:style w:type="table" w:styleId="%s"><w:name w:val="%s"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="%d"/><w:rsid w:val="00%06X"/>`,
				wordStyleID(name), name, 40+fi, (fi*0x2B3C1)%0xFFFFFF)
			b.WriteString(`<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>`)
			fmt.Fprintf(&b, `<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblStyleColBandSize w:val="1"/><w:tblBorders>%s</w:tblBorders></w:tblPr>`, border(a.light))
			for _, cond := range []string{"firstRow", "lastRow", "firstCol", "band1Horz"} {
				fmt.Fprintf(&b, `<w:tblStylePr w:type="%s"><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>`, cond)
				fmt.Fprintf(&b, `<w:rPr><w:b/><w:bCs/><w:color w:val="%s" w:themeColor="background1"/></w:rPr>`, a.color)
				borders := ""
				if cond == "firstRow" {
					borders = "<w:tcBorders>" + border(a.color) + "</w:tcBorders>"
				}
				fmt.Fprintf(&b, `<w:tblPr/><w:tcPr>%s<w:shd w:val="clear" w:color="auto" w:fill="%s" w:themeFill="accent1"/></w:tcPr></w:tblStylePr>`, borders, a.light)
			}
			b.WriteString(`</w:style>`)
		}
	}
	return b.String()
}
