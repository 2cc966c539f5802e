package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// auditEntry starts an audit log line for orgID about this request: the
// signed-in person (if any) and the client's address are filled in, and the
// time from the app's clock. Callers set Action, Subject, Detail and EventID,
// then write it with models.Audited (or models.RecordAudit inside their own
// transaction), so the line commits with the change.
func (a *App) auditEntry(c *fiber.Ctx, orgID uint, action string) models.AuditEntry {
	e := models.AuditEntry{OrganizationID: orgID, Action: action, IP: a.clientIP(c), CreatedAt: a.now()}
	if u := currentUser(c); u != nil {
		id := u.ID
		e.ActorUserID, e.ActorEmail = &id, u.Email
	}
	return e
}

// auditEventEntry is auditEntry for an action on one event.
func (a *App) auditEventEntry(c *fiber.Ctx, ev *models.Event, action string) models.AuditEntry {
	e := a.auditEntry(c, ev.OrganizationID, action)
	id := ev.ID
	e.EventID = &id
	return e
}
