// Package corpus finds the shared robustness corpus: real .pdf, .docx and
// .xlsx files from other projects' test suites, described by its
// MANIFEST.tsv. The files are read in place, never copied into the
// project. Tests over it skip when it is absent.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Env names a corpus directory that overrides the default place.
const Env = "ANSOKAN_CORPUS"

// Dir returns the corpus directory: $ANSOKAN_CORPUS, else shared/corpus
// beside the project (../shared/corpus from the folder holding go.mod,
// found upwards from the working directory). ok is false when there is
// no corpus there.
func Dir() (dir string, ok bool) {
	if d := os.Getenv(Env); d != "" {
		return d, exists(filepath.Join(d, "MANIFEST.tsv"))
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for d := wd; ; d = filepath.Dir(d) {
		if exists(filepath.Join(d, "go.mod")) {
			c := filepath.Join(d, "..", "shared", "corpus")
			return c, exists(filepath.Join(c, "MANIFEST.tsv"))
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Entry is one corpus file as the manifest describes it.
type Entry struct {
	Path      string // relative to the corpus directory: "pdf/x.pdf"
	Format    string // pdf, docx, xlsx
	Container string
	Category  string // normal, encrypted-password, corrupt, …
	// Fields holds every column of the row by its header name.
	Fields map[string]string
}

// Manifest reads dir/MANIFEST.tsv.
func Manifest(dir string) ([]Entry, error) {
	path := filepath.Join(dir, "MANIFEST.tsv")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("%s: no rows", path)
	}
	header := strings.Split(strings.TrimRight(lines[0], "\r"), "\t")
	has := map[string]bool{}
	for _, h := range header {
		has[h] = true
	}
	for _, c := range []string{"path", "format", "container", "category"} {
		if !has[c] {
			return nil, fmt.Errorf("%s: no column %q", path, c)
		}
	}
	var out []Entry
	for _, line := range lines[1:] {
		row := strings.Split(strings.TrimRight(line, "\r"), "\t")
		f := make(map[string]string, len(header))
		for i, h := range header {
			if i < len(row) {
				f[h] = row[i]
			}
		}
		if f["path"] == "" {
			continue
		}
		out = append(out, Entry{Path: f["path"], Format: f["format"], Container: f["container"], Category: f["category"], Fields: f})
	}
	return out, nil
}
