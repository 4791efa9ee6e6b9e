package anyformat

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A number cell holding "NaN" or a number beyond float64 keeps its text
// and has no value: a Document never carries what JSON cannot.
func TestXLSXNonFiniteNumbers(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	for ref, v := range map[string]float64{"A1": 111, "A2": 222, "A3": 333} {
		if err := f.SetCellValue("Sheet1", ref, v); err != nil {
			t.Fatal(err)
		}
	}
	var src bytes.Buffer
	if err := f.Write(&src); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(src.Bytes()), int64(src.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		var part bytes.Buffer
		part.ReadFrom(rc)
		rc.Close()
		b := part.Bytes()
		if e.Name == "xl/worksheets/sheet1.xml" {
			b = bytes.Replace(b, []byte("<v>111</v>"), []byte("<v>NaN</v>"), 1)
			b = bytes.Replace(b, []byte("<v>222</v>"), []byte("<v>1E+999</v>"), 1)
			if !bytes.Contains(b, []byte("NaN")) || !bytes.Contains(b, []byte("1E+999")) {
				t.Fatalf("sheet XML not as expected:\n%s", b)
			}
		}
		w, _ := zw.Create(e.Name)
		w.Write(b)
	}
	zw.Close()
	doc, err := Read(bytes.NewReader(out.Bytes()), int64(out.Len()), "nan.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, b := range doc.Blocks {
		if b.Table == nil {
			continue
		}
		for _, r := range b.Table.Rows {
			for _, c := range r.Cells {
				v := "nil"
				if c.Value != nil {
					v = strconv.FormatFloat(*c.Value, 'g', -1, 64)
				}
				got[c.Ref] = c.Text + "=" + v
			}
		}
	}
	want := map[string]string{"A1": "NaN=nil", "A2": "1E+999=nil", "A3": "333=333"}
	for ref, w := range want {
		if got[ref] != w {
			t.Errorf("%s = %q, want %q", ref, got[ref], w)
		}
	}
	if _, err := json.Marshal(doc); err != nil {
		t.Errorf("the document does not encode as JSON: %v", err)
	}
}
