package batch

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/internal/planted"
	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// The planted application (personnummer in every place a string can come
// from, planted.Build) in a folder named with a number, beside a copy in
// another such folder and a broken archive named with one (both logged),
// run by batch here and through the queue (an embedded NATS server, a
// worker): no number comes out unmasked in the JSON Lines, the Excel
// register (every cell and sheet name, read back) or any log line of the
// run, the worker or the processor; the record reports each place.
func TestBatchMasksEverything(t *testing.T) {
	s, err := planted.Build()
	if err != nil {
		t.Fatal(err)
	}
	plants := s.Plants
	more := func(where string) string {
		n := planted.Number(len(plants))
		plants = append(plants, planted.Plant{Where: where, Number: n})
		return n
	}
	in := filepath.Join(t.TempDir(), "in")
	folder := filepath.Join(in, "inkommet "+more("folder name"))
	copyFolder := filepath.Join(in, "kopia "+more("folder name of a copy"))
	for _, dir := range []string{folder, copyFolder} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range s.Files {
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(in, "arkiv "+more("archive name")+".zip"), []byte("PK\x03\x04 broken"), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, via := range []string{"here", "nats"} {
		t.Run(via, func(t *testing.T) {
			var logs lockedBuffer
			log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			out := filepath.Join(t.TempDir(), "records.jsonl")
			reg := filepath.Join(t.TempDir(), "register.xlsx")
			opts := Options{Paths: []string{in}, Out: out, Register: reg, Group: GroupFolder, Jobs: 1, Log: log}
			if via == "nats" {
				e := newNATS(t)
				startLoggedWorker(t, e, log)
				opts.Processor = e.processor(time.Minute, log)
			}
			ctx, cancel := context.WithTimeout(context.Background(), natsGuard)
			defer cancel()
			st, err := Run(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			if st.Written != 1 || st.Duplicates != 1 {
				t.Fatalf("stats %+v: want one record and one duplicate", st)
			}

			jsonl, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range planted.Leaks(string(jsonl), plants) {
				t.Errorf("JSON Lines: %s (%s) unmasked", p.Number, p.Where)
			}
			var rec schema.Record
			if err := json.Unmarshal(jsonl, &rec); err != nil {
				t.Fatal(err)
			}
			for _, p := range planted.Unreported(&rec, plants) {
				t.Errorf("no privacy finding under %s for %s", p.Path, p.Where)
			}

			cells := registerText(t, reg)
			for _, p := range planted.Leaks(cells, plants) {
				t.Errorf("register: %s (%s) unmasked", p.Number, p.Where)
			}
			for _, f := range s.Files {
				if !strings.Contains(cells, privacy.Mask(f.Name)) {
					t.Errorf("register: no masked file name %q", privacy.Mask(f.Name))
				}
			}

			text := logs.String()
			for _, p := range planted.Leaks(text, plants) {
				t.Errorf("log: %s (%s) unmasked", p.Number, p.Where)
			}
			for _, want := range []string{privacy.Mask(filepath.Base(copyFolder)), privacy.Mask("arkiv " + plants[len(plants)-1].Number)} {
				if !strings.Contains(text, want) {
					t.Errorf("the log does not name %q (masked): the test proves nothing about log lines\n%s", want, text)
				}
			}
		})
	}
}

// registerText is every sheet name and cell value of a register, one a
// line.
func registerText(t *testing.T, path string) string {
	t.Helper()
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var b strings.Builder
	for _, sheet := range x.GetSheetList() {
		b.WriteString(sheet + "\n")
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return b.String()
}

// startLoggedWorker runs one worker logging to log until the test ends.
func startLoggedWorker(t *testing.T, e *natsEnv, log *slog.Logger) {
	t.Helper()
	_, js := e.connect(queue.RoleWorker, true)
	ctx, cancel := context.WithCancel(context.Background())
	w, err := queue.NewWorker(ctx, js, queue.WorkerConfig{FetchWait: 200 * time.Millisecond, ShutdownGrace: 5 * time.Second, Logger: log})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil && !strings.Contains(err.Error(), "connection closed") {
				t.Errorf("worker: %v", err)
			}
		case <-time.After(natsGuard):
			t.Errorf("worker did not stop within %v", natsGuard)
		}
	})
}

// The register masks what it writes whatever made the JSON Lines file
// (an older version, another tool): file names, titles, organisations,
// findings' subjects, messages and evidence.
func TestRegisterMasksItsInput(t *testing.T) {
	var plants []planted.Plant
	num := func(where string) string {
		n := planted.Number(len(plants))
		plants = append(plants, planted.Plant{Where: where, Number: n})
		return n
	}
	title := "Insats " + num("title")
	owner := "Kommun " + num("owner")
	file := "ansokan " + num("file name") + ".docx"
	subject := "Rad " + num("finding subject")
	rec := schema.Record{
		Title:    &title,
		Owner:    &schema.Owner{Organisation: &owner},
		Partners: []schema.Partner{{Organisation: "Region " + num("partner")}},
		Source:   schema.Source{Files: []schema.File{{Name: file, SHA256: strings.Repeat("ab", 32), Format: "docx"}}},
		Findings: []schema.Finding{{
			Code: schema.CodeBudgetRowSum, Severity: schema.SeverityError, Subject: &subject,
			Message: "Raden " + num("finding message") + " summerar fel.", Path: "/budget",
			Evidence: &schema.Evidence{File: "budget " + num("evidence file") + ".xlsx", Sheet: "Blad " + num("evidence sheet")},
		}},
	}
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "old.jsonl")
	if err := os.WriteFile(jsonl, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := planted.Leaks(string(b), plants); len(got) != len(plants) {
		t.Fatalf("the input holds %d of %d numbers", len(got), len(plants))
	}
	reg := filepath.Join(dir, "register.xlsx")
	if err := WriteRegister(jsonl, reg); err != nil {
		t.Fatal(err)
	}
	cells := registerText(t, reg)
	for _, p := range planted.Leaks(cells, plants) {
		t.Errorf("register: %s (%s) unmasked", p.Number, p.Where)
	}
	if !strings.Contains(cells, privacy.Mask(file)) || !strings.Contains(cells, privacy.Mask(title)) {
		t.Errorf("register lacks the masked title or file name:\n%s", cells)
	}
}
