package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// closedCell is one line of the grid's list of closed tables, with its
// reopen button.
type closedCell struct {
	Slot     models.MeetingSlot
	Location models.MeetingLocation
}

// closeForm keeps what the organizer chose when the close form is shown again.
type closeForm struct{ Location, Slot uint }

// meetingsCloseTable closes one table for one slot (audited).
func (a *App) meetingsCloseTable(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	form := closeForm{Location: parseID(c.FormValue("location")), Slot: parseID(c.FormValue("slot"))}
	if form.Location == 0 {
		errs.Add("close_location", "form.choose")
	}
	if form.Slot == 0 {
		errs.Add("close_slot", "form.choose")
	}
	if !errs.Any() {
		entry := a.auditEventEntry(c, e, models.AuditTableClosed)
		entry.Subject = fmt.Sprintf("event %d", e.ID)
		entry.Detail = fmt.Sprintf("location %d, slot %d", form.Location, form.Slot)
		err = models.Audited(a.db, entry, func(tx *gorm.DB, _ *models.AuditEntry) error {
			return models.CloseTable(tx, e.ID, form.Location, form.Slot)
		})
		switch {
		case err == nil:
			a.nudge()
			a.flash(c, "meetings.close.done")
			return c.Redirect("/manage/events/"+itoa(int(e.ID))+"/meetings#closures-h", fiber.StatusSeeOther)
		case errors.Is(err, gorm.ErrRecordNotFound):
			errs.Add("close_location", "meetings.close.err_unknown")
		case errors.Is(err, models.ErrOnlineNotClosed):
			errs.Add("close_location", "meetings.close.err_online")
		case errors.Is(err, models.ErrCellHasMeeting):
			errs.Add("close_location", "meetings.err.has_meeting")
		default:
			return errInternal("close table", err)
		}
	}
	return a.renderDashboard(c, fiber.StatusUnprocessableEntity, e, m, FieldErrors{}, nil,
		fiber.Map{"CloseErrors": errs, "CloseForm": form})
}

// meetingsReopenTable opens a closed cell again (audited).
func (a *App) meetingsReopenTable(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	loc, slot := parseID(c.FormValue("location")), parseID(c.FormValue("slot"))
	entry := a.auditEventEntry(c, e, models.AuditTableReopened)
	entry.Subject = fmt.Sprintf("event %d", e.ID)
	entry.Detail = fmt.Sprintf("location %d, slot %d", loc, slot)
	err = models.Audited(a.db, entry, func(tx *gorm.DB, _ *models.AuditEntry) error {
		return models.ReopenTable(tx, e.ID, loc, slot)
	})
	switch {
	case err == nil:
		a.nudge()
		a.flash(c, "meetings.close.reopened")
	case errors.Is(err, gorm.ErrRecordNotFound):
		a.flash(c, "meetings.close.err_not_closed")
	default:
		return errInternal("reopen table", err)
	}
	return c.Redirect("/manage/events/"+itoa(int(e.ID))+"/meetings#closures-h", fiber.StatusSeeOther)
}

// closedList pairs the event's closures with their slot and table, in
// the grid's order; closures of deleted slots or tables are left out.
func (g *meetingGrid) closedList() []closedCell {
	var out []closedCell
	for _, s := range g.Slots {
		for _, l := range g.Locations {
			if g.Closed[models.MeetingCell{LocationID: l.ID, SlotID: s.ID}] {
				out = append(out, closedCell{Slot: s, Location: l})
			}
		}
	}
	return out
}

// closedAnchor is the id of a closed cell's line in the list, which its
// grid cell links to.
func closedAnchor(locationID, slotID uint) string {
	return fmt.Sprintf("closed-%d-%d", locationID, slotID)
}

// Anchor is closedAnchor for the template.
func (c closedCell) Anchor() string { return closedAnchor(c.Location.ID, c.Slot.ID) }

// Tables lists the grid's physical locations: the ones a closure can name.
func (g *meetingGrid) Tables() []models.MeetingLocation {
	var out []models.MeetingLocation
	for _, l := range g.Locations {
		if !l.Online {
			out = append(out, l)
		}
	}
	return out
}
