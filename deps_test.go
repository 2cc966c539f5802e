package main

import (
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// Dependencies on Agora's request paths stay at or above the releases that
// fixed their published vulnerabilities; a downgrade (or a module that pins an
// older one) fails here.
func TestDependenciesIncludeSecurityFixes(t *testing.T) {
	minimum := map[string]string{
		"github.com/valyala/fasthttp":   "v1.70.0", // double-decoded paths, request smuggling
		"golang.org/x/net":              "v0.60.0",
		"github.com/andybalholm/brotli": "v1.2.7", // only if something brings it back
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build info in the test binary")
	}
	seen := map[string]bool{}
	for _, m := range info.Deps {
		if m.Replace != nil {
			m = m.Replace
		}
		want, ok := minimum[m.Path]
		if !ok {
			continue
		}
		seen[m.Path] = true
		if olderThan(m.Version, want) {
			t.Errorf("%s %s: at least %s is needed", m.Path, m.Version, want)
		}
	}
	for _, p := range []string{"github.com/valyala/fasthttp", "golang.org/x/net"} {
		if !seen[p] {
			t.Errorf("%s is not in the build any more: update this test", p)
		}
	}
}

// olderThan compares vMAJOR.MINOR.PATCH versions (a pre-release suffix is ignored).
func olderThan(v, w string) bool {
	a, b := versionParts(v), versionParts(w)
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func versionParts(v string) [3]int {
	var out [3]int
	v = strings.TrimPrefix(v, "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	for i, p := range strings.SplitN(v, ".", 3) {
		out[i], _ = strconv.Atoi(p)
	}
	return out
}
