package main

// Word features of form-style templates: content controls, legacy form
// fields, w14 check boxes, tracked changes, hyperlinks and text boxes.

import (
	"fmt"
	"strings"
)

var sdtID = 1000

func nextSdtID() int { sdtID++; return sdtID }

// blockSdt wraps block-level content (paragraphs) in a content control.
// placeholder marks the content as the control's placeholder text
// (w:showingPlcHdr), as when the applicant never typed into it.
func blockSdt(alias, tag string, placeholder bool, content string) string {
	pr := fmt.Sprintf(`<w:alias w:val="%s"/><w:tag w:val="%s"/><w:id w:val="%d"/>`, esc(alias), esc(tag), nextSdtID())
	if placeholder {
		pr += `<w:showingPlcHdr/>`
	}
	return `<w:sdt><w:sdtPr>` + pr + `</w:sdtPr><w:sdtContent>` + content + `</w:sdtContent></w:sdt>`
}

// inlineSdt is a run-level content control holding runs.
func inlineSdt(alias, tag string, runs ...run) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<w:sdt><w:sdtPr><w:alias w:val="%s"/><w:tag w:val="%s"/><w:id w:val="%d"/><w:text/></w:sdtPr><w:sdtContent>`, esc(alias), esc(tag), nextSdtID())
	for _, r := range runs {
		b.WriteString(r.xml())
	}
	b.WriteString(`</w:sdtContent></w:sdt>`)
	return b.String()
}

// formCheckbox is a legacy FORMCHECKBOX field.
func formCheckbox(name string, checked bool) string {
	state := `<w:default w:val="0"/>`
	if checked {
		state = `<w:default w:val="0"/><w:checked/>`
	}
	return `<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="` + esc(name) + `"/><w:enabled/><w:calcOnExit w:val="0"/>` +
		`<w:checkBox><w:sizeAuto/>` + state + `</w:checkBox></w:ffData></w:fldChar></w:r>` +
		`<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
		`<w:r><w:fldChar w:fldCharType="end"/></w:r>`
}

// w14Checkbox is a check box content control (Word 2010 and later).
func w14Checkbox(tag string, checked bool) string {
	val, ch := "0", "☐"
	if checked {
		val, ch = "1", "☒"
	}
	return fmt.Sprintf(`<w:sdt><w:sdtPr><w:tag w:val="%s"/><w:id w:val="%d"/>`+
		`<w14:checkbox><w14:checked w14:val="%s"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>`+
		`</w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" w:hint="eastAsia"/></w:rPr><w:t>%s</w:t></w:r></w:sdtContent></w:sdt>`,
		esc(tag), nextSdtID(), val, ch)
}

// trackedChange replaces del with ins as an unaccepted revision.
func trackedChange(author, date, del, ins string) string {
	return fmt.Sprintf(`<w:del w:id="%d" w:author="%s" w:date="%s"><w:r><w:delText xml:space="preserve">%s</w:delText></w:r></w:del>`+
		`<w:ins w:id="%d" w:author="%s" w:date="%s"><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:ins>`,
		nextSdtID(), esc(author), date, esc(del), nextSdtID(), esc(author), date, esc(ins))
}

// hyperlink renders a w:hyperlink to an external target.
func (d *doc) hyperlink(target, text string) string {
	id := d.link(target)
	return `<w:hyperlink r:id="` + id + `" w:history="1">` + run{text: text, style: "Hyperlink"}.xml() + `</w:hyperlink>`
}

// textBox renders a run holding a floating text box: a DrawingML shape
// (wps:txbx) for Word 2010 and later, with the VML fallback Word writes
// for older readers. paras is the box's block content.
func textBox(name string, paras string) string {
	const cx, cy = 5760720, 720000 // EMU: 16 cm × 2 cm
	return `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>` +
		`<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">` +
		`<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>left</wp:align></wp:positionH>` +
		`<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>` +
		fmt.Sprintf(`<wp:extent cx="%d" cy="%d"/>`, cx, cy) +
		`<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>` +
		`<wp:docPr id="1" name="` + esc(name) + `"/><wp:cNvGraphicFramePr/>` +
		`<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">` +
		`<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>` +
		fmt.Sprintf(`<a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm>`, cx, cy) +
		`<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="FFF2CC"/></a:solidFill>` +
		`<a:ln w="6350"><a:solidFill><a:srgbClr val="BF9000"/></a:solidFill></a:ln></wps:spPr>` +
		`<wps:txbx><w:txbxContent>` + paras + `</w:txbxContent></wps:txbx>` +
		`<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr>` +
		`</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>` +
		`<v:shape id="` + esc(name) + `" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute;margin-left:0;margin-top:0;width:453.6pt;height:56.7pt;z-index:251659264;mso-position-horizontal:left;mso-position-horizontal-relative:margin" fillcolor="#fff2cc" strokecolor="#bf9000" strokeweight=".5pt">` +
		`<v:textbox><w:txbxContent>` + paras + `</w:txbxContent></v:textbox><w10:wrap type="topAndBottom"/></v:shape></w:pict></mc:Fallback>` +
		`</mc:AlternateContent></w:r>`
}
