// Package payment talks to Stripe: Checkout Sessions, refunds and webhook
// signatures, through stripe-go's client.API pointed at a configurable base
// URL (stripe-mock in tests and demos). Every POST carries an idempotency
// key derived from the order or payment, so a retry never charges or
// refunds twice.
package payment

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"github.com/stripe/stripe-go/v76/refund"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/agora-events/agora/models"
)

// Config is what an operator sets (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET,
// STRIPE_API_BASE).
type Config struct {
	SecretKey     string
	WebhookSecret string
	// APIBase is Stripe's API address; empty means Stripe itself.
	APIBase string
}

// Stripe is a configured Stripe client.
type Stripe struct {
	api *client.API
	// refunds calls the refund API once per Refund: no network retries of
	// its own, so a refund is asked for once and retried only by our callers,
	// with the key they stored (see RefundLate).
	refunds       refund.Client
	webhookSecret string
}

// New returns a client, or nil when no secret key is configured (paid
// tickets are then not sold).
func New(cfg Config) *Stripe {
	if strings.TrimSpace(cfg.SecretKey) == "" {
		return nil
	}
	bc := &stripe.BackendConfig{HTTPClient: &http.Client{Timeout: 30 * time.Second}, MaxNetworkRetries: stripe.Int64(2),
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelWarn}}
	if cfg.APIBase != "" {
		bc.URL = stripe.String(strings.TrimRight(cfg.APIBase, "/"))
	}
	up := *bc
	once := *bc
	once.MaxNetworkRetries = stripe.Int64(0)
	api := &client.API{}
	api.Init(cfg.SecretKey, &stripe.Backends{
		API:     stripe.GetBackendWithConfig(stripe.APIBackend, bc),
		Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, bc),
		Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, &up),
	})
	return &Stripe{api: api, webhookSecret: cfg.WebhookSecret,
		refunds: refund.Client{B: stripe.GetBackendWithConfig(stripe.APIBackend, &once), Key: cfg.SecretKey}}
}

// LineItem is one ticket on the Checkout page; amounts are computed on the
// server from the order, never taken from a form.
type LineItem struct {
	Name       string
	UnitAmount int64
	Quantity   int64
}

// CheckoutInput describes the session for one payment attempt.
type CheckoutInput struct {
	PaymentID  uint
	Order      models.Order
	Currency   string
	Items      []LineItem
	SuccessURL string
	CancelURL  string
	ExpiresAt  time.Time
}

// Session is a created Checkout Session.
type Session struct {
	ID        string
	URL       string
	ExpiresAt time.Time
}

// CreateCheckoutSession creates the Checkout Session of one payment attempt.
// The idempotency key names the payment row, so a retried request returns
// the same session.
func (s *Stripe) CreateCheckoutSession(in CheckoutInput) (*Session, error) {
	oid := strconv.FormatUint(uint64(in.Order.ID), 10)
	params := &stripe.CheckoutSessionParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModePayment)),
		CustomerEmail:     stripe.String(in.Order.BuyerEmail),
		ClientReferenceID: stripe.String(oid),
		SuccessURL:        stripe.String(in.SuccessURL),
		CancelURL:         stripe.String(in.CancelURL),
		ExpiresAt:         stripe.Int64(in.ExpiresAt.Unix()),
		Locale:            stripe.String(stripeLocale(in.Order.Language)),
		Metadata:          map[string]string{"order_id": oid, "order_code": in.Order.Code, "payment_id": strconv.FormatUint(uint64(in.PaymentID), 10)},
		PaymentIntentData: &stripe.CheckoutSessionPaymentIntentDataParams{
			Metadata: map[string]string{"order_id": oid, "order_code": in.Order.Code},
		},
	}
	for _, it := range in.Items {
		params.LineItems = append(params.LineItems, &stripe.CheckoutSessionLineItemParams{
			Quantity: stripe.Int64(it.Quantity),
			PriceData: &stripe.CheckoutSessionLineItemPriceDataParams{
				Currency:    stripe.String(strings.ToLower(in.Currency)),
				UnitAmount:  stripe.Int64(it.UnitAmount),
				ProductData: &stripe.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripe.String(it.Name)},
			},
		})
	}
	params.SetIdempotencyKey(CheckoutKey(in.PaymentID))
	cs, err := s.api.CheckoutSessions.New(params)
	if err != nil {
		return nil, fmt.Errorf("stripe: create checkout session: %w", err)
	}
	exp := in.ExpiresAt
	if cs.ExpiresAt > 0 {
		exp = time.Unix(cs.ExpiresAt, 0)
	}
	return &Session{ID: cs.ID, URL: cs.URL, ExpiresAt: exp}, nil
}

// CheckoutKey is the idempotency key of a payment attempt's session.
func CheckoutKey(paymentID uint) string { return fmt.Sprintf("agora-checkout-%d", paymentID) }

// RefundKey is the idempotency key of a refund; n tells apart several
// partial refunds of the same payment (models.RefundKey).
func RefundKey(paymentID uint, reason string, n int) string {
	return models.RefundKey(paymentID, reason, n)
}

// GetCheckoutSession re-fetches a session from Stripe (webhook payloads are
// not trusted), as fulfilment wants it.
func (s *Stripe) GetCheckoutSession(id string) (models.CheckoutSession, error) {
	if id == "" || len(id) > 255 {
		return models.CheckoutSession{}, errors.New("stripe: bad session id")
	}
	cs, err := s.api.CheckoutSessions.Get(id, nil)
	if err != nil {
		return models.CheckoutSession{}, fmt.Errorf("stripe: get checkout session: %w", err)
	}
	out := models.CheckoutSession{ID: cs.ID, Status: string(cs.Status), PaymentStatus: string(cs.PaymentStatus),
		AmountTotal: cs.AmountTotal, Currency: string(cs.Currency), Metadata: cs.Metadata}
	if cs.PaymentIntent != nil {
		out.PaymentIntent = cs.PaymentIntent.ID
	}
	return out, nil
}

// Refund gives back amount (minor units) of a payment intent, in one call
// to Stripe. The key makes a retry by the caller return the same refund.
func (s *Stripe) Refund(paymentIntent string, amount int64, key string) (refundID string, err error) {
	if paymentIntent == "" {
		return "", errors.New("stripe: refund: no payment intent")
	}
	params := &stripe.RefundParams{PaymentIntent: stripe.String(paymentIntent), Amount: stripe.Int64(amount)}
	params.SetIdempotencyKey(key)
	r, err := s.refunds.New(params)
	if err != nil {
		return "", fmt.Errorf("stripe: refund: %w", err)
	}
	return r.ID, nil
}

// Charge is what charge.refunded needs of a charge, re-fetched.
type Charge struct {
	ID             string
	PaymentIntent  string
	AmountRefunded int64
}

// GetCharge re-fetches a charge.
func (s *Stripe) GetCharge(id string) (Charge, error) {
	ch, err := s.api.Charges.Get(id, nil)
	if err != nil {
		return Charge{}, fmt.Errorf("stripe: get charge: %w", err)
	}
	out := Charge{ID: ch.ID, AmountRefunded: ch.AmountRefunded}
	if ch.PaymentIntent != nil {
		out.PaymentIntent = ch.PaymentIntent.ID
	}
	return out, nil
}

// ErrNoWebhookSecret means STRIPE_WEBHOOK_SECRET is not set: no event can be
// verified, so none is accepted.
var ErrNoWebhookSecret = errors.New("stripe: no webhook secret configured")

// WebhookTolerance is how far a webhook signature's timestamp may be from
// our clock, either way: Stripe's default for old signatures, and the same
// for clock skew ahead.
const WebhookTolerance = webhook.DefaultTolerance

// ErrSignatureFromFuture means a webhook was signed with a timestamp beyond
// WebhookTolerance ahead of our clock. stripe-go only refuses old ones; a
// signature dated ahead could otherwise be replayed until that date passed.
var ErrSignatureFromFuture = errors.New("stripe: webhook signature timestamp is in the future")

// VerifyEvent checks a webhook's signature and its timestamp (at most
// WebhookTolerance old or ahead) and returns the event.
func (s *Stripe) VerifyEvent(payload []byte, signature string) (stripe.Event, error) {
	if s.webhookSecret == "" {
		return stripe.Event{}, ErrNoWebhookSecret
	}
	ev, err := webhook.ConstructEventWithOptions(payload, signature, s.webhookSecret,
		webhook.ConstructEventOptions{Tolerance: WebhookTolerance, IgnoreAPIVersionMismatch: true})
	if err != nil {
		return stripe.Event{}, err
	}
	if at, ok := signatureTime(signature); !ok || at.After(time.Now().Add(WebhookTolerance)) {
		return stripe.Event{}, ErrSignatureFromFuture
	}
	return ev, nil
}

// signatureTime reads the t= timestamp of a Stripe-Signature header (the
// last one, parsed as stripe-go does: it is the one the signature was
// checked with).
func signatureTime(header string) (time.Time, bool) {
	var at time.Time
	found := false
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k != "t" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		at, found = time.Unix(n, 0), true
	}
	return at, found
}

// stripeLocale is the Checkout page's language for the order's. Stripe's
// Checkout has Greek, French, Dutch and Spanish but neither Galician nor
// Catalan: their speakers (all in Spain) get the Spanish page; an unknown
// locale would make Stripe refuse the session.
func stripeLocale(lang string) string {
	switch lang {
	case "es", "el", "fr", "nl":
		return lang
	case "gl", "ca":
		return "es"
	}
	return "en"
}
