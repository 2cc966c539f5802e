package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

func attendeeURL(e *models.Event, at *models.Attendee) string {
	return fmt.Sprintf("%s/%d", registrationsURL(e), at.ID)
}

// editAttendeePage shows an attendee's details in the attendee's own form.
// Without the access coordinator permission the form has no needs and no
// sensitive questions (and saving keeps their stored values); with it, the
// view of the filled-in sensitive fields is written to the audit log.
func (a *App) editAttendeePage(c *fiber.Ctx) error {
	e, m, at, err := a.managedAttendee(c)
	if err != nil {
		return err
	}
	view := models.SensitiveViewOf(m)
	qs, err := models.QuestionsOf(a.db, e.ID)
	if err != nil {
		return errInternal("questions", err)
	}
	if view.ShowsSomething(*at, qs, nil) {
		if err := a.auditSensitiveView(c, e, at, "edit form"); err != nil {
			return err
		}
	}
	shown, _ := view.Attendee(*at, qs)
	return a.renderAttendeeStaffEdit(c, fiber.StatusOK, e, at, attendeeFormOf(&shown), FieldErrors{})
}

func (a *App) renderAttendeeStaffEdit(c *fiber.Ctx, status int, e *models.Event, at *models.Attendee, f attendeeForm, errs FieldErrors) error {
	_, m, _ := managedEvent(c)
	view := models.SensitiveViewOf(m)
	qs, err := models.QuestionsOf(a.db, e.ID)
	if err != nil {
		return errInternal("questions", err)
	}
	if err := a.localiseQuestions(c, e, qs); err != nil {
		return err
	}
	return a.renderStatus(c, status, "manage/registration_edit", fiber.Map{"Event": e, "A": at, "Form": f, "Errors": errs,
		"ErrorLinks": errorLinks(errs), "Questions": view.Questions(qs), "ShowSensitive": view.Allowed(), "URL": attendeeURL(e, at),
		"HasNeeds": at.HasNeeds(), "HidesQuestions": len(view.Questions(qs)) < len(qs),
		"Editable": at.Status == models.AttendeeActive && at.AnonymisedAt == nil})
}

// postEditAttendee saves an attendee's details through models.StaffEditAttendee.
func (a *App) postEditAttendee(c *fiber.Ctx) error {
	e, m, at, err := a.managedAttendee(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseAttendee(postValues(c), "")
	if !errs.Any() {
		rf := &models.RegistrationForm{}
		if rf.Questions, err = models.QuestionsOf(a.db, e.ID); err != nil {
			return errInternal("questions", err)
		}
		err := models.StaffEditAttendee(a.db, at.ID, attendeeEdit(f, rf, models.SensitiveViewOf(m)), actorOf(c), a.now())
		var ve *models.ValidationError
		switch {
		case err == nil:
			a.flash(c, "staffreg.saved_flash")
			return c.Redirect(attendeeURL(e, at), fiber.StatusSeeOther)
		case errors.As(err, &ve):
			problemErrors(errs, ve.Problems)
		case errors.Is(err, models.ErrAttendeeNotActive), errors.Is(err, models.ErrAttendeeErased):
			errs.Add(formErrorKey, "staffreg.error.not_editable")
		default:
			return errInternal("edit attendee", err)
		}
	}
	return a.renderAttendeeStaffEdit(c, fiber.StatusUnprocessableEntity, e, at, f, errs)
}

// moveAttendeePage offers the event's other ticket types.
func (a *App) moveAttendeePage(c *fiber.Ctx) error {
	e, _, at, err := a.managedAttendee(c)
	if err != nil {
		return err
	}
	return a.renderMoveAttendee(c, fiber.StatusOK, e, at, "", FieldErrors{})
}

func (a *App) renderMoveAttendee(c *fiber.Ctx, status int, e *models.Event, at *models.Attendee, value string, errs FieldErrors) error {
	opts, err := a.ticketOptions(c, e, at.TicketTypeID)
	if err != nil {
		return err
	}
	return a.renderStatus(c, status, "manage/registration_move", fiber.Map{"Event": e, "A": at, "Tickets": opts, "Value": value,
		"Errors": errs, "URL": attendeeURL(e, at), "Active": at.Status == models.AttendeeActive && at.Order != nil && at.Order.IsLive()})
}

// postMoveAttendee moves the attendee through models.MoveAttendee: a full
// ticket type is a message beside the choice, never an oversold place.
func (a *App) postMoveAttendee(c *fiber.Ctx) error {
	e, _, at, err := a.managedAttendee(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	value := c.FormValue("ticket_type_id")
	tid := parseID(value)
	if tid == 0 {
		errs.Add("ticket_type_id", "register.error.choose_ticket")
	}
	if !errs.Any() {
		err := models.MoveAttendee(a.db, at.ID, tid, actorOf(c), a.now())
		switch {
		case err == nil:
			a.nudge() // the freed place may have gone to the waitlist
			a.flash(c, "staffreg.moved_flash")
			return c.Redirect(attendeeURL(e, at), fiber.StatusSeeOther)
		case errors.Is(err, models.ErrTicketTypeFull):
			errs.Add("ticket_type_id", "staffreg.error.ticket_full")
		case errors.Is(err, models.ErrSameTicketType):
			errs.Add("ticket_type_id", "staffreg.error.same_ticket")
		case errors.Is(err, models.ErrInvalidTicketType):
			errs.Add("ticket_type_id", "register.error.choose_ticket")
		case errors.Is(err, models.ErrOrderNotActive), errors.Is(err, models.ErrAttendeeNotActive):
			errs.Add(formErrorKey, "staffreg.error.not_editable")
		default:
			return errInternal("move attendee", err)
		}
	}
	return a.renderMoveAttendee(c, fiber.StatusUnprocessableEntity, e, at, value, errs)
}

// postResendConfirmation sends the order's confirmation again.
func (a *App) postResendConfirmation(c *fiber.Ctx) error {
	e, _, at, err := a.managedAttendee(c)
	if err != nil {
		return err
	}
	err = models.ResendConfirmation(a.db, at.OrderID, actorOf(c), a.now())
	switch {
	case err == nil:
		a.nudge()
		a.flash(c, "staffreg.resent_flash")
	case errors.Is(err, models.ErrResentRecently):
		a.flash(c, "staffreg.resent_recently_flash")
	case errors.Is(err, models.ErrOrderNotActive):
		a.flash(c, "staffreg.resend_not_active_flash")
	default:
		return errInternal("resend confirmation", err)
	}
	return c.Redirect(attendeeURL(e, at), fiber.StatusSeeOther)
}

// changeView is one change record as the registration page lists it.
type changeView struct {
	models.RegistrationChange
	Fields []changeFieldView
}

// changeFieldView is one changed field: a message id for the fields of
// the form, the question's own label for answers.
type changeFieldView struct {
	models.FieldChange
	LabelID string
	Label   string
}

var changeFieldLabels = map[string]string{"name": "register.name", "email": "register.email", "organization": "register.organization",
	"needs": "register.needs", "ticket_type": "tickettype.name", "to": "staffreg.field_to"}

// changeViews lists the changes as view may see them: values of answers to
// questions that are sensitive now are withheld (shown as "changed").
func changeViews(cs []models.RegistrationChange, view models.SensitiveView, qs []models.Question) []changeView {
	out := make([]changeView, len(cs))
	for i, c := range cs {
		out[i].RegistrationChange = c
		for _, f := range c.Fields() {
			if !view.ShowsChangeValues(f, qs) {
				f = models.FieldChange{Field: f.Field, Sensitive: true}
			}
			fv := changeFieldView{FieldChange: f, LabelID: changeFieldLabels[f.Field]}
			if label, ok := strings.CutPrefix(f.Field, "answer:"); ok {
				fv.LabelID, fv.Label = "", label
			} else if fv.LabelID == "" {
				fv.Label = f.Field
			}
			out[i].Fields = append(out[i].Fields, fv)
		}
	}
	return out
}
