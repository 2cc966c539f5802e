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
	on, err := models.TwoFactorConfirmed(a.db, u.ID)
	if err != nil {
		return dbErr("two-factor", err)
	}
	if !on {
		return a.startStaffSession(c, u, next)
	}
	// Confirmed without a key (the operator removed it) still asks for the
	// second step: recovery codes work without it, and nobody is let in on
	// a password alone because a key went missing.
	return a.startPendingSignIn(c, u, next)
}
