package app

import (
	"errors"
	"fmt"
	"sort"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func registrationsURL(e *models.Event) string { return eventURL(e) + "/registrations" }

// countRow is one line of a counts table: a ticket type, a category or the total.
type countRow struct {
	Label    string
	Category string // set for category rows, translated in the template
	Capacity int    // 0 = unlimited; -1 = not applicable
	Taken    int
	models.RegistrationCounts
}

// registrationCounts turns the stats into the rows of the two counts tables.
func registrationCounts(e *models.Event, ts []models.TicketType, st *models.RegistrationStats) (byType, byCat []countRow, total countRow) {
	get := func(c *models.RegistrationCounts) models.RegistrationCounts {
		if c == nil {
			return models.RegistrationCounts{}
		}
		return *c
	}
	for _, t := range ts {
		byType = append(byType, countRow{Label: t.Name, Capacity: t.Capacity, Taken: t.PlacesTaken, RegistrationCounts: get(st.ByTicketType[t.ID])})
	}
	for _, cat := range models.Categories {
		if c := st.ByCategory[cat]; c != nil {
			byCat = append(byCat, countRow{Category: cat, Capacity: -1, RegistrationCounts: *c})
		}
	}
	// Categories outside the known list (older data) still count.
	var extra []string
	for cat := range st.ByCategory {
		if !models.ValidCategory(cat) {
			extra = append(extra, cat)
		}
	}
	sort.Strings(extra)
	for _, cat := range extra {
		byCat = append(byCat, countRow{Label: cat, Capacity: -1, RegistrationCounts: *st.ByCategory[cat]})
	}
	total = countRow{Capacity: e.Capacity, Taken: e.PlacesTaken, RegistrationCounts: st.Total}
	return byType, byCat, total
}

// registrationsPage lists the event's attendees with search, filters,
// pages and counts. Owners and managers only: the list holds personal data.
func (a *App) registrationsPage(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	view := models.SensitiveViewOf(m)
	f := parseRegistrationFilter(queryValues(c))
	if !view.Allowed() {
		f.Needs = "" // not offered, so not kept in the page links either
	}
	as, total, err := models.ListRegistrations(a.db, e.ID, f.Filter(view))
	if err != nil {
		return errInternal("list registrations", err)
	}
	ts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return errInternal("list ticket types", err)
	}
	st, err := models.EventRegistrationStats(a.db, e.ID)
	if err != nil {
		return errInternal("count registrations", err)
	}
	byType, byCat, tot := registrationCounts(e, ts, st)
	var ttOpts []selectOption
	for _, t := range ts {
		ttOpts = append(ttOpts, selectOption{Value: itoa(int(t.ID)), Label: t.Name})
	}
	pages := int((total + registrationsPerPage - 1) / registrationsPerPage)
	base := registrationsURL(e)
	data := fiber.Map{"Event": e, "Loc": e.Location(), "Filter": f, "Attendees": as, "Total": total,
		"ByType": byType, "ByCategory": byCat, "Overall": tot, "Stats": st, "TicketTypes": ttOpts,
		"Categories": optionsOf(models.Categories), "Statuses": optionsOf(orderStatuses),
		"Page": f.Page, "Pages": pages, "Errors": FieldErrors{}, "ShowSensitive": view.Allowed()}
	if f.Page > 1 {
		data["PrevURL"] = f.PageURL(base, f.Page-1)
	}
	if f.Page < pages {
		data["NextURL"] = f.PageURL(base, f.Page+1)
	}
	return a.render(c, "manage/registrations", data)
}

// answerView is one answered question on the attendee page.
type answerView struct {
	Label     string
	Value     string
	Sensitive bool
}

// managedAttendee returns the managed event (see managedEvent), the
// person's membership and the event's attendee named by :aid (404 otherwise).
func (a *App) managedAttendee(c *fiber.Ctx) (*models.Event, *models.Membership, *models.Attendee, error) {
	e, m, err := managedEvent(c)
	if err != nil {
		return nil, nil, nil, err
	}
	at, err := models.AttendeeOfEvent(a.db, e.ID, parseID(c.Params("aid")))
	if err != nil {
		return nil, nil, nil, dbErr("load attendee", err)
	}
	return e, m, at, nil
}

// registrationDetail shows one attendee. Access needs, answers to sensitive
// questions and research consents are shown only to access coordinators
// (models.SensitiveView); a coordinator's view of them is written to the
// audit log before the page is sent.
func (a *App) registrationDetail(c *fiber.Ctx) error {
	e, m, at, err := a.managedAttendee(c)
	if err != nil {
		return err
	}
	view := models.SensitiveViewOf(m)
	qs, err := models.QuestionsOf(a.db, e.ID)
	if err != nil {
		return errInternal("list questions", err)
	}
	consents, err := models.AttendeeConsents(a.db, at.ID)
	if err != nil {
		return errInternal("load consents", err)
	}
	if view.ShowsSomething(*at, qs, consents) {
		if err := a.auditSensitiveView(c, e, at, "registration page"); err != nil {
			return err
		}
	}
	shown, withheld := view.Attendee(*at, qs)
	hidesResearch := false
	if !view.Allowed() {
		if hidesResearch, err = models.EventAsksConsent(a.db, e.ID, models.ConsentResearch); err != nil {
			return errInternal("consent texts", err)
		}
	}
	values := map[uint]string{}
	for _, an := range shown.Answers {
		values[an.QuestionID] = an.Value
	}
	// Labels and choices in the organizer's language when the event has it.
	shownQs := view.Questions(qs)
	if err := a.localiseQuestions(c, e, shownQs); err != nil {
		return err
	}
	var answers []answerView
	for _, q := range shownQs {
		answers = append(answers, answerView{Label: q.Label, Value: q.ChoiceLabel(values[q.ID]), Sensitive: q.Sensitive})
	}
	changes, err := models.ChangesOfAttendee(a.db, *at)
	if err != nil {
		return errInternal("registration changes", err)
	}
	staff, err := models.StaffOrderOf(a.db, at.OrderID)
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return errInternal("staff order", err)
	}
	return a.render(c, "manage/registration", fiber.Map{"Event": e, "Loc": e.Location(), "A": &shown, "Changes": changeViews(changes, view, qs), "Staff": staff,
		"Code": attendeeCode(at), "Answers": answers, "Consents": view.Consents(consents), "ShowSensitive": view.Allowed(),
		"Withheld": withheld, "HidesQuestions": len(view.Questions(qs)) < len(qs), "HidesConsents": hidesResearch,
		"Active": at.Status == models.AttendeeActive && at.Order != nil && at.Order.IsLive(),
		"URL":    fmt.Sprintf("%s/%d", registrationsURL(e), at.ID)})
}

// attendeeCode is what the door types for this attendee: CODE-N.
func attendeeCode(at *models.Attendee) string {
	if at.Order == nil {
		return ""
	}
	return fmt.Sprintf("%s-%d", at.Order.Code, at.Position)
}

// attendeeActions are the organizer's actions on one attendee, each with a
// confirmation page first.
var attendeeActions = map[string]bool{"cancel": true, "anonymise": true}

// confirmAttendeeAction asks "are you sure?" before cancelling or
// anonymising: a page, so it works without JavaScript.
func (a *App) confirmAttendeeAction(c *fiber.Ctx) error {
	e, _, at, err := a.managedAttendee(c)
	if err != nil {
		return err
	}
	action := c.Params("action")
	if !attendeeActions[action] {
		return errNotFound()
	}
	return a.render(c, "manage/registration_confirm", fiber.Map{"Event": e, "A": at, "Action": action,
		"Code": attendeeCode(at), "URL": fmt.Sprintf("%s/%d", registrationsURL(e), at.ID)})
}

// attendeeAction cancels (freeing the place, which the waitlist then gets)
// or anonymises an attendee, through the rules that keep counts right.
func (a *App) attendeeAction(c *fiber.Ctx) error {
	e, _, at, err := a.managedAttendee(c)
	if err != nil {
		return err
	}
	action := c.Params("action")
	if !attendeeActions[action] {
		return errNotFound()
	}
	url := fmt.Sprintf("%s/%d", registrationsURL(e), at.ID)
	if c.FormValue("confirm") != "yes" {
		return c.Redirect(url+"/"+action, fiber.StatusSeeOther)
	}
	switch action {
	case "cancel":
		done, err := models.StaffCancelAttendee(a.db, at.ID, actorOf(c), a.now())
		if err != nil {
			return errInternal("cancel attendee", err)
		}
		a.nudge() // a freed place may have gone to the waitlist by e-mail
		if done {
			a.flash(c, "reglist.cancelled_flash")
		} else {
			a.flash(c, "reglist.already_cancelled")
		}
	case "anonymise":
		// Someone who registered themselves is also the order's buyer: the
		// rule erases both, and the change record keeps no values.
		audit := a.auditEventEntry(c, e, models.AuditAnonymised)
		if err := models.StaffAnonymiseAttendee(a.db, at.ID, actorOf(c), a.now(), &audit); err != nil {
			return errInternal("anonymise attendee", err)
		}
		a.flash(c, "reglist.anonymised_flash")
	}
	return c.Redirect(url, fiber.StatusSeeOther)
}

// waitlistRow is a waitlist entry with its place in the queue.
type waitlistRow struct {
	models.WaitlistEntry
	Position   int // among those still waiting; 0 otherwise
	TicketName string
}

// waitlistPage lists the event's waitlist in the order it is served.
func (a *App) waitlistPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	ws, err := models.EventWaitlist(a.db, e.ID)
	if err != nil {
		return errInternal("list waitlist", err)
	}
	ts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return errInternal("list ticket types", err)
	}
	names := map[uint]string{}
	for _, t := range ts {
		names[t.ID] = t.Name
	}
	rows := make([]waitlistRow, len(ws))
	pos := 0
	for i, w := range ws {
		rows[i] = waitlistRow{WaitlistEntry: w}
		if w.Status == models.WaitlistWaiting {
			pos++
			rows[i].Position = pos
		}
		if w.TicketTypeID != nil {
			rows[i].TicketName = names[*w.TicketTypeID]
		}
	}
	return a.render(c, "manage/waitlist", fiber.Map{"Event": e, "Loc": e.Location(), "Entries": rows})
}
