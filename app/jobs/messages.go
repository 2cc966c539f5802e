package jobs

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Messages expands organizers' queued messages into one outbox row per
// recipient, so sending to a thousand people never holds up the request
// that said "send"; the unique keys make each person one mail even when a
// run is cut short and redone.
type Messages struct {
	DB  *gorm.DB
	Log *slog.Logger
	// Sent wakes the mail worker when something was enqueued; may be nil.
	Sent func()
}

// Job runs every few seconds under the runner's lease.
func (m *Messages) Job() Job {
	return Job{Name: "messages", Every: 5 * time.Second, Run: m.Run}
}

// Run expands the queued messages.
func (m *Messages) Run(ctx context.Context, now time.Time) error {
	n, err := models.ExpandQueuedMessages(m.DB, now, 10)
	if n > 0 {
		if m.Log != nil {
			m.Log.Info("messages job", "recipients", n)
		}
		if m.Sent != nil {
			m.Sent()
		}
	}
	return err
}
