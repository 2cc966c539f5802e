package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// retentionRoutes declares the event's retention page, its "anonymise now"
// (with a confirmation step) and the organization's default period; all
// for owners, who answer for the data.
func (a *App) retentionRoutes(o organizerArea) {
	o.owners.get("/events/:id/retention", a.retentionPage)
	o.owners.form("/events/:id/retention", a.saveEventRetention)
	o.owners.get("/events/:id/retention/anonymise", a.confirmAnonymiseEvent)
	o.owners.action("/events/:id/retention/anonymise", a.anonymiseEventNow)
	o.owners.form("/orgs/:orgID/settings/retention", a.saveOrgRetention)
}

func retentionURL(e *models.Event) string { return eventURL(e) + "/retention" }

// retentionBatchesPerRequest bounds the work of "anonymise now" in the
// request (200 people a batch); the retention job finishes a bigger event.
const retentionBatchesPerRequest = 10

func (a *App) renderRetention(c *fiber.Ctx, status int, e *models.Event, f retentionForm, errs FieldErrors) error {
	plan, err := models.PlanRetention(a.db, *e, a.now())
	if err != nil {
		return dbErr("retention plan", err)
	}
	loc := e.Location()
	var removedAt *time.Time
	if plan.RemovedAt != nil {
		t := plan.RemovedAt.In(loc)
		removedAt = &t
	}
	return a.renderStatus(c, status, "manage/retention", fiber.Map{"Event": e, "Plan": plan, "Form": f, "Errors": errs,
		"RemovesAt": plan.RemovesAt.In(loc), "RemovedAt": removedAt,
		"Min": models.MinRetentionMonths, "Max": models.MaxRetentionMonths})
}

// retentionPage shows when the event's personal data goes, what goes and
// what stays, and the period.
func (a *App) retentionPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	f := retentionForm{UseDefault: e.RetentionMonths == nil}
	if e.RetentionMonths != nil {
		f.Months = strconv.Itoa(*e.RetentionMonths)
	}
	return a.renderRetention(c, fiber.StatusOK, e, f, FieldErrors{})
}

// saveEventRetention sets the event's own period, or back to the default.
func (a *App) saveEventRetention(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseRetentionForm(func(k string) string { return c.FormValue(k) })
	months, ferrs := f.Validate(true)
	errs = errs.merge(ferrs)
	if errs.Any() {
		return a.renderRetention(c, fiber.StatusUnprocessableEntity, e, f, errs)
	}
	entry := a.auditEventEntry(c, e, models.AuditRetentionChanged)
	entry.Subject = fmt.Sprintf("event %d", e.ID)
	entry.Detail = "retention period: organization's default"
	if months != nil {
		entry.Detail = fmt.Sprintf("retention period: %d months", *months)
	}
	if err := models.SetEventRetention(a.db, e.ID, months, entry); err != nil {
		return errInternal("save retention", err)
	}
	a.flash(c, "retention.saved")
	return c.Redirect(retentionURL(e), fiber.StatusSeeOther)
}

// confirmAnonymiseEvent asks before erasing, naming how many people.
func (a *App) confirmAnonymiseEvent(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	plan, err := models.PlanRetention(a.db, *e, a.now())
	if err != nil {
		return dbErr("retention plan", err)
	}
	return a.render(c, "manage/retention_confirm", fiber.Map{"Event": e, "Plan": plan})
}

// anonymiseEventNow erases the event's personal data now (an ended event
// only); what the request does not finish, the retention job does.
func (a *App) anonymiseEventNow(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	by := a.auditEventEntry(c, e, models.AuditRetentionRun)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	_, done, err := models.AnonymiseEventNow(a.db, *e, by, "request:"+hex.EncodeToString(b), a.now(), retentionBatchesPerRequest)
	switch {
	case errors.Is(err, models.ErrEventNotFinished):
		a.flash(c, "retention.not_finished")
	case err != nil:
		return errInternal("anonymise event", err)
	case done:
		a.flash(c, "retention.done")
	default:
		a.flash(c, "retention.continuing")
	}
	return c.Redirect(retentionURL(e), fiber.StatusSeeOther)
}

// orgRetentionValueKey carries a rejected default period back to the
// settings page, so it shows what the owner typed.
const orgRetentionValueKey = "agora.org_retention_typed"

// orgRetentionForm is the default period the settings page shows.
func (a *App) orgRetentionForm(c *fiber.Ctx, orgID uint) retentionForm {
	if f, ok := c.Locals(orgRetentionValueKey).(retentionForm); ok {
		return f
	}
	m, err := models.OrganizationRetentionMonths(a.db, orgID)
	if err != nil {
		m = models.DefaultRetentionMonths
	}
	return retentionForm{Months: strconv.Itoa(m)}
}

// saveOrgRetention sets the organization's default period.
func (a *App) saveOrgRetention(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseRetentionForm(func(k string) string { return c.FormValue(k) })
	months, ferrs := f.Validate(false)
	errs = errs.merge(ferrs)
	if errs.Any() {
		c.Locals(orgRetentionValueKey, f)
		var org models.Organization
		if err := a.db.Take(&org, m.OrganizationID).Error; err != nil {
			return dbErr("organization", err)
		}
		return a.renderOrgSettings(c, fiber.StatusUnprocessableEntity, m,
			orgContactForm{ContactName: org.ContactName, ContactEmail: org.ContactEmail}, errs)
	}
	entry := a.auditEntry(c, m.OrganizationID, models.AuditRetentionOrgChanged)
	entry.Subject = fmt.Sprintf("organization %d", m.OrganizationID)
	entry.Detail = fmt.Sprintf("default retention period: %d months", *months)
	if err := models.SetOrganizationRetention(a.db, m.OrganizationID, *months, entry); err != nil {
		return errInternal("save retention", err)
	}
	a.flash(c, "retention.default_saved")
	return c.Redirect(orgSettingsURL(m.OrganizationID), fiber.StatusSeeOther)
}
