package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/finsam/ansokan/account"
)

type userOptions struct {
	Users         string // the users file; default STORE/users.json
	Store         string
	PasswordStdin bool
}

// path is the users file the flags name.
func (o userOptions) path() string {
	if o.Users != "" {
		return o.Users
	}
	store := o.Store
	if store == "" {
		store = defaultStore()
	}
	return filepath.Join(store, account.FileName)
}

// nextStep is what to do once an account exists.
const nextStep = "start 'ansokan serve' and sign in at http://127.0.0.1:8080"

func newUserCmd(ios *streams) *cobra.Command {
	var opts userOptions
	cmd := &cobra.Command{
		Use:   "user COMMAND",
		Short: "Manage the officers' accounts of the web inbox",
		Long: `Adds, removes and lists the accounts officers sign in to the web inbox with,
and sets their passwords. The accounts are kept in --users (default:
STORE/users.json, STORE being --store, else $` + envStore + `, else ` + fallbackStore + `),
mode 0600, with argon2id hashes of the passwords. The web inbox of a running
'ansokan serve' sees a change at once.

The password is asked on the terminal, twice, without echo; or read from the
first line of standard input with --password-stdin. It needs at least 12
characters.`,
		Args: noArgs,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&opts.Users, "users", "", "the users `FILE` (default: STORE/users.json)")
	pf.StringVar(&opts.Store, "store", "", "store `DIR` of 'ansokan serve', whose users.json to use (default: $"+envStore+", else "+fallbackStore+")")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return usagef(cmd, "name what to do: add, remove, list or passwd")
	}
	open := func() (*account.Store, error) {
		path := opts.path()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		return account.Open(path)
	}
	fail := func(what string, err error) error {
		fmt.Fprintf(ios.Err, "ansokan user %s: %v\n", what, err)
		return exit(exitFailed)
	}
	add := &cobra.Command{
		Use:   "add [flags] NAME",
		Short: "Add an officer's account",
		Args:  oneName,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := open()
			if err != nil {
				return fail("add", err)
			}
			pw, err := readNewPassword(ios, opts.PasswordStdin, args[0])
			if err != nil {
				return fail("add", err)
			}
			if err := s.Add(args[0], pw); err != nil {
				return fail("add", err)
			}
			fmt.Fprintf(ios.Err, "ansokan: user %q added to %s\nnext: %s\n", args[0], s.Path(), nextStep)
			return nil
		},
	}
	passwd := &cobra.Command{
		Use:   "passwd [flags] NAME",
		Short: "Set an officer's password",
		Args:  oneName,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := open()
			if err != nil {
				return fail("passwd", err)
			}
			if _, err := lookupUser(s, args[0]); err != nil { // before asking for a password
				return fail("passwd", err)
			}
			pw, err := readNewPassword(ios, opts.PasswordStdin, args[0])
			if err != nil {
				return fail("passwd", err)
			}
			if err := s.SetPassword(args[0], pw); err != nil {
				return fail("passwd", err)
			}
			fmt.Fprintf(ios.Err, "ansokan: password of %q set\n", args[0])
			return nil
		},
	}
	for _, c := range []*cobra.Command{add, passwd} {
		c.Flags().BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from the first line of standard input instead of the terminal")
	}
	remove := &cobra.Command{
		Use:   "remove [flags] NAME",
		Short: "Remove an officer's account",
		Args:  oneName,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := open()
			if err != nil {
				return fail("remove", err)
			}
			if err := s.Remove(args[0]); err != nil {
				return fail("remove", err)
			}
			fmt.Fprintf(ios.Err, "ansokan: user %q removed\n", args[0])
			return nil
		},
	}
	list := &cobra.Command{
		Use:   "list [flags]",
		Short: "List the accounts as JSON Lines (name, created, last_changed)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := open()
			if err != nil {
				return fail("list", err)
			}
			users, err := s.List()
			if err != nil {
				return fail("list", err)
			}
			enc := json.NewEncoder(ios.Out)
			enc.SetEscapeHTML(false)
			for _, u := range users {
				if err := enc.Encode(u); err != nil {
					return fail("list", err)
				}
			}
			if len(users) == 0 {
				fmt.Fprintf(ios.Err, "ansokan: no users in %s; add one with 'ansokan user add NAME'\n", s.Path())
			}
			return nil
		},
	}
	cmd.AddCommand(add, remove, list, passwd)
	return cmd
}

// oneName wants exactly the user's name.
func oneName(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usagef(cmd, "want one user NAME, got %d arguments", len(args))
	}
	return nil
}

// lookupUser says whether name has an account.
func lookupUser(s *account.Store, name string) (account.User, error) {
	users, err := s.List()
	if err != nil {
		return account.User{}, err
	}
	for _, u := range users {
		if u.Name == name {
			return u, nil
		}
	}
	return account.User{}, fmt.Errorf("%q: %w", name, account.ErrNoUser)
}

// readNewPassword reads a password: the first line of standard input
// with --password-stdin, else asked twice on the terminal without echo.
func readNewPassword(ios *streams, fromStdin bool, name string) (string, error) {
	if fromStdin {
		line, err := bufio.NewReaderSize(io.LimitReader(ios.In, account.MaxPasswordLen+2), account.MaxPasswordLen+2).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading the password from standard input: %w", err)
		}
		pw := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if pw == "" {
			return "", errors.New("no password on standard input")
		}
		return pw, nil
	}
	f, ok := ios.In.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New("standard input is not a terminal: pipe the password in with --password-stdin")
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(ios.Err, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(ios.Err)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		return string(b), nil
	}
	pw, err := ask(fmt.Sprintf("Password for %s (at least %d characters): ", name, account.MinPasswordLen))
	if err != nil {
		return "", err
	}
	again, err := ask("The same again: ")
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", errors.New("the two passwords differ; nothing changed")
	}
	return pw, nil
}
