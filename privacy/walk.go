package privacy

import (
	"cmp"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Place is where MaskValue masked something: a JSON Pointer (RFC 6901)
// into the value as it is encoded to JSON, with the masked text in it.
type Place struct {
	Path  string
	Count int  // how many numbers were masked there
	Key   bool // the place is a map key (a budget column's name in an amounts map), not a value
}

// MaskValue masks, in place, every string reachable from v, which must
// be a pointer: struct fields (exported ones: those that leave the
// process), slice and array elements, map values and map keys, through
// pointers and interfaces. It walks the value by reflection, so a field
// added to the record later is masked without anyone remembering to.
// Byte slices are data, not text, and are left alone.
//
// It returns the places where it masked something, in the order of the
// walk: struct fields in declaration order, map entries by key. Paths
// use the fields' JSON names and the masked map keys.
//
// Two keys of one map that mask to the same text ("A 121212-1212" and
// "A 191212-1212") would collide; the second gets " (2)" appended, and
// so on, so that no entry is lost.
func MaskValue(v any) []Place {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil
	}
	w := walker{seen: map[uintptr]bool{}}
	w.walk(rv, "")
	return w.places
}

type walker struct {
	places []Place
	seen   map[uintptr]bool // pointers walked, against cycles
}

var bytesType = reflect.TypeFor[[]byte]()

func (w *walker) walk(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.String:
		if m, n := mask(v.String()); n > 0 {
			if v.CanSet() {
				v.SetString(m)
			}
			w.places = append(w.places, Place{Path: path, Count: n})
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if p := v.Pointer(); w.seen[p] {
			return
		} else {
			w.seen[p] = true
		}
		w.walk(v.Elem(), path)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		// The value in an interface cannot be set: walk a copy and put
		// it back.
		e := v.Elem()
		c := reflect.New(e.Type()).Elem()
		c.Set(e)
		before := len(w.places)
		w.walk(c, path)
		if len(w.places) > before && v.CanSet() {
			v.Set(c)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() && !f.Anonymous {
				continue // an embedded struct's exported fields are encoded, and settable
			}
			name, inline := jsonName(f)
			p := path
			if !inline {
				p = path + "/" + escape(name)
			}
			w.walk(v.Field(i), p)
		}
	case reflect.Slice:
		if v.Type() == bytesType || v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i), path+"/"+strconv.Itoa(i))
		}
	case reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i), path+"/"+strconv.Itoa(i))
		}
	case reflect.Map:
		w.walkMap(v, path)
	}
}

// walkMap masks a map's keys (string keys) and values. Map values cannot
// be set in place: each is walked as a copy and stored back.
func (w *walker) walkMap(v reflect.Value, path string) {
	if v.IsNil() || v.Len() == 0 {
		return
	}
	keys := v.MapKeys()
	stringKeys := v.Type().Key().Kind() == reflect.String
	if stringKeys {
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.String(), b.String()) })
	}
	type entry struct{ old, key, val reflect.Value }
	var changed []entry
	for _, k := range keys {
		nk := k
		seg := ""
		keyChanged := false
		if stringKeys {
			m, n := mask(k.String())
			seg = m
			if keyChanged = n > 0; keyChanged {
				nk = reflect.New(k.Type()).Elem()
				nk.SetString(m)
				w.places = append(w.places, Place{Path: path + "/" + escape(m), Count: n, Key: true})
			}
		} else {
			seg = keyString(k)
		}
		val := reflect.New(v.Type().Elem()).Elem()
		val.Set(v.MapIndex(k))
		before := len(w.places)
		w.walk(val, path+"/"+escape(seg))
		if keyChanged || len(w.places) > before {
			changed = append(changed, entry{k, nk, val})
		}
	}
	for _, e := range changed {
		v.SetMapIndex(e.old, reflect.Value{})
	}
	for _, e := range changed {
		k := e.key
		if k.Kind() == reflect.String && k.String() != e.old.String() {
			base := k.String()
			for n := 2; v.MapIndex(k).IsValid(); n++ {
				k = reflect.New(k.Type()).Elem()
				k.SetString(base + " (" + strconv.Itoa(n) + ")")
			}
		}
		v.SetMapIndex(k, e.val)
	}
}

func keyString(k reflect.Value) string {
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(k.Uint(), 10)
	}
	return ""
}

// jsonName is the field's name in JSON, and whether its fields are
// inlined (an embedded struct without a name of its own).
func jsonName(f reflect.StructField) (string, bool) {
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" && tag == "-" {
		return f.Name, false
	}
	if name != "" {
		return name, false
	}
	if f.Anonymous {
		t := f.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() == reflect.Struct {
			return "", true
		}
	}
	return f.Name, false
}

// escape escapes a JSON Pointer reference token (RFC 6901).
func escape(s string) string { return pointerEscaper.Replace(s) }

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")
