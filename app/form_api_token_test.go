package app

import (
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

func TestAPITokenFormValidate(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Madrid")
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	in, errs := apiTokenForm{Name: " CRM ", Scopes: []string{models.ScopeEventsRead}, Expires: "2026-03-31"}.Validate(7, now, loc)
	if errs.Any() || in.OrganizationID != 7 || in.ExpiresAt == nil {
		t.Fatalf("good form: %v %+v", errs, in)
	}
	// The chosen day is the last one the token works: it ends at midnight in loc.
	if want := time.Date(2026, 4, 1, 0, 0, 0, 0, loc); !in.ExpiresAt.Equal(want) {
		t.Fatalf("expires %v, want %v", in.ExpiresAt, want)
	}
	if _, errs := (apiTokenForm{Name: "Today", Scopes: []string{models.ScopeCheckin}, Expires: "2026-03-10"}).Validate(7, now, loc); errs.Any() {
		t.Fatalf("today is a valid last day: %v", errs)
	}
	for _, c := range []struct {
		f     apiTokenForm
		field string
		id    string
	}{
		{apiTokenForm{Scopes: []string{models.ScopeEventsRead}}, "name", "form.required"},
		{apiTokenForm{Name: string(make([]rune, 101)), Scopes: []string{models.ScopeEventsRead}}, "name", "apitokens.error.name_long"},
		{apiTokenForm{Name: "x"}, "scopes", "apitokens.error.scopes_required"},
		{apiTokenForm{Name: "x", Scopes: []string{"admin"}}, "scopes", "apitokens.error.scopes_unknown"},
		{apiTokenForm{Name: "x", Scopes: []string{models.ScopeEventsRead}, Expires: "2026-03-09"}, "expires", "apitokens.error.expires_past"},
		{apiTokenForm{Name: "x", Scopes: []string{models.ScopeEventsRead}, Expires: "2035-01-01"}, "expires", "apitokens.error.expires_far"},
		{apiTokenForm{Name: "x", Scopes: []string{models.ScopeEventsRead}, Expires: "10/03/2026"}, "expires", "apitokens.error.expires_invalid"},
	} {
		_, errs := c.f.Validate(7, now, loc)
		if errs[c.field].ID != c.id {
			t.Errorf("%+v: %s = %q, want %q", c.f, c.field, errs[c.field].ID, c.id)
		}
	}
}
