package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Webhooks sends the queued webhook deliveries: it runs on every instance,
// claims each due delivery by a conditional update (so two instances never
// send one twice), POSTs it signed, and records the answer: delivered on a
// 2xx, else due again after a backoff, failed after a day. The request that
// made the change never waits for any of this.
type Webhooks struct {
	DB *gorm.DB
	// Keys opens secrets sealed with AGORA_SECRET_KEY; nil when none is set.
	Keys   *models.SecretKeys
	Policy models.WebhookPolicy
	// InstanceID names this process in claims.
	InstanceID string
	// Lease is how long a claim lasts (default 1 minute, well over the
	// 10-second timeout of a POST).
	Lease time.Duration
	// Interval between polls (default 1 second); Nudge wakes the worker early.
	Interval time.Duration
	// Batch is how many due deliveries one poll looks at (default 20), and
	// Parallel how many are sent at once (default 4), so one slow receiver
	// does not hold up the others.
	Batch, Parallel int
	Log             *slog.Logger
	Now             func() time.Time
	// Client is made from Policy when nil.
	Client *http.Client
	nudge  chan struct{}
	once   sync.Once
}

func (w *Webhooks) defaults() {
	w.once.Do(func() {
		if w.Lease == 0 {
			w.Lease = time.Minute
		}
		if w.Interval == 0 {
			w.Interval = time.Second
		}
		if w.Batch == 0 {
			w.Batch = 20
		}
		if w.Parallel == 0 {
			w.Parallel = 4
		}
		if w.Log == nil {
			w.Log = slog.Default()
		}
		if w.Now == nil {
			w.Now = time.Now
		}
		if w.Client == nil {
			w.Client = newWebhookClient(w.Policy)
		}
		w.nudge = make(chan struct{}, 1)
	})
}

// Nudge asks the worker to look for deliveries now (after a change was
// committed) instead of at the next poll. It never blocks.
func (w *Webhooks) Nudge() {
	w.defaults()
	select {
	case w.nudge <- struct{}{}:
	default:
	}
}

// Run polls until ctx ends; errors are logged, the rows keep what was not sent.
func (w *Webhooks) Run(ctx context.Context) {
	w.defaults()
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		for {
			n, err := w.RunOnce(ctx)
			if err != nil {
				w.Log.Error("webhooks", "err", err)
			}
			if n < w.Batch || err != nil || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.nudge:
		}
	}
}

// RunOnce looks at one batch of due deliveries, sends those it claims, and
// returns how many were due.
func (w *Webhooks) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	ids, err := models.DueWebhookDeliveries(w.DB, w.Now(), w.Batch)
	if err != nil {
		return 0, fmt.Errorf("due webhooks: %w", err)
	}
	sem := make(chan struct{}, w.Parallel)
	var wg sync.WaitGroup
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		d, ep, err := models.ClaimWebhookDelivery(w.DB, id, w.InstanceID, w.Now(), w.Lease)
		if err != nil {
			w.Log.Error("webhook claim", "delivery", id, "err", err)
			continue
		}
		if d == nil {
			continue // another instance has it
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			w.deliver(ctx, d, ep)
		}()
	}
	wg.Wait()
	return len(ids), nil
}

func (w *Webhooks) deliver(ctx context.Context, d *models.WebhookDelivery, ep *models.WebhookEndpoint) {
	a := w.post(ctx, d, ep)
	state, err := models.RecordWebhookAttempt(w.DB, d, w.InstanceID, a, w.Now())
	if err != nil {
		w.Log.Error("webhook record", "delivery", d.ID, "err", err)
		return
	}
	if state != models.WebhookDelivered {
		w.Log.Warn("webhook not delivered", "delivery", d.ID, "endpoint", ep.ID, "attempt", d.Attempts, "status", a.StatusCode, "state", state, "err", a.Err)
	}
}

// post makes one signed POST of d to ep and says what came back.
func (w *Webhooks) post(ctx context.Context, d *models.WebhookDelivery, ep *models.WebhookEndpoint) models.WebhookAttempt {
	body, err := d.Body()
	if err != nil {
		return models.WebhookAttempt{Err: "payload: " + err.Error()}
	}
	secret, err := models.WebhookSecret(w.Keys, *ep)
	if err != nil {
		return models.WebhookAttempt{Err: "signing secret: " + err.Error()}
	}
	if _, err := w.Policy.ParseWebhookURL(ep.URL); err != nil {
		return models.WebhookAttempt{Err: err.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, WebhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return models.WebhookAttempt{Err: "request: " + err.Error()}
	}
	ts := strconv.FormatInt(w.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Agora-Webhooks/1")
	req.Header.Set("Agora-Webhook-Id", strconv.FormatUint(uint64(d.ID), 10))
	req.Header.Set("Agora-Webhook-Type", d.EventType)
	req.Header.Set("Agora-Webhook-Timestamp", ts)
	req.Header.Set("Agora-Webhook-Signature", "v1="+SignWebhook(secret, ts, body))
	res, err := w.Client.Do(req)
	if err != nil {
		return models.WebhookAttempt{Err: err.Error()}
	}
	defer res.Body.Close()
	excerpt, _ := io.ReadAll(io.LimitReader(res.Body, 1000))
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // lets the connection be reused
	a := models.WebhookAttempt{StatusCode: res.StatusCode, Excerpt: cleanExcerpt(excerpt)}
	if !a.Delivered() {
		a.Err = "HTTP " + strconv.Itoa(res.StatusCode)
	}
	return a
}

// SignWebhook is the hex HMAC-SHA256 of timestamp + "." + body under secret:
// the v1 value of the Agora-Webhook-Signature header.
func SignWebhook(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write([]byte("."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// cleanExcerpt keeps the start of a response as valid text without NULs
// (PostgreSQL refuses both).
func cleanExcerpt(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
