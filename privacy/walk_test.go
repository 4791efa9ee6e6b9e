package privacy

import (
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/ansokan/schema"
)

// planted is a valid personnummer; fill puts it in every string.
const planted = "121212-1212"

// fill sets every string reachable from v (a settable value) to a text
// holding planted, gives every slice one element and every map one entry
// whose key holds planted too, and allocates every pointer. It counts the
// strings and keys it filled.
func fill(v reflect.Value, n *int) {
	switch v.Kind() {
	case reflect.String:
		*n++
		v.SetString("text " + strconv.Itoa(*n) + " " + planted)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), n)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, n)
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// A record with a personnummer in every string and every map key, built
// by reflection over schema.Record as it is now: whatever fields are
// added later are filled too, and must come out masked.
func TestMaskValueRecordComplete(t *testing.T) {
	var r schema.Record
	var n int
	fill(reflect.ValueOf(&r).Elem(), &n)
	if n < 40 {
		t.Fatalf("filled only %d strings: the filler is broken", n)
	}
	places := MaskValue(&r)
	b, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), planted) {
		t.Errorf("unmasked after MaskValue: %s", b)
	}
	if len(places) != n {
		t.Errorf("%d places for %d strings", len(places), n)
	}
	// Every place is a JSON Pointer to masked text (or to a masked key).
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range places {
		v, ok := lookup(doc, p.Path)
		if !ok {
			t.Errorf("place %s is not in the JSON", p.Path)
			continue
		}
		if s, isString := v.(string); !p.Key && (!isString || !strings.Contains(s, "XXXXXX-XXXX")) {
			t.Errorf("place %s holds %v", p.Path, v)
		}
		if p.Key && !strings.Contains(p.Path, "XXXXXX-XXXX") {
			t.Errorf("key place %s does not end in the masked key", p.Path)
		}
		if p.Count != 1 {
			t.Errorf("place %s: count %d", p.Path, p.Count)
		}
	}
	// A second pass finds nothing: masked text stays masked.
	if again := MaskValue(&r); len(again) != 0 {
		t.Errorf("second pass found %v", again)
	}
}

// lookup resolves a JSON Pointer in a decoded document.
func lookup(doc any, ptr string) (any, bool) {
	if ptr == "" {
		return doc, true
	}
	cur := doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

func TestMaskValueShapes(t *testing.T) {
	type inner struct {
		Note string `json:"note"`
	}
	type embedded struct {
		Flat string `json:"flat"`
	}
	type shape struct {
		embedded
		Any     any               `json:"any"`
		AnyMap  map[string]any    `json:"any_map"`
		Amounts map[string]int64  `json:"amounts"`
		ByNum   map[int]inner     `json:"by_num"`
		Arr     [2]string         `json:"arr"`
		Bytes   []byte            `json:"bytes"`
		Skip    string            `json:"-"`
		private string            //nolint:unused // not exported: not walked
		Ptrs    map[string]*inner `json:"ptrs,omitempty"`
		Self    *shape            `json:"self,omitempty"`
	}
	s := &shape{
		embedded: embedded{Flat: "a 121212-1212"},
		Any:      inner{Note: "b 121212-1212"},
		AnyMap:   map[string]any{"k": []any{"c 121212-1212"}, "d 121212-1212": 1.0},
		Amounts:  map[string]int64{"Lisa 121212-1212": 1, "Lisa 850312-1231": 2, "Region": 3},
		ByNum:    map[int]inner{7: {Note: "e 121212-1212"}},
		Arr:      [2]string{"", "f 121212-1212"},
		Bytes:    []byte("g 121212-1212"),
		Skip:     "h 121212-1212",
		private:  "i 121212-1212",
		Ptrs:     map[string]*inner{"p": {Note: "j 121212-1212"}},
	}
	s.Self = s // a cycle ends
	got := map[string]bool{}
	for _, p := range MaskValue(s) {
		got[p.Path] = true
	}
	for _, want := range []string{"/flat", "/any/note", "/any_map/k/0", "/any_map/d XXXXXX-XXXX",
		"/amounts/Lisa XXXXXX-XXXX", "/by_num/7/note", "/arr/1", "/Skip", "/ptrs/p/note"} {
		if !got[want] {
			t.Errorf("no place %s in %v", want, got)
		}
	}
	if s.Flat != "a XXXXXX-XXXX" || s.Any.(inner).Note != "b XXXXXX-XXXX" || s.AnyMap["k"].([]any)[0] != "c XXXXXX-XXXX" ||
		s.ByNum[7].Note != "e XXXXXX-XXXX" || s.Arr[1] != "f XXXXXX-XXXX" || s.Skip != "h XXXXXX-XXXX" || s.Ptrs["p"].Note != "j XXXXXX-XXXX" {
		t.Errorf("not masked: %+v", s)
	}
	if _, ok := s.AnyMap["d XXXXXX-XXXX"]; !ok {
		t.Errorf("key not masked: %v", s.AnyMap)
	}
	// Two keys masking alike keep both entries.
	if len(s.Amounts) != 3 || s.Amounts["Lisa XXXXXX-XXXX"]+s.Amounts["Lisa XXXXXX-XXXX (2)"] != 3 || s.Amounts["Region"] != 3 {
		t.Errorf("amounts: %v", s.Amounts)
	}
	if string(s.Bytes) != "g 121212-1212" || s.private != "i 121212-1212" {
		t.Error("bytes or unexported fields were changed")
	}
}

// BenchmarkMaskValueRecord: the masking pass over a whole record (the
// seed003 submission: a form, a budget, 80 findings' worth of strings).
func BenchmarkMaskValueRecord(b *testing.B) {
	data, err := os.ReadFile("../samples/seed003-arbetsstegen.submission.golden.json")
	if err != nil {
		b.Fatal(err)
	}
	var rec schema.Record
	if err := json.Unmarshal(data, &rec); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		MaskValue(&rec)
	}
}
