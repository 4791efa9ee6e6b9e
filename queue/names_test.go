package queue

import (
	"encoding/json"
	"testing"
)

// A path that is not UTF-8 survives the job message (JSON would turn its
// bytes into U+FFFD), so the worker's record keeps them.
func TestFileRefKeepsPathBytes(t *testing.T) {
	for _, name := range []string{"inkorg/Ans\xf6kan 100%.docx", "inkorg/Ansökan 100%.docx"} {
		b, err := json.Marshal(newFileRef(name, []byte("x")))
		if err != nil {
			t.Fatal(err)
		}
		var f FileRef
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		if got := f.path(); got != name {
			t.Errorf("path %q after JSON, want %q (%s)", got, name, b)
		}
	}
}
