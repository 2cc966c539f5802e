package app

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// requestLog writes one structured line per request and gives each request an id.
func (a *App) requestLog(c *fiber.Ctx) error {
	start := time.Now()
	id := c.Get("X-Request-Id")
	if id == "" || len(id) > 64 || !cleanText([]byte(id)) {
		id = randomToken(9)
	} else {
		id = strings.Clone(id) // kept in Locals and logs; c.Get's string is reused
	}
	c.Locals("agora.request_id", id)
	c.Set("X-Request-Id", id)
	err := c.Next()
	if err != nil {
		if herr := a.handleError(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	a.metrics.observe(c, start)
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	a.log.Log(c.UserContext(), level, "request", "request_id", id, "method", c.Method(), "path", loggedPath(c),
		"status", status, "duration_ms", float64(time.Since(start).Microseconds())/1000)
	return nil
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals("agora.request_id").(string)
	return id
}

// securityHeaders sets a CSP without inline script, forbids framing, and
// sends HSTS when the site is served over TLS.
func (a *App) securityHeaders(c *fiber.Ctx) error {
	a.setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders is securityHeaders' work on its own: the error handler
// calls it too, because an answer Fiber gives before any middleware runs (413
// for an oversized body, 431 for huge headers) must carry them as well.
func (a *App) setSecurityHeaders(c *fiber.Ctx) {
	c.Set("Content-Security-Policy", contentSecurityPolicy("'none'"))
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	c.Set("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
	if a.cfg.Secure {
		c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
}

// contentSecurityPolicy is the site's policy with the given frame-ancestors
// sources: 'none' everywhere, except the embed pages' own list (embed.go).
func contentSecurityPolicy(frameAncestors string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors " + frameAncestors
}

const langCookie = "agora_lang"

// lang returns the visitor's language: their explicit choice, else Accept-Language.
func (a *App) lang(c *fiber.Ctx) string {
	if l, ok := c.Locals("agora.lang").(string); ok {
		return l
	}
	l := a.langs.pick(c.Cookies(langCookie), c.Get(fiber.HeaderAcceptLanguage))
	c.Locals("agora.lang", l)
	return l
}

// setLanguage records the visitor's choice and returns them to where they were.
func (a *App) setLanguage(c *fiber.Ctx) error {
	l := c.Params("lang")
	if a.langs.offers(l) {
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HTTPOnly: true, Secure: a.cfg.Secure, SameSite: "Lax"})
	}
	return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
}
