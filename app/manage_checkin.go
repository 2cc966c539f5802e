package app

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// checkInResult is what the door sees after a code or a search: who it is
// and which needs to look after. Needs are flags only; the details stay
// with owners and managers (invariant 5).
type checkInResult struct {
	Name           string
	Organization   string
	TicketType     string
	Category       string
	Code           string
	StepFree       bool
	Interpretation bool
	EasyRead       bool
	Dietary        bool
	Companion      bool
	NoPhotos       bool
	Repeat         bool
	FirstAt        time.Time
	CheckinID      uint
	Count          int
	// AttendeeID names the person's badge (printed on demand at the door).
	AttendeeID uint
}

// HasNeeds reports whether any needs flag is set.
func (r checkInResult) HasNeeds() bool {
	return r.StepFree || r.Interpretation || r.EasyRead || r.Dietary || r.Companion || r.NoPhotos
}

func (a *App) newCheckInResult(l *models.CheckinList, out models.CheckinOutcome) *checkInResult {
	at := a.withOrder(out.Attendee)
	r := &checkInResult{Name: at.Name, Organization: at.Organization, TicketType: at.TicketType.Name, Category: at.Category,
		Code: attendeeCode(at), StepFree: at.Needs.StepFree, Interpretation: at.Needs.Interpretation != "",
		EasyRead: at.Needs.EasyRead, Dietary: at.Needs.Dietary != "", Companion: at.Needs.Companion,
		Repeat: out.Result == models.CheckinAlready, Count: at.CheckInCount, AttendeeID: at.ID}
	if out.Checkin != nil {
		r.FirstAt, r.CheckinID = out.Checkin.At, out.Checkin.ID
	}
	if p, ok, err := models.DoorPersonOn(a.db, l, at.ID); err == nil && ok {
		r.NoPhotos = p.NoPhotos
	}
	return r
}

// checkinListView is one entry of the list picker.
type checkinListView struct {
	ID       uint
	Day      time.Time // day lists
	Session  string    // session lists
	StartsAt time.Time
	Selected bool
}

// doorList loads the event's lists and the one asked for (by the "list"
// value of the query or form), or today's.
func (a *App) doorList(c *fiber.Ctx, e *models.Event, asked string) ([]models.CheckinList, *models.CheckinList, error) {
	lists, err := models.CheckinLists(a.db, e)
	if err != nil {
		return nil, nil, errInternal("check-in lists", err)
	}
	if id := parseID(asked); id != 0 {
		for i := range lists {
			if lists[i].ID == id {
				return lists, &lists[i], nil
			}
		}
	}
	return lists, models.DefaultCheckinList(lists, e, a.now()), nil
}

// renderCheckIn shows the door page for list l with the last result, if any.
func (a *App) renderCheckIn(c *fiber.Ctx, status int, e *models.Event, m *models.Membership, lists []models.CheckinList, l *models.CheckinList, data fiber.Map) error {
	counts, err := models.CountCheckinList(a.db, l)
	if err != nil {
		return errInternal("count check-ins", err)
	}
	if data == nil {
		data = fiber.Map{}
	}
	loc := e.Location()
	views := make([]checkinListView, 0, len(lists))
	for _, x := range lists {
		v := checkinListView{ID: x.ID, Selected: x.ID == l.ID}
		if x.Session != nil {
			v.Session, v.StartsAt = x.Session.Title, x.Session.StartsAt.In(loc)
		} else if d, err := time.ParseInLocation("2006-01-02", x.Day, loc); err == nil {
			v.Day = d
		}
		views = append(views, v)
	}
	// Check-in staff go back to the event list, not to the overview they may not open.
	data["Event"], data["Loc"], data["Counts"], data["CanEdit"] = e, loc, counts, m.CanEditEvents()
	data["Lists"], data["List"] = views, l
	if _, ok := data["Errors"]; !ok {
		data["Errors"] = FieldErrors{}
	}
	return a.renderStatus(c, status, "manage/checkin", data)
}

// checkInPage is the door: the list picker, the counts, one large field for
// the code (typed, or filled by checkin.js from the camera) and the search
// for someone without their ticket. Check-in staff may use it.
func (a *App) checkInPage(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	lists, l, err := a.doorList(c, e, c.Query("list"))
	if err != nil {
		return err
	}
	data := fiber.Map{}
	if q := strings.TrimSpace(c.Query("q")); q != "" {
		data["Query"] = q
		people, err := models.SearchDoor(a.db, l, q, maxDoorResults)
		if err != nil {
			return errInternal("search the door list", err)
		}
		data["People"] = people
	}
	return a.renderCheckIn(c, fiber.StatusOK, e, m, lists, l, data)
}

const maxDoorResults = 20

// checkInCode checks in on the chosen list the attendee whose ticket
// matches the posted code and shows who it was, or why the code was
// refused. The page comes back with an empty field, ready for the next person.
func (a *App) checkInCode(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	lists, l, err := a.doorList(c, e, c.FormValue("list"))
	if err != nil {
		return err
	}
	code := strings.TrimSpace(c.FormValue("code"))
	if errs.Any() {
		return a.renderCheckIn(c, fiber.StatusUnprocessableEntity, e, m, lists, l, fiber.Map{"Errors": errs, "Code": code})
	}
	if code == "" {
		errs.Add("code", "checkin.code_required")
		return a.renderCheckIn(c, fiber.StatusUnprocessableEntity, e, m, lists, l, fiber.Map{"Errors": errs})
	}
	out, err := models.CheckInCode(a.db, l, code, a.doorInput(c), a.now())
	if err == nil {
		return a.renderCheckIn(c, fiber.StatusOK, e, m, lists, l, fiber.Map{"Result": a.newCheckInResult(l, out)})
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
		data["Name"] = out.Attendee.Name
	case errors.Is(err, models.ErrOrderNotConfirmed):
		data["Problem"] = "checkin.not_confirmed"
		data["Name"] = out.Attendee.Name
	case errors.Is(err, models.ErrNotOnList):
		data["Problem"] = "checkin.not_on_list"
		data["Name"] = out.Attendee.Name
	default:
		return errInternal("check in", err)
	}
	return a.renderCheckIn(c, fiber.StatusUnprocessableEntity, e, m, lists, l, data)
}

// doorInput names who checks in from the web form (no device, no local id).
func (a *App) doorInput(c *fiber.Ctx) models.CheckinInput {
	in := models.CheckinInput{At: a.now()}
	if u := currentUser(c); u != nil {
		in.ByUserID = u.ID
	}
	return in
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
