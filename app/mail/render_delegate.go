package mail

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/skip2/go-qrcode"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// TicketPathPrefix + an attendee's link secret is a delegate's own page.
const TicketPathPrefix = "/tickets/"

// attendeeData loads one attendee of an order for a delegate's mail: their
// name and personal link; with withTicket also their QR code (inline PNG) and an
// .ics of the event and their own sessions. Nothing of the order's other
// attendees is read.
func (r *Renderer) attendeeData(L *translator, attendeeID uint, withTicket bool) (*data, []Attachment, error) {
	var a models.Attendee
	err := r.db.Preload("TicketType").Preload("Order").Preload("Order.Event").Take(&a, attendeeID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrSkip
	}
	if err != nil {
		return nil, nil, err
	}
	o := a.Order
	if o == nil || a.Status != models.AttendeeActive || !o.IsLive() || !models.IsDelegate(*o, a) {
		return nil, nil, ErrSkip // cancelled (or anonymised) before the mail went out
	}
	if withTicket && o.Status != models.OrderConfirmed {
		return nil, nil, ErrSkip
	}
	d := r.eventData(L, o.Event)
	d.Order, d.Name, d.Link, d.Buyer = o, a.Name, r.baseURL+TicketPathPrefix+a.LinkSecret, o.BuyerName
	if !withTicket {
		return d, nil, nil
	}
	png, err := qrcode.Encode(a.QRSecret, qrcode.Medium, 320)
	if err != nil {
		return nil, nil, fmt.Errorf("qr code: %w", err)
	}
	code := o.Code + "-" + strconv.Itoa(a.Position)
	cid := "qr-" + strconv.FormatUint(uint64(a.ID), 10) + "@agora"
	atts := []Attachment{{Filename: "ticket-" + code + ".png", ContentType: "image/png", Data: png, ContentID: cid}}
	var ss []models.Session
	if err := r.db.Joins("JOIN session_signups ON session_signups.session_id = sessions.id").
		Where("session_signups.attendee_id = ?", a.ID).Order("starts_at, sessions.id").Find(&ss).Error; err != nil {
		return nil, nil, err
	}
	tt := a.TicketType
	L.localise(func(c *models.Content) { c.TicketType(&tt); c.Sessions(ss) })
	t := ticket{Name: a.Name, TicketType: tt.Name, Code: code, QRCID: cid, Needs: a.Needs.Any()}
	for _, s := range ss {
		t.Sessions = append(t.Sessions, L.DateTime(s.StartsAt.In(o.Event.Location()))+" · "+s.Title)
	}
	d.Tickets = []ticket{t}
	atts = append(atts, Attachment{Filename: o.Event.Slug + ".ics", ContentType: "text/calendar", Data: []byte(r.calendar(d.Event, ss))})
	return d, atts, nil
}

// attendeeCancelledData loads a delegate whose own place was cancelled.
func (r *Renderer) attendeeCancelledData(L *translator, attendeeID uint) (*data, error) {
	var a models.Attendee
	err := r.db.Preload("Order").Preload("Order.Event").Take(&a, attendeeID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrSkip
	}
	if err != nil {
		return nil, err
	}
	if a.Order == nil || a.Status != models.AttendeeCancelled || !models.IsDelegate(*a.Order, a) {
		return nil, ErrSkip
	}
	d := r.eventData(L, a.Order.Event)
	d.Order, d.Name = a.Order, a.Name
	return d, nil
}
