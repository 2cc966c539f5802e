package app

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// attendeeScope is one attendee as a self-service page reaches them: through
// the buyer's order link (/orders/{secret}/attendees/{id}) or through the
// attendee's own link (/tickets/{secret}). The edit handlers below serve
// both; only the loader differs, and each loader is the access check.
type attendeeScope struct {
	Order     *models.Order
	Attendee  *models.Attendee
	Back      string // the page the forms return to
	BackLabel string // the message naming it
	Forms     string // the path the forms post under
}

// attendeeScopeLoader loads the scope of a request, or returns a 404.
type attendeeScopeLoader func(c *fiber.Ctx) (*attendeeScope, error)

// orderAttendeeScope is attendee :id of the order of /orders/:secret.
func (a *App) orderAttendeeScope(c *fiber.Ctx) (*attendeeScope, error) {
	o, at, err := a.orderAttendeeFromLink(c)
	if err != nil {
		return nil, err
	}
	base := "/orders/" + o.Secret
	return &attendeeScope{Order: o, Attendee: at, Back: base, BackLabel: "order.back", Forms: base + "/attendees/" + strconv.FormatUint(uint64(at.ID), 10)}, nil
}

// attendeeEditRoutes declares the forms that change one attendee, under r.
func (a *App) attendeeEditRoutes(r fiber.Router, load attendeeScopeLoader) {
	a.postForm(r, "/details", func(c *fiber.Ctx) error { return a.postAttendeeDetails(c, load) })
	a.postForm(r, "/answers", func(c *fiber.Ctx) error { return a.postAttendeeAnswers(c, load) })
	a.postForm(r, "/sessions", func(c *fiber.Ctx) error { return a.postAttendeeSessions(c, load) })
	a.postAction(r, "/consents/:rid/withdraw", func(c *fiber.Ctx) error { return a.postWithdrawConsent(c, load) })
}

// showAttendeeEdit shows the forms to change one attendee's details,
// answers and sessions, filled with what is stored.
func (a *App) showAttendeeEdit(c *fiber.Ctx, load attendeeScopeLoader) error {
	s, err := load(c)
	if err != nil {
		return err
	}
	at := s.Attendee
	f := newAttendeeForm()
	f.Name, f.Organization, f.Needs, f.NeedsNote = at.Name, at.Organization, at.Needs, at.NeedsNote
	storedAnswers(at, &f)
	if err := a.storedSessions(at.ID, &f); err != nil {
		return err
	}
	return a.renderAttendeeEdit(c, fiber.StatusOK, s, f, FieldErrors{})
}

// storedSessions puts the attendee's stored session choices into f.
func (a *App) storedSessions(attendeeID uint, f *attendeeForm) error {
	ids, err := models.AttendeeSessionIDs(a.db, attendeeID)
	if err != nil {
		return errInternal("attendee sessions", err)
	}
	for _, id := range ids {
		f.Sessions[strconv.FormatUint(uint64(id), 10)] = true
	}
	return nil
}

// storedAnswers puts the attendee's stored answers into f.
func storedAnswers(at *models.Attendee, f *attendeeForm) {
	for _, ans := range at.Answers {
		f.Answers[strconv.FormatUint(uint64(ans.QuestionID), 10)] = ans.Value
	}
}

func (a *App) renderAttendeeEdit(c *fiber.Ctx, status int, s *attendeeScope, f attendeeForm, errs FieldErrors) error {
	o, at := s.Order, s.Attendee
	rf, err := models.LoadRegistrationForm(a.db, o.EventID, at.TicketTypeID)
	if err != nil {
		return errInternal("registration form", err)
	}
	// Questions and their choices in the person's language (the order's,
	// or the one asked); staff read them in their own when the event has it.
	lang := askedLang(c)
	if lang == "" {
		lang = o.Language
		if strings.HasPrefix(s.Forms, "/manage/") {
			lang = a.contentLang(c)
		}
	}
	ct, err := models.LoadContent(a.db, &o.Event, lang)
	if err != nil {
		return errInternal("load content", err)
	}
	for i := range rf.Questions {
		ct.Question(&rf.Questions[i])
	}
	var sessions []sessionChoice
	for _, s := range rf.SignupSessions {
		left := -1
		if s.Capacity > 0 {
			left = max(0, s.Capacity-s.PlacesTaken)
		}
		sessions = append(sessions, sessionChoice{Session: s, Left: left})
	}
	editable := o.IsLive() && at.Status == models.AttendeeActive && at.AnonymisedAt == nil
	return a.renderStatus(c, status, "register/attendee_edit", fiber.Map{
		"Order": o, "Event": &o.Event, "Loc": o.Event.Location(), "Attendee": at, "Form": f, "Errors": errs,
		"ErrorLinks": errorLinks(errs), "Questions": rf.Questions, "Sessions": sessions, "Editable": editable,
		"Base": s.Back, "BackLabel": s.BackLabel, "Forms": s.Forms,
	})
}

// postAttendeeDetails changes an attendee's name, organization and needs,
// with the registration form's checks.
func (a *App) postAttendeeDetails(c *fiber.Ctx, load attendeeScopeLoader) error {
	s, err := load(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseAttendee(postValues(c), "")
	storedAnswers(s.Attendee, &f)
	if err := a.storedSessions(s.Attendee.ID, &f); err != nil {
		return err
	}
	if !errs.Any() {
		err := models.UpdateAttendeeDetails(a.db, s.Attendee.ID, models.AttendeeDetails{
			Name: f.Name, Organization: f.Organization, Needs: f.Needs, NeedsNote: f.NeedsNote}, a.now())
		return a.attendeeSaved(c, s, f, errs, err, "ticket.details_saved", "update details")
	}
	return a.renderAttendeeEdit(c, fiber.StatusUnprocessableEntity, s, f, errs)
}

// attendeeSaved answers a details or answers save: back to the page with a
// flash, or the form again with each problem beside its field.
func (a *App) attendeeSaved(c *fiber.Ctx, s *attendeeScope, f attendeeForm, errs FieldErrors, err error, flashID, step string) error {
	var ve *models.ValidationError
	switch {
	case err == nil:
		a.flash(c, flashID)
		return c.Redirect(s.Back, fiber.StatusSeeOther)
	case errors.As(err, &ve):
		problemErrors(errs, ve.Problems)
	case errors.Is(err, models.ErrAttendeeNotActive):
		errs.Add(formErrorKey, "order.not_active")
	default:
		return errInternal(step, err)
	}
	return a.renderAttendeeEdit(c, fiber.StatusUnprocessableEntity, s, f, errs)
}

// postAttendeeAnswers replaces an attendee's answers.
func (a *App) postAttendeeAnswers(c *fiber.Ctx, load attendeeScopeLoader) error {
	s, err := load(c)
	if err != nil {
		return err
	}
	o, at := s.Order, s.Attendee
	errs := csrfErrors(c)
	f := parseAttendee(postValues(c), "")
	f.Name, f.Organization, f.Needs, f.NeedsNote = at.Name, at.Organization, at.Needs, at.NeedsNote
	// Keep the session choices shown as they are stored.
	if err := a.storedSessions(at.ID, &f); err != nil {
		return err
	}
	if !errs.Any() {
		rf := &models.RegistrationForm{}
		if err := a.db.Where("event_id = ?", o.EventID).Find(&rf.Questions).Error; err != nil {
			return errInternal("questions", err)
		}
		ai := attendeeInput(f, rf, nil)
		err := models.UpdateAttendeeAnswers(a.db, at.ID, ai.Answers)
		return a.attendeeSaved(c, s, f, errs, err, "order.answers_saved", "update answers")
	}
	return a.renderAttendeeEdit(c, fiber.StatusUnprocessableEntity, s, f, errs)
}

// postAttendeeSessions changes an attendee's session choices: new places
// are taken and dropped ones freed in one step.
func (a *App) postAttendeeSessions(c *fiber.Ctx, load attendeeScopeLoader) error {
	s, err := load(c)
	if err != nil {
		return err
	}
	at := s.Attendee
	errs := csrfErrors(c)
	f := parseAttendee(postValues(c), "")
	f.Name, f.Organization, f.Needs, f.NeedsNote = at.Name, at.Organization, at.Needs, at.NeedsNote
	storedAnswers(at, &f)
	if !errs.Any() {
		var ids []uint
		bad := false
		for s := range f.Sessions {
			id := parseID(s)
			bad = bad || id == 0
			ids = append(ids, id)
		}
		err := models.ErrInvalidSession
		if !bad {
			err = models.UpdateAttendeeSessions(a.db, at.ID, ids, a.now())
		}
		var sf models.ErrSessionFull
		switch {
		case err == nil:
			a.nudge() // a freed place may have gone to the waitlist
			a.flash(c, "order.sessions_saved")
			return c.Redirect(s.Back, fiber.StatusSeeOther)
		case errors.As(err, &sf):
			errs.Add("sessions", "register.error.session_full")
		case errors.Is(err, models.ErrInvalidSession):
			errs.Add("sessions", "register.error.invalid")
		case errors.Is(err, models.ErrOrderNotActive), errors.Is(err, models.ErrAttendeeNotActive):
			errs.Add(formErrorKey, "order.not_active")
		default:
			return errInternal("update sessions", err)
		}
	}
	return a.renderAttendeeEdit(c, fiber.StatusUnprocessableEntity, s, f, errs)
}

// postWithdrawConsent withdraws one of an attendee's optional consents.
func (a *App) postWithdrawConsent(c *fiber.Ctx, load attendeeScopeLoader) error {
	s, err := load(c)
	if err != nil {
		return err
	}
	err = models.Withdraw(a.db, s.Attendee.ID, parseID(c.Params("rid")), a.now())
	switch {
	case errors.Is(err, models.ErrConsentRequired):
		a.flash(c, "order.privacy_required")
	case err != nil:
		return dbErr("withdraw consent", err)
	default:
		a.flash(c, "order.consent_withdrawn")
	}
	return c.Redirect(s.Back+"#attendee-"+strconv.FormatUint(uint64(s.Attendee.ID), 10), fiber.StatusSeeOther)
}
