package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// cancelAfter is a Reader that cancels the run after n files, as an
// interrupt would.
type cancelAfter struct {
	n      atomic.Int64
	after  int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error) {
	if c.n.Add(1) == c.after {
		c.cancel()
	}
	return normalizer.InProcess{}.Extract(ctx, name, data)
}

func readRecords(t *testing.T, path string) []schema.Record {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		t.Fatalf("%s does not end with a whole line", path)
	}
	var recs []schema.Record
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var r schema.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s line %d: %v", path, len(recs)+1, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// treeSize is the number of submissions in TestTree's tree: about 250
// files (fewer under the race detector, see race_test.go).
var treeSize = 100

// TestTree runs a batch over a generated tree of a few hundred files,
// interrupts it, resumes it after a crash tore the last line, and reads
// the register back.
func TestTree(t *testing.T) {
	dir := t.TempDir()
	tr := makeTree(t, filepath.Join(dir, "in"), treeSize)
	if tr.files < 2*treeSize {
		t.Fatalf("tree too small: %d files", tr.files)
	}
	out := filepath.Join(dir, "records.jsonl")
	reg := filepath.Join(dir, "register.xlsx")

	// 1. Interrupted after a third of the files.
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &cancelAfter{after: int64(tr.files / 3), cancel: cancel}
	st, err := Run(ctx, Options{Paths: []string{tr.root}, Out: out, Register: reg, Jobs: 2, Reader: r, Log: quietLog()})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: err = %v, want context.Canceled", err)
	}
	if st.Files != tr.files {
		t.Errorf("found %d files, want %d", st.Files, tr.files)
	}
	if info, err := os.Stat(out); err != nil {
		t.Error(err)
	} else if m := info.Mode().Perm(); m != OutputMode {
		t.Errorf("records file mode %v, want it created 0600 (personal data)", m)
	}
	first := readRecords(t, out)
	if len(first) == 0 || len(first) >= tr.apps {
		t.Fatalf("interrupted run wrote %d records, want some of %d", len(first), tr.apps)
	}
	if st.Written != len(first) {
		t.Errorf("stats say %d written, the file holds %d", st.Written, len(first))
	}
	if _, err := os.Stat(reg); err == nil {
		t.Error("an interrupted run wrote the register")
	}
	checkNoLeak(t, before)

	// 2. A crash tore the last line: half a record, no newline.
	line, _ := json.Marshal(first[0])
	f, err := os.OpenFile(out, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(line[:len(line)/2])
	f.Close()

	// 3. Resume, reading in child processes as the command does.
	pool, err := isolate.New(isolate.Config{Children: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st, err = Run(context.Background(), Options{Paths: []string{tr.root}, Out: out, Resume: true, Register: reg, Jobs: 2, Reader: pool, Log: quietLog()})
	if err != nil {
		t.Fatalf("resumed run: %v", err)
	}
	recs := readRecords(t, out)
	checkGrouping(t, tr, recs)
	if st.Resumed < len(first) {
		t.Errorf("resumed run skipped %d submissions, want at least the %d written before", st.Resumed, len(first))
	}
	if got := st.Written + st.Resumed + st.Duplicates; got != st.Submissions || st.Failed != 0 {
		t.Errorf("written %d + resumed %d + duplicates %d = %d, want %d submissions (failed %d)", st.Written, st.Resumed, st.Duplicates, got, st.Submissions, st.Failed)
	}
	if st.Submissions != tr.apps+tr.dups {
		t.Errorf("found %d submissions, want %d (%d distinct and %d copies)", st.Submissions, tr.apps+tr.dups, tr.apps, tr.dups)
	}
	if st.Skipped != 1 { // läsmig.txt; .DS_Store and ~$ are ignored
		t.Errorf("skipped %d files, want 1", st.Skipped)
	}

	// 4. Once more: nothing left to do.
	st, err = Run(context.Background(), Options{Paths: []string{tr.root}, Out: out, Resume: true, Jobs: 2, Log: quietLog()})
	if err != nil || st.Written != 0 || st.Resumed+st.Duplicates != st.Submissions {
		t.Errorf("third run: written %d, resumed %d, duplicates %d of %d, err %v", st.Written, st.Resumed, st.Duplicates, st.Submissions, err)
	}
	if n := len(readRecords(t, out)); n != tr.apps {
		t.Errorf("third run left %d records, want %d", n, tr.apps)
	}

	checkRegister(t, reg, recs)
}

// checkNoLeak fails when goroutines started by a run outlive it. Run
// waits for all of its own, so this should hold at once; the retries only
// let the runtime finish goroutines that have returned.
func checkNoLeak(t *testing.T, before int) {
	t.Helper()
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	buf := make([]byte, 1<<20)
	t.Errorf("%d goroutines before the run, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
}

// checkGrouping: one record per distinct submission, each holding exactly
// the files of one submission.
func checkGrouping(t *testing.T, tr *tree, recs []schema.Record) {
	t.Helper()
	if len(recs) != tr.apps {
		t.Errorf("%d records, want %d", len(recs), tr.apps)
	}
	seen := map[int]int{}
	for i, r := range recs {
		app := -1
		for _, f := range r.Source.Files {
			a, ok := tr.appOf[f.SHA256]
			if !ok {
				t.Errorf("record %d: file %s is not from the tree", i, f.Name)
				continue
			}
			if app >= 0 && a != app {
				t.Errorf("record %d mixes submissions %d and %d: %s", i, app, a, names(r))
			}
			app = a
		}
		if len(r.Source.Files) != tr.filesOf[app] {
			t.Errorf("record %d (submission %d) has %d files, want %d: %s", i, app, len(r.Source.Files), tr.filesOf[app], names(r))
		}
		seen[app]++
		codes := findingCodes(r)
		switch app {
		case tr.unreadble:
			if !slices.Contains(codes, schema.CodeDocumentUnreadable) {
				t.Errorf("corrupt file: findings %v, want %s", codes, schema.CodeDocumentUnreadable)
			}
		case tr.noText:
			if !slices.Contains(codes, schema.CodeDocumentNoText) {
				t.Errorf("scanned PDF: findings %v, want %s", codes, schema.CodeDocumentNoText)
			}
		default:
			if slices.Contains(codes, schema.CodeDocumentUnreadable) {
				t.Errorf("record %d: a sample was unreadable: %s", i, names(r))
			}
		}
	}
	for app := range tr.apps {
		if seen[app] != 1 {
			t.Errorf("submission %d has %d records, want 1", app, seen[app])
		}
	}
}

func names(r schema.Record) string {
	var s []string
	for _, f := range r.Source.Files {
		s = append(s, f.Name)
	}
	return strings.Join(s, ", ")
}

func findingCodes(r schema.Record) []string {
	var s []string
	for _, f := range r.Findings {
		s = append(s, f.Code)
	}
	return s
}

func checkRegister(t *testing.T, path string, recs []schema.Record) {
	t.Helper()
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	defer x.Close()
	if got, want := x.GetSheetList(), []string{SheetApplications, SheetFindings, SheetTotals}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	rows, err := x.GetRows(SheetApplications)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != TotalRow(len(recs)) || !strings.HasPrefix(rows[len(rows)-1][0], "Summa") {
		t.Errorf("%s: %d rows, want a header, %d records, a blank row and the total row", SheetApplications, len(rows), len(recs))
	}
	if !slices.Equal(rows[0], applicationHeader) {
		t.Errorf("header %q", rows[0])
	}
	findings := 0
	for _, r := range recs {
		findings += len(r.Findings)
	}
	frows, err := x.GetRows(SheetFindings)
	if err != nil {
		t.Fatal(err)
	}
	if len(frows) != findings+1 {
		t.Errorf("%s: %d rows, want %d findings and a header", SheetFindings, len(frows), findings)
	}
	for _, s := range []struct{ sheet, table string }{{SheetApplications, TableApplications}, {SheetFindings, TableFindings}, {SheetTotals, TableYears}, {SheetTotals, TableOwners}} {
		tables, err := x.GetTables(s.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(tables, func(tb excelize.Table) bool { return tb.Name == s.table }) {
			t.Errorf("%s: no table %s (%v)", s.sheet, s.table, tables)
		}
		panes, err := x.GetPanes(s.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: header not frozen: %+v", s.sheet, panes)
		}
	}
	// The cells of one record, found by its files.
	var want *schema.Record
	for i := range recs {
		if recs[i].RequestedAmountSEK != nil && recs[i].Period != nil && recs[i].Title != nil && recs[i].Owner != nil && recs[i].Owner.Organisation != nil {
			want = &recs[i]
			break
		}
	}
	if want == nil {
		t.Fatal("no record with an amount, a period, a title and an owner")
	}

	// The row of that record: by its files' paths, which are unique in
	// the tree (file names are not: "Ansökan.docx" stands in many folders).
	var row int
	for i, r := range rows {
		if len(r) > 10 && r[9] == names(*want) && r[10] == strings.Join(filePaths(want), ", ") {
			row = i + 1
		}
	}
	if row == 0 {
		t.Fatalf("no row lists the files %s", names(*want))
	}
	cell := func(col string) string {
		v, err := x.GetCellValue(SheetApplications, col+strconv.Itoa(row), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := cell("A"); got != *want.Title {
		t.Errorf("title %q, want %q", got, *want.Title)
	}
	if got := cell("B"); got != *want.Owner.Organisation {
		t.Errorf("owner %q, want %q", got, *want.Owner.Organisation)
	}
	if got, w := cell("F"), strconv.FormatInt(*want.RequestedAmountSEK, 10); got != w {
		t.Errorf("requested %q, want %s", got, w)
	}
	style, err := x.GetCellStyle(SheetApplications, "F"+strconv.Itoa(row))
	if err != nil {
		t.Fatal(err)
	}
	st, err := x.GetStyle(style)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil || *st.CustomNumFmt != KronorFormat {
		t.Errorf("amount format %v, want %s", st.CustomNumFmt, KronorFormat)
	}
	if got, _ := x.GetCellValue(SheetApplications, "D"+strconv.Itoa(row)); want.Period.Start != nil && got != *want.Period.Start {
		t.Errorf("start %q, want %q", got, *want.Period.Start)
	}
	// The totals: the counts per owner add up to the records.
	trows, err := x.GetRows(SheetTotals)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, r := range trows[1:] {
		if len(r) > 5 && r[5] != "" {
			n, err := strconv.Atoi(r[5])
			if err != nil {
				t.Fatalf("%s: count %q: %v", SheetTotals, r[5], err)
			}
			total += n
		}
	}
	if total != len(recs) {
		t.Errorf("per-owner counts add up to %d, want %d", total, len(recs))
	}
}

// goldenClock is the golden records' clock (see samples/golden_test.go).
func goldenClock() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }

// TestMatchesGolden: a batch over the samples makes, for each sample
// submission, the record of its submission golden file.
func TestMatchesGolden(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	goldens, _ := filepath.Glob("../samples/*.submission.golden.json")
	if len(goldens) == 0 {
		t.Fatal("no golden files")
	}
	// A sample that is a submission of one file (a scanned application
	// from the archive) has its file's golden record.
	byStem := map[string][]string{}
	for _, ext := range []string{"*.docx", "*.pdf", "*.xlsx"} {
		m, _ := filepath.Glob(filepath.Join("../samples", ext))
		for _, p := range m {
			stem := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)), "-budget")
			byStem[stem] = append(byStem[stem], p)
		}
	}
	for _, files := range byStem {
		if len(files) == 1 {
			goldens = append(goldens, files[0]+".golden.json")
		}
	}
	// A family with a profile of its own (samples/profiles.tsv) is one
	// batch with that profile; the rest one batch with the default.
	own := sampleProfiles(t)
	inputs := map[string]string{"": in}
	for _, prof := range own {
		if _, ok := inputs[prof]; !ok {
			inputs[prof] = filepath.Join(dir, "in"+strconv.Itoa(len(inputs)))
			os.Mkdir(inputs[prof], 0o755)
		}
	}
	for _, ext := range []string{"*.docx", "*.pdf", "*.xlsx"} {
		m, _ := filepath.Glob(filepath.Join("../samples", ext))
		for _, p := range m {
			stem := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)), "-budget")
			os.WriteFile(filepath.Join(inputs[own[stem]], filepath.Base(p)), mustRead(t, p), 0o644)
		}
	}
	got := map[string][]byte{}
	for prof, dirIn := range inputs {
		var p *profile.Profile
		if prof != "" {
			var err error
			if p, err = profile.Load(filepath.Join("../samples", prof)); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(dir, filepath.Base(dirIn)+".jsonl")
		if _, err := Run(context.Background(), Options{Paths: []string{dirIn}, Out: out, Jobs: 2, Log: quietLog(), Now: goldenClock, Profile: p}); err != nil {
			t.Fatal(err)
		}
		for _, r := range readRecords(t, out) {
			b, _ := json.Marshal(r)
			got[names(r)] = b
		}
	}
	if len(got) != len(goldens) {
		t.Errorf("%d records, want %d", len(got), len(goldens))
	}
	for _, g := range goldens {
		var want schema.Record
		if err := json.Unmarshal(mustRead(t, g), &want); err != nil {
			t.Fatal(err)
		}
		// A batch names each submission by its content id.
		var sums []string
		for _, f := range want.Source.Files {
			sums = append(sums, f.SHA256)
		}
		want.SubmissionID = ptr(SubmissionID(sums))
		wb, _ := json.Marshal(want)
		if b, ok := got[names(want)]; !ok {
			t.Errorf("%s: no record with files %s", g, names(want))
		} else if !bytes.Equal(b, wb) {
			t.Errorf("%s: the batch record differs", g)
		}
	}
}

// sampleProfiles reads samples/profiles.tsv: a family's stem → the
// profile (relative to samples/) that reads it.
func sampleProfiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, l := range strings.Split(string(mustRead(t, "../samples/profiles.tsv")), "\n") {
		if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if f := strings.Split(l, "\t"); len(f) >= 2 {
			out[f[0]] = f[1]
		}
	}
	return out
}
