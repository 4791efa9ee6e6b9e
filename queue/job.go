package queue

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/finsam/ansokan/normalizer"
)

// Job is the message on ansokan.jobs: the files of one record. The bodies
// are in the files bucket; the job only names them.
type Job struct {
	// ID is the content hash of the job: the file's SHA-256 for a job of
	// one file, else the SHA-256 of the files' sorted SHA-256s, one a line.
	ID string `json:"id"`
	// Submission is the id given with submit --submission ("" for none).
	Submission string    `json:"submission,omitempty"`
	Files      []FileRef `json:"files"`
	Received   time.Time `json:"received"`
	// Reprocess names the reprocess run that queued the job again ("" for
	// a job from submit). It makes the job's and its record's Nats-Msg-Id new.
	Reprocess string `json:"reprocess,omitempty"`
	// Attempt counts submits of a job whose earlier run failed; it makes the
	// job's Nats-Msg-Id new so the retry is not taken for a duplicate.
	Attempt int `json:"attempt,omitempty"`
	// Message is true when the job's one file is an e-mail message
	// (Client.SubmitMessage): the worker reads the application files
	// attached to it, and the record gets the message's sender, subject
	// and date in source.message.
	Message bool `json:"message,omitempty"`
}

// FileRef names one file of a job.
type FileRef struct {
	Name string `json:"name"` // original file name (base name)
	// Path is the file's path as given to Submit (relative to a batch's
	// folder, as on the command line, the upload's name): the record's
	// source.files[].path. Empty in jobs queued before it existed.
	Path string `json:"path,omitempty"`
	// PathEncoded is Path with its original bytes when it is not valid
	// UTF-8 (normalizer.EncodePath): JSON turns such bytes into U+FFFD.
	PathEncoded string `json:"path_encoded,omitempty"`
	SHA256      string `json:"sha256"` // hex
	Object      string `json:"object"` // name in the files bucket (the SHA-256)
	Bytes       int64  `json:"bytes"`
}

func newFileRef(name string, data []byte) FileRef {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	f := FileRef{Name: filepath.Base(name), Path: name, SHA256: h, Object: h, Bytes: int64(len(data))}
	if !utf8.ValidString(name) {
		f.PathEncoded = normalizer.EncodePath(name)
	}
	return f
}

// path is the file's path as given to Submit, with its original bytes.
func (f FileRef) path() string {
	if f.PathEncoded != "" {
		if p, err := normalizer.DecodePath(f.PathEncoded); err == nil {
			return p
		}
	}
	return cmp.Or(f.Path, f.Name)
}

// jobID is the content hash of a set of files.
func jobID(files []FileRef) string {
	if len(files) == 1 {
		return files[0].SHA256
	}
	sums := make([]string, len(files))
	for i, f := range files {
		sums[i] = f.SHA256
	}
	slices.Sort(sums)
	sum := sha256.Sum256([]byte(strings.Join(sums, "\n")))
	return hex.EncodeToString(sum[:])
}

// msgID is the job's Nats-Msg-Id.
func (j *Job) msgID() string {
	id := j.ID
	if j.Attempt > 0 {
		id += fmt.Sprintf("/attempt/%d", j.Attempt)
	}
	if j.Reprocess != "" {
		id += "/reprocess/" + j.Reprocess
	}
	return id
}

// Ref is the job's reference in its record (the record's "job"): the
// job's id, and the retry or reprocess run that queued it again, so
// that the records one application gets over time tell which run made
// each. It is the job message's Nats-Msg-Id.
func (j *Job) Ref() string { return j.msgID() }

// SubmissionID is the record's submission_id: the id given to Submit;
// for a job of several files submitted without one, the job's id (the
// queue's own id for that submission); "" (null) for a lone file.
func (j *Job) SubmissionID() string {
	switch {
	case j.Submission != "":
		return j.Submission
	case len(j.Files) > 1:
		return j.ID
	}
	return ""
}

// recordMsgID is the Nats-Msg-Id of the job's record (and, prefixed, of its
// alert): one record per job content, producer version and reprocess run.
func (j *Job) recordMsgID(version string) string {
	id := j.ID + "/" + version
	if j.Reprocess != "" {
		id += "/reprocess/" + j.Reprocess
	}
	return id
}

// errBadJob marks a job message that can never be processed.
var errBadJob = errors.New("malformed job")

func decodeJob(data []byte) (*Job, error) {
	var j Job
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("%w: %w", errBadJob, err)
	}
	if j.ID == "" || len(j.Files) == 0 {
		return nil, fmt.Errorf("%w: no id or no files", errBadJob)
	}
	if j.Message && len(j.Files) != 1 {
		return nil, fmt.Errorf("%w: a message job has %d files, not one", errBadJob, len(j.Files))
	}
	for _, f := range j.Files {
		if f.Object == "" || f.SHA256 == "" {
			return nil, fmt.Errorf("%w: file %q has no object or sha256", errBadJob, f.Name)
		}
	}
	return &j, nil
}

// Headers on records, alerts and dead letters.
const (
	HeaderJob        = "Ansokan-Job"
	HeaderSubmission = "Ansokan-Submission"
)
