package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/internal/planted"
	"github.com/finsam/ansokan/privacy"
)

// extract over the planted application (personnummer in every place a
// string can come from, planted.Build) in a folder named with one, file
// by file and as one submission: no number on stdout (the records) or on
// stderr (the unreadable file's reason line names its path, masked).
func TestExtractMasksEverything(t *testing.T) {
	s, err := planted.Build()
	if err != nil {
		t.Fatal(err)
	}
	folderNumber := planted.Number(len(s.Plants))
	plants := append(s.Plants, planted.Plant{Where: "folder name", Number: folderNumber})
	dir := filepath.Join(t.TempDir(), "inkommet "+folderNumber)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range s.Files {
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for mode, args := range map[string][]string{
		"per file":                   append([]string{"extract"}, paths...),
		"one submission, in process": append([]string{"extract", "--submission", "--in-process"}, paths...),
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != exitUnreadable {
			t.Errorf("%v: exit %d, want %d (the attachment is unreadable)", mode, code, exitUnreadable)
		}
		for _, p := range planted.Leaks(stdout.String(), plants) {
			t.Errorf("%v: stdout: %s (%s) unmasked", mode, p.Number, p.Where)
		}
		for _, p := range planted.Leaks(stderr.String(), plants) {
			t.Errorf("%v: stderr: %s (%s) unmasked", mode, p.Number, p.Where)
		}
		if want := privacy.Mask(paths[2]); !strings.Contains(stderr.String(), want) {
			t.Errorf("%v: stderr does not name %s:\n%s", mode, want, stderr.String())
		}
		if !strings.Contains(stdout.String(), privacy.Mask(s.Files[0].Name)) {
			t.Errorf("%v: stdout lacks the masked file name", mode)
		}
	}
}
