// Package app is Agora's HTTP side: New builds the Fiber app with every
// route, middleware, rendering and the handlers for each area.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/api"
	"github.com/agora-events/agora/app/live"
	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/static"
	"github.com/agora-events/agora/views"
)

// Config is what an operator sets: flags and AGORA_* variables.
type Config struct {
	// BaseURL is the public address used in links, e-mails and calendar files.
	BaseURL string
	// Secure marks cookies Secure and sends HSTS; set when served over TLS
	// (derived from BaseURL's scheme when not set explicitly).
	Secure bool
	// TrustedProxies lists the reverse proxies in front of the site
	// (AGORA_TRUSTED_PROXIES): comma-separated CIDR ranges or single
	// addresses. Only a request from one of them has its X-Forwarded-For
	// believed; empty = the direct peer is the client. Malformed = New fails.
	TrustedProxies string
	// SignInLimit is how many password sign-ins one e-mail address may try per
	// SignInWindow (defaults 10 per 15 minutes), from anywhere;
	// SignInAddressLimit is the looser net per client address (default 100),
	// so many people behind one address are not locked out together.
	SignInLimit        int
	SignInAddressLimit int
	SignInWindow       time.Duration
	// LinkLimit is how many e-mailed links (lost order link, meetings sign-in
	// link) one e-mail address may be sent per LinkWindow (defaults 5 per 15
	// minutes); LinkAddressLimit is the net per client address (default 300:
	// a hundred attendees on a venue's Wi-Fi asking a few times each).
	LinkLimit        int
	LinkAddressLimit int
	LinkWindow       time.Duration
	// SecretKey encrypts two-factor secrets at rest (AGORA_SECRET_KEY: 32
	// bytes as hex or base64); empty = two-factor sign-in cannot be set up.
	// SecretKeyOld lists previous keys (comma-separated) during a rotation.
	// Malformed = New fails.
	SecretKey    string
	SecretKeyOld string
	// SessionIdle ends an organizer's session after this long without a
	// request (AGORA_SESSION_IDLE, default 12h); SessionMax ends it this long
	// after signing in, however active (AGORA_SESSION_MAX, default 7 days).
	SessionIdle time.Duration
	SessionMax  time.Duration
	// Languages lists the interface languages the site offers
	// (AGORA_LANGUAGES: comma-separated codes, the first the default; empty
	// = all of views.Languages). An unknown code = New fails.
	Languages string
	// WebhooksAllowPrivate lets webhook endpoints sit on private, loopback
	// and link-local addresses, over plain http too
	// (AGORA_WEBHOOKS_ALLOW_PRIVATE; off = https to public addresses only).
	WebhooksAllowPrivate bool
	// WarmTemplates checks every page's template in the background as soon
	// as the app is made, so a broken one is logged at start-up (the server
	// sets it). Either way a page is parsed and kept when first rendered.
	WarmTemplates bool
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
	// LivePoll is how often the live agora's hub looks for other
	// instances' events when nothing wakes it (default 250 ms on SQLite,
	// 2 s on PostgreSQL, whose notifications wake it at once).
	LivePoll time.Duration
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
	// langs picks each request's language among the offered ones.
	langs  languageChooser
	assets *static.Assets
	views  *templates
	// csrfKey signs anonymous visitors' CSRF tokens; it lives in the shared
	// store so every instance accepts every other's forms.
	csrfKey []byte
	// orders groups concurrent registrations into shared commits on SQLite
	// (see models.OrderBatcher); nil on PostgreSQL, which needs no help.
	orders  *models.OrderBatcher
	forms   *formCache   // blank registration forms (app/register_cache.go)
	stamps  *eventStamps // event pages' versions on SQLite (app/event_stamp_cache.go)
	nudge   func()
	cache   *pageCache
	metrics *metrics
	pay     *payment.Stripe
	// proxies are the reverse proxies whose X-Forwarded-For is believed.
	proxies trustedProxies
	// secrets encrypts two-factor secrets; nil when no key is configured.
	secrets *models.SecretKeys
	// api is the REST API under /api/v1 (package app/api).
	api *api.Server
	// live hands the agora's live events to the pages following them.
	live *live.Hub
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
		cfg.SignInLimit = defaultSignInLimit
	}
	if cfg.SignInAddressLimit == 0 {
		cfg.SignInAddressLimit = defaultSignInAddressLimit
	}
	if cfg.SignInWindow == 0 {
		cfg.SignInWindow = defaultLimitWindow
	}
	if cfg.LinkLimit == 0 {
		cfg.LinkLimit = defaultLinkLimit
	}
	if cfg.LinkAddressLimit == 0 {
		cfg.LinkAddressLimit = defaultLinkAddressLimit
	}
	if cfg.LinkWindow == 0 {
		cfg.LinkWindow = defaultLimitWindow
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = models.DefaultSessionIdle
	}
	if cfg.SessionMax <= 0 {
		cfg.SessionMax = models.DefaultSessionMax
	}
	proxies, err := parseTrustedProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, nil, err
	}
	a := &App{cfg: cfg, db: deps.DB, log: deps.Logger, now: deps.Now, kv: models.NewKVStore(deps.DB), cache: newPageCache(), forms: newFormCache(), nudge: deps.NudgeMail, metrics: newMetrics(deps.Registry, deps.DB), pay: deps.Payments, proxies: proxies}
	if err := a.setUpSecretKeys(); err != nil {
		return nil, nil, err
	}
	if a.orders = deps.Orders; a.orders == nil && !models.IsPostgres(deps.DB) {
		a.orders = models.NewOrderBatcher(deps.DB)
	}
	if a.csrfKey, err = a.kv.GetOrCreate("agora:csrf-key", []byte(randomToken(32))); err != nil || len(a.csrfKey) == 0 {
		return nil, nil, fmt.Errorf("app: csrf key: %w", err)
	}
	offered, err := views.ParseLanguages(cfg.Languages)
	if err != nil {
		return nil, nil, fmt.Errorf("languages (AGORA_LANGUAGES): %w", err)
	}
	a.langs = newLanguageChooser(offered)
	if a.bundle, err = loadBundle(); err != nil {
		return nil, nil, err
	}
	if a.assets, err = static.Load(); err != nil {
		return nil, nil, fmt.Errorf("static: %w", err)
	}
	if a.views, err = loadTemplates(a.funcs()); err != nil {
		return nil, nil, err
	}
	if cfg.WarmTemplates {
		go func() {
			if err := a.views.warm(); err != nil {
				a.log.Error("templates", "err", err)
			}
		}()
	}
	a.sessions = session.New(session.Config{
		Storage:        a.kv,
		Expiration:     max(7*24*time.Hour, cfg.SessionMax), // the staff session row ends it sooner
		KeyLookup:      "cookie:agora_session",
		CookieHTTPOnly: true,
		CookieSecure:   cfg.Secure,
		CookieSameSite: "Lax",
	})
	f := fiber.New(fiber.Config{
		AppName:               "agora",
		ErrorHandler:          a.handleError,
		DisableStartupMessage: true,
		BodyLimit:             siteBodyLimit, // larger on the upload routes: app/body_limit.go
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
	})
	f.Server().HeaderReceived = bodyLimitFor
	a.live = newLiveHub(f, deps)
	watch, err := models.WatchChanges(deps.DB)
	if err != nil {
		return nil, nil, err
	}
	a.stamps = &eventStamps{watch: watch, bySlug: map[string]eventStamp{}}
	f.Hooks().OnShutdown(watch.Close)
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

// newLiveHub makes the live agora's hub, which stops when f shuts down.
func newLiveHub(f *fiber.App, deps Deps) *live.Hub {
	poll := deps.LivePoll
	if poll <= 0 {
		poll = 250 * time.Millisecond
		if models.IsPostgres(deps.DB) {
			poll = 2 * time.Second
		}
	}
	ctx, stop := context.WithCancel(context.Background())
	f.Hooks().OnShutdown(func() error { stop(); return nil })
	return live.New(ctx, deps.DB, deps.Logger, poll)
}
