package batch

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/schema"
)

// Register sheet and table names. The headings are Swedish: the register
// is for the förbund's officers.
const (
	SheetApplications = "Ansökningar"
	SheetFindings     = "Fynd"
	SheetTotals       = "Summering"

	TableApplications = "Ansokningar"
	TableFindings     = "Fynd"
	TableYears        = "PerAr"
	TableOwners       = "PerInsatsagare"
)

// KronorFormat is the register's number format for amounts. Excel files
// store number formats in the en-US syntax, where "," is the thousands
// separator; Swedish Excel shows this format as `# ##0 "kr"` and prints
// 1 540 400 kr. (A literal `# ##0` would put one space before the last
// three digits only: "1540 400".)
const KronorFormat = `#,##0\ "kr"`

var (
	applicationHeader = []string{"Titel", "Insatsägare", "Samverkansparter", "Start", "Slut", "Sökt belopp", "Total kostnad", "Komplett", "Antal fynd", "Filer", "Sökväg", "Inlämnings-id"}
	findingHeader     = []string{"Ansökan", "Allvarlighet", "Gäller", "Var", "Meddelande", "Sökväg", "Kod", "JSON-pekare"}
)

// Columns (1-based) of the applications sheet that the total row sums.
const (
	colRequested = 6
	colTotalCost = 7
	colComplete  = 8
	colFindings  = 9
)

// WriteRegister writes the Excel register of the records in the JSON
// Lines file jsonl, streaming it (twice), so its size does not matter:
//
//   - Ansökningar: one row per application (title, owner, partners,
//     period start and end, requested amount, total cost, complete,
//     number of findings, files, their paths, the submission id), and
//     under the table a total row (sums that follow the filters);
//   - Fynd: one row per finding (application, severity in Swedish, what
//     it concerns, where in the application in words, message, the
//     file's path; the finding code and the JSON Pointer last, for
//     filtering);
//   - Summering: counts and requested sums per year (a number) of the
//     period's start and per owner.
//
// The first two sheets are Excel tables with filters; every header row
// is frozen. The file is created with mode 0600 (OutputMode): it holds
// personal data, so only its owner reads it, and it is never executable.
// It is written beside xlsx and renamed over it, so a reader never sees
// half a file and an older register's mode does not carry over.
func WriteRegister(jsonl, xlsx string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetApplications); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	for _, s := range []string{SheetFindings, SheetTotals} {
		if _, err := f.NewSheet(s); err != nil {
			return fmt.Errorf("batch: register: %w", err)
		}
	}
	st, err := newRegisterStyles(f)
	if err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	years := map[string]*total{}
	owners := map[string]*total{}
	if err := writeApplications(f, st, jsonl, years, owners); err != nil {
		return err
	}
	if err := writeFindings(f, st, jsonl); err != nil {
		return err
	}
	if err := writeTotals(f, st, years, owners); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := save(f, xlsx); err != nil {
		return fmt.Errorf("batch: register %s: %w", xlsx, err)
	}
	return nil
}

// save writes the workbook to a new file beside path, mode OutputMode
// (excelize's SaveAs creates files 0777 before the umask, so
// executable), and renames it over path.
func save(f *excelize.File, path string) error {
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, OutputMode)
	if err != nil {
		return err
	}
	_, err = f.WriteTo(out)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

type registerStyles struct{ header, kronor, date, totalLabel, totalKronor, totalCount int }

func newRegisterStyles(f *excelize.File) (registerStyles, error) {
	var s registerStyles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return s, err
	}
	format := KronorFormat
	if s.kronor, err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
		return s, err
	}
	dateFormat := "yyyy-mm-dd"
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat}); err != nil {
		return s, err
	}
	bold := &excelize.Font{Bold: true}
	top := []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	if s.totalLabel, err = f.NewStyle(&excelize.Style{Font: bold, Border: top}); err != nil {
		return s, err
	}
	if s.totalKronor, err = f.NewStyle(&excelize.Style{Font: bold, Border: top, CustomNumFmt: &format}); err != nil {
		return s, err
	}
	s.totalCount, err = f.NewStyle(&excelize.Style{Font: bold, Border: top, NumFmt: 1})
	return s, err
}

type total struct {
	count     int
	requested int64
}

// eachRecord decodes the records of a JSON Lines file one at a time.
func eachRecord(jsonl string, fn func(*schema.Record) error) error {
	in, err := os.Open(jsonl)
	if err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	defer in.Close()
	dec := json.NewDecoder(in)
	for n := 1; ; n++ {
		var rec schema.Record
		if err := dec.Decode(&rec); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("batch: register: %s record %d: %w", jsonl, n, err)
		}
		privacy.MaskValue(&rec) // whatever wrote the file: the register holds no personnummer
		if err := fn(&rec); err != nil {
			return err
		}
	}
}

func headerRow(cells []string, style int) []any {
	row := make([]any, len(cells))
	for i, c := range cells {
		row[i] = excelize.Cell{StyleID: style, Value: c}
	}
	return row
}

var frozenHeader = &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}

func writeApplications(f *excelize.File, st registerStyles, jsonl string, years, owners map[string]*total) error {
	sw, err := f.NewStreamWriter(SheetApplications)
	if err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	for i, w := range []float64{50, 28, 50, 12, 12, 16, 16, 10, 11, 50, 60, 24} {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return fmt.Errorf("batch: register: %w", err)
		}
	}
	if err := sw.SetPanes(frozenHeader); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	if err := sw.SetRow("A1", headerRow(applicationHeader, st.header)); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	row := 1
	var sum struct{ requested, totalCost, findings int64 }
	complete := 0
	err = eachRecord(jsonl, func(r *schema.Record) error {
		row++
		owner := ownerName(r)
		var partners []string
		for _, p := range r.Partners {
			partners = append(partners, p.Organisation)
		}
		var start, end *string
		if r.Period != nil {
			start, end = r.Period.Start, r.Period.End
		}
		var totalCost *int64
		if r.Budget != nil && r.Budget.TotalCost != nil {
			totalCost = r.Budget.TotalCost.Total
		}
		isComplete := "nej"
		if r.Complete {
			isComplete = "ja"
			complete++
		}
		if r.RequestedAmountSEK != nil {
			sum.requested += *r.RequestedAmountSEK
		}
		if totalCost != nil {
			sum.totalCost += *totalCost
		}
		sum.findings += int64(len(r.Findings))
		cells := []any{
			str(r.Title), owner, strings.Join(partners, ", "),
			dateCell(start, st.date), dateCell(end, st.date),
			kronorCell(r.RequestedAmountSEK, st.kronor), kronorCell(totalCost, st.kronor),
			isComplete, len(r.Findings), strings.Join(fileNames(r), ", "), strings.Join(filePaths(r), ", "), str(r.SubmissionID),
		}
		if err := sw.SetRow("A"+strconv.Itoa(row), cells); err != nil {
			return fmt.Errorf("batch: register: %w", err)
		}
		year := "okänt"
		if start != nil && len(*start) >= 4 {
			if _, err := strconv.Atoi((*start)[:4]); err == nil {
				year = (*start)[:4]
			}
		}
		ownerKey := owner
		if ownerKey == "" {
			ownerKey = "okänd"
		}
		for _, t := range []*total{tally(years, year), tally(owners, ownerKey)} {
			t.count++
			if r.RequestedAmountSEK != nil {
				t.requested += *r.RequestedAmountSEK
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(applicationHeader), max(row, 2))
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: TableApplications, StyleName: "TableStyleMedium2", ShowRowStripes: ptr(true)}); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	// The total row, one row under the table (so that a row added to the
	// table does not take it in): SUBTOTAL sums only the rows a filter
	// shows; the cached values are the sums over every row.
	colRange := func(col int) string {
		a, _ := excelize.CoordinatesToCellName(col, 2)
		b, _ := excelize.CoordinatesToCellName(col, max(row, 2))
		return a + ":" + b
	}
	subtotal := func(col int, v int64, style int) excelize.Cell {
		return excelize.Cell{StyleID: style, Formula: "SUBTOTAL(109," + colRange(col) + ")", Value: v}
	}
	totals := make([]any, len(applicationHeader))
	for i := range totals {
		totals[i] = excelize.Cell{StyleID: st.totalLabel}
	}
	totals[0] = excelize.Cell{StyleID: st.totalLabel, Value: fmt.Sprintf("Summa (%d ansökningar)", row-1)}
	totals[colRequested-1] = subtotal(colRequested, sum.requested, st.totalKronor)
	totals[colTotalCost-1] = subtotal(colTotalCost, sum.totalCost, st.totalKronor)
	totals[colComplete-1] = excelize.Cell{StyleID: st.totalCount, Formula: `COUNTIF(` + colRange(colComplete) + `,"ja")`, Value: complete}
	totals[colFindings-1] = subtotal(colFindings, sum.findings, st.totalCount)
	if err := sw.SetRow("A"+strconv.Itoa(TotalRow(row-1)), totals); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	return nil
}

// TotalRow is the row (1-based) of the applications sheet's total row in
// a register of n applications: one empty row under the table.
func TotalRow(n int) int { return max(n+1, 2) + 2 }

func writeFindings(f *excelize.File, st registerStyles, jsonl string) error {
	sw, err := f.NewStreamWriter(SheetFindings)
	if err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	for i, w := range []float64{40, 12, 30, 40, 90, 50, 30, 36} {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return fmt.Errorf("batch: register: %w", err)
		}
	}
	if err := sw.SetPanes(frozenHeader); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	if err := sw.SetRow("A1", headerRow(findingHeader, st.header)); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	row := 1
	err = eachRecord(jsonl, func(r *schema.Record) error {
		app := str(r.Title)
		if app == "" {
			app = strings.Join(fileNames(r), ", ")
		}
		for _, fd := range r.Findings {
			row++
			cells := []any{app, cmp.Or(severityLabel[fd.Severity], fd.Severity), subjectLabel(r, fd), where(r, fd), fd.Message, findingPath(r, fd), fd.Code, fd.Path}
			if err := sw.SetRow("A"+strconv.Itoa(row), cells); err != nil {
				return fmt.Errorf("batch: register: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(findingHeader), max(row, 2))
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: TableFindings, StyleName: "TableStyleMedium2", ShowRowStripes: ptr(true)}); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	return nil
}

// writeTotals writes the per-year table at A1 and the per-owner table at
// E1 of the totals sheet (small: one row per year and per owner).
func writeTotals(f *excelize.File, st registerStyles, years, owners map[string]*total) error {
	put := func(col string, table, label string, m map[string]*total, numeric bool, less func(a, b string) int) error {
		if err := f.SetSheetRow(SheetTotals, col+"1", &[]any{label, "Antal", "Sökt belopp"}); err != nil {
			return err
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, less)
		for i, k := range keys {
			cell := col + strconv.Itoa(i+2)
			var label any = k
			if numeric {
				if n, err := strconv.Atoi(k); err == nil {
					label = n // a year is a number, so that it sorts and filters as one
				}
			}
			if err := f.SetSheetRow(SheetTotals, cell, &[]any{label, m[k].count, m[k].requested}); err != nil {
				return err
			}
		}
		c, _, _ := excelize.CellNameToCoordinates(col + "1")
		first, _ := excelize.CoordinatesToCellName(c, 1)
		amount1, _ := excelize.CoordinatesToCellName(c+2, 2)
		last, _ := excelize.CoordinatesToCellName(c+2, max(len(keys)+1, 2))
		if err := f.SetCellStyle(SheetTotals, amount1, last, st.kronor); err != nil {
			return err
		}
		hdrLast, _ := excelize.CoordinatesToCellName(c+2, 1)
		if err := f.SetCellStyle(SheetTotals, first, hdrLast, st.header); err != nil {
			return err
		}
		return f.AddTable(SheetTotals, &excelize.Table{Range: first + ":" + last, Name: table, StyleName: "TableStyleLight9"})
	}
	// Years in order, "okänt" last; owners by requested sum, largest first.
	byRequested := func(a, b string) int {
		return cmp.Or(cmp.Compare(owners[b].requested, owners[a].requested), strings.Compare(a, b))
	}
	if err := put("A", TableYears, "År", years, true, func(a, b string) int { return boolCmp(a == "okänt", b == "okänt", strings.Compare(a, b)) }); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	if err := put("E", TableOwners, "Insatsägare", owners, false, byRequested); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	for col, w := range map[string]float64{"A": 10, "B": 9, "C": 18, "E": 36, "F": 9, "G": 18} {
		if err := f.SetColWidth(SheetTotals, col, col, w); err != nil {
			return fmt.Errorf("batch: register: %w", err)
		}
	}
	if err := f.SetPanes(SheetTotals, frozenHeader); err != nil {
		return fmt.Errorf("batch: register: %w", err)
	}
	return nil
}

// boolCmp orders false before true, then by rest.
func boolCmp(a, b bool, rest int) int {
	switch {
	case a == b:
		return rest
	case a:
		return 1
	}
	return -1
}

func tally(m map[string]*total, k string) *total {
	t, ok := m[k]
	if !ok {
		t = &total{}
		m[k] = t
	}
	return t
}

func ownerName(r *schema.Record) string {
	if r.Owner == nil {
		return ""
	}
	return str(r.Owner.Organisation)
}

func fileNames(r *schema.Record) []string {
	names := make([]string, 0, len(r.Source.Files))
	for _, f := range r.Source.Files {
		names = append(names, f.Name)
	}
	return names
}

// filePaths are the paths of the record's files as given (relative to
// the folder the batch was run on), the name for a record from before
// paths were recorded.
func filePaths(r *schema.Record) []string {
	paths := make([]string, 0, len(r.Source.Files))
	for _, f := range r.Source.Files {
		paths = append(paths, cmp.Or(f.Path, f.Name))
	}
	return paths
}

// findingPath is the path of the file a finding was seen in, or, when
// the finding names no file, of all the record's files.
func findingPath(r *schema.Record, fd schema.Finding) string {
	if fd.Evidence != nil && fd.Evidence.File != "" {
		for _, f := range r.Source.Files {
			if f.Name == fd.Evidence.File {
				return cmp.Or(f.Path, f.Name)
			}
		}
		return fd.Evidence.File
	}
	return strings.Join(filePaths(r), ", ")
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr[T any](v T) *T { return &v }

// dateCell is a real date for "YYYY-MM-DD", the text as written for a
// partial date ("2023-06"), and empty when unknown.
func dateCell(s *string, style int) any {
	if s == nil {
		return nil
	}
	if t, err := time.Parse("2006-01-02", *s); err == nil {
		return excelize.Cell{StyleID: style, Value: t}
	}
	return *s
}

func kronorCell(v *int64, style int) any {
	if v == nil {
		return nil
	}
	return excelize.Cell{StyleID: style, Value: *v}
}
