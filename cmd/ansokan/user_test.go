package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/finsam/ansokan/account"
)

// runCmdStdin runs ansokan with stdin as its standard input.
func runCmdStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(stdin)
	f.Seek(0, 0)
	defer f.Close()
	saved := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = saved }()
	return runCmd(t, args...)
}

func TestUserCommands(t *testing.T) {
	store := t.TempDir()
	t.Setenv(envStore, store)
	users := filepath.Join(store, account.FileName)

	code, _, stderr := runCmdStdin(t, "korrekt häst batteri\n", "user", "add", "anna", "--password-stdin")
	if code != exitOK {
		t.Fatalf("user add: exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "sign in at http://127.0.0.1:8080") {
		t.Errorf("user add does not say the next step:\n%s", stderr)
	}
	fi, err := os.Stat(users)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("users file in $%s: %v, %v", envStore, fi, err)
	}
	s, err := account.Open(users)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Verify("anna", "korrekt häst batteri"); err != nil {
		t.Errorf("the added password (the newline is not part of it): %v", err)
	}

	// Refused: a duplicate, a short password, no password, no terminal.
	for _, tc := range []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"korrekt häst batteri\n", []string{"user", "add", "anna", "--password-stdin"}, exitFailed, "exists already"},
		{"kort\n", []string{"user", "add", "bertil", "--password-stdin"}, exitFailed, "at least 12"},
		{"", []string{"user", "add", "bertil", "--password-stdin"}, exitFailed, "no password on standard input"},
		{"korrekt häst batteri\n", []string{"user", "add", "bertil"}, exitFailed, "not a terminal"},
		{"", []string{"user", "add"}, exitUsage, "want one user NAME"},
		{"", []string{"user", "remove", "bertil"}, exitFailed, "no such user"},
		{"nytt långt lösenord\n", []string{"user", "passwd", "bertil", "--password-stdin"}, exitFailed, "no such user"},
		{"", []string{"user"}, exitUsage, "add, remove, list or passwd"},
	} {
		code, _, stderr := runCmdStdin(t, tc.stdin, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, want %d and %q:\n%s", strings.Join(tc.args, " "), code, tc.code, tc.want, stderr)
		}
	}

	// passwd, then list, then remove.
	if code, _, stderr := runCmdStdin(t, "nytt långt lösenord\r\n", "user", "passwd", "anna", "--password-stdin"); code != exitOK {
		t.Fatalf("user passwd: exit %d:\n%s", code, stderr)
	}
	if err := s.Verify("anna", "nytt långt lösenord"); err != nil {
		t.Errorf("after passwd: %v", err)
	}
	code, stdout, stderr := runCmd(t, "user", "list")
	var u account.User
	if code != exitOK || json.Unmarshal([]byte(stdout), &u) != nil || u.Name != "anna" || u.Created.IsZero() {
		t.Errorf("user list: exit %d, %q:\n%s", code, stdout, stderr)
	}
	if strings.Contains(stdout, "argon2id") {
		t.Errorf("user list shows the hash: %s", stdout)
	}
	if code, _, stderr := runCmd(t, "user", "remove", "anna"); code != exitOK {
		t.Fatalf("user remove: exit %d:\n%s", code, stderr)
	}
	if code, stdout, stderr := runCmd(t, "user", "list"); code != exitOK || stdout != "" || !strings.Contains(stderr, "no users") {
		t.Errorf("user list of none: exit %d, %q:\n%s", code, stdout, stderr)
	}
}

// --users names the file; it wins over --store.
func TestUserFileFlag(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "sub", "konton.json")
	code, _, stderr := runCmdStdin(t, "korrekt häst batteri\n", "user", "add", "anna", "--password-stdin", "--users", other, "--store", filepath.Join(dir, "store"))
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("--users: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "store", account.FileName)); err == nil {
		t.Error("written to --store's users.json although --users was given")
	}
}

// Two 'ansokan user add' processes at once: both accounts land.
func TestUserAddConcurrentProcesses(t *testing.T) {
	store := t.TempDir()
	const n = 4
	var wg sync.WaitGroup
	for i := range n {
		cmd := exec.Command(os.Args[0], "user", "add", fmt.Sprintf("user%d", i), "--password-stdin", "--store", store)
		cmd.Env = append(os.Environ(), envAsMain+"=1")
		cmd.Stdin = strings.NewReader("korrekt häst batteri\n")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		wg.Go(func() {
			if err := cmd.Run(); err != nil {
				t.Errorf("process %d: %v:\n%s", i, err, out.String())
			}
		})
	}
	wg.Wait()
	s, err := account.Open(filepath.Join(store, account.FileName))
	if err != nil {
		t.Fatal(err)
	}
	users, err := s.List()
	if err != nil || len(users) != n {
		t.Errorf("after %d concurrent processes: %v (%v)", n, users, err)
	}
}
