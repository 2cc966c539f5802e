package app

import "testing"

// A card shows the first letters of a person's first and last names.
func TestDirectoryCardInitials(t *testing.T) {
	for name, want := range map[string]string{
		"Maria Antonia Fernández-Castellanos": "MF",
		"élodie marchand":                     "ÉM",
		"Jan":                                 "J",
		"  ":                                  "?",
	} {
		if got := initials(name); got != want {
			t.Errorf("initials(%q) = %q, want %q", name, got, want)
		}
	}
}
