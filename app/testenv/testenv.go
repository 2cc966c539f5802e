// Package testenv finds or starts the real components that tests talk to:
// a browser, PostgreSQL, an SMTP catcher (mailpit) and a Stripe API mock
// (stripe-mock). On a developer's laptop a missing component skips the test
// with a message that says how to get it; in CI (CI=true) it fails the test,
// so a green CI run never hides a test that did not run.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// InCI reports whether the suite runs in CI, where every component must be there.
func InCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1"
}

// Missing skips the test, or fails it in CI, because a component is absent.
func Missing(t testing.TB, component, hint string) {
	t.Helper()
	msg := component + " is not available: " + hint
	if InCI() {
		t.Fatalf("%s (CI=true: every component must be installed; bash .ci/setup installs them)", msg)
	}
	t.Skipf("%s (bash .ci/test-all installs what is missing; set CI=true to make this a failure)", msg)
}

// findBinary looks for a program: an explicit path from envVar first, then
// each name on PATH, then in GOPATH/bin (where `go install` puts tools).
func findBinary(envVar string, names ...string) string {
	if envVar != "" {
		if p := os.Getenv(envVar); p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
			return ""
		}
	}
	for _, n := range names {
		if filepath.IsAbs(n) {
			if fi, err := os.Stat(n); err == nil && !fi.IsDir() {
				return n
			}
			continue
		}
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	for _, dir := range goBinDirs() {
		for _, n := range names {
			if filepath.IsAbs(n) {
				continue
			}
			p := filepath.Join(dir, n)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				return p
			}
		}
	}
	return ""
}

// goBinDirs lists where `go install` may have put a tool.
func goBinDirs() []string {
	var dirs []string
	if d := os.Getenv("GOBIN"); d != "" {
		dirs = append(dirs, d)
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	for _, p := range filepath.SplitList(gopath) {
		dirs = append(dirs, filepath.Join(p, "bin"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	return dirs
}
