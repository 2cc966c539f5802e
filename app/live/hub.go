// Package live carries the agora's live updates to the pages that follow
// them (the projector, the board) on every instance. Changes write a
// models.LiveEvent row in their own transaction; each instance's Hub reads
// the rows after the last one it saw and hands them to its subscribers by
// topic. On PostgreSQL a LISTEN on models.LiveChannel wakes the hub as soon as
// another instance commits; on SQLite (one instance, or a few on one file) it
// polls. A change made on this instance calls Nudge, so its own pages see it
// at once either way.
package live

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Hub is one instance's fan-out of live events.
type Hub struct {
	ctx   context.Context
	start sync.Once
	db    *gorm.DB
	log   *slog.Logger
	poll  time.Duration
	wake  chan struct{}

	mu   sync.Mutex
	subs map[string]map[*Sub]struct{}
	last uint64 // the newest event handed out (or skipped while no one listened)
}

// Sub is one follower of a topic. Events arrive on C; a follower too slow to
// keep up loses events and is told so by Lagged, and should reload.
type Sub struct {
	C      chan models.LiveEvent
	topic  string
	hub    *Hub
	lagged chan struct{}
	once   sync.Once
}

// subBuffer is how many events a follower may fall behind before it lags.
const subBuffer = 64

// New makes a hub over db that polls every poll (when nothing wakes it
// sooner). It starts working with its first follower, so an instance that
// runs no live page spends nothing on it, and stops when ctx ends.
func New(ctx context.Context, db *gorm.DB, log *slog.Logger, poll time.Duration) *Hub {
	if log == nil {
		log = slog.Default()
	}
	if poll <= 0 {
		poll = time.Second
	}
	return &Hub{ctx: ctx, db: db, log: log, poll: poll, wake: make(chan struct{}, 1), subs: map[string]map[*Sub]struct{}{}}
}

// Nudge asks the hub to look for new events now (after a local commit).
func (h *Hub) Nudge() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// Subscribe follows topic until Close.
func (h *Hub) Subscribe(topic string) *Sub {
	h.start.Do(func() { go h.run(h.ctx) })
	s := &Sub{C: make(chan models.LiveEvent, subBuffer), topic: topic, hub: h, lagged: make(chan struct{})}
	h.mu.Lock()
	idle := h.count() == 0
	h.mu.Unlock()
	var latest uint64
	if idle {
		// Nothing was followed: skip the events no one heard; this
		// follower loads the current state itself.
		latest, _ = models.LastLiveEventID(h.db)
	}
	h.mu.Lock()
	if idle && h.count() == 0 && latest > h.last {
		h.last = latest
	}
	if h.subs[topic] == nil {
		h.subs[topic] = map[*Sub]struct{}{}
	}
	h.subs[topic][s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Lagged is closed when the follower fell behind and lost events.
func (s *Sub) Lagged() <-chan struct{} { return s.lagged }

// Close stops following.
func (s *Sub) Close() {
	h := s.hub
	h.mu.Lock()
	if m := h.subs[s.topic]; m != nil {
		delete(m, s)
		if len(m) == 0 {
			delete(h.subs, s.topic)
		}
	}
	h.mu.Unlock()
}

// Followers is how many followers the hub has (for metrics and tests).
func (h *Hub) Followers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.count()
}

func (h *Hub) count() int {
	n := 0
	for _, m := range h.subs {
		n += len(m)
	}
	return n
}

// run delivers events until ctx ends.
func (h *Hub) run(ctx context.Context) {
	if models.IsPostgres(h.db) {
		go h.listen(ctx)
	}
	t := time.NewTicker(h.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-h.wake:
		}
		h.deliver()
	}
}

// fetchLimit bounds one read of new events; a busier moment takes a few.
const fetchLimit = 500

// deliver reads the events after the last one handed out and passes each to
// its topic's followers, without ever waiting for a slow one.
func (h *Hub) deliver() {
	for {
		h.mu.Lock()
		if h.count() == 0 {
			h.mu.Unlock()
			return
		}
		after := h.last
		h.mu.Unlock()
		evs, err := models.LiveEventsAfter(h.db, after, "", fetchLimit)
		if err != nil {
			h.log.Warn("live: read events", "err", err)
			return
		}
		if len(evs) == 0 {
			return
		}
		h.mu.Lock()
		for _, ev := range evs {
			if ev.ID <= h.last {
				continue
			}
			h.last = ev.ID
			for s := range h.subs[ev.Topic] {
				select {
				case s.C <- ev:
				default:
					s.once.Do(func() { close(s.lagged) })
				}
			}
		}
		h.mu.Unlock()
		if len(evs) < fetchLimit {
			return
		}
	}
}
