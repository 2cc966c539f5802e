package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// badgeRoutes declares the badge pages. The single badge must come before
// the registration admin's /registrations/:aid/:action, which would
// otherwise take "badge.pdf" for an action and refuse check-in staff.
func (a *App) badgeRoutes(o organizerArea) {
	o.editors.get("/events/:id/badges", a.badgesPage)
	o.editors.get("/events/:id/badges.pdf", a.badgesPDF)
	o.door.get("/events/:id/registrations/:aid/badge.pdf", a.singleBadgePDF)
}

// badgesPage offers the layouts and the selection.
func (a *App) badgesPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderBadges(c, fiber.StatusOK, e, parseBadgeForm(queryValues(c)), FieldErrors{})
}

func (a *App) renderBadges(c *fiber.Ctx, status int, e *models.Event, f badgeForm, errs FieldErrors) error {
	ts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return errInternal("list ticket types", err)
	}
	var ttOpts, layouts []selectOption
	for _, t := range ts {
		ttOpts = append(ttOpts, selectOption{Value: itoa(int(t.ID)), Label: t.Name})
	}
	for _, l := range badgeLayouts {
		layouts = append(layouts, selectOption{Value: l.Key, Label: l.Key})
	}
	return a.renderStatus(c, status, "manage/badges", fiber.Map{
		"Event": e, "Form": f, "Errors": errs, "ErrorLinks": errorLinks(errs), "Layouts": layouts,
		"TicketTypes": ttOpts, "Categories": optionsOf(models.Categories), "Who": badgeWho,
	})
}

// badgesPDF is the badges of the chosen people in the chosen layout; a bad
// choice, or one that matches no one, shows the form again with the reason.
func (a *App) badgesPDF(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	f := parseBadgeForm(queryValues(c))
	ts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return errInternal("list ticket types", err)
	}
	sel, errs := f.Validate(ts)
	if errs.Any() {
		return a.renderBadges(c, fiber.StatusUnprocessableEntity, e, f, errs)
	}
	holders, err := models.BadgeHolders(a.db, e.ID, sel)
	if err != nil {
		return dbErr("badge holders", err)
	}
	if len(holders) == 0 {
		errs.Add("who", "badges.error.nobody")
		return a.renderBadges(c, fiber.StatusUnprocessableEntity, e, f, errs)
	}
	l, _ := badgeLayoutOf(f.Layout)
	return a.sendBadges(c, e, l, holders, "badges-"+e.Slug+"-"+l.Key+".pdf", fmt.Sprintf("%d badges", len(holders)))
}

// singleBadgePDF prints one person's badge on demand, at the door: check-in
// staff may use it. Only a confirmed, active ticket has a badge.
func (a *App) singleBadgePDF(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	key := c.Query("layout", badgeLayoutSingle)
	l, ok := badgeLayoutOf(key)
	if !ok {
		l, _ = badgeLayoutOf(badgeLayoutSingle)
	}
	id := parseID(c.Params("aid"))
	if id == 0 {
		return errNotFound()
	}
	holders, err := models.BadgeHolders(a.db, e.ID, models.BadgeSelection{AttendeeIDs: []uint{id}})
	if err != nil {
		return dbErr("badge holder", err)
	}
	if len(holders) == 0 {
		return errNotFound()
	}
	return a.sendBadges(c, e, l, holders, "badge-"+holders[0].Code+".pdf", models.AttendeeSubject(holders[0].AttendeeID, holders[0].Code))
}

// sendBadges draws the badges and serves them once the download is in the
// audit log (subject names whom): a download changes nothing, so the line
// is written first, and nothing is served when it cannot be.
func (a *App) sendBadges(c *fiber.Ctx, e *models.Event, l badgeLayout, holders []models.BadgeHolder, filename, subject string) error {
	L := newTranslator(a.bundle, a.lang(c))
	txt := badgeText{Event: e.Title, NoPhotos: L.T("badges.no_photos"), Categories: map[string]string{}}
	for _, cat := range models.Categories {
		txt.Categories[cat] = L.T("regadmin.category." + cat)
	}
	doc, err := drawBadges(L.T("badges.title")+" — "+e.Title, l, txt, holders)
	if err != nil {
		return errInternal("badges pdf", err)
	}
	audit := a.auditEventEntry(c, e, models.AuditBadgesDownloaded)
	audit.Subject, audit.Detail = subject, "layout "+l.Key
	if err := models.RecordAudit(a.db, audit); err != nil {
		return errInternal("audit badges", err)
	}
	return sendPDF(c, filename, doc)
}
