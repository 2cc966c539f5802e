package app

import (
	"strings"
	"time"
	_ "time/tzdata" // time zones work even on a server without the system database

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// DefaultTimeZone is offered for a new event.
const DefaultTimeZone = "Europe/Madrid"

// Field limits of the event form, matching the columns.
const (
	maxEventTitle       = 200
	maxEventSlug        = 100
	maxEventSummary     = 500
	maxEventDescription = 20000
	maxEventVenue       = 200
	maxEventAddress     = 500
	maxEventLocality    = 100
	maxEventPostalCode  = 20
	maxEventURL         = 500
	maxEventCapacity    = 1000000
)

// EventForm is the event form as typed: strings, so a rejected form comes
// back exactly as the person left it.
type EventForm struct {
	OrganizationID       string
	Title                string
	Slug                 string
	Kind                 string
	Summary              string
	Description          string
	Venue                string
	Address              string
	Locality             string
	PostalCode           string
	Country              string
	OnlineURL            string
	TimeZone             string
	StartsAt             string
	EndsAt               string
	Capacity             string
	RegistrationOpensAt  string
	RegistrationClosesAt string
	// Langs is the content languages and the other languages' texts.
	Langs EventLangForm
}

// parseEventForm reads the posted event form. An empty slug is derived from the title.
func parseEventForm(c *fiber.Ctx) EventForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	f := EventForm{
		OrganizationID: v("organization_id"), Title: v("title"), Slug: v("slug"), Kind: v("kind"),
		Summary: v("summary"), Description: strings.TrimRight(c.FormValue("description"), " \t\r\n"),
		Venue: v("venue"), Address: v("address"), OnlineURL: v("online_url"), TimeZone: v("time_zone"),
		Locality: v("locality"), PostalCode: v("postal_code"), Country: v("country"),
		StartsAt: v("starts_at"), EndsAt: v("ends_at"), Capacity: v("capacity"),
		RegistrationOpensAt: v("registration_opens_at"), RegistrationClosesAt: v("registration_closes_at"),
	}
	if f.Slug == "" {
		f.Slug = models.Slugify(f.Title)
	}
	f.Langs = parseEventLangForm(c)
	return f
}

// eventFormFrom fills the form from a stored event, times in its zone.
func eventFormFrom(e *models.Event) EventForm {
	loc := e.Location()
	local := func(t *time.Time) string {
		if t == nil || t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02T15:04")
	}
	return EventForm{
		Title: e.Title, Slug: e.Slug, Kind: e.Kind, Summary: e.Summary, Description: e.Description,
		Venue: e.Venue, Address: e.Address, OnlineURL: e.OnlineURL, TimeZone: e.TimeZone,
		Locality: e.Locality, PostalCode: e.PostalCode, Country: e.Country,
		StartsAt: local(&e.StartsAt), EndsAt: local(&e.EndsAt), Capacity: itoa(e.Capacity),
		RegistrationOpensAt: local(e.RegistrationOpensAt), RegistrationClosesAt: local(e.RegistrationClosesAt),
	}
}

// location returns the form's time zone, or false when it is not a known IANA zone.
func (f EventForm) location() (*time.Location, bool) {
	if f.TimeZone == "" || f.TimeZone == "Local" || len(f.TimeZone) > 64 {
		return nil, false
	}
	loc, err := time.LoadLocation(f.TimeZone)
	return loc, err == nil
}

// Validate checks every field; it needs no database (the slug's uniqueness
// is checked by the insert, which reports models.ErrSlugTaken).
func (f EventForm) Validate() FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "title", f.Title)
	checkLen(errs, "title", f.Title, maxEventTitle)
	switch {
	case f.Slug == "":
		errs.Add("slug", "form.required")
	case len(f.Slug) > maxEventSlug:
		errs.Add("slug", "form.too_long", "Max", maxEventSlug)
	case !models.ValidSlug(f.Slug):
		errs.Add("slug", "event.slug_invalid")
	}
	if !models.ValidKind(f.Kind) {
		errs.Add("kind", "form.choose")
	}
	checkLen(errs, "summary", f.Summary, maxEventSummary)
	checkLen(errs, "description", f.Description, maxEventDescription)
	checkLen(errs, "venue", f.Venue, maxEventVenue)
	checkLen(errs, "address", f.Address, maxEventAddress)
	checkLen(errs, "locality", f.Locality, maxEventLocality)
	checkLen(errs, "postal_code", f.PostalCode, maxEventPostalCode)
	if _, ok := models.CountryCode(f.Country); !ok {
		errs.Add("country", "event.country_invalid")
	}
	checkLen(errs, "online_url", f.OnlineURL, maxEventURL)
	if f.OnlineURL != "" && !validWebURL(f.OnlineURL) {
		errs.Add("online_url", "form.bad_url")
	}
	parseCount(errs, "capacity", f.Capacity, maxEventCapacity)
	errs.merge(f.Langs.Validate())

	loc, ok := f.location()
	if !ok {
		if f.TimeZone == "" {
			errs.Add("time_zone", "form.required")
		} else {
			errs.Add("time_zone", "event.tz_unknown")
		}
		loc = time.UTC // still check the dates' shape
	}
	start, okStart := f.requiredTime(errs, "starts_at", f.StartsAt, loc)
	end, okEnd := f.requiredTime(errs, "ends_at", f.EndsAt, loc)
	if okStart && okEnd && !end.After(start) {
		errs.Add("ends_at", "form.end_before_start")
	}
	opens, okOpens := f.optionalTime(errs, "registration_opens_at", f.RegistrationOpensAt, loc)
	closes, okCloses := f.optionalTime(errs, "registration_closes_at", f.RegistrationClosesAt, loc)
	if okOpens && okCloses && opens != nil && closes != nil && !closes.After(*opens) {
		errs.Add("registration_closes_at", "event.reg_closes_before_opens")
	}
	return errs
}

func (EventForm) requiredTime(errs FieldErrors, field, value string, loc *time.Location) (time.Time, bool) {
	if value == "" {
		errs.Add(field, "form.required")
		return time.Time{}, false
	}
	t, ok := parseLocal(value, loc)
	if !ok {
		errs.Add(field, "form.bad_datetime")
	}
	return t, ok
}

func (EventForm) optionalTime(errs FieldErrors, field, value string, loc *time.Location) (*time.Time, bool) {
	if value == "" {
		return nil, true
	}
	t, ok := parseLocal(value, loc)
	if !ok {
		errs.Add(field, "form.bad_datetime")
		return nil, false
	}
	return &t, true
}

// Apply copies a validated form onto e, times converted to UTC.
func (f EventForm) Apply(e *models.Event) {
	loc, _ := f.location()
	if loc == nil {
		loc = time.UTC
	}
	utc := func(s string) *time.Time {
		if t, ok := parseLocal(s, loc); ok {
			t = t.UTC()
			return &t
		}
		return nil
	}
	e.Title, e.Slug, e.Kind, e.Summary, e.Description = f.Title, f.Slug, f.Kind, f.Summary, f.Description
	e.Venue, e.Address, e.OnlineURL, e.TimeZone = f.Venue, f.Address, f.OnlineURL, f.TimeZone
	e.Locality, e.PostalCode = f.Locality, f.PostalCode
	e.Country, _ = models.CountryCode(f.Country) // checked by Validate
	if t := utc(f.StartsAt); t != nil {
		e.StartsAt = *t
	}
	if t := utc(f.EndsAt); t != nil {
		e.EndsAt = *t
	}
	e.Capacity = parseCount(FieldErrors{}, "", f.Capacity, maxEventCapacity)
	e.RegistrationOpensAt = utc(f.RegistrationOpensAt)
	e.RegistrationClosesAt = utc(f.RegistrationClosesAt)
}

// timeZoneChoices are offered in the time zone field's list; any IANA zone is accepted.
var timeZoneChoices = []string{
	"Europe/Madrid", "Atlantic/Canary", "Europe/Lisbon", "Europe/London", "Europe/Dublin", "Europe/Paris",
	"Europe/Brussels", "Europe/Amsterdam", "Europe/Berlin", "Europe/Rome", "Europe/Vienna", "Europe/Copenhagen",
	"Europe/Stockholm", "Europe/Oslo", "Europe/Helsinki", "Europe/Warsaw", "Europe/Prague", "Europe/Athens",
	"Europe/Bucharest", "America/New_York", "America/Mexico_City", "America/Bogota", "America/Sao_Paulo", "UTC",
}
