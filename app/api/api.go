// Package api is Agora's REST API under /api/v1: JSON for other systems (a
// CRM, a website, a spreadsheet), authenticated by an organization's API
// tokens. Operations are declared with huma, whose Go types generate the
// OpenAPI 3.1 document served at /api/v1/openapi.json, so the document cannot
// drift from the handlers. Rules live in models; handlers here only translate
// between JSON and those rules, as the HTML handlers in app do for forms.
package api

import (
	"log/slog"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// Deps are what the API uses but does not own (the app passes its own).
type Deps struct {
	DB     *gorm.DB
	Logger *slog.Logger
	Now    func() time.Time
	// BaseURL is the site's public address, for links in responses.
	BaseURL string
	// PlaceOrder writes a registration the way the site does (through its
	// commit batcher on SQLite).
	PlaceOrder func(models.PlaceOrderInput) (*models.Order, error)
	// PlaceStaffOrder is PlaceOrder for a registration made by the
	// organizers (models.PlaceStaffOrder), through the same batcher; nil =
	// models.PlaceStaffOrder on DB.
	PlaceStaffOrder func(models.StaffOrderInput) (*models.Order, error)
	// Hit counts one request under key in a window shared by every
	// instance (the rate limits); nil = no limits.
	Hit func(key string, window time.Duration) (int, error)
	// TokenLimit is how many requests a token may make per LimitWindow;
	// AddressLimit the same per client address for public operations
	// (defaults: DefaultTokenLimit, DefaultAddressLimit, DefaultLimitWindow).
	TokenLimit, AddressLimit int
	LimitWindow              time.Duration
	// ClientAddr is the client's address (behind trusted proxies, the
	// site's rule); default: the direct peer.
	ClientAddr func(*fiber.Ctx) string
	// Payments makes refunds through the site's payment provider; nil when
	// the site takes no online payments (no Stripe configured).
	Payments Payments
}

// Payments is what the API asks of the payment provider (app/payment's
// Stripe client).
type Payments interface {
	// Refund gives back amount (minor units) of a payment intent, once per key.
	Refund(paymentIntent string, amount int64, key string) (refundID string, err error)
}

// Server holds what the API's handlers share.
type Server struct {
	d   Deps
	api huma.API
}

// Mount declares every API route on f under Prefix and returns the server.
func Mount(f *fiber.App, d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.PlaceStaffOrder == nil {
		d.PlaceStaffOrder = func(in models.StaffOrderInput) (*models.Order, error) { return models.PlaceStaffOrder(d.DB, in) }
	}
	d = withLimitDefaults(d)
	g := f.Group(Prefix, checkJSONBody)
	s := &Server{d: d}
	s.api = humafiber.NewWithGroup(f, g, s.config())
	s.api.UseMiddleware(s.authenticate, s.rateLimit, s.idempotency)
	s.routes()
	return s
}

// config describes the API for its OpenAPI document.
func (s *Server) config() huma.Config {
	cfg := huma.DefaultConfig("Agora API", "1.0.0")
	cfg.Info.Description = "Events, registrations, check-in and meetings of an Agora site, for one organization per token. " +
		"Send the token as `Authorization: Bearer agora_…`. Errors are RFC 9457 problem details."
	cfg.Servers = []*huma.Server{{URL: strings.TrimRight(s.d.BaseURL, "/") + Prefix}}
	cfg.OpenAPIPath = "/openapi"
	cfg.DocsPath = ""     // the reference page is rendered by the site, without third-party scripts
	cfg.CreateHooks = nil // no $schema links in every response body
	cfg.OnAddOperation = append(cfg.OnAddOperation, documentShared)
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		securityScheme: {Type: "http", Scheme: "bearer", Description: "An API token made by an owner of the organization, under Manage → API tokens."},
	}
	return cfg
}

// OpenAPI returns the generated document (for the reference page and tests).
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

// routes registers every operation; each area has its own file.
func (s *Server) routes() {
	s.eventRoutes()
	s.registrationRoutes()
	s.programmeRoutes()
	s.publicRoutes()
	s.checkinRoutes()
	s.meetingRoutes()
}
