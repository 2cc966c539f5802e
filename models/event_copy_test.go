package models_test

import (
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// copySource is a full event in June (summer time in Madrid) with people in it.
type copySource struct {
	ev      *models.Event
	tt, vip *models.TicketType
	session *models.Session
	room    models.Room
	track   models.Track
	speaker models.Speaker
}

func madrid(t *testing.T, y int, m time.Month, d, h, min int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, m, d, h, min, 0, 0, loc)
}

func newCopySource(t *testing.T, db *gorm.DB) copySource {
	t.Helper()
	org, _ := modeltest.Organizer(t, db, "Org", "copy-owner@example.org", models.RoleOwner)
	start := madrid(t, 2027, time.June, 15, 9, 0)
	opens, closes := madrid(t, 2027, time.April, 1, 10, 0), madrid(t, 2027, time.June, 14, 23, 59)
	ev := &models.Event{OrganizationID: org.ID, Slug: "forum-2027", Kind: models.KindForum, Title: "Care Forum 2027",
		Summary: "Summary", Description: "**Description**", Venue: "Hall", Address: "1 Square", OnlineURL: "https://example.org/live",
		TimeZone: "Europe/Madrid", StartsAt: start.UTC(), EndsAt: madrid(t, 2027, time.June, 16, 18, 0).UTC(),
		Status: models.StatusPublished, Capacity: 300, RegistrationOpensAt: &opens, RegistrationClosesAt: &closes}
	if err := models.CreateEvent(db, ev); err != nil {
		t.Fatal(err)
	}
	if err := models.SavePaymentSettings(db, models.EventPaymentSettings{ID: ev.ID, AllowInvoice: true, InvoiceDays: 10, InvoiceNotice: "Pay by transfer", VATRateBP: 2100}); err != nil {
		t.Fatal(err)
	}
	src := copySource{ev: ev}
	salesEnd := madrid(t, 2027, time.June, 10, 12, 0)
	src.tt = &models.TicketType{EventID: ev.ID, Name: "General", Price: 0, Currency: "EUR", Capacity: 100, Category: models.CategoryPatientCitizen, MaxPerOrder: 3}
	src.vip = &models.TicketType{EventID: ev.ID, Name: "Industry", Price: 5000, Currency: "EUR", Capacity: 20, Category: models.CategoryIndustry,
		MaxPerOrder: 1, Hidden: true, Position: 2, SalesEndAt: &salesEnd}
	for _, tt := range []*models.TicketType{src.tt, src.vip} {
		if err := models.CreateTicketType(db, tt); err != nil {
			t.Fatal(err)
		}
	}
	q := &models.Question{EventID: ev.ID, Kind: models.QuestionChoice, Label: "Diet", Required: true, Sensitive: true, Position: 1}
	q.SetOptions([]string{"None", "Vegetarian"})
	if err := db.Create(q).Error; err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"Privacy v1", "Privacy v2"} {
		if _, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, body); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := models.SetConsentText(db, ev.ID, models.ConsentDirectory, "Directory"); err != nil {
		t.Fatal(err)
	}
	src.room, src.track, src.speaker = models.Room{EventID: ev.ID, Name: "Room A", Capacity: 80}, models.Track{EventID: ev.ID, Name: "Care"},
		models.Speaker{EventID: ev.ID, Name: "Dr Ruiz", Role: "Nurse", Organization: "Hospital", Bio: "Bio"}
	for _, rec := range []any{&src.room, &src.track, &src.speaker} {
		if err := models.CreateAgendaItem(db, ev.ID, rec); err != nil {
			t.Fatal(err)
		}
	}
	src.session = &models.Session{EventID: ev.ID, Title: "Opening", Format: models.FormatTalk, StartsAt: madrid(t, 2027, time.June, 15, 11, 30).UTC(),
		EndsAt: madrid(t, 2027, time.June, 15, 12, 15).UTC(), RoomID: &src.room.ID, TrackID: &src.track.ID, Capacity: 50, SignUp: true}
	if err := models.CreateSession(db, src.session, []uint{src.speaker.ID}); err != nil {
		t.Fatal(err)
	}
	set := &models.NetworkingSetting{EventID: ev.ID, Enabled: true, Mode: models.ModeWishes, MaxMeetings: 5, RequestExpiryHours: 24,
		TicketTypeIDs: itoa(src.tt.ID), Categories: "patient_citizen,industry", Topics: "Telecare", OnlineLinkTemplate: "https://meet.example.org/{meeting}"}
	if err := models.SaveNetworking(db, set); err != nil {
		t.Fatal(err)
	}
	block := &models.MeetingBlock{EventID: ev.ID, StartsAt: madrid(t, 2027, time.June, 16, 14, 0).UTC(), EndsAt: madrid(t, 2027, time.June, 16, 15, 0).UTC(), SlotMinutes: 20, BreakMinutes: 5}
	if err := models.AddMeetingBlock(db, block); err != nil {
		t.Fatal(err)
	}
	if err := models.AddTables(db, ev.ID, "Table", 2); err != nil {
		t.Fatal(err)
	}
	if err := models.AddLocation(db, &models.MeetingLocation{EventID: ev.ID, Name: "Online", Online: true}); err != nil {
		t.Fatal(err)
	}
	// People: an order with a session sign-up, a networking profile, a waitlist entry.
	cts, _ := models.CurrentConsentTexts(db, ev.ID)
	o, err := models.PlaceOrder(db, models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: src.tt.ID, BuyerName: "Ana", BuyerEmail: "ana@example.org",
		Language: "es", Now: madrid(t, 2027, time.May, 1, 10, 0),
		Attendees: []models.AttendeeInput{{Name: "Ana", Email: "ana@example.org", ConsentTextIDs: []uint{cts[0].ID, cts[1].ID},
			SessionIDs: []uint{src.session.ID}, Answers: map[uint]string{q.ID: "None"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.SaveProfile(db, set, o.Attendees[0].ID, models.ProfileInput{Organization: "Org"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&models.WaitlistEntry{EventID: ev.ID, Name: "Wait", Email: "wait@example.org", Status: models.WaitlistWaiting}).Error; err != nil {
		t.Fatal(err)
	}
	return src
}

func count(t *testing.T, db *gorm.DB, table string, eventID uint) int64 {
	t.Helper()
	var n int64
	if err := db.Table(table).Where("event_id = ?", eventID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCopyEventCopiesSetUpShiftsDatesAcrossDSTAndNoPeople(t *testing.T) {
	db, _ := meetDB(t)
	src := newCopySource(t, db)
	newStart := madrid(t, 2027, time.November, 16, 9, 0) // winter time: UTC+1 instead of +2
	cp, err := models.CopyEvent(db, src.ev.ID, models.CopyEventInput{Title: "Care Forum 2027 (autumn)", Slug: "forum-autumn-2027", StartsAt: newStart})
	if err != nil {
		t.Fatalf("CopyEvent: %v", err)
	}
	loc := cp.Location()
	local := func(tm time.Time) string { return tm.In(loc).Format("2006-01-02 15:04") }

	var e models.Event
	if err := db.Take(&e, cp.ID).Error; err != nil {
		t.Fatal(err)
	}
	if e.Status != models.StatusDraft || e.Slug != "forum-autumn-2027" || e.Title != "Care Forum 2027 (autumn)" || e.OrganizationID != src.ev.OrganizationID ||
		e.Summary != "Summary" || e.Description != "**Description**" || e.Venue != "Hall" || e.Address != "1 Square" ||
		e.OnlineURL != "https://example.org/live" || e.Capacity != 300 || e.PlacesTaken != 0 || e.TimeZone != "Europe/Madrid" {
		t.Fatalf("copied event: %+v", e)
	}
	if local(e.StartsAt) != "2027-11-16 09:00" || local(e.EndsAt) != "2027-11-17 18:00" ||
		local(*e.RegistrationOpensAt) != "2027-09-02 10:00" || local(*e.RegistrationClosesAt) != "2027-11-15 23:59" {
		t.Fatalf("event dates: %s – %s, registration %s – %s", local(e.StartsAt), local(e.EndsAt), local(*e.RegistrationOpensAt), local(*e.RegistrationClosesAt))
	}
	if e.StartsAt.UTC().Hour() != 8 {
		t.Fatalf("09:00 in November Madrid is 08:00 UTC, got %v", e.StartsAt.UTC())
	}
	ps, _ := models.PaymentSettings(db, cp.ID)
	if !ps.AllowInvoice || ps.InvoiceDays != 10 || ps.InvoiceNotice != "Pay by transfer" || ps.VATRateBP != 2100 {
		t.Fatalf("payment settings: %+v", ps)
	}

	ts, _ := models.TicketTypesOf(db, cp.ID)
	if len(ts) != 2 || ts[0].Name != "General" || ts[1].Name != "Industry" {
		t.Fatalf("ticket types: %+v", ts)
	}
	for _, tt := range ts {
		if tt.ID == src.tt.ID || tt.ID == src.vip.ID || tt.PlacesTaken != 0 {
			t.Fatalf("ticket type not a fresh copy: %+v", tt)
		}
	}
	if !ts[1].Hidden || ts[1].Price != 5000 || ts[1].Capacity != 20 || ts[1].MaxPerOrder != 1 || ts[1].SalesEndAt == nil || local(*ts[1].SalesEndAt) != "2027-11-11 12:00" {
		t.Fatalf("industry ticket: %+v", ts[1])
	}
	qs, _ := models.QuestionsOf(db, cp.ID)
	if len(qs) != 1 || qs[0].Label != "Diet" || !qs[0].Required || !qs[0].Sensitive || len(qs[0].OptionList()) != 2 {
		t.Fatalf("questions: %+v", qs)
	}
	cts, _ := models.CurrentConsentTexts(db, cp.ID)
	if len(cts) != 2 || cts[0].Kind != models.ConsentPrivacy || cts[0].Body != "Privacy v2" || cts[0].Version != 1 || cts[1].Kind != models.ConsentDirectory {
		t.Fatalf("consents: %+v", cts)
	}

	ag, err := models.LoadAgenda(db, cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ag.Rooms) != 1 || len(ag.Tracks) != 1 || len(ag.Speakers) != 1 || len(ag.Sessions) != 1 {
		t.Fatalf("agenda: %d rooms %d tracks %d speakers %d sessions", len(ag.Rooms), len(ag.Tracks), len(ag.Speakers), len(ag.Sessions))
	}
	s := ag.Sessions[0]
	if ag.Rooms[0].ID == src.room.ID || ag.Tracks[0].ID == src.track.ID || ag.Speakers[0].ID == src.speaker.ID || s.ID == src.session.ID {
		t.Fatal("agenda rows were not copied to new ids")
	}
	if s.RoomID == nil || *s.RoomID != ag.Rooms[0].ID || s.TrackID == nil || *s.TrackID != ag.Tracks[0].ID ||
		len(s.Speakers) != 1 || s.Speakers[0].ID != ag.Speakers[0].ID {
		t.Fatalf("session links not remapped: %+v", s)
	}
	if s.PlacesTaken != 0 || !s.SignUp || s.Capacity != 50 || local(s.StartsAt) != "2027-11-16 11:30" || local(s.EndsAt) != "2027-11-16 12:15" {
		t.Fatalf("session: %+v (%s)", s, local(s.StartsAt))
	}
	if ag.Speakers[0].Bio != "Bio" || ag.Rooms[0].Capacity != 80 {
		t.Fatalf("agenda items: %+v %+v", ag.Speakers[0], ag.Rooms[0])
	}

	set, _ := models.NetworkingFor(db, cp.ID)
	if !set.Enabled || set.Mode != models.ModeWishes || set.MaxMeetings != 5 || set.Topics != "Telecare" || set.Categories != "patient_citizen,industry" ||
		set.TicketTypeIDs != itoa(ts[0].ID) || set.OnlineLinkTemplate != "https://meet.example.org/{meeting}" {
		t.Fatalf("networking: %+v (general ticket %d)", set, ts[0].ID)
	}
	blocks, _ := models.EventBlocks(db, cp.ID)
	slots, _ := models.EventSlots(db, cp.ID)
	if len(blocks) != 1 || local(blocks[0].StartsAt) != "2027-11-17 14:00" || len(slots) != 2 || local(slots[0].StartsAt) != "2027-11-17 14:00" || local(slots[1].StartsAt) != "2027-11-17 14:25" {
		t.Fatalf("blocks %+v slots %+v", blocks, slots)
	}
	for _, sl := range slots {
		if sl.BlockID != blocks[0].ID {
			t.Fatalf("slot of another block: %+v", sl)
		}
	}
	locs, _ := models.EventLocations(db, cp.ID)
	var names []string
	for _, l := range locs {
		names = append(names, l.Name)
	}
	sort.Strings(names)
	if len(locs) != 3 || names[0] != "Online" || names[1] != "Table 1" {
		t.Fatalf("locations: %v", names)
	}

	for _, table := range []string{"orders", "attendees", "waitlist_entries", "meeting_participants", "meetings", "meeting_requests", "vouchers"} {
		if n := count(t, db, table, cp.ID); n != 0 {
			t.Fatalf("%d %s copied", n, table)
		}
	}
	// The source is untouched.
	if n := count(t, db, "orders", src.ev.ID); n != 1 {
		t.Fatalf("source orders: %d", n)
	}
}

func TestCopyEventRefusesTakenSlugAndBadInputLeavingNothing(t *testing.T) {
	db, _ := meetDB(t)
	src := newCopySource(t, db)
	var before int64
	db.Model(&models.Event{}).Count(&before)
	start := madrid(t, 2028, time.June, 13, 9, 0)
	cases := []struct {
		in   models.CopyEventInput
		want error
	}{
		{models.CopyEventInput{Title: "X", Slug: "forum-2027", StartsAt: start}, models.ErrSlugTaken},
		{models.CopyEventInput{Title: " ", Slug: "ok-slug", StartsAt: start}, models.ErrCopyTitleRequired},
		{models.CopyEventInput{Title: "X", Slug: "Bad Slug", StartsAt: start}, models.ErrCopySlugInvalid},
		{models.CopyEventInput{Title: "X", Slug: "ok-slug"}, models.ErrCopyStartRequired},
	}
	for _, c := range cases {
		if _, err := models.CopyEvent(db, src.ev.ID, c.in); !errors.Is(err, c.want) {
			t.Fatalf("%+v: %v, want %v", c.in, err, c.want)
		}
	}
	var after int64
	db.Model(&models.Event{}).Count(&after)
	if after != before || count(t, db, "ticket_types", 0) != 0 {
		t.Fatalf("a refused copy left rows: %d events, was %d", after, before)
	}
	var orphans int64
	db.Model(&models.TicketType{}).Where("event_id NOT IN (?)", db.Model(&models.Event{}).Select("id")).Count(&orphans)
	if orphans != 0 {
		t.Fatalf("%d orphan ticket types", orphans)
	}
	if _, err := models.CopyEvent(db, 999999, models.CopyEventInput{Title: "X", Slug: "ok-slug", StartsAt: start}); !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Fatalf("missing source: %v", err)
	}
}

func TestSuggestEventCopyMovesTheYearAndAvoidsTakenSlugs(t *testing.T) {
	db, _ := meetDB(t)
	src := newCopySource(t, db)
	in, err := models.SuggestEventCopy(db, src.ev)
	if err != nil {
		t.Fatal(err)
	}
	if in.Title != "Care Forum 2028" || in.Slug != "forum-2028" || in.StartsAt.In(src.ev.Location()).Format("2006-01-02 15:04") != "2028-06-15 09:00" {
		t.Fatalf("suggestion: %+v", in)
	}
	if _, err := models.CopyEvent(db, src.ev.ID, in); err != nil {
		t.Fatal(err)
	}
	again, _ := models.SuggestEventCopy(db, src.ev)
	if again.Slug != "forum-2028-2" {
		t.Fatalf("second suggestion: %q", again.Slug)
	}
}

// A March event in New York (summer time from the second Sunday of March)
// copied to November (standard time) keeps its sessions at 09:00 local.
func TestCopyEventKeepsLocalTimesFromMarchToNovember(t *testing.T) {
	db, _ := regDB(t)
	org, _ := modeltest.Organizer(t, db, "NY", "ny@example.org", models.RoleOwner)
	ny, _ := time.LoadLocation("America/New_York")
	start := time.Date(2027, time.March, 20, 9, 0, 0, 0, ny)
	ev := &models.Event{OrganizationID: org.ID, Slug: "ny-2027", Kind: models.KindForum, Title: "NY", TimeZone: "America/New_York",
		StartsAt: start.UTC(), EndsAt: start.Add(9 * time.Hour).UTC(), Status: models.StatusDraft}
	if err := models.CreateEvent(db, ev); err != nil {
		t.Fatal(err)
	}
	s := &models.Session{EventID: ev.ID, Title: "Day two", Format: models.FormatTalk,
		StartsAt: time.Date(2027, time.March, 21, 9, 0, 0, 0, ny).UTC(), EndsAt: time.Date(2027, time.March, 21, 10, 0, 0, 0, ny).UTC()}
	if err := models.CreateSession(db, s, nil); err != nil {
		t.Fatal(err)
	}
	cp, err := models.CopyEvent(db, ev.ID, models.CopyEventInput{Title: "NY autumn", Slug: "ny-autumn", StartsAt: time.Date(2027, time.November, 20, 9, 0, 0, 0, ny)})
	if err != nil {
		t.Fatal(err)
	}
	ag, _ := models.LoadAgenda(db, cp.ID)
	got := ag.Sessions[0].StartsAt.In(ny)
	if got.Format("2006-01-02 15:04") != "2027-11-21 09:00" || ag.Sessions[0].StartsAt.UTC().Hour() != 14 || s.StartsAt.UTC().Hour() != 13 {
		t.Fatalf("session at %s (%s UTC), source %s UTC", got, ag.Sessions[0].StartsAt.UTC(), s.StartsAt.UTC())
	}
}

// Two copies racing for one slug: one is made, the other is ErrSlugTaken
// and leaves no rows behind.
func TestCopyEventRacedForOneSlug(t *testing.T) {
	db, dsn := meetDB(t)
	src := newCopySource(t, db)
	pools := append(extraPools(t, dsn, 1), db)
	errs := make([]error, len(pools))
	var wg sync.WaitGroup
	for i, p := range pools {
		wg.Add(1)
		go func(i int, p *gorm.DB) {
			defer wg.Done()
			_, errs[i] = models.CopyEvent(p, src.ev.ID, models.CopyEventInput{Title: "Race", Slug: "race-2028", StartsAt: madrid(t, 2028, time.June, 13, 9, 0)})
		}(i, p)
	}
	wg.Wait()
	made := 0
	for _, err := range errs {
		switch {
		case err == nil:
			made++
		case !errors.Is(err, models.ErrSlugTaken):
			t.Fatalf("copy: %v", err)
		}
	}
	var events, ticketTypes int64
	db.Model(&models.Event{}).Where("slug = ?", "race-2028").Count(&events)
	db.Model(&models.TicketType{}).Where("event_id NOT IN (?)", db.Model(&models.Event{}).Select("id")).Count(&ticketTypes)
	if made != 1 || events != 1 || ticketTypes != 0 {
		t.Fatalf("made %d, events %d, orphan ticket types %d (%v)", made, events, ticketTypes, errs)
	}
}

// The event's mail settings (reminders, its own contact) and its refund
// policy come along, the policy's deadline shifted with the dates.
func TestCopyEventKeepsMailSettingsAndRefundPolicy(t *testing.T) {
	db, _ := regDB(t)
	org, _ := modeltest.Organizer(t, db, "Settings", "settings@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "settings-2027", models.StatusPublished)
	if err := models.SaveEventMailSetting(db, &models.EventMailSetting{EventID: ev.ID, RemindersEnabled: false, ReminderHours: 24,
		ReminderText: "Door B", ContactName: "Desk", ContactEmail: "desk@example.org"}); err != nil {
		t.Fatal(err)
	}
	until := ev.StartsAt.Add(-7 * 24 * time.Hour)
	if err := models.SaveRefundPolicy(db, models.EventRefundPolicy{ID: ev.ID, Policy: models.RefundPolicyFee, Until: &until, FeeFixed: 500, FeeBP: 1000}); err != nil {
		t.Fatal(err)
	}
	next := ev.StartsAt.AddDate(0, 0, 364) // same weekday, no DST question
	cp, err := models.CopyEvent(db, ev.ID, models.CopyEventInput{Title: "Settings 2028", Slug: "settings-2028", StartsAt: next})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := models.EventMailSettingFor(db, cp.ID)
	if err != nil || ms.RemindersEnabled || ms.ReminderHours != 24 || ms.ReminderText != "Door B" || ms.ContactEmail != "desk@example.org" {
		t.Fatalf("mail settings of the copy: %+v %v", ms, err)
	}
	p, err := models.RefundPolicyOf(db, cp.ID)
	if err != nil || p.Policy != models.RefundPolicyFee || p.FeeFixed != 500 || p.FeeBP != 1000 || p.Until == nil ||
		!p.Until.Equal(until.AddDate(0, 0, 364)) {
		t.Fatalf("refund policy of the copy: %+v %v (want until %s)", p, err, until.AddDate(0, 0, 364))
	}
}
