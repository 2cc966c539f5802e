package api

import (
	"time"

	"github.com/danielgtaylor/huma/v2"
	"gorm.io/gorm"
)

// IDListQuery is the paging of a list whose rows keep no change time (the
// agenda's sessions, rooms, speakers and tracks; meeting slots, blocks and
// locations): ordered by id, with a cursor after the last id, and no
// changed_since, because nothing records when such a row changed. A client
// that syncs them reads the whole list again (they are a few hundred rows
// at most).
type IDListQuery struct {
	Cursor string `query:"cursor" maxLength:"100" doc:"The next_cursor of the previous page; empty for the first."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"100" doc:"Records per page."`
}

func (q IDListQuery) limit() int {
	if q.Limit <= 0 {
		return 100
	}
	return q.Limit
}

// page orders a query of table by id after the cursor, one row more than the
// limit to learn whether another page follows.
func (q IDListQuery) page(db *gorm.DB, table string) (*gorm.DB, error) {
	if q.Cursor != "" {
		c, err := parseCursor(q.Cursor)
		if err != nil {
			return nil, huma.Error422UnprocessableEntity("The cursor is not one this API gave.", &huma.ErrorDetail{Location: "query.cursor", Message: "not a cursor from next_cursor", Value: q.Cursor})
		}
		db = db.Where(table+".id > ?", c.id)
	}
	return db.Order(table + ".id ASC").Limit(q.limit() + 1), nil
}

// nextIDCursor trims rows to the limit and returns the cursor after the last
// one kept ("" on the last page).
func nextIDCursor[T any](q IDListQuery, rows []T, id func(T) uint) ([]T, string) {
	if len(rows) <= q.limit() {
		return rows, ""
	}
	rows = rows[:q.limit()]
	return rows, cursor{at: time.Unix(0, 0), id: id(rows[len(rows)-1])}.String()
}

// pageOf is the body of every list: a page of items and the cursor of the
// next page.
type pageOf[T any] struct {
	Body struct {
		Items      []T    `json:"items"`
		NextCursor string `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last."`
	}
}

func newPageOf[T any](items []T, next string) *pageOf[T] {
	out := &pageOf[T]{}
	out.Body.Items = items
	if out.Body.Items == nil {
		out.Body.Items = []T{}
	}
	out.Body.NextCursor = next
	return out
}
