package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// startStaffSession signs u in: a new session id (defeating session
// fixation), a fresh CSRF token, then on to next.
func (a *App) startStaffSession(c *fiber.Ctx, u *models.User, next string) error {
	s, err := a.session(c)
	if err != nil {
		return errInternal("session", err)
	}
	if err := s.Regenerate(); err != nil {
		return errInternal("session regenerate", err)
	}
	s.Set(sessUserID, u.ID)
	s.Set(sessCSRF, randomToken(32))
	if err := s.Save(); err != nil {
		return errInternal("session save", err)
	}
	if next == "/" || next == "" {
		next = "/manage"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}
