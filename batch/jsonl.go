package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/schema"
)

// ErrOutputExists: the output file has records and --resume was not
// given; appending would duplicate them.
var ErrOutputExists = errors.New("output file already holds records (resume, or choose another file)")

// recordLog is the JSON Lines output, opened for appending. Each record
// is written as one whole line in one write; the file is synced every
// syncEvery records, every syncAfter, and on close.
type recordLog struct {
	f         *os.File
	path      string
	unsynced  int
	lastSync  time.Time
	syncEvery int
	syncAfter time.Duration
}

// contentKey identifies a submission by content: the sorted, distinct
// SHA-256 digests of its files.
func contentKey(sums []string) string {
	s := slices.Clone(sums)
	slices.Sort(s)
	return strings.Join(slices.Compact(s), ",")
}

// keyLine is the part of a record that resume reads.
type keyLine struct {
	Source struct {
		Files []struct {
			SHA256 string `json:"sha256"`
		} `json:"files"`
	} `json:"source"`
}

// OutputMode is the mode of the files a run creates (the records' JSON
// Lines, the register): they hold personal data, so only their owner may
// read them, whatever the umask. An existing output keeps its mode.
const OutputMode = 0o600

// CheckOutputs checks, before a run reads anything, that its outputs can
// be written: out is created (or opened) and, without resume, refused
// when it holds records (ErrOutputExists); register, when not "", must
// be in a folder that exists and can be written to. Run checks the same;
// a command calls it before its other preparations (a NATS connection).
func CheckOutputs(out, register string, resume bool) error {
	if err := checkFolder(out); err != nil {
		return err
	}
	f, err := os.OpenFile(out, os.O_RDWR|os.O_CREATE, OutputMode)
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	defer f.Close()
	if !resume {
		if _, err := scanLog(f, out, false, func(string) {}); err != nil {
			return err
		}
	}
	return registerWritable(register)
}

// registerWritable checks that the register can be written at the end of a
// run: its folder exists and takes new files, an existing register can be
// opened for writing.
func registerWritable(register string) error {
	if register == "" {
		return nil
	}
	if err := checkFolder(register); err != nil {
		return err
	}
	dir := filepath.Dir(register)
	probe, err := os.CreateTemp(dir, ".ansokan-check-*")
	if err != nil {
		return fmt.Errorf("batch: %s: cannot write in folder %s: %w", register, dir, errors.Unwrap(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	if f, err := os.OpenFile(register, os.O_WRONLY, 0); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("batch: %w", err)
	}
	return nil
}

// checkFolder says plainly that the folder of an output file is missing.
func checkFolder(file string) error {
	dir := filepath.Dir(file)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("batch: %s: folder %s does not exist", file, dir)
	case err != nil:
		return fmt.Errorf("batch: %s: %w", file, err)
	case !st.IsDir():
		return fmt.Errorf("batch: %s: %s is not a folder", file, dir)
	}
	return nil
}

// openLog opens (or creates) the output. With resume it calls held with
// the content key of every record already there; a last line torn by a
// crash (no newline at the end) is cut off first. Without resume a file
// holding records is refused.
func openLog(path string, resume bool, log *slog.Logger, held func(key string)) (*recordLog, error) {
	if err := checkFolder(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, OutputMode)
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	keep, err := scanLog(f, path, resume, held)
	if err != nil {
		f.Close()
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("batch: %w", err)
	}
	if st.Size() > keep {
		log.Warn("cutting a torn last line (the previous run stopped while writing it)", "file", path, "bytes", st.Size()-keep)
		if err := f.Truncate(keep); err != nil {
			f.Close()
			return nil, fmt.Errorf("batch: %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("batch: %s: %w", path, err)
		}
	}
	if _, err := f.Seek(keep, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("batch: %s: %w", path, err)
	}
	return &recordLog{f: f, path: path, lastSync: time.Now(), syncEvery: 64, syncAfter: 2 * time.Second}, nil
}

// scanLog reads the records in f and returns the length of its whole
// lines. A line that ends the file without a newline is torn; a whole
// line that is not a record is an error (it is not ours to cut).
func scanLog(f *os.File, path string, resume bool, held func(string)) (keep int64, err error) {
	br := bufio.NewReaderSize(f, 1<<16)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return keep, nil // len(line) > 0: torn, not kept
		}
		if err != nil {
			return 0, fmt.Errorf("batch: %s: %w", path, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			keep += int64(len(line))
			continue
		}
		if !resume {
			return 0, fmt.Errorf("batch: %s: %w", path, ErrOutputExists)
		}
		var k keyLine
		if err := json.Unmarshal(line, &k); err != nil {
			return 0, fmt.Errorf("batch: %s line %d: not a record: %w", path, n, err)
		}
		sums := make([]string, 0, len(k.Source.Files))
		for _, sf := range k.Source.Files {
			sums = append(sums, sf.SHA256)
		}
		held(contentKey(sums))
		keep += int64(len(line))
	}
}

// append writes one record as one line.
func (l *recordLog) append(rec *schema.Record) error {
	privacy.MaskValue(rec) // the last pass over what leaves the process
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil { // Encode ends the line with '\n'
		return fmt.Errorf("batch: encoding a record: %w", err)
	}
	if _, err := l.f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("batch: %s: %w", l.path, err)
	}
	l.unsynced++
	if l.unsynced >= l.syncEvery || time.Since(l.lastSync) >= l.syncAfter {
		return l.sync()
	}
	return nil
}

func (l *recordLog) sync() error {
	l.unsynced, l.lastSync = 0, time.Now()
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("batch: %s: %w", l.path, err)
	}
	return nil
}

func (l *recordLog) close() error {
	err := l.sync()
	if cerr := l.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("batch: %s: %w", l.path, cerr)
	}
	return err
}
