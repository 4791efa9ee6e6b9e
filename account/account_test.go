package account

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fastParams keep the tests quick; TestDefaultParams checks the real ones.
var fastParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func openFast(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.params = fastParams
	return s
}

const goodPassword = "korrekt häst batteri"

func TestVerify(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s := openFast(t, path)
	if err := s.Add("anna", goodPassword); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("Bertil.Berg@forbund.se", "ett annat långt lösenord"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, user, password string
		ok                   bool
	}{
		{"right", "anna", goodPassword, true},
		{"right, other user", "Bertil.Berg@forbund.se", "ett annat långt lösenord", true},
		{"wrong password", "anna", goodPassword + "!", false},
		{"empty password", "anna", "", false},
		{"password of another user", "anna", "ett annat långt lösenord", false},
		{"prefix of the password", "anna", goodPassword[:12], false},
		{"wrong case of the password", "anna", strings.ToUpper(goodPassword), false},
		{"wrong case of the name", "Anna", goodPassword, false},
		{"name with a space", "anna ", goodPassword, false},
		{"unknown user", "cecilia", goodPassword, false},
		{"empty name", "", goodPassword, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Verify(tc.user, tc.password)
			switch {
			case tc.ok && err != nil:
				t.Errorf("Verify(%q): %v", tc.user, err)
			case !tc.ok && err != ErrBadCredentials:
				t.Errorf("Verify(%q) = %v, want exactly ErrBadCredentials", tc.user, err)
			}
		})
	}
}

func TestAddRefuses(t *testing.T) {
	s := openFast(t, filepath.Join(t.TempDir(), FileName))
	if err := s.Add("anna", goodPassword); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, user, password, want string
	}{
		{"duplicate", "anna", goodPassword, "exists already"},
		{"duplicate in another case", "ANNA", goodPassword, "exists already"},
		{"empty name", "", goodPassword, "empty"},
		{"over-long name", strings.Repeat("a", MaxNameLen+1), goodPassword, "at most 64"},
		{"name with a space", "anna b", goodPassword, "white space"},
		{"name with a control character", "anna\x1b[2J", goodPassword, "control character"},
		{"short password", "bertil", "elva tecken", "at least 12"},
		{"short password in characters, long in bytes", "bertil", "åäöåäöåäöåä", "at least 12"},
		{"over-long password", "bertil", strings.Repeat("x", MaxPasswordLen+1), "at most 1024"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Add(tc.user, tc.password)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Add(%q) = %v, want an error saying %q", tc.user, err, tc.want)
			}
		})
	}
	users, err := s.List()
	if err != nil || len(users) != 1 {
		t.Errorf("after refused adds: %v, %v; want anna alone", users, err)
	}
}

func TestParseHash(t *testing.T) {
	good, err := hashPassword(goodPassword, fastParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseHash(good); err != nil {
		t.Fatalf("own hash %s: %v", good, err)
	}
	for _, tc := range []struct {
		name, hash, want string
	}{
		{"truncated hash", good[:len(good)-20], "32 to 128 bytes"},
		{"truncated after the salt", good[:strings.LastIndex(good, "$")], "want 5 fields"},
		{"bcrypt", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", `algorithm "2b" is not supported`},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1), `algorithm "argon2i" is not supported`},
		{"scrypt", "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E", `algorithm "scrypt"`},
		{"plain text", goodPassword, "starting $argon2id$"},
		{"empty", "", "starting $argon2id$"},
		{"other version", strings.Replace(good, "v=19", "v=16", 1), "version"},
		{"missing parameter", strings.Replace(good, ",p=1", "", 1), "want the parameters"},
		{"memory beyond the cap", strings.Replace(good, "m=64,", "m=4194304,", 1), "out of range"},
		{"no passes", strings.Replace(good, "t=1", "t=0", 1), "out of range"},
		{"padded base64", good + "==", "base64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseHash(tc.hash)
			if !errors.Is(err, ErrHashFormat) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseHash(%q) = %v, want ErrHashFormat saying %q", tc.hash, err, tc.want)
			}
		})
	}
}

// A users file holding a hash ansokan cannot verify is refused when read,
// naming the user, not taken for a wrong password.
func TestForeignHashInFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	body := `{"version":1,"users":[{"name":"anna","created":"2026-01-01T00:00:00Z","last_changed":"2026-01-01T00:00:00Z",
	"hash":"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"}]}`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), `user "anna"`) || !strings.Contains(err.Error(), "not supported") {
		t.Fatalf("Open of a file with a bcrypt hash: %v", err)
	}
}

func TestFileModeAndContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	s := openFast(t, path)
	if users, err := s.List(); err != nil || len(users) != 0 {
		t.Fatalf("missing file: %v, %v; want no users", users, err)
	}
	if err := s.Add("anna", goodPassword); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), goodPassword) || !strings.Contains(string(b), `"hash": "$argon2id$v=19$m=64,t=1,p=1$`) {
		t.Errorf("file:\n%s", b)
	}
	// No temporary file is left beside it.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != FileName && e.Name() != FileName+".lock" {
			t.Errorf("left in the folder: %s", e.Name())
		}
	}
}

func TestDefaultParams(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), FileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add("anna", goodPassword); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(s.Path())
	if !strings.Contains(string(b), "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("file:\n%s", b)
	}
	start := time.Now()
	if err := s.Verify("anna", goodPassword); err != nil {
		t.Fatal(err)
	}
	t.Logf("one verification with the default parameters: %v", time.Since(start))
}

// Raising the parameters leaves the hashes made before verifiable: each
// hash carries its own.
func TestRaisedParams(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s := openFast(t, path)
	if err := s.Add("anna", goodPassword); err != nil {
		t.Fatal(err)
	}
	s2 := openFast(t, path)
	s2.params = Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
	if err := s2.Verify("anna", goodPassword); err != nil {
		t.Errorf("old hash under new parameters: %v", err)
	}
	if err := s2.SetPassword("anna", "ett helt nytt lösenord"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "m=128,t=2,p=1") {
		t.Errorf("the new hash has not the new parameters:\n%s", b)
	}
}

func TestRemoveAndSetPassword(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s := openFast(t, path)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s.now = func() time.Time { return now }
	if err := s.Add("anna", goodPassword); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if err := s.SetPassword("anna", "ett helt nytt lösenord"); err != nil {
		t.Fatal(err)
	}
	if err := s.Verify("anna", goodPassword); err != ErrBadCredentials {
		t.Errorf("old password after SetPassword: %v", err)
	}
	if err := s.Verify("anna", "ett helt nytt lösenord"); err != nil {
		t.Errorf("new password: %v", err)
	}
	users, _ := s.List()
	if len(users) != 1 || !users[0].Created.Equal(now.Add(-time.Hour)) || !users[0].LastChanged.Equal(now) {
		t.Errorf("List: %+v", users)
	}
	if err := s.SetPassword("anna", "kort"); err == nil {
		t.Error("SetPassword took a short password")
	}
	if err := s.SetPassword("bertil", goodPassword); !errors.Is(err, ErrNoUser) {
		t.Errorf("SetPassword of an unknown user: %v", err)
	}
	if err := s.Remove("bertil"); !errors.Is(err, ErrNoUser) {
		t.Errorf("Remove of an unknown user: %v", err)
	}
	if err := s.Remove("anna"); err != nil {
		t.Fatal(err)
	}
	if err := s.Verify("anna", "ett helt nytt lösenord"); err != ErrBadCredentials {
		t.Errorf("removed user signs in: %v", err)
	}
}

// A store sees what another one (another process: 'ansokan user add'
// while serve runs) wrote, without being opened again.
func TestSeesChangesOnDisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	serve := openFast(t, path)
	if err := serve.Verify("anna", goodPassword); err != ErrBadCredentials {
		t.Fatalf("before add: %v", err)
	}
	cli := openFast(t, path)
	if err := cli.Add("anna", goodPassword); err != nil {
		t.Fatal(err)
	}
	if err := serve.Verify("anna", goodPassword); err != nil {
		t.Errorf("after another store's add: %v", err)
	}
	if err := cli.Remove("anna"); err != nil {
		t.Fatal(err)
	}
	if err := serve.Verify("anna", goodPassword); err != ErrBadCredentials {
		t.Errorf("after another store's remove: %v", err)
	}
}

// Adds from many stores at once (each its own open file, as two
// processes have) all land: none overwrites another's.
func TestConcurrentAdds(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		s := openFast(t, path)
		wg.Go(func() { errs <- s.Add(fmt.Sprintf("user%02d", i), goodPassword) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	users, err := openFast(t, path).List()
	if err != nil || len(users) != n {
		t.Fatalf("after %d concurrent adds: %d users (%v)", n, len(users), err)
	}
}

// An unknown user costs about what a known one does: the dummy hash has
// the same parameters. (A loose bound: the machine is shared.)
func TestUnknownUserTakesAHash(t *testing.T) {
	s := openFast(t, filepath.Join(t.TempDir(), FileName))
	s.params = Params{Memory: 8 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
	if err := s.Add("anna", goodPassword); err != nil {
		t.Fatal(err)
	}
	s.Verify("nobody", "x") // makes the dummy hash once
	measure := func(name string) time.Duration {
		best := time.Hour
		for range 5 {
			start := time.Now()
			s.Verify(name, "fel lösenord här")
			best = min(best, time.Since(start))
		}
		return best
	}
	known, unknown := measure("anna"), measure("nobody")
	t.Logf("known %v, unknown %v", known, unknown)
	if unknown < known/3 {
		t.Errorf("an unknown user takes %v, a known one %v: the dummy hash is not computed", unknown, known)
	}
}
