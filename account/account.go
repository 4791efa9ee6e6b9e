// Package account keeps the officers' accounts of the web inbox in a
// JSON file: names and argon2id password hashes (PHC strings), never the
// passwords. The file is written atomically (a temporary file renamed
// over it, mode 0600) under an exclusive lock, so that two 'ansokan user
// add' at once both land; a Store re-reads it when it changed on disk,
// so accounts added while 'ansokan serve' runs count at once.
package account

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// FileName is the users file in a serve's store folder.
const FileName = "users.json"

// Limits of a name and a password.
const (
	MaxNameLen        = 64   // bytes
	MinPasswordLen    = 12   // characters
	MaxPasswordLen    = 1024 // bytes
	fileFormatVersion = 1
)

// ErrBadCredentials is every failed sign-in: an unknown name and a wrong
// password are not told apart.
var ErrBadCredentials = errors.New("wrong name or password")

// ErrNoUser is a name that has no account (Remove, SetPassword).
var ErrNoUser = errors.New("no such user")

// User is an account as listed: never its hash.
type User struct {
	Name        string    `json:"name"`
	Created     time.Time `json:"created"`
	LastChanged time.Time `json:"last_changed"` // the password's last change
}

// entry is an account in the file.
type entry struct {
	User
	Hash string `json:"hash"`
}

// file is the users file's JSON.
type file struct {
	Version int     `json:"version"`
	Users   []entry `json:"users"`
}

// Store is the users file at one path. Its methods are safe for
// concurrent use, and for use beside other processes writing the file.
type Store struct {
	path   string
	params Params
	now    func() time.Time

	mu    sync.Mutex
	users map[string]entry
	seen  os.FileInfo // the file as last read; nil when missing

	dummyOnce sync.Once
	dummy     phc
}

// Open returns the store of the users file at path. A missing file is a
// store without users; it is made by the first Add.
func Open(path string) (*Store, error) {
	s := &Store{path: path, params: DefaultParams, now: time.Now}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(); err != nil {
		return nil, err
	}
	return s, nil
}

// Path is the users file.
func (s *Store) Path() string { return s.path }

// refresh re-reads the file when it is not the one last read (another
// inode, size or modification time). s.mu is held.
func (s *Store) refresh() error {
	fi, err := os.Stat(s.path)
	if errors.Is(err, os.ErrNotExist) {
		s.users, s.seen = map[string]entry{}, nil
		return nil
	}
	if err != nil {
		return fmt.Errorf("users file %s: %w", s.path, err)
	}
	if s.seen != nil && os.SameFile(fi, s.seen) && fi.ModTime().Equal(s.seen.ModTime()) && fi.Size() == s.seen.Size() {
		return nil
	}
	users, err := readFile(s.path)
	if err != nil {
		return err
	}
	s.users, s.seen = users, fi
	return nil
}

// readFile parses the users file; a missing one has no users. Every
// hash is checked here, so a damaged entry is said when the file is read
// and not taken for a wrong password.
func readFile(path string) (map[string]entry, error) {
	users := map[string]entry{}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return users, nil
	}
	if err != nil {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	if f.Version != fileFormatVersion {
		return nil, fmt.Errorf("users file %s: format version %d is not supported (want %d)", path, f.Version, fileFormatVersion)
	}
	for _, e := range f.Users {
		if err := checkName(e.Name); err != nil {
			return nil, fmt.Errorf("users file %s: %w", path, err)
		}
		if _, dup := users[e.Name]; dup {
			return nil, fmt.Errorf("users file %s: user %q is listed twice", path, e.Name)
		}
		if _, err := parseHash(e.Hash); err != nil {
			return nil, fmt.Errorf("users file %s: user %q: %w", path, e.Name, err)
		}
		users[e.Name] = e
	}
	return users, nil
}

// update runs change on the users as they are on disk, under the file's
// lock, and writes the result atomically.
func (s *Store) update(change func(users map[string]entry) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	unlock, err := lockFile(s.path + ".lock")
	if err != nil {
		return fmt.Errorf("users file %s: lock: %w", s.path, err)
	}
	defer unlock()
	users, err := readFile(s.path)
	if err != nil {
		return err
	}
	if err := change(users); err != nil {
		return err
	}
	if err := writeFile(s.path, users); err != nil {
		return err
	}
	s.seen = nil // read it back on the next call, with its new stat
	return s.refresh()
}

// writeFile writes users to a temporary file beside path (mode 0600),
// syncs it and renames it over path.
func writeFile(path string, users map[string]entry) error {
	f := file{Version: fileFormatVersion, Users: make([]entry, 0, len(users))}
	for _, e := range users {
		f.Users = append(f.Users, e)
	}
	slices.SortFunc(f.Users, func(a, b entry) int { return strings.Compare(a.Name, b.Name) })
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp") // mode 0600
	if err != nil {
		return fmt.Errorf("users file %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, nothing is there
	if err := tmp.Chmod(0o600); err == nil {
		if _, err = tmp.Write(append(b, '\n')); err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("users file %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil { // the rename itself, on disk
		d.Sync()
		d.Close()
	}
	return nil
}

// checkName accepts 1 to MaxNameLen bytes of printable UTF-8 with no
// white space.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("the user name is empty")
	case len(name) > MaxNameLen:
		return fmt.Errorf("the user name is %d bytes long; at most %d", len(name), MaxNameLen)
	case !utf8.ValidString(name):
		return errors.New("the user name is not UTF-8")
	}
	for _, r := range name {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return fmt.Errorf("the user name %q holds white space or a control character", name)
		}
	}
	return nil
}

// checkPassword accepts MinPasswordLen characters or more, up to
// MaxPasswordLen bytes.
func checkPassword(password string) error {
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLen:
		return fmt.Errorf("the password is %d characters long; it must have at least %d", n, MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return fmt.Errorf("the password is %d bytes long; at most %d", len(password), MaxPasswordLen)
	}
	return nil
}

// Add makes an account. It refuses a name taken already (also in
// another case: "Anna" beside "anna" would be two officers to the
// machine and one to people), a name that is empty, too long or holds
// white space, and a password under MinPasswordLen characters.
func (s *Store) Add(name, password string) error {
	if err := checkName(name); err != nil {
		return fmt.Errorf("add user: %w", err)
	}
	if err := checkPassword(password); err != nil {
		return fmt.Errorf("add user %q: %w", name, err)
	}
	hash, err := hashPassword(password, s.params)
	if err != nil {
		return fmt.Errorf("add user %q: %w", name, err)
	}
	return s.update(func(users map[string]entry) error {
		for n := range users {
			if strings.EqualFold(n, name) {
				return fmt.Errorf("add user %q: user %q exists already", name, n)
			}
		}
		now := s.now().UTC()
		users[name] = entry{User: User{Name: name, Created: now, LastChanged: now}, Hash: hash}
		return nil
	})
}

// Remove deletes an account; ErrNoUser when there is none.
func (s *Store) Remove(name string) error {
	return s.update(func(users map[string]entry) error {
		if _, ok := users[name]; !ok {
			return fmt.Errorf("remove user %q: %w", name, ErrNoUser)
		}
		delete(users, name)
		return nil
	})
}

// SetPassword replaces an account's password (hashed with the current
// parameters); ErrNoUser when there is none.
func (s *Store) SetPassword(name, password string) error {
	if err := checkPassword(password); err != nil {
		return fmt.Errorf("set password of %q: %w", name, err)
	}
	hash, err := hashPassword(password, s.params)
	if err != nil {
		return fmt.Errorf("set password of %q: %w", name, err)
	}
	return s.update(func(users map[string]entry) error {
		e, ok := users[name]
		if !ok {
			return fmt.Errorf("set password of %q: %w", name, ErrNoUser)
		}
		e.Hash, e.LastChanged = hash, s.now().UTC()
		users[name] = e
		return nil
	})
}

// List returns the accounts by name.
func (s *Store) List() ([]User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(); err != nil {
		return nil, err
	}
	out := make([]User, 0, len(s.users))
	for _, e := range s.users {
		out = append(out, e.User)
	}
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Verify returns nil when password is name's, and ErrBadCredentials
// otherwise. Names are compared exactly ("Anna" is not "anna"). An
// unknown name costs one hash too (a dummy one with the current
// parameters), so the time taken does not tell which names exist. Any
// other error is the users file's (unreadable, damaged).
func (s *Store) Verify(name, password string) error {
	s.mu.Lock()
	err := s.refresh()
	e, ok := s.users[name]
	s.mu.Unlock()
	if err != nil {
		return err
	}
	var h phc
	if ok {
		if h, err = parseHash(e.Hash); err != nil { // checked when read; kept for safety
			ok = false
		}
	}
	if !ok {
		h = s.dummyHash()
	}
	if !h.matches(password) || !ok {
		return ErrBadCredentials
	}
	return nil
}

// dummyHash is a hash of a random password with the current parameters,
// made once.
func (s *Store) dummyHash() phc {
	s.dummyOnce.Do(func() {
		enc, err := hashPassword(strings.Repeat("x", MinPasswordLen), s.params)
		if err == nil {
			s.dummy, err = parseHash(enc)
		}
		if err != nil {
			// No randomness: a fixed salt still costs the same time.
			s.dummy = phc{p: s.params, salt: make([]byte, s.params.SaltLen), key: make([]byte, s.params.KeyLen)}
		}
	})
	return s.dummy
}
