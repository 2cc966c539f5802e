package app

import (
	"net/url"
	"strings"
)

// Limits of the event cancellation form.
const (
	maxCancelSubject = 300
	maxCancelBody    = 20000
)

// CancelEventForm is the message to the attendees and the confirmation.
type CancelEventForm struct {
	Subject string
	Body    string // Markdown
	Confirm bool
}

func parseCancelEventForm(v url.Values) CancelEventForm {
	return CancelEventForm{Subject: strings.TrimSpace(v.Get("subject")), Body: strings.TrimSpace(v.Get("body")),
		Confirm: v.Get("confirm") == "yes"}
}

// Validate checks the form: a subject, a message and the confirmation.
func (f CancelEventForm) Validate() FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "subject", f.Subject)
	checkLen(errs, "subject", f.Subject, maxCancelSubject)
	checkRequired(errs, "body", f.Body)
	checkLen(errs, "body", f.Body, maxCancelBody)
	if !f.Confirm {
		errs.Add("confirm", "cancelevent.error.confirm")
	}
	return errs
}
