package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters. They are written into every
// hash (PHC string format), so raising them later leaves the existing
// hashes verifiable; a hash is made anew with the current ones when its
// password is set.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams are the parameters of new hashes: 64 MiB, 3 passes, 2
// lanes (RFC 9106's second recommended option, with more passes), a
// 16-byte salt and a 32-byte key.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// Limits on what a stored hash may ask for, so a damaged or hostile
// users file cannot make a sign-in take gigabytes or minutes.
const (
	maxMemory = 1 << 20 // KiB: 1 GiB
	maxTime   = 64
	maxKeyLen = 128
	maxSalt   = 64
	// A key or salt shorter than ansokan makes is a truncated hash.
	minKeyLen = 32
	minSalt   = 16
)

var b64 = base64.RawStdEncoding

// ErrHashFormat is a stored hash that is not an argon2id PHC string ansokan can verify.
var ErrHashFormat = errors.New("not an argon2id hash")

// hashPassword returns the PHC string of password under p with a fresh
// random salt: $argon2id$v=19$m=65536,t=3,p=2$SALT$KEY.
func hashPassword(password string, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// phc is a parsed argon2id hash.
type phc struct {
	p         Params
	salt, key []byte
}

// parseHash reads a PHC string of argon2id, version 19. Anything else
// (bcrypt's $2b$, argon2i, a truncated string) is refused with an error
// saying what is wrong.
func parseHash(s string) (phc, error) {
	var h phc
	parts := strings.Split(s, "$")
	if len(parts) < 2 || parts[0] != "" {
		return h, fmt.Errorf("%w: want a PHC string starting $argon2id$", ErrHashFormat)
	}
	if parts[1] != "argon2id" {
		return h, fmt.Errorf("%w: algorithm %q is not supported (want argon2id; set the password again with 'ansokan user passwd')", ErrHashFormat, parts[1])
	}
	if len(parts) != 6 {
		return h, fmt.Errorf("%w: want 5 fields ($argon2id$v=19$m=,t=,p=$salt$hash), got %d", ErrHashFormat, len(parts)-1)
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return h, fmt.Errorf("%w: version %q is not supported (want v=%d)", ErrHashFormat, parts[2], argon2.Version)
	}
	var seen [3]bool
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil {
			return h, fmt.Errorf("%w: parameter %q is not NAME=NUMBER", ErrHashFormat, kv)
		}
		switch k {
		case "m":
			h.p.Memory, seen[0] = uint32(n), true
		case "t":
			h.p.Time, seen[1] = uint32(n), true
		case "p":
			if n > 255 {
				return h, fmt.Errorf("%w: p=%d is over 255", ErrHashFormat, n)
			}
			h.p.Threads, seen[2] = uint8(n), true
		default:
			return h, fmt.Errorf("%w: unknown parameter %q", ErrHashFormat, k)
		}
	}
	switch {
	case seen != [3]bool{true, true, true}:
		return h, fmt.Errorf("%w: want the parameters m, t and p, got %q", ErrHashFormat, parts[3])
	case h.p.Time < 1 || h.p.Time > maxTime:
		return h, fmt.Errorf("%w: t=%d is out of range (1 to %d)", ErrHashFormat, h.p.Time, maxTime)
	case h.p.Threads < 1:
		return h, fmt.Errorf("%w: p must be at least 1", ErrHashFormat)
	case h.p.Memory < 8*uint32(h.p.Threads) || h.p.Memory > maxMemory:
		return h, fmt.Errorf("%w: m=%d KiB is out of range (8×p to %d)", ErrHashFormat, h.p.Memory, maxMemory)
	}
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < minSalt || len(h.salt) > maxSalt {
		return h, fmt.Errorf("%w: the salt is not %d to %d bytes of unpadded base64", ErrHashFormat, minSalt, maxSalt)
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < minKeyLen || len(h.key) > maxKeyLen {
		return h, fmt.Errorf("%w: the hash is not %d to %d bytes of unpadded base64 (truncated?)", ErrHashFormat, minKeyLen, maxKeyLen)
	}
	h.p.SaltLen, h.p.KeyLen = uint32(len(h.salt)), uint32(len(h.key))
	return h, nil
}

// matches reports whether password hashes to h's key, comparing in
// constant time.
func (h phc) matches(password string) bool {
	key := argon2.IDKey([]byte(password), h.salt, h.p.Time, h.p.Memory, h.p.Threads, h.p.KeyLen)
	return subtle.ConstantTimeCompare(key, h.key) == 1
}
