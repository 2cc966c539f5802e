package models_test

import (
	"errors"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

func TestPlaceOrderRefusals(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 2)
	other := openEvent(t, db, 0)
	foreignTT := ticketType(t, db, other.ID, 0, 0, 2)
	foreignSession := signupSession(t, db, other.ID, 0)
	hidden := ticketType(t, db, ev.ID, 0, 0, 1)
	db.Model(hidden).Update("hidden", true)
	past := time.Now().Add(-time.Hour)
	closed := ticketType(t, db, ev.ID, 0, 0, 1)
	db.Model(closed).Update("sales_end_at", past)
	noSignup := &models.Session{EventID: ev.ID, Title: "Talk", Format: models.FormatTalk}
	db.Create(noSignup)

	try := func(name string, in models.PlaceOrderInput, want error) {
		t.Helper()
		if _, err := models.PlaceOrder(db, in); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", name, err, want)
		}
	}
	in := orderInput(t, db, ev, foreignTT, 1)
	try("foreign ticket type", in, models.ErrInvalidTicketType)
	try("hidden ticket type", orderInput(t, db, ev, hidden, 1), models.ErrInvalidTicketType)
	unlocked := orderInput(t, db, ev, hidden, 1)
	unlocked.UnlockHidden = true
	if _, err := models.PlaceOrder(db, unlocked); err != nil {
		t.Errorf("unlocked hidden type: %v", err)
	}
	try("sales closed", orderInput(t, db, ev, closed, 1), models.ErrSalesClosed)
	try("too many", orderInput(t, db, ev, tt, 3), models.ErrTooManyAttendees)
	try("none", orderInput(t, db, ev, tt, 0), models.ErrNoAttendees)
	try("foreign session", orderInput(t, db, ev, tt, 1, foreignSession.ID), models.ErrInvalidSession)
	try("session without sign-up", orderInput(t, db, ev, tt, 1, noSignup.ID), models.ErrInvalidSession)
	bad := orderInput(t, db, ev, tt, 1)
	bad.Attendees[0].ConsentTextIDs = nil
	var ve *models.ValidationError
	if _, err := models.PlaceOrder(db, bad); !errors.As(err, &ve) || ve.Problems[0].Field != "attendees.0.consents.privacy" {
		t.Errorf("missing consent: %v", err)
	}
	db.Model(ev).Update("registration_closes_at", past)
	try("window closed", orderInput(t, db, ev, tt, 1), models.ErrEventNotOpen)
	db.Model(ev).Updates(map[string]any{"registration_closes_at": nil, "status": models.StatusCancelled})
	try("cancelled event", orderInput(t, db, ev, tt, 1), models.ErrEventNotOpen)
	var n int64
	db.Model(&models.Order{}).Where("event_id = ?", ev.ID).Count(&n)
	if n != 1 {
		t.Fatalf("orders saved = %d, want only the unlocked one", n)
	}
}

func TestOrderStoresAttendeesAnswersConsentsAndMail(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 2)
	s := signupSession(t, db, ev.ID, 3)
	q := models.Question{EventID: ev.ID, Kind: models.QuestionText, Label: "Diet", Sensitive: true}
	db.Create(&q)
	in := orderInput(t, db, ev, tt, 2, s.ID)
	in.Attendees[0].Answers = map[uint]string{q.ID: "  vegan "}
	in.Attendees[0].Needs = models.AccessNeeds{StepFree: true, Interpretation: "LSE"}
	o := place(t, db, in)
	if o.Status != models.OrderConfirmed || len(o.Code) != 8 || !models.LooksLikeSecret(o.Secret) || o.Reused {
		t.Fatalf("order: %+v", o)
	}
	got, err := models.OrderBySecret(db, o.Secret)
	if err != nil || len(got.Attendees) != 2 || got.Attendees[0].Answers[0].Value != "vegan" || !got.Attendees[0].Needs.StepFree {
		t.Fatalf("by secret: %+v %v", got, err)
	}
	if got.Attendees[0].Category != models.CategoryPatientCitizen || got.Attendees[1].Position != 2 {
		t.Fatalf("attendee defaults: %+v", got.Attendees[1])
	}
	if _, err := models.OrderBySecret(db, o.Secret[:20]); err == nil {
		t.Fatal("truncated secret found an order")
	}
	cons, _ := models.AttendeeConsents(db, o.Attendees[0].ID)
	if len(cons) != 1 || cons[0].ConsentText.Kind != models.ConsentPrivacy || cons[0].ConsentText.Version != 1 {
		t.Fatalf("consents: %+v", cons)
	}
	var m models.OutboxMessage
	if err := db.Where("kind = ? AND ref_id = ?", models.MailOrderConfirmation, o.ID).Take(&m).Error; err != nil || m.To != "ana@example.org" || m.Language != "es" {
		t.Fatalf("confirmation mail: %+v %v", m, err)
	}
	if p := placesTaken(t, db, "sessions", s.ID); p != 2 {
		t.Fatalf("session places %d, want 2", p)
	}
}

func TestConsentVersionsAndWithdrawal(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 1)
	photos1, _ := models.SetConsentText(db, ev.ID, models.ConsentPhotos, "Photos may be taken.")
	in := orderInput(t, db, ev, tt, 1)
	in.Attendees[0].ConsentTextIDs = append(in.Attendees[0].ConsentTextIDs, photos1.ID)
	o := place(t, db, in)
	same, _ := models.SetConsentText(db, ev.ID, models.ConsentPhotos, " Photos may be taken. ")
	if same.ID != photos1.ID {
		t.Fatal("an unchanged text made a new version")
	}
	photos2, err := models.SetConsentText(db, ev.ID, models.ConsentPhotos, "Photos and video may be taken.")
	if err != nil || photos2.Version != 2 {
		t.Fatalf("new version: %+v %v", photos2, err)
	}
	cur, _ := models.CurrentConsentTexts(db, ev.ID)
	if len(cur) != 2 || cur[1].ID != photos2.ID {
		t.Fatalf("current texts: %+v", cur)
	}
	cons, _ := models.AttendeeConsents(db, o.Attendees[0].ID)
	if cons[1].ConsentText.Version != 1 {
		t.Fatalf("agreement moved to the new version: %+v", cons[1])
	}
	if err := models.Withdraw(db, o.Attendees[0].ID, cons[0].ID, time.Now()); !errors.Is(err, models.ErrConsentRequired) {
		t.Fatalf("withdraw privacy: %v", err)
	}
	if err := models.Withdraw(db, o.Attendees[0].ID+1000, cons[1].ID, time.Now()); err == nil {
		t.Fatal("withdrew someone else's consent")
	}
	if err := models.Withdraw(db, o.Attendees[0].ID, cons[1].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	cons, _ = models.AttendeeConsents(db, o.Attendees[0].ID)
	if cons[1].WithdrawnAt == nil {
		t.Fatal("not withdrawn")
	}
	if _, err := models.SetConsentText(db, ev.ID, "cookies", "x"); !errors.Is(err, models.ErrUnknownConsentKind) {
		t.Fatal(err)
	}
}

func TestUpdateSessionsAndAnswers(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 2)
	a := signupSession(t, db, ev.ID, 1)
	b := signupSession(t, db, ev.ID, 1)
	c := signupSession(t, db, ev.ID, 5)
	o := place(t, db, orderInput(t, db, ev, tt, 1, a.ID))
	o2 := place(t, db, orderInput(t, db, ev, tt, 1, b.ID))
	now := time.Now()
	if err := models.UpdateAttendeeSessions(db, o.Attendees[0].ID, []uint{b.ID, c.ID}, now); !errors.Is(err, models.ErrSessionFull{SessionID: b.ID}) {
		t.Fatalf("move to full session: %v", err)
	}
	if p := placesTaken(t, db, "sessions", a.ID); p != 1 {
		t.Fatal("failed change freed the old session")
	}
	if err := models.UpdateAttendeeSessions(db, o.Attendees[0].ID, []uint{c.ID}, now); err != nil {
		t.Fatal(err)
	}
	if placesTaken(t, db, "sessions", a.ID) != 0 || placesTaken(t, db, "sessions", c.ID) != 1 {
		t.Fatal("change did not move the place")
	}
	if err := models.UpdateAttendeeSessions(db, o2.Attendees[0].ID, []uint{a.ID}, now); err != nil {
		t.Fatalf("freed place not usable: %v", err)
	}
	if err := models.UpdateAttendeeSessions(db, o.Attendees[0].ID, []uint{999}, now); !errors.Is(err, models.ErrInvalidSession) {
		t.Fatal(err)
	}
	q := models.Question{EventID: ev.ID, Kind: models.QuestionText, Label: "Why", Required: true}
	db.Create(&q)
	var ve *models.ValidationError
	if err := models.UpdateAttendeeAnswers(db, o.Attendees[0].ID, map[uint]string{q.ID: " "}); !errors.As(err, &ve) || ve.Problems[0].Field != "answers."+itoa(q.ID) {
		t.Fatalf("empty required answer: %v", err)
	}
	if err := models.UpdateAttendeeAnswers(db, o.Attendees[0].ID, map[uint]string{q.ID: "because"}); err != nil {
		t.Fatal(err)
	}
	models.CancelOrder(db, o.ID, now)
	if err := models.UpdateAttendeeSessions(db, o.Attendees[0].ID, []uint{b.ID}, now); !errors.Is(err, models.ErrOrderNotActive) {
		t.Fatalf("change on cancelled order: %v", err)
	}
}

func TestAnonymiseKeepsCounts(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 5)
	tt := ticketType(t, db, ev.ID, 0, 0, 2)
	o := place(t, db, orderInput(t, db, ev, tt, 2))
	if err := models.AnonymiseAttendee(db, o.Attendees[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	var a models.Attendee
	db.Take(&a, o.Attendees[0].ID)
	if a.Name != models.AnonymisedName || a.Email != "" || a.AnonymisedAt == nil || a.Status != models.AttendeeActive {
		t.Fatalf("anonymised: %+v", a)
	}
	if p := placesTaken(t, db, "events", ev.ID); p != 2 {
		t.Fatalf("places %d, want 2", p)
	}
}

func TestCheckIn(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 2)
	one := place(t, db, orderInput(t, db, ev, tt, 1))
	two := place(t, db, orderInput(t, db, ev, tt, 2))
	other := openEvent(t, db, 0)
	now := time.Now()
	a, repeat, err := models.CheckIn(db, ev.ID, one.Attendees[0].QRSecret, now)
	if err != nil || repeat || a.ID != one.Attendees[0].ID || a.TicketType.ID != tt.ID {
		t.Fatalf("first scan: %v %v %v", a, repeat, err)
	}
	if _, repeat, err = models.CheckIn(db, ev.ID, " "+lower(one.Code)+" ", now); err != nil || !repeat {
		t.Fatalf("second check-in by code: %v %v", repeat, err)
	}
	if _, _, err := models.CheckIn(db, ev.ID, two.Code, now); !errors.Is(err, models.ErrAmbiguousCode) {
		t.Fatalf("ambiguous: %v", err)
	}
	if a, _, err := models.CheckIn(db, ev.ID, two.Code+"-2", now); err != nil || a.ID != two.Attendees[1].ID {
		t.Fatalf("code-2: %v %v", a, err)
	}
	if _, _, err := models.CheckIn(db, other.ID, one.Attendees[0].QRSecret, now); !errors.Is(err, models.ErrNotCheckedIn) {
		t.Fatalf("other event: %v", err)
	}
	for _, junk := range []string{"", "x", "ZZZZZZZZ", two.Code + "-x", two.Code + "-9"} {
		if _, _, err := models.CheckIn(db, ev.ID, junk, now); !errors.Is(err, models.ErrNotCheckedIn) {
			t.Fatalf("junk %q: %v", junk, err)
		}
	}
	models.CancelAttendee(db, two.Attendees[0].ID, now)
	if _, _, err := models.CheckIn(db, ev.ID, two.Attendees[0].QRSecret, now); !errors.Is(err, models.ErrAttendeeNotActive) {
		t.Fatalf("cancelled attendee: %v", err)
	}
	if a, _, err := models.CheckIn(db, ev.ID, two.Code, now); err != nil || a.ID != two.Attendees[1].ID {
		t.Fatalf("code with one active left: %v %v", a, err)
	}
}

func TestConfirmOrderIsIdempotent(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	paid := ticketType(t, db, ev.ID, 2, 1000, 1)
	o := place(t, db, orderInput(t, db, ev, paid, 1))
	for i := 0; i < 3; i++ {
		c, err := models.ConfirmOrder(db, o.ID, time.Now())
		if err != nil || c.Status != models.OrderConfirmed {
			t.Fatalf("confirm %d: %v", i, err)
		}
	}
	if n := outboxCount(t, db, models.MailOrderConfirmation); n != 1 {
		t.Fatalf("confirmation mails %d, want 1", n)
	}
	// Expired with room left: confirmed again, places retaken.
	o2 := place(t, db, orderInput(t, db, ev, paid, 1))
	if n, _ := models.ExpireHolds(db, time.Now().Add(time.Hour)); n != 1 {
		t.Fatal("hold did not expire")
	}
	if _, err := models.ConfirmOrder(db, o2.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("late payment with room: %v", err)
	}
	if p := placesTaken(t, db, "ticket_types", paid.ID); p != 2 {
		t.Fatalf("places %d, want 2", p)
	}
	models.CancelOrder(db, o.ID, time.Now())
	if _, err := models.ConfirmOrder(db, o.ID, time.Now()); !errors.Is(err, models.ErrOrderNotActive) {
		t.Fatalf("confirm cancelled: %v", err)
	}
}
