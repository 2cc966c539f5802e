package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// eventMailRoutes declares an event's reminder and reply-to page (managers
// and owners) and the organization's contact page (owners).
func (a *App) eventMailRoutes(o organizerArea) {
	o.editors.get("/events/:id/reminders", a.eventMailPage)
	o.editors.form("/events/:id/reminders", a.saveEventMail)
	o.owners.get("/orgs/:orgID/settings", a.orgSettingsPage)
	o.owners.form("/orgs/:orgID/settings", a.saveOrgSettings)
}

func eventMailURL(id uint) string   { return fmt.Sprintf("/manage/events/%d/reminders", id) }
func orgSettingsURL(id uint) string { return fmt.Sprintf("/manage/orgs/%d/settings", id) }

func (a *App) renderEventMail(c *fiber.Ctx, status int, e *models.Event, f eventMailForm, errs FieldErrors) error {
	return a.renderEventMailTr(c, status, e, f, nil, errs)
}

// renderEventMailTr is renderEventMail with the reminder text's other
// languages as typed (nil: as stored).
func (a *App) renderEventMailTr(c *fiber.Ctx, status int, e *models.Event, f eventMailForm, tr langTexts, errs FieldErrors) error {
	if tr == nil {
		var err error
		if tr, err = a.storedLangTexts(e, models.OwnerEventMail, e.ID, "reminder_text"); err != nil {
			return err
		}
	}
	contact, err := models.EventContact(a.db, e.ID)
	if err != nil {
		return errInternal("event contact", err)
	}
	// When the stored reminder goes out, in the event's time zone.
	set, err := models.EventMailSettingFor(a.db, e.ID)
	if err != nil {
		return errInternal("mail settings", err)
	}
	return a.renderStatus(c, status, "manage/reminders", fiber.Map{"Event": e, "Form": f, "Errors": errs,
		"Contact": contact, "Setting": set, "ReminderAt": set.ReminderAt(*e).In(e.Location()),
		"Action": eventMailURL(e.ID), "MaxHours": models.MaxReminderHours, "MaxText": models.MaxReminderText,
		"Tr": tr, "OtherLangs": e.OtherLanguages(), "LangNames": models.ContentLanguageNames})
}

// eventMailPage shows the event's reminder and reply-to settings.
func (a *App) eventMailPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	s, err := models.EventMailSettingFor(a.db, e.ID)
	if err != nil {
		return errInternal("mail settings", err)
	}
	return a.renderEventMail(c, fiber.StatusOK, e, eventMailFormOf(s), FieldErrors{})
}

// saveEventMail stores the settings; a time changed before it passed takes
// effect, since the reminder job reads it on each pass.
func (a *App) saveEventMail(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseEventMailForm(c)
	s, verrs := f.Validate(e.ID)
	errs = errs.merge(verrs)
	tr := parseLangTexts(c, e.OtherLanguages(), "reminder_text")
	tr.validate(errs, map[string]int{"reminder_text": models.MaxReminderText})
	if errs.Any() {
		return a.renderEventMailTr(c, fiber.StatusUnprocessableEntity, e, f, tr, errs)
	}
	err = a.db.Transaction(func(tx *gorm.DB) error {
		if err := models.SaveEventMailSetting(tx, &s); err != nil {
			return err
		}
		return models.SaveTranslations(tx, e.ID, tr.fields(models.OwnerEventMail, e.ID)...)
	})
	if err != nil {
		return errInternal("save mail settings", err)
	}
	a.flash(c, "reminders.saved")
	return c.Redirect(eventMailURL(e.ID), fiber.StatusSeeOther)
}

func (a *App) renderOrgSettings(c *fiber.Ctx, status int, m *models.Membership, f orgContactForm, errs FieldErrors) error {
	data := fiber.Map{"Org": m.Organization, "Form": f, "Errors": errs,
		"Action": orgSettingsURL(m.OrganizationID), "Retention": a.orgRetentionForm(c, m.OrganizationID)}
	if err := a.orgLogoFormData(m.OrganizationID, data); err != nil { // the logo form (app/images.go)
		return err
	}
	return a.renderStatus(c, status, "manage/org_settings", data)
}

// orgSettingsPage shows the organization's contact, the Reply-To of its
// events' e-mails.
func (a *App) orgSettingsPage(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	var org models.Organization
	if err := a.db.Take(&org, m.OrganizationID).Error; err != nil {
		return dbErr("organization", err)
	}
	return a.renderOrgSettings(c, fiber.StatusOK, m, orgContactForm{ContactName: org.ContactName, ContactEmail: org.ContactEmail}, FieldErrors{})
}

func (a *App) saveOrgSettings(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseOrgContactForm(c)
	errs = errs.merge(f.Validate())
	if errs.Any() {
		return a.renderOrgSettings(c, fiber.StatusUnprocessableEntity, m, f, errs)
	}
	if err := models.SaveOrganizationContact(a.db, m.OrganizationID, f.ContactName, f.ContactEmail); err != nil {
		return errInternal("save contact", err)
	}
	a.flash(c, "orgsettings.saved")
	return c.Redirect(orgSettingsURL(m.OrganizationID), fiber.StatusSeeOther)
}
