package main

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// journeyFunc performs one step of a journey for client number id and
// reports the HTTP status and latency of each request it made.
type journeyFunc func(id int, rec *recorder) error

// recorder collects one client's latencies, to merge at the end.
type recorder struct {
	latencies  []time.Duration
	server5xx  int
	statuses   map[int]int
	registered int // registrations accepted
	refused    int // registrations refused because the event was full
}

func (r *recorder) observe(status int, d time.Duration) {
	r.latencies = append(r.latencies, d)
	r.statuses[status]++
	if status >= 500 {
		r.server5xx++
	}
}

type result struct {
	requests   int
	registered int
	refused    int
	errors     int64
	server5xx  int
	elapsed    time.Duration
	p50, p99   time.Duration
	statuses   map[int]int
	firstErr   error
}

// run drives j with conc clients for dur and merges what they saw.
func run(j journeyFunc, conc int, dur time.Duration) result {
	var (
		wg       sync.WaitGroup
		errs     atomic.Int64
		firstErr atomic.Value
	)
	recs := make([]*recorder, conc)
	deadline := time.Now().Add(dur)
	start := time.Now()
	for i := 0; i < conc; i++ {
		recs[i] = &recorder{statuses: map[int]int{}}
		wg.Add(1)
		go func(id int, rec *recorder) {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := j(id, rec); err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}(i, recs[i])
	}
	wg.Wait()
	res := result{elapsed: time.Since(start), errors: errs.Load(), statuses: map[int]int{}}
	if e, ok := firstErr.Load().(error); ok {
		res.firstErr = e
	}
	var all []time.Duration
	for _, r := range recs {
		all = append(all, r.latencies...)
		res.server5xx += r.server5xx
		res.registered += r.registered
		res.refused += r.refused
		for s, n := range r.statuses {
			res.statuses[s] += n
		}
	}
	res.requests = len(all)
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		res.p50 = all[len(all)/2]
		res.p99 = all[len(all)*99/100]
	}
	return res
}

func (r result) String(journey string, conc int, dur time.Duration) string {
	s := fmt.Sprintf("journey=%s clients=%d duration=%s requests=%d rps=%.0f p50=%s p99=%s errors=%d 5xx=%d statuses=%v",
		journey, conc, dur, r.requests, float64(r.requests)/r.elapsed.Seconds(), r.p50.Round(10*time.Microsecond),
		r.p99.Round(10*time.Microsecond), r.errors, r.server5xx, r.statuses)
	switch {
	case journey == "meetings":
		s += fmt.Sprintf("\naccepts answered=%d (%.0f/s); count the meetings booked with -check-meetings", r.registered, float64(r.registered)/r.elapsed.Seconds())
	case r.registered+r.refused > 0:
		s += fmt.Sprintf("\nregistered=%d (%.0f/s) refused_full=%d", r.registered, float64(r.registered)/r.elapsed.Seconds(), r.refused)
	}
	if r.firstErr != nil {
		s += "\nfirst error: " + r.firstErr.Error()
	}
	return s
}
