package mail

import (
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// FeedbackPath is the questionnaire formID on an attendee's personal link.
func FeedbackPath(linkSecret string, formID uint) string {
	return TicketPathPrefix + linkSecret + "/feedback/" + strconv.FormatUint(uint64(formID), 10)
}

// feedbackData is what the feedback request templates get; its first
// fields match data, so the shared "top", "event" and "bottom" parts work.
type feedbackData struct {
	L        *translator
	Event    models.Event
	When     string
	Place    string
	EventURL string
	Name     string
	Link     string
	Title    string
	Closes   string
}

// renderFeedbackRequest renders the "tell us how it went" mail of one
// feedback request, in the person's registration language, from the rows
// at send time; a request that no longer makes sense is skipped.
func (r *Renderer) renderFeedbackRequest(L *translator, m models.OutboxMessage) (Message, error) {
	fm, err := models.FeedbackMailOf(r.db, m.RefID, time.Now())
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Message{}, ErrSkip
	}
	if err != nil {
		return Message{}, err
	}
	ed := r.eventData(L, fm.Event)
	form := fm.Form
	L.localise(func(c *models.Content) { c.FeedbackForm(&form) })
	name := fm.Attendee.Name
	if name == "" && fm.Attendee.Order != nil {
		name = fm.Attendee.Order.BuyerName
	}
	d := &feedbackData{L: L, Event: ed.Event, When: ed.When, Place: ed.Place, EventURL: ed.EventURL, Name: name,
		Link: r.baseURL + FeedbackPath(fm.Attendee.LinkSecret, form.ID), Title: form.Title,
		Closes: L.Date(fm.ClosesAt.In(fm.Event.Location()))}
	return r.renderWith(L, m, L.T("mail.feedback.subject", "Event", ed.Event.Title), "feedback", d)
}
