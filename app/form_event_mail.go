package app

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// eventMailForm is an event's reminder and reply-to settings as typed.
type eventMailForm struct {
	RemindersEnabled bool
	ReminderHours    string
	ReminderText     string
	ContactName      string
	ContactEmail     string
}

func parseEventMailForm(c *fiber.Ctx) eventMailForm {
	return eventMailForm{
		RemindersEnabled: c.FormValue("reminders_enabled") == "yes",
		ReminderHours:    strings.TrimSpace(c.FormValue("reminder_hours")),
		ReminderText:     strings.TrimSpace(c.FormValue("reminder_text")),
		ContactName:      strings.TrimSpace(c.FormValue("contact_name")),
		ContactEmail:     strings.TrimSpace(c.FormValue("contact_email")),
	}
}

func eventMailFormOf(s *models.EventMailSetting) eventMailForm {
	return eventMailForm{RemindersEnabled: s.RemindersEnabled, ReminderHours: strconv.Itoa(s.ReminderHours),
		ReminderText: s.ReminderText, ContactName: s.ContactName, ContactEmail: s.ContactEmail}
}

// Validate checks the form and returns the settings it describes.
func (f eventMailForm) Validate(eventID uint) (models.EventMailSetting, FieldErrors) {
	errs := FieldErrors{}
	s := models.EventMailSetting{EventID: eventID, RemindersEnabled: f.RemindersEnabled,
		ReminderText: f.ReminderText, ContactName: f.ContactName, ContactEmail: f.ContactEmail}
	if f.ReminderHours == "" {
		errs.Add("reminder_hours", "form.required")
	} else if s.ReminderHours = parseCount(errs, "reminder_hours", f.ReminderHours, models.MaxReminderHours); s.ReminderHours == 0 {
		errs.Add("reminder_hours", "reminders.err.hours_min")
	}
	checkLen(errs, "reminder_text", f.ReminderText, models.MaxReminderText)
	checkContact(errs, f.ContactName, f.ContactEmail)
	return s, errs
}

// checkContact checks a contact name and e-mail (both optional).
func checkContact(errs FieldErrors, name, email string) {
	checkLen(errs, "contact_name", name, models.MaxContactName)
	if email != "" && !models.ValidEmail(email) {
		errs.Add("contact_email", "reminders.err.email")
	}
}

// orgContactForm is an organization's contact as its owner typed it.
type orgContactForm struct {
	ContactName  string
	ContactEmail string
}

func parseOrgContactForm(c *fiber.Ctx) orgContactForm {
	return orgContactForm{ContactName: strings.TrimSpace(c.FormValue("contact_name")),
		ContactEmail: strings.TrimSpace(c.FormValue("contact_email"))}
}

// Validate checks the organization's contact.
func (f orgContactForm) Validate() FieldErrors {
	errs := FieldErrors{}
	checkContact(errs, f.ContactName, f.ContactEmail)
	return errs
}
