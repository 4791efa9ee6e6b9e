package queue

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// Role names one identity of the embedded server. Each has its own NKey
// and its own permissions (see Permissions).
type Role string

const (
	// RoleWorker takes jobs, reads the files and publishes records,
	// alerts, status and dead letters.
	RoleWorker Role = "worker"
	// RoleClient submits files (puts them, publishes jobs) and reads
	// records, alerts and status. It cannot read a stored file back.
	RoleClient Role = "client"
	// RoleAdmin may do anything: set up and manage the streams,
	// reprocess, read dead letters.
	RoleAdmin Role = "admin"
)

// Roles are every role, in the order their files are made.
var Roles = []Role{RoleAdmin, RoleWorker, RoleClient}

// Identity is the credentials of one role: an NKey seed. Its file (JSON,
// mode 0600) is what a client presents; the server knows only the public
// key. Each role has its own inbox prefix, and may subscribe only there,
// so no identity but admin can read another's replies.
type Identity struct {
	Role        Role   `json:"role"`
	Seed        string `json:"seed"`
	PublicKey   string `json:"public_key"`
	InboxPrefix string `json:"inbox_prefix"`

	kp nkeys.KeyPair
}

// CredsDir is where serve keeps the identities of the server whose store
// is store.
func CredsDir(store string) string { return filepath.Join(store, "creds") }

// CredsFile is the file of one role's identity under a store.
func CredsFile(store string, r Role) string {
	return filepath.Join(CredsDir(store), string(r)+".json")
}

// NewIdentity makes a fresh identity for r.
func NewIdentity(r Role) (*Identity, error) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", r, err)
	}
	seed, err := kp.Seed()
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", r, err)
	}
	return newIdentity(r, string(seed))
}

func newIdentity(r Role, seed string) (*Identity, error) {
	kp, err := nkeys.FromSeed([]byte(seed))
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", r, err)
	}
	pub, err := kp.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", r, err)
	}
	return &Identity{Role: r, Seed: seed, PublicKey: pub, InboxPrefix: "_INBOX_" + string(r), kp: kp}, nil
}

// IsIdentityFile reports whether the file at path is an ansokan identity
// (JSON with a seed), not a NATS .creds file (JWT and seed).
func IsIdentityFile(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var id Identity
	return json.Unmarshal(b, &id) == nil && id.Seed != ""
}

// LoadIdentity reads an identity file. A file that others than its owner
// may read is refused: it is a password.
func LoadIdentity(path string) (*Identity, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("credentials %s: readable by others (mode %v); chmod 600 it", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var stored Identity
	if err := json.Unmarshal(b, &stored); err != nil {
		return nil, fmt.Errorf("credentials %s: %w", path, err)
	}
	if stored.Seed == "" {
		return nil, fmt.Errorf("credentials %s: no seed", path)
	}
	id, err := newIdentity(stored.Role, stored.Seed)
	if err != nil {
		return nil, fmt.Errorf("credentials %s: %w", path, err)
	}
	if stored.InboxPrefix != "" {
		id.InboxPrefix = stored.InboxPrefix
	}
	return id, nil
}

// EnsureIdentities loads the identity of every role from dir and makes
// (and saves, mode 0600 in a 0700 folder) the ones that are missing.
// Deleting the folder and starting again rotates all of them.
func EnsureIdentities(dir string) (map[Role]*Identity, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	ids := make(map[Role]*Identity, len(Roles))
	for _, r := range Roles {
		path := filepath.Join(dir, string(r)+".json")
		id, err := LoadIdentity(path)
		if errors.Is(err, fs.ErrNotExist) {
			id, err = createIdentity(path, r)
		}
		if err != nil {
			return nil, err
		}
		if id.Role != r {
			return nil, fmt.Errorf("credentials %s: role %q, want %q", path, id.Role, r)
		}
		ids[r] = id
	}
	return ids, nil
}

// createIdentity writes a new identity to path; O_EXCL, so two starts
// racing cannot overwrite each other's.
func createIdentity(path string, r Role) (*Identity, error) {
	id, err := NewIdentity(r)
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(id, "", "  ")
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("credentials %s: %w", path, err)
	}
	return id, nil
}

// Options are the nats.go options that authenticate as the identity
// (NKey challenge; the seed never leaves the process) and use its inbox
// prefix.
func (id *Identity) Options() []nats.Option {
	kp := id.kp
	return []nats.Option{
		nats.Nkey(id.PublicKey, func(nonce []byte) ([]byte, error) { return kp.Sign(nonce) }),
		nats.CustomInboxPrefix(id.InboxPrefix),
	}
}

// nkeyUsers are the server's users for the identities.
func nkeyUsers(ids map[Role]*Identity) ([]*server.NkeyUser, error) {
	var users []*server.NkeyUser
	for _, r := range Roles {
		id := ids[r]
		if id == nil {
			return nil, fmt.Errorf("server: no %s identity", r)
		}
		users = append(users, &server.NkeyUser{Nkey: id.PublicKey, Permissions: Permissions(r, id.InboxPrefix)})
	}
	return users, nil
}

// Subjects of the JetStream API and of the buckets' streams that the
// permissions name.
const (
	jsAPI             = "$JS.API."
	streamFiles       = "OBJ_" + BucketFiles
	streamStatus      = "KV_" + BucketStatus
	streamBodies      = "OBJ_" + BucketRecords
	streamDeliveries  = "KV_" + BucketDeliveries
	subjectDeliveries = "$KV." + BucketDeliveries + ".>"
	subjectFiles      = "$O." + BucketFiles + ".>"
	subjectBodies     = "$O." + BucketRecords + ".>"
	subjectStatus     = "$KV." + BucketStatus + ".>"
	subjectFCReply    = "$JS.FC.>" // flow control replies of push consumers (key-value watches)
)

// Permissions of a role. Every role but admin may publish only to the
// subjects and JetStream API calls its work needs, and subscribe only to
// its own inbox (and the client to status changes). Neither worker nor
// client can purge or delete a stream or a bucket, create or delete the
// workers' consumers, or read another role's replies; the client cannot
// read a stored file's contents (only whether it is stored).
func Permissions(r Role, inbox string) *server.Permissions {
	if r == RoleAdmin {
		return &server.Permissions{
			Publish:   &server.SubjectPermission{Allow: []string{">"}},
			Subscribe: &server.SubjectPermission{Allow: []string{">"}},
		}
	}
	pub := []string{jsAPI + "INFO"}
	sub := []string{inbox + ".>"}
	info := func(streams ...string) {
		for _, s := range streams {
			pub = append(pub, jsAPI+"STREAM.INFO."+s)
		}
	}
	get := func(streams ...string) { // any message, by sequence or subject
		for _, s := range streams {
			pub = append(pub, jsAPI+"STREAM.MSG.GET."+s, jsAPI+"DIRECT.GET."+s, jsAPI+"DIRECT.GET."+s+".>")
		}
	}
	read := func(streams ...string) { // ordered consumers: list, watch
		for _, s := range streams {
			pub = append(pub,
				jsAPI+"CONSUMER.CREATE."+s, jsAPI+"CONSUMER.CREATE."+s+".>",
				jsAPI+"CONSUMER.INFO."+s+".*", jsAPI+"CONSUMER.DELETE."+s+".*",
				jsAPI+"CONSUMER.MSG.NEXT."+s+".*")
		}
	}
	consume := func(stream, consumer string) { // a durable consumer Setup made
		pub = append(pub,
			jsAPI+"CONSUMER.INFO."+stream+"."+consumer,
			jsAPI+"CONSUMER.MSG.NEXT."+stream+"."+consumer,
			"$JS.ACK."+stream+"."+consumer+".>", "$JS.ACK.*.*."+stream+"."+consumer+".>")
	}
	switch r {
	case RoleWorker:
		pub = append(pub, SubjectComplete, SubjectIncomplete, SubjectAlerts, SubjectDead, subjectStatus, subjectBodies, subjectDeliveries)
		info(StreamJobs, StreamAdvisories, StreamRecords, StreamAlerts, StreamDead, streamFiles, streamStatus, streamBodies, streamDeliveries)
		consume(StreamJobs, ConsumerWorkers)
		consume(StreamAdvisories, ConsumerDeadLetter)
		consume(StreamRecords, ConsumerNotify) // alert delivery (package notify)
		get(StreamJobs, streamFiles, streamStatus, streamBodies, streamDeliveries)
		pub = append(pub, jsAPI+"STREAM.MSG.DELETE."+StreamJobs) // a dead-lettered job leaves the queue
	case RoleClient:
		pub = append(pub, SubjectJobs, subjectFiles, subjectStatus, subjectFCReply)
		info(StreamRecords, StreamAlerts, streamFiles, streamStatus, streamBodies, streamDeliveries)
		get(StreamRecords, StreamAlerts, streamStatus, streamBodies, streamDeliveries)
		// A file's info (is it stored?), never its chunks.
		pub = append(pub, jsAPI+"DIRECT.GET."+streamFiles+".$O."+BucketFiles+".M.>")
		read(StreamRecords, StreamAlerts, streamStatus, streamDeliveries)
		sub = append(sub, subjectStatus) // Processor waits on status changes
	}
	return &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: pub},
		Subscribe: &server.SubjectPermission{Allow: sub},
	}
}
