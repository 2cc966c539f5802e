package app

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// syncItem is one check-in a device made, perhaps offline: its own local id,
// the ticket's QR value (or code) or the attendee picked from the search,
// the list, and when.
type syncItem struct {
	Device   string    `json:"device"`
	Local    string    `json:"local"`
	QR       string    `json:"qr"`
	Attendee uint      `json:"attendee"`
	List     uint      `json:"list"`
	At       time.Time `json:"at"`
}

// syncAnswer is the server's word on one item. Result is a models.Checkin*
// value, "other_event" or "invalid"; At and Device name the live check-in
// (for "already": when and where the person was first let in).
type syncAnswer struct {
	Local  string             `json:"local"`
	Result string             `json:"result"`
	At     *time.Time         `json:"at,omitempty"`
	Device string             `json:"device,omitempty"`
	By     string             `json:"by,omitempty"`
	Person *models.DoorPerson `json:"person,omitempty"`
}

const (
	maxSyncItems  = 1000
	maxSyncString = 100
)

// validSyncString is checkInput's rule for a JSON value, which that
// middleware does not see: clean UTF-8 text, short.
func validSyncString(s string) bool {
	return len(s) <= maxSyncString && cleanText([]byte(s))
}

// doorSync takes a batch of check-ins from a scanner or an offline phone.
// Each (device, local id) is applied once however often it is sent; the
// same person from two devices ends as one check-in and an "already".
func (a *App) doorSync(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	var body struct {
		Device string     `json:"device"`
		Items  []syncItem `json:"items"`
	}
	if err := json.Unmarshal(c.Body(), &body); err != nil || len(body.Items) > maxSyncItems || !validSyncString(body.Device) {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "bad_request"})
	}
	lists, err := models.CheckinLists(a.db, e)
	if err != nil {
		return errInternal("check-in lists", err)
	}
	byID := map[uint]*models.CheckinList{}
	for i := range lists {
		byID[lists[i].ID] = &lists[i]
	}
	var by uint
	if u := currentUser(c); u != nil {
		by = u.ID
	}
	names := map[uint]string{}
	answers := make([]syncAnswer, 0, len(body.Items))
	for _, it := range body.Items {
		if it.Device == "" {
			it.Device = body.Device
		}
		ans, err := a.syncOne(e, byID[it.List], it, by, names)
		if err != nil {
			return errInternal("sync a check-in", err)
		}
		answers = append(answers, ans)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"results": answers})
}

func (a *App) syncOne(e *models.Event, l *models.CheckinList, it syncItem, by uint, names map[uint]string) (syncAnswer, error) {
	ans := syncAnswer{Local: it.Local, Result: "invalid"}
	if !validSyncString(it.Device) || !validSyncString(it.Local) || !validSyncString(it.QR) || it.Device == "" || it.Local == "" {
		ans.Local = ""
		if validSyncString(it.Local) {
			ans.Local = it.Local
		}
		return ans, nil
	}
	if l == nil {
		ans.Result = models.CheckinNotOnList
		return ans, nil
	}
	var at *models.Attendee
	switch {
	case it.QR != "":
		found, err := models.ResolveTicket(a.db, e.ID, it.QR)
		switch {
		case errors.Is(err, models.ErrNotCheckedIn):
			ans.Result = models.CheckinUnknown
			if id, ok := models.TicketEventID(a.db, it.QR); ok && id != e.ID {
				ans.Result = "other_event"
			}
			return ans, nil
		case errors.Is(err, models.ErrAmbiguousCode):
			ans.Result = models.CheckinUnknown
			return ans, nil
		case err != nil && found == nil:
			return ans, err
		}
		at = found
	case it.Attendee != 0:
		var found models.Attendee
		if err := a.db.Where("event_id = ?", e.ID).Take(&found, it.Attendee).Error; err != nil {
			ans.Result = models.CheckinUnknown
			return ans, nil
		}
		at = &found
	default:
		return ans, nil
	}
	out, err := models.CheckInto(a.db, l, at, models.CheckinInput{DeviceID: it.Device, LocalID: it.Local, At: it.At, ByUserID: by}, a.now())
	if err != nil {
		return ans, err
	}
	ans.Result = out.Result
	if p, ok, err := models.DoorPersonOn(a.db, l, at.ID); err != nil {
		return ans, err
	} else if ok {
		p.QRHash = ""
		ans.Person = &p
	} else {
		ans.Person = &models.DoorPerson{AttendeeID: at.ID, Name: at.Name}
	}
	if k := out.Checkin; k != nil {
		t := k.At
		ans.At, ans.Device = &t, k.DeviceID
		if k.ByUserID != nil {
			ans.By = a.userName(*k.ByUserID, names)
		}
	}
	return ans, nil
}

// userName is a staff member's name, looked up once per batch.
func (a *App) userName(id uint, cache map[uint]string) string {
	if n, ok := cache[id]; ok {
		return n
	}
	var u models.User
	if a.db.Select("id", "name").Take(&u, id).Error == nil {
		cache[id] = u.Name
	}
	return cache[id]
}

// doorPeopleJSON is the list's door data for the phone to hold offline for
// the day: what DoorPerson carries and nothing else.
func (a *App) doorPeopleJSON(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	_, l, err := a.doorList(c, e, c.Query("list"))
	if err != nil {
		return err
	}
	people, err := models.DoorPeople(a.db, l)
	if err != nil {
		return errInternal("door people", err)
	}
	counts, err := models.CountCheckinList(a.db, l)
	if err != nil {
		return errInternal("count check-ins", err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"list": l.ID, "day": l.Day, "now": a.now().UTC(), "people": people,
		"counts": fiber.Map{"in": counts.In, "expected": counts.Expected}})
}

// changesOverlap asks again for a few seconds before "since", so a check-in
// committed late by another instance with an earlier stamp is not missed;
// the page applies changes idempotently.
const changesOverlap = 5 * time.Second

// doorChangesJSON tells a phone what other devices did on the list since it
// last asked (short polling), with the fresh counts.
func (a *App) doorChangesJSON(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	_, l, err := a.doorList(c, e, c.Query("list"))
	if err != nil {
		return err
	}
	since, err := time.Parse(time.RFC3339Nano, c.Query("since"))
	if err != nil {
		since = a.now()
	}
	changes, next, err := models.CheckinChanges(a.db, l, since.Add(-changesOverlap), 500)
	if err != nil {
		return errInternal("check-in changes", err)
	}
	if next.Before(since) {
		next = since
	}
	counts, err := models.CountCheckinList(a.db, l)
	if err != nil {
		return errInternal("count check-ins", err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"list": l.ID, "changes": changes, "next": next.UTC().Format(time.RFC3339Nano),
		"counts": fiber.Map{"in": counts.In, "expected": counts.Expected}})
}

// doorServiceWorker serves the door's service worker from beside the page,
// so its scope can be the check-in page of this event and nothing else.
func (a *App) doorServiceWorker(c *fiber.Ctx) error {
	as, ok := a.assets.ByURL(a.assets.URL("js/checkin-sw.js"))
	if !ok {
		return errNotFound()
	}
	c.Set(fiber.HeaderContentType, as.ContentType)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(as.Body)
}
