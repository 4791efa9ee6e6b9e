package samples

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/extractor/scan"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current extraction")

// goldenClock is the clock of every golden record's produced_at
// (2000-01-01T00:00:00.000Z): fixed, so the files stay deterministic;
// production stamps the real time.
func goldenClock() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }

// sampleFiles lists the sample documents in this folder.
func sampleFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, ext := range []string{"*.docx", "*.pdf", "*.xlsx"} {
		m, err := filepath.Glob(ext)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	slices.Sort(out)
	if len(out) < 8 {
		t.Fatalf("expected at least 8 sample files, found %d", len(out))
	}
	return out
}

// submissions groups the samples that form one submission: the files
// whose names share a stem once the extension and a trailing "-budget"
// are removed (the application, its signed PDF and its budget workbook).
// This is the documented grouping rule, not a list of names.
func submissions(files []string) map[string][]string {
	groups := map[string][]string{}
	for _, f := range files {
		stem := strings.TrimSuffix(f, filepath.Ext(f))
		stem = strings.TrimSuffix(stem, "-budget")
		groups[stem] = append(groups[stem], f)
	}
	for stem, fs := range groups {
		if len(fs) < 2 {
			delete(groups, stem)
		}
	}
	return groups
}

// sampleProfile is one line of profiles.tsv: the profile that reads a
// sample family, and the blank template it was made from.
type sampleProfile struct {
	profile, template string
}

// sampleProfiles reads profiles.tsv: stem → profile and template.
func sampleProfiles(t *testing.T) map[string]sampleProfile {
	t.Helper()
	b, err := os.ReadFile("profiles.tsv")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]sampleProfile{}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			t.Fatalf("profiles.tsv: %q: want stem, profile and template", l)
		}
		out[f[0]] = sampleProfile{profile: f[1], template: f[2]}
	}
	return out
}

// profileFor is the profile that reads a file of the samples: the one
// profiles.tsv names for its stem, else the built-in one (nil).
func profileFor(t *testing.T, file string) *profile.Profile {
	t.Helper()
	stem := strings.TrimSuffix(strings.TrimSuffix(file, filepath.Ext(file)), "-budget")
	sp, ok := sampleProfiles(t)[stem]
	if !ok {
		return nil
	}
	p, err := profile.Load(sp.profile)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func extract(t *testing.T, files ...string) []byte {
	t.Helper()
	var inputs []normalizer.Input
	for _, f := range files {
		doc, err := anyformat.ReadFile(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(doc.NoTextPages) > 0 {
			// A scanned sample's record is what OCR reads.
			if _, err := scan.Find(); err != nil {
				t.Skipf("%s has scanned pages and OCR is not available here (Debian: tesseract-ocr tesseract-ocr-swe tesseract-ocr-osd): %v", f, err)
			}
		}
		inputs = append(inputs, normalizer.Input{Doc: doc})
	}
	rec := normalizer.NormalizeStamped(inputs, profileFor(t, files[0]), normalizer.Stamp{Now: goldenClock})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rec); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func checkGolden(t *testing.T, golden string, got []byte, sch *jsonschema.Schema) {
	t.Helper()
	if inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(got)); err != nil {
		t.Fatal(err)
	} else if err := sch.Validate(inst); err != nil {
		t.Errorf("record does not validate against the JSON Schema: %v", err)
	}
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("no golden file (run go test ./samples -update and review it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("record differs from %s (run go test ./samples -update and review the diff):\n%s", golden, firstDiff(want, got))
	}
}

func TestGolden(t *testing.T) {
	sch := compileSchema(t)
	files := sampleFiles(t)
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			checkGolden(t, f+".golden.json", extract(t, f), sch)
		})
	}
	for stem, fs := range submissions(files) {
		t.Run(stem+" (submission)", func(t *testing.T) {
			checkGolden(t, stem+".submission.golden.json", extract(t, fs...), sch)
		})
	}
}

// TestNoStrayGoldens fails when a golden file has lost its sample.
func TestNoStrayGoldens(t *testing.T) {
	files := sampleFiles(t)
	want := map[string]bool{}
	for _, f := range files {
		want[f+".golden.json"] = true
	}
	for stem := range submissions(files) {
		want[stem+".submission.golden.json"] = true
	}
	goldens, _ := filepath.Glob("*.golden.json")
	for _, g := range goldens {
		if !want[g] {
			t.Errorf("%s has no sample: remove it", g)
		}
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.JSONSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("record.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("record.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// firstDiff shows the first differing lines of two JSON texts.
func firstDiff(want, got []byte) string {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return "(no line differs)"
}

// TestGoldCoversSubmissions: every submission has its ground truth in
// gold/ (written by gen from the sample's data, for ansokan eval), and
// every gold file has its submission.
func TestGoldCoversSubmissions(t *testing.T) {
	gold, err := score.LoadGold("gold")
	if err != nil {
		t.Fatal(err)
	}
	subs := submissions(sampleFiles(t))
	for stem := range subs {
		if gold[stem] == nil {
			t.Errorf("submission %s has no gold/%s.json", stem, stem)
		}
	}
	for name, g := range gold {
		if subs[name] == nil {
			t.Errorf("gold/%s.json has no submission", name)
		}
		if g.Findings == nil || g.Complete == nil {
			t.Errorf("gold/%s.json does not annotate findings and complete", name)
		}
	}
}

// TestProfilesFromTemplates: each sample profile is what 'ansokan profile
// init' makes of its blank template (the name aside, which the officer
// gives), so the profile and the template cannot drift apart.
func TestProfilesFromTemplates(t *testing.T) {
	for stem, sp := range sampleProfiles(t) {
		t.Run(stem, func(t *testing.T) {
			want, err := profile.Load(sp.profile)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := anyformat.ReadFile(sp.template)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := normalizer.DraftProfile(doc, want.Name)
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			if !bytes.Equal(gb, wb) {
				t.Errorf("profile init on %s no longer gives %s:\n%s", sp.template, sp.profile, firstDiff(wb, gb))
			}
		})
	}
}
