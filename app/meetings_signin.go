package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// meetingSignInPage asks for the e-mail address the attendee registered with.
func (a *App) meetingSignInPage(c *fiber.Ctx) error {
	e, _, err := a.networkingEvent(c)
	if err != nil {
		return err
	}
	return a.render(c, "meetings/signin", fiber.Map{"Event": e, "Errors": FieldErrors{}})
}

// meetingSignInSend mails a sign-in link. The answer is the same whether or
// not the address is registered, so the page tells no one who is.
func (a *App) meetingSignInSend(c *fiber.Ctx) error {
	e, _, err := a.networkingEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	email := strings.TrimSpace(c.FormValue("email"))
	checkRequired(errs, "email", email)
	checkLen(errs, "email", email, 254)
	if email != "" && !strings.Contains(email, "@") {
		errs.Add("email", "meetings.err.email")
	}
	if errs.Any() {
		return a.renderStatus(c, fiber.StatusUnprocessableEntity, "meetings/signin", fiber.Map{"Event": e, "Email": email, "Errors": errs})
	}
	if err := models.RequestSignIn(a.db, e.ID, email, a.now()); err != nil {
		return errInternal("sign-in link", err)
	}
	a.nudge()
	return a.render(c, "meetings/signin", fiber.Map{"Event": e, "Sent": true, "Errors": FieldErrors{}})
}

// meetingSignInConfirm shows a button that uses the link: a GET never uses
// it, so mail scanners that follow links do not spend it.
func (a *App) meetingSignInConfirm(c *fiber.Ctx) error {
	e, _, err := a.networkingEvent(c)
	if err != nil {
		return err
	}
	return a.render(c, "meetings/signin_confirm", fiber.Map{"Event": e, "Token": c.Params("token")})
}

func (a *App) meetingSignInUse(c *fiber.Ctx) error {
	e, _, err := a.networkingEvent(c)
	if err != nil {
		return err
	}
	aid, err := models.ConsumeSignIn(a.db, e.ID, c.Params("token"), a.now())
	if errors.Is(err, models.ErrTokenInvalid) {
		errs := FieldErrors{}
		errs.Add(formErrorKey, "meetings.signin.invalid")
		return a.renderStatus(c, fiber.StatusGone, "meetings/signin", fiber.Map{"Event": e, "Errors": errs})
	}
	if err != nil {
		return errInternal("use sign-in link", err)
	}
	if err := a.signInAttendee(c, e.ID, aid); err != nil {
		return err
	}
	return c.Redirect(meetingsBase(e), fiber.StatusSeeOther)
}

func (a *App) meetingSignOut(c *fiber.Ctx) error {
	e, _, err := a.networkingEvent(c)
	if err != nil {
		return err
	}
	if s, err := a.session(c); err == nil {
		s.Delete(sessMeetingKey(e.ID))
		_ = s.Save()
	}
	return c.Redirect("/events/"+e.Slug, fiber.StatusSeeOther)
}

// orderAttendees loads the order of a self-service secret and its eligible
// attendees for networking.
func (a *App) orderAttendees(c *fiber.Ctx) (*models.Order, []models.Attendee, error) {
	secret := c.Params("secret")
	if !models.LooksLikeSecret(secret) {
		return nil, nil, errNotFound()
	}
	o, err := models.OrderBySecret(a.db, secret)
	if err != nil {
		return nil, nil, dbErr("load order", err)
	}
	set, err := models.NetworkingFor(a.db, o.EventID)
	if err != nil {
		return nil, nil, errInternal("load networking", err)
	}
	if !set.Enabled {
		return nil, nil, errNotFound()
	}
	var out []models.Attendee
	for _, at := range o.Attendees {
		if _, err := models.NetworkingAttendee(a.db, set, at.ID); err == nil {
			out = append(out, at)
		}
	}
	return o, out, nil
}

// meetingsFromOrder is where the self-service page links: the order's secret
// signs its attendee in to networking (or offers a choice of attendees).
func (a *App) meetingsFromOrder(c *fiber.Ctx) error {
	o, list, err := a.orderAttendees(c)
	if err != nil {
		return err
	}
	var e models.Event
	if err := a.db.Take(&e, o.EventID).Error; err != nil {
		return dbErr("load event", err)
	}
	if len(list) == 1 {
		if err := a.signInAttendee(c, e.ID, list[0].ID); err != nil {
			return err
		}
		return c.Redirect(meetingsBase(&e), fiber.StatusSeeOther)
	}
	return a.render(c, "meetings/choose", fiber.Map{"Event": &e, "Attendees": list, "Secret": c.Params("secret")})
}

func (a *App) meetingsFromOrderChoose(c *fiber.Ctx) error {
	o, list, err := a.orderAttendees(c)
	if err != nil {
		return err
	}
	id := parseID(c.FormValue("attendee"))
	for _, at := range list {
		if at.ID == id {
			var e models.Event
			if err := a.db.Take(&e, o.EventID).Error; err != nil {
				return dbErr("load event", err)
			}
			if err := a.signInAttendee(c, e.ID, at.ID); err != nil {
				return err
			}
			return c.Redirect(meetingsBase(&e), fiber.StatusSeeOther)
		}
	}
	return errNotFound()
}

// meetingSignInLimiter limits sign-in link e-mails per e-mail address, and
// more loosely per client address (see attemptLimit), so the form cannot be
// used to flood someone with e-mail.
func (a *App) meetingSignInLimiter() fiber.Handler {
	return a.limitAttempts(attemptLimit{
		name: "meetsignin", perEmail: a.cfg.LinkLimit, perAddress: a.cfg.LinkAddressLimit, window: a.cfg.LinkWindow,
		refuse: func(c *fiber.Ctx) error {
			e, _, err := a.networkingEvent(c)
			if err != nil {
				return err
			}
			errs := FieldErrors{}
			errs.Add(formErrorKey, "meetings.signin.too_many")
			return a.renderStatus(c, fiber.StatusTooManyRequests, "meetings/signin",
				fiber.Map{"Event": e, "Email": strings.TrimSpace(c.FormValue("email")), "Errors": errs})
		},
	})
}
