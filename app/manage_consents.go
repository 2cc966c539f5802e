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
	Tr       langTexts // the other languages' versions, as stored or typed
	Errors   FieldErrors
	Versions []models.ConsentText
}

// renderConsents shows one form per consent kind; failed (when set) is the
// kind whose form came back with errors.
func (a *App) renderConsents(c *fiber.Ctx, status int, e *models.Event, failed *ConsentForm, errs FieldErrors) error {
	return a.renderConsentsTr(c, status, e, failed, nil, errs)
}

// renderConsentsTr is renderConsents with the failed form's other
// languages as typed.
func (a *App) renderConsentsTr(c *fiber.Ctx, status int, e *models.Event, failed *ConsentForm, failedTr langTexts, errs FieldErrors) error {
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
		v.Tr = langTexts{"body": map[string]string{}}
		if len(v.Versions) > 0 {
			v.Form.Body = v.Versions[0].Body
			tr, err := models.ConsentTranslations(a.db, v.Versions[0].ID)
			if err != nil {
				return errInternal("load consent translations", err)
			}
			v.Tr["body"] = tr
		}
		if failed != nil && failed.Kind == k {
			v.Form, v.Errors = *failed, errs
			if failedTr != nil {
				v.Tr = failedTr
			}
		}
		kinds = append(kinds, v)
	}
	return a.renderStatus(c, status, "manage/consents", fiber.Map{"Event": e, "Loc": e.Location(), "Kinds": kinds,
		"Errors": errs, "Action": consentsURL(e), "OtherLangs": e.OtherLanguages(), "LangNames": models.ContentLanguageNames})
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
	// Each language version is part of the version: see SetConsentTextVersions.
	tr := parseLangTexts(c, e.OtherLanguages(), "body")
	tr.validate(errs, map[string]int{"body": maxConsentText})
	if errs.Any() {
		if !models.ValidConsentKind(f.Kind) {
			f.Kind = ""
		}
		return a.renderConsentsTr(c, fiber.StatusUnprocessableEntity, e, &f, tr, errs)
	}
	texts, err := a.keptConsentLangs(e, f.Kind, tr["body"])
	if err != nil {
		return errInternal("load consent translations", err)
	}
	if _, err := models.SetConsentTextVersions(a.db, e.ID, f.Kind, f.Body, texts); err != nil {
		return errInternal("save consent text", err)
	}
	a.flash(c, "regconsent.saved")
	return c.Redirect(consentsURL(e)+"#consent-"+f.Kind, fiber.StatusSeeOther)
}

// keptConsentLangs is the new version's language texts: the posted ones
// for the event's languages, plus the current version's texts in languages
// the event no longer lists (kept, so adding the language back restores
// them, and not a reason for a new version).
func (a *App) keptConsentLangs(e *models.Event, kind string, posted map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for l, t := range posted {
		out[l] = t
	}
	cur, err := models.CurrentConsentTexts(a.db, e.ID)
	if err != nil {
		return nil, err
	}
	for _, ct := range cur {
		if ct.Kind != kind {
			continue
		}
		tr, err := models.ConsentTranslations(a.db, ct.ID)
		if err != nil {
			return nil, err
		}
		for l, t := range tr {
			if !e.HasLanguage(l) {
				out[l] = t
			}
		}
	}
	return out, nil
}
