package app

import (
	"fmt"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// auditRoutes declares the organization's audit log (owners only): the
// page with its filters and the CSV of the filtered entries. The log is
// append-only: there is no route that edits or deletes an entry.
func (a *App) auditRoutes(o organizerArea) {
	o.owners.get("/orgs/:orgID/audit", a.auditPage)
	o.owners.get("/orgs/:orgID/audit.csv", a.auditCSV)
}

func auditURL(orgID uint) string { return fmt.Sprintf("/manage/orgs/%d/audit", orgID) }

// auditZone is the time zone the log is shown and filtered in: the site's
// (the one new events start with), since an organization has no zone of its
// own and its events may each have another.
var auditZone = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation(DefaultTimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
})

// auditRow is one entry as the page shows it.
type auditRow struct {
	models.AuditEntry
	Label      string // the action, translated (or its name)
	EventTitle string
	EventLink  bool // the event still exists
}

// auditActionLabel is the translated name of an action, or the action
// itself for one without a message (an action added later).
func auditActionLabel(L *Translator, action string) string {
	id := "audit.action." + action
	if s := L.T(id); s != id {
		return s
	}
	return action
}

// auditContext is what both the page and the CSV need: the owner's
// organization, its events, and the filter read from the query.
type auditContext struct {
	Org    models.Organization
	Events []models.Event
	Titles map[uint]models.Event
	Form   AuditFilterForm
	Filter models.AuditFilter
	Errors FieldErrors
	Loc    *time.Location
}

func (a *App) loadAuditContext(c *fiber.Ctx) (*auditContext, error) {
	m, err := teamMembership(c)
	if err != nil {
		return nil, err
	}
	x := &auditContext{Loc: auditZone(), Titles: map[uint]models.Event{}}
	if err := a.db.Take(&x.Org, m.OrganizationID).Error; err != nil {
		return nil, dbErr("organization", err)
	}
	if x.Events, err = models.AuditEvents(a.db, x.Org.ID); err != nil {
		return nil, errInternal("audit events", err)
	}
	ids := map[uint]bool{}
	for _, e := range x.Events {
		ids[e.ID] = true
		x.Titles[e.ID] = e
	}
	x.Form = parseAuditFilter(queryValues(c))
	x.Filter, x.Errors = x.Form.Validate(ids, x.Loc)
	return x, nil
}

// auditPage lists the organization's log, newest first, a page at a time.
func (a *App) auditPage(c *fiber.Ctx) error {
	x, err := a.loadAuditContext(c)
	if err != nil {
		return err
	}
	return a.renderAudit(c, x)
}

func (a *App) renderAudit(c *fiber.Ctx, x *auditContext) error {
	entries, more, err := models.AuditEntries(a.db, x.Org.ID, x.Filter, x.Form.Before, auditPageSize)
	if err != nil {
		return errInternal("audit entries", err)
	}
	L := newTranslator(a.bundle, a.lang(c))
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{AuditEntry: e, Label: auditActionLabel(L, e.Action)}
		if e.EventID != nil {
			ev := x.Titles[*e.EventID]
			rows[i].EventTitle, rows[i].EventLink = ev.Title, ev.ID != 0 && ev.Status != models.StatusDeleted
		}
	}
	actions := make([]selectOption, len(models.AuditActions))
	for i, act := range models.AuditActions {
		actions[i] = selectOption{Value: act, Label: auditActionLabel(L, act)}
	}
	events := make([]selectOption, len(x.Events))
	for i, e := range x.Events {
		events[i] = selectOption{Value: itoa(int(e.ID)), Label: e.Title}
	}
	base := auditURL(x.Org.ID)
	data := fiber.Map{"Org": x.Org, "Form": x.Form, "Errors": x.Errors, "Rows": rows, "Loc": x.Loc, "Zone": x.Loc.String(),
		"Actions": actions, "Events": events, "Base": base, "CSVURL": x.Form.PageURL(base+".csv", 0)}
	if more && len(entries) > 0 {
		data["NextURL"] = x.Form.PageURL(base, entries[len(entries)-1].ID)
	}
	if x.Form.Before != 0 {
		data["FirstURL"] = x.Form.PageURL(base, 0)
	}
	status := fiber.StatusOK
	if x.Errors.Any() {
		status = fiber.StatusUnprocessableEntity
	}
	return a.renderStatus(c, status, "manage/audit", data)
}
