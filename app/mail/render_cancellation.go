package mail

import (
	"errors"
	"fmt"
	htmltemplate "html/template"
	"strings"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// cancelData is what the cancellation mails get: the order's data and the
// organizer's message.
type cancelData struct {
	*data
	Message     htmltemplate.HTML // sanitised when the organizer sent it
	MessageText string            // the Markdown as written
	Refund      string            // "stripe", "manual" or "none"
}

// renderEventCancelled writes the mail a cancelled event sends each person
// on a cancelled order (RefID: the order's cancellation item).
func (r *Renderer) renderEventCancelled(L *translator, m models.OutboxMessage) (Message, error) {
	it, c, err := models.CancellationItemByID(r.db, m.RefID)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Message{}, ErrSkip
	}
	if err != nil {
		return Message{}, err
	}
	d, _, err := r.orderData(L, it.OrderID, false)
	if err != nil {
		return Message{}, err
	}
	d.Amount = L.Money(it.Amount, it.Currency)
	var as []models.Attendee
	if err := r.db.Where("order_id = ?", it.OrderID).Find(&as).Error; err != nil {
		return Message{}, err
	}
	for _, a := range as {
		if strings.EqualFold(a.Email, m.To) && !strings.EqualFold(m.To, d.Order.BuyerEmail) {
			d.Name = a.Name
		}
	}
	cd := &cancelData{data: d, Message: htmltemplate.HTML(c.BodyHTML), MessageText: c.Body, Refund: it.Refund} // #nosec: sanitised when stored
	return r.renderWith(L, m, c.Subject, "event_cancelled", cd)
}

// renderEventCancelledWaitlist writes the cancellation mail to a person who
// was on the event's waitlist (RefID: waitlist entry).
func (r *Renderer) renderEventCancelledWaitlist(L *translator, m models.OutboxMessage) (Message, error) {
	var w models.WaitlistEntry
	var e models.Event
	var c models.EventCancellation
	err := r.db.Take(&w, m.RefID).Error
	if err == nil {
		err = r.db.Take(&e, w.EventID).Error
	}
	if err == nil {
		err = r.db.Where("event_id = ?", w.EventID).Take(&c).Error
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Message{}, ErrSkip
	}
	if err != nil {
		return Message{}, err
	}
	d := r.eventData(L, e)
	d.Name = w.Name
	cd := &cancelData{data: d, Message: htmltemplate.HTML(c.BodyHTML), MessageText: c.Body, Refund: models.CancelRefundNone} // #nosec: sanitised when stored
	return r.renderWith(L, m, c.Subject, "event_cancelled", cd)
}

// renderOrganizerOrderCancelled tells an organizer an attendee cancelled a
// paid order (RefID: order).
func (r *Renderer) renderOrganizerOrderCancelled(L *translator, m models.OutboxMessage) (Message, error) {
	d, _, err := r.orderData(L, m.RefID, false)
	if err != nil {
		return Message{}, err
	}
	// The amount decided at cancellation (the refund itself may still be on
	// its way to Stripe when this goes out).
	var refunded int64
	if err := r.db.Model(&models.Payment{}).Where("order_id = ? AND refund_reason = ?", m.RefID, models.RefundSelfCancelled).
		Select("COALESCE(SUM(refund_amount), 0)").Scan(&refunded).Error; err != nil {
		return Message{}, err
	}
	d.Amount = L.Money(refunded, d.Order.Currency)
	d.Name = L.T("mail.organizer_cancelled.team")
	d.Link = fmt.Sprintf("%s/manage/events/%d/orders/%d", r.baseURL, d.Order.EventID, d.Order.ID)
	return r.renderWith(L, m, L.T("mail.organizer_cancelled.subject", "Event", d.Event.Title, "Code", d.Order.Code), "organizer_cancelled", &cancelData{data: d})
}
