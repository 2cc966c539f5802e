package live

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Two hubs over one database stand for two instances: an event committed
// through one reaches the other's follower (by LISTEN/NOTIFY on PostgreSQL,
// by polling on SQLite), in order, once, and only on its topic.
func TestEventOnOneInstanceReachesTheOther(t *testing.T) {
	db, dsn := modeltest.NewDB(t)
	other := db
	if models.IsPostgres(db) {
		var err error
		if other, err = models.Open(dsn, models.OpenOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A long poll on PostgreSQL shows that the notification wakes the hub.
	poll := 50 * time.Millisecond
	if models.IsPostgres(db) {
		poll = time.Hour
	}
	a := New(ctx, db, quiet(), poll)
	b := New(ctx, other, quiet(), poll)
	sub := b.Subscribe("board:1")
	defer sub.Close()
	elsewhere := b.Subscribe("board:2")
	defer elsewhere.Close()
	time.Sleep(200 * time.Millisecond) // the listener is up

	for i := range 5 {
		if err := db.Transaction(func(tx *gorm.DB) error {
			return models.PublishLive(tx, "board:1", "post", map[string]int{"n": i})
		}); err != nil {
			t.Fatal(err)
		}
	}
	// A rolled-back change announces nothing.
	_ = db.Transaction(func(tx *gorm.DB) error {
		_ = models.PublishLive(tx, "board:1", "post", map[string]int{"n": 99})
		return fmt.Errorf("roll back")
	})
	_ = a
	for i := range 5 {
		select {
		case ev := <-sub.C:
			if want := fmt.Sprintf(`{"n":%d}`, i); ev.Data != want {
				t.Fatalf("event %d: %s, want %s", i, ev.Data, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event %d did not arrive on the other instance", i)
		}
	}
	select {
	case ev := <-sub.C:
		t.Fatalf("unexpected event %+v", ev)
	case ev := <-elsewhere.C:
		t.Fatalf("another topic's follower got %+v", ev)
	case <-time.After(300 * time.Millisecond):
	}
}

// A follower that cannot keep up is told to reload, never blocks the hub:
// a follower that reads keeps getting every event meanwhile.
func TestSlowFollowerLagsWithoutBlocking(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := New(ctx, db, quiet(), 20*time.Millisecond)
	slow := h.Subscribe("t")
	defer slow.Close()
	fast := h.Subscribe("t")
	defer fast.Close()
	// In chunks smaller than a follower's buffer, each read by the fast
	// follower before the next, so only the slow one overflows.
	const chunk = subBuffer / 4
	for sent := 0; sent < subBuffer+2*chunk; sent += chunk {
		for range chunk {
			if err := models.PublishLive(db, "t", "vote", nil); err != nil {
				t.Fatal(err)
			}
		}
		h.Nudge()
		for range chunk {
			select {
			case <-fast.C:
			case <-time.After(5 * time.Second):
				t.Fatalf("the fast follower stopped getting events after %d", sent)
			}
		}
	}
	select {
	case <-slow.Lagged():
	case <-time.After(time.Second):
		t.Fatal("the slow follower was not told it lagged")
	}
	select {
	case <-fast.Lagged():
		t.Fatal("the fast follower was told it lagged")
	default:
	}
}

// The stream sends live events, and a reconnection with Last-Event-ID gets
// what it missed first.
func TestStreamReplaysWhatAReconnectionMissed(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := New(ctx, db, quiet(), 20*time.Millisecond)
	f := fiber.New()
	f.Get("/live", func(c *fiber.Ctx) error { return h.ServeSSE(c, "board:7", nil) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.Listener(ln)
	defer f.ShutdownWithTimeout(100 * time.Millisecond)
	url := "http://" + ln.Addr().String() + "/live"

	first, err := models.LiveEventsAfter(db, 0, "", 1)
	if err != nil || len(first) != 0 {
		t.Fatal("database not empty", err)
	}
	for i := range 3 {
		if err := models.PublishLive(db, "board:7", "post", map[string]int{"n": i}); err != nil {
			t.Fatal(err)
		}
	}
	evs, _ := models.LiveEventsAfter(db, 0, "board:7", 10)
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Last-Event-ID", fmt.Sprint(evs[0].ID))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	want := []string{`data: {"n":1}`, `data: {"n":2}`, `data: {"n":3}`}
	go func() {
		time.Sleep(300 * time.Millisecond)
		_ = models.PublishLive(db, "board:7", "post", map[string]int{"n": 3})
		h.Nudge()
	}()
	deadline := time.After(5 * time.Second)
	for len(want) > 0 {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("stream ended; still waiting for %v", want)
			}
			if strings.HasPrefix(l, "data: ") {
				if l != want[0] {
					t.Fatalf("got %q, want %q", l, want[0])
				}
				want = want[1:]
			}
		case <-deadline:
			t.Fatalf("still waiting for %v", want)
		}
	}
}
