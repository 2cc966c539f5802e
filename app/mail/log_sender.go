package mail

import (
	"context"
	"log/slog"
	"os"
)

// LogSender "sends" by writing the message to the log: the demo works without
// a mail server, and the self-service link can be copied from the log.
type LogSender struct{ Log *slog.Logger }

// Send logs the message's recipient, subject and plain text.
func (s LogSender) Send(_ context.Context, m Message) error {
	names := make([]string, 0, len(m.Attachments))
	for _, a := range m.Attachments {
		names = append(names, a.Filename)
	}
	s.Log.Info("mail (not sent: AGORA_SMTP_URL is unset)", "to", m.To, "reply_to", m.ReplyTo, "subject", m.Subject, "attachments", names, "text", m.Text)
	return nil
}

// SenderFromEnv returns an SMTP sender for AGORA_SMTP_URL (from
// AGORA_MAIL_FROM), or a LogSender when AGORA_SMTP_URL is unset.
func SenderFromEnv(log *slog.Logger) (Sender, error) {
	raw := os.Getenv("AGORA_SMTP_URL")
	if raw == "" {
		return LogSender{Log: log}, nil
	}
	return NewSMTPSender(raw, os.Getenv("AGORA_MAIL_FROM"))
}
