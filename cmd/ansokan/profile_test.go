package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/score"
)

// evalOne scores the submission of stem with a profile ("" the built-in).
func evalOne(t *testing.T, stem, prof string) score.Result {
	t.Helper()
	// The submission's files: the stem's own, not another sample's that
	// starts with it (its scanned copy, e-…-delskannad).
	var group []string
	for _, ext := range []string{".docx", ".pdf", "-budget.xlsx"} {
		if _, err := os.Stat("../../samples/" + stem + ext); err == nil {
			group = append(group, "../../samples/"+stem+ext)
		}
	}
	args := []string{"eval", "--gold", "../../samples/gold", "--submission", "--json", "--in-process"}
	if prof != "" {
		args = append(args, "--profile", prof)
	}
	for _, f := range group {
		if !strings.HasSuffix(f, ".json") {
			args = append(args, f)
		}
	}
	code, stdout, stderr := runCmd(t, args...)
	if code != exitOK {
		t.Fatalf("eval: exit %d: %s", code, stderr)
	}
	var rep score.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || len(rep.Results) != 1 {
		t.Fatalf("eval output: %v (%d results)", err, len(rep.Results))
	}
	return rep.Results[0]
}

// profile init on a blank template gives a profile that reads the
// filled application as well as the built-in one does (E), or better
// (F, whose Överenskommelse is its own); profile check shows the mapping.
func TestProfileInitReadsTheFilledSample(t *testing.T) {
	for _, tt := range []struct{ template, stem string }{
		{"e-mall.docx", "e-bron-till-arbete"},
		{"f-mall.docx", "f-kustnara-stod"},
	} {
		t.Run(tt.stem, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "profile.json")
			code, stdout, stderr := runCmd(t, "profile", "init", "--in-process", "--name", "Prov", "--out", out,
				"../../samples/templates/"+tt.template)
			if code != exitOK || stdout != "" || !strings.Contains(stderr, "sections") {
				t.Fatalf("init: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			p, err := profile.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != "Prov" || len(p.Unnamed) != 0 || len(p.Sections) < 8 {
				t.Errorf("profile %q: %d sections, unnamed %+v", p.Name, len(p.Sections), p.Unnamed)
			}
			withDefault, withOwn := evalOne(t, tt.stem, ""), evalOne(t, tt.stem, out)
			if withOwn.Fields.Correct < withDefault.Fields.Correct || withOwn.Sections.Correct < withDefault.Sections.Correct {
				t.Errorf("own profile reads worse: fields %d/%d sections %d/%d; default fields %d/%d sections %d/%d",
					withOwn.Fields.Correct, withOwn.Fields.Total, withOwn.Sections.Correct, withOwn.Sections.Total,
					withDefault.Fields.Correct, withDefault.Fields.Total, withDefault.Sections.Correct, withDefault.Sections.Total)
			}
			if withOwn.Fields.Correct != withOwn.Fields.Total || withOwn.Sections.Correct != withOwn.Sections.Total {
				t.Errorf("own profile: fields %d/%d sections %d/%d", withOwn.Fields.Correct, withOwn.Fields.Total,
					withOwn.Sections.Correct, withOwn.Sections.Total)
			}

			code, stdout, stderr = runCmd(t, "profile", "check", "--in-process", out, "../../samples/"+tt.stem+".docx")
			if code != exitOK {
				t.Fatalf("check: exit %d: %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			if len(lines) < 10 || !strings.HasPrefix(lines[0], "FILE") {
				t.Fatalf("check table:\n%s", stdout)
			}
			for _, l := range lines[1:] {
				if strings.Contains(l, "required section") {
					t.Errorf("check: %s", l)
				}
			}
		})
	}
}

func TestProfileCheckTable(t *testing.T) {
	code, stdout, stderr := runCmd(t, "profile", "check", "--in-process", "default", "../../samples/d-steg-for-steg.docx")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Vad är syftet med insatsen?", "purpose", "lexicon", "cell_label",
		"Sökande organisation", "owner", "label",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
	// A required section the file lacks is named under the table.
	code, stdout, _ = runCmd(t, "profile", "check", "--in-process", "default", "../../samples/d-steg-for-steg-budget.xlsx")
	if code != exitOK || !strings.Contains(stdout, "required section purpose") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

func TestProfileUsage(t *testing.T) {
	for _, args := range [][]string{
		{"profile"},
		{"profile", "nonsense"},
		{"profile", "init"},
		{"profile", "init", "a.docx", "b.docx"},
		{"profile", "check", "default"},
		{"profile", "check", "missing-profile.json", "a.docx"},
	} {
		code, _, stderr := runCmd(t, args...)
		if code != exitUsage || !strings.Contains(stderr, "--help") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	code, _, stderr := runCmd(t, "profile", "init", "--in-process", "no-such-template.docx")
	if code != exitUnreadable || !strings.Contains(stderr, "no-such-template.docx") {
		t.Errorf("missing template: exit %d, stderr %q", code, stderr)
	}
}
