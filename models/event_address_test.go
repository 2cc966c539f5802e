package models

import "testing"

func TestCountryCode(t *testing.T) {
	for in, want := range map[string]string{"es": "ES", " BE ": "BE", "gr": "GR", "uk": "GB", "": ""} {
		if got, ok := CountryCode(in); !ok || got != want {
			t.Errorf("CountryCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"Spain", "QQ", "EU", "ZZ", "12", "E", "ESP"} {
		if got, ok := CountryCode(in); ok {
			t.Errorf("CountryCode(%q) = %q, accepted", in, got)
		}
	}
}

func TestPlaceJoinsTheGivenParts(t *testing.T) {
	for _, tc := range []struct {
		e    Event
		want string
	}{
		{Event{Venue: "Hall", Address: "1 Main St", PostalCode: "46000", Locality: "Vallmar", Country: "ES"}, "Hall, 1 Main St, 46000 Vallmar"},
		{Event{Venue: "Hall"}, "Hall"},
		{Event{Locality: "Vallmar"}, "Vallmar"},
		{Event{}, ""},
	} {
		if got := tc.e.Place(); got != tc.want {
			t.Errorf("Place() = %q, want %q", got, tc.want)
		}
	}
}
