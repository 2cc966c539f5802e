package app

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// checkInPerson checks in someone found by the search (no ticket at hand).
func (a *App) checkInPerson(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	lists, l, err := a.doorList(c, e, c.FormValue("list"))
	if err != nil {
		return err
	}
	if errs.Any() {
		return a.renderCheckIn(c, fiber.StatusUnprocessableEntity, e, m, lists, l, fiber.Map{"Errors": errs})
	}
	var at models.Attendee
	if err := a.db.Where("event_id = ?", e.ID).Take(&at, parseID(c.FormValue("attendee"))).Error; err != nil {
		return a.renderCheckIn(c, fiber.StatusUnprocessableEntity, e, m, lists, l, fiber.Map{"Problem": "checkin.unknown"})
	}
	out, err := models.CheckInto(a.db, l, &at, a.doorInput(c), a.now())
	if err != nil {
		return errInternal("check in a person", err)
	}
	if p := checkinProblems[out.Result]; p != "" {
		return a.renderCheckIn(c, fiber.StatusUnprocessableEntity, e, m, lists, l, fiber.Map{"Problem": p, "Name": at.Name})
	}
	return a.renderCheckIn(c, fiber.StatusOK, e, m, lists, l, fiber.Map{"Result": a.newCheckInResult(l, out)})
}

// checkinProblems names the door's message for each refusal.
var checkinProblems = map[string]string{
	models.CheckinUnknown:      "checkin.unknown",
	models.CheckinCancelled:    "checkin.cancelled",
	models.CheckinNotConfirmed: "checkin.not_confirmed",
	models.CheckinNotOnList:    "checkin.not_on_list",
}

// undoCheckIn takes a check-in back (a mistaken scan), recording who did it.
func (a *App) undoCheckIn(c *fiber.Ctx) error {
	return a.changeCheckIn(c, "checkin.undone", func(l *models.CheckinList, id, by uint) error {
		_, err := models.UndoCheckin(a.db, l, id, by, a.now())
		return err
	})
}

// checkOutCheckIn records that someone left (a session's end).
func (a *App) checkOutCheckIn(c *fiber.Ctx) error {
	return a.changeCheckIn(c, "checkin.checked_out", func(l *models.CheckinList, id, _ uint) error {
		return models.CheckOut(a.db, l, id, a.now())
	})
}

// changeCheckIn applies change to the posted check-in of the posted list and
// goes back to the door with a flash (post/redirect/get).
func (a *App) changeCheckIn(c *fiber.Ctx, flash string, change func(l *models.CheckinList, id, by uint) error) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	_, l, err := a.doorList(c, e, c.FormValue("list"))
	if err != nil {
		return err
	}
	var by uint
	if u := currentUser(c); u != nil {
		by = u.ID
	}
	switch err := change(l, parseID(c.FormValue("checkin")), by); {
	case errors.Is(err, models.ErrCheckinNotFound):
		flash = "checkin.not_found"
	case err != nil:
		return errInternal("change a check-in", err)
	}
	a.flash(c, flash)
	back := url.Values{"list": {strconv.FormatUint(uint64(l.ID), 10)}}
	if q := c.FormValue("q"); q != "" {
		back.Set("q", q)
	}
	return c.Redirect("/manage/events/"+strconv.FormatUint(uint64(e.ID), 10)+"/checkin?"+back.Encode(), fiber.StatusSeeOther)
}
