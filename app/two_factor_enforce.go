package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// twoFactorGate is the last step of requireUser: someone who must sign in
// with a second factor (a site admin; a member of an organization that
// requires it) but has not set one up reaches only the setup page (and
// sign out, which is outside the organizer area) until they have. Without a
// key nobody can set one up, so nobody is held to it (the start-up log
// warns about that).
func (a *App) twoFactorGate(c *fiber.Ctx, u *models.User, ms []models.Membership) error {
	if a.secrets == nil || !models.MustUseTwoFactor(u, ms) || onTwoFactorSetup(c.Path()) {
		return c.Next()
	}
	on, err := models.TwoFactorConfirmed(a.db, u.ID)
	if err != nil {
		return dbErr("two-factor", err)
	}
	if on {
		return c.Next()
	}
	a.flash(c, "twofactor.required_flash")
	return c.Redirect(twoFactorSetupURL, fiber.StatusSeeOther)
}

// onTwoFactorSetup reports whether path is the setup page or one of its forms.
func onTwoFactorSetup(path string) bool {
	return path == twoFactorSetupURL || strings.HasPrefix(path, twoFactorSetupURL+"/")
}
