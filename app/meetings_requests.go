package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// requestRow is a request as the inbox shows it, with the slots a counter
// proposal may use.
type requestRow struct {
	models.MeetingRequest
	Free []models.MeetingSlot
}

func (a *App) meetingRequests(c *fiber.Ctx) error {
	mc := meetingContext(c)
	if mc.Me == nil {
		return needProfile(c, mc)
	}
	var in, out []models.MeetingRequest
	q := a.db.Preload("Slot").Preload("From").Preload("To").Where("event_id = ?", mc.Event.ID).Order("created_at DESC, id DESC").Limit(200)
	if err := q.Session(&gorm.Session{}).Where("to_participant_id = ?", mc.Me.ID).Find(&in).Error; err != nil {
		return errInternal("incoming requests", err)
	}
	if err := q.Session(&gorm.Session{}).Where("from_participant_id = ?", mc.Me.ID).Find(&out).Error; err != nil {
		return errInternal("sent requests", err)
	}
	rows := make([]requestRow, len(in))
	for i, r := range in {
		rows[i].MeetingRequest = r
		if r.Status == models.RequestPending {
			free, err := models.FreeSlots(a.db, mc.Event.ID, r.FromParticipantID, r.ToParticipantID, a.now())
			if err != nil {
				return errInternal("free slots", err)
			}
			rows[i].Free = free
		}
	}
	return a.render(c, "meetings/requests", fiber.Map{"M": mc, "Incoming": rows, "Sent": out, "Loc": mc.Event.Location()})
}

// requestAction runs a rule on a request and reports the outcome as a flash.
// Someone else's request id is a 404; a stale page gets a clear message.
func (a *App) requestAction(c *fiber.Ctx, okMsg string, run func(mc *meetingCtx, rid uint) error) error {
	mc := meetingContext(c)
	if mc.Me == nil {
		return needProfile(c, mc)
	}
	if err := a.flashMeetingOutcome(c, run(mc, parseID(c.Params("rid"))), okMsg, "request action"); err != nil {
		return err
	}
	return c.Redirect(meetingsBase(mc.Event)+"/requests", fiber.StatusSeeOther)
}

func (a *App) meetingAccept(c *fiber.Ctx) error {
	return a.requestAction(c, "meetings.accepted", func(mc *meetingCtx, rid uint) error {
		_, err := models.AcceptRequest(a.db, mc.Event.ID, mc.Me.ID, rid, a.now())
		return err
	})
}

func (a *App) meetingDecline(c *fiber.Ctx) error {
	return a.requestAction(c, "meetings.declined", func(mc *meetingCtx, rid uint) error {
		return models.DeclineRequest(a.db, mc.Event.ID, mc.Me.ID, rid, trimMax(c.FormValue("reason"), 1000))
	})
}

func (a *App) meetingPropose(c *fiber.Ctx) error {
	return a.requestAction(c, "meetings.proposed", func(mc *meetingCtx, rid uint) error {
		_, err := models.ProposeSlot(a.db, mc.Event.ID, mc.Me.ID, rid, parseID(c.FormValue("slot")), trimMax(c.FormValue("message"), 1000), a.now())
		return err
	})
}

func (a *App) meetingWithdraw(c *fiber.Ctx) error {
	return a.requestAction(c, "meetings.withdrawn", func(mc *meetingCtx, rid uint) error {
		return models.WithdrawRequest(a.db, mc.Event.ID, mc.Me.ID, rid)
	})
}

func (a *App) meetingCancel(c *fiber.Ctx) error {
	mc := meetingContext(c)
	if mc.Me == nil {
		return needProfile(c, mc)
	}
	err := models.CancelMeeting(a.db, mc.Event.ID, mc.Me.ID, parseID(c.Params("mid")), trimMax(c.FormValue("reason"), 1000), a.now())
	switch {
	case err == nil:
		a.nudge()
		a.flash(c, "meetings.cancelled")
	case errors.Is(err, gorm.ErrRecordNotFound):
		return errNotFound()
	default:
		id, ok := meetingErrorMsg(err)
		if !ok {
			return errInternal("cancel meeting", err)
		}
		a.flash(c, id)
	}
	return c.Redirect(meetingsBase(mc.Event)+"/agenda", fiber.StatusSeeOther)
}

// flashMeetingOutcome tells the person how a meeting action went: okMsg on
// success (and the mail worker is woken), the rule's message when a rule
// refused it, a 404 for a record that is not theirs, a 500 otherwise.
func (a *App) flashMeetingOutcome(c *fiber.Ctx, err error, okMsg, step string) error {
	switch {
	case err == nil:
		a.nudge()
		a.flash(c, okMsg)
	case errors.Is(err, gorm.ErrRecordNotFound):
		return errNotFound()
	default:
		id, ok := meetingErrorMsg(err)
		if !ok {
			return errInternal(step, err)
		}
		a.flash(c, id)
	}
	return nil
}
