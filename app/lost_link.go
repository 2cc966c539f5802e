package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

type lostLinkForm struct {
	Event string // slug
	Email string
}

// lostLinkPage loads the event the form is about, or the list to choose from.
func (a *App) renderLostLink(c *fiber.Ctx, status int, f lostLinkForm, errs FieldErrors, sent bool) error {
	data := fiber.Map{"Form": f, "Errors": errs, "ErrorLinks": errorLinks(errs), "Sent": sent}
	if e, err := models.PublicEventBySlug(a.db, f.Event); err == nil {
		data["Event"] = e
	} else {
		upcoming, _, err := models.PublicEvents(a.db, a.now(), "")
		if err != nil {
			return errInternal("list events", err)
		}
		opts := []selectOption{}
		for _, e := range upcoming {
			opts = append(opts, selectOption{Value: e.Slug, Label: e.Title})
		}
		data["Events"] = opts
	}
	return a.renderStatus(c, status, "register/lost", data)
}

// showLostLink asks for the e-mail an order was made with.
func (a *App) showLostLink(c *fiber.Ctx) error {
	return a.renderLostLink(c, fiber.StatusOK, lostLinkForm{Event: c.Query("event")}, FieldErrors{}, false)
}

// postLostLink e-mails the self-service links of the address's orders. The
// answer is the same whether or not the address has any.
func (a *App) postLostLink(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	f := lostLinkForm{Event: strings.TrimSpace(c.FormValue("event")), Email: strings.TrimSpace(c.FormValue("email"))}
	e, err := models.PublicEventBySlug(a.db, f.Event)
	if err != nil {
		errs.Add("event", "lost.choose_event")
	}
	switch {
	case f.Email == "":
		errs.Add("email", "register.error.required")
	case len(f.Email) > models.MaxEmailLen:
		errs.Add("email", "register.error.too_long", "Max", models.MaxEmailLen)
	case !models.ValidEmail(models.NormalizeEmail(f.Email)):
		errs.Add("email", "register.error.email_invalid")
	}
	if errs.Any() {
		return a.renderLostLink(c, fiber.StatusUnprocessableEntity, f, errs, false)
	}
	if err := models.ResendOrderLinks(a.db, e.ID, f.Email, a.now()); err != nil {
		return errInternal("resend links", err)
	}
	a.nudge()
	return a.renderLostLink(c, fiber.StatusOK, f, FieldErrors{}, true)
}

// lostLinkLimiter limits lost-link e-mails per e-mail address, and more
// loosely per client address (see attemptLimit).
func (a *App) lostLinkLimiter() fiber.Handler {
	return a.limitAttempts(attemptLimit{
		name: "lostlink", perEmail: a.cfg.LinkLimit, perAddress: a.cfg.LinkAddressLimit, window: a.cfg.LinkWindow,
		refuse: func(c *fiber.Ctx) error {
			errs := FieldErrors{}
			errs.Add(formErrorKey, "lost.too_many")
			f := lostLinkForm{Event: strings.TrimSpace(c.FormValue("event")), Email: strings.TrimSpace(c.FormValue("email"))}
			return a.renderLostLink(c, fiber.StatusTooManyRequests, f, errs, false)
		},
	})
}
