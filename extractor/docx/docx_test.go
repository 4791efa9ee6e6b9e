package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/corpus"
)

// Namespaces of the handwritten fixtures.
const docxTestNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml"`

const docxTestRelNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

// docxTestStyles: Normal (default), heading 1/2 with outline levels,
// "Rubrik 1" (Swedish name, no outline level), Title, a style based on
// heading 2, "List Bullet" carrying numbering, a bold paragraph style and
// a bold character style.
const docxTestStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ` + docxTestNS + `>
<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Fraga"><w:name w:val="Fråga"/><w:basedOn w:val="Heading2"/></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="Rubrik 1"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Fet"><w:name w:val="Fet text"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
</w:styles>`

// docxTestNumbering: num 1 bullets (level 1 a bullet with a Wingdings
// glyph), num 2 decimal "%1." / lowerLetter "%2)" / "%1.%2.%3." lowerRoman,
// num 3 the same definition restarted, num 4 upperLetter with level 0
// only, num 5 a level override to start at 5.
const docxTestNumbering = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering ` + docxTestNS + `>
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="§"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1.%2.%3."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>`

// docxTestPackage builds a real .docx package: the body goes into
// word/document.xml; extra maps part names to their XML (styles and
// numbering are always included unless extra sets them to "").
func docxTestPackage(t testing.TB, body string, extra map[string]string) []byte {
	t.Helper()
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + docxTestRelNS + `/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<w:document ` + docxTestNS + `><w:body>` + body + `</w:body></w:document>`,
		"word/styles.xml":    docxTestStyles,
		"word/numbering.xml": docxTestNumbering,
	}
	rels := map[string]string{"rIdStyles": "styles|styles.xml", "rIdNum": "numbering|numbering.xml"}
	for name, xml := range extra {
		if xml == "" {
			delete(parts, name)
			continue
		}
		parts[name] = xml
		switch base := strings.TrimPrefix(name, "word/"); {
		case strings.HasPrefix(base, "header"):
			rels["rId"+strings.TrimSuffix(base, ".xml")] = "header|" + base
		case strings.HasPrefix(base, "footer"):
			rels["rId"+strings.TrimSuffix(base, ".xml")] = "footer|" + base
		case base == "footnotes.xml":
			rels["rIdFootnotes"] = "footnotes|footnotes.xml"
		}
	}
	if _, ok := parts["word/_rels/document.xml.rels"]; !ok {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
		for id, v := range rels {
			typ, target, _ := strings.Cut(v, "|")
			fmt.Fprintf(&b, `<Relationship Id="%s" Type="%s/%s" Target="%s"/>`, id, docxTestRelNS, typ, target)
		}
		b.WriteString(`</Relationships>`)
		parts["word/_rels/document.xml.rels"] = b.String()
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		if xml, ok := parts[name]; ok {
			docxTestWrite(t, zw, name, xml)
			delete(parts, name)
		}
	}
	for name, xml := range parts {
		docxTestWrite(t, zw, name, xml)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func docxTestWrite(t testing.TB, zw *zip.Writer, name, content string) {
	t.Helper()
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, content); err != nil {
		t.Fatal(err)
	}
}

// docxTestRead reads a package through ReadDOCX.
func docxTestRead(t testing.TB, pkg []byte) (*extractor.Document, error) {
	t.Helper()
	return Read(bytes.NewReader(pkg), int64(len(pkg)))
}

// docxSummary renders blocks one line each, with every field a reader
// sets, for exact comparison:
//
//	¶3 "heading 1" L1 bold tag=x "text"   paragraph 3
//	•3 "List Bullet" 1./0 "text"          list item: marker/level
//	T2 cols=3                              table, then one line per cell:
//	  r0c1+2 "text"                        row 0, column 1, span 2
//	  r1c0 merged
func docxSummary(blocks []extractor.Block) []string {
	var out []string
	var add func(bs []extractor.Block, ind string)
	add = func(bs []extractor.Block, ind string) {
		for _, b := range bs {
			var s strings.Builder
			s.WriteString(ind)
			switch b.Kind {
			case extractor.KindTable:
				fmt.Fprintf(&s, "T%d cols=%d", b.Paragraph, b.Table.Columns)
				if b.Tag != "" {
					fmt.Fprintf(&s, " tag=%s", b.Tag)
				}
				if b.Furniture != "" {
					fmt.Fprintf(&s, " [%s]", b.Furniture)
				}
				out = append(out, s.String())
				for ri, r := range b.Table.Rows {
					for _, c := range r.Cells {
						line := fmt.Sprintf("%s  r%dc%d", ind, ri, c.Col)
						if c.Span != 1 {
							line += fmt.Sprintf("+%d", c.Span)
						}
						if c.Merged {
							out = append(out, line+" merged")
							continue
						}
						out = append(out, line+fmt.Sprintf(" %q", c.Text))
						add(c.Blocks, ind+"    ")
					}
				}
				continue
			case extractor.KindListItem:
				fmt.Fprintf(&s, "•%d", b.Paragraph)
			default:
				fmt.Fprintf(&s, "¶%d", b.Paragraph)
			}
			if b.Style != "" {
				fmt.Fprintf(&s, " %q", b.Style)
			}
			if b.Level != 0 {
				fmt.Fprintf(&s, " L%d", b.Level)
			}
			if b.Bold {
				s.WriteString(" bold")
			}
			if b.ListMarker != "" {
				fmt.Fprintf(&s, " %s/%d", b.ListMarker, b.ListLevel)
			}
			if b.Tag != "" {
				fmt.Fprintf(&s, " tag=%s", b.Tag)
			}
			if b.Furniture != "" {
				fmt.Fprintf(&s, " [%s]", b.Furniture)
			}
			fmt.Fprintf(&s, " %q", b.Text)
			out = append(out, s.String())
		}
	}
	add(blocks, "")
	return out
}

// Building blocks of fixture XML.
func docxP(inner string) string { return "<w:p>" + inner + "</w:p>" }
func docxR(text string) string  { return `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r>` }
func docxPS(style, inner string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>` + inner + `</w:p>`
}
func docxNumP(numID, ilvl, text string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + ilvl + `"/><w:numId w:val="` + numID + `"/></w:numPr></w:pPr>` + docxR(text) + `</w:p>`
}
func docxTC(props, inner string) string {
	return "<w:tc><w:tcPr>" + props + "</w:tcPr>" + inner + "</w:tc>"
}

func TestReadDOCX(t *testing.T) {
	checkboxSDT := func(tag, state, glyph string) string {
		return `<w:sdt><w:sdtPr><w:tag w:val="` + tag + `"/><w14:checkbox><w14:checked w14:val="` + state + `"/>` +
			`<w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>` +
			`<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:hAnsi="MS Gothic"/></w:rPr><w:t>` + glyph + `</w:t></w:r></w:sdtContent></w:sdt>`
	}
	formCheckbox := func(ff string) string {
		return `<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Kryss1"/><w:enabled/><w:checkBox><w:sizeAuto/>` + ff + `</w:checkBox></w:ffData></w:fldChar></w:r>` +
			`<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`
	}
	tests := []struct {
		name  string
		body  string
		extra map[string]string
		want  []string
		furn  []string // Document.Furniture; nil means none
	}{
		{
			name: "runs, breaks, tabs, hyphens, symbols",
			body: docxP(docxR("Insatsens ")+docxR("namn")) +
				docxP(`<w:r><w:t>Rad ett</w:t><w:br/><w:t>rad två</w:t><w:cr/><w:tab/><w:t>slut</w:t></w:r>`) +
				docxP(`<w:pPr><w:tabs><w:tab w:val="left" w:pos="2000"/></w:tabs></w:pPr><w:r><w:t>Ja</w:t><w:tab/><w:t>Nej</w:t></w:r>`) +
				docxP(`<w:r><w:t>Samordnings</w:t><w:softHyphen/><w:t>förbund</w:t><w:noBreakHyphen/><w:t>Uppsala</w:t></w:r>`) +
				docxP(`<w:r><w:sym w:font="Wingdings" w:char="F0FE"/><w:t xml:space="preserve"> Ja </w:t><w:sym w:font="Wingdings" w:char="F0A8"/><w:t xml:space="preserve"> Nej </w:t>`+
					`<w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="Wingdings" w:char="F078"/><w:sym w:font="Wingdings" w:char="F06F"/><w:sym w:font="Wingdings" w:char="F0FD"/><w:sym w:font="Arial" w:char="00E5"/><w:sym w:font="Symbol" w:char="F061"/></w:r>`) +
				docxP(`<w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>þ¨</w:t></w:r><w:r><w:t>`+"\uF0B7 punkt"+`</w:t></w:r>`) +
				docxP(`<w:r><w:t>Skrivna rutor: ☒ Ja ☐ Nej</w:t></w:r>`) +
				docxP("") + docxP(`<w:r><w:t xml:space="preserve">   </w:t></w:r>`),
			want: []string{
				`¶1 "Insatsens namn"`,
				`¶2 "Rad ett\nrad två\n\tslut"`,
				`¶3 "Ja\tNej"`,
				`¶4 "Samordningsförbund-Uppsala"`,
				`¶5 "☒ Ja ☐ Nej •☒☐☒å"`,
				`¶6 "☒☐• punkt"`,
				`¶7 "Skrivna rutor: ☒ Ja ☐ Nej"`,
			},
		},
		{
			name: "headings, style names, levels and bold",
			body: docxPS("Title", docxR("Ansökan samverkansinsats")) +
				docxPS("Heading1", docxR("Insatsens namn")) +
				docxPS("Heading2", docxR("Beskriv syftet med insatsen (*)")) +
				docxPS("Fraga", docxR("Planerad insatstid")) +
				docxPS("Rubrik1", docxR("Samverkansparter")) +
				`<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr>` + docxR("Direkt dispositionsnivå") + `</w:p>` +
				`<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/></w:pPr>` + docxR("Brödtext i rubrikstil") + `</w:p>` +
				docxP(`<w:r><w:rPr><w:b/></w:rPr><w:t>Helt fet</w:t></w:r><w:r><w:rPr><w:b w:val="1"/></w:rPr><w:t xml:space="preserve"> rad</w:t></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>`) +
				docxP(`<w:r><w:rPr><w:b/></w:rPr><w:t>Delvis</w:t></w:r><w:r><w:t xml:space="preserve"> fet</w:t></w:r>`) +
				docxP(`<w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>Fet teckenstil</w:t></w:r>`) +
				docxPS("Fet", docxR("Fet styckestil")) +
				docxPS("Fet", `<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>Fetstil avslagen</w:t></w:r>`) +
				docxPS("Heading1", `<w:r><w:rPr><w:b w:val="false"/></w:rPr><w:t>Rubrik utan fetstil</w:t></w:r>`) +
				docxPS("Okänd", docxR("Stil som saknas")),
			want: []string{
				`¶1 "Title" L1 "Ansökan samverkansinsats"`,
				`¶2 "heading 1" L1 bold "Insatsens namn"`,
				`¶3 "heading 2" L2 "Beskriv syftet med insatsen (*)"`,
				`¶4 "Fråga" L2 "Planerad insatstid"`,
				`¶5 "Rubrik 1" L1 "Samverkansparter"`,
				`¶6 L3 "Direkt dispositionsnivå"`,
				`¶7 "heading 1" bold "Brödtext i rubrikstil"`,
				`¶8 bold "Helt fet rad "`,
				`¶9 "Delvis fet"`,
				`¶10 bold "Fet teckenstil"`,
				`¶11 "Fet text" bold "Fet styckestil"`,
				`¶12 "Fet text" "Fetstil avslagen"`,
				`¶13 "heading 1" L1 "Rubrik utan fetstil"`,
				`¶14 "Okänd" "Stil som saknas"`,
			},
		},
		{
			name: "bullets and numbering",
			body: docxPS("ListBullet", docxR("Punkt via stil")) +
				docxNumP("1", "0", "Direkt punkt") +
				docxNumP("1", "1", "Underpunkt med Wingdings-glyf") +
				`<w:p><w:pPr><w:pStyle w:val="ListBullet"/><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr>` + docxR("Stilens lista, nivå 1") + `</w:p>` +
				docxP(docxR("Mellan listorna")) +
				docxNumP("2", "0", "Att minst 15 individer") +
				docxNumP("2", "1", "delmål a") +
				docxNumP("2", "1", "delmål b") +
				docxNumP("2", "2", "romersk") +
				docxNumP("2", "0", "Andra målet") +
				docxNumP("2", "1", "delmål a igen") +
				docxNumP("2", "0", "") +
				docxNumP("3", "0", "Omstart") +
				docxNumP("3", "0", "Efter omstart") +
				docxNumP("2", "0", "Samma definition fortsätter") +
				docxNumP("4", "0", "Versal") +
				docxNumP("4", "1", "Nivå som saknas") +
				docxNumP("5", "0", "Börjar på fem") +
				docxNumP("9", "0", "Okänd numrering") +
				`<w:p><w:pPr><w:pStyle w:val="ListBullet"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>` + docxR("Numrering borttagen") + `</w:p>`,
			want: []string{
				`•1 "List Bullet" •/0 "Punkt via stil"`,
				`•2 •/0 "Direkt punkt"`,
				`•3 •/1 "Underpunkt med Wingdings-glyf"`,
				`•4 "List Bullet" •/1 "Stilens lista, nivå 1"`,
				`¶5 "Mellan listorna"`,
				`•6 1./0 "Att minst 15 individer"`,
				`•7 a)/1 "delmål a"`,
				`•8 b)/1 "delmål b"`,
				`•9 1.b.i./2 "romersk"`,
				`•10 2./0 "Andra målet"`,
				`•11 a)/1 "delmål a igen"`,
				`•13 1./0 "Omstart"`,
				`•14 2./0 "Efter omstart"`,
				`•15 4./0 "Samma definition fortsätter"`,
				`•16 A./0 "Versal"`,
				`•17 A./1 "Nivå som saknas"`,
				`•18 5./0 "Börjar på fem"`,
				`•19 •/0 "Okänd numrering"`,
				`¶20 "List Bullet" "Numrering borttagen"`,
			},
		},
		{
			name: "tables: grid, gridSpan, vMerge, gridBefore, nested",
			body: docxP(docxR("Före")) +
				`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>` +
				`<w:tr>` + docxTC(`<w:gridSpan w:val="2"/>`, docxP(docxR("Kostnadsslag"))) + docxTC(`<w:vMerge w:val="restart"/>`, docxP(docxR("Totalt"))) + `</w:tr>` +
				`<w:tr>` + docxTC("", docxP(docxR("Lokalhyra"))) + docxTC("", docxP(docxR("86 400"))+docxP(docxR("per år"))) + docxTC(`<w:vMerge/>`, docxP("")) + `</w:tr>` +
				`<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>` + docxTC("", docxP(docxR("Ja"))) + docxTC(`<w:vMerge w:val="continue"/>`, docxP(docxR("dolt"))) + `</w:tr>` +
				`<w:tr>` + docxTC("", docxP(docxR("Ytter"))+
				`<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>`+docxTC("", docxP(docxR("a")))+docxTC("", docxP(docxR("b")))+`</w:tr>`+
				`<w:tr>`+docxTC("", docxNumP("2", "0", "c"))+docxTC("", "")+`</w:tr></w:tbl>`+docxP(docxR("efter"))) +
				docxTC(`<w:gridSpan w:val="3"/>`, docxP(docxR("bred"))) + `</w:tr>` +
				`</w:tbl>` + docxP(docxR("Efter")),
			want: []string{
				`¶1 "Före"`,
				`T2 cols=4`,
				`  r0c0+2 "Kostnadsslag"`,
				`    ¶2 "Kostnadsslag"`,
				`  r0c2 "Totalt"`,
				`    ¶3 "Totalt"`,
				`  r1c0 "Lokalhyra"`,
				`    ¶4 "Lokalhyra"`,
				`  r1c1 "86 400\nper år"`,
				`    ¶5 "86 400"`,
				`    ¶6 "per år"`,
				`  r1c2 merged`,
				`  r2c1 "Ja"`,
				`    ¶8 "Ja"`,
				`  r2c2 merged`,
				`  r3c0 "Ytter\na | b\n1. c | \nefter"`,
				`    ¶10 "Ytter"`,
				`    T11 cols=2`,
				`      r0c0 "a"`,
				`        ¶11 "a"`,
				`      r0c1 "b"`,
				`        ¶12 "b"`,
				`      r1c0 "1. c"`,
				`        •13 1./0 "c"`,
				`      r1c1 ""`,
				`    ¶14 "efter"`,
				`  r3c1+3 "bred"`,
				`    ¶15 "bred"`,
				`¶16 "Efter"`,
			},
		},
		{
			name: "content controls: inline, block, cell, row; placeholder text read",
			body: docxP(docxR("Organisation: ")+`<w:sdt><w:sdtPr><w:alias w:val="Insatsägare"/><w:tag w:val="owner"/></w:sdtPr><w:sdtContent>`+docxR("Älvkarleby kommun")+`</w:sdtContent></w:sdt>`) +
				`<w:sdt><w:sdtPr><w:alias w:val="Syfte"/></w:sdtPr><w:sdtContent>` + docxP(docxR("Syftet är att")) + docxP(docxR("andra stycket")) + `</w:sdtContent></w:sdt>` +
				`<w:sdt><w:sdtPr><w:tag w:val="outer"/></w:sdtPr><w:sdtContent>` + docxP(`<w:sdt><w:sdtPr><w:tag w:val="inner"/><w:showingPlcHdr/></w:sdtPr><w:sdtContent>`+docxR("Klicka här för att ange text.")+`</w:sdtContent></w:sdt>`) + `</w:sdtContent></w:sdt>` +
				`<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>` +
				`<w:sdt><w:sdtPr><w:tag w:val="rows"/></w:sdtPr><w:sdtContent><w:tr>` + docxTC("", docxP(docxR("Namn"))) +
				`<w:sdt><w:sdtPr><w:tag w:val="cell"/></w:sdtPr><w:sdtContent>` + docxTC("", docxP(docxR("Maja Lindqvist"))) + `</w:sdtContent></w:sdt>` +
				`</w:tr></w:sdtContent></w:sdt>` +
				`<w:tr>` + docxTC("", docxP(`<w:sdt><w:sdtPr><w:tag w:val="mail"/></w:sdtPr><w:sdtContent>`+docxR("maja.lindqvist@alvkarleby.se")+`</w:sdtContent></w:sdt>`)) + docxTC("", "") + `</w:tr>` +
				`</w:tbl>`,
			want: []string{
				`¶1 tag=owner "Organisation: Älvkarleby kommun"`,
				`¶2 tag=Syfte "Syftet är att"`,
				`¶3 tag=Syfte "andra stycket"`,
				`¶4 tag=inner "Klicka här för att ange text."`,
				`T5 cols=2`,
				`  r0c0 "Namn"`,
				`    ¶5 tag=rows "Namn"`,
				`  r0c1 "Maja Lindqvist"`,
				`    ¶6 tag=cell "Maja Lindqvist"`,
				`  r1c0 "maja.lindqvist@alvkarleby.se"`,
				`    ¶7 tag=mail "maja.lindqvist@alvkarleby.se"`,
				`  r1c1 ""`,
			},
		},
		{
			name: "check boxes: w14 content controls, legacy form fields, typed",
			body: docxP(docxR("Diskuterad i LUG: ")+checkboxSDT("ja", "1", "☒")+docxR(" Ja ")+checkboxSDT("nej", "0", "☐")+docxR(" Nej")) +
				docxP(checkboxSDT("x", "true", "☐")+docxR(" state wins over a stale glyph")) +
				docxP(checkboxSDT("y", "0", "")+`<w:r><w:t xml:space="preserve"> tom kontroll</w:t></w:r>`) +
				docxP(`<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r></w:sdtContent></w:sdt>`+docxR(" sym-glyf")) +
				docxP(formCheckbox(`<w:default w:val="1"/>`)+docxR(" Ja ")+formCheckbox(`<w:default w:val="0"/>`)+docxR(" Nej")) +
				docxP(formCheckbox(`<w:default w:val="0"/><w:checked/>`)+formCheckbox(`<w:default w:val="1"/><w:checked w:val="0"/>`)+formCheckbox("")) +
				docxP(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`+docxR(" utan ffData")) +
				docxP(docxR("☒ Ja ☐ Nej")),
			want: []string{
				`¶1 tag=ja "Diskuterad i LUG: ☒ Ja ☐ Nej"`,
				`¶2 tag=x "☒ state wins over a stale glyph"`,
				`¶3 tag=y "☐ tom kontroll"`,
				`¶4 "☒ sym-glyf"`,
				`¶5 "☒ Ja ☐ Nej"`,
				`¶6 "☒☐☐"`,
				`¶7 "☐ utan ffData"`,
				`¶8 "☒ Ja ☐ Nej"`,
			},
		},
		{
			name: "fields: result kept, instruction dropped, nested, fldSimple, drop-down",
			body: docxP(docxR("Sida ")+`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`+
				docxR(" av ")+`<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>14</w:t></w:r></w:fldSimple>`) +
				docxP(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>`+
					`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> MERGEFIELD Namn </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>inre resultat</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`+
					`<w:r><w:instrText xml:space="preserve"> = "x" "ja" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>yttre resultat</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`) +
				docxP(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \o "1-3" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`+docxR("Innehåll rad 1")) +
				docxP(docxR("Innehåll rad 2")+`<w:r><w:fldChar w:fldCharType="end"/></w:r>`) +
				docxP(docxR("Val: ")+`<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:ddList><w:result w:val="1"/><w:listEntry w:val="Region Uppsala"/><w:listEntry w:val="Uppsala kommun"/></w:ddList></w:ffData></w:fldChar></w:r>`+
					`<w:r><w:instrText> FORMDROPDOWN </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`) +
				docxP(docxR("Trasigt fält")+`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>`) +
				`<w:tbl><w:tr>` + docxTC("", docxP(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`+docxR("cellresultat"))) + `</w:tr></w:tbl>` +
				docxP(docxR("Texten efter syns")),
			want: []string{
				`¶1 "Sida 3 av 14"`,
				`¶2 "yttre resultat"`,
				`¶3 "Innehåll rad 1"`,
				`¶4 "Innehåll rad 2"`,
				`¶5 "Val: Uppsala kommun"`,
				`¶6 "Trasigt fält"`,
				`T7 cols=1`,
				`  r0c0 "cellresultat"`,
				`    ¶7 "cellresultat"`,
				`¶8 "Texten efter syns"`,
			},
		},
		{
			name: "tracked changes and hyperlinks",
			body: docxP(docxR("Vi tar emot ")+`<w:del w:id="1" w:author="A"><w:r><w:delText>sex</w:delText></w:r></w:del><w:ins w:id="2" w:author="A"><w:r><w:t>åtta</w:t></w:r></w:ins>`+docxR(" deltagare")) +
				docxP(`<w:moveFrom w:id="3"><w:r><w:t>flyttat härifrån</w:t></w:r></w:moveFrom>`+docxR("Kvar")+`<w:moveTo w:id="4"><w:r><w:t xml:space="preserve"> flyttat hit</w:t></w:r></w:moveTo>`) +
				docxP(`<w:r><w:rPr><w:del w:id="5" w:author="A"/></w:rPr><w:t>formatändring</w:t></w:r>`) +
				docxP(docxR("E-post: ")+`<w:hyperlink r:id="rIdMail" w:history="1"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>johan.ekstrom@regionuppsala.se</w:t></w:r></w:hyperlink>`) +
				docxP(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://example.se" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>länktext</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`),
			want: []string{
				`¶1 "Vi tar emot åtta deltagare"`,
				`¶2 "Kvar flyttat hit"`,
				`¶3 "formatändring"`,
				`¶4 "E-post: johan.ekstrom@regionuppsala.se"`,
				`¶5 "länktext"`,
			},
		},
		{
			name: "text boxes: after the anchor, once",
			body: docxP(docxR("Ankare")+`<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="Textruta 1" descr="alt"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>`+
				docxP(docxR("I textrutan"))+docxP(docxR("andra raden"))+
				`</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>`+
				`<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>`+docxP(docxR("I textrutan"))+docxP(docxR("andra raden"))+`</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>`+docxR(" fortsätter")) +
				docxP(`<w:r><w:pict><v:shape><v:textbox><w:txbxContent>`+docxP(docxR("Gammal VML-ruta"))+`</w:txbxContent></v:textbox></v:shape></w:pict></w:r>`) +
				docxP(docxR("Sist")),
			want: []string{
				`¶1 "Ankare fortsätter"`,
				`¶2 "I textrutan"`,
				`¶3 "andra raden"`,
				`¶5 "Gammal VML-ruta"`,
				`¶6 "Sist"`,
			},
		},
		{
			name: "headers and footers in furniture, stamp, dedupe, section breaks",
			body: docxP(`<w:pPr><w:sectPr><w:headerReference w:type="default" r:id="rIdheader1"/><w:footerReference w:type="default" r:id="rIdfooter1"/></w:sectPr></w:pPr>`+docxR("Första sektionen")) +
				docxP(docxR("v:19-07-10")) +
				`<w:sectPr><w:headerReference w:type="default" r:id="rIdheader1"/><w:headerReference w:type="first" r:id="rIdheader2"/><w:headerReference w:type="even" r:id="rIdheader3"/>` +
				`<w:footerReference w:type="default" r:id="rIdfooter1"/><w:footerReference w:type="first" r:id="rIdfooter2"/><w:titlePg/></w:sectPr>`,
			extra: map[string]string{
				"word/header1.xml": `<w:hdr ` + docxTestNS + `>` + docxP(docxR("Ansökan samverkansinsats")+`<w:r><w:tab/></w:r>`+docxR("Samordningsförbundet Uppsala län")) + `</w:hdr>`,
				"word/header2.xml": `<w:hdr ` + docxTestNS + `>` + docxP(docxR("Försättsblad")) + `</w:hdr>`,
				"word/header3.xml": `<w:hdr ` + docxTestNS + `>` + docxP(docxR("Ansökan samverkansinsats")+`<w:r><w:tab/></w:r>`+docxR("Samordningsförbundet Uppsala län")) + `</w:hdr>`,
				"word/footer1.xml": `<w:ftr ` + docxTestNS + `>` + docxP(docxR("Sida ")+`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`+docxR("1")+`<w:r><w:fldChar w:fldCharType="end"/></w:r>`+`<w:r><w:tab/></w:r>`+docxR("v:19-07-10")) +
					docxP(docxR(" v:19-07-10 ")) + `</w:ftr>`,
				"word/footer2.xml": `<w:ftr ` + docxTestNS + `>` + `<w:tbl><w:tr>` + docxTC("", docxP(docxR("Finsam"))) + `</w:tr></w:tbl>` + `</w:ftr>`,
			},
			want: []string{
				`¶1 "Första sektionen"`,
				`¶2 "v:19-07-10"`,
			},
			furn: []string{
				`¶0 [header] "Ansökan samverkansinsats\tSamordningsförbundet Uppsala län"`,
				`¶0 [footer] "Sida 1\tv:19-07-10"`,
				`¶0 [template_stamp] " v:19-07-10 "`,
				`¶0 [header] "Försättsblad"`,
				`T0 cols=1 [footer]`,
				`  r0c0 "Finsam"`,
				`    ¶0 "Finsam"`,
			},
		},
		{
			name: "footnotes appended to the body",
			body: docxP(docxR("Ouch") + `<w:r><w:footnoteReference w:id="1"/></w:r>` + docxR(".")),
			extra: map[string]string{
				"word/footnotes.xml": `<w:footnotes ` + docxTestNS + `>` +
					`<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>` +
					`<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>sep</w:t></w:r></w:p></w:footnote>` +
					`<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>` + docxR(" En fotnot.") + `</w:p></w:footnote></w:footnotes>`,
			},
			want: []string{
				`¶1 "Ouch."`,
				`¶2 "footnote text" " En fotnot."`,
			},
		},
		{
			name:  "no styles or numbering parts",
			body:  docxPS("Heading1", docxR("Rubrik")) + docxNumP("1", "0", "punkt"),
			extra: map[string]string{"word/styles.xml": "", "word/numbering.xml": ""},
			want: []string{
				`¶1 "Heading1" "Rubrik"`,
				`•2 •/0 "punkt"`,
			},
		},
		{
			name: "several bodies and unknown wrappers",
			body: docxP(`<w:customXml w:element="x"><w:smartTag w:element="y">`+docxR("inslaget")+`</w:smartTag></w:customXml>`) +
				`</w:body><w:body>` + docxP(docxR("andra kroppen")),
			want: []string{
				`¶1 "inslaget"`,
				`¶2 "andra kroppen"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := docxTestRead(t, docxTestPackage(t, tt.body, tt.extra))
			if err != nil {
				t.Fatal(err)
			}
			docxTestCompare(t, "Blocks", docxSummary(doc.Blocks), tt.want)
			docxTestCompare(t, "Furniture", docxSummary(doc.Furniture), tt.furn)
		})
	}
}

func docxTestCompare(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	t.Errorf("%s differ\n got:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
}

// Strict OOXML uses other namespace URIs for the same local names.
func TestReadDOCXStrict(t *testing.T) {
	body := docxPS("Heading1", docxR("Strikt rubrik")) + docxNumP("2", "0", "strikt lista")
	strict := strings.NewReplacer(
		"http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main",
		"http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships",
	)
	pkg := docxTestPackage(t, body, nil)
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		s := strict.Replace(string(b))
		if strings.Contains(s, "schemas.openxmlformats.org/wordprocessingml") {
			t.Fatalf("%s still has the transitional namespace", f.Name)
		}
		docxTestWrite(t, zw, f.Name, s)
	}
	zw.Close()
	doc, err := docxTestRead(t, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	docxTestCompare(t, "Blocks", docxSummary(doc.Blocks), []string{
		`¶1 "heading 1" L1 bold "Strikt rubrik"`,
		`•2 1./0 "strikt lista"`,
	})
}

// Broken and hostile packages fail with ErrCorrupt, never a panic.
func TestReadDOCXErrors(t *testing.T) {
	valid := docxTestPackage(t, docxP(docxR("text")), nil)
	zipOf := func(parts map[string]string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, s := range parts {
			docxTestWrite(t, zw, name, s)
		}
		zw.Close()
		return buf.Bytes()
	}
	doc := func(body string) string {
		return `<?xml version="1.0"?><w:document ` + docxTestNS + `><w:body>` + body + `</w:body></w:document>`
	}
	tests := []struct {
		name string
		data []byte
		want string // in the error message
	}{
		{"not a zip", []byte("PK\x03\x04 this is not really a zip"), "broken zip"},
		{"truncated", valid[:len(valid)/2], "broken zip"},
		{"no document part", zipOf(map[string]string{"word/styles.xml": docxTestStyles}), "no word/document.xml"},
		{"xml syntax error", zipOf(map[string]string{"word/document.xml": doc(`<w:p><w:r><w:t>oavslutad</w:r></w:p>`)}), "word/document.xml"},
		{"truncated xml", zipOf(map[string]string{"word/document.xml": doc("")[:120]}), "word/document.xml"},
		{"undefined entity", zipOf(map[string]string{"word/document.xml": doc(`<w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p>`)}), "entity"},
		{"entity declaration", zipOf(map[string]string{"word/document.xml": `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>` +
			`<w:document ` + docxTestNS + `><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>`}), "DOCTYPE"},
		{"external entity", zipOf(map[string]string{"word/document.xml": `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` + doc(`<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>`)}), "DOCTYPE"},
		{"hostile header", zipOf(map[string]string{
			"word/document.xml":            doc(docxP(docxR("x")) + `<w:sectPr><w:headerReference r:id="h"/></w:sectPr>`),
			"word/_rels/document.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="h" Type="` + docxTestRelNS + `/header" Target="header1.xml"/></Relationships>`,
			"word/header1.xml":             `<!DOCTYPE x [<!ENTITY a "b">]><w:hdr ` + docxTestNS + `/>`,
		}), "DOCTYPE"},
		{"utf-16", zipOf(map[string]string{"word/document.xml": "\xff\xfe<\x00"}), "UTF-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := docxTestRead(t, tt.data)
			if err == nil {
				t.Fatalf("no error; blocks %q", docxSummary(doc.Blocks))
			}
			if !errors.Is(err, extractor.ErrCorrupt) {
				t.Errorf("error %q does not wrap ErrCorrupt", err)
			}
			if errors.Is(err, errDocxPanic) {
				t.Errorf("reader panicked: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

// A part whose zip header understates its size fails when the extra
// bytes arrive (archive/zip checks the declared size while inflating).
func TestReadDOCXLyingZip(t *testing.T) {
	_, err := docxTestRead(t, docxTestLyingZip(t, 1<<20))
	if err == nil || !errors.Is(err, extractor.ErrCorrupt) || !strings.Contains(err.Error(), "word/document.xml") {
		t.Fatalf("got error %v, want ErrCorrupt naming word/document.xml", err)
	}
}

// docxTestLyingZip stores a document part of n bytes whose zip header
// claims 100: the reader must not trust the header.
func docxTestLyingZip(t *testing.T, n int) []byte {
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.BestSpeed)
	content := `<w:document ` + docxTestNS + `><w:body>` + strings.Repeat("<w:p/>", n/6) + `</w:body></w:document>`
	io.WriteString(fw, content)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "word/document.xml", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE([]byte(content)), CompressedSize64: uint64(raw.Len()), UncompressedSize64: 100,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw.Bytes())
	zw.Close()
	return buf.Bytes()
}

// docxRawTextRe finds a text run with visible content in raw WordprocessingML.
var docxRawTextRe = regexp.MustCompile(`<(?:\w+:)?t(?:\s[^>]*)?>[^<]*[^\s<][^<]*</`)

// TestReadDOCXCorpus reads every .docx of the shared corpus: no panics,
// errors only as ErrCorrupt, and text for every readable package whose
// main part has text in it.
func TestReadDOCXCorpus(t *testing.T) {
	root, _ := corpus.Dir()
	dir := filepath.Join(root, "docx")
	files, _ := filepath.Glob(filepath.Join(dir, "*.docx"))
	if len(files) == 0 {
		t.Skip("no corpus at " + dir)
	}
	manifest := docxTestManifest(t, filepath.Join(dir, "..", "MANIFEST.tsv"))
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := docxTestRead(t, data)
			if err != nil {
				if errors.Is(err, errDocxPanic) {
					t.Fatalf("panic: %v", err)
				}
				if !errors.Is(err, extractor.ErrCorrupt) {
					t.Errorf("error %v is not ErrCorrupt", err)
				}
			}
			row, ok := manifest["docx/"+name]
			if !ok || row.container != "zip" {
				return
			}
			for _, bad := range []string{"corrupt", "malformed", "xml-bomb", "encrypted"} {
				if strings.Contains(row.category, bad) {
					return
				}
			}
			if err != nil {
				t.Fatalf("readable package (%s) failed: %v", row.category, err)
			}
			var text int
			for _, list := range [][]extractor.Block{doc.Blocks, doc.Furniture} {
				for i := range list {
					text += len(strings.TrimSpace(docxBlockText(&list[i])))
				}
			}
			if text == 0 && docxTestRawText(t, data) {
				t.Errorf("no text read, but the document part has text (%s)", row.category)
			}
		})
	}
}

type docxManifestRow struct{ container, category string }

func docxTestManifest(t *testing.T, path string) map[string]docxManifestRow {
	out := map[string]docxManifestRow{}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Logf("no manifest: %v", err)
		return out
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) == 0 {
		return out
	}
	col := map[string]int{}
	for i, h := range strings.Split(lines[0], "\t") {
		col[h] = i
	}
	pi, ci, ki := col["path"], col["container"], col["category"]
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) <= max(pi, ci, ki) {
			continue
		}
		out[f[pi]] = docxManifestRow{container: f[ci], category: f[ki]}
	}
	return out
}

// docxTestRawText reports whether word/document.xml holds visible text in
// a text element, read without ReadDOCX.
func docxTestRawText(t *testing.T, data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, "word/document.xml") {
			rc, err := f.Open()
			if err != nil {
				return false
			}
			b, _ := io.ReadAll(io.LimitReader(rc, 64<<20))
			rc.Close()
			return docxRawTextRe.Match(b)
		}
	}
	return false
}

// BenchmarkReadDOCX reads a realistic application: 14 pages worth of
// headings, answers, lists, check boxes and a budget table, plus a
// 200 KB styles part (700 styles; Word writes 350 KB, see samples/gen).
func BenchmarkReadDOCX(b *testing.B) {
	var body strings.Builder
	for q := range 40 {
		body.WriteString(docxPS("Heading2", docxR(fmt.Sprintf("Fråga %d (*)", q+1))))
		for range 4 {
			body.WriteString(docxP(docxR("Syftet är att med ett motiverande och coachande arbetssätt tillhandahålla ett samordnat och ") +
				`<w:r><w:rPr><w:b/></w:rPr><w:t>förstärkt stöd</w:t></w:r>` + docxR(" till personer i arbetsför ålder.")))
		}
		body.WriteString(docxNumP("1", "0", "Att ta fram rutiner för samverkan") + docxNumP("2", "0", "Att minst 15 individer"))
	}
	body.WriteString(`<w:tbl><w:tblGrid>` + strings.Repeat("<w:gridCol/>", 9) + `</w:tblGrid>`)
	for range 30 {
		body.WriteString(`<w:tr>`)
		for c := range 9 {
			body.WriteString(docxTC(`<w:tcW w:w="1000" w:type="dxa"/>`, docxP(docxR(fmt.Sprintf("%d 000", c*100)))))
		}
		body.WriteString(`</w:tr>`)
	}
	body.WriteString(`</w:tbl>`)
	var styles strings.Builder
	styles.WriteString(strings.TrimSuffix(docxTestStyles, "</w:styles>"))
	for i := range 700 {
		fmt.Fprintf(&styles, `<w:style w:type="paragraph" w:customStyle="1" w:styleId="Extra%d"><w:name w:val="Extra %d"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="120" w:after="120"/><w:ind w:left="720"/></w:pPr><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/></w:rPr></w:style>`, i, i)
	}
	styles.WriteString("</w:styles>")
	pkg := docxTestPackage(b, body.String(), map[string]string{"word/styles.xml": styles.String()})
	// A process reading its first document from a template parses the
	// styles part; the next ones find it kept (readStyles).
	b.Run("application/new styles", func(b *testing.B) {
		b.SetBytes(int64(len(pkg)))
		b.ReportAllocs()
		for b.Loop() {
			docxStylesCache = &docxStylesLRU{m: map[docxStylesKey]docxStylesResult{}}
			if _, err := docxTestRead(b, pkg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("application/styles seen", func(b *testing.B) {
		b.SetBytes(int64(len(pkg)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := docxTestRead(b, pkg); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The least any reading of the styles part as XML costs: the
	// tokenizer alone, without namespaces or checks (what keeping only
	// the entries the document uses would still pay).
	b.Run("styles part/tokens only", func(b *testing.B) {
		data := []byte(styles.String())
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			d := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := d.RawToken(); err != nil {
					break
				}
			}
		}
	})
	b.Run("styles part/parse, scanner", func(b *testing.B) {
		data := []byte(styles.String())
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := docxParseStyles(data, "word/styles.xml", extractor.DefaultLimits()); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, raw := range []bool{true, false} {
		name := "styles part/parse, local names"
		if !raw {
			name = "styles part/parse, Token"
		}
		b.Run(name, func(b *testing.B) {
			defer func(v bool) { docxRawTokens = v }(docxRawTokens)
			docxRawTokens = raw
			data := []byte(styles.String())
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				st := &docxStyles{byID: map[string]*docxStyle{}}
				if err := docxParseXML(bytes.NewReader(data), "word/styles.xml", extractor.DefaultLimits(), st.parse); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The largest real documents of the shared corpus, when present.
	for _, name := range []string{"openxmlsdk--Strict01.docx", "unstructured--handbook-872p.docx"} {
		root, ok := corpus.Dir()
		if !ok {
			break
		}
		data, err := os.ReadFile(filepath.Join(root, "docx", name))
		if err != nil {
			continue
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := docxTestRead(b, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// testdata/docx/writer.docx is writer.html converted by LibreOffice
// (soffice --headless --convert-to docx): a real producer's package, read
// through Read as the pipeline does.
func TestReadDOCXWriterFile(t *testing.T) {
	doc, err := readFile(filepath.Join("testdata", "writer.docx"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != extractor.FormatDOCX || doc.Name != "writer.docx" || doc.SHA256 == "" {
		t.Errorf("document header: format %q name %q sha %q", doc.Format, doc.Name, doc.SHA256)
	}
	docxTestCompare(t, "Blocks", docxSummary(doc.Blocks), []string{
		`¶1 "Heading 1" L1 bold "Ansökan samverkansinsats"`,
		`¶2 "Heading 2" L2 bold "Beskriv syftet med insatsen (*)"`,
		`¶3 "Body Text" "Syftet är att ge förstärkt stöd till deltagare."`,
		`•4 "Body Text" •/0 "Att ta fram rutiner"`,
		`•5 "Body Text" •/0 "Att utveckla samverkan"`,
		`•6 "Body Text" •/1 "underpunkt"`,
		`•7 "Body Text" 1./0 "Första målet"`,
		`•8 "Body Text" 2./0 "Andra målet"`,
		`T9 cols=3`,
		`  r0c0+2 "Kostnad"`,
		`    ¶9 "Table Heading" bold "Kostnad"`,
		`  r0c2 "Totalt"`,
		`    ¶10 "Table Heading" bold "Totalt"`,
		`  r1c0 "Lokalhyra"`,
		`    ¶11 "Table Contents" "Lokalhyra"`,
		`  r1c1 "86\u00a0400"`,
		`    ¶12 "Table Contents" "86\u00a0400"`,
		`  r1c2 merged`,
		`¶14 "Body Text" "☒ Ja ☐ Nej"`,
	})
}

// A styles part read a second time comes from the process's cache and
// gives the same document; a broken one is refused the same way twice,
// and the same bytes under other limits are parsed again, not taken from
// the cache.
func TestReadDOCXStylesCache(t *testing.T) {
	docxStylesCache = &docxStylesLRU{m: map[docxStylesKey]docxStylesResult{}}
	body := docxPS("Heading1", docxR("Rubrik")) + docxP(docxR("Text"))
	good := docxTestPackage(t, body, nil)
	broken := docxTestPackage(t, body, map[string]string{"word/styles.xml": strings.Replace(docxTestStyles, "</w:styles>", "</w:style>", 1)})
	read := func(pkg []byte, lim extractor.Limits) ([]string, error) {
		doc, err := ReadLimited(bytes.NewReader(pkg), int64(len(pkg)), lim)
		if err != nil {
			return nil, err
		}
		return docxSummary(doc.Blocks), nil
	}
	first, err := read(good, extractor.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(first, "\n"), "L1") {
		t.Fatalf("the heading has no level: %q", first)
	}
	firstBroken, err := read(broken, extractor.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docxStylesCache.m) != 2 {
		t.Fatalf("%d styles parts kept, want 2", len(docxStylesCache.m))
	}
	again, _ := read(good, extractor.Limits{})
	againBroken, _ := read(broken, extractor.Limits{})
	docxTestCompare(t, "good, from the cache", again, first)
	docxTestCompare(t, "broken, from the cache", againBroken, firstBroken)
	if strings.Join(firstBroken, "\n") == strings.Join(first, "\n") {
		t.Error("a broken styles part read like a good one")
	}
	// Tighter limits: parsed again, and refused.
	if _, err := read(good, extractor.Limits{MaxXMLElements: 20}); !errors.Is(err, extractor.ErrLimit) {
		t.Errorf("MaxXMLElements 20: err = %v, want ErrLimit", err)
	}
	if len(docxStylesCache.m) != 3 {
		t.Errorf("%d styles parts kept, want 3", len(docxStylesCache.m))
	}
}
