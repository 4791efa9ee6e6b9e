package web

import (
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// checkHTML checks the accessibility basics a page must have: lang sv,
// a skip link to main, one h1 and headings in order, every form control
// labelled (a label for it, a label around it, or aria-label), every
// table with a caption and its column headers scoped, and ids unique.
func checkHTML(t testing.TB, name, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	labelFor := map[string]bool{}
	ids := map[string]int{}
	var controls []*html.Node
	var headings []int
	var walk func(n *html.Node, inLabel bool)
	walk = func(n *html.Node, inLabel bool) {
		if n.Type == html.ElementNode {
			if id, ok := attr(n, "id"); ok {
				ids[id]++
			}
			switch n.Data {
			case "html":
				if lang, _ := attr(n, "lang"); lang != "sv" {
					t.Errorf("%s: <html lang=%q>, want sv", name, lang)
				}
			case "label":
				inLabel = true
				if f, ok := attr(n, "for"); ok {
					labelFor[f] = true
				}
			case "input", "select", "textarea":
				typ, _ := attr(n, "type")
				_, aria := attr(n, "aria-label")
				if typ != "hidden" && typ != "submit" && typ != "button" && !aria && !inLabel {
					controls = append(controls, n)
				}
			case "h1", "h2", "h3", "h4", "h5", "h6":
				headings = append(headings, int(n.Data[1]-'0'))
			case "table":
				hasCaption := false
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode && c.Data == "caption" {
						hasCaption = true
					}
				}
				if !hasCaption {
					t.Errorf("%s: a table without a caption", name)
				}
			case "th":
				if _, ok := attr(n, "scope"); !ok {
					t.Errorf("%s: a <th> without scope", name)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLabel)
		}
	}
	walk(doc, false)
	for _, c := range controls {
		id, _ := attr(c, "id")
		if id == "" || !labelFor[id] {
			t.Errorf("%s: <%s id=%q name=%q> has no label", name, c.Data, id, func() string { v, _ := attr(c, "name"); return v }())
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q used %d times", name, id, n)
		}
	}
	if len(headings) == 0 || headings[0] != 1 {
		t.Errorf("%s: headings %v: want an h1 first", name, headings)
	}
	h1 := 0
	for i, h := range headings {
		if h == 1 {
			h1++
		}
		if i > 0 && h > headings[i-1]+1 {
			t.Errorf("%s: heading h%d after h%d skips a level", name, h, headings[i-1])
		}
	}
	if h1 != 1 {
		t.Errorf("%s: %d h1, want 1", name, h1)
	}
	if !strings.Contains(page, `<a class="skip" href="#main">`) || !strings.Contains(page, `<main id="main"`) {
		t.Errorf("%s: no skip link to main", name)
	}
}

// The checker itself fails on what it must catch.
func TestCheckHTMLCatches(t *testing.T) {
	layout := func(body string) string {
		return `<!DOCTYPE html><html lang="sv"><body><a class="skip" href="#main">x</a><main id="main">` + body + `</main></body></html>`
	}
	for name, page := range map[string]string{
		"unlabelled input":  layout(`<h1>a</h1><input id="x" name="x">`),
		"skipped heading":   layout(`<h1>a</h1><h3>b</h3>`),
		"th without scope":  layout(`<h1>a</h1><table><caption>c</caption><tr><th>x</th></tr></table>`),
		"table, no caption": layout(`<h1>a</h1><table><tr><th scope="col">x</th></tr></table>`),
		"english":           strings.Replace(layout(`<h1>a</h1>`), `lang="sv"`, `lang="en"`, 1),
		"duplicate id":      layout(`<h1 id="a">a</h1><p id="a"></p>`),
	} {
		ft := &fakeT{TB: t}
		checkHTML(ft, name, page)
		if !ft.failed {
			t.Errorf("%s: not caught", name)
		}
	}
	ok := layout(`<h1>a</h1><label for="x">X</label><input id="x"><label>Y <select name="y"></select></label><input type="hidden" name="h"><h2>b</h2>`)
	ft := &fakeT{TB: t}
	checkHTML(ft, "good", ok)
	if ft.failed {
		t.Error("a good page fails: " + strconv.Quote(ft.msg))
	}
}

// fakeT records a failure instead of failing.
type fakeT struct {
	testing.TB
	failed bool
	msg    string
}

func (f *fakeT) Errorf(format string, args ...any) { f.failed = true; f.msg = format }
func (f *fakeT) Fatalf(format string, args ...any) { f.failed = true; f.msg = format }
func (f *fakeT) Helper()                           {}
