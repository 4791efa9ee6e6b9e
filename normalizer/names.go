package normalizer

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/finsam/ansokan/schema"
)

// sourceFile keeps the bytes of a path that is not valid UTF-8: JSON
// can only carry text, so Name and Path show such bytes as U+FFFD and
// PathEncoded holds them all (see EncodePath).
func sourceFile(f schema.File) schema.File {
	if utf8.ValidString(f.Path) && utf8.ValidString(f.Name) {
		return f
	}
	f.PathEncoded = EncodePath(f.Path)
	f.Name = strings.ToValidUTF8(f.Name, "\uFFFD")
	f.Path = strings.ToValidUTF8(f.Path, "\uFFFD")
	return f
}

// EncodePath writes every byte of s that is not part of valid UTF-8,
// and '%', as %XX; valid text stays as it is. DecodePath reverses it.
func EncodePath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1, r == '%':
			fmt.Fprintf(&b, "%%%02X", s[i])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// DecodePath returns the bytes EncodePath encoded.
func DecodePath(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		var c byte
		if i+2 >= len(s) {
			return "", fmt.Errorf("decode path %q: %% at the end", s)
		}
		if _, err := fmt.Sscanf(s[i+1:i+3], "%02X", &c); err != nil {
			return "", fmt.Errorf("decode path %q: %w", s, err)
		}
		b.WriteByte(c)
		i += 2
	}
	return b.String(), nil
}
