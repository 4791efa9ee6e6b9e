package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/profile"
)

type profileInitOptions struct {
	Name      string
	Out       string
	Template  string
	Isolation isolation
}

type profileCheckOptions struct {
	Profile   string
	Files     []string
	Isolation isolation
}

func newProfileCmd(ios *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "Make and check a förbund profile from its blank template",
		Long: `A förbund profile tells ansokan one förbund's template: its headings, which
sections are required, its Överenskommelse and its guidance phrases.
'profile init' drafts one from the blank template; 'profile check' shows how
the headings of filled applications are mapped with it. See README.md,
"Adopting ansokan for another förbund".`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef(cmd, "unknown command %q (init or check)", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef(cmd, "name a command: init or check")
		},
	}
	cmd.AddCommand(newProfileInitCmd(ios), newProfileCheckCmd(ios))
	return cmd
}

func newProfileInitCmd(ios *streams) *cobra.Command {
	var opts profileInitOptions
	cmd := &cobra.Command{
		Use:   "init [flags] TEMPLATE",
		Short: "Draft a profile (JSON) from a förbund's blank template (.docx or .pdf)",
		Long: `Reads the blank TEMPLATE (.docx or .pdf) the way applications are read and
prints a profile (JSON) on stdout, or writes it to --out: the headings in
order with their keys, required marks ("*", "(obligatorisk)"), the
Överenskommelse's text and the guidance left in the answer places. Headings
ansokan cannot place are listed under "unnamed" with key "" and a note: give
each a key before using the profile. What to look at is said on stderr.`,
		Example: `  ansokan profile init --name "Samordningsförbundet Umeälven 2025" mall.docx > umealven.json
  ansokan profile check umealven.json ansokan.docx`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef(cmd, "give one template file (got %d)", len(args))
			}
			opts.Template = args[0]
			if err := opts.Isolation.check(); err != nil {
				return usagef(cmd, "%v", err)
			}
			return exit(profileInit(cmd.Context(), opts, ios))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Name, "name", "", "the profile's `NAME` (default: the template's file name)")
	fs.StringVar(&opts.Out, "out", "", "write the profile to `FILE` instead of stdout")
	addIsolationFlags(fs, &opts.Isolation)
	return cmd
}

func profileInit(ctx context.Context, opts profileInitOptions, ios *streams) int {
	log := warnLogger(ios.Err)
	r, closeReader, err := opts.Isolation.reader(1, log)
	if err != nil {
		fmt.Fprintf(ios.Err, "ansokan: %v\n", err)
		return exitFailed
	}
	defer closeReader()
	in := readInput(ctx, opts.Template, r, normalizer.ReadInput)
	if in.Err != nil {
		fmt.Fprintf(ios.Err, "ansokan: %s\n", fileError(opts.Template, in.Err))
		return exitUnreadable
	}
	name := opts.Name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(opts.Template), filepath.Ext(opts.Template))
	}
	p, notes := normalizer.DraftProfile(in.Doc, name)
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		fmt.Fprintf(ios.Err, "ansokan: %v\n", err)
		return exitFailed
	}
	b = append(b, '\n')
	if opts.Out == "" {
		if _, err := ios.Out.Write(b); err != nil {
			fmt.Fprintf(ios.Err, "ansokan: writing output: %v\n", err)
			return exitFailed
		}
	} else if err := os.WriteFile(opts.Out, b, 0o644); err != nil {
		fmt.Fprintf(ios.Err, "ansokan: writing the profile: %v\n", err)
		return exitFailed
	}
	sections := 0
	for _, s := range p.Sections {
		if s.Key != "agreement" {
			sections++
		}
	}
	fmt.Fprintf(ios.Err, "%s: %d sections, %d unnamed headings, %d guidance phrases, agreement %d characters\n",
		opts.Template, sections, len(p.Unnamed), len(p.Guidance), len([]rune(p.Agreement.Text)))
	for _, n := range notes {
		fmt.Fprintf(ios.Err, "note: %s\n", n)
	}
	return exitOK
}

func newProfileCheckCmd(ios *streams) *cobra.Command {
	var opts profileCheckOptions
	cmd := &cobra.Command{
		Use:   "check [flags] PROFILE FILE...",
		Short: "Show how each heading of the files is mapped with a profile",
		Long: `Reads each FILE with the profile PROFILE (a file, or "default" for the built-in
Uppsala 2019 profile) and prints a table: every heading found, the key it
was mapped to (a field, a section key, or "extra" for a section of the
applicant's own), how (profile: one of the profile's headings; lexicon: by
its words; label: a label with its value), the layout cues, their strength
and the lexicon's score. Under each file, the profile's required sections
that were not found.

Exit status 1 when a file could not be read.`,
		Example: `  ansokan profile check vart-forbund.json inkorg/ansokan.docx`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usagef(cmd, "give a profile and at least one file")
			}
			opts.Profile, opts.Files = args[0], args[1:]
			if err := opts.Isolation.check(); err != nil {
				return usagef(cmd, "%v", err)
			}
			path := opts.Profile
			if path == "default" {
				path = ""
			}
			prof, err := loadProfile(path)
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			return exit(profileCheck(cmd.Context(), opts, prof, ios))
		},
	}
	addIsolationFlags(cmd.Flags(), &opts.Isolation)
	return cmd
}

func profileCheck(ctx context.Context, opts profileCheckOptions, prof *profile.Profile, ios *streams) int {
	log := warnLogger(ios.Err)
	r, closeReader, err := opts.Isolation.reader(1, log)
	if err != nil {
		fmt.Fprintf(ios.Err, "ansokan: %v\n", err)
		return exitFailed
	}
	defer closeReader()
	status := exitOK
	tw := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tWHERE\tHEADING\tKEY\tHOW\tCUES\tSTRENGTH\tSCORE")
	var missing []string
	for _, path := range opts.Files {
		in := readInput(ctx, path, r, normalizer.ReadInput)
		if in.Err != nil {
			fmt.Fprintf(ios.Err, "ansokan: %s\n", fileError(path, in.Err))
			status = exitUnreadable
			continue
		}
		found := map[string]bool{}
		for _, h := range normalizer.ReadHeadings(in.Doc, prof) {
			found[h.Target] = true
			score := "-"
			if h.How != "profile" && h.Score > 0 {
				score = strconv.Itoa(h.Score)
			}
			cues := strings.Join(h.Cues, ",")
			if cues == "" {
				cues = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", filepath.Base(path), strings.TrimSuffix(h.Place, " i "+h.File),
				clip(h.Heading, 60), h.Target, h.How, cues, h.Strength, score)
		}
		for _, s := range prof.Sections {
			if s.Required && !found[s.Key] {
				missing = append(missing, fmt.Sprintf("%s: required section %s (%q) not found", filepath.Base(path), s.Key, s.Headings[0]))
			}
		}
	}
	tw.Flush()
	for _, m := range missing {
		fmt.Fprintln(ios.Out, m)
	}
	return status
}

// clip shortens a heading for the table.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
