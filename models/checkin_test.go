package models_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func doorLists(t *testing.T, db *gorm.DB, ev *models.Event) []models.CheckinList {
	t.Helper()
	ls, err := models.CheckinLists(db, ev)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func listCounts(t *testing.T, db *gorm.DB, l *models.CheckinList) models.ListCounts {
	t.Helper()
	c, err := models.CountCheckinList(db, l)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func attendeeRow(t *testing.T, db *gorm.DB, id uint) models.Attendee {
	t.Helper()
	var a models.Attendee
	if err := db.Take(&a, id).Error; err != nil {
		t.Fatal(err)
	}
	return a
}

// Lists: one per event day and per session with sign-up or counted
// attendance; counts come from the rows; a person is in several lists;
// undo records who and when and the attendee's summary follows.
func TestCheckinListsCountsAndUndo(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 3)
	ses := signupSession(t, db, ev.ID, 0)
	counted := &models.Session{EventID: ev.ID, Title: "Credits", Format: models.FormatTalk, AttendanceCounted: true,
		StartsAt: ev.StartsAt.Add(time.Hour), EndsAt: ev.StartsAt.Add(2 * time.Hour)}
	if err := db.Create(counted).Error; err != nil {
		t.Fatal(err)
	}
	plain := &models.Session{EventID: ev.ID, Title: "Plain", Format: models.FormatTalk, StartsAt: ev.StartsAt, EndsAt: ev.StartsAt.Add(time.Hour)}
	if err := db.Create(plain).Error; err != nil {
		t.Fatal(err)
	}
	o := place(t, db, orderInput(t, db, ev, tt, 2, ses.ID))
	lone := place(t, db, orderInput(t, db, ev, tt, 1))
	ls := doorLists(t, db, ev)
	if again := doorLists(t, db, ev); len(again) != len(ls) || again[0].ID != ls[0].ID {
		t.Fatalf("lists made twice: %d then %d", len(ls), len(again))
	}
	var days, sessions int
	var sesList, countedList *models.CheckinList
	for i := range ls {
		switch {
		case ls[i].Kind == models.CheckinListDay:
			days++
		case *ls[i].SessionID == ses.ID:
			sesList, sessions = &ls[i], sessions+1
		case *ls[i].SessionID == counted.ID:
			countedList, sessions = &ls[i], sessions+1
		default:
			t.Fatalf("a list for a session without sign-up or counting: %+v", ls[i])
		}
	}
	if days != 3 || sessions != 2 {
		t.Fatalf("want 3 day lists and 2 session lists, got %d and %d", days, sessions)
	}
	day := models.DefaultCheckinList(ls, ev, time.Now())
	if day == nil || day.ID != ls[0].ID {
		t.Fatalf("before the event the door opens on the first day: %+v", day)
	}
	if c := listCounts(t, db, day); c.In != 0 || c.Expected != 3 {
		t.Fatalf("day counts %+v", c)
	}
	if c := listCounts(t, db, sesList); c.Expected != 2 {
		t.Fatalf("session list expects its sign-ups: %+v", c)
	}
	now := time.Now()
	a := &o.Attendees[0]
	out, err := models.CheckInto(db, day, a, models.CheckinInput{ByUserID: 7}, now)
	if err != nil || out.Result != models.CheckinOK {
		t.Fatalf("check in: %+v %v", out, err)
	}
	if out, _ := models.CheckInto(db, day, a, models.CheckinInput{DeviceID: "phone-b", LocalID: "1"}, now); out.Result != models.CheckinAlready || out.Checkin.ID == 0 {
		t.Fatalf("second check-in on the list: %+v", out)
	}
	if out, _ := models.CheckInto(db, sesList, a, models.CheckinInput{}, now); out.Result != models.CheckinOK {
		t.Fatalf("same person into a session list: %+v", out)
	}
	if out, _ := models.CheckInto(db, sesList, &lone.Attendees[0], models.CheckinInput{}, now); out.Result != models.CheckinNotOnList {
		t.Fatalf("not signed up: %+v", out)
	}
	counts, _ := models.CheckInto(db, countedList, &lone.Attendees[0], models.CheckinInput{}, now)
	if counts.Result != models.CheckinOK {
		t.Fatalf("counted session without sign-up takes everyone: %+v", counts)
	}
	if c := listCounts(t, db, day); c.In != 1 || c.Expected != 3 || c.Percent() != 33 {
		t.Fatalf("day counts after one: %+v", c)
	}
	if got := attendeeRow(t, db, a.ID); got.CheckedInAt == nil || got.CheckInCount != 3 {
		t.Fatalf("attendee summary: %v %d", got.CheckedInAt, got.CheckInCount)
	}
	if _, err := models.UndoCheckin(db, day, counts.Checkin.ID, 7, now); err == nil {
		t.Fatal("undo on the wrong list")
	}
	first, _ := models.CheckInto(db, day, a, models.CheckinInput{}, now)
	k, err := models.UndoCheckin(db, day, first.Checkin.ID, 9, now)
	if err != nil || k.UndoneAt == nil || k.UndoneBy == nil || *k.UndoneBy != 9 {
		t.Fatalf("undo: %+v %v", k, err)
	}
	if _, err := models.UndoCheckin(db, day, first.Checkin.ID, 9, now); err != models.ErrCheckinNotFound {
		t.Fatalf("undo twice: %v", err)
	}
	if c := listCounts(t, db, day); c.In != 0 {
		t.Fatalf("day counts after undo: %+v", c)
	}
	if got := attendeeRow(t, db, a.ID); got.CheckedInAt == nil {
		t.Fatal("still in the session list, so still checked in")
	}
	sesIn, _ := models.CheckInto(db, sesList, a, models.CheckinInput{}, now)
	if _, err := models.UndoCheckin(db, sesList, sesIn.Checkin.ID, 9, now); err != nil {
		t.Fatal(err)
	}
	if got := attendeeRow(t, db, a.ID); got.CheckedInAt != nil || got.CheckInCount != 0 {
		t.Fatalf("no live check-in left: %v %d", got.CheckedInAt, got.CheckInCount)
	}
	// Check in again after undo, then out and back in.
	again, _ := models.CheckInto(db, day, a, models.CheckinInput{}, now)
	if again.Result != models.CheckinOK {
		t.Fatalf("after undo: %+v", again)
	}
	if err := models.CheckOut(db, day, again.Checkin.ID, now); err != nil {
		t.Fatal(err)
	}
	if back, _ := models.CheckInto(db, day, a, models.CheckinInput{}, now); back.Result != models.CheckinOK || back.Checkin.ID != again.Checkin.ID || back.Checkin.CheckedOutAt != nil {
		t.Fatalf("back in after check-out: %+v", back)
	}
	// Cancelled attendees are not let in.
	models.CancelAttendee(db, o.Attendees[1].ID, now)
	b := attendeeRow(t, db, o.Attendees[1].ID)
	if out, _ := models.CheckInto(db, day, &b, models.CheckinInput{}, now); out.Result != models.CheckinCancelled {
		t.Fatalf("cancelled: %+v", out)
	}
}

// Door search: a few letters of name, organization, e-mail or code,
// accents and case aside; the result carries no e-mail.
func TestSearchDoorFoldsAccents(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 3)
	in := orderInput(t, db, ev, tt, 2)
	in.Attendees[0].Name, in.Attendees[0].Organization = "José Núñez", "Hospital Universitário"
	in.Attendees[1].Name, in.Attendees[1].Email = "Zoë Ángel", "zoe.private@example.org"
	o := place(t, db, in)
	day := &doorLists(t, db, ev)[0]
	for q, want := range map[string]string{"jose": "José Núñez", "NUNEZ": "José Núñez", "universitario": "José Núñez",
		"zoe.priv": "Zoë Ángel", "angel": "Zoë Ángel", lower(o.Code) + "-2": "Zoë Ángel"} {
		got, err := models.SearchDoor(db, day, q, 10)
		if err != nil || len(got) != 1 || got[0].Name != want {
			t.Errorf("search %q: %+v %v", q, got, err)
		}
	}
	if got, _ := models.SearchDoor(db, day, "j", 10); len(got) != 0 {
		t.Errorf("one letter searches nothing: %+v", got)
	}
	if models.FoldSearch("  JOSÉ   Ñandú ") != "jose nandu" {
		t.Errorf("fold: %q", models.FoldSearch("  JOSÉ   Ñandú "))
	}
}

// Door search with more matches than the limit: the first by folded name,
// in name order, each with its door data (code, check-in) like DoorPeople's.
func TestSearchDoorLimitKeepsNameOrder(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 5)
	in := orderInput(t, db, ev, tt, 5)
	for i, n := range []string{"Óscar Pérez", "ana Perez", "Bruno Pèrez", "Álvaro Pérez", "Carla Soto"} {
		in.Attendees[i].Name = n
	}
	in.Attendees[4].Organization = "Perez & Co"
	o := place(t, db, in)
	day := &doorLists(t, db, ev)[0]
	all, err := models.DoorPeople(db, day)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[uint]models.DoorPerson{}
	for _, p := range all {
		byID[p.AttendeeID] = p
	}
	got, err := models.SearchDoor(db, day, "PEREZ", 3)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, p.Name)
		if p != byID[p.AttendeeID] || p.Code == "" || !strings.HasPrefix(p.Code, o.Code+"-") {
			t.Errorf("door data of %s: %+v, DoorPeople has %+v", p.Name, p, byID[p.AttendeeID])
		}
	}
	if want := "Álvaro Pérez,ana Perez,Bruno Pèrez"; strings.Join(names, ",") != want {
		t.Errorf("search PEREZ, limit 3: %v, want %s", names, want)
	}
	if got, _ := models.SearchDoor(db, day, "perez", 10); len(got) != 5 {
		t.Errorf("name or organization: %d results", len(got))
	}
}

// Many phones on two pools check in the same people, each several times
// and some batches twice: each attendee ends with one live check-in on the
// list, every (device, local id) with one answer, and the summary agrees.
func TestCheckinRaceAcrossDevices(t *testing.T) {
	db, dsn := regDB(t)
	pools := append([]*gorm.DB{db}, extraPools(t, dsn, 1)...)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 10)
	o := place(t, db, orderInput(t, db, ev, tt, 10))
	// Two instances opening the door at once make each list once.
	var lw sync.WaitGroup
	for i := 0; i < 4; i++ {
		lw.Add(1)
		go func(pool *gorm.DB) {
			defer lw.Done()
			if _, err := models.CheckinLists(pool, ev); err != nil {
				t.Error(err)
			}
		}(pools[i%2])
	}
	lw.Wait()
	var nLists int64
	db.Model(&models.CheckinList{}).Where("event_id = ?", ev.ID).Count(&nLists)
	if nLists != 3 {
		t.Fatalf("%d lists for a three-day event", nLists)
	}
	day := &doorLists(t, db, ev)[0]
	const devices = 8
	var wg sync.WaitGroup
	results := make([][]string, devices)
	errs := make(chan error, devices*40)
	for d := 0; d < devices; d++ {
		wg.Add(1)
		go func(d int) {
			defer wg.Done()
			pool := pools[d%len(pools)]
			for round := 0; round < 2; round++ { // the batch is sent twice
				for i := range o.Attendees {
					a := o.Attendees[i]
					out, err := models.CheckInto(pool, day, &a, models.CheckinInput{DeviceID: fmt.Sprintf("dev-%d", d), LocalID: fmt.Sprint(i)}, time.Now())
					if err != nil {
						errs <- err
						return
					}
					if round == 0 {
						results[d] = append(results[d], out.Result)
					} else if out.Result != results[d][i] {
						errs <- fmt.Errorf("device %d item %d answered %s then %s", d, i, results[d][i], out.Result)
					}
				}
			}
		}(d)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var live int64
	db.Model(&models.Checkin{}).Where("list_id = ? AND undone_at IS NULL", day.ID).Count(&live)
	if live != int64(len(o.Attendees)) {
		t.Fatalf("%d live check-ins for %d people", live, len(o.Attendees))
	}
	ok := 0
	for _, rs := range results {
		for _, r := range rs {
			if r == models.CheckinOK {
				ok++
			} else if r != models.CheckinAlready {
				t.Fatalf("result %s", r)
			}
		}
	}
	if ok != len(o.Attendees) {
		t.Fatalf("%d devices were told checked in for %d people", ok, len(o.Attendees))
	}
	if c := listCounts(t, db, day); c.In != 10 || c.Expected != 10 {
		t.Fatalf("counts %+v", c)
	}
	var unset int64
	db.Model(&models.Attendee{}).Where("event_id = ? AND checked_in_at IS NULL", ev.ID).Count(&unset)
	if unset != 0 {
		t.Fatalf("%d attendees without checked_in_at", unset)
	}
}

// A certificate lists the sessions where the person was checked in on the
// session's own list, and signed-up sessions whose door was not kept (the
// day's check-in stands for them) — not signed-up sessions whose list shows
// they did not come.
func TestAttendedSessionsFollowTheSessionLists(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 5)
	kept := signupSession(t, db, ev.ID, 0)   // its door is kept: people are checked in on its list
	unkept := signupSession(t, db, ev.ID, 0) // nobody checks in there
	for s, title := range map[*models.Session]string{kept: "Kept door", unkept: "Unkept door"} {
		if err := db.Model(s).Update("title", title).Error; err != nil {
			t.Fatal(err)
		}
		s.Title = title
	}
	counted := &models.Session{EventID: ev.ID, Title: "Credits", Format: models.FormatTalk, AttendanceCounted: true,
		StartsAt: ev.StartsAt.Add(3 * time.Hour), EndsAt: ev.StartsAt.Add(5 * time.Hour)}
	if err := db.Create(counted).Error; err != nil {
		t.Fatal(err)
	}
	o := place(t, db, orderInput(t, db, ev, tt, 2, kept.ID, unkept.ID))
	came, missed := &o.Attendees[0], &o.Attendees[1]
	var keptList, countedList *models.CheckinList
	ls := doorLists(t, db, ev)
	for i := range ls {
		if ls[i].SessionID != nil && *ls[i].SessionID == kept.ID {
			keptList = &ls[i]
		}
		if ls[i].SessionID != nil && *ls[i].SessionID == counted.ID {
			countedList = &ls[i]
		}
	}
	now := time.Now()
	for _, step := range []struct {
		l *models.CheckinList
		a *models.Attendee
	}{{&ls[0], came}, {&ls[0], missed}, {keptList, came}, {countedList, came}} {
		if out, err := models.CheckInto(db, step.l, step.a, models.CheckinInput{}, now); err != nil || out.Result != models.CheckinOK {
			t.Fatalf("check in: %+v %v", out, err)
		}
	}
	titles := func(a *models.Attendee) map[string]bool {
		ss, err := models.AttendedSessions(db, ev.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, s := range ss {
			m[s.Title] = true
		}
		return m
	}
	if got := titles(came); len(got) != 3 || !got[kept.Title] || !got[unkept.Title] || !got["Credits"] {
		t.Errorf("the one who came: %v", got)
	}
	if got := titles(missed); len(got) != 1 || !got[unkept.Title] {
		t.Errorf("the one who missed the kept session: %v", got)
	}
}
