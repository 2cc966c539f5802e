package app

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// networkingForm is the organizer's settings form.
type networkingForm struct {
	Enabled                              bool
	Mode                                 string
	MaxMeetings, MaxPending, ExpiryHours string
	OnlineLinkTemplate, Topics           string
	TicketTypeIDs                        []uint
	Categories                           []string
}

func parseNetworkingForm(c *fiber.Ctx) networkingForm {
	f := networkingForm{Enabled: c.FormValue("enabled") == "yes", Mode: c.FormValue("mode"), MaxMeetings: c.FormValue("max_meetings"),
		MaxPending: c.FormValue("max_pending"), ExpiryHours: c.FormValue("expiry_hours"),
		OnlineLinkTemplate: strings.TrimSpace(c.FormValue("online_link_template")), Topics: c.FormValue("topics")}
	for _, v := range c.Request().PostArgs().PeekMulti("ticket_types") {
		if id := parseID(string(v)); id != 0 {
			f.TicketTypeIDs = append(f.TicketTypeIDs, id)
		}
	}
	for _, v := range c.Request().PostArgs().PeekMulti("categories") {
		if models.ValidCategory(string(v)) {
			f.Categories = append(f.Categories, string(v))
		}
	}
	return f
}

// Validate checks the form and returns the settings it describes.
func (f networkingForm) Validate(eventID uint) (models.NetworkingSetting, FieldErrors) {
	errs := FieldErrors{}
	s := models.NetworkingSetting{EventID: eventID, Enabled: f.Enabled, Mode: f.Mode, OnlineLinkTemplate: f.OnlineLinkTemplate}
	if f.Mode != models.ModeRequests && f.Mode != models.ModeWishes {
		errs.Add("mode", "form.required")
	}
	s.MaxMeetings = parseCount(errs, "max_meetings", f.MaxMeetings, 100)
	s.MaxPendingSent = parseCount(errs, "max_pending", f.MaxPending, 1000)
	s.RequestExpiryHours = parseCount(errs, "expiry_hours", f.ExpiryHours, 24*60)
	if s.RequestExpiryHours == 0 {
		s.RequestExpiryHours = 48
	}
	checkLen(errs, "online_link_template", f.OnlineLinkTemplate, 500)
	if f.OnlineLinkTemplate != "" && (!validWebURL(strings.ReplaceAll(f.OnlineLinkTemplate, "{meeting}", "x")) || !strings.Contains(f.OnlineLinkTemplate, "{meeting}")) {
		errs.Add("online_link_template", "networking.err.link_template")
	}
	checkLen(errs, "topics", f.Topics, 5000)
	var topics []string
	for _, t := range strings.Split(f.Topics, "\n") {
		if t = strings.TrimSpace(t); t != "" {
			checkLen(errs, "topics", t, 100)
			topics = append(topics, t)
		}
	}
	s.Topics = strings.Join(topics, "\n")
	ids := make([]string, len(f.TicketTypeIDs))
	for i, id := range f.TicketTypeIDs {
		ids[i] = strconv.FormatUint(uint64(id), 10)
	}
	s.TicketTypeIDs = strings.Join(ids, ",")
	s.Categories = strings.Join(f.Categories, ",")
	return s, errs
}

func formOfSetting(s *models.NetworkingSetting) networkingForm {
	return networkingForm{Enabled: s.Enabled, Mode: s.Mode, MaxMeetings: strconv.Itoa(s.MaxMeetings), MaxPending: strconv.Itoa(s.MaxPendingSent),
		ExpiryHours: strconv.Itoa(s.RequestExpiryHours), OnlineLinkTemplate: s.OnlineLinkTemplate, Topics: s.Topics,
		TicketTypeIDs: s.TicketTypeList(), Categories: s.CategoryList()}
}

func (a *App) networkingSetup(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	set, err := models.NetworkingFor(a.db, e.ID)
	if err != nil {
		return errInternal("load networking", err)
	}
	return a.renderNetworkingSetup(c, fiber.StatusOK, e, m, formOfSetting(set), FieldErrors{}, blockForm{SlotMinutes: "20", BreakMinutes: "5"})
}

func (a *App) renderNetworkingSetup(c *fiber.Ctx, status int, e *models.Event, m *models.Membership, f networkingForm, errs FieldErrors, bf blockForm) error {
	blocks, err := models.EventBlocks(a.db, e.ID)
	if err != nil {
		return errInternal("blocks", err)
	}
	locs, err := models.EventLocations(a.db, e.ID)
	if err != nil {
		return errInternal("locations", err)
	}
	slots, err := models.EventSlots(a.db, e.ID)
	if err != nil {
		return errInternal("slots", err)
	}
	var tts []models.TicketType
	if err := a.db.Where("event_id = ?", e.ID).Order("position, id").Find(&tts).Error; err != nil {
		return errInternal("ticket types", err)
	}
	chosenTT := map[uint]bool{}
	for _, id := range f.TicketTypeIDs {
		chosenTT[id] = true
	}
	chosenCat := map[string]bool{}
	for _, k := range f.Categories {
		chosenCat[k] = true
	}
	return a.renderStatus(c, status, "manage/networking", fiber.Map{"Event": e, "Me": m, "Form": f, "Errors": errs, "Block": bf,
		"Blocks": blocks, "Locations": locs, "SlotCount": len(slots), "TicketTypes": tts, "ChosenTT": chosenTT,
		"Categories": models.Categories, "ChosenCat": chosenCat, "Loc": e.Location()})
}

func (a *App) networkingSave(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	f := parseNetworkingForm(c)
	set, verrs := f.Validate(e.ID)
	errs := csrfErrors(c).merge(verrs)
	if errs.Any() {
		return a.renderNetworkingSetup(c, fiber.StatusUnprocessableEntity, e, m, f, errs, blockForm{SlotMinutes: "20", BreakMinutes: "5"})
	}
	if err := models.SaveNetworking(a.db, &set); err != nil {
		return errInternal("save networking", err)
	}
	a.flash(c, "networking.saved")
	return c.Redirect("/manage/events/"+itoa(int(e.ID))+"/networking", fiber.StatusSeeOther)
}

// blockForm is a meeting block to add.
type blockForm struct{ StartsAt, EndsAt, SlotMinutes, BreakMinutes string }

func (a *App) networkingAddBlock(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	bf := blockForm{StartsAt: c.FormValue("starts_at"), EndsAt: c.FormValue("ends_at"), SlotMinutes: c.FormValue("slot_minutes"), BreakMinutes: c.FormValue("break_minutes")}
	errs := csrfErrors(c)
	loc := e.Location()
	start, ok1 := parseLocal(bf.StartsAt, loc)
	if !ok1 {
		errs.Add("starts_at", "form.bad_datetime")
	}
	end, ok2 := parseLocal(bf.EndsAt, loc)
	if !ok2 {
		errs.Add("ends_at", "form.bad_datetime")
	} else if ok1 && !end.After(start) {
		errs.Add("ends_at", "networking.err.end_before_start")
	}
	slotLen := parseCount(errs, "slot_minutes", bf.SlotMinutes, 240)
	gap := parseCount(errs, "break_minutes", bf.BreakMinutes, 120)
	if slotLen < 5 {
		errs.Add("slot_minutes", "networking.err.slot_length")
	}
	if !errs.Any() {
		err = models.AddMeetingBlock(a.db, &models.MeetingBlock{EventID: e.ID, StartsAt: start.UTC(), EndsAt: end.UTC(), SlotMinutes: slotLen, BreakMinutes: gap})
		switch {
		case err == nil:
			a.flash(c, "networking.block_added")
			return c.Redirect("/manage/events/"+itoa(int(e.ID))+"/networking#blocks", fiber.StatusSeeOther)
		case errors.Is(err, models.ErrBlockOverlaps):
			errs.Add("starts_at", "networking.err.overlap")
		default:
			errs.Add("slot_minutes", "networking.err.no_slot")
		}
	}
	set, _ := models.NetworkingFor(a.db, e.ID)
	return a.renderNetworkingSetup(c, fiber.StatusUnprocessableEntity, e, m, formOfSetting(set), errs, bf)
}

func (a *App) networkingDeleteBlock(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	err = models.DeleteMeetingBlock(a.db, e.ID, parseID(c.Params("bid")))
	return a.setupActionDone(c, e, err, "networking.block_deleted")
}

func (a *App) networkingAddLocations(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	switch c.FormValue("kind") {
	case "tables":
		n, _ := strconv.Atoi(strings.TrimSpace(c.FormValue("count")))
		if n < 1 || n > 500 {
			a.flash(c, "networking.err.table_count")
			break
		}
		err = models.AddTables(a.db, e.ID, trimMax(c.FormValue("prefix"), 60), n)
		if err == nil {
			a.flash(c, "networking.locations_added")
		}
	case "room", "online":
		name := trimMax(c.FormValue("name"), 100)
		if name == "" {
			a.flash(c, "networking.err.name")
			break
		}
		err = models.AddLocation(a.db, &models.MeetingLocation{EventID: e.ID, Name: name, Online: c.FormValue("kind") == "online"})
		if err == nil {
			a.flash(c, "networking.locations_added")
		}
	default:
		return errNotFound()
	}
	if err != nil {
		return errInternal("add locations", err)
	}
	return c.Redirect("/manage/events/"+itoa(int(e.ID))+"/networking#locations", fiber.StatusSeeOther)
}

func (a *App) networkingDeleteLocation(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	err = models.DeleteLocation(a.db, e.ID, parseID(c.Params("lid")))
	return a.setupActionDone(c, e, err, "networking.location_deleted")
}

func (a *App) setupActionDone(c *fiber.Ctx, e *models.Event, err error, okMsg string) error {
	switch {
	case err == nil:
		a.flash(c, okMsg)
	case errors.Is(err, gorm.ErrRecordNotFound):
		return errNotFound()
	case errors.Is(err, models.ErrBlockInUse):
		a.flash(c, "meetings.err.in_use")
	default:
		return errInternal("networking setup", err)
	}
	return c.Redirect("/manage/events/"+itoa(int(e.ID))+"/networking", fiber.StatusSeeOther)
}
