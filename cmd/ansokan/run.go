package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/privacy"
)

const rootLong = `ansokan turns Finsam funding applications (.docx, .pdf, .xlsx) into checked records.

extract, batch, serve and worker read every file in a child process with
memory, CPU and time limits (--doc-memory, --doc-cpu, --doc-timeout);
--in-process reads in the command's own process instead.

The queue commands take --nats URL (default: $ANSOKAN_NATS_URL, else
$NATS_URL, else nats://127.0.0.1:4222). See README.md, "The pipeline".

Flags go anywhere on the line; '--' ends them (a file called "-x" after it).`

// Exit statuses.
const (
	exitOK         = 0
	exitUnreadable = 1 // some file could not be read; its record says why
	exitUsage      = 2
	exitFailed     = 1 // a queue command could not do its work; stderr says why
)

// The commands are listed in the help in the order they are added (the
// order of the pipeline), not sorted. Cobra reads this package variable;
// it is set once here, before any command line is run.
func init() { cobra.EnableCommandSorting = false }

// streams are the command's standard files: data to Out, people to Err.
type streams struct {
	In       io.Reader
	Out, Err io.Writer
}

// exitCode is a command's non-zero exit status, returned by its RunE once
// it has said on stderr why.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

// exit turns a command's status into RunE's error.
func exit(code int) error {
	if code == exitOK {
		return nil
	}
	return exitCode(code)
}

// usageError is a command line that cannot be run: one line naming the
// problem; run prints it with a hint to the command's --help.
type usageError struct {
	cmd string // "ansokan batch"
	msg string
}

func (e *usageError) Error() string { return e.msg }

// usagef returns the usage error of cmd.
func usagef(cmd *cobra.Command, format string, args ...any) error {
	return &usageError{cmd: cmd.CommandPath(), msg: fmt.Sprintf(format, args...)}
}

// run is the whole program behind main, so tests can call it. It reads
// standard input from os.Stdin ('extract -').
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// What goes to people is masked: no personnummer in a log line or an
	// error message (package privacy).
	// And shown as text: control characters and bytes that are not UTF-8
	// in a file name are escaped (terminal.go).
	stderr = newTerminalWriter(privacy.NewWriter(stderr))
	ios := &streams{In: os.Stdin, Out: stdout, Err: stderr}
	root := newRootCmd(ios)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var code exitCode
	var uerr *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	case errors.As(err, &uerr):
	default:
		// Cobra's own: an unknown command.
		uerr = &usageError{cmd: "ansokan", msg: cobraError(root, err)}
	}
	fmt.Fprintf(stderr, "%s: %s\nrun '%s --help' for usage\n", uerr.cmd, uerr.msg, uerr.cmd)
	return exitUsage
}

// cobraError keeps the first line of an error of cobra's, and names the
// commands close to an unknown one.
func cobraError(root *cobra.Command, err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	var unknown string
	if _, err := fmt.Sscanf(msg, "unknown command %q", &unknown); err == nil {
		msg = fmt.Sprintf("unknown command %q", unknown)
		if s := root.SuggestionsFor(unknown); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
		}
	}
	return msg
}

func newRootCmd(ios *streams) *cobra.Command {
	root := &cobra.Command{
		Use:     "ansokan",
		Short:   "Turn funding applications into checked records",
		Long:    rootLong,
		Version: normalizer.Version,
		// Bare 'ansokan': the help, on stderr, as a usage error.
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SetOut(ios.Err)
			cmd.Help()
			return exitCode(exitUsage)
		},
		SilenceErrors:     true,
		SilenceUsage:      true,
		DisableAutoGenTag: true,
	}
	root.SetOut(ios.Out)
	root.SetErr(ios.Err)
	root.SetIn(ios.In)
	root.SetVersionTemplate(versionTemplate)
	root.SetFlagErrorFunc(flagError)
	root.SetHelpCommand(newHelpCmd())
	root.AddGroup(
		&cobra.Group{ID: "files", Title: "Reading files here:"},
		&cobra.Group{ID: "queue", Title: "As a service on NATS JetStream:"},
	)
	for _, c := range []*cobra.Command{newExtractCmd(ios), newBatchCmd(ios), newEvalCmd(ios), newProfileCmd(ios)} {
		c.GroupID = "files"
		root.AddCommand(c)
	}
	queueCmds := []*cobra.Command{
		newServeCmd(ios), newWorkerCmd(ios), newMailCmd(ios), newSubmitCmd(ios),
		newListCmd(ios, "records"), newListCmd(ios, "alerts"), newListCmd(ios, "dead"),
		newStatusCmd(ios), newReprocessCmd(ios), newUserCmd(ios), newWebCmd(ios),
	}
	for _, c := range queueCmds {
		c.GroupID = "queue"
		root.AddCommand(c)
	}
	root.AddCommand(newVersionCmd(ios))
	// Cobra's completion command prints its help, with exit status 0,
	// for a missing or unknown shell: a usage error here.
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef(cmd, "name the shell: bash, zsh, fish or powershell")
			}
			return usagef(cmd, "unknown shell %q (bash, zsh, fish or powershell)", args[0])
		}
	}
	return root
}

// flagError makes pflag's errors usage errors, and tells a Go-style
// single-dash long flag ("-pretty") what it should be.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown shorthand flag") {
		if i := strings.LastIndex(msg, " in -"); i >= 0 {
			word := msg[i+len(" in -"):]
			name, _, _ := strings.Cut(word, "=")
			if cmd.Flags().Lookup(name) != nil {
				return usagef(cmd, "-%s: flags take two dashes: --%s", name, name)
			}
		}
	}
	return usagef(cmd, "%s", msg)
}

// newHelpCmd is 'ansokan help [COMMAND]': the help of a command, on
// stdout; an unknown command is a usage error.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "Help about any command",
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usagef(cmd.Root(), "no help for %q: unknown command", strings.Join(args, " "))
			}
			target.InitDefaultHelpFlag()
			target.InitDefaultVersionFlag()
			return target.Help()
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var names []cobra.Completion
			for _, c := range cmd.Root().Commands() {
				if c.IsAvailableCommand() && strings.HasPrefix(c.Name(), toComplete) {
					names = append(names, c.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
	}
}

// noArgs refuses positional arguments with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef(cmd, "unexpected argument %q (this command takes only flags)", args[0])
	}
	return nil
}

// hideFlag keeps a flag out of the help (for measurements, not for users).
func hideFlag(fs *pflag.FlagSet, name string) {
	if err := fs.MarkHidden(name); err != nil {
		panic(err) // a misspelt name: a programming error
	}
}

// serviceLogger is the log of the long-running commands: what they do,
// at info level, to stderr.
func serviceLogger(stderr io.Writer) *slog.Logger {
	return slog.New(privacy.NewHandler(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
}

// warnLogger is the log of the one-shot commands: warnings and errors.
func warnLogger(stderr io.Writer) *slog.Logger {
	return slog.New(privacy.NewHandler(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
}
