package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// loggedPath is the request's path as logs keep it: the value of a route's
// :token parameter (an invitation's or a sign-in link's secret) is replaced,
// so no log line holds a link that still works.
func loggedPath(c *fiber.Ctx) string {
	p := c.Path()
	if tok := c.Params("token"); tok != "" {
		p = strings.Replace(p, tok, "{token}", 1)
	}
	return p
}
