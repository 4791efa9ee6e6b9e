package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/profile"
)

type extractOptions struct {
	Pretty     bool
	Submission bool
	Profile    string
	Files      []string
}

func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) int {
	var opts extractOptions
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&opts.Pretty, "pretty", false, "indent the JSON (one record per file still, separated by newlines)")
	fs.BoolVar(&opts.Submission, "submission", false, "the files are one submission (signed PDF, Word version, budget workbook): print one merged record")
	fs.StringVar(&opts.Profile, "profile", "", "förbund profile `FILE` (JSON) for another template; default: the built-in Uppsala 2019 profile")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ansokan extract [--pretty] [--submission] [--profile FILE] FILE...")
		fmt.Fprintln(stderr, "Prints one JSON record per file (JSON Lines) on stdout; exit status 1 when a file could not be read.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	opts.Files = fs.Args()
	if len(opts.Files) == 0 {
		fs.Usage()
		return exitUsage
	}
	prof := profile.Default()
	if opts.Profile != "" {
		p, err := profile.Load(opts.Profile)
		if err != nil {
			fmt.Fprintf(stderr, "ansokan: %v\n", err)
			return exitUsage
		}
		prof = p
	}
	return extractRun(ctx, opts, prof, stdout, stderr, log)
}

func extractRun(ctx context.Context, opts extractOptions, prof *profile.Profile, stdout, stderr io.Writer, log *slog.Logger) int {
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if opts.Pretty {
		enc.SetIndent("", "  ")
	}
	status := exitOK
	var inputs []normalizer.Input
	for _, path := range opts.Files {
		if err := ctx.Err(); err != nil {
			fmt.Fprintf(stderr, "ansokan: interrupted before %s\n", path)
			return exitUnreadable
		}
		in := readInput(path)
		if in.Err != nil {
			fmt.Fprintf(stderr, "ansokan: %s\n", fileError(path, in.Err))
			status = exitUnreadable
		} else {
			log.Info("read", "file", path, "format", in.Doc.Format, "blocks", len(in.Doc.Blocks))
		}
		if opts.Submission {
			inputs = append(inputs, in)
			continue
		}
		if err := enc.Encode(normalizer.Normalize([]normalizer.Input{in}, prof)); err != nil {
			fmt.Fprintf(stderr, "ansokan: writing output: %v\n", err)
			return exitUnreadable
		}
	}
	if opts.Submission {
		if err := enc.Encode(normalizer.Normalize(inputs, prof)); err != nil {
			fmt.Fprintf(stderr, "ansokan: writing output: %v\n", err)
			return exitUnreadable
		}
	}
	return status
}

// readInput reads one file; a file that cannot be read becomes an Input
// carrying the reason, so it still gets a record.
func readInput(path string) normalizer.Input {
	doc, err := extractor.ReadFile(path)
	if err == nil {
		return normalizer.Input{Doc: doc}
	}
	in := normalizer.Input{Name: filepath.Base(path), Err: err, Format: formatByName(path)}
	if f, ferr := os.Open(path); ferr == nil {
		defer f.Close()
		if st, serr := f.Stat(); serr == nil && !st.IsDir() {
			in.Bytes = st.Size()
			in.SHA256, _ = fileSHA256(f)
		}
	}
	var e *extractor.Error
	if !errors.As(err, &e) {
		in.Err = &extractor.Error{File: in.Name, Err: err}
	}
	return in
}

func formatByName(path string) string {
	switch ext := filepath.Ext(path); ext {
	case ".docx", ".pdf", ".xlsx":
		return ext[1:]
	}
	return ""
}

// fileError says on one line which file failed and why, naming the file
// once: the extractor's errors begin with the file's base name (and the
// page or sheet), the path given on the command line replaces it.
func fileError(path string, err error) string {
	msg := oneLine(err)
	if base := filepath.Base(path); strings.HasPrefix(msg, base+" ") || strings.HasPrefix(msg, base+":") {
		return path + msg[len(base):]
	}
	return path + ": " + msg
}

// oneLine keeps an error message on one line of stderr.
func oneLine(err error) string {
	s := err.Error()
	for i, r := range s {
		if r == '\n' || r == '\r' {
			return s[:i] + " …"
		}
	}
	return s
}
