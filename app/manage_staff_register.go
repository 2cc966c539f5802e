package app

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// actorOf is the signed-in organizer as change records name them.
func actorOf(c *fiber.Ctx) models.Actor {
	u := currentUser(c)
	if u == nil {
		return models.Actor{}
	}
	return models.Actor{UserID: u.ID, Name: u.Name}
}

// ticketOptions lists every ticket type of the event, hidden ones too,
// with what is left of each, for the organizer's choice.
func (a *App) ticketOptions(c *fiber.Ctx, e *models.Event, skip uint) ([]selectOption, error) {
	ts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return nil, errInternal("ticket types", err)
	}
	L := newTranslator(a.bundle, a.lang(c))
	var out []selectOption
	for _, t := range ts {
		if t.ID == skip {
			continue
		}
		label := t.Name
		if t.Hidden {
			label += " (" + L.T("staffreg.hidden") + ")"
		}
		switch left := t.PlacesLeft(); {
		case left == 0:
			label += " — " + L.T("staffreg.full")
		case left > 0:
			label += " — " + L.T("staffreg.places_left", "N", left)
		}
		out = append(out, selectOption{Value: strconv.FormatUint(uint64(t.ID), 10), Label: label})
	}
	return out, nil
}

// newStaffRegistration shows the "register someone" form for ?count= people.
func (a *App) newStaffRegistration(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(c.Query("count"))
	n = max(1, min(n, models.MaxAttendeeCap))
	return a.renderStaffRegistration(c, fiber.StatusOK, e, blankStaffRegisterForm(n, a.langs.offered[0]), FieldErrors{})
}

func (a *App) renderStaffRegistration(c *fiber.Ctx, status int, e *models.Event, f staffRegisterForm, errs FieldErrors) error {
	tickets, err := a.ticketOptions(c, e, 0)
	if err != nil {
		return err
	}
	qs, err := models.QuestionsOf(a.db, e.ID)
	if err != nil {
		return errInternal("questions", err)
	}
	if err := a.localiseQuestions(c, e, qs); err != nil {
		return err
	}
	ps, err := models.PaymentSettings(a.db, e.ID)
	if err != nil {
		return dbErr("payment settings", err)
	}
	counts := make([]int, 10)
	for i := range counts {
		counts[i] = i + 1
	}
	return a.renderStatus(c, status, "manage/registration_new", fiber.Map{"Event": e, "Loc": e.Location(), "Form": f,
		"Errors": errs, "ErrorLinks": labelErrorLinks(errorLinks(errs), &models.RegistrationForm{Questions: qs}, f.SomeoneElse || len(f.Attendees) > 1), "Tickets": tickets, "Questions": qs, "Kinds": optionsOf(models.StaffKinds),
		"Languages": a.languageOptions(), "AllowInvoice": ps.AllowInvoice, "Counts": counts,
		"TicketValue": strconv.FormatUint(uint64(f.TicketTypeID), 10)})
}

// postStaffRegistration registers the people of the form through
// models.PlaceStaffOrder, or shows the form again with a message beside
// each field and everything typed kept.
func (a *App) postStaffRegistration(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseStaffRegisterForm(postValues(c))
	errs.merge(f.Validate())
	if f.Kind == models.StaffFullPrice && !a.paymentsConfigured() {
		// The link would lead to a payment page that cannot take money.
		errs.Add("kind", "staffreg.error.no_online_payment")
	}
	if errs.Any() {
		return a.renderStaffRegistration(c, fiber.StatusUnprocessableEntity, e, f, errs)
	}
	rf, err := models.LoadRegistrationForm(a.db, e.ID, f.TicketTypeID)
	if errors.Is(err, models.ErrInvalidTicketType) {
		errs.Add("ticket_type_id", "register.error.choose_ticket")
		return a.renderStaffRegistration(c, fiber.StatusUnprocessableEntity, e, f, errs)
	}
	if err != nil {
		return errInternal("registration form", err)
	}
	in := f.input(rf)
	in.EventID, in.Language, in.Now, in.Visitor = e.ID, f.Language, a.now(), formVisitor(c)
	in.VoucherCode = ""
	o, err := models.PlaceStaffOrder(a.db, models.StaffOrderInput{PlaceOrderInput: in, Kind: f.Kind, Actor: actorOf(c), SendConfirmation: f.Send})
	if err == nil {
		if f.Send {
			a.nudge()
		}
		a.flash(c, "staffreg.created_flash")
		if len(o.Attendees) > 0 {
			return c.Redirect(fmt.Sprintf("%s/%d", registrationsURL(e), o.Attendees[0].ID), fiber.StatusSeeOther)
		}
		return c.Redirect(orderAdminURL(e, o.ID), fiber.StatusSeeOther)
	}
	status := fiber.StatusUnprocessableEntity
	var sf models.ErrSessionFull
	switch {
	case errors.Is(err, models.ErrIdempotencyKeyTaken):
		f.IdempotencyKey = randomToken(24)
		errs.Add(formErrorKey, "register.error.resend")
	case errors.Is(err, models.ErrTicketTypeFull):
		errs.Add("ticket_type_id", "staffreg.error.ticket_full")
		status = fiber.StatusConflict
	case errors.Is(err, models.ErrEventFull):
		errs.Add(formErrorKey, "staffreg.error.event_full")
		status = fiber.StatusConflict
	case errors.As(err, &sf):
		errs.Add(formErrorKey, "register.error.session_full")
		status = fiber.StatusConflict
	case errors.Is(err, models.ErrEventNotOpen):
		errs.Add(formErrorKey, "staffreg.error.event_cancelled")
	case errors.Is(err, models.ErrInvoiceNotAllowed):
		errs.Add("kind", "staffreg.error.invoice_off")
	case errors.Is(err, models.ErrTooManyAttendees):
		errs.Add("attendees", "register.error.too_many", "Max", min(rf.TicketType.MaxAttendees(), models.MaxAttendeeCap))
	case errors.Is(err, models.ErrUnknownStaffKind):
		errs.Add("kind", "staffreg.error.kind")
	default:
		if _, _, perr := a.placeOrderErrors(errs, err, f.registerForm); perr != nil {
			return perr
		}
	}
	return a.renderStaffRegistration(c, status, e, f, errs)
}
