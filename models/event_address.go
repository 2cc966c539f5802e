package models

import (
	"strings"

	"golang.org/x/text/language"
)

// CountryCode returns s as an ISO 3166-1 alpha-2 country code in upper case
// ("es" → "ES"), or false when s is not one. "" is a valid "not given".
func CountryCode(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", true
	}
	if len(s) != 2 {
		return "", false
	}
	r, err := language.ParseRegion(s)
	if err != nil || !r.IsCountry() {
		return "", false
	}
	return r.Canonicalize().String(), true // "UK", reserved for it, is "GB"
}

// Place is the event's venue and address on one line, as people read it:
// "Venue, Street, 46000 Town" (the parts given; the country is left out).
func (e Event) Place() string {
	town := strings.TrimSpace(e.PostalCode + " " + e.Locality)
	var parts []string
	for _, p := range []string{e.Venue, e.Address, town} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
