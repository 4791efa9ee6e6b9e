// Package planted makes an application with personnummer and
// samordningsnummer planted in every place a string of the record can
// come from, for the tests that prove none comes out unmasked: the form
// (title, owner units, body text, extra headings and their text, the
// partner line, the anchoring answer, the agreement text, signature
// names and e-mails in the signature tables), the budget workbook (row
// labels, a column header, a sheet name) and the file names. It rewrites
// the seed003 sample (a Word form and its budget workbook), so the
// documents are real ones the pipeline reads in full.
package planted

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/schema"
)

// Plant is one planted number and where it was put.
type Plant struct {
	Where  string // "form: title", "budget: row label", "file name", …
	Number string // as written in the document
	// Path is where in the record the text is kept, a JSON Pointer
	// prefix, so a privacy.personnummer finding is due there: "/title",
	// "/extra_sections/"; "" when the record does not keep the text (a
	// partner line is read as its organisation's canonical name; a sheet
	// name is only in findings' evidence; the bytes of an unreadable file).
	Path string
}

// File is one file of the planted submission.
type File struct {
	Name string
	Data []byte
}

// Submission is the planted application: a Word form, its budget
// workbook and an unreadable attachment (an error finding: the record is
// incomplete and goes to the alerts too), each named with a number.
type Submission struct {
	Files  []File
	Plants []Plant
}

// Number returns the i-th of a series of distinct valid numbers, in
// turn a personnummer as YYMMDD-NNNC, as YYYYMMDD-NNNC, as twelve digits,
// and a samordningsnummer (day + 60) as YYMMDD-NNNC.
func Number(i int) string {
	d := time.Date(1951, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 397*i)
	day := d.Day()
	if i%4 == 3 {
		day += 60
	}
	ten := fmt.Sprintf("%02d%02d%02d%03d", d.Year()%100, int(d.Month()), day, 100+(i*37)%900)
	ten += string(rune('0' + luhnDigit(ten)))
	century := fmt.Sprint(d.Year() / 100)
	switch i % 4 {
	case 1:
		return century + ten[:6] + "-" + ten[6:]
	case 2:
		return century + ten
	}
	return ten[:6] + "-" + ten[6:]
}

func luhnDigit(nine string) int {
	sum := 0
	for i, r := range nine {
		v := int(r - '0')
		if i%2 == 0 {
			if v *= 2; v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return (10 - sum%10) % 10
}

// Forms are the ways a planted number could come out unmasked: as
// written, and as its bare digits (ten and twelve).
func Forms(number string) []string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, number)
	out := []string{number, digits}
	if len(digits) == 12 {
		out = append(out, digits[2:], digits[2:8]+"-"+digits[8:])
	} else {
		out = append(out, digits[:6]+"-"+digits[6:])
	}
	return out
}

// Leaks returns the plants whose number appears in text in any of its
// Forms.
func Leaks(text string, plants []Plant) []Plant {
	var out []Plant
	for _, p := range plants {
		for _, f := range Forms(p.Number) {
			if strings.Contains(text, f) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// samples is the repository's samples folder.
func samples() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "samples")
}

// Build makes the planted submission.
func Build() (*Submission, error) {
	s := &Submission{}
	n := 0
	plant := func(where, path string) string {
		num := Number(n)
		n++
		s.Plants = append(s.Plants, Plant{Where: where, Number: num, Path: path})
		return num
	}
	docName := "ansokan " + plant("file name: form", "/source/files/0/name") + ".docx"
	xlsxName := "ansokan " + plant("file name: budget", "/source/files/1/name") + "-budget.xlsx"
	pdfName := "bilaga " + plant("file name: unreadable attachment", "/source/files/2/name") + ".pdf"

	docx, err := os.ReadFile(filepath.Join(samples(), "seed003-arbetsstegen.docx"))
	if err != nil {
		return nil, fmt.Errorf("planted: %w", err)
	}
	edits := []struct{ where, path, old, new string }{
		{"form: title", "/title", "Arbetsstegen - förrehabiliterande", "Arbetsstegen %s - förrehabiliterande"},
		{"form: owner unit", "/owner/units/", "Socialtjänst - Ekonomiskt bistånd", "Socialtjänst - Ekonomiskt bistånd %s"},
		{"form: partner line", "", "Organisation: Region Uppsala", "Organisation: Region Uppsala, kontakt %s"},
		{"form: body text", "/sections/background/text", "Genomgången visar ett stort", "Genomgången (deltagare %s) visar ett stort"},
		{"form: extra heading", "/extra_sections/", "Roller i teamet", "Roller i teamet %s"},
		{"form: extra section text", "/extra_sections/", "Att vården utser en kontaktperson", "Att vården utser kontaktperson %s"},
		{"form: anchoring answer", "/anchoring/how", "Ansökan diskuterades vid lokusmötet", "Ansökan diskuterades med %s vid lokusmötet"},
		{"form: agreement text", "/sections/agreement/text", "Personal som arbetar i insatsen", "Personal (t.ex. %s) som arbetar i insatsen"},
		{"form: signature name (table)", "/signatures/0/name", "Maria Lundgren", "Maria Lundgren %s"},
		{"form: signature e-mail (table)", "/signatures/0/email", "Maria.Lundgren@uppsala.se", "maria.%s@uppsala.se"},
		{"form: partner signature e-mail (table)", "/signatures/1/email", "Anders.Nyberg@regionuppsala.se", "anders.nyberg.%s@regionuppsala.se"},
	}
	docx, err = rewriteZip(docx, "word/document.xml", func(x string) (string, error) {
		for _, e := range edits {
			if strings.Count(x, e.old) != 1 {
				return "", fmt.Errorf("planted: %q is not once in the form", e.old)
			}
			x = strings.Replace(x, e.old, fmt.Sprintf(e.new, plant(e.where, e.path)), 1)
		}
		return x, nil
	})
	if err != nil {
		return nil, err
	}

	f, err := excelize.OpenFile(filepath.Join(samples(), "seed003-arbetsstegen-budget.xlsx"))
	if err != nil {
		return nil, fmt.Errorf("planted: %w", err)
	}
	defer f.Close()
	const detail = "Budget - detaljerad"
	cells := []struct{ where, path, old, new string }{
		{"budget: row label", "/budget/requested/salaries/lines/", "Arbetsterapeut", "Arbetsterapeut %s"},
		{"budget: row label (other costs)", "/budget/requested/other/lines/", "Övrigt", "Övrigt, %s"},
		{"budget: column header", "/budget/parties/", "Region Uppsala", "Region Uppsala %s"},
	}
	rows, err := f.GetRows(detail)
	if err != nil {
		return nil, fmt.Errorf("planted: %w", err)
	}
	for _, c := range cells {
		done := false
		for r, row := range rows {
			for col, v := range row {
				if v != c.old || done {
					continue
				}
				name, _ := excelize.CoordinatesToCellName(col+1, r+1)
				if err := f.SetCellStr(detail, name, fmt.Sprintf(c.new, plant(c.where, c.path))); err != nil {
					return nil, fmt.Errorf("planted: %w", err)
				}
				done = true
			}
		}
		if !done {
			return nil, fmt.Errorf("planted: no cell %q on %s", c.old, detail)
		}
	}
	if err := f.SetSheetName(detail, "Budget "+plant("budget: sheet name", "")); err != nil {
		return nil, fmt.Errorf("planted: %w", err)
	}
	var xlsx bytes.Buffer
	if err := f.Write(&xlsx); err != nil {
		return nil, fmt.Errorf("planted: %w", err)
	}
	s.Files = []File{
		{Name: docName, Data: docx},
		{Name: xlsxName, Data: xlsx.Bytes()},
		{Name: pdfName, Data: []byte("%PDF-1.7\nnot a PDF at all " + plant("unreadable file content", "") + "\n")},
	}
	return s, nil
}

// rewriteZip returns the zip archive with one part's text changed.
func rewriteZip(data []byte, part string, change func(string) (string, error)) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("planted: %w", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("planted: %w", err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("planted: %w", err)
		}
		if zf.Name == part {
			found = true
			s, err := change(string(b))
			if err != nil {
				return nil, err
			}
			b = []byte(s)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
		if err != nil {
			return nil, fmt.Errorf("planted: %w", err)
		}
		if _, err := w.Write(b); err != nil {
			return nil, fmt.Errorf("planted: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("planted: %w", err)
	}
	if !found {
		return nil, fmt.Errorf("planted: no part %s", part)
	}
	return buf.Bytes(), nil
}

// Unreported returns the plants with a Path that have no
// privacy.personnummer finding at or under it (counting: two plants
// under one prefix need two findings there).
func Unreported(rec *schema.Record, plants []Plant) []Plant {
	var out []Plant
	used := map[int]bool{}
	for _, p := range plants {
		if p.Path == "" {
			continue
		}
		found := false
		for i, f := range rec.Findings {
			if !used[i] && f.Code == schema.CodePrivacyPersonnummer && strings.HasPrefix(f.Path, p.Path) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			out = append(out, p)
		}
	}
	return out
}
