// Package mail sends Agora's e-mails: it renders outbox messages (the
// registration confirmation with its QR tickets and calendar file, waitlist
// offers, "your link" resends) in the recipient's language and delivers them
// through SMTP, or to the log when no SMTP server is configured. The Worker
// drains the outbox table with retries; models decides what is sent.
package mail

import (
	"context"
	"errors"
)

// Message is one rendered e-mail.
type Message struct {
	To string
	// ReplyTo is the organizers' address ("Name <a@b.example>"), so a reply
	// reaches them rather than the site's no-reply sender; empty for none.
	ReplyTo     string
	Subject     string
	Text        string
	HTML        string
	Attachments []Attachment
}

// Attachment is a file sent with a message. With ContentID set it is inline:
// the HTML shows it as <img src="cid:ContentID">.
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
	ContentID   string
}

// Sender delivers a rendered message. Send returns an error for anything
// that should be retried later.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrSkip is returned by rendering when a message no longer makes sense (an
// offer already taken, a confirmation for an order cancelled meanwhile): the
// worker drops it instead of retrying.
var ErrSkip = errors.New("mail: nothing to send any more")
