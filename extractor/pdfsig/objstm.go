package pdfsig

import (
	"bytes"
	"compress/zlib"
	"io"
	"strconv"
)

// maxObjStm bounds the bytes one object stream may inflate to, and
// maxObjStmTotal those of all of a file's (a deflate bomb of many small
// streams must not hold gigabytes): past the budget, object streams stay
// uninspected.
const (
	maxObjStm      = 16 << 20
	maxObjStmTotal = 64 << 20
)

// expand adds the objects held in FlateDecode object streams (/Type
// /ObjStm) to objs, each placed at its container's offsets so that it
// belongs to the container's revision. An object stream that cannot be
// inflated stays as it is (and counts as a change that could not be
// inspected, see change).
func expand(objs []object) []object {
	out := make([]object, 0, len(objs))
	budget := maxObjStmTotal
	for _, o := range objs {
		d := dictHead(o.body)
		if nameValue(d, "Type") != "ObjStm" {
			out = append(out, o)
			continue
		}
		inner, size, ok := objStm(o, min(budget, maxObjStm))
		budget -= size
		if !ok {
			out = append(out, o)
			continue
		}
		out = append(out, inner...)
	}
	return out
}

// objStm inflates an object stream to at most limit bytes and returns
// its objects and the bytes inflated.
func objStm(o object, limit int) ([]object, int, bool) {
	d := dictHead(o.body)
	if f := nameValue(d, "Filter"); f != "FlateDecode" {
		return nil, 0, false
	}
	first, err2 := strconv.Atoi(ref(d, "First"))
	n, err1 := strconv.Atoi(ref(d, "N"))
	if err1 != nil || err2 != nil || n <= 0 || n > 1<<16 || first < 0 {
		return nil, 0, false
	}
	i := bytes.Index(o.body, []byte("stream"))
	raw := o.body[i+len("stream"):]
	raw = bytes.TrimLeft(raw, "\r\n")
	if e := bytes.LastIndex(raw, []byte("endstream")); e >= 0 {
		raw = raw[:e]
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, 0, false
	}
	if limit <= 0 {
		return nil, 0, false
	}
	data, err := io.ReadAll(io.LimitReader(zr, int64(limit)))
	if err != nil && len(data) == 0 || first > len(data) {
		return nil, len(data), false
	}
	head := bytes.Fields(data[:first])
	if len(head) < 2*n {
		return nil, len(data), false
	}
	type entry struct{ num, off int }
	entries := make([]entry, n)
	for k := range n {
		num, e1 := strconv.Atoi(string(head[2*k]))
		off, e2 := strconv.Atoi(string(head[2*k+1]))
		if e1 != nil || e2 != nil || off < 0 || first+off > len(data) {
			return nil, len(data), false
		}
		entries[k] = entry{num, first + off}
	}
	out := make([]object, 0, n)
	for k, e := range entries {
		end := len(data)
		if k+1 < n && entries[k+1].off >= e.off {
			end = entries[k+1].off
		}
		out = append(out, object{num: e.num, start: o.start, end: o.end, body: data[e.off:end]})
	}
	return out, len(data), true
}
