package pdfsig

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/finsam/ansokan/extractor"
)

// coverage sets Revision, CoversDocument and ChangedAfter: the byte range
// must leave out exactly the /Contents string and reach the end of a
// revision, and every later revision may only add signatures,
// annotations, form fields, metadata or validation data.
func coverage(data []byte, objs []object, revs, eofs []int, s sigDict, v *extractor.DigitalSignature) {
	br := s.byteRange
	end := br[2] + br[3]
	if br[0] != 0 || br[1] < 0 || br[2] < br[1] || end > int64(len(data)) {
		v.ChangedAfter = "underskriftens byteintervall passar inte filen"
		return
	}
	// The gap must be the /Contents hex string and nothing else.
	gap := data[br[1]:br[2]]
	if len(gap) < 2 || gap[0] != '<' || gap[len(gap)-1] != '>' || !isHex(gap[1:len(gap)-1]) {
		v.ChangedAfter = fmt.Sprintf("underskriften lämnar byte %d–%d osignerade, inte bara själva signaturen", br[1], br[2]-1)
		return
	}
	for i, e := range revs {
		// A writer may sign up to %%EOF, or past some or all of its
		// end-of-line.
		if end >= int64(eofs[i]+5) && end <= int64(e) {
			v.Revision = i + 1
			break
		}
	}
	if end == int64(len(data)) && v.Revision == 0 {
		v.Revision = len(revs)
	}
	if v.Revision == 0 {
		v.ChangedAfter = "underskriften slutar mitt i filen, inte vid slutet av en version av den"
		return
	}
	// Definitions up to the signed revision, by object number, for
	// comparing the later ones with.
	before := map[int]object{}
	for _, o := range objs {
		if int64(o.end) <= end {
			before[o.num] = o
		}
	}
	var changes []string
	for r := v.Revision; r < len(revs); r++ {
		from, to := revs[r-1], revs[r]
		if r == v.Revision {
			from = int(end)
		}
		for _, o := range objs {
			if o.start < from || o.start >= to {
				continue
			}
			if what := change(o, before); what != "" {
				changes = append(changes, fmt.Sprintf("version %d: %s", r+1, what))
			}
		}
		for _, o := range objs {
			if o.start >= from && o.start < to {
				before[o.num] = o
			}
		}
	}
	// Bytes after the last %%EOF that are not a revision.
	if len(revs) > 0 && revs[len(revs)-1] < len(data) && len(bytes.TrimSpace(data[revs[len(revs)-1]:])) > 0 && end < int64(len(data)) {
		if tail := data[revs[len(revs)-1]:]; bytes.Contains(tail, []byte("obj")) {
			changes = append(changes, "data lades till efter filens sista version")
		}
	}
	if len(changes) == 0 {
		v.CoversDocument = true
		return
	}
	v.ChangedAfter = "innehållet ändrades efter underskriften (" + strings.Join(dedupe(changes), "; ") + ")"
}

// change says in Swedish what a later revision's object changes, or ""
// when it is one a signing, annotating or form-filling update may add.
func change(o object, before map[int]object) string {
	d := dictHead(o.body)
	typ := nameValue(d, "Type")
	prev, redefined := before[o.num]
	isStream := bytes.Contains(o.body, []byte("stream"))
	switch {
	case key(d, "ByteRange") >= 0, typ == "Sig", typ == "DocTimeStamp",
		typ == "Annot", key(d, "Subtype") >= 0 && nameValue(d, "Subtype") == "Widget",
		key(d, "FT") >= 0, typ == "Catalog", typ == "XRef", typ == "Metadata",
		typ == "DSS", key(d, "VRI") >= 0, key(d, "Fields") >= 0, typ == "Font", typ == "FontDescriptor":
		return ""
	case typ == "Page":
		if !redefined {
			return fmt.Sprintf("en sida lades till (objekt %d)", o.num)
		}
		if ref(d, "Contents") != ref(dictHead(prev.body), "Contents") || ref(d, "Resources") != ref(dictHead(prev.body), "Resources") {
			return fmt.Sprintf("en sidas innehåll byttes ut (objekt %d)", o.num)
		}
		return ""
	case typ == "Pages":
		if redefined && ref(d, "Count") != ref(dictHead(prev.body), "Count") {
			return "sidor lades till eller togs bort"
		}
		return ""
	case typ == "ObjStm":
		return fmt.Sprintf("komprimerade objekt som inte kunde granskas (objekt %d)", o.num)
	case isStream && redefined:
		return fmt.Sprintf("ett innehållsflöde skrevs över (objekt %d)", o.num)
	}
	return ""
}

// ref returns the value after /key up to the next key or the dictionary's
// end, normalised in white space: enough to compare "/Contents 5 0 R" or
// "/Count 2" between two definitions.
func ref(d []byte, k string) string {
	i := key(d, k)
	if i < 0 {
		return ""
	}
	j := i
	for j < len(d) && d[j] != '/' && d[j] != '>' {
		j++
	}
	if j < len(d) && d[j] == '[' {
		if e := bytes.IndexByte(d[j:], ']'); e >= 0 {
			j += e + 1
		}
	}
	if j == skipWhite(d, i) && j < len(d) && d[j] == '/' {
		// a name value
		j++
		for j < len(d) && isRegular(d[j]) {
			j++
		}
	}
	return strings.Join(strings.Fields(string(d[i:j])), " ")
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || isWhite(c)) {
			return false
		}
	}
	return true
}

func dedupe(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
