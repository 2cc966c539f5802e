package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func eventURL(e *models.Event) string { return fmt.Sprintf("/manage/events/%d", e.ID) }

// renderEventForm shows the new or edit form with the person's input and messages.
func (a *App) renderEventForm(c *fiber.Ctx, status int, e *models.Event, f EventForm, errs FieldErrors) error {
	var orgs []selectOption
	for _, m := range editableMemberships(c) {
		orgs = append(orgs, selectOption{Value: itoa(int(m.OrganizationID)), Label: m.Organization.Name})
	}
	action := "/manage/events"
	if e != nil {
		action = eventURL(e) + "/edit"
	}
	data := fiber.Map{
		"Event": e, "Form": f, "Errors": errs, "Action": action, "Orgs": orgs,
		"Kinds": optionsOf(models.EventKinds), "TimeZones": timeZoneChoices,
		"ContentLanguages": models.ContentLanguages, "LangNames": models.ContentLanguageNames,
	}
	if e != nil { // the picture form below the event's (app/images.go)
		if err := a.eventImageFormData(c, e, data); err != nil {
			return err
		}
	}
	return a.renderStatus(c, status, "manage/event_form", data)
}

// newEvent shows the event form; the route's gate made sure the user may
// edit events in at least one organization.
func (a *App) newEvent(c *fiber.Ctx) error {
	ms := editableMemberships(c)
	f := EventForm{Kind: models.KindForum, TimeZone: DefaultTimeZone, OrganizationID: itoa(int(ms[0].OrganizationID))}
	def := a.contentLang(c)
	f.Langs = EventLangForm{Languages: []string{def}, DefaultLanguage: def, Present: true}
	return a.renderEventForm(c, fiber.StatusOK, nil, f, FieldErrors{})
}

// createEvent stores a new draft event in one of the user's organizations.
func (a *App) createEvent(c *fiber.Ctx) error {
	ms := editableMemberships(c)
	errs := csrfErrors(c)
	f := parseEventForm(c)
	if len(ms) == 1 {
		f.OrganizationID = itoa(int(ms[0].OrganizationID))
	}
	errs.merge(f.Validate())
	orgID := parseID(f.OrganizationID)
	if m := membershipIn(c, orgID); m == nil || !m.CanEditEvents() {
		errs.Add("organization_id", "form.choose")
	}
	if !errs.Any() {
		e := &models.Event{OrganizationID: orgID, Status: models.StatusDraft}
		f.Apply(e)
		err := a.db.Transaction(func(tx *gorm.DB) error {
			if err := models.CreateEvent(tx, e); err != nil {
				return err
			}
			return saveEventLangs(tx, e, f.Langs)
		})
		if err == nil {
			a.flash(c, "event.created")
			return c.Redirect(eventURL(e), fiber.StatusSeeOther)
		}
		if !errors.Is(err, models.ErrSlugTaken) {
			return errInternal("create event", err)
		}
		errs.Add("slug", "event.slug_taken")
	}
	return a.renderEventForm(c, fiber.StatusUnprocessableEntity, nil, f, errs)
}

// eventOverview shows an event's facts and the actions the organizer may take.
func (a *App) eventOverview(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	ag, err := models.LoadAgenda(a.db, e.ID)
	if err != nil {
		return errInternal("load agenda", err)
	}
	prog, err := models.CancellationOf(a.db, e.ID)
	if err != nil {
		return dbErr("cancellation progress", err)
	}
	places, perDay, err := a.eventPictures(c, e)
	if err != nil {
		return err
	}
	return a.render(c, "manage/event", fiber.Map{
		"Event": e, "Loc": e.Location(), "Agenda": ag, "Cancellation": prog,
		"IsOwner": m.HasRole(models.RoleOwner), "Places": places, "PerDay": perDay,
	})
}

func (a *App) editEvent(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderEventEditPage(c, fiber.StatusOK, e, FieldErrors{}) // app/images.go
}

// updateEvent saves the edit form; the event keeps its organization.
func (a *App) updateEvent(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseEventForm(c)
	errs.merge(f.Validate())
	if !errs.Any() {
		f.Apply(e)
		err := a.db.Transaction(func(tx *gorm.DB) error {
			if err := models.SaveEvent(tx, e); err != nil {
				return err
			}
			return saveEventLangs(tx, e, f.Langs)
		})
		if err == nil {
			a.flash(c, "event.saved")
			return c.Redirect(eventURL(e), fiber.StatusSeeOther)
		}
		if !errors.Is(err, models.ErrSlugTaken) {
			return errInternal("save event", err)
		}
		errs.Add("slug", "event.slug_taken")
	}
	return a.renderEventForm(c, fiber.StatusUnprocessableEntity, e, f, errs)
}

// statusAction is the audit log's name for moving an event to a status.
var statusAction = map[string]string{models.StatusPublished: models.AuditEventPublished, models.StatusDraft: models.AuditEventUnpublished}

// setStatus returns a handler moving an event to status from one of the
// states in from; other states leave it as it is.
func (a *App) setStatus(status, flash string, from ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		e, _, err := managedEvent(c)
		if err != nil {
			return err
		}
		if e.Status == models.StatusCancelled {
			// Orders were cancelled and refunded: the event cannot come back.
			if prog, err := models.CancellationOf(a.db, e.ID); err != nil {
				return dbErr("cancellation", err)
			} else if prog != nil {
				a.flash(c, "cancelevent.final")
				return c.Redirect(eventURL(e), fiber.StatusSeeOther)
			}
		}
		for _, s := range from {
			if e.Status == s {
				err := models.Audited(a.db, a.auditEventEntry(c, e, statusAction[status]), func(tx *gorm.DB, _ *models.AuditEntry) error {
					return models.SetEventStatus(tx, e, status)
				})
				if err != nil {
					return errInternal("set event status", err)
				}
				a.flash(c, flash)
				break
			}
		}
		return c.Redirect(eventURL(e), fiber.StatusSeeOther)
	}
}
