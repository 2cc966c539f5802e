package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/models"
)

// LateRefunds finishes the automatic refunds of payments that arrived after
// their hold ended and found no room, when the request that found them could
// not (Stripe was down, the process stopped): each is asked of Stripe once
// per attempt, with the key stored on its first attempt, never alongside
// another caller (payment.RefundLate).
type LateRefunds struct {
	DB  *gorm.DB
	Pay *payment.Stripe
	Log *slog.Logger
	// Refunded is called after refunds were recorded (their mails wait in
	// the outbox); it may be nil.
	Refunded func()
}

// Job runs every minute under the runner's lease.
func (l *LateRefunds) Job() Job {
	return Job{Name: "late-refunds", Every: time.Minute, Run: func(ctx context.Context, now time.Time) error {
		return l.Sweep(ctx, now)
	}}
}

// Sweep tries each refund that is due and that no one is making now.
func (l *LateRefunds) Sweep(ctx context.Context, now time.Time) error {
	due, err := models.RefundsDue(l.DB, now, 50)
	if err != nil {
		return err
	}
	var errs []error
	refunded := 0
	for _, p := range due {
		if ctx.Err() != nil {
			break
		}
		done, err := l.Pay.RefundLate(l.DB, p.ID, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if done {
			refunded++
			if l.Log != nil {
				l.Log.Warn("late payment refunded: no room left", "order", p.OrderID, "payment", p.ID)
			}
		}
	}
	if refunded > 0 && l.Refunded != nil {
		l.Refunded()
	}
	return errors.Join(errs...)
}
