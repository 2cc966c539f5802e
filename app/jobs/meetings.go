package jobs

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Meetings expires unanswered meeting requests and sends a reminder before
// each meeting (once per person and meeting, by the outbox dedupe key).
type Meetings struct {
	DB  *gorm.DB
	Log *slog.Logger
	// Ahead is how long before a meeting its reminder goes out (default 1 hour).
	Ahead time.Duration
	// Sent wakes the mail worker when something was enqueued; may be nil.
	Sent func()
}

// Job returns the periodic job.
func (m *Meetings) Job() Job {
	return Job{Name: "meetings", Every: time.Minute, Run: m.Run}
}

// Run does one pass.
func (m *Meetings) Run(ctx context.Context, now time.Time) error {
	ahead := m.Ahead
	if ahead == 0 {
		ahead = time.Hour
	}
	expired, err := models.ExpireRequests(m.DB, now)
	if err != nil {
		return err
	}
	reminded, err := models.SendReminders(m.DB, now, ahead)
	if err != nil {
		return err
	}
	// A sign-in link's raw token stays on its notice only while the link works.
	if _, err := models.ForgetExpiredSignIns(m.DB, now); err != nil {
		return err
	}
	if expired+reminded > 0 {
		if m.Log != nil {
			m.Log.Info("meetings job", "expired", expired, "reminders", reminded)
		}
		if m.Sent != nil {
			m.Sent()
		}
	}
	return nil
}
