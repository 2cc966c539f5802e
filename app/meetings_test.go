package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestMeetingRequestAcceptFlow(t *testing.T) {
	app, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "sym", 3, models.ModeRequests)
	ev := fx.Event
	base := "/events/" + ev.Slug + "/meetings"

	// Not signed in: the area sends people to the sign-in page.
	anon := newClient(t, app)
	if r := anon.get(base + "/directory"); r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Location, "/signin") {
		t.Fatalf("anonymous: %d %s", r.Status, r.Location)
	}
	// The sign-in page says the same for an unknown address, and mails nothing.
	anon.get(base + "/signin")
	r := anon.post(base+"/signin", url.Values{"email": {"nobody@example.org"}})
	mustContain(t, r.Body, "unknown address", "a sign-in link is on its way")
	var signins int64
	db.Model(&models.MeetingNotice{}).Where("kind = ?", models.NoticeSignIn).Count(&signins)
	if signins != 0 {
		t.Fatalf("a link was made for an unknown address")
	}

	ca, cb, cc := newClient(t, app), newClient(t, app), newClient(t, app)
	signInToMeetings(t, ca, db, ev, fx.Attendees[0])
	signInToMeetings(t, cb, db, ev, fx.Attendees[1])
	signInToMeetings(t, cc, db, ev, fx.Attendees[2])
	// Opting in needs the box ticked; what was typed comes back.
	ca.get(base)
	r = ca.post(base+"/profile", url.Values{"organization": {"Leuven Lab"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("opt-in without the box: %d", r.Status)
	}
	mustContain(t, r.Body, "opt-in error", "Please tick this box", `value="Leuven Lab"`)
	optIn(t, ca, ev, "Leuven Lab", "A telecare practice", "Test sites")
	optIn(t, cb, ev, "Vallmar Hospital", "Test sites for pilots", "Telecare practice")
	pa, pb := participantOf(t, db, ev, fx.Attendees[0]), participantOf(t, db, ev, fx.Attendees[1])

	// The directory suggests B to A (offers meet needs).
	r = ca.get(base + "/directory")
	mustContain(t, r.Body, "directory", "Suggested for you", "Person B")

	// Requesting oneself is refused with a message, never a 500.
	ca.get(fmt.Sprintf("%s/people/%d", base, pa.ID))
	r = ca.post(fmt.Sprintf("%s/people/%d/request", base, pa.ID), url.Values{"slot": {fmt.Sprint(fx.Slots[0].ID)}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "request to self")
	mustContain(t, r.Body, "self", "You cannot meet yourself")
	// Someone who has not opted in (C) has no profile page.
	pcMissing := cc.get(base + "/directory")
	if pcMissing.Status != http.StatusSeeOther {
		t.Fatalf("C without profile sees the directory: %d", pcMissing.Status)
	}

	// A asks B for the first slot.
	r = ca.get(fmt.Sprintf("%s/people/%d", base, pb.ID))
	mustContain(t, r.Body, "request form", `name="slot"`, "Send request")
	r = ca.post(fmt.Sprintf("%s/people/%d/request", base, pb.ID), url.Values{"slot": {fmt.Sprint(fx.Slots[0].ID)}, "message": {"Shall we talk about <b>telecare</b>?"}})
	mustStatus(t, r, http.StatusSeeOther, "send request")
	var req models.MeetingRequest
	if err := db.Where("from_participant_id = ?", pa.ID).Take(&req).Error; err != nil {
		t.Fatal(err)
	}
	// A second request while one waits is refused.
	ca.get(fmt.Sprintf("%s/people/%d", base, pb.ID))
	r = ca.post(fmt.Sprintf("%s/people/%d/request", base, pb.ID), url.Values{"slot": {fmt.Sprint(fx.Slots[1].ID)}})
	mustContain(t, r.Body, "duplicate request", "already waiting")

	// B sees it (escaped) and accepts.
	r = cb.get(base + "/requests")
	mustContain(t, r.Body, "inbox", "Person A", "&lt;b&gt;telecare&lt;/b&gt;")
	r = cb.post(fmt.Sprintf("%s/requests/%d/accept", base, req.ID), nil)
	mustStatus(t, r, http.StatusSeeOther, "accept")
	// Accepting again from a stale page: a clear message, still one meeting.
	cb.get(base + "/requests")
	cb.post(fmt.Sprintf("%s/requests/%d/accept", base, req.ID), nil)
	r = cb.get(base + "/requests")
	mustContain(t, r.Body, "stale accept", "no longer waiting for an answer")
	var meetings int64
	db.Model(&models.Meeting{}).Where("status = ?", models.MeetingActive).Count(&meetings)
	if meetings != 1 {
		t.Fatalf("%d meetings", meetings)
	}
	// Someone else's request id is a 404.
	optIn(t, cc, ev, "Other Org", "", "")
	cc.get(base + "/requests")
	if r := cc.post(fmt.Sprintf("%s/requests/%d/decline", base, req.ID), nil); r.Status != http.StatusNotFound {
		t.Fatalf("someone else's request: %d", r.Status)
	}

	// Both agendas show the meeting, with the table.
	ra, rb := ca.get(base+"/agenda"), cb.get(base+"/agenda")
	mustContain(t, ra.Body, "A's agenda", "Person B", "Table 1")
	mustContain(t, rb.Body, "B's agenda", "Person A", "Table 1")
	// The .ics subscription carries the meeting.
	ics := ca.get(fmt.Sprintf("%s/agenda/%s.ics", base, pa.CalendarToken))
	mustStatus(t, ics, http.StatusOK, "ics")
	mustContain(t, ics.Body, "ics", "BEGIN:VCALENDAR", "Meeting with Person B")
	checkICSLines(t, ics.Body) // CRLF, folded (feeds_test.go)
	if r := anon.get(base + "/agenda/" + strings.Repeat("x", 43) + ".ics"); r.Status != http.StatusNotFound {
		t.Fatalf("bad calendar token: %d", r.Status)
	}

	// E-mails: the request to B and the acceptance to A are queued.
	var kinds []string
	db.Model(&models.MeetingNotice{}).Where("kind IN ?", []string{models.NoticeRequest, models.NoticeAccepted}).Order("id").Pluck("kind", &kinds)
	if strings.Join(kinds, ",") != "request,accepted" {
		t.Fatalf("notices: %v", kinds)
	}
	var queued int64
	db.Model(&models.OutboxMessage{}).Where("kind = ?", models.MailMeetingNotice).Count(&queued)
	if queued < 5 { // 3 sign-in links, request, accepted
		t.Fatalf("queued meeting mails: %d", queued)
	}

	// A cancels; B is told; the seats are free again.
	var m models.Meeting
	db.Where("status = ?", models.MeetingActive).Take(&m)
	ca.get(base + "/agenda")
	mustStatus(t, ca.post(fmt.Sprintf("%s/meetings/%d/cancel", base, m.ID), nil), http.StatusSeeOther, "cancel")
	var told int64
	db.Model(&models.MeetingNotice{}).Where("kind = ? AND participant_id = ?", models.NoticeCancelled, pb.ID).Count(&told)
	if told != 1 {
		t.Fatalf("B told %d times", told)
	}
	if err := models.CheckMeetings(db); err != nil {
		t.Fatal(err)
	}
}

func TestMeetingsOrganizerAuthz(t *testing.T) {
	app, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "symb", 2, models.ModeRequests)
	modeltest.Organizer(t, db, "Other org", "other@example.org", models.RoleOwner)
	c := newClient(t, app)
	c.signIn("other@example.org")
	base := fmt.Sprintf("/manage/events/%d", fx.Event.ID)
	for _, p := range []string{base + "/networking", base + "/meetings", base + "/meetings/plan", base + "/meetings/plan.csv"} {
		if r := c.get(p); r.Status != http.StatusNotFound {
			t.Errorf("GET %s by another org: %d", p, r.Status)
		}
	}
	c.get("/manage")
	for _, p := range []string{base + "/networking", base + "/networking/blocks", base + "/meetings", base + "/meetings/schedule", base + "/meetings/1/cancel"} {
		if r := c.post(p, url.Values{"enabled": {"yes"}, "mode": {"requests"}}); r.Status != http.StatusNotFound {
			t.Errorf("POST %s by another org: %d", p, r.Status)
		}
	}
	// The owner sees the dashboard and the setup; a bad block is refused beside its field.
	o := newClient(t, app)
	o.signIn("owner-symb@example.org")
	r := o.get(base + "/meetings")
	mustStatus(t, r, http.StatusOK, "dashboard")
	mustContain(t, r.Body, "grid", `id="meeting-grid"`, "Table 2")
	o.get(base + "/networking")
	r = o.post(base+"/networking/blocks", url.Values{"starts_at": {"nonsense"}, "ends_at": {""}, "slot_minutes": {"-3"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad block")
	mustContain(t, r.Body, "block errors", "f-starts_at-error", "f-slot_minutes-error")
	r = o.get(base + "/meetings/plan.csv")
	mustStatus(t, r, http.StatusOK, "csv")
}

func TestMeetingsSchedulerRun(t *testing.T) {
	app, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "symw", 4, models.ModeWishes)
	set, _ := models.NetworkingFor(db, fx.Event.ID)
	var ps []*models.MeetingParticipant
	for _, a := range fx.Attendees {
		p, err := models.SaveProfile(db, set, a.ID, models.ProfileInput{Organization: "Org"}, fx.Event.StartsAt)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	// Mutual: 0-1, 2-3, 0-2; one-sided: 1→3.
	for _, w := range [][2]int{{0, 1}, {1, 0}, {2, 3}, {3, 2}, {0, 2}, {2, 0}, {1, 3}} {
		if err := models.SetWish(db, fx.Event.ID, ps[w[0]].ID, ps[w[1]].ID, true); err != nil {
			t.Fatal(err)
		}
	}
	o := newClient(t, app)
	o.signIn("owner-symw@example.org")
	base := fmt.Sprintf("/manage/events/%d/meetings", fx.Event.ID)
	o.get(base)
	r := o.post(base+"/schedule", nil)
	mustStatus(t, r, http.StatusOK, "run scheduler")
	mustContain(t, r.Body, "result", "placed 3 meetings out of at most 3")
	var n int64
	db.Model(&models.Meeting{}).Where("source = ? AND status = ?", models.SourceScheduler, models.MeetingActive).Count(&n)
	if n != 3 {
		t.Fatalf("%d scheduled meetings", n)
	}
	if err := models.CheckMeetings(db); err != nil {
		t.Fatal(err)
	}
	// A second run places nothing new and books nothing twice.
	o.get(base)
	r = o.post(base+"/schedule", nil)
	mustContain(t, r.Body, "second run", "placed 0 meetings")
}

// The sign-in link form e-mails people, so one address may ask only so often.
func TestMeetingSignInLinksAreRateLimited(t *testing.T) {
	f, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "limited", 2, models.ModeRequests)
	c := newClient(t, f)
	base := "/events/" + fx.Event.Slug + "/meetings/signin"
	c.get(base)
	var last response
	for i := 0; i <= defaultLinkLimit; i++ {
		last = c.post(base, url.Values{"email": {fx.Attendees[0].Email}})
	}
	if last.Status != http.StatusTooManyRequests || !strings.Contains(last.Body, "Too many sign-in links") ||
		!strings.Contains(last.Body, `value="`+fx.Attendees[0].Email+`"`) {
		t.Fatalf("request %d: status %d\n%.800s", defaultLinkLimit+1, last.Status, last.Body)
	}
	var links int64
	db.Model(&models.MeetingSignInToken{}).Count(&links)
	if links != defaultLinkLimit {
		t.Fatalf("%d sign-in links issued, want %d", links, defaultLinkLimit)
	}
}
