package mail

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DefaultFrom is the sender address when AGORA_MAIL_FROM is unset.
const DefaultFrom = "Agora <no-reply@localhost>"

// SMTPSender delivers through an SMTP server given as a URL:
// smtp://user:pass@host:port (STARTTLS when the server offers it) or
// smtps://user:pass@host:port (TLS from the start).
type SMTPSender struct {
	host     string
	opts     []gomail.Option
	from     string
	redacted string
}

// NewSMTPSender parses rawURL and returns a sender; it does not connect.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("mail: bad SMTP URL: %w", err)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("mail: SMTP URL %q has no host", u.Redacted())
	}
	if from == "" {
		from = DefaultFrom
	}
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	port := 0
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("mail: bad SMTP port %q", p)
		}
	}
	switch u.Scheme {
	case "smtps":
		if port == 0 {
			port = 465
		}
		opts = append(opts, gomail.WithSSL(), gomail.WithPort(port))
	case "smtp":
		if port == 0 {
			port = 587
		}
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic), gomail.WithPort(port))
	default:
		return nil, fmt.Errorf("mail: SMTP URL scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if u.User != nil && u.User.Username() != "" {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	return &SMTPSender{host: u.Hostname(), opts: opts, from: from, redacted: u.Redacted()}, nil
}

// String names the server without its password, for logs.
func (s *SMTPSender) String() string { return "smtp " + s.redacted }

// Send builds the MIME message (plain text with an HTML alternative,
// inline images, attachments) and delivers it over one connection.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("mail: from %q: %w", s.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: to: %w", err)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return fmt.Errorf("mail: reply-to: %w", err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		opts := []gomail.FileOption{gomail.WithFileContentType(gomail.ContentType(a.ContentType))}
		if a.ContentID != "" {
			opts = append(opts, gomail.WithFileContentID(a.ContentID))
			if err := msg.EmbedReader(a.Filename, bytes.NewReader(a.Data), opts...); err != nil {
				return fmt.Errorf("mail: embed %s: %w", a.Filename, err)
			}
			continue
		}
		if err := msg.AttachReader(a.Filename, bytes.NewReader(a.Data), opts...); err != nil {
			return fmt.Errorf("mail: attach %s: %w", a.Filename, err)
		}
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return nil
}
