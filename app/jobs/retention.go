package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Retention removes the personal data of events past their retention
// period (models.RetentionSweep): each event's scheduled run is one row,
// claimed with a lease and worked in batches, so two instances or a
// restart erase each person once and write one audit entry per run. It
// also resumes runs an owner started that did not finish in the request.
type Retention struct {
	DB     *gorm.DB
	Log    *slog.Logger
	holder string
}

// retentionBatchesPerPass bounds one pass (200 people a batch); the next
// pass resumes.
const retentionBatchesPerPass = 50

// Job runs every ten minutes: finding due events is one query, and an
// owner's unfinished run waits no longer than that.
func (r *Retention) Job() Job {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	r.holder = "retention:" + hex.EncodeToString(b)
	return Job{Name: "retention", Every: 10 * time.Minute, Run: r.Run}
}

// Run does one pass.
func (r *Retention) Run(ctx context.Context, now time.Time) error {
	if r.holder == "" {
		r.holder = "retention"
	}
	n, err := models.RetentionSweep(r.DB, r.holder, now, retentionBatchesPerPass)
	if n > 0 && r.Log != nil {
		r.Log.Info("retention runs finished", "count", n)
	}
	return err
}
