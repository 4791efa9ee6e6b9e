package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/extractor"
)

// sumChain is a workbook of n interdependent SUMs without saved values
// (as a generator writes them): A1 is 1 and every later cell of column A
// sums all the cells above it, so computing them costs n²/2 cell visits.
func sumChain(t testing.TB, n int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", 1); err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= n; i++ {
		if err := f.SetCellFormula("Sheet1", fmt.Sprintf("A%d", i), fmt.Sprintf("SUM(A1:A%d)", i-1)); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The chaos probe's workbook: 7000 interdependent SUMs in 55 KB cost 30 s
// of CPU when only the number of formulas was bounded. Counting the
// cells the evaluation visits stops it at MaxXLSXFormulaCells.
func TestFormulaCostBounded(t *testing.T) {
	data := sumChain(t, 7000)
	t.Logf("workbook: %d bytes", len(data))
	start := time.Now()
	_, err := ReadLimited(bytes.NewReader(data), int64(len(data)), extractor.Limits{})
	t.Logf("refused after %v", time.Since(start)) // 30 s without the count; no assertion on time
	if !errors.Is(err, extractor.ErrLimit) || !strings.Contains(err.Error(), "MaxXLSXFormulaCells") {
		t.Fatalf("error %v: want ErrLimit naming MaxXLSXFormulaCells", err)
	}
}

// The count follows excelize's evaluation: a formula cell is counted
// once per workbook, a range by its area, a whole column up to the
// sheet's used rows, another sheet's cells and defined names too.
func TestFormulaCostCount(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellValue("Sheet1", "A1", 1))
	must(f.SetCellValue("Sheet1", "A10", 1))
	must(f.SetCellFormula("Sheet1", "B1", "SUM(A1:A10)")) // 10
	must(f.SetCellFormula("Sheet1", "B2", "B1+SUM(A:A)")) // 1 + 10 (+ B1, counted)
	_, err := f.NewSheet("Budget - x")
	must(err)
	must(f.SetCellFormula("Budget - x", "C3", "SUM('Sheet1'!$B$1:B2)*2")) // 2 (+ B1, B2, counted)
	must(f.SetDefinedName(&excelize.DefinedName{Name: "Tal", RefersTo: "Sheet1!$A$1:$A$4"}))
	must(f.SetCellFormula("Budget - x", "D3", "SUM(Tal)+LOG10(100)")) // 4
	var buf bytes.Buffer
	must(f.Write(&buf))
	g, err := excelize.OpenReader(&buf)
	must(err)
	defer g.Close()
	c := newFormulaCost(g, 1000)
	for _, step := range []struct {
		sheet, ref string
		want       int
	}{
		{"Budget - x", "C3", 2 + 11 + 10},
		{"Sheet1", "B1", 23},
		{"Budget - x", "D3", 27},
	} {
		must(c.add(step.sheet, step.ref))
		if c.visited != step.want {
			t.Errorf("after %s!%s: %d cells visited, want %d", step.sheet, step.ref, c.visited, step.want)
		}
	}
	c.limit = 30
	must(c.add("Sheet1", "B2")) // counted already
	must(f.SetCellFormula("Sheet1", "B3", "SUM(A1:C10)"))
	c2 := newFormulaCost(f, 29)
	if err := c2.add("Sheet1", "B3"); !errors.Is(err, extractor.ErrLimit) {
		t.Errorf("30 cells under a limit of 29: error %v, want ErrLimit", err)
	}
}
