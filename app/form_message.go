package app

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/views"
)

// Steps of the message form: every button posts the whole form back, so it
// works without JavaScript and nothing typed is lost between steps.
const (
	msgStepCount   = "count"
	msgStepPreview = "preview"
	msgStepTest    = "test"
	msgStepConfirm = "confirm"
	msgStepSend    = "send"
)

// Audience kinds of the message form.
const (
	audienceAttendees = "attendees"
	audienceWaitlist  = "waitlist"
)

// MessageForm is the message form as typed.
type MessageForm struct {
	Step       string
	Language   string
	Subject    string
	Body       string
	AltSubject string
	AltBody    string
	Audience   string
	TicketType string
	Category   string
	Session    string
	CheckedIn  string
	Meetings   bool
	SendKey    string
}

func parseMessageForm(v url.Values) MessageForm {
	f := MessageForm{Step: strings.TrimSpace(v.Get("step")), Language: strings.TrimSpace(v.Get("language")),
		Subject: strings.TrimSpace(v.Get("subject")), Body: strings.TrimSpace(v.Get("body")),
		AltSubject: strings.TrimSpace(v.Get("alt_subject")), AltBody: strings.TrimSpace(v.Get("alt_body")),
		Audience: strings.TrimSpace(v.Get("audience")), TicketType: strings.TrimSpace(v.Get("ticket_type")),
		Category: strings.TrimSpace(v.Get("category")), Session: strings.TrimSpace(v.Get("session")),
		CheckedIn: strings.TrimSpace(v.Get("checked_in")), Meetings: v.Get("meetings") != "",
		SendKey: strings.TrimSpace(v.Get("send_key"))}
	switch f.Step {
	case msgStepPreview, msgStepTest, msgStepConfirm, msgStepSend:
	default:
		f.Step = msgStepCount
	}
	if f.Audience == "" {
		f.Audience = audienceAttendees
	}
	return f
}

func newMessageForm(lang string) MessageForm {
	return MessageForm{Language: lang, Audience: audienceAttendees}
}

// AltLanguage is the language of the optional second version: the site's
// other language.
func (f MessageForm) AltLanguage() string {
	for _, l := range views.Languages {
		if l != f.Language {
			return l
		}
	}
	return ""
}

// Filter checks the audience fields against the event's ticket types and
// sessions and returns the audience to look up.
func (f MessageForm) Filter(ticketIDs, sessionIDs []uint) (models.AudienceFilter, FieldErrors) {
	errs := FieldErrors{}
	var out models.AudienceFilter
	switch f.Audience {
	case audienceAttendees:
	case audienceWaitlist:
		out.Waitlist = true
	default:
		errs.Add("audience", "messages.error.choice")
	}
	out.TicketTypeID = pickID(errs, "ticket_type", f.TicketType, ticketIDs)
	out.SessionID = pickID(errs, "session", f.Session, sessionIDs)
	if f.Category != "" {
		ok := false
		for _, c := range models.Categories {
			ok = ok || c == f.Category
		}
		if !ok {
			errs.Add("category", "messages.error.choice")
		}
		out.Category = f.Category
	}
	switch f.CheckedIn {
	case "", models.CheckedInYes, models.CheckedInNo:
		out.CheckedIn = f.CheckedIn
	default:
		errs.Add("checked_in", "messages.error.choice")
	}
	out.Meetings = f.Meetings
	if out.Waitlist && (out.Category != "" || out.CheckedIn != "" || out.Meetings) {
		// Waitlist entries hold no ticket yet: those filters mean nothing for them.
		errs.Add("audience", "messages.error.waitlist_filters")
	}
	return out, errs
}

// pickID reads an optional id that must be one of ids.
func pickID(errs FieldErrors, field, value string, ids []uint) uint {
	if value == "" {
		return 0
	}
	n, err := strconv.ParseUint(value, 10, 64)
	if err == nil {
		for _, id := range ids {
			if uint64(id) == n {
				return id
			}
		}
	}
	errs.Add(field, "messages.error.choice")
	return 0
}

// ValidateContent checks the language, subjects and bodies.
func (f MessageForm) ValidateContent() FieldErrors {
	errs := FieldErrors{}
	ok := false
	for _, l := range views.Languages {
		ok = ok || l == f.Language
	}
	if !ok {
		errs.Add("language", "messages.error.choice")
	}
	checkRequired(errs, "subject", f.Subject)
	checkRequired(errs, "body", f.Body)
	if f.AltSubject != "" || f.AltBody != "" {
		checkRequired(errs, "alt_subject", f.AltSubject)
		checkRequired(errs, "alt_body", f.AltBody)
	}
	for _, t := range []struct {
		field, value string
		max          int
	}{{"subject", f.Subject, models.MaxMessageSubject}, {"body", f.Body, models.MaxMessageBody},
		{"alt_subject", f.AltSubject, models.MaxMessageSubject}, {"alt_body", f.AltBody, models.MaxMessageBody}} {
		if n := utf8.RuneCountInString(t.value); n > t.max {
			errs.Add(t.field, "messages.error.too_long", "Max", t.max, "Length", n)
		}
		if unknown := models.UnknownPlaceholders(t.value); len(unknown) > 0 {
			errs.Add(t.field, "messages.error.unknown_placeholder", "Names", strings.Join(unknown, ", "),
				"Known", "{"+strings.Join(models.MessagePlaceholders, "}, {")+"}")
		}
	}
	return errs
}

// Message is the message to queue (event, sender and key are the caller's).
func (f MessageForm) Message(filter models.AudienceFilter) models.Message {
	m := models.Message{Language: f.Language, Subject: f.Subject, Body: f.Body, Audience: filter.JSON()}
	if f.AltSubject != "" {
		m.AltLanguage, m.AltSubject, m.AltBody = f.AltLanguage(), f.AltSubject, f.AltBody
	}
	return m
}
