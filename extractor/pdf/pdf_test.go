package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/corpus"
)

func pdfTestRead(t testing.TB, name string) *extractor.Document {
	t.Helper()
	doc, err := readFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

// pdfDump renders a document for debugging and failure messages.
func pdfDump(doc *extractor.Document) string {
	var b strings.Builder
	for _, bl := range doc.Blocks {
		fmt.Fprintf(&b, "p%d y=%.0f x=%.0f-%.0f %s", bl.Page, bl.Y, bl.X0, bl.X1, bl.Kind)
		if bl.Level > 0 {
			fmt.Fprintf(&b, " H%d", bl.Level)
		}
		if bl.Bold {
			b.WriteString(" bold")
		}
		if bl.ListMarker != "" {
			fmt.Fprintf(&b, " [%s L%d]", bl.ListMarker, bl.ListLevel)
		}
		if bl.Table != nil {
			fmt.Fprintf(&b, " cols=%d\n", bl.Table.Columns)
			for _, r := range bl.Table.Rows {
				fmt.Fprintf(&b, "    y=%.0f %q\n", r.Y, pdfCellTexts(r))
			}
			continue
		}
		fmt.Fprintf(&b, " %q\n", bl.Text)
	}
	for _, f := range doc.Furniture {
		fmt.Fprintf(&b, "FURN p%d %s y=%.0f %q\n", f.Page, f.Furniture, f.Y, f.Text)
	}
	fmt.Fprintf(&b, "pages=%d notext=%v\n", doc.Pages, doc.NoTextPages)
	return b.String()
}

// TestPDFDump prints a file's blocks: PDFDUMP=path go test -run TestPDFDump -v
func TestPDFDump(t *testing.T) {
	path := os.Getenv("PDFDUMP")
	if path == "" {
		t.Skip("PDFDUMP not set")
	}
	doc, err := readFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + pdfDump(doc))
}

func pdfBodyText(doc *extractor.Document) string {
	var b strings.Builder
	for _, bl := range doc.Blocks {
		if bl.Table != nil {
			for _, r := range bl.Table.Rows {
				b.WriteString(strings.Join(pdfCellTexts(r), " | "))
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteString(bl.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

func pdfFind(doc *extractor.Document, pred func(extractor.Block) bool) *extractor.Block {
	for i := range doc.Blocks {
		if pred(doc.Blocks[i]) {
			return &doc.Blocks[i]
		}
	}
	return nil
}

func TestReadPDFWriterDocument(t *testing.T) {
	doc := pdfTestRead(t, "ansokan.pdf")
	if doc.Pages != 11 || doc.Format != extractor.FormatPDF || len(doc.NoTextPages) != 0 {
		t.Fatalf("pages=%d format=%s notext=%v", doc.Pages, doc.Format, doc.NoTextPages)
	}
	dump := pdfDump(doc)

	h := pdfFind(doc, func(b extractor.Block) bool { return b.Text == "Beskriv syftet med insatsen (*)" })
	if h == nil || h.Level != 1 || !h.Bold || h.Page != 1 || h.X0 < 50 || h.X0 > 60 {
		t.Errorf("heading 1: %+v\n%s", h, dump)
	}
	h2 := pdfFind(doc, func(b extractor.Block) bool { return b.Text == "Effektmål" })
	if h2 == nil || h2.Level != 2 {
		t.Errorf("heading 2: %+v", h2)
	}
	// A bullet that wraps over two lines is one list item; the marker is
	// not in the text.
	li := pdfFind(doc, func(b extractor.Block) bool { return strings.HasPrefix(b.Text, "Deltagarna upplever") })
	want := "Deltagarna upplever ett bättre samordnat stöd från myndigheterna och kan beskriva sin egen plan framåt efter tolv månader i insatsen."
	if li == nil || li.Kind != extractor.KindListItem || li.ListMarker != "•" || li.Text != want {
		t.Errorf("bullet item: %+v", li)
	}
	num := pdfFind(doc, func(b extractor.Block) bool { return b.Text == "Gemensam planering med parterna." })
	if num == nil || num.Kind != extractor.KindListItem || num.ListMarker != "2." {
		t.Errorf("numbered item: %+v", num)
	}
	// Wrapped body paragraphs are joined: the first answer is one block of
	// many lines.
	p := pdfFind(doc, func(b extractor.Block) bool { return strings.HasPrefix(b.Text, "Region möten följs deltagarna") })
	if p == nil || len(p.Text) < 500 || strings.Contains(p.Text, "\n") || p.Kind != extractor.KindParagraph || p.Level != 0 {
		t.Errorf("paragraph: %+v", p)
	}

	// Furniture: header, page number and stamp on every page, none in the body.
	count := map[string]int{}
	for _, f := range doc.Furniture {
		count[f.Furniture]++
		if f.Furniture == extractor.FurniturePageNumber && f.Text != fmt.Sprintf("Sida %d av 11", f.Page) {
			t.Errorf("page number on page %d: %q", f.Page, f.Text)
		}
		if f.Furniture == extractor.FurnitureStamp && f.Text != "v:19-07-10" {
			t.Errorf("stamp: %q", f.Text)
		}
		if f.Furniture == extractor.FurnitureHeader && f.Text != "Ansökan samverkansinsats Samordningsförbundet Uppsala län" {
			t.Errorf("header: %q", f.Text)
		}
	}
	if count[extractor.FurnitureHeader] != 11 || count[extractor.FurniturePageNumber] != 11 || count[extractor.FurnitureStamp] != 11 {
		t.Errorf("furniture counts %v", count)
	}
	body := pdfBodyText(doc)
	for _, bad := range []string{"v:19-07-10", "Sida 3 av 11", "Samordningsförbundet Uppsala län", "\uF0B7"} {
		if strings.Contains(body, bad) {
			t.Errorf("body holds furniture %q", bad)
		}
	}
	// Ja/Nej: the typed x sits under "Ja" (by x).
	jn := pdfFind(doc, func(b extractor.Block) bool {
		return b.Table != nil && len(b.Table.Rows) > 0 && strings.Join(pdfCellTexts(b.Table.Rows[0]), "|") == "Ja|Nej"
	})
	if jn == nil {
		t.Fatalf("no Ja/Nej table\n%s", dump)
	}
	if len(jn.Table.Rows) != 2 || jn.Table.Rows[1].Cells[0].Text != "x" || jn.Table.Rows[1].Cells[1].Text != "" {
		t.Errorf("Ja/Nej rows: %+v", jn.Table.Rows)
	}
}

// pdfCheckBudget checks the budget table every budget fixture holds: the
// two adjacent "500 000" are two cells, the wrapped label is one cell, the
// empty party cell of Lokalhyra is empty.
func pdfCheckBudget(t *testing.T, name string, tb *extractor.Table, fullLabel bool) {
	t.Helper()
	if tb.Columns != 6 {
		t.Errorf("%s: %d columns", name, tb.Columns)
	}
	var rows [][]string
	for _, r := range tb.Rows {
		rows = append(rows, pdfCellTexts(r))
		if r.Page == 0 || r.Y == 0 {
			t.Errorf("%s: row without position %+v", name, r)
		}
	}
	label := "Inköpta utredningar, utbildningar och tjänster avsedda för deltagare"
	if !fullLabel {
		label = "Inköpta utredningar, u"
	}
	want := [][]string{
		{"Lokalhyra", "1/1-2023", "31/12-2023", "86 400", "", "86 400"},
		{label, "1/1-2023", "31/12-2023", "500 000", "500 000", "1 000 000"},
		{"Personalkostnader", "1/1-2023", "31/12-2023", "672 000", "336 000", "1 008 000"},
		{"Summa", "", "", "1 258 400", "836 000", "2 094 400"},
	}
	if len(rows) != 5 {
		t.Fatalf("%s: %d rows: %q", name, len(rows), rows)
	}
	if rows[0][0] != "Kostnader" || !strings.HasPrefix(rows[0][3], "Huvudinsatsäg") || rows[0][5] != "Totalt" {
		t.Errorf("%s: header %q", name, rows[0])
	}
	for i, w := range want {
		if strings.Join(rows[i+1], "|") != strings.Join(w, "|") {
			t.Errorf("%s: row %d\n got %q\nwant %q", name, i+1, rows[i+1], w)
		}
	}
	// Cells keep their columns and positions: the two 500 000 lie apart.
	r := tb.Rows[2]
	if r.Cells[3].Col != 3 || r.Cells[4].Col != 4 || r.Cells[4].X0 <= r.Cells[3].X1 {
		t.Errorf("%s: 500 000 cells %+v %+v", name, r.Cells[3], r.Cells[4])
	}
}

func TestReadPDFBudgetTables(t *testing.T) {
	doc := pdfTestRead(t, "ansokan.pdf")
	var tables []*extractor.Table
	for _, b := range doc.Blocks {
		if b.Table != nil && b.Table.Columns == 6 {
			tables = append(tables, b.Table)
		}
	}
	if len(tables) != 2 {
		t.Fatalf("want the ruled and the plain budget, got %d tables\n%s", len(tables), pdfDump(doc))
	}
	pdfCheckBudget(t, "Writer ruled", tables[0], true)
	pdfCheckBudget(t, "Writer plain", tables[1], true)

	calc := pdfTestRead(t, "budget.pdf")
	var ct *extractor.Table
	for _, b := range calc.Blocks {
		if b.Table != nil {
			ct = b.Table
			break
		}
	}
	if ct == nil {
		t.Fatalf("Calc: no table\n%s", pdfDump(calc))
	}
	pdfCheckBudget(t, "Calc", ct, true)

	cid := pdfTestRead(t, "cid.pdf")
	var cidT *extractor.Table
	for _, b := range cid.Blocks {
		if b.Table != nil {
			cidT = b.Table
		}
	}
	if cidT == nil {
		t.Fatalf("cid: no table\n%s", pdfDump(cid))
	}
	pdfCheckBudget(t, "cid (cells placed by Tm)", cidT, false)
}

func TestReadPDFIdentityH(t *testing.T) {
	doc := pdfTestRead(t, "cid.pdf")
	body := pdfBodyText(doc)
	// Words separated only by TJ offsets get their spaces back.
	for _, want := range []string{
		"Beskriv syftet med insatsen (*)\n",
		"Syftet är att med ett motiverande arbetssätt stödja deltagarna mot arbete eller studier – i samverkan mellan parterna.\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q in\n%s", want, body)
		}
	}
	// The footer comes first in the content stream; it is still furniture.
	var kinds []string
	for _, f := range doc.Furniture {
		kinds = append(kinds, fmt.Sprintf("%d %s %s", f.Page, f.Furniture, f.Text))
	}
	got := strings.Join(kinds, "\n")
	for _, want := range []string{
		"1 page_number Sida 1 av 2", "1 template_stamp v:19-07-10", "2 page_number Sida 2 av 2",
		"1 esign_stamp Verifikat 4711-0815 Signerat med BankID", // drawn bottom to top in the margin
	} {
		if !strings.Contains(got, want) {
			t.Errorf("furniture missing %q:\n%s", want, got)
		}
	}
}

func TestReadPDFOverlaidESign(t *testing.T) {
	doc := pdfTestRead(t, "signed.pdf")
	if doc.Pages != 11 {
		t.Fatalf("pages %d", doc.Pages)
	}
	// Body text inside a Form XObject is read, and the stamp drawn on the
	// same baseline does not mix into it.
	if pdfFind(doc, func(b extractor.Block) bool { return b.Text == "Insatsens namn: Arbetslivsintro Älvkarleby" }) == nil {
		t.Errorf("body line lost or mixed with the stamp\n%s", pdfDump(doc))
	}
	pages := map[int]bool{}
	for _, f := range doc.Furniture {
		if f.Furniture == extractor.FurnitureESign {
			pages[f.Page] = true
			if !strings.Contains(f.Text, "sign.visma.net") && !strings.Contains(f.Text, "Sähköisesti allekirjoitettu") {
				t.Errorf("esign text %q", f.Text)
			}
		}
	}
	if len(pages) != 11 {
		t.Errorf("e-sign stamp found on %d pages", len(pages))
	}
	if strings.Contains(pdfBodyText(doc), "sign.visma.net") {
		t.Error("stamp left in the body")
	}
	if len(pdfTestRead(t, "ansokan.pdf").Blocks) != len(doc.Blocks) {
		t.Errorf("overlay changed the body's block count")
	}
}

func TestReadPDFEncrypted(t *testing.T) {
	// Encrypted without a user password (protected against editing only):
	// RC4, AES-128 and AES-256 all open.
	for _, name := range []string{"enc_aes128.pdf", "enc_rc4.pdf", "enc_aes256.pdf"} {
		doc := pdfTestRead(t, name)
		if !strings.Contains(pdfBodyText(doc), "Beskriv syftet med insatsen (*)") {
			t.Errorf("%s: text not read\n%s", name, pdfDump(doc))
		}
	}
	// AES-256 with object streams: the same document as the plain file.
	plain, enc := pdfTestRead(t, "ansokan.pdf"), pdfTestRead(t, "enc_aes256_objstm.pdf")
	if got, want := pdfDump(enc), pdfDump(plain); got != want {
		t.Errorf("enc_aes256_objstm.pdf differs from ansokan.pdf:\n%s", got)
	}
	// A real user password: refused, saying so.
	for _, name := range []string{"enc_userpw.pdf", "enc_aes256_userpw.pdf"} {
		_, err := readFile(filepath.Join("testdata", name))
		if !errors.Is(err, extractor.ErrEncrypted) || !strings.Contains(err.Error(), "password-protected; send it without a password") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestReadPDFBroken(t *testing.T) {
	_, err := readFile(filepath.Join("testdata", "trunc.pdf"))
	if !errors.Is(err, extractor.ErrCorrupt) || !strings.Contains(err.Error(), "%%EOF") {
		t.Errorf("trunc.pdf: %v", err)
	}
	// Flipped bytes: no panic; an error wrapping ErrCorrupt or a document.
	doc, err := readFile(filepath.Join("testdata", "flipped.pdf"))
	if err != nil && !errors.Is(err, extractor.ErrCorrupt) {
		t.Errorf("flipped.pdf: %v", err)
	}
	if err == nil && doc.Pages == 0 {
		t.Error("flipped.pdf: no pages and no error")
	}
	// One unreadable page loses only that page.
	doc = pdfTestRead(t, "badpage.pdf")
	if doc.Pages != 2 || len(doc.NoTextPages) != 1 || doc.NoTextPages[0] != 2 ||
		pdfBodyText(doc) != "Sida ett fungerar.\n" {
		t.Errorf("badpage.pdf: %s", pdfDump(doc))
	}
	data, err := os.ReadFile(filepath.Join("testdata", "ansokan.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	// Trailing bytes after %%EOF and a PDF 2.0 header are repaired.
	padded := append(append([]byte(nil), data...), bytes.Repeat([]byte("x"), 500)...)
	copy(padded, "%PDF-2.0")
	doc, err = Read(bytes.NewReader(padded), int64(len(padded)))
	if err != nil || doc.Pages != 11 {
		t.Errorf("padded, PDF 2.0 header: %v", err)
	}
}

func TestReadPDFImageOnly(t *testing.T) {
	doc := pdfTestRead(t, "image_only.pdf")
	if doc.Pages != 1 || len(doc.NoTextPages) != 1 || doc.NoTextPages[0] != 1 || len(doc.Blocks) != 0 {
		t.Errorf("image only: %s", pdfDump(doc))
	}
}

func TestPDFJoinWrapped(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"ett samordnat", "stöd", "ett samordnat stöd"},
		{"avvikelse-", "rapporteras", "avvikelse-rapporteras"},
		{"Region Uppsala och", "Älvkarleby", "Region Uppsala och Älvkarleby"},
		{"kommun-", "Region", "kommun- Region"}, // capital: a list of compounds ("kommun- och …") keeps its space
		{"samverkans\u00ad", "insats", "samverkansinsats"},
		{"", "x", "x"},
	} {
		if got := pdfJoinWrapped(tc.a, tc.b); got != tc.want {
			t.Errorf("pdfJoinWrapped(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestPDFCleanGlyph(t *testing.T) {
	sym := &pdfFont{name: "Symbol"}
	ding := &pdfFont{name: "Wingdings-Regular"}
	plain := &pdfFont{name: "LiberationSans"}
	for _, tc := range []struct {
		s    string
		f    *pdfFont
		want string
	}{
		{"\uF0B7", sym, "•"}, {"\uF0A7", ding, "•"}, {"\uF0D8", ding, "•"}, {"\uF076", ding, "•"},
		{"\uF0FC", ding, "•"}, {"\uF06F", ding, "☐"}, {"\uF0FD", ding, "☒"}, {"\uF078", ding, "☒"},
		{"ﬁ", plain, "fi"}, {"ﬂ", plain, "fl"}, {"ﬀ", plain, "ff"}, {"ﬃ", plain, "ffi"}, {"ﬄ", plain, "ffl"},
		{"\uF041", plain, "A"}, {"å", plain, "å"}, {"\uFFFD", plain, ""}, {"\x0A", plain, ""},
	} {
		if got := pdfCleanGlyph(tc.s, tc.f); got != tc.want {
			t.Errorf("pdfCleanGlyph(%q, %s) = %q, want %q", tc.s, tc.f.name, got, tc.want)
		}
	}
}

func TestPDFPageNumberPattern(t *testing.T) {
	for s, want := range map[string]bool{
		"6": true, "Sida 6 av 14": true, "6 (14)": true, "sida 12": true, "Page 3 of 9": true, "- 4 -": true, "6/14": true,
		"v:19-07-10": false, "1 000 000": false, "Sida": false, "2023": false, "Totalt 6": false,
	} {
		if got := pdfPageNumRe().MatchString(s); got != want {
			t.Errorf("%q: page number = %v, want %v", s, got, want)
		}
	}
}

// TestReadPDFCorpus reads every PDF of the shared robustness corpus: no
// panic, and either a document or an error wrapping one of the sentinels.
// The limits bound the work; a file that hangs trips go test's timeout.
// Skipped when the corpus is absent.
func TestReadPDFCorpus(t *testing.T) {
	root, _ := corpus.Dir()
	dir := filepath.Join(root, "pdf")
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Skip("no corpus at " + dir)
	}
	var withText, noText, failed int
	reasons := map[string]int{}
	for _, path := range files {
		name := filepath.Base(path)
		doc, err, pan := func() (doc *extractor.Document, err error, pan any) {
			defer func() { pan = recover() }()
			doc, err = readFile(path)
			return doc, err, nil
		}()
		switch {
		case pan != nil:
			t.Errorf("%s: panic: %s", name, pdfPanicText(pan))
		case err != nil:
			failed++
			if !errors.Is(err, extractor.ErrCorrupt) && !errors.Is(err, extractor.ErrEncrypted) &&
				!errors.Is(err, extractor.ErrUnsupported) && !errors.Is(err, extractor.ErrEmpty) && !errors.Is(err, extractor.ErrLimit) {
				t.Errorf("%s: error without a sentinel: %v", name, err)
			}
			msg := err.Error()
			if i := strings.LastIndex(msg, ": "); i >= 0 && len(msg) > 60 {
				msg = msg[:min(len(msg), 60)]
			}
			reasons[msg]++
		case doc == nil:
			t.Errorf("%s: no document and no error", name)
		case len(doc.Blocks) > 0:
			withText++
		default:
			noText++
		}
	}
	t.Logf("corpus: %d files: %d with text, %d without text, %d errors", len(files), withText, noText, failed)
	for msg, n := range reasons {
		t.Logf("  %3d × %s", n, msg)
	}
}

// BenchmarkReadPDF reads the 11-page Writer fixture.
func BenchmarkReadPDF(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "ansokan.pdf"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPDFCheckGlyphs(t *testing.T) {
	box := pdfRule{91.75, 326.389, 103.4, 338.039} // Word's legacy check box as LibreOffice draws it
	cross := pdfRule{91.75, 326.439, 103.35, 338.039}
	far := pdfRule{200, 300, 212, 312}
	if !pdfIsBox(box) || pdfIsBox(pdfRule{0, 0, 100, 11}) || pdfIsBox(pdfRule{0, 0, 3, 3}) {
		t.Error("pdfIsBox")
	}
	got := pdfCheckGlyphs([]pdfRule{box, far}, []pdfRule{cross}, 7)
	if len(got) != 2 || got[0].s != "☒" || got[1].s != "☐" {
		t.Fatalf("glyphs = %+v", got)
	}
	if got[0].x0 != box.x0 || got[0].x1 != box.x1 || got[0].run == got[1].run {
		t.Errorf("placement = %+v", got[0])
	}
	// A short stroke inside the box (a dot, a tick mark's fragment) is no cross.
	if g := pdfCheckGlyphs([]pdfRule{box}, []pdfRule{{95, 330, 96, 331}}, 0); g[0].s != "☐" {
		t.Errorf("a dot checked the box")
	}
}

// A filled-in form keeps its answers in the widgets' appearance streams:
// each is read as a paragraph after its label, check boxes as ☒/☐ from
// their state, and a hidden annotation is not read.
func TestReadPDFForm(t *testing.T) {
	doc := pdfTestRead(t, "form.pdf")
	var got []string
	for _, b := range doc.Blocks {
		got = append(got, b.Text)
	}
	want := []string{"Organisation:", "Region Uppsala", "Godkänner villkoren:", "☒", "Behöver tolk:", "☐"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("blocks %q, want %q\n%s", got, want, pdfDump(doc))
	}
	if strings.Contains(pdfBodyText(doc), "DOLD") {
		t.Errorf("hidden annotation read:\n%s", pdfDump(doc))
	}
}

// Damaged and protected copies of cid.pdf read exactly like cid.pdf: a
// cross-reference table with wrong offsets and a missing or displaced
// header are repaired by finding the objects; an empty owner password
// opens a file with a user password, as it does in other readers.
func TestReadPDFRepairedAndOwnerEmpty(t *testing.T) {
	want := pdfDump(pdfTestRead(t, "cid.pdf"))
	for _, name := range []string{"xref_broken.pdf", "no_header.pdf", "junk_before_header.pdf",
		"enc_aes256_owner_empty.pdf", "cid_objstm.pdf"} {
		doc, err := readFile(filepath.Join("testdata", name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := pdfDump(doc); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", name, got, want)
		}
	}
}
