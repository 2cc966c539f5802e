package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// secretPathPrefixes start paths whose next segment is a secret that works
// as a key (an invitation's link), whichever route answered: a visitor who
// is not signed in is redirected by the /manage group before the route
// with its :token parameter runs.
var secretPathPrefixes = []string{"/invitations/", "/manage/invitations/", "/manage/password/reset/"}

// loggedPath is the request's path as logs keep it: a secret link's token
// (an invitation's or a password reset's, a route's :token parameter such
// as a sign-in link's, an order's or a ticket's :secret)
// is replaced, so no log line holds a link that still works.
func loggedPath(c *fiber.Ctx) string {
	p := c.Path()
	for _, prefix := range secretPathPrefixes {
		if strings.HasPrefix(p, prefix) && len(p) > len(prefix) {
			return prefix + "{token}"
		}
	}
	if tok := c.Params("token"); tok != "" {
		p = strings.Replace(p, tok, "{token}", 1)
	}
	// An order's or a delegate's link: whoever reads the log must not be
	// able to open someone's registration with it.
	if sec := c.Params("secret"); len(sec) >= 16 {
		p = strings.Replace(p, sec, "{secret}", 1)
	}
	return p
}
