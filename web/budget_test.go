package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// goldenRecord reads a sample's committed record.
func goldenRecord(t testing.TB, name string) *schema.Record {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	var r schema.Record
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// A finding marks the cells its path points at, and only those, and is
// listed beside its row; one that points at no cell is listed apart.
func TestBudgetViewFlags(t *testing.T) {
	for _, tc := range []struct {
		path    string
		flagged []string // the marked cells' pointers
	}{
		{"/budget/requested/salaries/lines/1/total", []string{"/budget/requested/salaries/lines/1/total"}},
		{"/budget/requested/salaries/lines/0/amounts/Mora kommun", []string{"/budget/requested/salaries/lines/0/amounts/Mora kommun"}},
		{"/budget/requested/salaries/sum/percent", []string{"/budget/requested/salaries/sum/percent"}},
		{"/budget/requested_total/total", []string{"/budget/requested_total/total"}},
		{"/budget/summary/1/requested", []string{"/budget/summary/1/requested"}},
		{"/budget/own_financing/salaries/lines/0", []string{
			"/budget/own_financing/salaries/lines/0/label", "/budget/own_financing/salaries/lines/0/percent",
			"/budget/own_financing/salaries/lines/0/from", "/budget/own_financing/salaries/lines/0/to",
			"/budget/own_financing/salaries/lines/0/amounts/Mora kommun", "/budget/own_financing/salaries/lines/0/amounts/Arbetsförmedlingen",
			"/budget/own_financing/salaries/lines/0/amounts/Region Dalarna", "/budget/own_financing/salaries/lines/0/amounts/Försäkringskassan",
			"/budget/own_financing/salaries/lines/0/total"}},
		{"/budget/unit_stated", nil},
		{"/budget", nil},
		{"/sections/purpose", nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := goldenRecord(t, "c-vagen-vidare.submission.golden.json")
			r.Findings = []schema.Finding{{Code: "test.code", Severity: schema.SeverityError, Message: "Testfyndet.", Path: tc.path}}
			v := newBudgetView(r)
			var got []string
			notes := 0
			visit := func(c cell) {
				if c.Flagged() {
					got = append(got, c.Ptr)
					if c.Flags[0] != 1 {
						t.Errorf("cell %s flagged %v, want [1]", c.Ptr, c.Flags)
					}
				}
			}
			for _, row := range v.Rows {
				for _, c := range append([]cell{row.Label, row.Percent, row.From, row.To, row.Total}, row.Amounts...) {
					visit(c)
				}
				notes += len(row.Notes)
			}
			for _, row := range v.Summary {
				for _, c := range []cell{row.Party, row.Requested, row.OwnFinancing, row.Other, row.Total} {
					visit(c)
				}
				notes += len(row.Notes)
			}
			if !sameSet(got, tc.flagged) {
				t.Errorf("flagged:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.flagged, "\n"))
			}
			onTable := len(tc.flagged) > 0
			if onTable && notes != 1 || !onTable && strings.HasPrefix(tc.path, "/budget") && len(v.Elsewhere) != 1 {
				t.Errorf("notes %d, elsewhere %d", notes, len(v.Elsewhere))
			}
		})
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// A budget whose line total disagrees with its party amounts, read by a
// real worker: the record page marks that cell (a class and a visible
// marker linking to the finding), lists the finding beside the row, and
// every page passes the HTML checks.
func TestBudgetPageMarksCell(t *testing.T) {
	e := newEnv(t)
	e.startWorker(queue.WorkerConfig{Reader: normalizer.InProcess{}})
	b := e.browser()
	b.login("anna", "rätt-lösen")
	ev := b.events()

	// The sample's budget with line 2's total typed over its formula.
	wb, err := excelize.OpenReader(bytes.NewReader(sample(t, "c-vagen-vidare-budget.xlsx").Data))
	if err != nil {
		t.Fatal(err)
	}
	if err := wb.SetCellFormula("Budget - detaljerad", "I12", ""); err != nil {
		t.Fatal(err)
	}
	if err := wb.SetCellInt("Budget - detaljerad", "I12", 300000); err != nil {
		t.Fatal(err)
	}
	var xlsx bytes.Buffer
	if _, err := wb.WriteTo(&xlsx); err != nil {
		t.Fatal(err)
	}
	_ = wb.Close()
	res, body := b.upload([]normalizer.File{{Name: "vägen vidare budget.xlsx", Data: xlsx.Bytes()}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %s\n%s", res.Status, body)
	}
	row := ev.waitFor(t, "a settled row", settled)
	if !strings.Contains(row.Data["html"], StatusReview) {
		t.Errorf("row status: %s", row.Data["html"])
	}
	seq := recordLinkRE.FindStringSubmatch(row.Data["html"])[1]
	_, page := b.get("/records/" + seq)
	var rec schema.Record
	_, raw := b.get("/records/" + seq + ".json")
	if err := json.Unmarshal([]byte(raw), &rec); err != nil {
		t.Fatal(err)
	}
	n := -1
	for i, f := range rec.Findings {
		if f.Path == "/budget/requested/salaries/lines/1/total" {
			n = i + 1
		}
	}
	if n < 0 {
		t.Fatalf("no finding on line 2's total: %+v", rec.Findings)
	}

	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var flagged []*html.Node
	var find func(*html.Node)
	find = func(x *html.Node) {
		if x.Type == html.ElementNode && (x.Data == "td" || x.Data == "th") && hasClass(x, "flagged") {
			flagged = append(flagged, x)
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if len(flagged) != 1 {
		t.Fatalf("%d flagged cells, want 1", len(flagged))
	}
	cellText := text(flagged[0])
	rowText := text(flagged[0].Parent)
	if !strings.Contains(cellText, "300 000") || !strings.Contains(cellText, "⚑"+itoa(n)) {
		t.Errorf("flagged cell %q: want the total 300 000 and the marker ⚑%d", cellText, n)
	}
	if !strings.Contains(rowText, "2. Arbetsterapeut") || !strings.Contains(rowText, "Fynd "+itoa(n)+": "+rec.Findings[n-1].Message) {
		t.Errorf("flagged row %q: want its label and the finding beside it", rowText)
	}
	if !regexp.MustCompile(`<a class="marker" href="#f-` + itoa(n) + `">`).MatchString(page) {
		t.Error("the marker does not link to the finding")
	}
	// The finding's evidence names the workbook's cell and links to the download.
	if !strings.Contains(page, "blad Budget - detaljerad, cell I12") {
		t.Error("the finding's evidence does not name the cell")
	}

	for _, p := range []string{"/", "/records/" + seq, "/upload", "/dead", "/?status=komplett"} {
		_, body := b.get(p)
		checkHTML(t, p, body)
	}
	checkHTML(t, "/login", func() string { _, s := e.browser().get("/login"); return s }())
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
			return true
		}
	}
	return false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }
