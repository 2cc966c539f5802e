package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// EventCopyForm is the "copy this event" form as typed. The copy keeps the
// source's time zone, so StartsAt is read in it.
type EventCopyForm struct {
	Title    string
	Slug     string
	StartsAt string
}

func parseEventCopyForm(c *fiber.Ctx) EventCopyForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	f := EventCopyForm{Title: v("title"), Slug: v("slug"), StartsAt: v("starts_at")}
	if f.Slug == "" {
		f.Slug = models.Slugify(f.Title)
	}
	return f
}

// eventCopyFormFrom shows a suggestion in the event's zone.
func eventCopyFormFrom(in models.CopyEventInput, loc *time.Location) EventCopyForm {
	return EventCopyForm{Title: in.Title, Slug: in.Slug, StartsAt: in.StartsAt.In(loc).Format("2006-01-02T15:04")}
}

// Validate checks the fields as the event form does; the slug's uniqueness
// is checked by the insert (models.ErrSlugTaken).
func (f EventCopyForm) Validate(loc *time.Location) FieldErrors {
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
	if t, ok := (EventForm{}).requiredTime(errs, "starts_at", f.StartsAt, loc); ok && (t.Year() < 2000 || t.Year() > 2200) {
		// Every date of the copy moves with the start: keep them all sane.
		errs.Add("starts_at", "form.bad_datetime")
	}
	return errs
}

// Input is the validated form for models.CopyEvent.
func (f EventCopyForm) Input(loc *time.Location) models.CopyEventInput {
	start, _ := parseLocal(f.StartsAt, loc)
	return models.CopyEventInput{Title: f.Title, Slug: f.Slug, StartsAt: start.UTC()}
}
