package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// waitlistForm is the "tell me when a place frees" form.
type waitlistForm struct {
	Name         string
	Email        string
	TicketTypeID uint
	SessionID    uint
}

// postJoinWaitlist puts the person on the event's waitlist (for a ticket
// type and/or a session when given) and confirms it.
func (a *App) postJoinWaitlist(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	e, err := models.PublicEventBySlug(a.db, c.Params("slug"))
	if err != nil {
		return dbErr("load event", err)
	}
	f := waitlistForm{Name: c.FormValue("name"), Email: c.FormValue("email"),
		TicketTypeID: parseID(c.FormValue("ticket_type_id")), SessionID: parseID(c.FormValue("session_id"))}
	already := false
	if !errs.Any() {
		in := models.JoinWaitlistInput{EventID: e.ID, Name: f.Name, Email: f.Email, Language: a.contentLang(c), Now: a.now()}
		if f.TicketTypeID != 0 {
			in.TicketTypeID = &f.TicketTypeID
		}
		if f.SessionID != 0 {
			in.SessionID = &f.SessionID
		}
		_, err := models.JoinWaitlist(a.db, in)
		var ve *models.ValidationError
		switch {
		case err == nil:
			a.nudge() // a place may have been free after all: the offer goes out now
		case errors.Is(err, models.ErrAlreadyOnWaitlist):
			already = true
		case errors.As(err, &ve):
			problemErrors(errs, ve.Problems)
		case errors.Is(err, models.ErrEventNotOpen):
			errs.Add(formErrorKey, "register.state.closed")
		case errors.Is(err, models.ErrInvalidTicketType), errors.Is(err, models.ErrInvalidSession):
			errs.Add(formErrorKey, "waitlist.invalid_choice")
		default:
			return errInternal("join waitlist", err)
		}
	}
	// The event's title in the visitor's content language, like its page.
	ct, err := models.LoadContent(a.db, e, a.contentLang(c))
	if err != nil {
		return dbErr("event content", err)
	}
	ct.Event(e)
	data := withContent(fiber.Map{"Event": e, "Form": f, "Errors": errs, "ErrorLinks": errorLinks(errs), "Already": already}, c, ct, e)
	if errs.Any() {
		return a.renderStatus(c, fiber.StatusUnprocessableEntity, "register/waitlist_join", data)
	}
	data["Joined"] = true
	return a.render(c, "register/waitlist_join", data)
}

// offerPage loads an offer link with what it offers.
type offerPage struct {
	Entry   *models.WaitlistEntry
	Event   models.Event
	Ticket  *models.TicketType
	Session *models.Session
	State   string // open, used, expired
	Tickets []models.TicketType
	Reg     *models.RegistrationForm
	Consent []models.ConsentText
	Choices []sessionChoice
	// Holder is the person's existing registration when the offer is for a
	// session and they already hold a ticket: taking it adds the session.
	Holder *models.Attendee
}

func (a *App) loadOffer(c *fiber.Ctx) (*offerPage, error) {
	w, err := models.OfferBySecret(a.db, c.Params("secret"))
	if errors.Is(err, models.ErrOfferNotFound) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, errInternal("offer", err)
	}
	p := &offerPage{Entry: w, State: "open"}
	if err := a.db.Take(&p.Event, w.EventID).Error; err != nil {
		return nil, errInternal("offer event", err)
	}
	switch {
	case w.Status == models.WaitlistAccepted || w.Status == models.WaitlistCancelled:
		p.State = "used"
	case w.Status != models.WaitlistOffered || w.OfferExpiresAt == nil || !a.now().Before(*w.OfferExpiresAt):
		p.State = "expired"
	}
	if w.TicketTypeID != nil {
		p.Ticket = &models.TicketType{}
		if err := a.db.Take(p.Ticket, *w.TicketTypeID).Error; err != nil {
			return nil, errInternal("offer ticket", err)
		}
	} else if err := a.db.Where("event_id = ? AND hidden = ?", w.EventID, false).Order("position, id").Find(&p.Tickets).Error; err != nil {
		return nil, errInternal("offer tickets", err)
	}
	if w.SessionID != nil {
		p.Session = &models.Session{}
		if err := a.db.Take(p.Session, *w.SessionID).Error; err != nil {
			return nil, errInternal("offer session", err)
		}
	}
	formTicket := uint(0)
	if p.Ticket != nil {
		formTicket = p.Ticket.ID
	} else if len(p.Tickets) > 0 {
		formTicket = p.Tickets[0].ID
	}
	if p.State == "open" {
		if p.Holder, err = models.SessionOfferHolder(a.db, w); err != nil {
			return nil, errInternal("offer holder", err)
		}
	}
	if p.State == "open" && formTicket != 0 {
		if p.Reg, err = models.LoadRegistrationForm(a.db, w.EventID, formTicket); err != nil {
			return nil, errInternal("registration form", err)
		}
		if p.Consent, err = models.CurrentConsentTexts(a.db, w.EventID); err != nil {
			return nil, errInternal("consent texts", err)
		}
		for _, s := range p.Reg.SignupSessions {
			left := -1
			if s.Capacity > 0 {
				left = max(0, s.Capacity-s.PlacesTaken)
			}
			if p.Session != nil && s.ID == p.Session.ID {
				continue // held by the offer already
			}
			p.Choices = append(p.Choices, sessionChoice{Session: s, Left: left})
		}
	}
	return p, nil
}

func (a *App) renderOffer(c *fiber.Ctx, status int, p *offerPage, f registerForm, errs FieldErrors) error {
	ct, err := a.localiseOffer(c, p)
	if err != nil {
		return err
	}
	return a.renderStatus(c, status, "register/offer", withContent(fiber.Map{
		"Page": p, "Event": &p.Event, "Loc": p.Event.Location(), "Form": f, "Errors": errs, "ErrorLinks": labelErrorLinks(errorLinks(errs), p.Reg, false),
		"NeedKeys": needKeys, "Secret": c.Params("secret"),
	}, c, ct, &p.Event))
}

// showOffer shows a waitlist offer and the form to take it.
func (a *App) showOffer(c *fiber.Ctx) error {
	p, err := a.loadOffer(c)
	if err != nil {
		return err
	}
	f := blankRegisterForm(0, 1, "")
	f.Attendees[0].Name, f.Attendees[0].Email = p.Entry.Name, p.Entry.Email
	return a.renderOffer(c, fiber.StatusOK, p, f, FieldErrors{})
}

// postAcceptOffer turns the offer into an order of one attendee.
func (a *App) postAcceptOffer(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	p, err := a.loadOffer(c)
	if err != nil {
		return err
	}
	f := parseRegisterForm(postValues(c))
	f.Attendees = []attendeeForm{parseAttendee(postValues(c), "attendees.0.")}
	if p.State != "open" || p.Reg == nil {
		return a.renderOffer(c, fiber.StatusConflict, p, f, errs)
	}
	if p.Holder == nil && p.Ticket == nil && !ticketListed(p.Tickets, f.TicketTypeID) {
		errs.Add("ticket_type_id", "register.error.choose_ticket")
	}
	if errs.Any() {
		return a.renderOffer(c, fiber.StatusUnprocessableEntity, p, f, errs)
	}
	// A ticket holder's offer adds the session to their registration: the
	// form has no attendee fields then, and models ignores them.
	var ai models.AttendeeInput
	if p.Holder == nil {
		ai = attendeeInput(f.Attendees[0], p.Reg, f.ConsentTextIDs)
		if strings.TrimSpace(ai.Name) == "" {
			ai.Name = p.Entry.Name
		}
		if strings.TrimSpace(ai.Email) == "" {
			ai.Email = p.Entry.Email
		}
	}
	o, err := models.AcceptOffer(a.db, models.AcceptOfferInput{Secret: c.Params("secret"), TicketTypeID: f.TicketTypeID,
		Attendee: ai, Language: offerLang(c, p.Entry), Now: a.now()})
	var ve *models.ValidationError
	var sf models.ErrSessionFull
	switch {
	case err == nil && o.Reused:
		// Said on the offer's own page: the order's link is the buyer's,
		// who may be someone else.
		a.flash(c, "offer.session_added")
		return c.Redirect("/waitlist/"+c.Params("secret"), fiber.StatusSeeOther)
	case err == nil:
		if o.Status == models.OrderPending {
			return a.beginPayment(c, o)
		}
		a.nudge()
		return c.Redirect("/orders/"+o.Secret+"?welcome=1", fiber.StatusSeeOther)
	case errors.As(err, &ve):
		problemErrors(errs, ve.Problems)
	case errors.Is(err, models.ErrOfferUsed), errors.Is(err, models.ErrOfferExpired):
		p, err = a.loadOffer(c)
		if err != nil {
			return err
		}
		return a.renderOffer(c, fiber.StatusConflict, p, f, errs)
	case errors.As(err, &sf):
		errs.Add("attendees.0.sessions", "register.error.session_full")
	case errors.Is(err, models.ErrInvalidSession):
		errs.Add("attendees.0.sessions", "register.error.invalid")
	case errors.Is(err, models.ErrInvalidTicketType), errors.Is(err, models.ErrSalesClosed):
		errs.Add("ticket_type_id", "register.error.choose_ticket")
	case models.IsFull(err):
		errs.Add(formErrorKey, "register.error.event_full")
	case errors.Is(err, models.ErrEventNotOpen):
		errs.Add(formErrorKey, "register.state.closed")
	default:
		return errInternal("accept offer", err)
	}
	return a.renderOffer(c, fiber.StatusUnprocessableEntity, p, f, errs)
}

func ticketListed(ts []models.TicketType, id uint) bool {
	for _, t := range ts {
		if t.ID == id {
			return true
		}
	}
	return false
}
