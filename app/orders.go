package app

import (
	"encoding/base64"
	"errors"
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"

	"github.com/agora-events/agora/models"
)

// orderRoutes declares the self-service pages of one order, under
// /orders/{secret}: the secret is the only key, so every handler loads the
// order from it and every attendee through the order.
func (a *App) orderRoutes(o fiber.Router) {
	o.Get("", a.showOrder)
	o.Get("/calendar.ics", a.orderCalendar)
	o.Get("/data.json", a.orderData)
	o.Get("/attendees/:id", a.showAttendeeEdit)
	a.postForm(o, "/attendees/:id/answers", a.postAttendeeAnswers)
	a.postForm(o, "/attendees/:id/sessions", a.postAttendeeSessions)
	a.postAction(o, "/attendees/:id/consents/:rid/withdraw", a.postWithdrawConsent)
	o.Get("/cancel", a.showCancelOrder)
	a.postAction(o, "/cancel", a.postCancelOrder)
}

// orderFromLink loads the order of the link's secret; a malformed, truncated
// or unknown secret is the same friendly 404.
func (a *App) orderFromLink(c *fiber.Ctx) (*models.Order, error) {
	o, err := models.OrderBySecret(a.db, c.Params("secret"))
	if err != nil {
		return nil, dbErr("order by secret", err)
	}
	return o, nil
}

// attendeeOfOrder returns the order's attendee named in the path; an
// attendee of another order is a 404.
// orderAttendeeFromLink loads the order of the secret link and the attendee
// :id of it (404 for any other attendee).
func (a *App) orderAttendeeFromLink(c *fiber.Ctx) (*models.Order, *models.Attendee, error) {
	o, err := a.orderFromLink(c)
	if err != nil {
		return nil, nil, err
	}
	at, err := attendeeOfOrder(c, o)
	if err != nil {
		return nil, nil, err
	}
	return o, at, nil
}

func attendeeOfOrder(c *fiber.Ctx, o *models.Order) (*models.Attendee, error) {
	id := parseID(c.Params("id"))
	for i := range o.Attendees {
		if o.Attendees[i].ID == id {
			return &o.Attendees[i], nil
		}
	}
	return nil, errNotFound()
}

// ticketView is one attendee as the order page shows them.
type ticketView struct {
	models.Attendee
	Code     string
	QR       template.URL // data: URL of the QR code PNG; empty when no valid ticket
	Sessions []models.Session
	Consents []models.ConsentRecord
	Answers  []orderAnswer
}

// orderAnswer is one answered question on the attendee's own ticket.
type orderAnswer struct {
	Question string
	Value    string
}

// ticketCode is what the door staff type: the order code, plus the
// attendee's number when the order holds several.
func ticketCode(o *models.Order, at models.Attendee) string {
	if len(o.Attendees) > 1 {
		return o.Code + "-" + strconv.Itoa(at.Position)
	}
	return o.Code
}

// qrDataURL draws the QR code of a ticket as an inline PNG.
func qrDataURL(secret string) (template.URL, error) {
	png, err := qrcode.Encode(secret, qrcode.Medium, 256)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// ticketViews loads what the order page shows for each attendee.
func (a *App) ticketViews(o *models.Order) ([]ticketView, error) {
	var qs []models.Question
	if err := a.db.Where("event_id = ?", o.EventID).Order("position, id").Find(&qs).Error; err != nil {
		return nil, err
	}
	var out []ticketView
	for _, at := range o.Attendees {
		tv := ticketView{Attendee: at, Code: ticketCode(o, at)}
		if o.Status == models.OrderConfirmed && at.Status == models.AttendeeActive {
			qr, err := qrDataURL(at.QRSecret)
			if err != nil {
				return nil, err
			}
			tv.QR = qr
		}
		if err := a.db.Joins("JOIN session_signups ON session_signups.session_id = sessions.id").
			Where("session_signups.attendee_id = ?", at.ID).Order("starts_at, sessions.id").Find(&tv.Sessions).Error; err != nil {
			return nil, err
		}
		var err error
		if tv.Consents, err = models.AttendeeConsents(a.db, at.ID); err != nil {
			return nil, err
		}
		byQ := map[uint]string{}
		for _, ans := range at.Answers {
			byQ[ans.QuestionID] = ans.Value
		}
		for _, q := range qs {
			if v, ok := byQ[q.ID]; ok {
				tv.Answers = append(tv.Answers, orderAnswer{q.Label, v})
			}
		}
		out = append(out, tv)
	}
	return out, nil
}

// showOrder is the confirmation and self-service page of an order.
func (a *App) showOrder(c *fiber.Ctx) error {
	o, err := a.orderFromLink(c)
	if err != nil {
		return err
	}
	tickets, err := a.ticketViews(o)
	if err != nil {
		return errInternal("order tickets", err)
	}
	links, err := a.linksOfOrder(o)
	if err != nil {
		return errInternal("order links", err)
	}
	return a.render(c, "register/order", fiber.Map{
		"Links": links,
		"Order": o, "Event": &o.Event, "Loc": o.Event.Location(), "Tickets": tickets,
		"Welcome": c.Query("welcome") == "1", "Live": o.IsLive(), "Base": "/orders/" + o.Secret,
		"EventOver": o.Event.IsPast(a.now()),
	})
}

// orderCalendar serves the event and the sessions the order's attendees chose.
func (a *App) orderCalendar(c *fiber.Ctx) error {
	o, err := a.orderFromLink(c)
	if err != nil {
		return err
	}
	e := &o.Event
	host := hostOf(a.cfg.BaseURL)
	cal := newCalendar(e)
	vev := cal.AddEvent("event-" + strconv.FormatUint(uint64(e.ID), 10) + "-order-" + strconv.FormatUint(uint64(o.ID), 10) + "@" + host)
	status := e.Status
	if !o.IsLive() {
		status = models.StatusCancelled
	}
	fillCalendarEvent(vev, a.now(), e.Title, e.Summary, e.StartsAt, e.EndsAt, eventPlace(e), a.cfg.BaseURL+"/events/"+e.Slug, status)
	if o.IsLive() {
		var ss []models.Session
		if err := a.db.Preload("Room").Joins("JOIN session_signups ON session_signups.session_id = sessions.id").
			Joins("JOIN attendees ON attendees.id = session_signups.attendee_id").
			Where("attendees.order_id = ? AND attendees.status = ?", o.ID, models.AttendeeActive).
			Distinct("sessions.*").Order("sessions.starts_at, sessions.id").Find(&ss).Error; err != nil {
			return errInternal("order sessions", err)
		}
		for _, s := range ss {
			sv := cal.AddEvent("session-" + strconv.FormatUint(uint64(s.ID), 10) + "-order-" + strconv.FormatUint(uint64(o.ID), 10) + "@" + host)
			place := eventPlace(e)
			if s.Room != nil {
				place = s.Room.Name + ", " + place
			}
			fillCalendarEvent(sv, a.now(), s.Title+" — "+e.Title, s.Description, s.StartsAt, s.EndsAt, place,
				a.cfg.BaseURL+"/events/"+e.Slug+"#session-"+strconv.FormatUint(uint64(s.ID), 10), e.Status)
		}
	}
	return sendCalendar(c, e.Slug+"-"+strings.ToLower(o.Code)+".ics", cal)
}

// showAttendeeEdit shows the forms to change one attendee's answers and sessions.
func (a *App) showAttendeeEdit(c *fiber.Ctx) error {
	o, at, err := a.orderAttendeeFromLink(c)
	if err != nil {
		return err
	}
	f := newAttendeeForm()
	for _, ans := range at.Answers {
		f.Answers[strconv.FormatUint(uint64(ans.QuestionID), 10)] = ans.Value
	}
	ids, err := models.AttendeeSessionIDs(a.db, at.ID)
	if err != nil {
		return errInternal("attendee sessions", err)
	}
	for _, id := range ids {
		f.Sessions[strconv.FormatUint(uint64(id), 10)] = true
	}
	return a.renderAttendeeEdit(c, fiber.StatusOK, o, at, f, FieldErrors{})
}

func (a *App) renderAttendeeEdit(c *fiber.Ctx, status int, o *models.Order, at *models.Attendee, f attendeeForm, errs FieldErrors) error {
	rf, err := models.LoadRegistrationForm(a.db, o.EventID, at.TicketTypeID)
	if err != nil {
		return errInternal("registration form", err)
	}
	var sessions []sessionChoice
	for _, s := range rf.SignupSessions {
		left := -1
		if s.Capacity > 0 {
			left = max(0, s.Capacity-s.PlacesTaken)
		}
		sessions = append(sessions, sessionChoice{Session: s, Left: left})
	}
	editable := o.IsLive() && at.Status == models.AttendeeActive
	return a.renderStatus(c, status, "register/attendee_edit", fiber.Map{
		"Order": o, "Event": &o.Event, "Loc": o.Event.Location(), "Attendee": at, "Form": f, "Errors": errs,
		"ErrorLinks": errorLinks(errs), "Questions": rf.Questions, "Sessions": sessions, "Editable": editable,
		"Base": "/orders/" + o.Secret,
	})
}

// postAttendeeAnswers replaces an attendee's answers.
func (a *App) postAttendeeAnswers(c *fiber.Ctx) error {
	o, at, err := a.orderAttendeeFromLink(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	v := postValues(c)
	f := parseAttendee(v, "")
	// Keep the session choices shown as they are stored.
	if ids, err := models.AttendeeSessionIDs(a.db, at.ID); err == nil {
		for _, id := range ids {
			f.Sessions[strconv.FormatUint(uint64(id), 10)] = true
		}
	}
	if !errs.Any() {
		rf := &models.RegistrationForm{}
		if err := a.db.Where("event_id = ?", o.EventID).Find(&rf.Questions).Error; err != nil {
			return errInternal("questions", err)
		}
		ai := attendeeInput(f, rf, nil)
		err := models.UpdateAttendeeAnswers(a.db, at.ID, ai.Answers)
		var ve *models.ValidationError
		switch {
		case err == nil:
			a.flash(c, "order.answers_saved")
			return c.Redirect("/orders/"+o.Secret, fiber.StatusSeeOther)
		case errors.As(err, &ve):
			problemErrors(errs, ve.Problems)
		case errors.Is(err, models.ErrAttendeeNotActive):
			errs.Add(formErrorKey, "order.not_active")
		default:
			return errInternal("update answers", err)
		}
	}
	return a.renderAttendeeEdit(c, fiber.StatusUnprocessableEntity, o, at, f, errs)
}

// postAttendeeSessions changes an attendee's session choices: new places
// are taken and dropped ones freed in one step.
func (a *App) postAttendeeSessions(c *fiber.Ctx) error {
	o, at, err := a.orderAttendeeFromLink(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseAttendee(postValues(c), "")
	for _, ans := range at.Answers {
		f.Answers[strconv.FormatUint(uint64(ans.QuestionID), 10)] = ans.Value
	}
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
			return c.Redirect("/orders/"+o.Secret, fiber.StatusSeeOther)
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
	return a.renderAttendeeEdit(c, fiber.StatusUnprocessableEntity, o, at, f, errs)
}

// postWithdrawConsent withdraws one of an attendee's optional consents.
func (a *App) postWithdrawConsent(c *fiber.Ctx) error {
	o, at, err := a.orderAttendeeFromLink(c)
	if err != nil {
		return err
	}
	err = models.Withdraw(a.db, at.ID, parseID(c.Params("rid")), a.now())
	switch {
	case errors.Is(err, models.ErrConsentRequired):
		a.flash(c, "order.privacy_required")
	case err != nil:
		return dbErr("withdraw consent", err)
	default:
		a.flash(c, "order.consent_withdrawn")
	}
	return c.Redirect("/orders/"+o.Secret+"#attendee-"+strconv.FormatUint(uint64(at.ID), 10), fiber.StatusSeeOther)
}

// showCancelOrder asks to confirm a cancellation (a page, so it works without JavaScript).
func (a *App) showCancelOrder(c *fiber.Ctx) error {
	o, err := a.orderFromLink(c)
	if err != nil {
		return err
	}
	data := fiber.Map{"Order": o, "Event": &o.Event, "Live": o.IsLive(), "Base": "/orders/" + o.Secret}
	if err := a.cancelPageData(o, data); err != nil {
		return err
	}
	return a.render(c, "register/cancel", data)
}

// postCancelOrder cancels the order; its places go back (to the waitlist first).
func (a *App) postCancelOrder(c *fiber.Ctx) error {
	o, err := a.orderFromLink(c)
	if err != nil {
		return err
	}
	flash, err := a.cancelOrderBySelf(o)
	if err != nil {
		return err
	}
	if flash != "" {
		a.flash(c, flash)
	}
	return c.Redirect("/orders/"+o.Secret, fiber.StatusSeeOther)
}
