package api

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"gorm.io/gorm"
)

// ListQuery is the paging every list takes. Lists are ordered by when each
// record last changed, then by id, and a page ends with a cursor naming the
// last record returned: the next page starts strictly after it, so records
// made or changed while a client pages through never shift the pages (no
// duplicates, no gaps among the records that existed); a changed record
// moves to the end, where the client meets it again with its new data.
type ListQuery struct {
	Cursor string `query:"cursor" maxLength:"100" doc:"The next_cursor of the previous page; empty for the first."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"100" doc:"Records per page."`
	// ChangedSince lets a client sync incrementally: only records changed at
	// or after this time. Pass the time of the previous sync's start minus a
	// minute (transactions commit a little after they stamp their rows).
	ChangedSince time.Time `query:"changed_since" doc:"Only records created or changed at or after this time (RFC 3339), for incremental sync."`
}

// cursor is a position in a list: the last record's change time and id.
type cursor struct {
	at time.Time
	id uint
}

func (c cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.at.UnixNano(), 10) + "." + strconv.FormatUint(uint64(c.id), 10)))
}

func parseCursor(s string) (cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, err
	}
	ns, id, ok := strings.Cut(string(raw), ".")
	if !ok {
		return cursor{}, fmt.Errorf("no separator")
	}
	n, err1 := strconv.ParseInt(ns, 10, 64)
	i, err2 := strconv.ParseUint(id, 10, 64)
	if err1 != nil || err2 != nil {
		return cursor{}, fmt.Errorf("not numbers")
	}
	return cursor{at: time.Unix(0, n).UTC(), id: uint(i)}, nil
}

// page applies q to a query of table (whose rows have id and updated_at),
// fetching one more row than the limit to learn whether another page follows.
func (q ListQuery) page(db *gorm.DB, table string) (*gorm.DB, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	at, id := table+".updated_at", table+".id"
	if !q.ChangedSince.IsZero() {
		db = db.Where(at+" >= ?", q.ChangedSince.UTC())
	}
	if q.Cursor != "" {
		c, err := parseCursor(q.Cursor)
		if err != nil {
			return nil, huma.Error422UnprocessableEntity("The cursor is not one this API gave.", &huma.ErrorDetail{Location: "query.cursor", Message: "not a cursor from next_cursor", Value: q.Cursor})
		}
		db = db.Where("("+at+" > ? OR ("+at+" = ? AND "+id+" > ?))", c.at, c.at, c.id)
	}
	return db.Order(at + " ASC").Order(id + " ASC").Limit(limit + 1), nil
}

// nextCursor trims rows to the limit and returns the cursor after the last
// one kept ("" when this was the last page). key gives a row's position.
func nextCursor[T any](q ListQuery, rows []T, key func(T) (time.Time, uint)) ([]T, string) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	at, id := key(rows[len(rows)-1])
	return rows, cursor{at: at.UTC(), id: id}.String()
}
