package models

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Slugify makes a URL-safe slug: lowercase ASCII letters, digits and hyphens,
// accents dropped ("Ágora Salud" → "agora-salud").
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 80 {
		out = strings.Trim(out[:80], "-")
	}
	return out
}

// ValidSlug reports whether s is a non-empty slug as Slugify would make it.
func ValidSlug(s string) bool {
	return s != "" && len(s) <= 100 && Slugify(s) == s
}
