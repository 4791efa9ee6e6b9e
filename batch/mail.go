package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/message"
	"github.com/finsam/ansokan/normalizer"
)

// MailKind says how a Source holds an e-mail message.
type MailKind int

const (
	NotMail  MailKind = iota
	MailFile          // an .eml file, a Maildir message or an .eml in a zip archive
	MailMbox          // one message of an mbox file: Offset and Size say where
)

// isMboxName reports names mbox exports carry: .mbox, .mbx, or no
// extension at all (Thunderbird's "Inbox"), the latter only when the
// content starts like an mbox.
func isMbox(p, ext string) bool {
	switch ext {
	case ".mbox", ".mbx":
		return true
	case "":
		f, err := os.Open(p)
		if err != nil {
			return false
		}
		defer f.Close()
		head := make([]byte, 5)
		n, _ := io.ReadFull(f, head)
		return message.IsMbox(head[:n])
	}
	return false
}

// listMbox lists an mbox file's messages, each a submission of its own
// ("Inkorg.mbox#3").
func listMbox(p, rel string) ([]Source, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	defer f.Close()
	spans, err := message.MboxSpans(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	srcs := make([]Source, len(spans))
	for i, s := range spans {
		n := fmt.Sprintf("#%d", i+1)
		srcs[i] = Source{Path: p + n, Rel: rel + n, Disk: p, Mail: MailMbox, Offset: s.Offset, Size: s.Length}
	}
	return srcs, nil
}

// listMaildir lists the messages of a Maildir (cur/ and new/; tmp/ holds
// messages still being delivered) and of its Maildir++ subfolders
// (".Skickat").
func listMaildir(root, dir string) ([]Source, error) {
	var srcs []Source
	for _, sub := range []string{"cur", "new"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			info, err := e.Info()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", dir, err)
			}
			p := filepath.Join(dir, sub, e.Name())
			srcs = append(srcs, Source{Path: p, Rel: relTo(root, p), Disk: p, Mail: MailFile, Size: info.Size()})
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	for _, e := range entries {
		if sub := filepath.Join(dir, e.Name()); e.IsDir() && strings.HasPrefix(e.Name(), ".") && message.IsMaildir(sub) {
			more, err := listMaildir(root, sub)
			if err != nil {
				return nil, err
			}
			srcs = append(srcs, more...)
		}
	}
	return srcs, nil
}

func relTo(root, p string) string {
	rel := filepath.Base(p)
	if r, err := filepath.Rel(root, p); err == nil && r != "." {
		rel = r
	}
	return filepath.ToSlash(rel)
}

// readMail reads a message source and takes its application files out:
// each becomes an input named under the message's path
// ("Inkorg.mbox#3/Ansökan.pdf"). A message that cannot be parsed, or has
// no application file, is one input carrying why, hashed as the raw
// message. An error means the message's bytes could not be read at all.
func (o *opener) readMail(s Source) ([]input, *message.Message, error) {
	lim := message.DefaultLimits()
	lim.MaxFileBytes = o.lim.MaxFileBytes
	var rc io.ReadCloser
	switch {
	case s.Entry != "":
		zf, err := o.entry(s)
		if err != nil {
			return nil, nil, err
		}
		if rc, err = zf.Open(); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.Path, err)
		}
	default:
		f, err := os.Open(s.Disk)
		if err != nil {
			return nil, nil, err
		}
		rc = f
		if s.Mail == MailMbox {
			rc = struct {
				io.Reader
				io.Closer
			}{io.NewSectionReader(f, s.Offset, s.Size), f}
		}
	}
	defer rc.Close()
	raw, err := io.ReadAll(io.LimitReader(rc, lim.MaxBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", s.Path, err)
	}
	if s.Mail == MailMbox {
		raw = message.FromMbox(raw)
	}
	sum := sha256.Sum256(raw)
	whole := func(err error) []input {
		return []input{{file: normalizer.File{Name: s.Rel}, sum: hex.EncodeToString(sum[:]), size: int64(len(raw)), err: err}}
	}
	m, err := message.Read(raw, path.Base(s.Rel), lim)
	if err != nil {
		return whole(err), nil, nil
	}
	if len(m.Files) == 0 {
		return whole(fmt.Errorf("%w: the message has no .docx, .pdf or .xlsx attachment", extractor.ErrNoFiles)), m, nil
	}
	ins := make([]input, 0, len(m.Files))
	for _, f := range m.Files {
		in := input{file: normalizer.File{Name: s.Rel + "/" + f.Name, Data: f.Data}, size: int64(len(f.Data)), err: f.Err}
		h := sha256.Sum256(f.Data)
		in.sum = hex.EncodeToString(h[:])
		ins = append(ins, in)
	}
	return ins, m, nil
}
