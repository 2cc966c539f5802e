package app

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// Two instances over one database: a post made through one reaches the
// projector stream of the other — by LISTEN/NOTIFY on PostgreSQL (with a
// poll too slow to explain it), by polling on SQLite — and the other's
// projector screen then shows it.
func TestPostOnOneInstanceReachesTheOthersProjector(t *testing.T) {
	db, dsn := modeltest.NewDB(t)
	other := db
	poll := 50 * time.Millisecond
	if models.IsPostgres(db) {
		var err error
		if other, err = models.Open(dsn, models.OpenOptions{}); err != nil {
			t.Fatal(err)
		}
		poll = time.Hour
	}
	w := newLiveWorld(t, db)
	b, err := models.SaveBoard(db, w.event.ID, w.session.ID, models.BoardSettings{Open: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	one, err := New(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: quiet, LivePoll: poll})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	two, err := New(Config{BaseURL: "http://" + ln.Addr().String()}, Deps{DB: other, Logger: quiet, LivePoll: poll})
	if err != nil {
		t.Fatal(err)
	}
	stop := serveTestApp(two, ln)
	defer func() { _ = stop() }()
	base := "http://" + ln.Addr().String() + "/live/p/" + b.ProjectorSecret

	res, err := http.Get(base + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("stream content type %q", ct)
	}
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, "event: ") {
				events <- strings.TrimPrefix(l, "event: ")
			}
		}
	}()
	time.Sleep(300 * time.Millisecond) // the other instance's hub is listening

	guest := newClient(t, one)
	r := guest.get("/live/" + b.Code())
	liveStatus(t, "join on instance one", r, http.StatusSeeOther)
	guest.get(r.Location)
	sent := time.Now()
	liveStatus(t, "post on instance one", guest.post(r.Location+"/posts", url.Values{"body": {"Who pays for home sensors?"}}), http.StatusSeeOther)
	select {
	case kind := <-events:
		if kind != "post" {
			t.Fatalf("first event %q, want post", kind)
		}
		t.Logf("post reached the other instance's projector stream in %v", time.Since(sent))
	case <-time.After(5 * time.Second):
		t.Fatal("the post did not reach the other instance's projector")
	}
	screen, err := http.Get(base + "/screen")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(screen.Body)
	screen.Body.Close()
	if !strings.Contains(string(body), "Who pays for home sensors?") {
		t.Fatalf("the other instance's screen does not show the post:\n%s", body)
	}
}
