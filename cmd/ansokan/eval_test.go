package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/score"
)

// sampleInputs is every sample application file.
func sampleInputs(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, ext := range []string{"docx", "pdf", "xlsx"} {
		m, _ := filepath.Glob("../../samples/*." + ext)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	return files
}

// TestEvalSamples: eval reads the samples, groups them into submissions,
// finds each one's gold and prints scores; the records extract prints
// score the same through --records.
func TestEvalSamples(t *testing.T) {
	gold, err := score.LoadGold("../../samples/gold")
	if err != nil {
		t.Fatal(err)
	}
	files := sampleInputs(t)
	code, stdout, stderr := runCmd(t, append([]string{"eval", "--gold", "../../samples/gold", "--submission", "--json", "--in-process"}, files...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep score.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Totals.Records != len(gold) || len(rep.Results) != len(gold) {
		t.Fatalf("%d records scored, want one per gold file (%d); stderr:\n%s", rep.Totals.Records, len(gold), stderr)
	}
	for _, r := range rep.Results {
		if r.Fields.Total == 0 || r.Sections.Total == 0 || r.Signatures.Total == 0 || r.Budget.Total == 0 {
			t.Errorf("%s: a part was not scored: %+v", r.Name, r)
		}
	}

	// The same records through extract --submission and --records.
	jsonl := filepath.Join(t.TempDir(), "records.jsonl")
	var lines []string
	for _, stem := range score.Names(gold) {
		group := submissionFiles(stem)
		var inputs []string
		for _, f := range group {
			if !strings.HasSuffix(f, ".json") {
				inputs = append(inputs, f)
			}
		}
		code, out, errs := runCmd(t, append([]string{"extract", "--submission", "--in-process"}, inputs...)...)
		if code != exitOK {
			t.Fatalf("extract %v: exit %d: %s", inputs, code, errs)
		}
		lines = append(lines, strings.TrimSpace(out))
	}
	if err := os.WriteFile(jsonl, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout2, stderr := runCmd(t, "eval", "--gold", "../../samples/gold", "--records", jsonl, "--json")
	if code != exitOK {
		t.Fatalf("eval --records: exit %d: %s", code, stderr)
	}
	var rep2 score.Report
	if err := json.Unmarshal([]byte(stdout2), &rep2); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(rep.Totals)
	b, _ := json.Marshal(rep2.Totals)
	if string(a) != string(b) {
		t.Errorf("eval on files and on extract's records differ:\n files:   %s\n records: %s", a, b)
	}

	// Plain text: a row per record and the totals.
	code, text, _ := runCmd(t, "eval", "--gold", "../../samples/gold", "--records", jsonl, "--misses")
	if code != exitOK || !strings.Contains(text, "TOTAL (") || strings.Count(text, "(submission)") < len(gold) {
		t.Errorf("text report (exit %d):\n%s", code, text)
	}
}

func TestEvalUsage(t *testing.T) {
	for _, args := range [][]string{
		{"eval"},
		{"eval", "x.docx"},
		{"eval", "--gold", "../../samples/gold"},
		{"eval", "--gold", "../../samples/gold", "--records", "r.jsonl", "x.docx"},
	} {
		if code, _, _ := runCmd(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, _, stderr := runCmd(t, "eval", "--gold", t.TempDir(), "x.docx"); code != exitUsage || !strings.Contains(stderr, "no gold") {
		t.Errorf("empty gold folder: exit %d, %s", code, stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("{\"title\":\n"), 0o644)
	if code, _, stderr := runCmd(t, "eval", "--gold", "../../samples/gold", "--records", bad); code != exitFailed || !strings.Contains(stderr, "bad.jsonl:1") {
		t.Errorf("broken records file: exit %d, %s", code, stderr)
	}
}
