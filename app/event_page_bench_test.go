package app

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

// BenchmarkEventPage measures the demo forum's public page (about 20
// sessions): rendering it from the database, and serving it from the cache
// after the one-query version check, which is what visitors get.
//
//	go test -run '^$' -bench EventPage -benchmem ./app/
func BenchmarkEventPage(b *testing.B) {
	db, _ := modeltest.NewDB(b)
	if _, err := demo.Seed(db, time.Now()); err != nil {
		b.Fatal(err)
	}
	a, f, err := newApp(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	newCtx := func() *fasthttp.RequestCtx {
		rc := &fasthttp.RequestCtx{}
		rc.Request.SetRequestURI("/events/" + demo.ForumSlug)
		return rc
	}
	b.Run("render", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			c := f.AcquireCtx(newCtx())
			if _, err := a.renderEventPage(c, demo.ForumSlug); err != nil {
				b.Fatal(err)
			}
			f.ReleaseCtx(c)
		}
	})
	b.Run("cached", func(b *testing.B) {
		h := f.Handler()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			rc := newCtx()
			h(rc)
			if rc.Response.StatusCode() != 200 {
				b.Fatalf("status %d", rc.Response.StatusCode())
			}
		}
	})
}
