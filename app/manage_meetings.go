package app

import (
	"encoding/csv"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// meetingGrid is the dashboard's slots × locations table.
type meetingGrid struct {
	Slots     []models.MeetingSlot
	Locations []models.MeetingLocation
	// Cells[i][j] lists the meetings in slot i at location j (online
	// locations hold many).
	Cells [][][]models.Meeting
	// Closed holds the tables the organizer closed for a slot.
	Closed map[models.MeetingCell]bool
}

// Days groups the slots by day in loc, for the grid's day headings.
func (g *meetingGrid) Days(loc *time.Location) []gridDay {
	var out []gridDay
	for i, s := range g.Slots {
		y, m, d := s.StartsAt.In(loc).Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, loc)
		if len(out) == 0 || !out[len(out)-1].Day.Equal(day) {
			out = append(out, gridDay{Day: day})
		}
		last := &out[len(out)-1]
		last.Rows = append(last.Rows, gridRow{Slot: s, Cells: g.Cells[i], Locations: g.Locations, Closed: g.Closed})
	}
	return out
}

// gridDay is one day of the grid; gridRow one slot across the tables.
type gridDay struct {
	Day  time.Time
	Rows []gridRow
}

type gridRow struct {
	Slot      models.MeetingSlot
	Cells     [][]models.Meeting
	Locations []models.MeetingLocation
	Closed    map[models.MeetingCell]bool
}

// gridCell is one table's cell of the row with its state, for the template.
type gridCell struct {
	State    string
	Meetings []models.Meeting
	// Anchor names a blocked cell's line in the list of closed tables.
	Anchor string
}

// States pairs each of the row's cells with its state.
func (r gridRow) States() []gridCell {
	out := make([]gridCell, len(r.Cells))
	for j, ms := range r.Cells {
		closed := r.Closed[models.MeetingCell{LocationID: r.Locations[j].ID, SlotID: r.Slot.ID}]
		out[j] = gridCell{State: models.CellStateClosed(ms, closed), Meetings: ms, Anchor: closedAnchor(r.Locations[j].ID, r.Slot.ID)}
	}
	return out
}

// meetingCounts are the dashboard's figures.
type meetingCounts struct {
	Requests, Pending, Accepted, Declined, Meetings, Held, NoShows, Participants int64
}

func (a *App) loadGrid(eventID uint) (*meetingGrid, []models.Meeting, error) {
	g := &meetingGrid{}
	var err error
	if g.Slots, err = models.EventSlots(a.db, eventID); err != nil {
		return nil, nil, err
	}
	if g.Locations, err = models.EventLocations(a.db, eventID); err != nil {
		return nil, nil, err
	}
	if g.Closed, err = models.ClosedCells(a.db, eventID); err != nil {
		return nil, nil, err
	}
	var ms []models.Meeting
	if err := a.db.Preload("A").Preload("B").Preload("Slot").Preload("Location").Where("event_id = ? AND status = ?", eventID, models.MeetingActive).
		Order("slot_id, location_id, id").Find(&ms).Error; err != nil {
		return nil, nil, err
	}
	si, li := map[uint]int{}, map[uint]int{}
	for i, s := range g.Slots {
		si[s.ID] = i
	}
	for j, l := range g.Locations {
		li[l.ID] = j
	}
	g.Cells = make([][][]models.Meeting, len(g.Slots))
	for i := range g.Cells {
		g.Cells[i] = make([][]models.Meeting, len(g.Locations))
	}
	for _, m := range ms {
		i, ok1 := si[m.SlotID]
		j, ok2 := li[m.LocationID]
		if ok1 && ok2 {
			g.Cells[i][j] = append(g.Cells[i][j], m)
		}
	}
	return g, ms, nil
}

func (a *App) countMeetings(eventID uint) (meetingCounts, error) {
	var k meetingCounts
	q := func(model any, where string, args ...any) *gorm.DB {
		return a.db.Model(model).Where("event_id = ?", eventID).Where(where, args...)
	}
	steps := []struct {
		dst *int64
		db  *gorm.DB
	}{
		{&k.Requests, q(&models.MeetingRequest{}, "1 = 1")},
		{&k.Pending, q(&models.MeetingRequest{}, "status = ?", models.RequestPending)},
		{&k.Accepted, q(&models.MeetingRequest{}, "status = ?", models.RequestAccepted)},
		{&k.Declined, q(&models.MeetingRequest{}, "status = ?", models.RequestDeclined)},
		{&k.Meetings, q(&models.Meeting{}, "status = ?", models.MeetingActive)},
		{&k.Held, q(&models.Meeting{}, "status = ? AND no_show_a = ? AND no_show_b = ? AND slot_id IN (?)", models.MeetingActive, false, false,
			a.db.Model(&models.MeetingSlot{}).Select("id").Where("event_id = ? AND ends_at <= ?", eventID, a.now().UTC()))},
		{&k.NoShows, q(&models.Meeting{}, "status = ? AND (no_show_a = ? OR no_show_b = ?)", models.MeetingActive, true, true)},
		{&k.Participants, q(&models.MeetingParticipant{}, "active = ?", true)},
	}
	for _, s := range steps {
		if err := s.db.Count(s.dst).Error; err != nil {
			return k, err
		}
	}
	return k, nil
}

func (a *App) meetingsDashboard(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderDashboard(c, fiber.StatusOK, e, m, FieldErrors{}, nil)
}

// extra adds to the page's data (the close form's errors and values).
func (a *App) renderDashboard(c *fiber.Ctx, status int, e *models.Event, m *models.Membership, errs FieldErrors, stats *models.ScheduleStats, extra ...fiber.Map) error {
	set, err := models.NetworkingFor(a.db, e.ID)
	if err != nil {
		return errInternal("networking", err)
	}
	g, ms, err := a.loadGrid(e.ID)
	if err != nil {
		return errInternal("meeting grid", err)
	}
	k, err := a.countMeetings(e.ID)
	if err != nil {
		return errInternal("meeting counts", err)
	}
	people, err := models.ListedParticipants(a.db, e.ID)
	if err != nil {
		return errInternal("participants", err)
	}
	data := fiber.Map{"Event": e, "Me": m, "Set": set, "Grid": g, "Meetings": ms, "Counts": k,
		"People": people, "Errors": errs, "Stats": stats, "Loc": e.Location(), "Closures": g.closedList(),
		"CloseErrors": FieldErrors{}, "CloseForm": closeForm{}}
	for _, x := range extra {
		for k, v := range x {
			data[k] = v
		}
	}
	return a.renderStatus(c, status, "manage/meetings", data)
}

// meetingsCreate books a meeting for two people chosen by the organizer.
func (a *App) meetingsCreate(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	pa, pb, slot := parseID(c.FormValue("a")), parseID(c.FormValue("b")), parseID(c.FormValue("slot"))
	if pa == 0 {
		errs.Add("a", "form.choose")
	}
	if pb == 0 {
		errs.Add("b", "form.choose")
	}
	if slot == 0 {
		errs.Add("slot", "form.choose")
	}
	if !errs.Any() {
		_, err = models.OrganizerBookMeeting(a.db, models.OrganizerBookInput{EventID: e.ID, SlotID: slot, A: pa, B: pb, LocationID: parseID(c.FormValue("location")), Now: a.now()})
		if err == nil {
			a.nudge()
			a.flash(c, "meetings.booked")
			return c.Redirect("/manage/events/"+itoa(int(e.ID))+"/meetings", fiber.StatusSeeOther)
		}
		id, ok := meetingErrorMsg(err)
		if !ok {
			return errInternal("book meeting", err)
		}
		errs.Add(formErrorKey, id)
	}
	return a.renderDashboard(c, fiber.StatusUnprocessableEntity, e, m, errs, nil)
}

// managedMeetingAction runs fn for a meeting of the managed event and
// reports the outcome as a flash on the dashboard.
func (a *App) managedMeetingAction(c *fiber.Ctx, okMsg string, fn func(e *models.Event, mid uint) error) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	// Another event's meeting is a 404, not a "no longer active" message.
	mid := parseID(c.Params("mid"))
	if err := a.db.Where("id = ? AND event_id = ?", mid, e.ID).Take(&models.Meeting{}).Error; err != nil {
		return dbErr("load meeting", err)
	}
	if err := a.flashMeetingOutcome(c, fn(e, mid), okMsg, "meeting action"); err != nil {
		return err
	}
	return c.Redirect("/manage/events/"+itoa(int(e.ID))+"/meetings", fiber.StatusSeeOther)
}

func (a *App) meetingsMove(c *fiber.Ctx) error {
	return a.managedMeetingAction(c, "meetings.moved", func(e *models.Event, mid uint) error {
		return models.MoveMeeting(a.db, e.ID, mid, parseID(c.FormValue("slot")), parseID(c.FormValue("location")))
	})
}

func (a *App) meetingsCancel(c *fiber.Ctx) error {
	return a.managedMeetingAction(c, "meetings.cancelled", func(e *models.Event, mid uint) error {
		return models.CancelMeeting(a.db, e.ID, 0, mid, trimMax(c.FormValue("reason"), 1000), a.now())
	})
}

func (a *App) meetingsNoShow(c *fiber.Ctx) error {
	return a.managedMeetingAction(c, "meetings.noshow_saved", func(e *models.Event, mid uint) error {
		return models.SetNoShow(a.db, e.ID, mid, parseID(c.FormValue("participant")), c.FormValue("noshow") == "yes")
	})
}

// meetingsRunScheduler places mutual wishes and shows the run's figures.
func (a *App) meetingsRunScheduler(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	stats, err := models.RunScheduler(a.db, e.ID, a.now())
	errs := FieldErrors{}
	if err != nil {
		if id, ok := meetingErrorMsg(err); ok {
			errs.Add(formErrorKey, id)
		} else {
			a.log.Warn("scheduler run failed", "event", e.ID, "err", err)
			errs.Add(formErrorKey, "meetings.err.scheduler")
		}
		return a.renderDashboard(c, fiber.StatusUnprocessableEntity, e, m, errs, nil)
	}
	a.nudge()
	return a.renderDashboard(c, fiber.StatusOK, e, m, errs, &stats)
}

// meetingsPlanCSV exports the table plan: one row per meeting, audited.
func (a *App) meetingsPlanCSV(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	_, ms, err := a.loadGrid(e.ID)
	if err != nil {
		return errInternal("meeting plan", err)
	}
	// Names and organizations of participants: an export of registrations,
	// logged before anything is written (it has no sensitive columns).
	if err := a.auditExport(c, e, "meetings plan CSV", len(ms), false); err != nil {
		return err
	}
	L := newTranslator(a.bundle, a.lang(c))
	loc := e.Location()
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+e.Slug+`-meetings.csv"`)
	_, _ = c.WriteString(utf8BOM) // so Excel reads names with accents correctly
	w := csv.NewWriter(c)
	w.UseCRLF = true
	_ = w.Write([]string{L.T("meetings.col.start"), L.T("meetings.col.end"), L.T("meetings.col.location"), L.T("meetings.col.a"), L.T("meetings.col.a_org"),
		L.T("meetings.col.b"), L.T("meetings.col.b_org"), L.T("meetings.col.id")})
	for _, m := range ms {
		_ = w.Write([]string{m.Slot.StartsAt.In(loc).Format("2006-01-02 15:04"), m.Slot.EndsAt.In(loc).Format("15:04"), csvSafe(m.Location.Name),
			csvSafe(m.A.Name), csvSafe(m.A.Organization), csvSafe(m.B.Name), csvSafe(m.B.Organization), strconv.FormatUint(uint64(m.ID), 10)})
	}
	w.Flush()
	return w.Error()
}

// meetingsPlanPrint is the day's table plan as a page to print.
func (a *App) meetingsPlanPrint(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	_, ms, err := a.loadGrid(e.ID)
	if err != nil {
		return errInternal("meeting plan", err)
	}
	return a.render(c, "manage/meetings_plan", fiber.Map{"Event": e, "Me": m, "Meetings": ms, "Loc": e.Location()})
}
