package app

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// directoryFilter is the directory's search form (GET).
type directoryFilter struct {
	Q, Category, Country, Interest, Offers, Needs string
}

// narrowed reports whether the form narrows the list beyond the search
// words (then its other filters show unfolded).
func (f directoryFilter) narrowed() bool {
	return f.Category != "" || f.Country != "" || f.Interest != "" || f.Offers != "" || f.Needs != ""
}

// directoryCard is a person in the directory with the initials their card
// shows in place of a photo.
type directoryCard struct {
	models.MeetingParticipant
	Initials string
}

// initials are the first letters of the first and last words of a name
// ("Maria Antonia Fernández" → "MF").
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return "?"
	}
	if len(words) == 1 {
		return initialOf(words[0])
	}
	return initialOf(words[0]) + initialOf(words[len(words)-1]) // initialOf: app/images.go
}

func (f directoryFilter) matches(p models.MeetingParticipant) bool {
	has := func(field, want string) bool {
		return want == "" || strings.Contains(strings.ToLower(field), strings.ToLower(want))
	}
	text := strings.Join([]string{p.Name, p.Organization, p.Role, p.Country, p.Bio, p.Offers, p.Needs, p.Interests}, " ")
	return has(text, f.Q) && (f.Category == "" || p.Category == f.Category) && (f.Country == "" || strings.EqualFold(p.Country, f.Country)) &&
		(f.Interest == "" || slices.Contains(p.InterestList(), f.Interest)) && has(p.Offers, f.Offers) && has(p.Needs, f.Needs)
}

// others loads the event's other listed participants, by name.
func (a *App) others(mc *meetingCtx) ([]models.MeetingParticipant, error) {
	all, err := models.ListedParticipants(a.db, mc.Event.ID)
	if err != nil || mc.Me == nil {
		return all, err
	}
	return slices.DeleteFunc(all, func(p models.MeetingParticipant) bool { return p.ID == mc.Me.ID }), nil
}

func (a *App) meetingDirectory(c *fiber.Ctx) error {
	mc := meetingContext(c)
	if mc.Me == nil {
		return needProfile(c, mc)
	}
	f := directoryFilter{Q: trimMax(c.Query("q"), 200), Category: trimMax(c.Query("category"), 30), Country: trimMax(c.Query("country"), 100),
		Interest: trimMax(c.Query("interest"), 200), Offers: trimMax(c.Query("offers"), 200), Needs: trimMax(c.Query("needs"), 200)}
	all, err := a.others(mc)
	if err != nil {
		return errInternal("directory", err)
	}
	var list []directoryCard
	countries := []string{}
	for _, p := range all {
		if p.Country != "" && !slices.Contains(countries, p.Country) {
			countries = append(countries, p.Country)
		}
		if f.matches(p) {
			list = append(list, directoryCard{p, initials(p.Name)})
		}
	}
	slices.Sort(countries)
	return a.render(c, "meetings/directory", fiber.Map{"M": mc, "Filter": f, "Narrowed": f.narrowed(), "People": list, "Suggested": models.Suggest(*mc.Me, all, 5),
		"Topics": mc.Set.TopicList(), "Countries": countries, "Categories": models.Categories})
}

func trimMax(s string, n int) string {
	s = strings.TrimSpace(s)
	if len([]rune(s)) > n {
		s = string([]rune(s)[:n])
	}
	return s
}

// loadPerson loads another active participant of this event named by :pid.
func (a *App) loadPerson(c *fiber.Ctx, mc *meetingCtx) (*models.MeetingParticipant, error) {
	p, err := models.ListedParticipant(a.db, mc.Event.ID, parseID(c.Params("pid")))
	if err != nil {
		return nil, dbErr("load person", err)
	}
	return p, nil
}

// meetingPerson shows a profile with the request form: only the slots where
// both are free and a table is free.
func (a *App) meetingPerson(c *fiber.Ctx) error {
	mc := meetingContext(c)
	if mc.Me == nil {
		return needProfile(c, mc)
	}
	p, err := a.loadPerson(c, mc)
	if err != nil {
		return err
	}
	return a.renderPerson(c, fiber.StatusOK, mc, p, "", 0, FieldErrors{})
}

func (a *App) renderPerson(c *fiber.Ctx, status int, mc *meetingCtx, p *models.MeetingParticipant, msg string, slot uint, errs FieldErrors) error {
	var free []models.MeetingSlot
	var err error
	if p.ID != mc.Me.ID {
		if free, err = models.FreeSlots(a.db, mc.Event.ID, mc.Me.ID, p.ID, a.now()); err != nil {
			return errInternal("free slots", err)
		}
	}
	wishes, err := models.WishesOf(a.db, mc.Me.ID)
	if err != nil {
		return errInternal("wishes", err)
	}
	return a.renderStatus(c, status, "meetings/person", fiber.Map{"M": mc, "P": p, "Free": free, "Message": msg, "Slot": slot,
		"Errors": errs, "Loc": mc.Event.Location(), "Wished": slices.Contains(wishes, p.ID), "Self": p.ID == mc.Me.ID})
}

func (a *App) meetingSendRequest(c *fiber.Ctx) error {
	mc := meetingContext(c)
	if mc.Me == nil {
		return needProfile(c, mc)
	}
	p, err := a.loadPerson(c, mc)
	if err != nil {
		return err
	}
	msg := c.FormValue("message")
	slot := parseID(c.FormValue("slot"))
	errs := csrfErrors(c)
	checkLen(errs, "message", msg, models.MaxRequestMessage)
	if slot == 0 {
		errs.Add("slot", "meetings.err.pick_slot")
	}
	if !errs.Any() {
		_, err = models.SendRequest(a.db, models.RequestInput{EventID: mc.Event.ID, From: mc.Me.ID, To: p.ID, SlotID: slot, Message: msg, Now: a.now()})
		if err == nil {
			a.nudge()
			a.flash(c, "meetings.request_sent")
			return c.Redirect(meetingsBase(mc.Event)+"/requests", fiber.StatusSeeOther)
		}
		id, ok := meetingErrorMsg(err)
		if !ok {
			return errInternal("send request", err)
		}
		errs.Add(formErrorKey, id)
	}
	return a.renderPerson(c, fiber.StatusUnprocessableEntity, mc, p, msg, slot, errs)
}

// meetingWish toggles "I want to meet this person" (mutual wishes mode).
func (a *App) meetingWish(c *fiber.Ctx) error {
	mc := meetingContext(c)
	if mc.Me == nil {
		return needProfile(c, mc)
	}
	p, err := a.loadPerson(c, mc)
	if err != nil {
		return err
	}
	err = models.SetWish(a.db, mc.Event.ID, mc.Me.ID, p.ID, c.FormValue("want") == "yes")
	if id, ok := meetingErrorMsg(err); ok {
		a.flash(c, id)
	} else if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return errInternal("wish", err)
	}
	return c.Redirect(meetingsBase(mc.Event)+"/people/"+strconv.FormatUint(uint64(p.ID), 10), fiber.StatusSeeOther)
}
