package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/batch"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

type evalOptions struct {
	Gold       string
	Records    string
	Submission bool
	JSON       bool
	Misses     bool
	Profile    string
	Files      []string
	Isolation  isolation
}

func newEvalCmd(ios *streams) *cobra.Command {
	var opts evalOptions
	cmd := &cobra.Command{
		Use:   "eval --gold DIR [flags] FILE... | --records FILE",
		Short: "Score records against ground truth (fields, sections, signatures, budget, findings)",
		Long: `Scores ansokan's records against ground-truth files, the way a förbund checks
ansokan on its own annotated applications: a record is matched to DIR/<stem>.json
by its files' stem. Give application files (read as extract does; with
--submission the files sharing a stem are one merged record) or --records with
the JSON Lines of extract or batch.`,
		Example: `  ansokan eval --gold samples/gold --submission samples/*.docx samples/*.pdf samples/*-budget.xlsx
  ansokan eval --gold gold --records records.jsonl --misses`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			switch {
			case opts.Gold == "":
				return usagef(cmd, "--gold is required")
			case opts.Records != "" && len(opts.Files) > 0:
				return usagef(cmd, "give either --records or files, not both")
			case opts.Records == "" && len(opts.Files) == 0:
				return usagef(cmd, "no files given (or --records FILE)")
			}
			if err := opts.Isolation.check(); err != nil {
				return usagef(cmd, "%v", err)
			}
			return exit(evalRun(cmd.Context(), opts, ios.Out, ios.Err, warnLogger(ios.Err)))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Gold, "gold", "", "folder `DIR` of ground-truth files, <stem>.json each (required)")
	fs.StringVar(&opts.Records, "records", "", "score the records in `FILE` (JSON Lines from extract or batch) instead of reading files")
	fs.BoolVar(&opts.Submission, "submission", false, "files that share a stem (X.pdf, X.docx, X-budget.xlsx) are one submission: score one merged record each")
	fs.BoolVar(&opts.JSON, "json", false, "print the scores as JSON")
	fs.BoolVar(&opts.Misses, "misses", false, "list what did not match under the table")
	fs.StringVar(&opts.Profile, "profile", "", "förbund profile `FILE` (JSON) for reading the files; default: the built-in Uppsala 2019 profile")
	addIsolationFlags(fs, &opts.Isolation)
	return cmd
}

func evalRun(ctx context.Context, opts evalOptions, stdout, stderr io.Writer, log *slog.Logger) int {
	gold, err := score.LoadGold(opts.Gold)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %v\n", err)
		return exitUsage
	}
	var recs []namedRecord
	if opts.Records != "" {
		recs, err = readRecords(opts.Records)
	} else {
		recs, err = extractForEval(ctx, opts, log)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %v\n", err)
		return exitFailed
	}
	byStem := map[string]string{}
	for name := range gold {
		byStem[batch.StemKey(name)] = name
	}
	var rep score.Report
	for _, r := range recs {
		name, ok := byStem[r.stem]
		if !ok {
			fmt.Fprintf(stderr, "ansokan: %s: no gold file for stem %q, not scored\n", r.name, r.stem)
			continue
		}
		rep.Results = append(rep.Results, score.Score(r.name, gold[name], &r.rec))
	}
	rep.Totals = score.Sum(rep.Results)
	if opts.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = score.WriteText(stdout, rep, opts.Misses)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: writing output: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// namedRecord is a record to score: its name in the table and the stem
// that finds its gold.
type namedRecord struct {
	name, stem string
	rec        schema.Record
}

// readRecords reads JSON Lines records; each is named by its first file.
func readRecords(path string) ([]namedRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []namedRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var r schema.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		name := fmt.Sprintf("%s:%d", filepath.Base(path), line)
		stem := ""
		for _, sf := range r.Source.Files {
			if k := batch.StemKey(sf.Name); k != "" {
				name, stem = sf.Name, k
				break
			}
		}
		if len(r.Source.Files) > 1 {
			name = stem + " (submission)"
		}
		out = append(out, namedRecord{name: name, stem: stem, rec: r})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// extractForEval reads the files as extract does: one record per file,
// or with --submission one per group of files sharing a stem.
func extractForEval(ctx context.Context, opts evalOptions, log *slog.Logger) ([]namedRecord, error) {
	prof := profile.Default()
	if opts.Profile != "" {
		p, err := profile.Load(opts.Profile)
		if err != nil {
			return nil, err
		}
		prof = p
	}
	r, closeReader, err := opts.Isolation.reader(1, log)
	if err != nil {
		return nil, err
	}
	defer closeReader()
	groups := batch.Group(opts.Files, batch.GroupFile)
	if opts.Submission {
		groups = batch.Group(opts.Files, batch.GroupStem)
	}
	var out []namedRecord
	for _, g := range groups {
		var inputs []normalizer.Input
		for _, path := range g {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			inputs = append(inputs, readInput(ctx, path, r, normalizer.ReadInput))
		}
		stem := batch.StemKey(g[0])
		name := filepath.Base(g[0])
		if len(g) > 1 {
			name = stem + " (submission)"
		}
		out = append(out, namedRecord{name: name, stem: stem, rec: *normalizer.Normalize(inputs, prof)})
	}
	return out, nil
}
