package jobs

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Feedback sends each questionnaire after its event or session: one
// request row and one outbox mail per person (unique per questionnaire and
// attendee, so two instances or a restart never ask anyone twice); the
// mail worker sends them.
type Feedback struct {
	DB  *gorm.DB
	Log *slog.Logger
	// Sent wakes the mail worker when something was queued; may be nil.
	Sent func()
}

// Job returns the periodic job.
func (f *Feedback) Job() Job {
	return Job{Name: "feedback-requests", Every: 5 * time.Minute, Run: f.Run}
}

// Run does one pass.
func (f *Feedback) Run(ctx context.Context, now time.Time) error {
	n, err := models.QueueFeedbackRequests(f.DB, now.UTC())
	if n > 0 {
		if f.Log != nil {
			f.Log.Info("feedback requests queued", "count", n)
		}
		if f.Sent != nil {
			f.Sent()
		}
	}
	return err
}
