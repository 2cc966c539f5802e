package app

import (
	"strings"
	"sync"
	"time"

	"github.com/agora-events/agora/models"
)

// eventStamps keeps each public event page's version between requests on
// SQLite, where models.ChangeWatch says for the cost of one pragma whether
// anything at all was committed since: while nothing was, the stamp cannot
// have changed, and the page is served without its version query (issue
// 17). What moves with the clock alone (an event ending, a sales window
// opening) is looked up again at least once a second. On PostgreSQL, where
// other instances write, watch is nil and every request asks the database.
type eventStamps struct {
	watch  *models.ChangeWatch
	mu     sync.RWMutex
	bySlug map[string]eventStamp
}

type eventStamp struct {
	dataVersion int64
	at          time.Time
	stamp       string
}

// stampRecheck bounds how late a change made by the clock alone is seen.
const stampRecheck = time.Second

// maxEventStamps bounds the map; past it, it starts afresh.
const maxEventStamps = 10000

// eventStamp is models.PublicEventStamp of the event, kept as above. The
// event page and the programme's calendar feed both use it.
func (a *App) eventStamp(slug string) (string, error) {
	now := a.now()
	es := a.stamps
	if es == nil || es.watch == nil {
		_, stamp, err := models.PublicEventStamp(a.db, slug, now)
		return stamp, err
	}
	// The data version is read before the stamp: a commit after this read
	// changes the version the next request sees, so a stamp stored with it
	// is never kept past a change.
	dv, werr := es.watch.Version()
	if werr == nil {
		es.mu.RLock()
		e, ok := es.bySlug[slug]
		es.mu.RUnlock()
		if ok && e.dataVersion == dv && !now.Before(e.at) && now.Sub(e.at) < stampRecheck {
			return e.stamp, nil
		}
	}
	_, stamp, err := models.PublicEventStamp(a.db, slug, now)
	if err != nil || werr != nil {
		return stamp, err
	}
	es.mu.Lock()
	if len(es.bySlug) >= maxEventStamps {
		es.bySlug = map[string]eventStamp{}
	}
	es.bySlug[strings.Clone(slug)] = eventStamp{dataVersion: dv, at: now, stamp: stamp} // slug is Fiber's buffer
	es.mu.Unlock()
	return stamp, nil
}
