package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core's axe.min.js (npm axe-core, version AxeVersion,
// MPL-2.0: testdata/axe/LICENSE).
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// AxeVersion is the vendored axe-core's version.
const AxeVersion = "4.14.1"

// WCAGTags are the rules Axe runs: WCAG 2.0 and 2.1, levels A and AA,
// which lagen om tillgänglighet till digital offentlig service asks of
// Swedish public bodies.
var WCAGTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one failed axe rule, as axe reports it.
type Violation struct {
	ID          string   `json:"id"`
	Impact      string   `json:"impact"` // minor, moderate, serious, critical
	Description string   `json:"description"`
	Help        string   `json:"help"`
	HelpURL     string   `json:"helpUrl"`
	Tags        []string `json:"tags"`
	Nodes       []Node   `json:"nodes"`
}

// Node is one element that fails a rule.
type Node struct {
	// Target is the element's CSS selector; one per shadow root or frame
	// on the way to it.
	Target         []json.RawMessage `json:"target"`
	HTML           string            `json:"html"`
	FailureSummary string            `json:"failureSummary"`
}

// Selector is the node's target as one string.
func (n Node) Selector() string {
	parts := make([]string, 0, len(n.Target))
	for _, t := range n.Target {
		var s string
		if json.Unmarshal(t, &s) == nil {
			parts = append(parts, s)
		} else {
			parts = append(parts, string(t))
		}
	}
	return strings.Join(parts, " >> ")
}

// Axe runs axe-core with WCAGTags on the page the context's tab shows
// (injecting it first when the page has none) and returns the
// violations.
func Axe(ctx context.Context) ([]Violation, error) {
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`typeof axe === "undefined" && (0, eval)(`+jsString(axeSource)+`), undefined`)); err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	tags, _ := json.Marshal(WCAGTags)
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
		.then(r => JSON.stringify(r.violations))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	return vs, nil
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Serious keeps the violations of impact serious or critical.
func Serious(vs []Violation) []Violation {
	var out []Violation
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			out = append(out, v)
		}
	}
	return out
}

// maxNodes is how many failing elements a report names per violation.
const maxNodes = 3

// Report is one violation in a line: its rule, impact and help, and the
// first failing elements.
func (v Violation) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == maxNodes {
			fmt.Fprintf(&b, "; and %d more", len(v.Nodes)-maxNodes)
			break
		}
		fmt.Fprintf(&b, "; %s", n.Selector())
	}
	if v.HelpURL != "" {
		fmt.Fprintf(&b, " <%s>", v.HelpURL)
	}
	return b.String()
}

// AssertAccessible fails the test, naming each violation, when axe finds
// a serious or critical one on the tab's page; page names it in the
// messages.
func AssertAccessible(t testing.TB, ctx context.Context, page string) {
	t.Helper()
	vs, err := Axe(ctx)
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	for _, v := range Serious(vs) {
		t.Errorf("%s: accessibility: %s", page, v.Report())
	}
}
