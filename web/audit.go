package web

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// The audit log is a file of JSON lines, STORE/audit.jsonl by default,
// opened append-only. A file, not a JetStream stream: the audit trail
// must not share the fate of what it audits (retention that removes
// records and files, an admin identity that may purge any stream), it
// can be made append-only by the file system (chattr +a) and shipped by
// the kommun's log collection as it is, and it is written even while
// NATS is unreachable.

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	At     time.Time `json:"at"`
	User   string    `json:"user"`             // "" before sign-in
	Action string    `json:"action"`           // login, login_failed, logout, view, download, upload, retry, reprocess
	Addr   string    `json:"addr"`             // the client's address
	Seq    uint64    `json:"seq,omitempty"`    // the record's sequence in ANSOKAN_RECORDS
	Key    string    `json:"key,omitempty"`    // the submission's key
	File   string    `json:"file,omitempty"`   // a file's SHA-256
	What   string    `json:"what,omitempty"`   // the form downloaded or viewed: page, json, xlsx, original, dead
	Detail string    `json:"detail,omitempty"` // a job id, a count, a reason
}

// auditLog writes entries, one JSON line each, under a lock.
type auditLog struct {
	mu sync.Mutex
	w  io.Writer
}

// openAudit opens path for appending (mode 0600: it names people and
// what they looked at).
func openAudit(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	return f, nil
}

func (a *auditLog) write(e AuditEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
	_, err = a.w.Write(b)
	return err
}
