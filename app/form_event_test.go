package app

import (
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

func goodEventForm() EventForm {
	return EventForm{Title: "Health Forum", Slug: "health-forum", Kind: models.KindForum, TimeZone: "Europe/Madrid",
		StartsAt: "2030-05-14T09:00", EndsAt: "2030-05-15T18:00", Capacity: "200", OnlineURL: "https://example.org/live",
		RegistrationOpensAt: "2030-04-01T09:00", RegistrationClosesAt: "2030-05-13T23:59"}
}

func TestEventFormValidate(t *testing.T) {
	if errs := goodEventForm().Validate(); errs.Any() {
		t.Fatalf("good form has errors: %v", errs)
	}
	cases := []struct {
		name  string
		edit  func(f *EventForm)
		field string
		msg   string
	}{
		{"empty title", func(f *EventForm) { f.Title = "  " }, "title", "form.required"},
		{"long title", func(f *EventForm) { f.Title = strings.Repeat("á", 201) }, "title", "form.too_long"},
		{"long summary", func(f *EventForm) { f.Summary = strings.Repeat("x", 501) }, "summary", "form.too_long"},
		{"long description", func(f *EventForm) { f.Description = strings.Repeat("x", 20001) }, "description", "form.too_long"},
		{"long venue", func(f *EventForm) { f.Venue = strings.Repeat("x", 201) }, "venue", "form.too_long"},
		{"long address", func(f *EventForm) { f.Address = strings.Repeat("x", 501) }, "address", "form.too_long"},
		{"long town", func(f *EventForm) { f.Locality = strings.Repeat("x", 101) }, "locality", "form.too_long"},
		{"long postal code", func(f *EventForm) { f.PostalCode = strings.Repeat("9", 21) }, "postal_code", "form.too_long"},
		{"country name", func(f *EventForm) { f.Country = "Spain" }, "country", "event.country_invalid"},
		{"unknown country code", func(f *EventForm) { f.Country = "QQ" }, "country", "event.country_invalid"},
		{"region, not a country", func(f *EventForm) { f.Country = "EU" }, "country", "event.country_invalid"},
		{"digits as country", func(f *EventForm) { f.Country = "12" }, "country", "event.country_invalid"},
		{"malformed slug", func(f *EventForm) { f.Slug = "Bad Slug!" }, "slug", "event.slug_invalid"},
		{"double hyphen slug", func(f *EventForm) { f.Slug = "a--b" }, "slug", "event.slug_invalid"},
		{"long slug", func(f *EventForm) { f.Slug = strings.Repeat("a", 101) }, "slug", "form.too_long"},
		{"empty slug", func(f *EventForm) { f.Slug = "" }, "slug", "form.required"},
		{"unknown kind", func(f *EventForm) { f.Kind = "party" }, "kind", "form.choose"},
		{"bad start", func(f *EventForm) { f.StartsAt = "14/05/2030" }, "starts_at", "form.bad_datetime"},
		{"missing end", func(f *EventForm) { f.EndsAt = "" }, "ends_at", "form.required"},
		{"impossible date", func(f *EventForm) { f.EndsAt = "2030-02-30T10:00" }, "ends_at", "form.bad_datetime"},
		{"end before start", func(f *EventForm) { f.EndsAt = "2030-05-13T09:00" }, "ends_at", "form.end_before_start"},
		{"end equals start", func(f *EventForm) { f.EndsAt = f.StartsAt }, "ends_at", "form.end_before_start"},
		{"unknown zone", func(f *EventForm) { f.TimeZone = "Mars/Olympus" }, "time_zone", "event.tz_unknown"},
		{"path zone", func(f *EventForm) { f.TimeZone = "../../etc/passwd" }, "time_zone", "event.tz_unknown"},
		{"local zone", func(f *EventForm) { f.TimeZone = "Local" }, "time_zone", "event.tz_unknown"},
		{"empty zone", func(f *EventForm) { f.TimeZone = "" }, "time_zone", "form.required"},
		{"javascript url", func(f *EventForm) { f.OnlineURL = "javascript:alert(1)" }, "online_url", "form.bad_url"},
		{"ftp url", func(f *EventForm) { f.OnlineURL = "ftp://example.org/x" }, "online_url", "form.bad_url"},
		{"relative url", func(f *EventForm) { f.OnlineURL = "example.org" }, "online_url", "form.bad_url"},
		{"negative capacity", func(f *EventForm) { f.Capacity = "-1" }, "capacity", "form.negative"},
		{"text capacity", func(f *EventForm) { f.Capacity = "many" }, "capacity", "form.not_a_number"},
		{"huge capacity", func(f *EventForm) { f.Capacity = "99999999999999999999" }, "capacity", "form.not_a_number"},
		{"registration closes before opens", func(f *EventForm) { f.RegistrationClosesAt = "2030-03-01T09:00" }, "registration_closes_at", "event.reg_closes_before_opens"},
		{"bad registration date", func(f *EventForm) { f.RegistrationOpensAt = "soon" }, "registration_opens_at", "form.bad_datetime"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := goodEventForm()
			tc.edit(&f)
			errs := f.Validate()
			if errs[tc.field].ID != tc.msg {
				t.Fatalf("errs[%s] = %q, want %q (all: %v)", tc.field, errs[tc.field].ID, tc.msg, errs)
			}
		})
	}
}

func TestEventFormApplyUsesTheEventZone(t *testing.T) {
	var e models.Event
	f := goodEventForm()
	f.RegistrationOpensAt = ""
	f.Apply(&e)
	// 09:00 in Madrid in May is 07:00 UTC (summer time).
	if want := time.Date(2030, 5, 14, 7, 0, 0, 0, time.UTC); !e.StartsAt.Equal(want) {
		t.Fatalf("StartsAt = %v, want %v", e.StartsAt, want)
	}
	if e.RegistrationOpensAt != nil || e.RegistrationClosesAt == nil || e.Capacity != 200 {
		t.Fatalf("registration window or capacity wrong: %+v", e)
	}
}

func TestSessionFormValidate(t *testing.T) {
	start := time.Date(2030, 5, 14, 7, 0, 0, 0, time.UTC)
	e := &models.Event{ID: 1, TimeZone: "Europe/Madrid", StartsAt: start, EndsAt: start.Add(10 * time.Hour)}
	ag := &models.Agenda{Rooms: []models.Room{{ID: 3}}, Tracks: []models.Track{{ID: 4}}, Speakers: []models.Speaker{{ID: 5}, {ID: 6}}}
	good := SessionForm{Title: "Opening", Format: models.FormatTalk, StartsAt: "2030-05-14T09:00", EndsAt: "2030-05-14T10:00",
		RoomID: "3", TrackID: "4", SpeakerIDs: []string{"5", "6"}}
	if errs := good.Validate(e, ag); errs.Any() {
		t.Fatalf("good session has errors: %v", errs)
	}
	cases := []struct {
		name  string
		edit  func(f *SessionForm)
		field string
		msg   string
	}{
		{"before the event", func(f *SessionForm) { f.StartsAt = "2030-05-14T08:30" }, "starts_at", "session.outside_event"},
		{"after the event", func(f *SessionForm) { f.EndsAt = "2030-05-14T19:30" }, "ends_at", "session.outside_event"},
		{"end before start", func(f *SessionForm) { f.EndsAt = "2030-05-14T08:59" }, "ends_at", "form.end_before_start"},
		{"other event's room", func(f *SessionForm) { f.RoomID = "99" }, "room_id", "form.choose_listed"},
		{"garbage room", func(f *SessionForm) { f.RoomID = "x'; drop" }, "room_id", "form.choose_listed"},
		{"other event's track", func(f *SessionForm) { f.TrackID = "99" }, "track_id", "form.choose_listed"},
		{"other event's speaker", func(f *SessionForm) { f.SpeakerIDs = []string{"5", "99"} }, "speaker_ids", "form.choose_listed"},
		{"unknown format", func(f *SessionForm) { f.Format = "rave" }, "format", "form.choose"},
		{"negative capacity", func(f *SessionForm) { f.Capacity = "-3" }, "capacity", "form.negative"},
		{"empty title", func(f *SessionForm) { f.Title = "" }, "title", "form.required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := good
			tc.edit(&f)
			if errs := f.Validate(e, ag); errs[tc.field].ID != tc.msg {
				t.Fatalf("errs[%s] = %q, want %q (all: %v)", tc.field, errs[tc.field].ID, tc.msg, errs)
			}
		})
	}
}

func TestMemberAndOrgFormsValidate(t *testing.T) {
	f := InviteForm{Email: "new@example.org", Role: models.RoleManager}
	if errs := f.Validate(); errs.Any() {
		t.Fatalf("good invitation: %v", errs)
	}
	f.Email = "not an email"
	f.Role = "boss"
	errs := f.Validate()
	if errs["email"].ID != "form.bad_email" || errs["role"].ID != "form.choose" {
		t.Fatalf("bad email/role: %v", errs)
	}
	a := AccountForm{Name: "New Person", Password: "short", Confirm: "short"}
	if errs := a.Validate("new@example.org"); errs["password"].ID != "invitations.password_short" {
		t.Fatalf("short password: %v", errs)
	}
	a.Password, a.Confirm = "new@example.org", "new@example.org"
	if errs := a.Validate("new@example.org"); errs["password"].ID != "invitations.password_common" {
		t.Fatalf("own address as password: %v", errs)
	}
	a.Password, a.Confirm = "quiet-lantern-orbit", "quiet-lantern-orbiT"
	if errs := a.Validate("new@example.org"); errs["password_confirm"].ID != "invitations.password_mismatch" {
		t.Fatalf("mismatch: %v", errs)
	}
	a.Confirm, a.Name = a.Password, ""
	if errs := a.Validate("new@example.org"); errs["name"].ID != "form.required" || len(errs) != 1 {
		t.Fatalf("no name: %v", errs)
	}
	o := OrgForm{Name: "Cluster", Slug: "Not OK"}
	if errs := o.Validate(); errs["slug"].ID != "event.slug_invalid" {
		t.Fatalf("org slug: %v", errs)
	}
}
