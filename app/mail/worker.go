package mail

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Worker drains the outbox: it claims due messages (a lease, so several
// instances never send one mail twice and a crashed instance's claim runs
// out), renders and sends them, and records success or a retry with backoff.
type Worker struct {
	DB       *gorm.DB
	Sender   Sender
	Renderer *Renderer
	// InstanceID names this process in claims (host name + pid, say).
	InstanceID string
	// Lease is how long a claim lasts (default 2 minutes); it must exceed the
	// time a send may take.
	Lease time.Duration
	// Interval between polls (default 1 second); Nudge wakes the worker early.
	Interval time.Duration
	// Batch is how many messages one poll claims (default 20).
	Batch int
	Log   *slog.Logger
	// Now returns the current time; tests move it.
	Now   func() time.Time
	nudge chan struct{}
}

func (w *Worker) defaults() {
	if w.Lease == 0 {
		w.Lease = 2 * time.Minute
	}
	if w.Interval == 0 {
		w.Interval = time.Second
	}
	if w.Batch == 0 {
		w.Batch = 20
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.nudge == nil {
		w.nudge = make(chan struct{}, 1)
	}
}

// Nudge asks the worker to look at the outbox now (after a registration,
// say) instead of at the next poll. It never blocks.
func (w *Worker) Nudge() {
	w.defaults()
	select {
	case w.nudge <- struct{}{}:
	default:
	}
}

// Run polls until ctx ends. Errors are logged, never fatal: the outbox keeps
// what was not sent.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		for {
			n, err := w.RunOnce(ctx)
			if err != nil {
				w.Log.Error("mail outbox", "err", err)
			}
			if n < w.Batch || err != nil || ctx.Err() != nil {
				break // drained; a full batch means there may be more
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.nudge:
		}
	}
}

// RunOnce claims one batch and sends it, returning how many were claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	msgs, err := models.ClaimDue(w.DB, w.InstanceID, w.Now(), w.Lease, w.Batch)
	if err != nil {
		return 0, err
	}
	for _, m := range msgs {
		if ctx.Err() != nil {
			break // unsent claims run out and are taken again
		}
		w.deliver(ctx, m)
	}
	return len(msgs), nil
}

func (w *Worker) deliver(ctx context.Context, m models.OutboxMessage) {
	msg, err := w.Renderer.Render(m)
	if errors.Is(err, ErrSkip) {
		w.Log.Info("mail dropped", "id", m.ID, "kind", m.Kind, "reason", err)
		if err := models.MarkSent(w.DB, m.ID, w.Now()); err != nil {
			w.Log.Error("mail mark dropped", "id", m.ID, "err", err)
		}
		return
	}
	if err == nil {
		sendCtx, cancel := context.WithTimeout(ctx, w.Lease/2)
		err = w.Sender.Send(sendCtx, msg)
		cancel()
	}
	if err != nil {
		retry, merr := models.MarkFailed(w.DB, m.ID, w.Now(), err)
		if merr != nil {
			w.Log.Error("mail mark failed", "id", m.ID, "err", merr)
		}
		w.Log.Warn("mail not sent", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "retry", retry, "err", err)
		return
	}
	if err := models.MarkSent(w.DB, m.ID, w.Now()); err != nil {
		w.Log.Error("mail mark sent", "id", m.ID, "err", err)
	}
}
