package live

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/agora-events/agora/models"
)

// listen holds one PostgreSQL connection LISTENing on the live channel and
// nudges the hub on every notification, so events committed by another
// instance arrive in milliseconds rather than at the next poll. When the
// connection breaks it tries again; the poll carries on meanwhile.
func (h *Hub) listen(ctx context.Context) {
	for ctx.Err() == nil {
		err := h.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		h.log.Warn("live: listen", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

func (h *Hub) listenOnce(ctx context.Context) error {
	sqlDB, err := h.db.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// The connection never goes back to the pool still listening: ending
	// with ErrBadConn makes database/sql throw it away.
	return conn.Raw(func(dc any) (err error) {
		defer func() { err = fmt.Errorf("%w (%w)", err, driver.ErrBadConn) }()
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("not a pgx connection")
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+models.LiveChannel); err != nil {
			return err
		}
		h.Nudge() // catch what committed before the LISTEN took effect
		for {
			if _, err := pc.WaitForNotification(ctx); err != nil {
				return err
			}
			h.Nudge()
		}
	})
}
