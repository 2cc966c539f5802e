package app

import (
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/agora-events/agora/models/modeltest"
)

// Visitors who all ask at once for a page not rendered yet wait for one
// rendering of it, and all get it.
func TestPageCacheRendersOncePerVersionForConcurrentVisitors(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	a, f, err := newApp(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var builds atomic.Int32
	build := func() ([]byte, error) {
		builds.Add(1)
		time.Sleep(50 * time.Millisecond) // the others arrive meanwhile
		return []byte("<p>page</p>"), nil
	}
	var wg sync.WaitGroup
	bodies := make([]string, 32)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := f.AcquireCtx(&fasthttp.RequestCtx{})
			defer f.ReleaseCtx(c)
			if err := a.serveCached(c, "test:slot", "v1", build); err != nil {
				t.Error(err)
			}
			bodies[i] = string(c.Response().Body())
		}()
	}
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Fatalf("%d renderings for 32 visitors at once, want 1", n)
	}
	for i, b := range bodies {
		if b != "<p>page</p>" {
			t.Fatalf("visitor %d got %q", i, b)
		}
	}
	c := f.AcquireCtx(&fasthttp.RequestCtx{})
	defer f.ReleaseCtx(c)
	if err := a.serveCached(c, "test:slot", "v2", build); err != nil || builds.Load() != 2 {
		t.Fatalf("a new version renders again: %v, %d renderings", err, builds.Load())
	}
}
