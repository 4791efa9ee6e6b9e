package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/account"
	"github.com/finsam/ansokan/internal/browsertest"
)

// inbox is 'ansokan serve' with its web inbox and a worker, for the
// browser tests: its URL and the officers who may sign in.
type inbox struct {
	url   string
	store string
}

const (
	officer1, password1 = "anna", "ett långt lösenord 1"
	officer2, password2 = "bertil", "ett annat långt lösenord 2"
)

func startInbox(t *testing.T) *inbox {
	t.Helper()
	store := t.TempDir()
	users, err := account.Open(filepath.Join(store, "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range [][2]string{{officer1, password1}, {officer2, password2}} {
		if err := users.Add(u[0], u[1]); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	log := newSignalWriter("web inbox listening")
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--store", store, "--workers", "1", "--http", "127.0.0.1:0"}, &bytes.Buffer{}, log)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("serve: exit %d\n%s", code, log.String())
		}
	})
	select {
	case <-log.seen:
	case code := <-done:
		t.Fatalf("serve ended with %d:\n%s", code, log.String())
	case <-time.After(time.Minute):
		t.Fatalf("the web inbox did not listen:\n%s", log.String())
	}
	m := regexp.MustCompile(`web inbox listening.* url=(http://[0-9.:]+)`).FindStringSubmatch(log.String())
	if m == nil {
		t.Fatalf("no URL in the log:\n%s", log.String())
	}
	return &inbox{url: m[1], store: store}
}

// page runs steps, failing the test with what was being done.
func page(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a script in the page (awaiting a promise) and decodes its
// value.
func eval[T any](t *testing.T, ctx context.Context, script string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return v
}

// visible waits until the element sel matches is shown.
func visible(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(sel))
}

// text is the text of the first element sel matches.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent`, sel))
}

// location is the page's path and query.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `location.pathname + location.search`)
}

// fetchStatus is the status of a request the page makes with its own
// cookies (a GET, or a POST of the given form body), redirects not
// followed (0 for one: an opaque redirect).
func fetchStatus(t *testing.T, ctx context.Context, method, path, body string) int {
	t.Helper()
	opts := fmt.Sprintf(`{method: %q, redirect: "manual"}`, method)
	if method == "POST" {
		opts = fmt.Sprintf(`{method: "POST", redirect: "manual", headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: %q}`, body)
	}
	return eval[int](t, ctx, fmt.Sprintf(`fetch(%q, %s).then(r => r.status)`, path, opts))
}

// An officer signs in, uploads a sample application's three files in one
// tab while another shows the inbox, sees the row appear there without a
// reload, opens the application, sees its findings and the budget cell a
// finding points at marked, and follows a finding's evidence to the
// original. Every page passes axe-core's WCAG 2.1 A and AA rules with no
// violation of impact serious or critical, and is photographed for the
// README. Another person, not signed in, reaches nothing, and a POST
// without the CSRF token is refused even with a session.
func TestWebInboxInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	in := startInbox(t)

	// Signing in: every page leads to the login first.
	page(t, ctx, "open the inbox", chromedp.Navigate(in.url+"/"), visible("#name"))
	if loc := location(t, ctx); !strings.HasPrefix(loc, "/login") {
		t.Fatalf("not signed in, / shows %s", loc)
	}
	browsertest.AssertAccessible(t, ctx, "Logga in")
	browsertest.Screenshot(t, ctx, "logga-in")
	page(t, ctx, "sign in",
		chromedp.SendKeys(chromedp.CSS("#name"), officer1),
		chromedp.SendKeys(chromedp.CSS("#password"), password1),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)))
	page(t, ctx, "signed in", visible("#inbox-rows"))
	browsertest.AssertAccessible(t, ctx, "Inkorg (tom)")

	// The inbox in a second tab of the same session, watching.
	watch, closeWatch := chromedp.NewContext(ctx)
	defer closeWatch()
	page(t, watch, "open the inbox in a second tab", chromedp.Navigate(in.url+"/"), visible("#inbox-rows"))

	// Upload through the file input (the drop zone's fallback): a sample
	// application whose budget has line 2's total typed over its formula,
	// as applicants do, so that a finding points at a budget cell.
	paths := make([]string, 0, 3)
	for _, f := range []string{"c-vagen-vidare.docx", "c-vagen-vidare.pdf"} {
		abs, err := filepath.Abs(filepath.Join("../../samples", f))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, abs)
	}
	paths = append(paths, typedOverTotal(t, "../../samples/c-vagen-vidare-budget.xlsx", "Budget - detaljerad", "I12", 300000))
	page(t, ctx, "open Ladda upp", chromedp.Navigate(in.url+"/upload"), visible("#files"))
	browsertest.AssertAccessible(t, ctx, "Ladda upp")
	browsertest.Screenshot(t, ctx, "ladda-upp")
	page(t, ctx, "choose the files and upload",
		chromedp.SetUploadFiles(chromedp.CSS("#files"), paths),
		chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)))

	// The row appears in the watching tab, live.
	page(t, watch, "the new row in the inbox", visible(`#inbox-rows a[href^="/records/"]`))
	row := text(t, watch, "#inbox-rows tr")
	if !strings.Contains(row, "Vägen vidare") || !strings.Contains(row, "granska manuellt") {
		t.Errorf("the live row %q: want the application's title and granska manuellt", row)
	}
	page(t, watch, "reload the inbox", chromedp.Reload(), visible(`#inbox-rows a[href^="/records/"]`))
	browsertest.AssertAccessible(t, watch, "Inkorg")
	browsertest.Screenshot(t, watch, "inkorg")

	// The upload's tab is led to the record.
	page(t, ctx, "the record after the upload", visible("#fynd"))
	if loc := location(t, ctx); !strings.HasPrefix(loc, "/records/") {
		t.Fatalf("after the upload the page is %s", loc)
	}
	browsertest.AssertAccessible(t, ctx, "Ansökan")
	browsertest.Screenshot(t, ctx, "ansokan")
	findings := text(t, ctx, "#fynd + table tbody")
	if !strings.Contains(findings, "budget.") {
		t.Errorf("the findings table has no budget finding:\n%s", findings)
	}
	// The budget cell the finding points at is marked, with the finding's
	// number linking to it.
	marked := eval[[]string](t, ctx, `[...document.querySelectorAll("td.flagged, th.flagged")].map(c => c.textContent.trim())`)
	if len(marked) == 0 {
		t.Fatal("no budget cell is marked")
	}
	markerTarget := eval[string](t, ctx, `document.querySelector(".flagged a.marker").getAttribute("href")`)
	markedFinding := text(t, ctx, markerTarget)
	if !strings.Contains(markedFinding, "budget.") {
		t.Errorf("the marked cell %q points at %s: %q, not a budget finding", marked[0], markerTarget, markedFinding)
	}

	// An evidence link opens the original (at its page, for a PDF).
	href := eval[string](t, ctx, `document.querySelector("#fynd + table a[href^='/files/']")?.getAttribute("href") ?? ""`)
	if href == "" {
		t.Fatal("no finding links to the original")
	}
	if code := fetchStatus(t, ctx, "GET", href, ""); code != 200 {
		t.Errorf("the evidence link %s answers %d", href, code)
	}

	// Fel: the dead letters, none here.
	page(t, ctx, "open Fel", chromedp.Navigate(in.url+"/dead"), visible("h1"))
	browsertest.AssertAccessible(t, ctx, "Fel")
	browsertest.Screenshot(t, ctx, "fel")

	// A POST without the CSRF token is refused, with a session.
	if code := fetchStatus(t, ctx, "POST", "/reprocess", "all=1"); code != 403 {
		t.Errorf("POST /reprocess without a CSRF token: %d, want 403", code)
	}

	// Another person, in a browser context of their own, is not signed in:
	// pages lead to the login, files and actions are refused.
	other := browsertest.New(t)
	page(t, other, "open a record unsigned", chromedp.Navigate(in.url+strings.TrimPrefix(location(t, ctx), "")), visible("body"))
	page(t, other, "open the record unsigned", chromedp.Navigate(in.url+"/records/1"), visible("#name"))
	if loc := location(t, other); !strings.HasPrefix(loc, "/login") {
		t.Errorf("not signed in, /records/1 shows %s", loc)
	}
	if code := fetchStatus(t, other, "GET", href, ""); code == 200 {
		t.Errorf("not signed in, the original %s answers 200", href)
	}
	if code := fetchStatus(t, other, "POST", "/reprocess", "all=1"); code != 401 && code != 403 {
		t.Errorf("not signed in, POST /reprocess: %d", code)
	}
	// The second officer signs in and sees the application too.
	page(t, other, "sign in as the second officer",
		chromedp.SendKeys(chromedp.CSS("#name"), officer2),
		chromedp.SendKeys(chromedp.CSS("#password"), password2),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		visible("#fynd"))
}

// typedOverTotal writes a copy of the workbook at path with the formula
// of sheet!cell replaced by the number v, and returns the copy's path
// (named as the original).
func typedOverTotal(t *testing.T, path, sheet, cell string, v int) string {
	t.Helper()
	wb, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if err := wb.SetCellFormula(sheet, cell, ""); err != nil {
		t.Fatal(err)
	}
	if err := wb.SetCellInt(sheet, cell, int64(v)); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := wb.SaveAs(out); err != nil {
		t.Fatal(err)
	}
	return out
}

// Files dropped on the upload zone (a drag and drop, as the browser
// delivers it: a drop event carrying a DataTransfer) are named on the
// page, uploaded with progress, and lead to their record.
func TestWebUploadDropInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	in := startInbox(t)
	page(t, ctx, "sign in",
		chromedp.Navigate(in.url+"/login"), visible("#name"),
		chromedp.SendKeys(chromedp.CSS("#name"), officer2),
		chromedp.SendKeys(chromedp.CSS("#password"), password2),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		visible("#inbox-rows"),
		chromedp.Navigate(in.url+"/upload"), visible("#dropzone"))
	docx, err := os.ReadFile("../../samples/b-nasta-steg.docx")
	if err != nil {
		t.Fatal(err)
	}
	drop := fmt.Sprintf(`(() => {
		const bytes = Uint8Array.from(atob(%q), c => c.charCodeAt(0));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], "Nästa steg ansökan.docx"));
		const zone = document.getElementById("dropzone");
		zone.dispatchEvent(new DragEvent("dragenter", {dataTransfer: dt, bubbles: true, cancelable: true}));
		zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		return document.getElementById("chosen").textContent;
	})()`, base64.StdEncoding.EncodeToString(docx))
	if chosen := eval[string](t, ctx, drop); !strings.Contains(chosen, "Nästa steg ansökan.docx") {
		t.Fatalf("after the drop the page says %q", chosen)
	}
	page(t, ctx, "upload the dropped file",
		chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
		visible("#fynd"))
	if title := text(t, ctx, "h1"); !strings.Contains(title, "Nästa steg") {
		t.Errorf("the dropped file's record is titled %q", title)
	}
	if files := text(t, ctx, "#filer + table"); !strings.Contains(files, "Nästa steg ansökan.docx") {
		t.Errorf("the record's files: %q", files)
	}
}
