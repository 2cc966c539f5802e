package app

import (
	"encoding/base64"
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
	o.Get("/attendees/:id", func(c *fiber.Ctx) error { return a.showAttendeeEdit(c, a.orderAttendeeScope) })
	a.attendeeEditRoutes(o.Group("/attendees/:id"), a.orderAttendeeScope)
	o.Get("/cancel", a.showCancelOrder)
	a.postAction(o, "/cancel", a.postCancelOrder)
	a.orderErasureRoutes(o)
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
	// Delegate: this person got their own ticket and link by e-mail.
	Delegate bool
}

// orderAnswer is one answered question on the attendee's own ticket.
// Value is shown; q keeps the question so orderContent can show the label
// and a choice in the order's language (the stored value is the default's).
type orderAnswer struct {
	Question string
	Value    string
	q        models.Question
}

// ticketCode is what the door staff type: the order code, plus the
// attendee's number when the order holds several.
func ticketCode(o *models.Order, at models.Attendee, several bool) string {
	if several {
		return o.Code + "-" + strconv.Itoa(at.Position)
	}
	return o.Code
}

// qrDataURL draws a QR code as an inline PNG (the two-factor set-up; tickets use ticketQR).
func qrDataURL(secret string) (template.URL, error) {
	png, err := qrcode.Encode(secret, qrcode.Medium, 256)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// ticketViews loads what the order page shows for each attendee.
func (a *App) ticketViews(o *models.Order) ([]ticketView, error) {
	return a.ticketViewsOf(o, o.Attendees, len(o.Attendees) > 1)
}

// ticketViewsOf loads the views of some attendees of o; several says the
// order holds more than one (their codes carry their numbers).
func (a *App) ticketViewsOf(o *models.Order, attendees []models.Attendee, several bool) ([]ticketView, error) {
	var qs []models.Question
	if err := a.db.Where("event_id = ?", o.EventID).Order("position, id").Find(&qs).Error; err != nil {
		return nil, err
	}
	var out []ticketView
	for _, at := range attendees {
		tv := ticketView{Attendee: at, Code: ticketCode(o, at, several), Delegate: models.IsDelegate(*o, at) && at.Status == models.AttendeeActive}
		if o.Status == models.OrderConfirmed && at.Status == models.AttendeeActive {
			qr, err := ticketQR(at.QRSecret)
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
				tv.Answers = append(tv.Answers, orderAnswer{Question: q.Label, Value: v, q: q})
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
	erased, err := models.OrderErased(a.db, o.ID)
	if err != nil {
		return errInternal("order erased", err)
	}
	anonymisedNote := "erasure.order_erased"
	if o.Event.PersonalDataRemovedAt != nil {
		anonymisedNote = "retention.order_anonymised"
	}
	ct, err := a.orderContent(c, o, tickets)
	if err != nil {
		return err
	}
	return a.render(c, "register/order", withContent(fiber.Map{
		"Links": links, "Erased": erased, "AnonymisedNote": anonymisedNote,
		"Order": o, "Event": &o.Event, "Loc": o.Event.Location(), "Tickets": tickets,
		"Welcome": c.Query("welcome") == "1", "Live": o.IsLive(), "Base": "/orders/" + o.Secret,
		"EventOver": o.Event.IsPast(a.now()), "Anonymised": models.OrderAnonymised(o),
	}, c, ct, &o.Event))
}

// orderCalendar serves the event and the sessions the order's attendees chose.
func (a *App) orderCalendar(c *fiber.Ctx) error {
	o, err := a.orderFromLink(c)
	if err != nil {
		return err
	}
	return a.serveCalendar(c, o, o.IsLive(), 0, o.Event.Slug+"-"+strings.ToLower(o.Code)+".ics")
}

// serveCalendar sends the order's event and the sessions its active
// attendees chose (only attendee attendeeID's when not 0); live false marks
// the event cancelled for this person. The entries have the same UIDs as in
// the public feeds and the e-mail's file, so adding both shows each once.
func (a *App) serveCalendar(c *fiber.Ctx, o *models.Order, live bool, attendeeID uint, filename string) error {
	e := &o.Event
	cal := newCalendar(e, a.now())
	cal.Event(e, a.cfg.BaseURL, !live)
	if live {
		q := a.db.Preload("Room").Joins("JOIN session_signups ON session_signups.session_id = sessions.id").
			Joins("JOIN attendees ON attendees.id = session_signups.attendee_id").
			Where("attendees.order_id = ? AND attendees.status = ?", o.ID, models.AttendeeActive)
		if attendeeID != 0 {
			q = q.Where("attendees.id = ?", attendeeID)
		}
		var ss []models.Session
		if err := q.Distinct("sessions.*").Order("sessions.starts_at, sessions.id").Find(&ss).Error; err != nil {
			return errInternal("order sessions", err)
		}
		for i := range ss {
			cal.Session(e, &ss[i], a.cfg.BaseURL, "")
		}
	}
	return sendCalendar(c, filename, cal)
}

// showCancelOrder asks to confirm a cancellation (a page, so it works without JavaScript).
func (a *App) showCancelOrder(c *fiber.Ctx) error {
	o, err := a.orderFromLink(c)
	if err != nil {
		return err
	}
	data := fiber.Map{"Order": o, "Event": &o.Event, "Live": o.IsLive(), "Base": "/orders/" + o.Secret}
	if err := a.cancelPageData(a.lang(c), o, data); err != nil {
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
