package app

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models/modeltest"
)

// startServer runs the whole app on a real listener on 127.0.0.1 with a fresh
// database of the suite's engine (SQLite or PostgreSQL). setup fills the
// database before the first request. It returns the base URL.
func startServer(t *testing.T, setup func(db *gorm.DB)) string {
	t.Helper()
	return startServerWith(t, Deps{}, setup)
}

// startServerWith is startServer with extra dependencies (e.g. Payments);
// DB and Logger are filled in.
func startServerWith(t *testing.T, deps Deps, setup func(db *gorm.DB)) string {
	t.Helper()
	db, _ := modeltest.NewDB(t)
	if setup != nil {
		setup(db)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	base := "http://" + ln.Addr().String()
	deps.DB, deps.Logger = db, slog.New(slog.NewTextHandler(io.Discard, nil))
	f, err := New(Config{BaseURL: base}, deps)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	stop := serveTestApp(f, ln)
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Logf("server: %v", err)
		}
	})
	return base
}

// serveTestApp serves f on ln until stop is called. stop first waits for the
// server to answer: fasthttp's Shutdown before Serve has taken the listener
// does nothing, and Serve would then run for ever (a browser test that skipped
// right after starting its server hung the package until its timeout).
func serveTestApp(f *fiber.App, ln net.Listener) (stop func() error) {
	served := make(chan error, 1)
	go func() { served <- f.Listener(ln) }()
	return func() error {
		notServing := waitServing("http://"+ln.Addr().String(), served, 10*time.Second)
		_ = f.ShutdownWithTimeout(5 * time.Second)
		_ = ln.Close() // in case Serve never took it: Serve then returns at once
		select {
		case err := <-served:
			if err != nil && !errors.Is(err, net.ErrClosed) {
				return err
			}
			return notServing
		case <-time.After(10 * time.Second):
			return errors.New("the server did not stop within 10s")
		}
	}
}

// waitServing returns once the server at base has answered a request (any
// status), or with an error when Serve ended or the time ran out. An error
// from Serve is put back into served for the caller.
func waitServing(base string, served chan error, limit time.Duration) error {
	client := http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for {
		select {
		case err := <-served:
			served <- err
			return fmt.Errorf("the server stopped before answering: %v", err)
		default:
		}
		res, err := client.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server did not answer within %s: %v", limit, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A test that ends right after starting its server (a browser test that
// skips for want of Chromium) must not hang in the server's shutdown.
func TestServerHelperStopsRightAfterStart(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	for i := 0; i < 20; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("listen: %v", err)
		}
		f, err := New(Config{BaseURL: "http://" + ln.Addr().String()},
			Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatalf("app.New: %v", err)
		}
		stopped := make(chan error, 1)
		go func() { stopped <- serveTestApp(f, ln)() }()
		select {
		case err := <-stopped:
			if err != nil {
				t.Fatalf("round %d: stop: %v", i, err)
			}
		case <-time.After(15 * time.Second):
			t.Fatalf("round %d: the server did not stop within 15s of a stop right after its start", i)
		}
	}
}
