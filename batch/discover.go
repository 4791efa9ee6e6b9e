package batch

import (
	"archive/zip"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/finsam/ansokan/message"
	"github.com/finsam/ansokan/privacy"
)

// Source is one file of a submission: a file on disk or an entry of a
// zip archive. Its bytes are read only when the submission is processed.
type Source struct {
	Path string // for people: the file's path, or archive.zip/dir/entry
	// Rel is the file's path relative to the folder the batch was run on
	// (slash-separated; an archive's entries under the archive's path; a
	// file given by itself: its name): the record's source.files[].path.
	Rel   string
	Disk  string // the file on disk (the archive, for an entry)
	Entry string // the entry's name in the archive; "" for a file on disk
	Size  int64  // as listed (an entry's declared size)
	// Mail says the source is an e-mail message, a submission of its
	// own: its application files are taken out when it is read.
	Mail MailKind
	// Offset is where an mbox message starts in Disk (Size its length).
	Offset int64
}

// Submission is the files of one application.
type Submission struct {
	Name  string // the folder and the first file, for logs
	Files []Source
}

// paths lists the submission's files for people, comma-separated.
func (s Submission) paths() string {
	p := make([]string, len(s.Files))
	for i, f := range s.Files {
		p[i] = f.Path
	}
	return strings.Join(p, ", ")
}

// Limits bound what one run reads.
type Limits struct {
	MaxFileBytes  int64 // one file or entry; a larger one is recorded as unreadable
	MaxZipEntries int   // entries of one archive; a larger archive is refused
	MaxZipBytes   int64 // uncompressed bytes of one archive, declared and read
}

// DefaultLimits are generous for applications (a few MB each) and
// refuse zip bombs.
var DefaultLimits = Limits{MaxFileBytes: 64 << 20, MaxZipEntries: 10000, MaxZipBytes: 2 << 30}

func (l Limits) orDefault() Limits {
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultLimits.MaxFileBytes
	}
	if l.MaxZipEntries <= 0 {
		l.MaxZipEntries = DefaultLimits.MaxZipEntries
	}
	if l.MaxZipBytes <= 0 {
		l.MaxZipBytes = DefaultLimits.MaxZipBytes
	}
	return l
}

// ErrZipRefused marks an archive beyond the limits.
var ErrZipRefused = errors.New("archive refused")

// wanted are the extensions a batch reads: the three formats ansokan
// reads, and the office formats applicants send by mistake, which get a
// record saying the format is not read (document.unreadable).
var wanted = map[string]bool{
	".docx": true, ".pdf": true, ".xlsx": true,
	".doc": true, ".xls": true, ".odt": true, ".ods": true, ".rtf": true, ".docm": true, ".xlsm": true,
}

// ignored reports names that are never application files: hidden files,
// Office lock files ("~$x.docx") and macOS archive metadata.
func ignored(base string) bool {
	return strings.HasPrefix(base, ".") || strings.HasPrefix(base, "~$") || base == "__MACOSX"
}

// Found is what Discover saw.
type Found struct {
	Submissions []Submission
	Files       int // files in the submissions
	Skipped     int // files of other kinds, refused archives, nested archives
}

// Discover lists the submissions under paths (folders, searched
// recursively, zip archives and single files) by grouping rule g. Only
// names and sizes are kept, not contents. Files are grouped per folder
// (a folder inside an archive is a folder of its own); the result is
// sorted by path.
func Discover(paths []string, g Grouping, lim Limits, log *slog.Logger) (Found, error) {
	lim = lim.orDefault()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = privacy.Logger(log)
	dirs := map[string][]Source{}  // folder → its files
	mails := map[string][]Source{} // folder → its messages, a submission each
	seen := map[string]bool{}
	var found Found
	add := func(dir string, s Source) {
		if seen[s.Path] {
			return
		}
		seen[s.Path] = true
		if s.Mail != NotMail {
			mails[dir] = append(mails[dir], s)
			return
		}
		dirs[dir] = append(dirs[dir], s)
	}
	// consider adds a file found under a folder, or named in paths
	// (explicit): one named is read whatever its kind, so that it gets a
	// record saying why it is not an application; one found is skipped.
	consider := func(root, p string, d fs.DirEntry, explicit bool) error {
		rel := filepath.Base(p)
		if r, err := filepath.Rel(root, p); err == nil && r != "." {
			rel = r
		}
		rel = filepath.ToSlash(rel)
		base := d.Name()
		if !d.Type().IsRegular() {
			log.Debug("not a regular file; skipped", "file", p)
			found.Skipped++
			return nil
		}
		ext := strings.ToLower(filepath.Ext(base))
		if ext == ".zip" {
			n, err := listZip(p, rel, lim, add)
			found.Skipped += n
			if err != nil {
				log.Error("archive skipped", "file", p, "err", err)
				found.Skipped++
			}
			return nil
		}
		if ext == ".eml" {
			info, err := d.Info()
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			add(filepath.Dir(p), Source{Path: p, Rel: rel, Disk: p, Size: info.Size(), Mail: MailFile})
			return nil
		}
		if isMbox(p, ext) {
			srcs, err := listMbox(p, rel)
			if err != nil {
				log.Error("mailbox skipped", "file", p, "err", err)
				found.Skipped++
			}
			for _, s := range srcs {
				add(filepath.Dir(p), s)
			}
			return nil
		}
		if !wanted[ext] && !explicit {
			found.Skipped++
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		add(filepath.Dir(p), Source{Path: p, Rel: rel, Disk: p, Size: info.Size()})
		return nil
	}
	for _, root := range paths {
		root = filepath.Clean(root)
		info, err := os.Stat(root)
		if err != nil {
			return Found{}, fmt.Errorf("batch: %w", err)
		}
		if !info.IsDir() {
			if err := consider(root, root, fs.FileInfoToDirEntry(info), true); err != nil {
				return Found{}, fmt.Errorf("batch: %w", err)
			}
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			if p != root && ignored(d.Name()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if message.IsMaildir(p) {
					srcs, err := listMaildir(root, p)
					if err != nil {
						return err
					}
					for _, s := range srcs {
						add(p, s)
					}
					return filepath.SkipDir
				}
				return nil
			}
			return consider(root, p, d, false)
		})
		if err != nil {
			return Found{}, fmt.Errorf("batch: %w", err)
		}
	}
	names := make([]string, 0, len(dirs))
	for d := range dirs {
		names = append(names, d)
	}
	for d := range mails {
		if _, ok := dirs[d]; !ok {
			names = append(names, d)
		}
	}
	slices.Sort(names)
	for _, dir := range names {
		files := dirs[dir]
		byPath := make(map[string]Source, len(files))
		paths := make([]string, 0, len(files))
		for _, s := range files {
			byPath[s.Path] = s
			paths = append(paths, s.Path)
		}
		for _, grp := range Group(paths, g) {
			sub := Submission{Name: grp[0]}
			for _, p := range grp {
				sub.Files = append(sub.Files, byPath[p])
			}
			found.Files += len(sub.Files)
			found.Submissions = append(found.Submissions, sub)
		}
		delete(dirs, dir)
		for _, s := range mails[dir] {
			found.Files++
			found.Submissions = append(found.Submissions, Submission{Name: s.Path, Files: []Source{s}})
		}
	}
	return found, nil
}

// listZip adds the wanted entries of an archive, each under the folder
// it has inside the archive. It refuses an archive with more entries or
// more declared bytes than the limits allow (a zip bomb), and returns how
// many entries it skipped (other kinds, nested archives).
func listZip(p, rel string, lim Limits, add func(dir string, s Source)) (skipped int, err error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", p, err)
	}
	defer zr.Close()
	if len(zr.File) > lim.MaxZipEntries {
		return 0, fmt.Errorf("%s: %w: %d entries (limit %d)", p, ErrZipRefused, len(zr.File), lim.MaxZipEntries)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > uint64(lim.MaxZipBytes) {
		return 0, fmt.Errorf("%s: %w: unpacks to %d bytes (limit %d)", p, ErrZipRefused, total, lim.MaxZipBytes)
	}
	for _, f := range zr.File {
		name := path.Clean("/" + strings.ReplaceAll(f.Name, `\`, "/"))[1:]
		if f.FileInfo().IsDir() || name == "" {
			continue
		}
		if slices.ContainsFunc(strings.Split(name, "/"), ignored) {
			continue
		}
		ext := strings.ToLower(path.Ext(name))
		if ext == ".eml" {
			add(filepath.Join(p, filepath.FromSlash(path.Dir(name))), Source{Path: filepath.Join(p, filepath.FromSlash(name)),
				Rel: rel + "/" + name, Disk: p, Entry: f.Name, Size: int64(f.UncompressedSize64), Mail: MailFile})
			continue
		}
		if !wanted[ext] {
			// Nested archives are not opened: a bomb's favourite shape.
			skipped++
			continue
		}
		dir := path.Dir(name)
		display := filepath.Join(p, filepath.FromSlash(name))
		add(filepath.Join(p, filepath.FromSlash(dir)), Source{Path: display, Rel: rel + "/" + name, Disk: p, Entry: f.Name, Size: int64(f.UncompressedSize64)})
	}
	return skipped, nil
}
