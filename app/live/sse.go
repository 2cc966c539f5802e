package live

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Stream timings. A stream ends by itself after streamLife and the browser's
// EventSource reconnects (after retryMillis) sending Last-Event-ID, so the
// events in between are replayed from the rows: no stream outlives the
// server's write timeout, and a dead client's goroutine is gone within it.
const (
	streamLife  = 25 * time.Second
	heartbeat   = 10 * time.Second
	retryMillis = 1000
	replayLimit = 500
)

// Render turns an event into the data line the page's script expects
// (JSON, usually); "" skips the event.
type Render func(models.LiveEvent) string

// ServeSSE answers c with a server-sent-event stream of topic: first the
// events after the client's Last-Event-ID (a reconnection), then live ones.
// Events are sent as "event: <kind>" with the row id as the event id. When
// the follower lags it is sent "resync" and the page reloads its state.
// topic must not point into Fiber's buffers (copy it first).
func (h *Hub) ServeSSE(c *fiber.Ctx, topic string, render Render) error {
	var after uint64
	if v := c.Get("Last-Event-ID"); v != "" {
		after, _ = strconv.ParseUint(strings.TrimSpace(v), 10, 64)
	}
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no") // a proxy in front must not hold the stream back
	sub := h.Subscribe(topic)
	var missed []models.LiveEvent
	if after > 0 {
		var err error
		if missed, err = models.LiveEventsAfter(h.db, after, topic, replayLimit); err != nil {
			sub.Close()
			return err
		}
	}
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer sub.Close()
		fmt.Fprintf(w, "retry: %d\n\n", retryMillis)
		seen := after
		for _, ev := range missed {
			writeEvent(w, ev, render)
			seen = ev.ID
		}
		if w.Flush() != nil {
			return
		}
		end := time.NewTimer(streamLife)
		defer end.Stop()
		beat := time.NewTicker(heartbeat)
		defer beat.Stop()
		for {
			select {
			case ev := <-sub.C:
				if ev.ID <= seen {
					continue // already replayed
				}
				writeEvent(w, ev, render)
			case <-sub.Lagged():
				fmt.Fprint(w, "event: resync\ndata: {}\n\n")
				_ = w.Flush()
				return
			case <-beat.C:
				fmt.Fprint(w, ": still here\n\n")
			case <-end.C:
				return
			}
			if w.Flush() != nil {
				return // the client left
			}
		}
	})
	return nil
}

func writeEvent(w *bufio.Writer, ev models.LiveEvent, render Render) {
	data := ev.Data
	if render != nil {
		data = render(ev)
	}
	if data == "" {
		return
	}
	fmt.Fprintf(w, "id: %d\nevent: %s\n", ev.ID, ev.Kind)
	for _, line := range strings.Split(data, "\n") {
		fmt.Fprintf(w, "data: %s\n", line)
	}
	w.WriteString("\n")
}
