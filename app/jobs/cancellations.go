package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/models"
)

// Cancellations makes the refunds of cancelled events: each paid Stripe
// order of the event was marked refund_due, with its key, when the event
// was cancelled (models.CancelEvent); this job asks Stripe for each through
// payment.RefundDue (claim first, one call, record), so a restart or a
// second instance never refunds a payment twice. A refund that fails is
// shown to the organizers as failed until they retry it.
type Cancellations struct {
	DB  *gorm.DB
	Pay *payment.Stripe // nil: payments are not configured, every refund fails
	Log *slog.Logger
}

// Job runs every 15 seconds under the runner's lease.
func (j *Cancellations) Job() Job {
	return Job{Name: "cancellation-refunds", Every: 15 * time.Second, Run: func(ctx context.Context, now time.Time) error {
		return j.Sweep(ctx, now)
	}}
}

// errNoStripe is the failure recorded when there is no Stripe key.
var errNoStripe = errors.New("payments are not configured (no Stripe key)")

// Sweep asks for every pending refund of every cancellation still refunding.
func (j *Cancellations) Sweep(ctx context.Context, now time.Time) error {
	if n, err := models.CancelLateOrders(j.DB, now); err != nil {
		return fmt.Errorf("cancel late orders: %w", err)
	} else if n > 0 && j.Log != nil {
		j.Log.Warn("orders placed while their event was cancelled were cancelled", "orders", n)
	}
	cs, err := models.CancellationsRefunding(j.DB)
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range cs {
		// Items another caller holds stay pending: a later run settles them.
		items, err := models.PendingCancellationRefunds(j.DB, c.ID, 200)
		if err != nil {
			return err
		}
		for _, it := range items {
			if ctx.Err() != nil {
				return errors.Join(errs...)
			}
			var callErr error
			if j.Pay == nil {
				callErr = errNoStripe
			} else {
				_, callErr = j.Pay.RefundDue(j.DB, *it.PaymentID, now)
			}
			if callErr != nil && j.Log != nil {
				j.Log.Warn("cancellation refund failed", "event", c.EventID, "order", it.OrderID, "payment", *it.PaymentID, "err", callErr)
			}
			if err := models.SettleCancellationRefund(j.DB, it, callErr, now); err != nil {
				errs = append(errs, fmt.Errorf("settle refund of order %d: %w", it.OrderID, err))
			}
		}
	}
	return errors.Join(errs...)
}
