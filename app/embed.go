package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Embedding: an event's registration form and programme shown in a frame
// on a site its organization lists (models.EmbedOrigin). Only the routes
// under /embed may be framed, and only by those sites; every other page
// keeps frame-ancestors 'none'. In a frame on another site the browser
// sends none of this site's cookies (SameSite=Lax, or third-party cookies
// blocked altogether), so these pages use none: the form carries a signed
// token of its own (embed_token.go), the language comes from ?lang= or the
// browser, and the confirmation opens the order's page in a new tab.

const embedKey = "agora.embed"

// embedRoutes declares the pages that may be framed, and the host page's
// script at a stable address for the snippet.
func (a *App) embedRoutes(f *fiber.App) {
	f.Get("/embed.js", a.embedHostScript)
	g := f.Group("/embed", a.embedMode)
	g.Get("/events/:slug/register", a.embedEventFrame, a.showRegister)
	g.Post("/events/:slug/register", a.embedEventFrame, a.embedForm(a.postRegister))
	g.Get("/events/:slug/programme", a.embedEventFrame, a.embedProgramme)
	g.Get("/orders/:secret", a.secretHeaders, a.embedRegistered)
}

// isEmbed reports whether the request is for a page shown in a frame.
func isEmbed(c *fiber.Ctx) bool {
	on, _ := c.Locals(embedKey).(bool)
	return on
}

// embedMode marks the request as an embedded page and takes the interface
// language from ?lang= (the snippet's), since the language cookie is not
// sent to a frame on another site.
func (a *App) embedMode(c *fiber.Ctx) error {
	c.Locals(embedKey, true)
	asked := c.Query("lang")
	for _, l := range a.langs.offered {
		if l == asked {
			c.Locals("agora.lang", l) // the offered list's own string, safe to keep
		}
	}
	return c.Next()
}

// embedEventFrame lets the event's organization's sites frame the page.
func (a *App) embedEventFrame(c *fiber.Ctx) error {
	e, err := models.PublicEventBySlug(a.db, c.Params("slug"))
	if err != nil {
		return dbErr("load event", err)
	}
	if err := a.allowFraming(c, e.OrganizationID); err != nil {
		return err
	}
	return c.Next()
}

// allowFraming replaces the site's frame-ancestors 'none' with orgID's
// listed sites on this one response. With no site listed nothing changes:
// the page still refuses every frame.
func (a *App) allowFraming(c *fiber.Ctx, orgID uint) error {
	origins, err := models.EmbedOrigins(a.db, orgID)
	if err != nil {
		return errInternal("embed origins", err)
	}
	if len(origins) == 0 {
		return nil
	}
	// Each origin passed NormaliseOrigin: scheme, host and port only, so
	// none can add a directive to the policy.
	c.Set("Content-Security-Policy", contentSecurityPolicy(strings.Join(origins, " ")))
	c.Response().Header.Del("X-Frame-Options")
	return nil
}

// renderPage renders a page in the site's layout or, for an embedded page,
// in the light one, with the embed form token and without touching the
// session or setting any cookie.
func (a *App) renderPage(c *fiber.Ctx, status int, page string, data fiber.Map) error {
	if !isEmbed(c) {
		return a.renderStatus(c, status, page, data)
	}
	data["Public"] = true // no session, no cookie, no flash
	data["Embed"] = true
	data["CSRF"] = a.newEmbedToken()
	data["Layout"] = "embed"
	return a.renderStatus(c, status, page, data)
}

// embedForm checks an embedded form's own token instead of the cookie-bound
// one; as with postForm, a bad or expired token brings the form back with
// what was typed and saves nothing.
func (a *App) embedForm(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !a.validEmbedToken(c.FormValue("_csrf")) {
			c.Locals(csrfFailedKey, true)
		}
		return h(c)
	}
}

// registeredRedirect is where a registration lands: the order's page, or,
// in a frame, a short confirmation that opens it in a new tab (payment
// included: a payment page refuses to be framed).
func (a *App) registeredRedirect(c *fiber.Ctx, o *models.Order) error {
	if isEmbed(c) {
		return c.Redirect("/embed/orders/"+o.Secret+langSuffix(c), fiber.StatusSeeOther)
	}
	return c.Redirect("/orders/"+o.Secret+"?welcome=1", fiber.StatusSeeOther)
}

// embedPending is beginPayment for a frame: the person pays on the order's
// payment page in a new tab, from the confirmation. With no way to pay at
// all, the hold is released at once, as beginPayment does.
func (a *App) embedPending(c *fiber.Ctx, o *models.Order) error {
	s, err := models.PaymentSettings(a.db, o.EventID)
	if err != nil {
		return dbErr("payment settings", err)
	}
	if a.pay == nil && !s.AllowInvoice {
		if _, err := models.ReleaseHold(a.db, o.ID, a.now()); err != nil {
			return dbErr("release hold", err)
		}
		a.log.Warn("paid order refused: no Stripe key configured", "order", o.ID)
		return a.renderPage(c, fiber.StatusServiceUnavailable, "payment/unavailable", fiber.Map{"Order": o})
	}
	return a.registeredRedirect(c, o)
}

// embedRegistered is the confirmation inside the frame.
func (a *App) embedRegistered(c *fiber.Ctx) error {
	o, err := models.OrderBySecret(a.db, c.Params("secret"))
	if err != nil {
		return dbErr("order", err)
	}
	if err := a.allowFraming(c, o.Event.OrganizationID); err != nil {
		return err
	}
	ct, err := a.eventContent(c, &o.Event)
	if err != nil {
		return err
	}
	next := "/orders/" + o.Secret + "?welcome=1"
	if o.Status == models.OrderPending {
		next = "/orders/" + o.Secret + "/payment"
	}
	return a.renderPage(c, fiber.StatusOK, "register/embed_done", withContent(fiber.Map{
		"Order": o, "Event": &o.Event, "OrderURL": next,
	}, c, ct, &o.Event))
}

// embedProgramme is the event's agenda alone, for a frame.
func (a *App) embedProgramme(c *fiber.Ctx) error {
	e, err := models.PublicEventBySlug(a.db, c.Params("slug"))
	if err != nil {
		return dbErr("load event", err)
	}
	data, err := a.eventPageData(c, e)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return a.renderPage(c, fiber.StatusOK, "public/embed_programme", data)
}

// embedHostScript serves the script the snippet loads on the host page (it
// sizes the frame) at an address that does not change with its content.
func (a *App) embedHostScript(c *fiber.Ctx) error {
	as, ok := a.assets.ByURL(a.assets.URL("js/embed.js"))
	if !ok {
		return errNotFound()
	}
	c.Set(fiber.HeaderContentType, as.ContentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(as.Body)
}
