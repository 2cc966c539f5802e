package models_test

import (
	"errors"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

func TestRequestRulesRefuseBadInput(t *testing.T) {
	db, _ := meetDB(t)
	n := newNetEvent(t, db, 4, 3, 1, models.NetworkingSetting{MaxPendingSent: 1, MaxMeetings: 1})
	now := time.Now()
	send := func(from, to, slot int) error {
		_, err := models.SendRequest(db, models.RequestInput{EventID: n.ev.ID, From: n.people[from].ID, To: n.people[to].ID, SlotID: n.slots[slot].ID, Now: now})
		return err
	}
	if err := send(0, 0, 0); !errors.Is(err, models.ErrSelfRequest) {
		t.Fatalf("self: %v", err)
	}
	if err := models.LeaveNetworking(db, n.people[3].ID); err != nil {
		t.Fatal(err)
	}
	if err := send(0, 3, 0); !errors.Is(err, models.ErrNotParticipant) {
		t.Fatalf("not opted in: %v", err)
	}
	// Availability: B marked slot 0 as not available, so it is not offered.
	if err := models.SetUnavailable(db, n.ev.ID, n.people[1].ID, []uint{n.slots[0].ID}); err != nil {
		t.Fatal(err)
	}
	free, _ := models.FreeSlots(db, n.ev.ID, n.people[0].ID, n.people[1].ID, now)
	if len(free) != 2 || free[0].ID != n.slots[1].ID {
		t.Fatalf("free slots: %+v", free)
	}
	if err := send(0, 1, 0); !errors.Is(err, models.ErrSlotNotFree) {
		t.Fatalf("unavailable slot: %v", err)
	}
	if err := send(0, 1, 1); err != nil {
		t.Fatal(err)
	}
	if err := send(0, 2, 2); !errors.Is(err, models.ErrPendingLimit) {
		t.Fatalf("pending limit: %v", err)
	}
	// C books the only table in slot 2 with B... B's limit is 1 after that.
	r, err := models.SendRequest(db, models.RequestInput{EventID: n.ev.ID, From: n.people[2].ID, To: n.people[1].ID, SlotID: n.slots[2].ID, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.AcceptRequest(db, n.ev.ID, n.people[1].ID, r.ID, now); err != nil {
		t.Fatal(err)
	}
	// ...so accepting A's request now goes past B's limit.
	var ar models.MeetingRequest
	db.Where("from_participant_id = ?", n.people[0].ID).Take(&ar)
	if _, err := models.AcceptRequest(db, n.ev.ID, n.people[1].ID, ar.ID, now); !errors.Is(err, models.ErrMeetingLimit) {
		t.Fatalf("limit: %v", err)
	}
	// Someone else's request id.
	if _, err := models.AcceptRequest(db, n.ev.ID, n.people[2].ID, ar.ID, now); err == nil {
		t.Fatal("a third person accepted someone else's request")
	}
}

func TestExpiryAndReminders(t *testing.T) {
	db, _ := meetDB(t)
	n := newNetEvent(t, db, 4, 2, 2, models.NetworkingSetting{RequestExpiryHours: 1})
	r := n.request(t, db, 0, 1, 0)
	now := time.Now()
	if k, err := models.ExpireRequests(db, now); err != nil || k != 0 {
		t.Fatalf("early expiry: %d %v", k, err)
	}
	if k, err := models.ExpireRequests(db, now.Add(2*time.Hour)); err != nil || k != 1 {
		t.Fatalf("expiry: %d %v", k, err)
	}
	if k, _ := models.ExpireRequests(db, now.Add(3*time.Hour)); k != 0 {
		t.Fatal("expired twice")
	}
	if _, err := models.AcceptRequest(db, n.ev.ID, n.people[1].ID, r.ID, now); !errors.Is(err, models.ErrRequestNotPending) {
		t.Fatalf("accepting an expired request: %v", err)
	}
	var expiredMail int64
	db.Model(&models.MeetingNotice{}).Where("kind = ? AND participant_id = ?", models.NoticeExpired, n.people[0].ID).Count(&expiredMail)
	if expiredMail != 1 {
		t.Fatalf("expiry notices: %d", expiredMail)
	}
	r2 := n.request(t, db, 2, 3, 1)
	if _, err := models.AcceptRequest(db, n.ev.ID, n.people[3].ID, r2.ID, now); err != nil {
		t.Fatal(err)
	}
	at := n.slots[1].StartsAt.Add(-30 * time.Minute)
	if k, err := models.SendReminders(db, at.Add(-2*time.Hour), time.Hour); err != nil || k != 0 {
		t.Fatalf("reminder too early: %d %v", k, err)
	}
	// Two passes (two instances): each person is reminded once.
	for i := 0; i < 2; i++ {
		k, err := models.SendReminders(db, at, time.Hour)
		if err != nil || (i == 0 && k != 2) || (i == 1 && k != 0) {
			t.Fatalf("pass %d: %d reminders, %v", i, k, err)
		}
	}
	var reminders int64
	db.Model(&models.OutboxMessage{}).Where("dedupe_key LIKE ?", "meeting-reminder-%").Count(&reminders)
	if reminders != 2 {
		t.Fatalf("%d reminders queued", reminders)
	}
}

func TestSchedulerWiringOnGeneratedEvent(t *testing.T) {
	db, _ := meetDB(t)
	n := newNetEvent(t, db, 20, 4, 3, models.NetworkingSetting{Mode: models.ModeWishes, MaxMeetings: 3})
	// Everyone wishes to meet the next three people, mutually.
	for i := range n.people {
		for d := 1; d <= 3; d++ {
			j := (i + d) % len(n.people)
			for _, w := range [][2]int{{i, j}, {j, i}} {
				if err := models.SetWish(db, n.ev.ID, n.people[w[0]].ID, n.people[w[1]].ID, true); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// One meeting is booked already by the organizers.
	if _, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: n.ev.ID, SlotID: n.slots[0].ID, A: n.people[0].ID, B: n.people[1].ID}); err != nil {
		t.Fatal(err)
	}
	stats, err := models.RunScheduler(db, n.ev.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Placed == 0 || stats.Placed > stats.UpperBound || stats.AlreadyBooked != 1 {
		t.Fatalf("stats: %+v", stats)
	}
	// 4 slots × 3 tables = 12 places at most.
	if got := activeMeetings(t, db, n.ev.ID); got != int64(stats.Placed+1) || got > 12 {
		t.Fatalf("%d meetings stored, %d placed", got, stats.Placed)
	}
	var over int64
	db.Model(&models.MeetingParticipant{}).Where("meetings_count > 3").Count(&over)
	if over != 0 {
		t.Fatal("limit broken by the scheduler")
	}
}

// A sign-in link's raw token is kept for its e-mail only while the link
// works; afterwards the notice forgets it and the token row goes.
func TestExpiredSignInLinksAreForgotten(t *testing.T) {
	db, _ := meetDB(t)
	n := newNetEvent(t, db, 2, 1, 1, models.NetworkingSetting{})
	now := time.Now()
	raw, err := models.IssueSignIn(db, n.ev.ID, n.people[0].AttendeeID, now)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := models.ForgetExpiredSignIns(db, now.Add(time.Minute)); err != nil || k != 0 {
		t.Fatalf("a live link was forgotten: %d %v", k, err)
	}
	later := now.Add(models.SignInTTL + time.Hour)
	if k, err := models.ForgetExpiredSignIns(db, later); err != nil || k != 1 {
		t.Fatalf("forgotten notices: %d %v", k, err)
	}
	var kept, tokens int64
	db.Model(&models.MeetingNotice{}).Where("reason = ?", raw).Count(&kept)
	db.Model(&models.MeetingSignInToken{}).Count(&tokens)
	if kept != 0 || tokens != 0 {
		t.Fatalf("raw token still on %d notices, %d token rows left", kept, tokens)
	}
	if _, err := models.ConsumeSignIn(db, n.ev.ID, raw, later); err == nil {
		t.Fatal("an expired link still signs in")
	}
}
