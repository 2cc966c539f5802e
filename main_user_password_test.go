package main

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

// `agora user add` applies the same password rules as the web pages, with a
// message that says which one.
func TestUserAddRefusesWeakPasswords(t *testing.T) {
	db := filepath.Join(t.TempDir(), "agora.db")
	for pw, want := range map[string]string{
		"password1234": "commonly used",
		"short":        "at least 10 characters",
	} {
		var out bytes.Buffer
		err := run([]string{"user", "add", "--email", "admin@example.org", "--name", "Admin", "--password", pw, "--db", db}, &out, slog.New(slog.DiscardHandler))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("user add with %q: %v, want an error saying %q", pw, err, want)
		}
	}
	var out bytes.Buffer
	if err := run([]string{"user", "add", "--email", "admin@example.org", "--name", "Admin", "--password", "violet-otter-under-bridges", "--db", db}, &out, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("user add with a good password: %v", err)
	}
}
