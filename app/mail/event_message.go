package mail

import (
	"errors"
	htmltemplate "html/template"
	"strings"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/markdown"
	"github.com/agora-events/agora/models"
)

// eventMessageData is what event_message.*.tmpl get; its first fields match
// data, so the shared "event" and "bottom" parts work.
type eventMessageData struct {
	L        *translator
	Event    models.Event
	When     string
	Place    string
	EventURL string
	Subject  string
	HTML     htmltemplate.HTML
	Text     string
}

// renderEventMessage renders an organizer's message to one recipient from
// the recipient row, at send time: someone cancelled or anonymised since the
// message was queued gets nothing.
func (r *Renderer) renderEventMessage(L *translator, m models.OutboxMessage) (Message, error) {
	var rc models.MessageRecipient
	if err := r.db.Take(&rc, m.RefID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Message{}, ErrSkip
		}
		return Message{}, err
	}
	var msg models.Message
	if err := r.db.Take(&msg, rc.MessageID).Error; err != nil {
		return Message{}, err
	}
	if err := models.LoadMessageVersions(r.db, &msg); err != nil {
		return Message{}, err
	}
	var e models.Event
	if err := r.db.Take(&e, msg.EventID).Error; err != nil {
		return Message{}, err
	}
	to := models.Recipient{Email: rc.Email, Name: rc.Name, Language: rc.Language}
	if rc.AttendeeID != nil {
		var a models.Attendee
		if err := r.db.Preload("Order").Take(&a, *rc.AttendeeID).Error; err != nil {
			return Message{}, ErrSkip
		}
		if a.Status != models.AttendeeActive || a.AnonymisedAt != nil || a.Order == nil || a.Order.Status != models.OrderConfirmed {
			return Message{}, ErrSkip
		}
		if models.NormalizeEmail(a.Order.BuyerEmail) == rc.Email {
			to.OrderSecret = a.Order.Secret
		} else if models.IsDelegate(*a.Order, a) {
			to.TicketSecret = a.LinkSecret
		}
	}
	if rc.WaitlistEntryID != nil {
		var w models.WaitlistEntry
		if err := r.db.Take(&w, *rc.WaitlistEntryID).Error; err != nil || w.Status == models.WaitlistCancelled {
			return Message{}, ErrSkip
		}
	}
	r.resolveContact(L, e.ID) // Render sets the Reply-To from it
	out, err := r.ComposeEventMessage(e, msg, to)
	out.To = m.To
	return out, err
}

// ComposeEventMessage is message msg (with its Versions loaded) as
// recipient to reads it: the version in their language (else the main one) with every placeholder filled in,
// the body's Markdown sanitised like an event description. The organizer's
// preview and test mail use it too, so they show exactly what is sent.
func (r *Renderer) ComposeEventMessage(e models.Event, msg models.Message, to models.Recipient) (Message, error) {
	d := r.eventMessage(e, msg, to)
	return r.renderWith(d.L, models.OutboxMessage{To: to.Email}, d.Subject, "event_message", d)
}

// oneLine keeps a header on one line whatever a placeholder held.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// PreviewEventMessage is the subject and sanitised body HTML that
// ComposeEventMessage mails to to, for the organizer's preview.
func (r *Renderer) PreviewEventMessage(e models.Event, msg models.Message, to models.Recipient) (string, htmltemplate.HTML) {
	d := r.eventMessage(e, msg, to)
	return d.Subject, d.HTML
}

func (r *Renderer) eventMessage(e models.Event, msg models.Message, to models.Recipient) eventMessageData {
	subject, body, lang := msg.Version(to.Language)
	L := newTranslator(r.bundle, lang)
	ed := r.eventData(L, e)
	orderLink := ed.EventURL
	if to.OrderSecret != "" {
		orderLink = r.baseURL + OrderPathPrefix + to.OrderSecret
	} else if to.TicketSecret != "" {
		orderLink = r.baseURL + TicketPathPrefix + to.TicketSecret
	}
	values := map[string]string{
		"name": to.Name, "order_link": orderLink, "event_title": ed.Event.Title,
		"event_date": ed.When, "venue": ed.Place, "event_link": ed.EventURL,
	}
	// In Markdown the people's words stay words ("*Ana*" is not bold); the
	// links are ours and stay links.
	inMarkdown := map[string]string{}
	for k, v := range values {
		inMarkdown[k] = models.EscapeMarkdown(v)
	}
	inMarkdown["order_link"], inMarkdown["event_link"] = orderLink, ed.EventURL
	return eventMessageData{L: L, Event: e, When: ed.When, Place: ed.Place, EventURL: ed.EventURL,
		Subject: oneLine(models.FillPlaceholders(subject, values)),
		Text:    models.FillPlaceholders(body, values),
		HTML:    markdown.Render(models.FillPlaceholders(body, inMarkdown))}
}
