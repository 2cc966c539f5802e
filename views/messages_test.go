package views

import (
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// A message written as one plain string ("Places left: {{.Count}}") has only
// the "other" plural form; a count of 1, which asks for "one", must still
// render it rather than fail (pages showed the message id).
func TestLocalizePlainMessageWithCountOfOne(t *testing.T) {
	b, err := LoadMessages()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		loc := i18n.NewLocalizer(b, lang, "en")
		for _, n := range []int{0, 1, 2, 21} {
			got, err := Localize(loc, "register.places_left", "Count", n)
			if err != nil || got == "register.places_left" || got == "" {
				t.Errorf("%s, Count %d: %q, %v", lang, n, got, err)
			}
		}
	}
}
