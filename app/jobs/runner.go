// Package jobs runs Agora's periodic background work (releasing expired holds,
// passing on waitlist offers, cleaning sessions) on every instance, with a
// database lease so that each run of a job happens on one instance only.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Job is one periodic task. Run must be safe to repeat: a lease keeps two
// instances from running it at once, but a run may be cut short by a crash
// and redone.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context, now time.Time) error
}

// Runner ticks each job and runs it when this instance holds its lease.
type Runner struct {
	db       *gorm.DB
	instance string
	log      *slog.Logger
	now      func() time.Time
	jobs     []Job
	runs     *prometheus.CounterVec
	wg       sync.WaitGroup
}

// NewRunner prepares a runner for instance (a name unique per process).
// reg may be nil.
func NewRunner(db *gorm.DB, instance string, log *slog.Logger, reg prometheus.Registerer, jobs ...Job) *Runner {
	r := &Runner{db: db, instance: instance, log: log, now: time.Now, jobs: jobs,
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "agora_job_runs_total", Help: "Background job runs on this instance, by job and result.",
		}, []string{"job", "result"})}
	if reg != nil {
		reg.MustRegister(r.runs)
	}
	return r
}

// Start runs every job on its own ticker until ctx ends; Wait waits for them.
func (r *Runner) Start(ctx context.Context) {
	for _, j := range r.jobs {
		r.wg.Add(1)
		go func(j Job) {
			defer r.wg.Done()
			t := time.NewTicker(j.Every)
			defer t.Stop()
			for {
				r.RunOnce(ctx, j)
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}(j)
	}
}

// Wait blocks until every job loop has stopped.
func (r *Runner) Wait() { r.wg.Wait() }

// RunOnce runs j now if this instance can take its lease and the job is due.
// The lease lasts a few periods, so a run that hangs or an instance that dies
// frees it soon.
func (r *Runner) RunOnce(ctx context.Context, j Job) {
	now := r.now()
	ok, err := models.AcquireLease(r.db, j.Name, r.instance, now, 3*j.Every+30*time.Second)
	if err != nil {
		r.runs.WithLabelValues(j.Name, "lease_error").Inc()
		r.log.Error("job lease", "job", j.Name, "err", err)
		return
	}
	if !ok {
		r.runs.WithLabelValues(j.Name, "skipped").Inc()
		return
	}
	runErr := safeRun(ctx, j, now)
	result := "ok"
	if runErr != nil {
		result = "error"
		r.log.Error("job failed", "job", j.Name, "err", runErr)
	}
	r.runs.WithLabelValues(j.Name, result).Inc()
	// The next run is due one period after this one started; a little slack
	// keeps ticker jitter from skipping a period.
	if err := models.ReleaseLease(r.db, j.Name, r.instance, r.now(), now.Add(j.Every*9/10), runErr); err != nil {
		r.log.Error("job release", "job", j.Name, "err", err)
	}
}

func safeRun(ctx context.Context, j Job, now time.Time) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", j.Name, p)
		}
	}()
	return j.Run(ctx, now)
}
