package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
)

type submitOptions struct {
	Conn       connOptions
	Wait       bool
	Submission string
	Files      []string
}

func newSubmitCmd(ios *streams) *cobra.Command {
	var opts submitOptions
	cmd := &cobra.Command{
		Use:   "submit [flags] FILE...",
		Short: "Queue files for the workers; print a receipt (or the record, with --wait)",
		Long: `Stores the files and queues one job per file (or one for all with --submission).
Prints one JSON receipt per job (with --wait: its record) on stdout.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if len(opts.Files) == 0 {
				return usagef(cmd, "no files given")
			}
			opts.Conn.resolveURL()
			return exit(submitRun(cmd.Context(), opts, ios.Out, ios.Err))
		},
	}
	fs := cmd.Flags()
	addConnFlags(fs, &opts.Conn)
	fs.BoolVar(&opts.Wait, "wait", false, "wait for each job's record and print it instead of the receipt; each state change goes to stderr as it happens")
	fs.StringVar(&opts.Submission, "submission", "", "the files are one submission with this `ID`: one job, one merged record")
	return cmd
}

func submitRun(ctx context.Context, opts submitOptions, stdout, stderr io.Writer) int {
	if opts.Submission != "" {
		// A submission over its limits is refused before its files are
		// read into memory (Submit checks again, with what it holds).
		var size int64
		for _, path := range opts.Files {
			if st, err := os.Stat(path); err == nil {
				size += st.Size()
			}
		}
		if err := normalizer.DefaultSubmissionLimits().Check(len(opts.Files), size); err != nil {
			fmt.Fprintf(stderr, "ansokan: submit %s: inskickningen är för stor (%v)\n", opts.Submission, err)
			return exitFailed
		}
	}
	files := make([]normalizer.File, 0, len(opts.Files))
	for _, path := range opts.Files {
		b, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "ansokan: submit %s: %v\n", path, err)
			return exitFailed
		}
		files = append(files, normalizer.File{Name: path, Data: b})
	}
	// One try, for all the files: a server that is not there is said once.
	nc, js, err := opts.Conn.connect(ctx, "ansokan submit", queue.RoleClient, false, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: submit: %v\n", err)
		return exitFailed
	}
	defer nc.Close()
	c, err := queue.Open(ctx, js)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: submit %s: %v\n", opts.Files[0], err)
		return exitFailed
	}

	jobs := [][]normalizer.File{files}
	if opts.Submission == "" {
		jobs = jobs[:0]
		for _, f := range files {
			jobs = append(jobs, []normalizer.File{f})
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	var receipts []queue.Receipt
	status := exitOK
	for _, job := range jobs {
		r, err := c.Submit(ctx, job, opts.Submission)
		if err != nil {
			fmt.Fprintf(stderr, "ansokan: %s\n", submitError(err))
			status = exitFailed
			continue
		}
		if r.Duplicate {
			fmt.Fprintf(stderr, "ansokan: %s: already submitted (job %s, %s)\n", r.Job.Files[0].Name, r.Job.ID, r.State)
		}
		if !opts.Wait {
			if err := enc.Encode(r); err != nil {
				fmt.Fprintf(stderr, "ansokan: writing output: %v\n", err)
				return exitFailed
			}
		}
		receipts = append(receipts, r)
	}
	if !opts.Wait {
		return status
	}
	for _, r := range receipts {
		rec, _, err := c.WaitProgress(ctx, r, func(st *queue.Status) {
			fmt.Fprintf(stderr, "ansokan: %s: %s\n", r.Job.Files[0].Name, st.Step())
		})
		if err != nil {
			fmt.Fprintf(stderr, "ansokan: %v\n", err)
			status = exitFailed
			continue
		}
		if _, err := fmt.Fprintf(stdout, "%s\n", rec); err != nil {
			fmt.Fprintf(stderr, "ansokan: writing output: %v\n", err)
			return exitFailed
		}
	}
	return status
}

// submitError says why a submit failed; a full store and a submission
// over its limits first in Swedish, for the officer at the terminal, then
// as the error says it.
func submitError(err error) string {
	switch {
	case errors.Is(err, queue.ErrStoreFull):
		return "lagringen är full: försök igen när utrymme har frigjorts (" + err.Error() + ")"
	case errors.Is(err, normalizer.ErrSubmissionLimit):
		return "inskickningen är för stor (" + err.Error() + ")"
	}
	return err.Error()
}
