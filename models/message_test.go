package models_test

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// audienceWorld is an event whose registrants cover every audience filter.
type audienceWorld struct {
	ev                *models.Event
	patient, clinical *models.TicketType
	session           *models.Session
	first, second     *models.Order
}

// newAudienceWorld registers:
//   - order 1 (buyer ana@, Spanish): Ana and Ben, patient tickets, in the session;
//     Ben is checked in and takes part in meetings
//   - order 2 (buyer ANA@ in capitals, English): Ana again on a clinician ticket
//   - a delegate without an e-mail, a cancelled attendee, an anonymised one
//   - Wendy on the waiting list
func newAudienceWorld(t *testing.T, db *gorm.DB) audienceWorld {
	t.Helper()
	w := audienceWorld{ev: openEvent(t, db, 0)}
	w.patient = ticketType(t, db, w.ev.ID, 0, 0, 5)
	w.clinical = &models.TicketType{EventID: w.ev.ID, Name: "Clinician", Currency: "EUR", Category: models.CategoryClinician, MaxPerOrder: 5}
	if err := db.Create(w.clinical).Error; err != nil {
		t.Fatal(err)
	}
	w.session = signupSession(t, db, w.ev.ID, 0)
	pid := privacyID(t, db, w.ev.ID)
	person := func(name, email string, sessions ...uint) models.AttendeeInput {
		return models.AttendeeInput{Name: name, Email: email, ConsentTextIDs: []uint{pid}, SessionIDs: sessions}
	}
	w.first = place(t, db, models.PlaceOrderInput{EventID: w.ev.ID, TicketTypeID: w.patient.ID, BuyerName: "Ana", BuyerEmail: "ana@example.org",
		Language: "es", Attendees: []models.AttendeeInput{person("Ana", "ana@example.org", w.session.ID), person("Ben", "ben@example.org", w.session.ID)}})
	w.second = place(t, db, models.PlaceOrderInput{EventID: w.ev.ID, TicketTypeID: w.clinical.ID, BuyerName: "Ana", BuyerEmail: "ANA@example.org",
		Language: "en", Attendees: []models.AttendeeInput{person("Ana Again", "ANA@Example.org")}})
	noMail := place(t, db, models.PlaceOrderInput{EventID: w.ev.ID, TicketTypeID: w.patient.ID, BuyerName: "Buyer", BuyerEmail: "buyer@example.org",
		Attendees: []models.AttendeeInput{person("Buyer", "buyer@example.org"), person("Delegate", "delegate@example.org")}})
	if err := db.Model(&models.Attendee{}).Where("id = ?", noMail.Attendees[1].ID).Update("email", "").Error; err != nil {
		t.Fatal(err)
	}
	cancelled := place(t, db, models.PlaceOrderInput{EventID: w.ev.ID, TicketTypeID: w.patient.ID, BuyerName: "Carla", BuyerEmail: "carla@example.org",
		Attendees: []models.AttendeeInput{person("Carla", "carla@example.org")}})
	if _, err := models.CancelAttendee(db, cancelled.Attendees[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	anon := place(t, db, models.PlaceOrderInput{EventID: w.ev.ID, TicketTypeID: w.patient.ID, BuyerName: "Dan", BuyerEmail: "dan@example.org",
		Attendees: []models.AttendeeInput{person("Dan", "dan@example.org")}})
	if err := models.AnonymiseAttendee(db, anon.Attendees[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	ben := w.first.Attendees[1]
	if _, _, err := models.CheckIn(db, w.ev.ID, ben.QRSecret, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&models.MeetingParticipant{EventID: w.ev.ID, AttendeeID: ben.ID, Name: "Ben", Active: true, CalendarToken: models.NewSecret()}).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: w.ev.ID, Name: "Wendy", Email: "wendy@example.org", Language: "es", Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return w
}

func emails(rs []models.Recipient) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Email)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestMessageAudienceFilters: each filter reaches exactly its people, each
// e-mail address once, never a cancelled, anonymised or address-less one.
func TestMessageAudienceFilters(t *testing.T) {
	db, _ := regDB(t)
	w := newAudienceWorld(t, db)
	cases := []struct {
		name string
		f    models.AudienceFilter
		want string
	}{
		{"everyone confirmed", models.AudienceFilter{}, "ana@example.org ben@example.org buyer@example.org"},
		{"ticket type", models.AudienceFilter{TicketTypeID: w.clinical.ID}, "ana@example.org"},
		{"category", models.AudienceFilter{Category: models.CategoryClinician}, "ana@example.org"},
		{"session", models.AudienceFilter{SessionID: w.session.ID}, "ana@example.org ben@example.org"},
		{"checked in", models.AudienceFilter{CheckedIn: models.CheckedInYes}, "ben@example.org"},
		{"not checked in", models.AudienceFilter{CheckedIn: models.CheckedInNo}, "ana@example.org buyer@example.org"},
		{"meetings", models.AudienceFilter{Meetings: true}, "ben@example.org"},
		{"combined", models.AudienceFilter{SessionID: w.session.ID, CheckedIn: models.CheckedInNo}, "ana@example.org"},
		{"waitlist", models.AudienceFilter{Waitlist: true}, "wendy@example.org"},
		{"nobody", models.AudienceFilter{Meetings: true, CheckedIn: models.CheckedInNo}, ""},
	}
	for _, c := range cases {
		rs, err := models.MessageAudience(db, w.ev.ID, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := emails(rs); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		if n, _ := models.CountAudience(db, w.ev.ID, c.f); n != len(rs) {
			t.Errorf("%s: count %d, list %d", c.name, n, len(rs))
		}
	}
	// Ana's first registration wins: her order's link and its language;
	// Ben is not the buyer, so he gets no order link.
	rs, _ := models.MessageAudience(db, w.ev.ID, models.AudienceFilter{})
	for _, r := range rs {
		switch r.Email {
		case "ana@example.org":
			if r.OrderSecret != w.first.Secret || r.Language != "es" {
				t.Errorf("Ana: secret %q lang %q, want the first order's and es", r.OrderSecret, r.Language)
			}
		case "ben@example.org":
			if r.OrderSecret != "" {
				t.Errorf("Ben (not the buyer) got an order link")
			}
		}
	}
	// Another event's filters reach nobody here.
	other := openEvent(t, db, 0)
	if rs, _ := models.MessageAudience(db, other.ID, models.AudienceFilter{}); len(rs) != 0 {
		t.Errorf("other event reached %v", emails(rs))
	}
}

func queueMessage(t *testing.T, db *gorm.DB, eventID uint, f models.AudienceFilter) *models.Message {
	t.Helper()
	m := &models.Message{EventID: eventID, Language: "en", Subject: "Hello", Body: "Dear {name}", AltLanguage: "es",
		AltSubject: "Hola", AltBody: "Hola {name}", Audience: f.JSON(), SendKey: fmt.Sprintf("key-%d", slugSeq.Add(1)), SentByName: "Org"}
	if reused, err := models.QueueMessage(db, m, time.Now()); err != nil || reused {
		t.Fatalf("QueueMessage: %v %v", reused, err)
	}
	return m
}

// outboxOf lists the recipients' outbox rows of message id: address → language.
func outboxOf(t *testing.T, db *gorm.DB, id uint) map[string][]string {
	t.Helper()
	var rows []struct{ ToAddr, Language string }
	if err := db.Table("outbox_messages o").Joins("JOIN message_recipients r ON r.id = o.ref_id").
		Where("o.kind = ? AND r.message_id = ?", models.MailEventMessage, id).Select("o.to_addr, o.language").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.ToAddr] = append(out[r.ToAddr], r.Language)
	}
	return out
}

// TestExpandMessageOncePerPerson: expanding writes one outbox row per
// person in their version's language; expanding again, or a second click
// on send with the same key, adds nothing.
func TestExpandMessageOncePerPerson(t *testing.T) {
	db, _ := regDB(t)
	w := newAudienceWorld(t, db)
	m := queueMessage(t, db, w.ev.ID, models.AudienceFilter{})
	again := *m
	again.ID, again.Subject = 0, "Second click"
	if reused, err := models.QueueMessage(db, &again, time.Now()); err != nil || !reused || again.ID != m.ID {
		t.Fatalf("second click: reused %v id %d (want %d) err %v", reused, again.ID, m.ID, err)
	}
	for i := 0; i < 2; i++ {
		if _, err := models.ExpandQueuedMessages(db, time.Now(), 10); err != nil {
			t.Fatal(err)
		}
		if err := db.Model(&models.Message{}).Where("id = ?", m.ID).Update("state", models.MessageQueued).Error; err != nil {
			t.Fatal(err) // as if the run was cut short before it marked the message
		}
	}
	got := outboxOf(t, db, m.ID)
	want := map[string]string{"ana@example.org": "es", "ben@example.org": "es", "buyer@example.org": "en"}
	if len(got) != len(want) {
		t.Fatalf("outbox rows %v, want one each for %v", got, want)
	}
	for addr, lang := range want {
		if l := got[addr]; len(l) != 1 || l[0] != lang {
			t.Errorf("%s: rows %v, want one in %s", addr, l, lang)
		}
	}
	if _, err := models.ExpandMessage(db, m.ID, time.Now(), 0); err != nil {
		t.Fatal(err)
	}
	ms, err := models.MessagesOf(db, w.ev.ID)
	if err != nil || len(ms) != 1 {
		t.Fatalf("MessagesOf: %v %v", ms, err)
	}
	if ms[0].State != models.MessageExpanded || ms[0].Recipients != 3 || ms[0].Counts.Queued != 3 {
		t.Errorf("summary %+v", ms[0])
	}
}

// TestExpandMessageRace: four instances (connection pools) expand the same
// queued message at once, in small batches; every person ends with exactly
// one recipient row and one outbox row.
func TestExpandMessageRace(t *testing.T) {
	db, dsn := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 5)
	const people = 60
	pid := privacyID(t, db, ev.ID)
	for i := 0; i < people; i++ {
		email := fmt.Sprintf("person%d@example.org", i)
		place(t, db, models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "P", BuyerEmail: email,
			Attendees: []models.AttendeeInput{{Name: fmt.Sprintf("Person %d", i), Email: email, ConsentTextIDs: []uint{pid}}}})
	}
	m := queueMessage(t, db, ev.ID, models.AudienceFilter{})
	pools := append([]*gorm.DB{db}, extraPools(t, dsn, 3)...)
	var wg sync.WaitGroup
	errs := make([]error, len(pools))
	start := make(chan struct{})
	for i, p := range pools {
		wg.Add(1)
		go func(i int, p *gorm.DB) {
			defer wg.Done()
			<-start
			_, errs[i] = models.ExpandMessage(p, m.ID, time.Now(), 7)
		}(i, p)
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	got := outboxOf(t, db, m.ID)
	if len(got) != people {
		t.Fatalf("%d people have outbox rows, want %d", len(got), people)
	}
	for addr, rows := range got {
		if len(rows) != 1 {
			t.Errorf("%s: %d outbox rows", addr, len(rows))
		}
	}
	var n int64
	db.Model(&models.MessageRecipient{}).Where("message_id = ?", m.ID).Count(&n)
	if n != people {
		t.Errorf("%d recipient rows, want %d", n, people)
	}
}

func TestMessagePlaceholders(t *testing.T) {
	if got := models.UnknownPlaceholders("Hi {name}, see {nmae} and {nmae} at {event_link} {x y}"); strings.Join(got, ",") != "{nmae}" {
		t.Errorf("unknown: %v", got)
	}
	vals := map[string]string{"name": "*Ana* [x](javascript:alert(1))", "event_link": "https://agora.test/events/forum"}
	got := models.FillPlaceholders("Dear {name}, {event_link} {other}", vals)
	want := "Dear *Ana* [x](javascript:alert(1)), https://agora.test/events/forum {other}"
	if got != want {
		t.Errorf("filled:\n got %s\nwant %s", got, want)
	}
	if got := models.EscapeMarkdown(vals["name"]); got != `\*Ana\* \[x\]\(javascript:alert\(1\)\)` {
		t.Errorf("escaped: %q", got)
	}
	m := models.Message{Language: "en", Subject: "Hello", Body: "b", AltLanguage: "es", AltSubject: "Hola", AltBody: "c"}
	for lang, want := range map[string]string{"en": "Hello", "es": "Hola", "fr": "Hello", "": "Hello"} {
		if s, _, _ := m.Version(lang); s != want {
			t.Errorf("version %q: %q, want %q", lang, s, want)
		}
	}
}
