package app

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// checkInResult is what the door sees after a code: who it is and which
// needs to look after. Needs are flags only; the details stay with owners
// and managers (invariant 5).
type checkInResult struct {
	Name           string
	TicketType     string
	Category       string
	Code           string
	StepFree       bool
	Interpretation bool
	EasyRead       bool
	Dietary        bool
	Companion      bool
	Repeat         bool
	FirstAt        time.Time
	Count          int
}

// HasNeeds reports whether any needs flag is set.
func (r checkInResult) HasNeeds() bool {
	return r.StepFree || r.Interpretation || r.EasyRead || r.Dietary || r.Companion
}

func newCheckInResult(at *models.Attendee, repeat bool, code string) *checkInResult {
	r := &checkInResult{Name: at.Name, TicketType: at.TicketType.Name, Category: at.Category, Code: code,
		StepFree: at.Needs.StepFree, Interpretation: at.Needs.Interpretation != "", EasyRead: at.Needs.EasyRead,
		Dietary: at.Needs.Dietary != "", Companion: at.Needs.Companion, Repeat: repeat, Count: at.CheckInCount}
	if at.CheckedInAt != nil {
		r.FirstAt = *at.CheckedInAt
	}
	return r
}

// renderCheckIn shows the door page with the last result, if any.
func (a *App) renderCheckIn(c *fiber.Ctx, status int, e *models.Event, m *models.Membership, data fiber.Map) error {
	st, err := models.EventRegistrationStats(a.db, e.ID)
	if err != nil {
		return errInternal("count check-ins", err)
	}
	if data == nil {
		data = fiber.Map{}
	}
	// Check-in staff go back to the event list, not to the overview they may not open.
	data["Event"], data["Loc"], data["Stats"], data["CanEdit"] = e, e.Location(), st, m.CanEditEvents()
	if _, ok := data["Errors"]; !ok {
		data["Errors"] = FieldErrors{}
	}
	return a.renderStatus(c, status, "manage/checkin", data)
}

// checkInPage is the door: one large field for the code (typed, or filled
// by checkin.js from the camera). Check-in staff may use it.
func (a *App) checkInPage(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderCheckIn(c, fiber.StatusOK, e, m, nil)
}

// checkInCode checks in the attendee whose ticket matches the posted code
// and shows who it was, or why the code was refused. The page comes back
// with an empty field, ready for the next person.
func (a *App) checkInCode(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	code := strings.TrimSpace(c.FormValue("code"))
	if errs.Any() {
		return a.renderCheckIn(c, fiber.StatusUnprocessableEntity, e, m, fiber.Map{"Errors": errs, "Code": code})
	}
	if code == "" {
		errs.Add("code", "checkin.code_required")
		return a.renderCheckIn(c, fiber.StatusUnprocessableEntity, e, m, fiber.Map{"Errors": errs})
	}
	at, repeat, err := models.CheckIn(a.db, e.ID, code, a.now())
	if err == nil {
		return a.renderCheckIn(c, fiber.StatusOK, e, m, fiber.Map{"Result": newCheckInResult(at, repeat, attendeeCode(a.withOrder(at)))})
	}
	data := fiber.Map{"Code": code}
	switch {
	case errors.Is(err, models.ErrNotCheckedIn):
		data["Problem"] = "checkin.unknown"
		if id, ok := models.TicketEventID(a.db, code); ok && id != e.ID {
			data["Problem"] = "checkin.other_event"
			if other, err := models.EventForOrgs(a.db, id, orgIDs(c)); err == nil {
				data["OtherEvent"] = other.Title
			}
		}
	case errors.Is(err, models.ErrAmbiguousCode):
		data["Problem"] = "checkin.ambiguous"
	case errors.Is(err, models.ErrAttendeeNotActive):
		data["Problem"] = "checkin.cancelled"
		data["Name"] = at.Name
	case errors.Is(err, models.ErrOrderNotConfirmed):
		data["Problem"] = "checkin.not_confirmed"
		data["Name"] = at.Name
	default:
		return errInternal("check in", err)
	}
	return a.renderCheckIn(c, fiber.StatusUnprocessableEntity, e, m, data)
}

// withOrder loads the attendee's order (for its code) when it is missing.
func (a *App) withOrder(at *models.Attendee) *models.Attendee {
	if at.Order == nil {
		var o models.Order
		if a.db.Select("id", "code").Take(&o, at.OrderID).Error == nil {
			at.Order = &o
		}
	}
	return at
}
