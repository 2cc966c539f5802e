package app

import (
	"strings"
	"testing"
	"time"
)

func TestEventCopyFormValidate(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Madrid")
	ok := EventCopyForm{Title: "Forum 2028", Slug: "forum-2028", StartsAt: "2028-03-26T09:00"}
	if errs := ok.Validate(loc); errs.Any() {
		t.Fatalf("valid form: %v", errs)
	}
	if got := ok.Input(loc).StartsAt; got.Format(time.RFC3339) != "2028-03-26T07:00:00Z" {
		t.Fatalf("start read in the event's zone: %s", got)
	}
	for name, c := range map[string]struct {
		f     EventCopyForm
		field string
	}{
		"no title":   {EventCopyForm{Slug: "a", StartsAt: ok.StartsAt}, "title"},
		"long title": {EventCopyForm{Title: strings.Repeat("é", 201), Slug: "a", StartsAt: ok.StartsAt}, "title"},
		"no slug":    {EventCopyForm{Title: "T", StartsAt: ok.StartsAt}, "slug"},
		"bad slug":   {EventCopyForm{Title: "T", Slug: "-Bad-", StartsAt: ok.StartsAt}, "slug"},
		"long slug":  {EventCopyForm{Title: "T", Slug: strings.Repeat("a", 101), StartsAt: ok.StartsAt}, "slug"},
		"no start":   {EventCopyForm{Title: "T", Slug: "a"}, "starts_at"},
		"bad start":  {EventCopyForm{Title: "T", Slug: "a", StartsAt: "26/03/2028"}, "starts_at"},
		"old start":  {EventCopyForm{Title: "T", Slug: "a", StartsAt: "1899-01-01T09:00"}, "starts_at"},
	} {
		if errs := c.f.Validate(loc); len(errs) != 1 || errs[c.field].ID == "" {
			t.Errorf("%s: %v, want one error on %s", name, errs, c.field)
		}
	}
}
