package app

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/agora-events/agora/app/api"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// routes declares every route of the site, in one place.
func (a *App) routes(f *fiber.App) {
	f.Use(a.compressResponses) // outermost: it sees error pages too (app/compress.go)
	f.Use(a.requestLog)
	f.Use(recover.New())
	f.Use(a.securityHeaders)
	f.Use(a.checkInput)

	f.Get("/healthz", a.healthz)
	f.Get("/metrics", a.metrics.handler())
	f.Get("/static/*", a.serveStatic)
	f.Get("/images/:file", a.serveImage) // event covers and logos (app/images.go)
	f.Get("/robots.txt", a.robotsTxt)    // (app/seo.go)
	f.Get("/lang/:lang", a.setLanguage)

	// REST API for other systems, with its own authentication (app/api).
	a.api = api.Mount(f, api.Deps{DB: a.db, Logger: a.log, Now: a.now, BaseURL: a.cfg.BaseURL,
		PlaceOrder: a.placeOrder, Hit: a.kv.Hit, Payments: a.apiPayments(),
		PlaceStaffOrder: a.placeStaffOrder, ClientAddr: a.clientIP})
	f.Get("/docs/api", a.apiReference) // its readable reference (app/api_reference.go)

	// Public programme.
	f.Get("/", a.home)
	f.Get("/events/:slug.ics", a.eventICS)
	f.Get("/events/:slug/sessions/:id.ics", a.sessionICS)
	f.Get("/events/:slug", a.eventPage)
	a.paymentRoutes(f)
	a.certificateRoutes(f)
	a.meetingRoutes(f)
	a.liveRoutes(f) // the live agora's boards and projector (app/live_board.go)

	// Organizer sign-in.
	f.Get("/manage/login", a.showSignIn)
	f.Post("/manage/login", a.signInLimiter(), func(c *fiber.Ctx) error {
		if !a.validCSRF(c) {
			c.Locals(csrfFailedKey, true)
		}
		return a.signIn(c)
	})
	a.postAction(f, "/manage/logout", a.signOut)
	a.twoFactorSignInRoutes(f) // the code step, before requireUser below

	a.invitationRoutes(f) // team invitations' links (app/invitations.go)
	a.passwordResetRoutes(f)

	// Organizer area: everything below needs a signed-in user.
	m := f.Group("/manage", a.requireUser)
	a.manageRoutes(m)

	// Site admin: organizations.
	adm := f.Group("/admin", a.requireUser, a.requireAdmin)
	a.adminRoutes(adm)

	// Attendees: registration, self-service, lost links, waitlist.
	a.registrationRoutes(f)
	a.embedRoutes(f) // pages other sites may frame (app/embed.go)
	a.feedRoutes(f)  // calendar and Atom feeds (app/feeds.go)
}

func (a *App) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := pingDB(a); err != nil {
		a.log.Error("healthz: database", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "database": "down"})
	}
	return c.JSON(fiber.Map{"status": "ok", "database": "up"})
}

// serveStatic serves embedded files under their hashed URLs with a year's cache.
func (a *App) serveStatic(c *fiber.Ctx) error {
	as, ok := a.assets.ByURL(c.Path())
	if !ok || strings.Contains(c.Path(), "..") {
		return errNotFound()
	}
	c.Set(fiber.HeaderContentType, as.ContentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	if as.Compressible() {
		c.Vary(fiber.HeaderAcceptEncoding)
		var packed []byte
		enc := acceptedEncoding(c.Get(fiber.HeaderAcceptEncoding))
		switch enc {
		case "br":
			packed = as.Brotli()
		case "gzip":
			packed = as.Gzip()
		}
		if packed != nil { // nil for a file too small to gain
			c.Set(fiber.HeaderContentEncoding, enc)
			return c.Send(packed)
		}
	}
	return c.Send(as.Body)
}
