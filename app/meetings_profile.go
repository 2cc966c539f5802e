package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// profileForm is what the opt-in form posts.
type profileForm struct {
	Organization, Role, Country, Bio, Offers, Needs string
	Interests                                       []string
	OptIn                                           bool
}

func parseProfileForm(c *fiber.Ctx) profileForm {
	f := profileForm{Organization: strings.TrimSpace(c.FormValue("organization")), Role: strings.TrimSpace(c.FormValue("role")),
		Country: strings.TrimSpace(c.FormValue("country")), Bio: strings.TrimSpace(c.FormValue("bio")),
		Offers: strings.TrimSpace(c.FormValue("offers")), Needs: strings.TrimSpace(c.FormValue("needs")), OptIn: c.FormValue("opt_in") == "yes"}
	if args := c.Request().PostArgs(); args != nil {
		for _, v := range args.PeekMulti("interests") {
			f.Interests = append(f.Interests, string(v))
		}
	}
	return f
}

// Validate checks lengths; opting in must be ticked the first time.
func (f profileForm) Validate(first bool) FieldErrors {
	errs := FieldErrors{}
	checkLen(errs, "organization", f.Organization, 200)
	checkLen(errs, "role", f.Role, 200)
	checkLen(errs, "country", f.Country, 100)
	checkLen(errs, "bio", f.Bio, 1000)
	checkLen(errs, "offers", f.Offers, 1000)
	checkLen(errs, "needs", f.Needs, 1000)
	if first && !f.OptIn {
		errs.Add("opt_in", "meetings.err.opt_in")
	}
	return errs
}

func profileFormOf(p *models.MeetingParticipant, a *models.Attendee) profileForm {
	if p == nil {
		return profileForm{Organization: a.Organization}
	}
	return profileForm{Organization: p.Organization, Role: p.Role, Country: p.Country, Bio: p.Bio, Offers: p.Offers, Needs: p.Needs,
		Interests: p.InterestList(), OptIn: true}
}

// meetingsHome shows the profile form (the opt-in when there is none yet),
// the availability grid, and links to the rest.
func (a *App) meetingsHome(c *fiber.Ctx) error {
	mc := meetingContext(c)
	return a.renderMeetingsHome(c, fiber.StatusOK, mc, profileFormOf(mc.Me, mc.Attendee), FieldErrors{})
}

func (a *App) renderMeetingsHome(c *fiber.Ctx, status int, mc *meetingCtx, f profileForm, errs FieldErrors) error {
	slots, err := models.EventSlots(a.db, mc.Event.ID)
	if err != nil {
		return errInternal("load slots", err)
	}
	unav := map[uint]bool{}
	if mc.Me != nil {
		ids, err := models.UnavailableSlots(a.db, mc.Me.ID)
		if err != nil {
			return errInternal("load availability", err)
		}
		for _, id := range ids {
			unav[id] = true
		}
	}
	chosen := map[string]bool{}
	for _, t := range f.Interests {
		chosen[t] = true
	}
	return a.renderStatus(c, status, "meetings/home", fiber.Map{"M": mc, "Form": f, "Errors": errs, "Topics": mc.Set.TopicList(),
		"Chosen": chosen, "Slots": slots, "Unavailable": unav, "Loc": mc.Event.Location()})
}

func (a *App) meetingSaveProfile(c *fiber.Ctx) error {
	mc := meetingContext(c)
	f := parseProfileForm(c)
	errs := csrfErrors(c).merge(f.Validate(mc.Me == nil))
	if errs.Any() {
		return a.renderMeetingsHome(c, fiber.StatusUnprocessableEntity, mc, f, errs)
	}
	_, err := models.SaveProfile(a.db, mc.Set, mc.Attendee.ID, models.ProfileInput{Organization: f.Organization, Role: f.Role,
		Country: f.Country, Bio: f.Bio, Offers: f.Offers, Needs: f.Needs, Interests: f.Interests}, a.now())
	if errors.Is(err, models.ErrNotEligible) {
		return errNotFound()
	}
	if err != nil {
		return errInternal("save profile", err)
	}
	a.flash(c, "meetings.profile_saved")
	return c.Redirect(meetingsBase(mc.Event), fiber.StatusSeeOther)
}

func (a *App) meetingLeave(c *fiber.Ctx) error {
	mc := meetingContext(c)
	if mc.Me != nil {
		if err := models.LeaveNetworking(a.db, mc.Me.ID); err != nil {
			return errInternal("leave networking", err)
		}
	}
	a.flash(c, "meetings.left")
	return c.Redirect(meetingsBase(mc.Event), fiber.StatusSeeOther)
}

// meetingSaveAvailability stores the slots ticked as "not available".
func (a *App) meetingSaveAvailability(c *fiber.Ctx) error {
	mc := meetingContext(c)
	if err := needProfile(c, mc); err != nil || mc.Me == nil {
		return err
	}
	var ids []uint
	for _, v := range c.Request().PostArgs().PeekMulti("unavailable") {
		if id := parseID(string(v)); id != 0 {
			ids = append(ids, id)
		}
	}
	if err := models.SetUnavailable(a.db, mc.Event.ID, mc.Me.ID, ids); err != nil {
		return errInternal("save availability", err)
	}
	a.flash(c, "meetings.availability_saved")
	return c.Redirect(meetingsBase(mc.Event)+"#availability", fiber.StatusSeeOther)
}
