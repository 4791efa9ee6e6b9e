package queue

import (
	"encoding/json"

	"github.com/finsam/ansokan/privacy"
)

// What the queue writes for people to read (status entries, dead
// letters, records, headers, log lines) has every personnummer masked
// (package privacy). A job message keeps its file names as given: it is
// transport between a client and a worker, like the files' bytes in the
// files bucket, and the worker needs the names to report a personnummer
// in one (privacy.personnummer on /source/files/N/name), as a local run
// does.

// maskedJSON encodes a masked deep copy of v: the value itself (and the
// job it points at, which a worker is still using) is not changed.
func maskedJSON[T any](v *T) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var c T
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	if len(privacy.MaskValue(&c)) == 0 {
		return b, nil
	}
	return json.Marshal(&c)
}

// maskedReceipt is r with a masked copy of its job, for the caller to
// print.
func maskedReceipt(r Receipt) Receipt {
	if r.Job == nil {
		return r
	}
	b, err := maskedJSON(r.Job)
	if err != nil {
		return r
	}
	var j Job
	if err := json.Unmarshal(b, &j); err != nil {
		return r
	}
	r.Job = &j
	return r
}
