package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

func consentsURL(e *models.Event) string { return eventURL(e) + "/consents" }

// consentKindView is one consent kind on the consents page: its form and
// every version so far, newest first.
type consentKindView struct {
	Kind     string
	Required bool
	Form     ConsentForm
	Errors   FieldErrors
	Versions []models.ConsentText
}

// renderConsents shows one form per consent kind; failed (when set) is the
// kind whose form came back with errors.
func (a *App) renderConsents(c *fiber.Ctx, status int, e *models.Event, failed *ConsentForm, errs FieldErrors) error {
	all, err := models.ConsentHistory(a.db, e.ID)
	if err != nil {
		return errInternal("load consent texts", err)
	}
	var kinds []consentKindView
	for _, k := range models.ConsentKinds {
		v := consentKindView{Kind: k, Required: k == models.ConsentPrivacy, Form: ConsentForm{Kind: k}, Errors: FieldErrors{}}
		for _, ct := range all {
			if ct.Kind == k {
				v.Versions = append(v.Versions, ct)
			}
		}
		if len(v.Versions) > 0 {
			v.Form.Body = v.Versions[0].Body
		}
		if failed != nil && failed.Kind == k {
			v.Form, v.Errors = *failed, errs
		}
		kinds = append(kinds, v)
	}
	return a.renderStatus(c, status, "manage/consents", fiber.Map{"Event": e, "Loc": e.Location(), "Kinds": kinds,
		"Errors": errs, "Action": consentsURL(e)})
}

func (a *App) consentsPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderConsents(c, fiber.StatusOK, e, nil, FieldErrors{})
}

// saveConsentText makes the posted text the kind's current version. An
// unchanged text makes no new version; people who agreed before keep the
// version they saw (their records point at it).
func (a *App) saveConsentText(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseConsentForm(c)
	errs.merge(f.Validate())
	if errs.Any() {
		if !models.ValidConsentKind(f.Kind) {
			f.Kind = ""
		}
		return a.renderConsents(c, fiber.StatusUnprocessableEntity, e, &f, errs)
	}
	if _, err := models.SetConsentText(a.db, e.ID, f.Kind, f.Body); err != nil {
		return errInternal("save consent text", err)
	}
	a.flash(c, "regconsent.saved")
	return c.Redirect(consentsURL(e)+"#consent-"+f.Kind, fiber.StatusSeeOther)
}
