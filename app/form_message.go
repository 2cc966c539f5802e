package app

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/agora-events/agora/models"
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

// MessageForm is the message form as typed. Subject and Body are the
// event's default language (Language, required); Versions the event's other
// content languages (fields subject.<lang>, body.<lang>, as the other per-language forms, optional).
type MessageForm struct {
	Step     string
	Language string
	Subject  string
	Body     string
	Versions []MessageFormVersion
	// TestLanguage is the version "send a test to me" mails.
	TestLanguage string
	Audience     string
	TicketType   string
	Category     string
	Session      string
	CheckedIn    string
	Meetings     bool
	SendKey      string
}

// MessageFormVersion is one of the event's other languages as typed.
type MessageFormVersion struct {
	Lang    string
	Subject string
	Body    string
}

// SubjectField and BodyField name the version's form fields.
func (v MessageFormVersion) SubjectField() string { return "subject." + v.Lang }
func (v MessageFormVersion) BodyField() string    { return "body." + v.Lang }

func parseMessageForm(v url.Values, e *models.Event) MessageForm {
	f := MessageForm{Step: strings.TrimSpace(v.Get("step")), Language: e.DefaultLang(),
		Subject: strings.TrimSpace(v.Get("subject")), Body: strings.TrimSpace(v.Get("body")),
		TestLanguage: strings.TrimSpace(v.Get("test_language")),
		Audience:     strings.TrimSpace(v.Get("audience")), TicketType: strings.TrimSpace(v.Get("ticket_type")),
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
	if f.TestLanguage = models.CanonicalContentLanguage(f.TestLanguage); f.TestLanguage == "" {
		f.TestLanguage = f.Language
	}
	for _, l := range e.OtherLanguages() {
		f.Versions = append(f.Versions, MessageFormVersion{Lang: l,
			Subject: strings.TrimSpace(v.Get("subject." + l)), Body: strings.TrimSpace(v.Get("body." + l))})
	}
	return f
}

func newMessageForm(e *models.Event, uiLang string) MessageForm {
	f := parseMessageForm(url.Values{}, e)
	if e.HasLanguage(uiLang) {
		f.TestLanguage = models.CanonicalContentLanguage(uiLang)
	}
	return f
}

// Written is the form's languages with a version typed, default first.
func (f MessageForm) Written() []string {
	out := []string{f.Language}
	for _, v := range f.Versions {
		if v.Subject != "" || v.Body != "" {
			out = append(out, v.Lang)
		}
	}
	return out
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

// ValidateContent checks the subjects and bodies: the default language's
// are required, another language's both or neither; and the test language.
func (f MessageForm) ValidateContent() FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "subject", f.Subject)
	checkRequired(errs, "body", f.Body)
	type text struct {
		field, value string
		max          int
	}
	texts := []text{{"subject", f.Subject, models.MaxMessageSubject}, {"body", f.Body, models.MaxMessageBody}}
	for _, v := range f.Versions {
		if v.Subject != "" || v.Body != "" {
			checkRequired(errs, v.SubjectField(), v.Subject)
			checkRequired(errs, v.BodyField(), v.Body)
		}
		texts = append(texts, text{v.SubjectField(), v.Subject, models.MaxMessageSubject}, text{v.BodyField(), v.Body, models.MaxMessageBody})
	}
	if f.Step == msgStepTest && !f.written(f.TestLanguage) {
		errs.Add("test_language", "messages.error.test_language")
	}
	for _, t := range texts {
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

func (f MessageForm) written(lang string) bool {
	for _, l := range f.Written() {
		if l == lang {
			return true
		}
	}
	return false
}

// Message is the message to queue (event, sender and key are the caller's).
func (f MessageForm) Message(filter models.AudienceFilter) models.Message {
	m := models.Message{Language: f.Language, Subject: f.Subject, Body: f.Body, Audience: filter.JSON()}
	for _, v := range f.Versions {
		if v.Subject != "" && v.Body != "" {
			if m.Versions == nil {
				m.Versions = map[string]models.MessageVersion{}
			}
			m.Versions[v.Lang] = models.MessageVersion{Subject: v.Subject, Body: v.Body}
		}
	}
	return m
}
