package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// sessStaff holds the raw id of the signed-in organizer's staff session row
// (models.StaffSession) in the cookie session.
const sessStaff = "sid"

const staffSessionKey = "agora.staff_session"

// sessionLimits are the configured lifetimes of a staff session.
func (a *App) sessionLimits() models.SessionLimits {
	return models.SessionLimits{Idle: a.cfg.SessionIdle, Max: a.cfg.SessionMax}
}

// currentStaffSession is the session row of this request (set by requireUser).
func currentStaffSession(c *fiber.Ctx) *models.StaffSession {
	s, _ := c.Locals(staffSessionKey).(*models.StaffSession)
	return s
}

// startStaffSession signs u in: a staff session row (with the sign-in in
// the audit log), a new cookie session id (defeating session fixation)
// holding the row's id, a fresh CSRF token, then on to next.
func (a *App) startStaffSession(c *fiber.Ctx, u *models.User, next string) error {
	now := a.now()
	id := u.ID
	entry := models.AuditEntry{ActorUserID: &id, ActorEmail: u.Email, IP: a.clientIP(c), CreatedAt: now}
	raw, _, err := models.StartStaffSession(a.db, u.ID, c.Get(fiber.HeaderUserAgent), a.clientIP(c), now, entry)
	if err != nil {
		return dbErr("start staff session", err)
	}
	s, err := a.session(c)
	if err != nil {
		return errInternal("session", err)
	}
	if err := s.Regenerate(); err != nil {
		return errInternal("session regenerate", err)
	}
	s.Set(sessUserID, u.ID)
	s.Set(sessStaff, raw)
	s.Set(sessCSRF, randomToken(32))
	if err := s.Save(); err != nil {
		return errInternal("session save", err)
	}
	if next == "/" || next == "" {
		next = "/manage"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// liveStaffSession checks the cookie session's staff session row: it returns
// the row and its user id, or nil when there is no live one (never signed
// in, signed out elsewhere, expired).
func (a *App) liveStaffSession(c *fiber.Ctx) (*models.StaffSession, error) {
	s, err := a.session(c)
	if err != nil {
		return nil, errInternal("session", err)
	}
	uid, _ := s.Get(sessUserID).(uint)
	raw, _ := s.Get(sessStaff).(string)
	if uid == 0 {
		return nil, nil
	}
	ss, err := models.CheckStaffSession(a.db, raw, a.now(), a.sessionLimits())
	if err == nil && ss.UserID == uid {
		return ss, nil
	}
	if err != nil && !errors.Is(err, models.ErrSessionEnded) {
		return nil, dbErr("check staff session", err)
	}
	// Ended or expired: the cookie session forgets the organizer (and
	// keeps anything else, such as a meetings sign-in as an attendee).
	s.Delete(sessUserID)
	s.Delete(sessStaff)
	if err := a.storeSession(c, s); err != nil {
		return nil, errInternal("session save", err)
	}
	return nil, nil
}

// endStaffSession ends this browser's staff session row (signing out).
func (a *App) endStaffSession(c *fiber.Ctx) error {
	s, err := a.session(c)
	if err != nil {
		return err
	}
	raw, _ := s.Get(sessStaff).(string)
	if raw == "" {
		return nil
	}
	return models.EndStaffSession(a.db, raw, a.now())
}
