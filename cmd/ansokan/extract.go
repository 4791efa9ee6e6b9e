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
	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/profile"
)

type extractOptions struct {
	Pretty     bool
	Submission bool
	Profile    string
	Files      []string
	Isolation  isolation
}

func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) int {
	var opts extractOptions
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&opts.Pretty, "pretty", false, "indent the JSON (one record per file still, separated by newlines)")
	fs.BoolVar(&opts.Submission, "submission", false, "the files are one submission (signed PDF, Word version, budget workbook): print one merged record")
	fs.StringVar(&opts.Profile, "profile", "", "förbund profile `FILE` (JSON) for another template; default: the built-in Uppsala 2019 profile")
	addIsolationFlags(fs, &opts.Isolation)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ansokan extract [--pretty] [--submission] [--profile FILE] FILE...")
		fmt.Fprintln(stderr, "Prints one JSON record per file (JSON Lines) on stdout; exit status 1 when a file could not be read.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	opts.Files = fs.Args()
	if err := opts.Isolation.check(); err != nil {
		fmt.Fprintf(stderr, "ansokan: %v\n", err)
		return exitUsage
	}
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
	r, closeReader, err := opts.Isolation.reader(1, log)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %v\n", err)
		return exitFailed
	}
	defer closeReader()
	status := exitOK
	var inputs []normalizer.Input
	for _, path := range opts.Files {
		if err := ctx.Err(); err != nil {
			fmt.Fprintf(stderr, "ansokan: interrupted before %s\n", path)
			return exitUnreadable
		}
		in := readInput(ctx, path, r)
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

// readInput reads one file with r; a file that cannot be read becomes an
// Input carrying the reason, so it still gets a record. A file over the
// size limit is refused without reading it into memory, and hashed as it
// streams.
func readInput(ctx context.Context, path string, r normalizer.Reader) normalizer.Input {
	name := filepath.Base(path)
	unreadable := func(err error) normalizer.Input {
		var e *extractor.Error
		if !errors.As(err, &e) {
			err = &extractor.Error{File: name, Err: err}
		}
		return normalizer.Input{Name: name, Err: err, Format: normalizer.FormatByName(name)}
	}
	f, err := os.Open(path)
	if err != nil {
		return unreadable(err)
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil:
		return unreadable(err)
	case st.IsDir():
		return unreadable(errors.New("is a directory"))
	case st.Size() > extractor.DefaultLimits().MaxFileBytes:
		// The extractor refuses it (ErrLimit) before reading a byte.
		_, err := anyformat.ReadLimited(f, st.Size(), name, extractor.DefaultLimits())
		in := unreadable(err)
		in.Bytes = st.Size()
		in.SHA256, _ = fileSHA256(f)
		return in
	}
	data := make([]byte, st.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return unreadable(err)
	}
	return normalizer.ReadInput(ctx, normalizer.File{Name: path, Data: data}, r)
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
