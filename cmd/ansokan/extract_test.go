package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/schema"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestExtractMatchesGolden: the command prints, for every sample, the
// record the golden file holds (the samples package checks the golden
// files against the library; this checks the command's wiring).
func TestExtractMatchesGolden(t *testing.T) {
	samples, _ := filepath.Glob("../../samples/*.docx")
	pdfs, _ := filepath.Glob("../../samples/*.pdf")
	samples = append(samples, pdfs...)
	if len(samples) == 0 {
		t.Fatal("no samples")
	}
	// A family with a profile of its own (samples/profiles.tsv) is read
	// with it: one extract per profile, the outputs in the samples' order.
	own := sampleProfiles(t)
	profileOf := func(f string) string {
		return own[strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)), "-budget")]
	}
	slices.SortStableFunc(samples, func(a, b string) int { return strings.Compare(profileOf(a), profileOf(b)) })
	var stdout string
	for start := 0; start < len(samples); {
		end := start
		for end < len(samples) && profileOf(samples[end]) == profileOf(samples[start]) {
			end++
		}
		args := []string{"extract"}
		if prof := profileOf(samples[start]); prof != "" {
			args = append(args, "--profile", filepath.Join("../../samples", prof))
		}
		code, out, stderr := runCmd(t, append(args, samples[start:end]...)...)
		if code != exitOK {
			t.Fatalf("exit %d, stderr:\n%s", code, stderr)
		}
		stdout += out
		start = end
	}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 16<<20)
	i := 0
	for ; sc.Scan(); i++ {
		if i >= len(samples) {
			t.Fatalf("more records than files")
		}
		var got, want any
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		b, err := os.ReadFile(samples[i] + ".golden.json")
		if err != nil {
			t.Fatal(err)
		}
		json.Unmarshal(b, &want)
		// The command stamps the real time and the path as given; the
		// golden file a fixed clock and the bare name.
		g := got.(map[string]any)
		if at, err := time.Parse(schema.TimeFormat, g["produced_at"].(string)); err != nil || time.Since(at) > time.Hour || time.Since(at) < -time.Minute {
			t.Errorf("%s: produced_at %v is not now", samples[i], g["produced_at"])
		}
		g["produced_at"] = want.(map[string]any)["produced_at"]
		for _, f := range g["source"].(map[string]any)["files"].([]any) {
			f := f.(map[string]any)
			if f["path"] != samples[i] {
				t.Errorf("%s: path %v, want the path as given", samples[i], f["path"])
			}
			f["path"] = f["name"]
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if !bytes.Equal(gb, wb) {
			t.Errorf("%s: the command's record differs from the golden file", samples[i])
		}
	}
	if i != len(samples) {
		t.Errorf("%d records for %d files", i, len(samples))
	}
}

func TestExtractUnreadable(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "tom.pdf")
	doc := filepath.Join(dir, "gammal.doc")
	os.WriteFile(empty, nil, 0o644)
	os.WriteFile(doc, append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), bytes.Repeat([]byte("W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t\x00"), 4)...), 0o644)
	code, stdout, stderr := runCmd(t, "extract", empty, doc)
	if code != exitUnreadable {
		t.Errorf("exit %d, want %d", code, exitUnreadable)
	}
	for _, name := range []string{"tom.pdf", "gammal.doc"} {
		if !strings.Contains(stderr, name) {
			t.Errorf("stderr does not name %s:\n%s", name, stderr)
		}
	}
	if n := strings.Count(strings.TrimSpace(stderr), "\n") + 1; n != 2 {
		t.Errorf("want one stderr line per unreadable file, got %d:\n%s", n, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want a record per file, got %d lines", len(lines))
	}
	for i, l := range lines {
		var rec schema.Record
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Complete || len(rec.Findings) == 0 || rec.Findings[0].Code != schema.CodeDocumentUnreadable {
			t.Errorf("record %d: %s", i, l)
		}
	}
	if !strings.Contains(stderr, "Word 97-2003") {
		t.Errorf("the legacy .doc reason should say what the file is:\n%s", stderr)
	}
}

func TestExtractUsage(t *testing.T) {
	if code, _, _ := runCmd(t, "extract"); code != exitUsage {
		t.Errorf("no files: exit %d", code)
	}
	if code, _, _ := runCmd(t, "nonsense"); code != exitUsage {
		t.Errorf("unknown command: exit %d", code)
	}
	if code, _, stderr := runCmd(t, "extract", "--profile", "/nonexistent.json", "x.pdf"); code != exitUsage || !strings.Contains(stderr, "nonexistent") {
		t.Errorf("bad profile: exit %d, %s", code, stderr)
	}
}

// sampleProfiles reads samples/profiles.tsv: a family's stem → the
// profile (relative to samples/) that reads it.
func sampleProfiles(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../samples/profiles.tsv")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if f := strings.Split(l, "\t"); len(f) >= 2 {
			out[f[0]] = f[1]
		}
	}
	return out
}
