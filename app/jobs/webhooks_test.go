package jobs_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// received is one POST as the receiver saw it: the raw bytes and headers.
type received struct {
	body   []byte
	header http.Header
	at     time.Time
}

// receiver is a local webhook receiver; answer decides each reply (n counts
// from 1).
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []received
	answer func(n int, w http.ResponseWriter)
}

func newReceiver(t *testing.T, answer func(n int, w http.ResponseWriter)) *receiver {
	rc := &receiver{answer: answer}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{body: b, header: r.Header.Clone(), at: time.Now()})
		n := len(rc.got)
		rc.mu.Unlock()
		if rc.answer != nil {
			rc.answer(n, w)
		}
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) all() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// hookSetup is an organization with a published event, a free ticket type
// and an endpoint at url subscribed to order.placed.
type hookSetup struct {
	db     *gorm.DB
	dsn    string
	ev     *models.Event
	tt     *models.TicketType
	ep     *models.WebhookEndpoint
	secret string
}

func newHookSetup(t *testing.T, url string, keys *models.SecretKeys) *hookSetup {
	t.Helper()
	db, dsn := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Hooks org", "owner@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "hooks", models.StatusPublished)
	tt := &models.TicketType{EventID: ev.ID, Name: "Free", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1}
	if err := db.Create(tt).Error; err != nil {
		t.Fatal(err)
	}
	secret, ep, err := models.CreateWebhookEndpoint(db, keys, models.NewWebhookInput{OrganizationID: org.ID, URL: url,
		EventTypes: []string{models.WebhookOrderPlaced}}, models.AuditEntry{Action: models.AuditWebhookCreated})
	if err != nil {
		t.Fatal(err)
	}
	return &hookSetup{db: db, dsn: dsn, ev: ev, tt: tt, ep: ep, secret: secret}
}

func (h *hookSetup) order(t *testing.T, i int) *models.Order {
	t.Helper()
	email := fmt.Sprintf("person%d@example.org", i)
	o, err := models.PlaceOrder(h.db, models.PlaceOrderInput{EventID: h.ev.ID, TicketTypeID: h.tt.ID, BuyerName: "Person", BuyerEmail: email,
		Attendees: []models.AttendeeInput{{Name: "Person", Email: email}}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (h *hookSetup) worker(instance string, now func() time.Time) *jobs.Webhooks {
	w := &jobs.Webhooks{DB: h.db, Policy: models.WebhookPolicy{AllowPrivate: true}, InstanceID: instance}
	if now != nil {
		w.Now = now
	}
	return w
}

// verify checks a received POST the way a receiver following docs/API.md
// would, written apart from the sender's code: HMAC-SHA256 under the secret
// of timestamp "." raw body, hex, compared in constant time, and a
// timestamp within five minutes of the receiver's clock.
func verify(secret string, r received, clock time.Time) error {
	ts := r.header.Get("Agora-Webhook-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q", ts)
	}
	if d := clock.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("timestamp %s is %s off", ts, d)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(r.body)))
	want := mac.Sum(nil)
	sig, ok := strings.CutPrefix(r.header.Get("Agora-Webhook-Signature"), "v1=")
	got, err := hex.DecodeString(sig)
	if !ok || err != nil || !hmac.Equal(got, want) {
		return fmt.Errorf("signature %q does not match", r.header.Get("Agora-Webhook-Signature"))
	}
	return nil
}

func TestWebhookIsSignedAndVerifiesIndependently(t *testing.T) {
	for _, withKey := range []bool{false, true} {
		t.Run(fmt.Sprintf("sealed secret %v", withKey), func(t *testing.T) {
			var keys *models.SecretKeys
			if withKey {
				var err error
				if keys, err = models.ParseSecretKeys(strings.Repeat("ab", 32), ""); err != nil {
					t.Fatal(err)
				}
			}
			rc := newReceiver(t, nil)
			h := newHookSetup(t, rc.srv.URL+"/hook", keys)
			if withKey {
				var ep models.WebhookEndpoint
				h.db.Take(&ep, h.ep.ID)
				if ep.SecretKeyID == "" || strings.Contains(string(ep.Secret), h.secret) {
					t.Fatal("the secret is stored in the clear although a key is configured")
				}
			}
			o := h.order(t, 1)
			w := h.worker("one", nil)
			w.Keys = keys
			if _, err := w.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := rc.all()
			if len(got) != 1 {
				t.Fatalf("received %d posts", len(got))
			}
			if err := verify(h.secret, got[0], time.Now()); err != nil {
				t.Fatal(err)
			}
			if err := verify("whsec_wrong", got[0], time.Now()); err == nil {
				t.Fatal("a wrong secret verified")
			}
			if err := verify(h.secret, got[0], time.Now().Add(10*time.Minute)); err == nil {
				t.Fatal("a stale timestamp passed")
			}
			tampered := got[0]
			tampered.body = []byte(strings.Replace(string(tampered.body), o.Code, "XXXXXXXX", 1))
			if err := verify(h.secret, tampered, time.Now()); err == nil {
				t.Fatal("a changed body verified")
			}
			var p struct {
				ID   uint   `json:"id"`
				Type string `json:"type"`
				Data struct {
					OrderCode string `json:"order_code"`
				} `json:"data"`
			}
			if err := json.Unmarshal(got[0].body, &p); err != nil {
				t.Fatal(err)
			}
			if p.Type != models.WebhookOrderPlaced || p.Data.OrderCode != o.Code || got[0].header.Get("Agora-Webhook-Id") != fmt.Sprint(p.ID) {
				t.Fatalf("payload %s, id header %q", got[0].body, got[0].header.Get("Agora-Webhook-Id"))
			}
			var d models.WebhookDelivery
			h.db.Take(&d, p.ID)
			if d.State != models.WebhookDelivered || d.Attempts != 1 || d.LastStatusCode != 200 || d.DeliveredAt == nil {
				t.Fatalf("delivery %+v", d)
			}
		})
	}
}

// A receiver that fails three times and then answers 200 gets the delivery
// after the backoff, once delivered, with every attempt counted.
func TestWebhookRetriesAFlakyReceiver(t *testing.T) {
	rc := newReceiver(t, func(n int, w http.ResponseWriter) {
		if n <= 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "try later")
		}
	})
	h := newHookSetup(t, rc.srv.URL, nil)
	h.order(t, 1)
	clock := time.Now()
	w := h.worker("one", func() time.Time { return clock })
	var d models.WebhookDelivery
	for i, wait := range []time.Duration{0, time.Minute, 5 * time.Minute, 30 * time.Minute} {
		// Not due yet: nothing is sent a second before the backoff ends.
		clock = clock.Add(wait - time.Second)
		if wait > 0 {
			w.RunOnce(context.Background())
			if n := len(rc.all()); n != i {
				t.Fatalf("attempt %d went out early (%d posts)", i+1, n)
			}
		}
		clock = clock.Add(time.Second)
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := h.db.Take(&d, "endpoint_id = ?", h.ep.ID).Error; err != nil {
			t.Fatal(err)
		}
		if d.Attempts != i+1 {
			t.Fatalf("after try %d: %d attempts", i+1, d.Attempts)
		}
	}
	if d.State != models.WebhookDelivered || d.LastStatusCode != 200 || d.LastError != "" {
		t.Fatalf("delivery %+v", d)
	}
	got := rc.all()
	if len(got) != 4 {
		t.Fatalf("received %d posts, want 4", len(got))
	}
	for _, r := range got[1:] { // every attempt is the same delivery, the same bytes
		if string(r.body) != string(got[0].body) || r.header.Get("Agora-Webhook-Id") != got[0].header.Get("Agora-Webhook-Id") {
			t.Fatal("a retry sent something else")
		}
	}
	clock = clock.Add(24 * time.Hour)
	w.RunOnce(context.Background())
	if len(rc.all()) != 4 {
		t.Fatal("a delivered webhook was sent again")
	}
}

// A receiver that keeps failing is given up after a day.
func TestWebhookFailsAfterADay(t *testing.T) {
	rc := newReceiver(t, func(_ int, w http.ResponseWriter) { w.WriteHeader(http.StatusInternalServerError) })
	h := newHookSetup(t, rc.srv.URL, nil)
	h.order(t, 1)
	clock := time.Now()
	w := h.worker("one", func() time.Time { return clock })
	var d models.WebhookDelivery
	for i := 0; i < 20 && d.State != models.WebhookFailed; i++ {
		w.RunOnce(context.Background())
		h.db.Take(&d, "endpoint_id = ?", h.ep.ID)
		clock = d.NextAttemptAt
	}
	// 0, +1 m, +5 m, +30 m, +2 h, +6 h, +6 h, +6 h = 20 h 36 m; the next would pass 24 h.
	if d.State != models.WebhookFailed || d.Attempts != 8 || d.LastStatusCode != 500 || !strings.Contains(d.LastError, "500") {
		t.Fatalf("delivery %+v", d)
	}
	// Re-sent by hand, it goes out again at once.
	if err := models.ResendWebhookDelivery(h.db, h.ev.OrganizationID, h.ep.ID, d.ID, clock); err != nil {
		t.Fatal(err)
	}
	before := len(rc.all())
	w.RunOnce(context.Background())
	if len(rc.all()) != before+1 {
		t.Fatal("the re-sent delivery did not go out")
	}
}

// The request path never calls out: while the only endpoint hangs, orders
// are placed as fast as without it, and the worker gives up on the hanging
// POST after its timeout.
func TestHangingReceiverDoesNotSlowRegistrations(t *testing.T) {
	release := make(chan struct{})
	rc := newReceiver(t, func(_ int, w http.ResponseWriter) { <-release })
	defer close(release)
	h := newHookSetup(t, rc.srv.URL, nil)
	h.order(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := h.worker("one", nil)
	stopped := make(chan struct{})
	go func() { defer close(stopped); w.Run(ctx) }()
	defer func() { cancel(); <-stopped }() // the hanging POST ends with the worker
	deadline := time.Now().Add(5 * time.Second)
	for len(rc.all()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(rc.all()) == 0 {
		t.Fatal("the worker never reached the receiver")
	}
	start := time.Now()
	for i := 1; i <= 30; i++ {
		o0 := time.Now()
		h.order(t, i)
		w.Nudge()
		if d := time.Since(o0); d > 2*time.Second {
			t.Fatalf("order %d took %s while the receiver hangs", i, d)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("30 orders took %s while the receiver hangs", d)
	}
	var queued int64
	h.db.Model(&models.WebhookDelivery{}).Where("endpoint_id = ?", h.ep.ID).Count(&queued)
	if queued != 31 {
		t.Fatalf("%d deliveries queued, want 31", queued)
	}
}

// Two instances over one database send each of many deliveries once.
func TestWebhooksOnceWithTwoInstances(t *testing.T) {
	counts := map[string]int{}
	var mu sync.Mutex
	rc := newReceiver(t, func(_ int, w http.ResponseWriter) { time.Sleep(2 * time.Millisecond) })
	rc.answer = func(n int, w http.ResponseWriter) {
		got := rc.all()[n-1]
		mu.Lock()
		counts[got.header.Get("Agora-Webhook-Id")]++
		mu.Unlock()
	}
	h := newHookSetup(t, rc.srv.URL, nil)
	const n = 120
	for i := 0; i < n; i++ {
		h.order(t, i)
	}
	second := h.db
	if models.IsPostgres(h.db) {
		// The second instance has its own connection pool, like another process.
		db2, err := models.Open(h.dsn, models.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { models.Close(db2) })
		second = db2
	}
	a := h.worker("instance-a", nil)
	b := h.worker("instance-b", nil)
	b.DB = second
	a.Batch, b.Batch = 10, 10
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var sent atomic.Int64
	for _, w := range []*jobs.Webhooks{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				k, err := w.RunOnce(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				sent.Add(int64(k))
				if k == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(counts) != n {
		t.Fatalf("%d distinct deliveries received, want %d", len(counts), n)
	}
	for id, c := range counts {
		if c != 1 {
			t.Fatalf("delivery %s received %d times", id, c)
		}
	}
	var delivered int64
	h.db.Model(&models.WebhookDelivery{}).Where("state = ? AND attempts = 1", models.WebhookDelivered).Count(&delivered)
	if delivered != n {
		t.Fatalf("%d delivered with one attempt, want %d", delivered, n)
	}
}

// Without the operator's permission, endpoints on internal addresses are
// refused when saved, and at send time (the name may have changed since).
func TestWebhookPrivateAddressesRefused(t *testing.T) {
	strict := models.WebhookPolicy{}
	for _, u := range []string{"https://127.0.0.1/hook", "https://10.1.2.3/", "https://192.168.1.1/", "https://172.16.0.1/",
		"https://169.254.169.254/latest/meta-data", "https://[::1]/", "https://[fd00::1]/", "https://[fe80::1]/", "https://0.0.0.0/",
		"https://224.0.0.1/", "https://100.64.0.1/", "https://[::ffff:127.0.0.1]/", "https://localhost:8443/"} {
		if _, err := strict.CheckWebhookURL(context.Background(), u); err == nil {
			t.Errorf("%s was accepted", u)
		}
	}
	for _, u := range []string{"http://93.184.215.14/", "ftp://93.184.215.14/", "https://user:pw@93.184.215.14/", "/relative", "https://"} {
		if _, err := strict.CheckWebhookURL(context.Background(), u); err == nil {
			t.Errorf("%s was accepted", u)
		}
	}
	if _, err := strict.CheckWebhookURL(context.Background(), "https://93.184.215.14/hook"); err != nil {
		t.Errorf("a public address was refused: %v", err)
	}
	open := models.WebhookPolicy{AllowPrivate: true}
	if _, err := open.CheckWebhookURL(context.Background(), "http://127.0.0.1:9/hook"); err != nil {
		t.Errorf("allowed private, 127.0.0.1 was refused: %v", err)
	}

	// At send time: the endpoint was saved while allowed (or its name
	// pointed elsewhere); now the policy is strict and nothing goes out.
	rc := newReceiver(t, nil)
	for _, url := range []string{rc.srv.URL, strings.Replace(rc.srv.URL, "127.0.0.1", "localhost", 1)} {
		h := newHookSetup(t, strings.Replace(url, "http://", "https://", 1), nil)
		h.order(t, 1)
		w := h.worker("one", nil)
		w.Policy = strict
		w.RunOnce(context.Background())
		var d models.WebhookDelivery
		h.db.Take(&d, "endpoint_id = ?", h.ep.ID)
		if d.State != models.WebhookPending || !strings.Contains(d.LastError, "private") {
			t.Fatalf("%s: delivery %+v", url, d)
		}
	}
	if n := len(rc.all()); n != 0 {
		t.Fatalf("the receiver on loopback got %d posts", n)
	}
}
