package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// ticketRoutes declares a delegate's own pages, under /tickets/{secret}:
// the attendee's link secret is the only key, so every handler loads that
// one attendee (and their order) from it, never another attendee of the
// order. The buyer keeps the whole order under /orders/{secret}.
func (a *App) ticketRoutes(f fiber.Router) {
	t := f.Group("/tickets/:secret", a.secretHeaders)
	t.Get("", a.showTicket)
	t.Get("/calendar.ics", a.ticketCalendar)
	t.Get("/data.json", a.ticketData)
	t.Get("/meetings", a.ticketMeetings)
	t.Get("/certificate.pdf", a.ticketCertificatePDF)
	t.Get("/edit", func(c *fiber.Ctx) error { return a.showAttendeeEdit(c, a.ticketScope) })
	a.attendeeEditRoutes(t, a.ticketScope)
	t.Get("/cancel", a.showCancelTicket)
	a.postAction(t, "/cancel", a.postCancelTicket)
	a.ticketErasureRoutes(t)
	a.ticketLiveRoutes(t) // the live boards of the event's sessions (app/live_board.go)
	a.feedbackTicketRoutes(t)
}

// ticketScope loads the attendee of the link's secret; a malformed or
// unknown secret (an order's secret included) is the same friendly 404.
func (a *App) ticketScope(c *fiber.Ctx) (*attendeeScope, error) {
	at, err := models.AttendeeByLink(a.db, c.Params("secret"))
	if err != nil {
		return nil, dbErr("attendee by link", err)
	}
	base := "/tickets/" + at.LinkSecret
	return &attendeeScope{Order: at.Order, Attendee: at, Back: base, BackLabel: "ticket.back", Forms: base}, nil
}

// ticketLive reports whether the attendee still holds a place.
func ticketLive(s *attendeeScope) bool {
	return s.Order.IsLive() && s.Attendee.Status == models.AttendeeActive
}

// ticketOf loads the attendee's own ticket (answers, sessions, consents, QR).
func (a *App) ticketOf(s *attendeeScope) (ticketView, error) {
	var n int64
	if err := a.db.Model(&models.Attendee{}).Where("order_id = ?", s.Order.ID).Count(&n).Error; err != nil {
		return ticketView{}, err
	}
	tvs, err := a.ticketViewsOf(s.Order, []models.Attendee{*s.Attendee}, n > 1)
	if err != nil {
		return ticketView{}, err
	}
	return tvs[0], nil // one view per attendee given
}

// showTicket is a delegate's own page: their ticket and QR code, sessions,
// answers, needs and consents, and the links to change or cancel them.
func (a *App) showTicket(c *fiber.Ctx) error {
	s, err := a.ticketScope(c)
	if err != nil {
		return err
	}
	t, err := a.ticketOf(s)
	if err != nil {
		return errInternal("ticket", err)
	}
	meetings, err := a.ticketMayMeet(s)
	if err != nil {
		return errInternal("ticket networking", err)
	}
	o := s.Order
	views := []ticketView{t}
	ct, err := a.orderContent(c, o, views)
	if err != nil {
		return err
	}
	t = views[0]
	return a.render(c, "register/ticket", fiber.Map{"C": ct,
		"Order": o, "Event": &o.Event, "Loc": o.Event.Location(), "Ticket": t, "Live": ticketLive(s),
		"Base": s.Back, "EventOver": o.Event.IsPast(a.now()), "Meetings": meetings, "Erased": s.Attendee.AnonymisedAt != nil,
		// The certificate rule itself is models.IssueCertificate's (a 404 otherwise).
		"Certificate": o.Event.IsPast(a.now()) && ticketLive(s) && o.Status == models.OrderConfirmed && s.Attendee.CheckedInAt != nil,
		"LiveBoards":  a.ticketBoards(s, ct),
	})
}

// ticketCertificatePDF is the delegate's own certificate of attendance.
func (a *App) ticketCertificatePDF(c *fiber.Ctx) error {
	s, err := a.ticketScope(c)
	if err != nil {
		return err
	}
	return a.certificatePDF(c, s.Attendee.ID)
}

// ticketMayMeet reports whether the attendee may take part in the event's
// one-to-one meetings now.
func (a *App) ticketMayMeet(s *attendeeScope) (bool, error) {
	if s.Order.Status != models.OrderConfirmed || !ticketLive(s) {
		return false, nil
	}
	set, err := models.NetworkingFor(a.db, s.Order.EventID)
	if err != nil || !set.Enabled {
		return false, err
	}
	_, err = models.NetworkingAttendee(a.db, set, s.Attendee.ID)
	if errors.Is(err, models.ErrNotEligible) {
		return false, nil
	}
	return err == nil, err
}

// ticketMeetings signs the attendee of the link in to the event's
// networking, as /orders/{secret}/meetings does for an order.
func (a *App) ticketMeetings(c *fiber.Ctx) error {
	s, err := a.ticketScope(c)
	if err != nil {
		return err
	}
	ok, err := a.ticketMayMeet(s)
	if err != nil {
		return errInternal("ticket networking", err)
	}
	if !ok {
		return errNotFound()
	}
	if err := a.signInAttendee(c, s.Order.EventID, s.Attendee.ID); err != nil {
		return err
	}
	return c.Redirect(meetingsBase(&s.Order.Event), fiber.StatusSeeOther)
}

// ticketCalendar serves the event and the attendee's own sessions.
func (a *App) ticketCalendar(c *fiber.Ctx) error {
	s, err := a.ticketScope(c)
	if err != nil {
		return err
	}
	name := s.Order.Event.Slug + "-" + strings.ToLower(s.Order.Code) + "-" + strconv.Itoa(s.Attendee.Position) + ".ics"
	return a.serveCalendar(c, s.Order, ticketLive(s), s.Attendee.ID, name)
}

// ticketExport is what is stored about one delegate, as they may download
// it: their registration, not the order's other people or its payment.
type ticketExport struct {
	Registration ticketExportOrder     `json:"registration"`
	Event        orderExportEvent      `json:"event"`
	Attendee     attendeeExport        `json:"attendee"`
	Waitlist     []waitlistEntryExport `json:"waitlist"`
}

type ticketExportOrder struct {
	Code     string     `json:"code"`
	Status   string     `json:"status"`
	Language string     `json:"language"`
	Created  time.Time  `json:"created_at"`
	Ended    *time.Time `json:"cancelled_at,omitempty"`
}

// ticketData serves the attendee's own data as a JSON download.
func (a *App) ticketData(c *fiber.Ctx) error {
	s, err := a.ticketScope(c)
	if err != nil {
		return err
	}
	t, err := a.ticketOf(s)
	if err != nil {
		return errInternal("ticket", err)
	}
	o := s.Order
	x := ticketExport{
		Registration: ticketExportOrder{Code: t.Code, Status: o.Status, Language: o.Language, Created: o.CreatedAt, Ended: o.CancelledAt},
		Event:        orderExportEvent{Title: o.Event.Title, URL: a.cfg.BaseURL + "/events/" + o.Event.Slug, StartsAt: o.Event.StartsAt, EndsAt: o.Event.EndsAt},
		Attendee:     attendeeExportOf(t),
	}
	if x.Waitlist, err = a.waitlistExport(o.EventID, s.Attendee.Email); err != nil {
		return err
	}
	return sendJSONDownload(c, x, "agora-"+strings.ToLower(t.Code)+".json")
}

// showCancelTicket asks the attendee to confirm cancelling their own place.
func (a *App) showCancelTicket(c *fiber.Ctx) error {
	s, err := a.ticketScope(c)
	if err != nil {
		return err
	}
	return a.render(c, "register/ticket_cancel", fiber.Map{"Order": s.Order, "Event": &s.Order.Event, "Attendee": s.Attendee,
		"Live": ticketLive(s), "Paid": s.Order.Total > 0, "Base": s.Back})
}

// postCancelTicket cancels the attendee of the link only: their places go
// back (to the waitlist first); the order stays for the others, and ends
// when they were its last active attendee (models.CancelOwnPlace).
func (a *App) postCancelTicket(c *fiber.Ctx) error {
	s, err := a.ticketScope(c)
	if err != nil {
		return err
	}
	done, err := models.CancelOwnPlace(a.db, s.Attendee.ID, a.now())
	if err != nil {
		return errInternal("cancel attendee", err)
	}
	if done {
		a.nudge()
		a.flash(c, "ticket.cancelled_flash")
	}
	return c.Redirect(s.Back, fiber.StatusSeeOther)
}
