package main

import (
	"fmt"
	"io"
	"os"
	"unicode/utf8"
)

// terminalWriter shows what is written to people as text: file names
// and messages reach stderr verbatim otherwise, so a name holding an
// escape sequence would move the cursor, retitle the window or hide
// itself. Control characters other than newline and tab (C0, DEL, C1)
// are written as \x1b, \r, \u009b; bytes that are not UTF-8 as \xff, so
// a name that is not UTF-8 keeps its bytes on the screen. Valid text
// passes unchanged and in one Write.
type terminalWriter struct{ w io.Writer }

func newTerminalWriter(w io.Writer) *terminalWriter {
	if t, ok := w.(*terminalWriter); ok {
		return t
	}
	return &terminalWriter{w: w}
}

func (t *terminalWriter) Write(p []byte) (int, error) {
	if !needsEscape(p) {
		return t.w.Write(p)
	}
	if _, err := t.w.Write(escapeTerminal(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Raw is the writer underneath, for the progress bar's own control
// sequences.
func (t *terminalWriter) Raw() io.Writer { return t.w }

// Fd is the file descriptor of the file written to, so that a caller can
// still tell a terminal (see privacy.Writer).
func (t *terminalWriter) Fd() uintptr {
	if f, ok := t.w.(interface{ Fd() uintptr }); ok {
		return f.Fd()
	}
	if f, ok := t.w.(*os.File); ok {
		return f.Fd()
	}
	return ^uintptr(0)
}

func needsEscape(p []byte) bool {
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && n == 1 || r >= 0x80 && r <= 0x9f {
			return true
		}
		i += n
	}
	return false
}

func escapeTerminal(p []byte) []byte {
	out := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n' || c == '\t':
				out = append(out, c)
			case c == '\r':
				out = append(out, `\r`...)
			case c < 0x20 || c == 0x7f:
				out = fmt.Appendf(out, `\x%02x`, c)
			default:
				out = append(out, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			out = fmt.Appendf(out, `\x%02x`, c)
		case r >= 0x80 && r <= 0x9f:
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, p[i:i+n]...)
		}
		i += n
	}
	return out
}
