// Package jobs runs Agora's background work inside `agora serve`: releasing
// expired holds and waitlist offers. Every job is safe to run on several
// instances at once, because the rules it calls win each change with a
// conditional update.
package jobs

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Expiry releases the places of pending orders whose hold ran out and of
// unused waitlist offers, and passes them to the people waiting.
type Expiry struct {
	DB       *gorm.DB
	Log      *slog.Logger
	Interval time.Duration // default 30 seconds
	Now      func() time.Time
	// Released is called after a sweep that freed places (to nudge the mail
	// worker, say); it may be nil.
	Released func()
}

// Job runs the sweep under the runner's lease, once per Interval across instances.
func (e *Expiry) Job() Job {
	e.defaults()
	return Job{Name: "expiry", Every: e.Interval, Run: func(ctx context.Context, now time.Time) error {
		e.Sweep()
		return nil
	}}
}

// Run sweeps every Interval until ctx ends.
func (e *Expiry) Run(ctx context.Context) {
	e.defaults()
	t := time.NewTicker(e.Interval)
	defer t.Stop()
	for {
		e.Sweep()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (e *Expiry) defaults() {
	if e.Interval == 0 {
		e.Interval = 30 * time.Second
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Log == nil {
		e.Log = slog.Default()
	}
}

// Sweep runs one pass and returns how many holds and offers expired.
func (e *Expiry) Sweep() (holds, offers int) {
	e.defaults()
	now := e.Now()
	holds, err := models.ExpireHolds(e.DB, now)
	if err != nil {
		e.Log.Error("expire holds", "err", err)
	}
	offers, err = models.ExpireOffers(e.DB, now)
	if err != nil {
		e.Log.Error("expire waitlist offers", "err", err)
	}
	if holds+offers > 0 {
		e.Log.Info("released places", "holds", holds, "offers", offers)
		if e.Released != nil {
			e.Released()
		}
	}
	return holds, offers
}
