// Package samples holds ansokan's sample applications (invented content,
// real file formats) and, beside each, its expected record as a golden
// JSON file: the specification of what extraction must produce. See
// README.md in this folder for what each sample exercises and gen/ for
// how they were made.
//
// The tests here extract every sample, compare the record with its
// golden file and validate it against the record's JSON Schema. After a
// deliberate change, rewrite the golden files with
//
//	go test ./samples -update
//
// and review their diff like code.
package samples
