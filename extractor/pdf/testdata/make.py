#!/usr/bin/python3
"""Builds the PDF fixtures of extractor's PDF tests.

Run from this directory with Debian's python3 (no third-party modules);
needs LibreOffice (soffice), qpdf and poppler-utils (pdftotext). All
people and texts are invented.

  ansokan.fodt -> ansokan.pdf   Writer: title, headings, bullets, numbers,
                                wrapped paragraphs, header, footer "Sida N av M"
                                + "v:19-07-10", a ruled 6-column budget and the
                                same budget without rules, a Ja/Nej table; 12+ pages
  budget.fods  -> budget.pdf    Calc export of a budget (bottom-aligned wrapped label)
  cid.pdf                       hand-built Type0 Identity-H + ToUnicode, words
                                separated only by TJ offsets, footer first in the
                                stream, cells placed by Tm, a rotated margin text
  stamp.pdf, signed.pdf         e-sign stamp (Helvetica, no /Widths) overlaid with
                                qpdf --overlay: body and stamp become Form XObjects
  enc_aes256.pdf, enc_aes128.pdf, enc_rc4.pdf, enc_userpw.pdf (AES-128, user
                                password "hemligt"), enc_aes256_userpw.pdf,
                                enc_aes256_objstm.pdf (AES-256 with object streams)
  cid_objstm.pdf                cid.pdf with object and cross-reference streams
  trunc.pdf, flipped.pdf, image_only.pdf, badpage.pdf (page 2 unreadable)
  xref_broken.pdf, no_header.pdf, junk_before_header.pdf   cid.pdf, damaged
  enc_aes256_owner_empty.pdf    a user password, but an empty owner password
  form.pdf                      a filled-in form: a text field and check boxes whose
                                answers are only in the widgets' appearances
"""
import os
import random
import re
import subprocess
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(HERE)

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"')

FONTS = ('<office:font-face-decls><style:font-face style:name="Liberation Sans" '
         'svg:font-family="\'Liberation Sans\'" style:font-family-generic="swiss"/>'
         '</office:font-face-decls>')


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


QUESTIONS = [
    "Beskriv syftet med insatsen (*)",
    "Beskriv målen med insatsen (*)",
    "Beskriv bakgrunden till/behovet av insatsen (*)",
    "Beskriv målgrupp för insatsen (*)",
    "Beskriv metod/metoder ni kommer använda (*)",
    "Beskriv metod för uppföljning och utvärdering av målen",
    "Beskriv hur ni kommer att ta tillvara resultaten från insatsen",
    "Samverkansparter (*)",
    "Planerad Insatstid",
    "Övriga upplysningar",
]

WORDS = ("insatsen ska ge deltagarna ett samordnat stöd från kommun region "
         "Arbetsförmedlingen och Försäkringskassan så att fler kommer närmare "
         "arbete eller studier genom tidiga kartläggningar gemensamma möten "
         "och en tydlig plan för varje person där ansvaret mellan parterna "
         "är klart uttalat och följs upp varje månad av styrgruppen").split()


def sentence(rnd, n):
    w = [rnd.choice(WORDS) for _ in range(n)]
    return w[0].capitalize() + " " + " ".join(w[1:]) + "."


def para(rnd, sentences):
    return " ".join(sentence(rnd, rnd.randint(8, 16)) for _ in range(sentences))


def cell(text, style="Cell", pstyle="TableText"):
    return (f'<table:table-cell table:style-name="{style}" office:value-type="string">'
            f'<text:p text:style-name="{pstyle}">{esc(text)}</text:p></table:table-cell>')


BUDGET = [
    ["Kostnader", "Från", "Till", "Huvudinsatsägare", "Delinsatsägare 1", "Totalt"],
    ["Lokalhyra", "1/1-2023", "31/12-2023", "86 400", "", "86 400"],
    ["Inköpta utredningar, utbildningar och tjänster avsedda för deltagare",
     "1/1-2023", "31/12-2023", "500 000", "500 000", "1 000 000"],
    ["Personalkostnader", "1/1-2023", "31/12-2023", "672 000", "336 000", "1 008 000"],
    ["Summa", "", "", "1 258 400", "836 000", "2 094 400"],
]


def budget_table(name, ruled):
    cs = "Cell" if ruled else "CellNB"
    x = [f'<table:table table:name="{name}" table:style-name="Tbl">',
         '<table:table-column table:style-name="ColA"/>',
         '<table:table-column table:style-name="ColB" table:number-columns-repeated="2"/>',
         '<table:table-column table:style-name="ColC" table:number-columns-repeated="3"/>']
    for i, row in enumerate(BUDGET):
        x.append('<table:table-row>')
        for j, t in enumerate(row):
            p = "TableHead" if i == 0 else ("TableNum" if j >= 3 else "TableText")
            x.append(cell(t, cs, p))
        x.append('</table:table-row>')
    x.append('</table:table>')
    return "".join(x)


def writer_doc():
    rnd = random.Random(7)
    body = ['<text:p text:style-name="Title">Ansökan om medel för samverkansinsats</text:p>',
            '<text:p text:style-name="Standard">Insatsens namn: Arbetslivsintro Älvkarleby</text:p>']
    for qi, q in enumerate(QUESTIONS):
        body.append(f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{esc(q)}</text:h>')
        for _ in range(6):
            body.append(f'<text:p text:style-name="Standard">{esc(para(rnd, 9))}</text:p>')
        if qi == 1:
            body.append('<text:h text:style-name="Heading_20_2" text:outline-level="2">Effektmål</text:h>')
            body.append('<text:list text:style-name="Bullets">')
            items = ["Minst 40 deltagare har påbörjat arbete eller studier.",
                     "Deltagarna upplever ett bättre samordnat stöd från myndigheterna och "
                     "kan beskriva sin egen plan framåt efter tolv månader i insatsen.",
                     "Handläggarna har en gemensam rutin."]
            for it in items:
                body.append(f'<text:list-item><text:p text:style-name="ListText">{esc(it)}</text:p></text:list-item>')
            body.append('</text:list>')
            body.append('<text:list text:style-name="Numbers">')
            for it in ["Kartläggning av deltagarens behov.", "Gemensam planering med parterna.",
                       "Uppföljning varje månad."]:
                body.append(f'<text:list-item><text:p text:style-name="NumText">{esc(it)}</text:p></text:list-item>')
            body.append('</text:list>')
        if qi == 3:
            body.append('<text:p text:style-name="Standard">Kommer insatsen att vara öppen för sökande utanför kommunen?</text:p>')
            body.append('<table:table table:name="JaNej" table:style-name="TblSmall">'
                        '<table:table-column table:style-name="ColJN" table:number-columns-repeated="2"/>'
                        '<table:table-row>' + cell("Ja", "CellNB") + cell("Nej", "CellNB") + '</table:table-row>'
                        '<table:table-row>' + cell("x", "CellNB") + cell("", "CellNB") + '</table:table-row>'
                        '</table:table>')
        if qi == 8:
            body.append('<text:p text:style-name="Standard">Budget med linjer:</text:p>')
            body.append(budget_table("BudgetRuled", True))
            body.append('<text:p text:style-name="Standard">Budget utan linjer:</text:p>')
            body.append(budget_table("BudgetPlain", False))
    auto = '''
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
 fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
 <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"/></style:header-style>
 <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style></style:page-layout>
<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="17cm" table:align="left"/></style:style>
<style:style style:name="TblSmall" style:family="table"><style:table-properties style:width="8cm" table:align="left"/></style:style>
<style:style style:name="ColA" style:family="table-column"><style:table-column-properties style:column-width="4.4cm"/></style:style>
<style:style style:name="ColB" style:family="table-column"><style:table-column-properties style:column-width="2.2cm"/></style:style>
<style:style style:name="ColC" style:family="table-column"><style:table-column-properties style:column-width="2.7cm"/></style:style>
<style:style style:name="ColJN" style:family="table-column"><style:table-column-properties style:column-width="4cm"/></style:style>
<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.1cm"/></style:style>
<style:style style:name="CellNB" style:family="table-cell"><style:table-cell-properties fo:border="none" fo:padding="0.1cm"/></style:style>
'''
    styles = '''
<style:default-style style:family="paragraph"><style:text-properties style:font-name="Liberation Sans" fo:font-size="11pt" fo:language="sv" fo:country="SE"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm"/></style:style>
<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.4cm"/><style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"><style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-size="15pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"><style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-size="12.5pt" fo:font-weight="bold"/></style:style>
<style:style style:name="ListText" style:family="paragraph" style:list-style-name="Bullets"><style:paragraph-properties fo:margin-bottom="0.1cm"/></style:style>
<style:style style:name="NumText" style:family="paragraph" style:list-style-name="Numbers"><style:paragraph-properties fo:margin-bottom="0.1cm"/></style:style>
<style:style style:name="TableText" style:family="paragraph"><style:text-properties fo:font-size="9pt"/></style:style>
<style:style style:name="TableHead" style:family="paragraph"><style:text-properties fo:font-size="9pt" fo:font-weight="bold"/></style:style>
<style:style style:name="TableNum" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-size="9pt"/></style:style>
<style:style style:name="Header" style:family="paragraph"><style:paragraph-properties><style:tab-stops><style:tab-stop style:position="17cm" style:type="right"/></style:tab-stops></style:paragraph-properties><style:text-properties fo:font-size="9pt"/></style:style>
<style:style style:name="Footer" style:family="paragraph"><style:paragraph-properties><style:tab-stops><style:tab-stop style:position="17cm" style:type="right"/></style:tab-stops></style:paragraph-properties><style:text-properties fo:font-size="9pt"/></style:style>
<text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.27cm" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>
<text:list-style style:name="Numbers"><text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.27cm" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/></style:list-level-properties></text:list-level-style-number></text:list-style>
'''
    master = '''<style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:header><text:p text:style-name="Header">Ansökan samverkansinsats<text:tab/>Samordningsförbundet Uppsala län</text:p></style:header>
<style:footer><text:p text:style-name="Footer">Sida <text:page-number text:select-page="current">1</text:page-number> av <text:page-count>1</text:page-count><text:tab/>v:19-07-10</text:p></style:footer>
</style:master-page>'''
    doc = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.2" '
           f'office:mimetype="application/vnd.oasis.opendocument.text">{FONTS}'
           f'<office:styles>{styles}</office:styles><office:automatic-styles>{auto}</office:automatic-styles>'
           f'<office:master-styles>{master}</office:master-styles>'
           f'<office:body><office:text>{"".join(body)}</office:text></office:body></office:document>\n')
    with open("ansokan.fodt", "w", encoding="utf-8") as f:
        f.write(doc)


def calc_doc():
    auto = '''
<style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="4.5cm"/></style:style>
<style:style style:name="co2" style:family="table-column"><style:table-column-properties style:column-width="2.3cm"/></style:style>
<style:style style:name="co3" style:family="table-column"><style:table-column-properties style:column-width="2.6cm"/></style:style>
<style:style style:name="ce1" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap" fo:border="0.5pt solid #000000" style:vertical-align="bottom"/><style:text-properties fo:font-size="10pt"/></style:style>
<style:style style:name="ce2" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" style:vertical-align="bottom"/><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-size="10pt"/></style:style>
<style:style style:name="ce3" style:family="table-cell"><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>
'''
    rows = ['<table:table-row><table:table-cell table:style-name="ce3" office:value-type="string">'
            '<text:p>Budget - detaljerad Arbetslivsintro</text:p></table:table-cell></table:table-row>',
            '<table:table-row><table:table-cell/></table:table-row>']
    for i, row in enumerate(BUDGET):
        r = ['<table:table-row>']
        for j, t in enumerate(row):
            st = "ce2" if j >= 3 and i > 0 else "ce1"
            if t == "":
                r.append(f'<table:table-cell table:style-name="{st}"/>')
            else:
                r.append(f'<table:table-cell table:style-name="{st}" office:value-type="string"><text:p>{esc(t)}</text:p></table:table-cell>')
        r.append('</table:table-row>')
        rows.append("".join(r))
    doc = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.2" '
           f'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">{FONTS}'
           f'<office:automatic-styles>{auto}</office:automatic-styles>'
           f'<office:body><office:spreadsheet><table:table table:name="Budget - detaljerad">'
           f'<table:table-column table:style-name="co1"/>'
           f'<table:table-column table:style-name="co2" table:number-columns-repeated="2"/>'
           f'<table:table-column table:style-name="co3" table:number-columns-repeated="3"/>'
           f'{"".join(rows)}</table:table></office:spreadsheet></office:body></office:document>\n')
    with open("budget.fods", "w", encoding="utf-8") as f:
        f.write(doc)


def write_pdf(path, objs):
    """objs: list of bytes object bodies, object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, body in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += (b"trailer\n<< /Size %d /Root 1 0 R /ID [<0123456789abcdef0123456789abcdef> "
            b"<0123456789abcdef0123456789abcdef>] >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x))
    with open(path, "wb") as f:
        f.write(out)


def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def hex2(s):
    return "<" + "".join("%04X" % ord(c) for c in s) + ">"


def cid_pdf():
    # Widths: 500 for every CID, 250 for the space (never drawn: words are
    # separated by TJ offsets only).
    tounicode = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                 b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                 b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
                 b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                 b"1 beginbfrange <0020> <00FF> <0020> endbfrange\n"
                 b"1 beginbfchar <2013> <2013> endbfchar\n"
                 b"endcmap CMapName currentdict /CMap defineresource pop end end\n")

    def words(x, y, text, size=11):
        parts = []
        for i, w in enumerate(text.split(" ")):
            if i:
                parts.append("-300")
            parts.append(hex2(w))
        return "BT /F1 %g Tf 1 0 0 1 %g %g Tm [%s] TJ ET\n" % (size, x, y, " ".join(parts))

    def right(x1, y, text, size=10):
        w = len(text) * 0.5 * size
        return "BT /F1 %g Tf 1 0 0 1 %g %g Tm %s Tj ET\n" % (size, x1 - w, y, hex2(text))

    p1 = words(72, 40, "Sida 1 av 2", 9) + words(480, 40, "v:19-07-10", 9)
    p1 += words(72, 760, "Beskriv syftet med insatsen (*)", 14)
    p1 += words(72, 730, "Syftet är att med ett motiverande arbetssätt stödja deltagarna")
    p1 += words(72, 716, "mot arbete eller studier – i samverkan mellan parterna.")
    # A margin text running bottom to top.
    p1 += "BT /F1 8 Tf 0 1 -1 0 30 300 Tm %s Tj ET\n" % hex2("Verifikat 4711-0815 Signerat med BankID")
    p2 = words(72, 40, "Sida 2 av 2", 9) + words(480, 40, "v:19-07-10", 9)
    p2 += words(72, 760, "Budget", 14)
    y = 720
    for row in BUDGET:
        p2 += "BT /F1 10 Tf 1 0 0 1 72 %g Tm %s Tj ET\n" % (y, hex2(row[0][:22]))
        for j, t in enumerate(row[1:], 1):
            if t:
                p2 += right(140 + 90 * j, y, t)
        y -= 20
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Calibri /Encoding /Identity-H "
            b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>")
    desc = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Calibri "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            b"/DW 500 /W [32 [250]] /FontDescriptor 8 0 R >>")
    fd = (b"<< /Type /FontDescriptor /FontName /ABCDEF+Calibri /Flags 32 /FontBBox [0 -250 1000 750] "
          b"/ItalicAngle 0 /Ascent 750 /Descent -250 /CapHeight 700 /StemV 80 >>")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [6 0 R 9 0 R] /Count 2 /MediaBox [0 0 595 842] >>",
        font,  # 3
        desc,  # 4
        stream(tounicode),  # 5
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R >>",  # 6
        stream(p1.encode()),  # 7
        fd,  # 8
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents 10 0 R >>",  # 9
        stream(p2.encode()),  # 10
    ]
    write_pdf("cid.pdf", objs)


def baseline_of(pdf, page, word):
    """Baseline (PDF user space) of the first occurrence of word on a page."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    h = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out):
        if m.group(5) == word:
            ymin, ymax = float(m.group(2)), float(m.group(4))
            return h - (ymax - 0.22 * (ymax - ymin))
    raise SystemExit("word not found: " + word)


def stamp_pdf(y):
    url = "https://sign.visma.net/sv/document-check/7c1e2d9a-5b3f-4e11-9a2c-0d8f6b4e2a17"
    line2 = "Electronically signed / S\xe4hk\xf6isesti allekirjoitettu / Elektroniskt signerad"
    c = ("BT /F1 7 Tf 1 0 0 1 300 %g Tm (%s) Tj ET\n" % (y, url) +
         "BT /F1 7 Tf 1 0 0 1 300 %g Tm (%s) Tj ET\n" % (y - 9, line2))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595.3 841.9] >>",
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(c.encode("latin-1")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    write_pdf("stamp.pdf", objs)


def image_pdf():
    w, h = 40, 40
    pix = bytes((x * 5 + y * 3) % 256 for y in range(h) for x in range(w))
    img = zlib.compress(pix)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"q 500 0 0 500 40 200 cm /Im1 Do Q"),
        stream(img, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
               b"/BitsPerComponent 8 /Filter /FlateDecode " % (w, h)),
    ]
    write_pdf("image_only.pdf", objs)


def badpage_pdf():
    """Page 2's content stream names an unknown filter: the parser panics on it."""
    c1 = b"BT /F1 12 Tf 72 700 Td (Sida ett fungerar.) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 /MediaBox [0 0 595 842] >>",
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 7 0 R >> >> /Contents 4 0 R >>",
        stream(c1),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 7 0 R >> >> /Contents 6 0 R >>",
        stream(b"garbage", b"/Filter /BogusDecode "),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    write_pdf("badpage.pdf", objs)


def form_pdf():
    """A filled-in PDF form: the answers live in the widgets' appearance
    streams (a text field, two check boxes), not in the page content; a
    hidden note must not be read."""
    page = ("BT /F1 11 Tf 72 700 Td (Organisation:) Tj ET "
            "BT /F1 11 Tf 72 660 Td (Godk\xe4nner villkoren:) Tj ET "
            "BT /F1 11 Tf 72 630 Td (Beh\xf6ver tolk:) Tj ET").encode("latin-1")
    tx = b"/Tx BMC q BT /Helv 10 Tf 2 4 Td (Region Uppsala) Tj ET Q EMC"
    check = b"q BT /ZaDb 10 Tf 1 2 Td (4) Tj ET Q"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 6 0 R 8 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 11 0 R >> >> /Contents 10 0 R "
        b"/Annots [4 0 R 6 0 R 8 0 R 13 0 R] >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (org) /V (Region Uppsala) /Rect [180 695 400 712] "
        b"/F 4 /P 3 0 R /AP << /N 5 0 R >> >>",
        stream(tx, b"/Type /XObject /Subtype /Form /BBox [0 0 220 17] /Resources << /Font << /Helv 11 0 R >> >> "),
        b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (ok) /V /Yes /AS /Yes /Rect [200 655 212 667] "
        b"/F 4 /P 3 0 R /AP << /N << /Yes 7 0 R /Off 9 0 R >> >> >>",
        stream(check, b"/Type /XObject /Subtype /Form /BBox [0 0 12 12] /Resources << /Font << /ZaDb 12 0 R >> >> "),
        b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (tolk) /V /Off /AS /Off /Rect [200 625 212 637] "
        b"/F 4 /P 3 0 R /AP << /N << /Yes 7 0 R /Off 9 0 R >> >> >>",
        stream(b"", b"/Type /XObject /Subtype /Form /BBox [0 0 12 12] "),
        stream(page),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >>",
        b"<< /Type /Annot /Subtype /FreeText /F 2 /Rect [72 500 300 520] /Contents (dold) /AP << /N 14 0 R >> >>",
        stream(b"BT /Helv 10 Tf 2 4 Td (DOLD ANTECKNING) Tj ET", b"/Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /Helv 11 0 R >> >> "),
    ]
    write_pdf("form.pdf", objs)


def broken_pdfs():
    """cid.pdf with a broken cross-reference table (every offset 0), without
    its header line, and behind 200 bytes of mail headers."""
    data = open("cid.pdf", "rb").read()
    i = data.rindex(b"\nxref\n") + 1
    tail = re.sub(rb"\d{10} (\d{5}) n", rb"0000000000 \1 n", data[i:])
    open("xref_broken.pdf", "wb").write(data[:i] + tail)
    assert data.startswith(b"%PDF-1.4\n")
    open("no_header.pdf", "wb").write(data[len(b"%PDF-1.4\n"):])
    junk = b"From: ansokan@example.org\r\nContent-Type: application/pdf\r\n\r\n"
    open("junk_before_header.pdf", "wb").write(junk + data)


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    writer_doc()
    calc_doc()
    run("soffice", "--headless", "--convert-to", "pdf", "ansokan.fodt")
    run("soffice", "--headless", "--convert-to", "pdf", "budget.fods")
    cid_pdf()
    image_pdf()
    badpage_pdf()
    form_pdf()
    stamp_pdf(baseline_of("ansokan.pdf", 1, "Insatsens"))
    run("qpdf", "--overlay", "stamp.pdf", "--repeat=1", "--", "ansokan.pdf", "signed.pdf")
    run("qpdf", "--encrypt", "", "owner", "256", "--", "cid.pdf", "enc_aes256.pdf")
    run("qpdf", "--encrypt", "", "owner", "128", "--use-aes=y", "--", "cid.pdf", "enc_aes128.pdf")
    run("qpdf", "--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--", "cid.pdf", "enc_rc4.pdf")
    run("qpdf", "--encrypt", "hemligt", "owner", "128", "--use-aes=y", "--", "cid.pdf", "enc_userpw.pdf")
    run("qpdf", "--encrypt", "hemligt", "owner", "256", "--", "cid.pdf", "enc_aes256_userpw.pdf")
    run("qpdf", "--object-streams=generate", "--encrypt", "", "owner", "256", "--", "ansokan.pdf", "enc_aes256_objstm.pdf")
    run("qpdf", "--object-streams=generate", "cid.pdf", "cid_objstm.pdf")
    # A user password, but an empty owner password: opens without one.
    run("qpdf", "--encrypt", "hemligt", "", "256", "--allow-insecure", "--", "cid.pdf", "enc_aes256_owner_empty.pdf")
    broken_pdfs()
    data = open("ansokan.pdf", "rb").read()
    open("trunc.pdf", "wb").write(data[: len(data) // 2])
    rnd = random.Random(42)
    b = bytearray(data)
    for _ in range(40):
        i = rnd.randrange(1000, len(b))
        b[i] ^= 0xFF
    open("flipped.pdf", "wb").write(bytes(b))


if __name__ == "__main__":
    main()
