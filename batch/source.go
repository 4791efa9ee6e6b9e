package batch

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge marks a file beyond Limits.MaxFileBytes. Its record says
// it could not be read; its bytes are hashed but not held.
var ErrTooLarge = errors.New("file too large")

// opener reads the bytes of sources. It keeps the last archive open:
// submissions come sorted by path, so an archive's entries come
// together. It belongs to one goroutine.
type opener struct {
	lim     Limits
	zipPath string
	zr      *zip.ReadCloser
	entries map[string]*zip.File
	zipRead int64 // bytes unpacked from the open archive so far
}

func (o *opener) close() {
	if o.zr != nil {
		o.zr.Close()
		o.zr, o.entries, o.zipPath = nil, nil, ""
	}
}

// read returns a source's bytes and their SHA-256. A source larger than
// the limit gives ErrTooLarge with its hash and size but no bytes; any
// other error means the source could not be read at all.
func (o *opener) read(s Source) (data []byte, sum string, size int64, err error) {
	var rc io.ReadCloser
	budget := int64(-1) // bytes this source may unpack; -1: no archive budget
	if s.Entry == "" {
		f, err := os.Open(s.Disk)
		if err != nil {
			return nil, "", 0, err
		}
		rc = f
	} else {
		zf, err := o.entry(s)
		if err != nil {
			return nil, "", 0, err
		}
		if rc, err = zf.Open(); err != nil {
			return nil, "", 0, fmt.Errorf("%s: %w", s.Path, err)
		}
		budget = o.lim.MaxZipBytes - o.zipRead
	}
	defer rc.Close()
	data, err = io.ReadAll(io.LimitReader(rc, o.lim.MaxFileBytes+1))
	size = int64(len(data))
	if err != nil {
		return nil, "", size, fmt.Errorf("%s: %w", s.Path, err)
	}
	h := sha256.New()
	h.Write(data)
	if size > o.lim.MaxFileBytes {
		// Hash the rest without holding it, within the archive's budget.
		rest := io.Reader(rc)
		if budget >= 0 {
			rest = io.LimitReader(rc, budget-size+1)
		}
		n, cerr := io.Copy(h, rest)
		size += n
		if cerr != nil {
			return nil, "", size, fmt.Errorf("%s: %w", s.Path, cerr)
		}
		if budget >= 0 && size > budget {
			o.zipRead += size
			return nil, "", size, fmt.Errorf("%s: %w: the archive unpacks to more than %d bytes", s.Path, ErrZipRefused, o.lim.MaxZipBytes)
		}
		data, err = nil, fmt.Errorf("%w: %d bytes (limit %d)", ErrTooLarge, size, o.lim.MaxFileBytes)
	}
	if budget >= 0 {
		o.zipRead += size
		if size > budget {
			return nil, "", size, fmt.Errorf("%s: %w: the archive unpacks to more than %d bytes", s.Path, ErrZipRefused, o.lim.MaxZipBytes)
		}
	}
	return data, hex.EncodeToString(h.Sum(nil)), size, err
}

func (o *opener) entry(s Source) (*zip.File, error) {
	if o.zipPath != s.Disk {
		o.close()
		zr, err := zip.OpenReader(s.Disk)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Disk, err)
		}
		o.zr, o.zipPath, o.zipRead = zr, s.Disk, 0
		o.entries = make(map[string]*zip.File, len(zr.File))
		for _, f := range zr.File {
			o.entries[f.Name] = f
		}
	}
	zf, ok := o.entries[s.Entry]
	if !ok {
		return nil, fmt.Errorf("%s: entry %s: %w", s.Disk, s.Entry, os.ErrNotExist)
	}
	return zf, nil
}
