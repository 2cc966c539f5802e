package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/stripe/stripe-go/v76/webhook"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

const testWebhookSecret = "whsec_test_agora"

// stripeStub sits in front of a real stripe-mock. stripe-mock checks every
// request against Stripe's API description but answers fixture data and
// remembers nothing, so the stub (1) forwards every request to it and
// records path and idempotency key, (2) gives each created Checkout Session
// a unique id, and (3) answers GET /v1/checkout/sessions/{id} from the
// sessions the test set, so fulfilment sees "paid" with our amount and
// metadata. Everything else (refunds, charges) is stripe-mock's answer.
type stripeStub struct {
	mu       sync.Mutex
	seq      int
	requests []stubRequest
	sessions map[string]map[string]any
	// refundIDs gives each refund idempotency key its own refund id.
	refundIDs map[string]string
	// beforeRefund, when set, is called with the number of each refund
	// request (1, 2, ...) before it is answered; a status other than 0 is
	// answered instead of stripe-mock's (a test makes Stripe fail or wait).
	beforeRefund func(n int) int
	refundCalls  int
}

type stubRequest struct {
	Method, Path, IdempotencyKey, Body string
}

func startStripeStub(t *testing.T) (*stripeStub, string) {
	t.Helper()
	mock := testenv.StartStripeMock(t)
	target, err := url.Parse(mock)
	if err != nil {
		t.Fatal(err)
	}
	st := &stripeStub{sessions: map[string]map[string]any{}}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		st.mu.Lock()
		st.requests = append(st.requests, stubRequest{r.Method, r.URL.Path, r.Header.Get("Idempotency-Key"), string(body)})
		st.mu.Unlock()
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/checkout/sessions/") {
			st.mu.Lock()
			s, ok := st.sessions[strings.TrimPrefix(r.URL.Path, "/v1/checkout/sessions/")]
			st.mu.Unlock()
			if ok {
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(s)
				return
			}
		}
		if r.Method == http.MethodPost && r.URL.Path == "/v1/refunds" {
			st.mu.Lock()
			st.refundCalls++
			n, hook := st.refundCalls, st.beforeRefund
			st.mu.Unlock()
			if hook != nil {
				if status := hook(n); status != 0 {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(status)
					_, _ = fmt.Fprintf(w, `{"error":{"type":"api_error","message":"test: refund answered %d"}}`, status)
					return
				}
			}
			// stripe-mock answers every refund with one fixture id; Stripe
			// gives each refund its own, and the same one again for a
			// repeated idempotency key.
			rec := httptest.NewRecorder()
			proxy.ServeHTTP(rec, r)
			var obj map[string]any
			if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &obj) != nil {
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
				return
			}
			st.mu.Lock()
			if st.refundIDs == nil {
				st.refundIDs = map[string]string{}
			}
			key := r.Header.Get("Idempotency-Key")
			id, ok := st.refundIDs[key]
			if !ok || key == "" {
				st.seq++
				id = fmt.Sprintf("re_test_agora_%d", st.seq)
				st.refundIDs[key] = id
			}
			obj["id"] = id
			st.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(obj)
			return
		}
		if r.Method == http.MethodPost && r.URL.Path == "/v1/checkout/sessions" {
			rec := httptest.NewRecorder()
			proxy.ServeHTTP(rec, r)
			var obj map[string]any
			if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &obj) != nil {
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
				return
			}
			st.mu.Lock()
			st.seq++
			obj["id"] = fmt.Sprintf("cs_test_agora_%d", st.seq)
			obj["url"] = fmt.Sprintf("https://checkout.stripe.test/c/pay/cs_test_agora_%d", st.seq)
			st.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(obj)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return st, srv.URL
}

// setSession makes GET of session id answer the given state.
func (s *stripeStub) setSession(id, status, paymentStatus string, amount int64, currency string, orderID uint) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[id] = map[string]any{"id": id, "object": "checkout.session", "status": status, "payment_status": paymentStatus,
		"amount_total": amount, "currency": currency, "payment_intent": "pi_test_" + id,
		"metadata": map[string]string{"order_id": fmt.Sprint(orderID)}}
}

func (s *stripeStub) find(method, path string) []stubRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []stubRequest
	for _, r := range s.requests {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// payFixture is an app with Stripe (through the stub), an open event with
// a paid ticket type, and a way to place orders.
type payFixture struct {
	t     *testing.T
	app   *fiber.App
	db    *gorm.DB
	dsn   string // the database's path or URL, to open a second pool (another instance)
	stub  *stripeStub
	pay   *payment.Stripe
	event *models.Event
	tt    *models.TicketType
	now   time.Time
	mu    sync.Mutex
}

func newPayFixture(t *testing.T, capacity int) *payFixture {
	t.Helper()
	stub, base := startStripeStub(t)
	db, dsn := modeltest.NewDB(t)
	fx := &payFixture{t: t, db: db, dsn: dsn, stub: stub, now: time.Now().UTC()}
	pay := payment.New(payment.Config{SecretKey: testenv.StripeTestKey, WebhookSecret: testWebhookSecret, APIBase: base})
	fx.pay = pay
	f, err := New(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		Payments: pay, Now: fx.clock})
	if err != nil {
		t.Fatal(err)
	}
	fx.app = f
	org, _ := modeltest.Organizer(t, db, "Pay Org", "owner@pay.example", models.RoleOwner)
	if err := db.Model(org).Updates(map[string]any{"legal_name": "Pay Org S.L.", "address": "Calle Mayor 1, Madrid", "vat_id": "ESB12345678"}).Error; err != nil {
		t.Fatal(err)
	}
	fx.event = modeltest.Event(t, db, org.ID, "paid-forum", models.StatusPublished)
	if _, err := models.SetConsentText(db, fx.event.ID, models.ConsentPrivacy, "We keep your data."); err != nil {
		t.Fatal(err)
	}
	fx.tt = &models.TicketType{EventID: fx.event.ID, Name: "Industry", Price: 2500, Currency: "EUR", Capacity: capacity,
		Category: models.CategoryIndustry, MaxPerOrder: 3}
	if err := db.Create(fx.tt).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := models.CheckCounters(db); err != nil {
			t.Errorf("CheckCounters: %v", err)
		}
	})
	return fx
}

func (fx *payFixture) clock() time.Time {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	return fx.now
}

func (fx *payFixture) advance(d time.Duration) {
	fx.mu.Lock()
	fx.now = fx.now.Add(d)
	fx.mu.Unlock()
}

// place places a pending order of n attendees.
func (fx *payFixture) place(n int) *models.Order {
	fx.t.Helper()
	cts, err := models.CurrentConsentTexts(fx.db, fx.event.ID)
	if err != nil {
		fx.t.Fatal(err)
	}
	in := models.PlaceOrderInput{EventID: fx.event.ID, TicketTypeID: fx.tt.ID, BuyerName: "Bea Buyer", BuyerEmail: "bea@example.org",
		Language: "en", Now: fx.clock()}
	for i := 0; i < n; i++ {
		in.Attendees = append(in.Attendees, models.AttendeeInput{Name: fmt.Sprintf("Person %d", i+1),
			Email: fmt.Sprintf("p%d@example.org", i+1), ConsentTextIDs: []uint{cts[0].ID}})
	}
	o, err := models.PlaceOrder(fx.db, in)
	if err != nil {
		fx.t.Fatalf("PlaceOrder: %v", err)
	}
	return o
}

// checkout goes to the payment page and presses "pay now", as the buyer
// would; it returns the Checkout Session id the order's payment got.
func (fx *payFixture) checkout(o *models.Order) string {
	fx.t.Helper()
	c := newClient(fx.t, fx.app)
	r := c.get("/orders/" + o.Secret + "/payment")
	mustStatus(fx.t, r, 200, "payment page")
	r = c.post("/orders/"+o.Secret+"/payment", nil)
	mustStatus(fx.t, r, http.StatusSeeOther, "pay now")
	if !strings.HasPrefix(r.Location, "https://checkout.stripe.test/") {
		fx.t.Fatalf("pay now went to %q", r.Location)
	}
	var p models.Payment
	if err := fx.db.Where("order_id = ?", o.ID).Order("id DESC").Take(&p).Error; err != nil {
		fx.t.Fatal(err)
	}
	return *p.ProviderSessionID
}

// webhook posts a signed event about object id of the given type.
func (fx *payFixture) webhook(eventID, typ, object, id string, secret string) response {
	fx.t.Helper()
	payload := fmt.Sprintf(`{"id":%q,"object":"event","api_version":"2023-10-16","type":%q,"data":{"object":{"id":%q,"object":%q}}}`,
		eventID, typ, id, object)
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte(payload), Secret: secret})
	req := httptest.NewRequest(http.MethodPost, "/stripe/webhook", bytes.NewReader(signed.Payload))
	req.Header.Set("Stripe-Signature", signed.Header)
	req.Header.Set("Content-Type", "application/json")
	return newClient(fx.t, fx.app).do(req)
}

func (fx *payFixture) order(id uint) models.Order {
	fx.t.Helper()
	var o models.Order
	if err := fx.db.Take(&o, id).Error; err != nil {
		fx.t.Fatal(err)
	}
	return o
}

func (fx *payFixture) mails(kind string) int64 {
	fx.t.Helper()
	var n int64
	if err := fx.db.Model(&models.OutboxMessage{}).Where("kind = ?", kind).Count(&n).Error; err != nil {
		fx.t.Fatal(err)
	}
	return n
}
