package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Imports creates the rows of confirmed invitee imports that the request
// confirming them left, and resumes an import whose run stopped (its lease
// ran out): each row is created once (models.ProcessImport).
type Imports struct {
	DB  *gorm.DB
	Log *slog.Logger
	// Created is called after rows were created (their mails wait in the
	// outbox); it may be nil.
	Created func()
	holder  string
}

// Job runs every few seconds under the runner's lease.
func (im *Imports) Job() Job {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	im.holder = "jobs:" + hex.EncodeToString(b)
	return Job{Name: "registration-imports", Every: 5 * time.Second, Run: func(ctx context.Context, now time.Time) error {
		return im.Sweep(ctx, now)
	}}
}

// Sweep works on each import that is due, a few thousand rows at a time.
func (im *Imports) Sweep(ctx context.Context, now time.Time) error {
	if im.holder == "" {
		im.holder = "jobs"
	}
	ids, err := models.ImportsDue(im.DB, now, 5)
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		if _, err := models.ProcessImport(im.DB, id, im.holder, now, 2000); err != nil {
			errs = append(errs, err)
			continue
		}
		if im.Created != nil {
			im.Created()
		}
	}
	return errors.Join(errs...)
}
