package api

import (
	"io"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// remount mounts the API again on a fresh Fiber app over ta's database with
// change applied to its Deps (small limits, a test client address); it
// returns the new instance, ta itself pointing at it.
func (ta *testAPI) remount(change func(*Deps)) *testAPI {
	ta.t.Helper()
	d := Deps{DB: ta.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://agora.test",
		Now:        func() time.Time { return ta.now },
		PlaceOrder: func(in models.PlaceOrderInput) (*models.Order, error) { return models.PlaceOrder(ta.db, in) },
		Hit:        models.NewKVStore(ta.db).Hit}
	if change != nil {
		change(&d)
	}
	ta.app = fiber.New(fiber.Config{BodyLimit: 2 << 20})
	ta.srv = Mount(ta.app, d)
	return ta
}

// otherInstance is a second instance of the same API (its own Fiber app and
// Server) over the same database, as a second process would be.
func (ta *testAPI) otherInstance(change func(*Deps)) *testAPI {
	other := &testAPI{t: ta.t, db: ta.db, now: ta.now}
	return other.remount(change)
}
