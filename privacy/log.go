package privacy

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
)

// NewHandler wraps h so that every log line is masked: the message, the
// attributes' keys and values (strings, errors, Stringers, numbers, and
// anything else as it would be printed), the attributes bound with
// WithAttrs, group names. Wrapping a handler that masks already returns
// it as it is.
func NewHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(*handler); ok {
		return h
	}
	return &handler{h: h}
}

// Logger returns l logging through NewHandler (nil for nil). The
// attributes l was given with With before it was wrapped are not masked:
// wrap a logger where it is made.
func Logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return nil
	}
	if _, ok := l.Handler().(*handler); ok {
		return l
	}
	return slog.New(&handler{h: l.Handler()})
}

type handler struct{ h slog.Handler }

var _ slog.Handler = (*handler)(nil)

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Mask(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a))
		return true
	})
	return h.h.Handle(ctx, out)
}

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	return &handler{h: h.h.WithAttrs(maskAttrs(as))}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{h: h.h.WithGroup(Mask(name))}
}

func maskAttrs(as []slog.Attr) []slog.Attr {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = maskAttr(a)
	}
	return out
}

func maskAttr(a slog.Attr) slog.Attr {
	a.Key = Mask(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(Mask(v.String()))
	case slog.KindGroup:
		a.Value = slog.GroupValue(maskAttrs(v.Group())...)
	case slog.KindInt64:
		a.Value = maskedOr(strconv.FormatInt(v.Int64(), 10), v)
	case slog.KindUint64:
		a.Value = maskedOr(strconv.FormatUint(v.Uint64(), 10), v)
	case slog.KindAny:
		var s string
		switch x := v.Any().(type) {
		case error:
			s = x.Error()
		case fmt.Stringer:
			s = x.String()
		default:
			s = fmt.Sprintf("%+v", x)
		}
		a.Value = maskedOr(s, v)
	default:
		a.Value = v
	}
	return a
}

// maskedOr is v, or s masked as a string when it holds a number.
func maskedOr(s string, v slog.Value) slog.Value {
	if m, n := mask(s); n > 0 {
		return slog.StringValue(m)
	}
	return v
}

// Writer masks what is written through it, one Write at a time: a
// number split across two writes is not seen. Log handlers and
// fmt.Fprint* write a whole line at a time.
type Writer struct{ w io.Writer }

// NewWriter returns a Writer over w (w itself when it is one).
func NewWriter(w io.Writer) io.Writer {
	if _, ok := w.(*Writer); ok {
		return w
	}
	return &Writer{w: w}
}

func (w *Writer) Write(p []byte) (int, error) {
	s := string(p)
	if m, n := mask(s); n > 0 {
		return w.w.Write([]byte(m)) // as long as p: masking keeps the length
	}
	return w.w.Write(p)
}

// Fd is the file descriptor of the file written to, so that a caller can
// still tell a terminal; ^uintptr(0) (no file) when it writes elsewhere.
func (w *Writer) Fd() uintptr {
	if f, ok := w.w.(*os.File); ok {
		return f.Fd()
	}
	return ^uintptr(0)
}
