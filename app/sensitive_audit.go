package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// auditSensitiveView writes that the signed-in coordinator is being shown
// at's sensitive data on page (invariant 7). Viewing changes nothing, so the
// entry is its own transaction; the page is not sent when it fails. The
// entry names the attendee and order by id and code only.
func (a *App) auditSensitiveView(c *fiber.Ctx, e *models.Event, at *models.Attendee, page string) error {
	entry := a.auditEventEntry(c, e, models.AuditSensitiveViewed)
	entry.Subject = fmt.Sprintf("attendee %d", at.ID)
	entry.Detail = page
	if at.Order != nil {
		entry.Detail = fmt.Sprintf("%s, order %s", page, at.Order.Code)
	}
	if err := models.RecordAudit(a.db, entry); err != nil {
		return errInternal("audit sensitive view", err)
	}
	return nil
}

// auditExport writes that the signed-in member downloaded export (its file
// name) of e with rows rows, and whether its sensitive columns were in it.
// Call it after the file is built and before it is sent: an export whose
// entry failed is not served.
func (a *App) auditExport(c *fiber.Ctx, e *models.Event, export string, rows int, sensitive bool) error {
	entry := a.auditEventEntry(c, e, models.AuditExport)
	entry.Subject = fmt.Sprintf("event %d", e.ID)
	with := "without sensitive columns"
	if sensitive {
		with = "with sensitive columns (access needs, sensitive answers, research consent)"
	}
	entry.Detail = fmt.Sprintf("%s: %d rows, %s", export, rows, with)
	if err := models.RecordAudit(a.db, entry); err != nil {
		return errInternal("audit export", err)
	}
	return nil
}
