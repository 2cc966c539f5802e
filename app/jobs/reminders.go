package jobs

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Reminders queues each event's "see you soon" e-mail once its time has
// come (one outbox row per person, by a unique key, so two instances or a
// restart never send it twice); the mail worker sends them.
type Reminders struct {
	DB  *gorm.DB
	Log *slog.Logger
	// Sent wakes the mail worker when something was queued; may be nil.
	Sent func()
}

// Job returns the periodic job.
func (r *Reminders) Job() Job {
	return Job{Name: "event-reminders", Every: time.Minute, Run: r.Run}
}

// Run does one pass.
func (r *Reminders) Run(ctx context.Context, now time.Time) error {
	n, err := models.QueueEventReminders(r.DB, now)
	if n > 0 {
		if r.Log != nil {
			r.Log.Info("event reminders queued", "count", n)
		}
		if r.Sent != nil {
			r.Sent()
		}
	}
	return err
}
