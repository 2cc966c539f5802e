package app

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// safeNext returns next when it is a path on this site, else "/". A redirect
// target that comes from a request (a ?next= link, the sign-in form's hidden
// field) ends up in a Location header and in the browser's address bar, so it
// must be a plain same-site path: no control characters or whitespace (header
// injection; browsers drop tabs and line breaks, so "/\t/evil" is "//evil"), no
// backslashes (browsers read "/\evil" as "//evil"), no scheme, host or user,
// and not "//" (another host).
func safeNext(next string) string {
	if !isLocalPath(next) {
		return "/"
	}
	return next
}

// maxNextLen bounds a redirect target; no page of the site needs more.
const maxNextLen = 2000

func isLocalPath(next string) bool {
	if next == "" || len(next) > maxNextLen || !utf8.ValidString(next) || next[0] != '/' {
		return false
	}
	if strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') {
		return false
	}
	for _, r := range next {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			return false
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	// An encoded slash or backslash at the start ("/%2F/evil") is still a
	// path here, but some proxies decode it before the browser sees it.
	if p := strings.ToLower(u.EscapedPath()); strings.HasPrefix(p, "/%2f") || strings.HasPrefix(p, "/%5c") {
		return false
	}
	return true
}
