// Package app is Agora's HTTP side: New builds the Fiber app with every
// route, middleware, rendering and the handlers for each area.
package app

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/static"
)

// Config is what an operator sets: flags and AGORA_* variables.
type Config struct {
	// BaseURL is the public address used in links, e-mails and calendar files.
	BaseURL string
	// Secure marks cookies Secure and sends HSTS; set when served over TLS
	// (derived from BaseURL's scheme when not set explicitly).
	Secure bool
	// SignInLimit is how many sign-in attempts one address may make per
	// SignInWindow (defaults 10 per 15 minutes).
	SignInLimit  int
	SignInWindow time.Duration
}

// Deps are the things the app uses but does not own.
type Deps struct {
	DB     *gorm.DB
	Logger *slog.Logger
	// Now returns the current time; tests move it.
	Now func() time.Time
	// Registry collects the metrics served at /metrics; nil makes a new one.
	Registry *prometheus.Registry
	// NudgeMail asks the outbox worker to send now rather than at its next
	// poll; handlers call it after committing something that e-mails. May be nil.
	NudgeMail func()
	// Payments is the Stripe client; nil when no key is configured, and then
	// paid tickets are not sold.
	Payments *payment.Stripe
	// Orders batches registrations' commits on SQLite; nil makes one. The
	// caller that passes it closes it at shutdown, before the database.
	Orders *models.OrderBatcher
}

// App holds what handlers share. Handlers are methods on it.
type App struct {
	cfg      Config
	db       *gorm.DB
	log      *slog.Logger
	now      func() time.Time
	kv       *models.KVStore
	sessions *session.Store
	bundle   *i18n.Bundle
	assets   *static.Assets
	views    *templates
	// csrfKey signs anonymous visitors' CSRF tokens; it lives in the shared
	// store so every instance accepts every other's forms.
	csrfKey []byte
	// orders groups concurrent registrations into shared commits on SQLite
	// (see models.OrderBatcher); nil on PostgreSQL, which needs no help.
	orders  *models.OrderBatcher
	nudge   func()
	cache   *pageCache
	metrics *metrics
	pay     *payment.Stripe
}

// New builds the Fiber app. Templates are parsed and checked here, so a
// broken template stops the process at start-up, not a visitor later.
func New(cfg Config, deps Deps) (*fiber.App, error) {
	_, f, err := newApp(cfg, deps)
	return f, err
}

// newApp is New, also returning the App so benchmarks can call handlers' parts.
func newApp(cfg Config, deps Deps) (*App, *fiber.App, error) {
	if deps.DB == nil {
		return nil, nil, fmt.Errorf("app: no database")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.NudgeMail == nil {
		deps.NudgeMail = func() {}
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://127.0.0.1:3000"
	}
	if cfg.SignInLimit == 0 {
		cfg.SignInLimit = 10
	}
	if cfg.SignInWindow == 0 {
		cfg.SignInWindow = 15 * time.Minute
	}
	a := &App{cfg: cfg, db: deps.DB, log: deps.Logger, now: deps.Now, kv: models.NewKVStore(deps.DB), cache: newPageCache(), nudge: deps.NudgeMail, metrics: newMetrics(deps.Registry, deps.DB), pay: deps.Payments}
	if a.orders = deps.Orders; a.orders == nil && !models.IsPostgres(deps.DB) {
		a.orders = models.NewOrderBatcher(deps.DB)
	}
	var err error
	if a.csrfKey, err = a.kv.GetOrCreate("agora:csrf-key", []byte(randomToken(32))); err != nil || len(a.csrfKey) == 0 {
		return nil, nil, fmt.Errorf("app: csrf key: %w", err)
	}
	if a.bundle, err = loadBundle(); err != nil {
		return nil, nil, err
	}
	if a.assets, err = static.Load(); err != nil {
		return nil, nil, fmt.Errorf("static: %w", err)
	}
	if a.views, err = loadTemplates(a.funcs()); err != nil {
		return nil, nil, err
	}
	a.sessions = session.New(session.Config{
		Storage:        a.kv,
		Expiration:     7 * 24 * time.Hour,
		KeyLookup:      "cookie:agora_session",
		CookieHTTPOnly: true,
		CookieSecure:   cfg.Secure,
		CookieSameSite: "Lax",
	})
	f := fiber.New(fiber.Config{
		AppName:               "agora",
		ErrorHandler:          a.handleError,
		DisableStartupMessage: true,
		BodyLimit:             2 * 1024 * 1024,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
	})
	a.routes(f)
	return a, f, nil
}

// placeOrder writes a registration, through the commit batcher where there is one.
func (a *App) placeOrder(in models.PlaceOrderInput) (*models.Order, error) {
	if a.orders != nil {
		return a.orders.PlaceOrder(in)
	}
	return models.PlaceOrder(a.db, in)
}
