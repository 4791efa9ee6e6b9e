package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/message"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

type extractOptions struct {
	Pretty     bool
	Submission bool
	Profile    string
	Name       string // the name of the file read from stdin ("-")
	Files      []string
	Isolation  isolation
}

// stdinName is the path that stands for standard input.
const stdinName = "-"

func newExtractCmd(ios *streams) *cobra.Command {
	var opts extractOptions
	cmd := &cobra.Command{
		Use:   "extract [flags] FILE...",
		Short: "Read files and print one checked record per file (JSON Lines)",
		Long: `Reads each FILE (.docx, .pdf, .xlsx; the format is told by the content, not the
name) and prints one JSON record per file on stdout (JSON Lines); with
--submission, one merged record for all. An e-mail message (.eml) is one
submission of its own: one merged record of its attachments, with the
sender, subject and date in source.message. A file that cannot be read still gets
a record saying why, and a line on stderr. "-" reads a file from standard
input; its record names it "stdin" (or --name).

Exit status 1 when a file could not be read.`,
		Example: `  ansokan extract --pretty ansokan.docx
  ansokan extract --submission ansokan.pdf ansokan.docx budget.xlsx
  curl -s "$URL" | ansokan extract --name ansokan.pdf -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if len(opts.Files) == 0 {
				return usagef(cmd, "no files given")
			}
			if n := countStdin(opts.Files); n > 1 {
				return usagef(cmd, "standard input (-) given %d times", n)
			}
			if err := opts.Isolation.check(); err != nil {
				return usagef(cmd, "%v", err)
			}
			prof, err := loadProfile(opts.Profile)
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			return exit(extractRun(cmd.Context(), opts, prof, ios, warnLogger(ios.Err)))
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&opts.Pretty, "pretty", false, "indent the JSON (one record per file still, separated by newlines)")
	fs.BoolVar(&opts.Submission, "submission", false, "the files are one submission (signed PDF, Word version, budget workbook): print one merged record")
	fs.StringVar(&opts.Profile, "profile", "", "förbund profile `FILE` (JSON) for another template; default: the built-in Uppsala 2019 profile")
	fs.StringVar(&opts.Name, "name", "stdin", "the file `NAME` the record gives the file read from standard input (-)")
	addIsolationFlags(fs, &opts.Isolation)
	return cmd
}

func countStdin(files []string) int {
	n := 0
	for _, f := range files {
		if f == stdinName {
			n++
		}
	}
	return n
}

func extractRun(ctx context.Context, opts extractOptions, prof *profile.Profile, ios *streams, log *slog.Logger) int {
	stderr := ios.Err
	enc := json.NewEncoder(ios.Out)
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
	// The files of one submission are read within its limits.
	read, sub := normalizer.ReadInput, normalizer.NewSubmission(normalizer.SubmissionLimits{})
	if opts.Submission {
		read = sub.Read
	}
	for _, path := range opts.Files {
		if err := ctx.Err(); err != nil {
			fmt.Fprintf(stderr, "ansokan: interrupted before %s\n", path)
			return exitUnreadable
		}
		if path != stdinName && message.IsMessageName(path) {
			rec, ok := extractMessage(ctx, path, r, prof, stderr, log)
			if !ok {
				status = exitUnreadable
			}
			if err := enc.Encode(rec); err != nil {
				fmt.Fprintf(stderr, "ansokan: writing output: %v\n", err)
				return exitUnreadable
			}
			continue
		}
		var in normalizer.Input
		if path == stdinName {
			path = opts.Name
			in = readStdin(ctx, ios.In, opts.Name, r, read)
		} else {
			in = readInput(ctx, path, r, read)
		}
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
	if opts.Submission && len(inputs) > 0 {
		if err := enc.Encode(sub.Record(inputs, prof, normalizer.Stamp{})); err != nil {
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
// read is normalizer.ReadInput, or a Submission's Read.
func readInput(ctx context.Context, path string, r normalizer.Reader, read readFunc) normalizer.Input {
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
	return read(ctx, normalizer.File{Name: path, Data: data}, r)
}

// extractMessage reads an e-mail message (.eml) as one submission: one
// merged record of its application files, with the message's sender,
// subject and date in source.message and a submission id derived from its
// Message-ID. ok is false when the message or one of its files could
// not be read.
func extractMessage(ctx context.Context, path string, r normalizer.Reader, prof *profile.Profile, stderr io.Writer, log *slog.Logger) (*schema.Record, bool) {
	name := filepath.Base(path)
	ok := true
	fail := func(err error) normalizer.Input {
		fmt.Fprintf(stderr, "ansokan: %s\n", fileError(path, err))
		ok = false
		return normalizer.Input{Name: name, Path: path, Err: &extractor.Error{File: name, Err: err}, Format: "unknown"}
	}
	raw, err := readMessageFile(path, message.DefaultLimits().MaxBytes)
	if err != nil {
		return normalizer.Normalize([]normalizer.Input{fail(err)}, prof), false
	}
	m, err := message.Read(raw, name, message.Limits{})
	if err != nil {
		in := fail(err)
		in.Bytes = int64(len(raw))
		return normalizer.Normalize([]normalizer.Input{in}, prof), false
	}
	st := normalizer.Stamp{SubmissionID: m.SubmissionID(), Message: m.Record()}
	sub := normalizer.NewSubmission(normalizer.SubmissionLimits{})
	inputs := sub.ReadMessage(ctx, m, path, int64(len(raw)), r)
	for _, in := range inputs {
		if in.Err != nil {
			fmt.Fprintf(stderr, "ansokan: %s\n", fileError(in.Path, in.Err))
			ok = false
		}
	}
	log.Info("message read", "file", path, "files", len(m.Files), "skipped", len(m.Skipped))
	return sub.Record(inputs, prof, st), ok
}

// readMessageFile reads a message file, refusing one over limit.
func readMessageFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: the message is more than %s (limit message.Limits.MaxBytes)", extractor.ErrLimit, extractor.PlainBytes(limit))
	}
	return data, nil
}

// readFunc reads one file's bytes into an Input.
type readFunc func(context.Context, normalizer.File, normalizer.Reader) normalizer.Input

// readStdin reads the file on standard input, up to the extractor's size
// limit; the format is sniffed from the content, as for any file.
func readStdin(ctx context.Context, stdin io.Reader, name string, r normalizer.Reader, read readFunc) normalizer.Input {
	limit := extractor.DefaultLimits().MaxFileBytes
	data, err := io.ReadAll(io.LimitReader(stdin, limit+1))
	if err != nil {
		return normalizer.Input{Name: name, Err: &extractor.Error{File: name, Err: fmt.Errorf("reading standard input: %w", err)}}
	}
	if int64(len(data)) > limit {
		_, err := anyformat.ReadLimited(bytes.NewReader(nil), limit+1, name, extractor.DefaultLimits())
		return normalizer.Input{Name: name, Err: err, Format: normalizer.FormatByName(name)}
	}
	return read(ctx, normalizer.File{Name: name, Data: data}, r)
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
