package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// reminderWorld is a published event (starting in ten days) with a session,
// networking and people registered in English and Spanish.
type reminderWorld struct {
	event   *models.Event
	tt      *models.TicketType
	session *models.Session
	privacy uint
}

func newReminderWorld(t *testing.T, db *gorm.DB) *reminderWorld {
	t.Helper()
	org, _ := modeltest.Organizer(t, db, "Health Cluster", "owner@example.org", models.RoleOwner)
	if err := models.SaveOrganizationContact(db, org.ID, "Forum team", "team@cluster.example.org"); err != nil {
		t.Fatal(err)
	}
	ev := modeltest.Event(t, db, org.ID, "forum-2027", models.StatusPublished)
	if err := db.Model(ev).Updates(map[string]any{"venue": "Palacio de Congresos", "address": "Calle Mayor 1, Valencia",
		"online_url": "https://stream.example.org/forum"}).Error; err != nil {
		t.Fatal(err)
	}
	privacy, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "Privacy text")
	if err != nil {
		t.Fatal(err)
	}
	tt := &models.TicketType{EventID: ev.ID, Name: "Citizen", Currency: "EUR", Category: models.CategoryPatientCitizen, MaxPerOrder: 3}
	if err := db.Create(tt).Error; err != nil {
		t.Fatal(err)
	}
	s := &models.Session{EventID: ev.ID, Title: "Agora on home care", Format: models.FormatAgora, SignUp: true, Capacity: 20,
		StartsAt: ev.StartsAt.Add(time.Hour), EndsAt: ev.StartsAt.Add(2 * time.Hour)}
	if err := db.Create(s).Error; err != nil {
		t.Fatal(err)
	}
	return &reminderWorld{event: ev, tt: tt, session: s, privacy: privacy.ID}
}

// order places a free (so confirmed) order for buyer with the attendees'
// e-mails, each signed up for the session.
func (w *reminderWorld) order(t *testing.T, db *gorm.DB, lang, buyer string, emails ...string) *models.Order {
	t.Helper()
	in := models.PlaceOrderInput{EventID: w.event.ID, TicketTypeID: w.tt.ID, BuyerName: "Buyer " + buyer, BuyerEmail: buyer, Language: lang}
	for i, e := range emails {
		in.Attendees = append(in.Attendees, models.AttendeeInput{Name: fmt.Sprintf("Person %d %s", i+1, e), Email: e,
			ConsentTextIDs: []uint{w.privacy}, SessionIDs: []uint{w.session.ID}})
	}
	o, err := models.PlaceOrder(db, in)
	if err != nil {
		t.Fatalf("PlaceOrder: %v", err)
	}
	return o
}

// dueNow is a moment inside the default reminder window (48 hours before).
func (w *reminderWorld) dueNow() time.Time { return w.event.StartsAt.Add(-24 * time.Hour) }

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

func mailWorker(t *testing.T, db *gorm.DB, id string, s mail.Sender) *mail.Worker {
	t.Helper()
	r, err := mail.NewRenderer(db, "https://agora.example.org")
	if err != nil {
		t.Fatal(err)
	}
	return &mail.Worker{DB: db, Sender: s, Renderer: r, InstanceID: id, Batch: 50, Log: quietLog()}
}

type mailpitSummary struct {
	ID      string
	Subject string
	To      []struct{ Address string }
	ReplyTo []struct{ Name, Address string }
}

func mailpitMessages(t *testing.T, api string) []mailpitSummary {
	t.Helper()
	var list struct{ Messages []mailpitSummary }
	resp, err := http.Get(api + "/api/v1/messages?limit=500")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	return list.Messages
}

// clearOutbox marks what registering queued (the confirmations) as sent,
// so the workers below only see the reminders.
func clearOutbox(t *testing.T, db *gorm.DB) {
	t.Helper()
	if err := db.Model(&models.OutboxMessage{}).Where("kind <> ?", models.MailEventReminder).
		Update("status", models.OutboxSent).Error; err != nil {
		t.Fatal(err)
	}
}

// The job sends each confirmed person one reminder through a real mailpit,
// in their language, with access details, sessions, meetings, QR tickets
// and the organizers as Reply-To; a second pass sends none; cancelled
// orders and people who registered after the reminder time get none.
func TestRemindersMailedOncePerPerson(t *testing.T) {
	smtpAddr, api := testenv.StartMailpit(t)
	db, _ := modeltest.NewDB(t)
	w := newReminderWorld(t, db)
	ana := w.order(t, db, "en", "ana@example.org", "ana@example.org", "noemail@example.org")
	// The second attendee has no address of their own: the buyer gets their ticket.
	if err := db.Model(&models.Attendee{}).Where("order_id = ? AND position = 2", ana.ID).Update("email", "").Error; err != nil {
		t.Fatal(err)
	}
	w.order(t, db, "en", "other-buyer@example.org", "ANA@example.org") // the same person again: one mail
	w.order(t, db, "es", "luis@example.org", "luis@example.org")
	cancelled := w.order(t, db, "en", "carla@example.org", "carla@example.org")
	if _, err := models.CancelOrder(db, cancelled.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	late := w.order(t, db, "en", "late@example.org", "late@example.org")
	if err := db.Model(late).Update("confirmed_at", w.event.StartsAt.Add(-30*time.Hour)).Error; err != nil {
		t.Fatal(err)
	}
	meetingBetween(t, db, w.event, "ana@example.org", "luis@example.org")
	clearOutbox(t, db)

	job := &Reminders{DB: db, Log: quietLog()}
	// Before the reminder time nothing is queued.
	if err := job.Run(context.Background(), w.event.StartsAt.Add(-72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := countReminders(t, db); n != 0 {
		t.Fatalf("%d reminders queued before their time", n)
	}
	if err := job.Run(context.Background(), w.dueNow()); err != nil {
		t.Fatal(err)
	}
	if n := countReminders(t, db); n != 2 {
		t.Fatalf("%d reminders queued, want 2 (ana, luis)", n)
	}
	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	mw := mailWorker(t, db, "mailpit", sender)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := mw.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	var got []mailpitSummary
	for deadline := time.Now().Add(10 * time.Second); len(got) < 2 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		got = mailpitMessages(t, api)
	}
	var to []string
	bySubject := map[string]mailpitSummary{}
	for _, m := range got {
		for _, a := range m.To {
			to = append(to, a.Address)
		}
		bySubject[m.Subject] = m
		if len(m.ReplyTo) != 1 || m.ReplyTo[0].Address != "team@cluster.example.org" || m.ReplyTo[0].Name != "Forum team" {
			t.Errorf("%s: Reply-To %+v, want Forum team <team@cluster.example.org>", m.Subject, m.ReplyTo)
		}
	}
	sort.Strings(to)
	if strings.Join(to, ",") != "ana@example.org,luis@example.org" {
		t.Fatalf("reminders went to %v", to)
	}
	en, ok := bySubject["See you soon: Event forum-2027"]
	if !ok {
		t.Fatalf("no English reminder among %v", got)
	}
	if _, ok := bySubject["Hasta pronto: Event forum-2027"]; !ok {
		t.Fatalf("no Spanish reminder among %v", got)
	}
	var msg struct {
		Text, HTML string
		Inline     []struct{ ContentType, ContentID string }
	}
	resp, err := http.Get(api + "/api/v1/message/" + en.ID)
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&msg)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Palacio de Congresos", "Calle Mayor 1, Valencia", "https://stream.example.org/forum",
		"Agora on home care", "Table 1", "with Person 1 luis@example.org", "/orders/" + ana.Secret, "team@cluster.example.org"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("reminder text lacks %q:\n%s", want, msg.Text)
		}
	}
	// Three tickets: ana's two orders and the attendee without an address.
	qr := 0
	for _, p := range msg.Inline {
		if p.ContentType == "image/png" && strings.Contains(msg.HTML, "cid:"+p.ContentID) {
			qr++
		}
	}
	if qr != 3 {
		t.Errorf("QR tickets in the reminder: %d, want 3", qr)
	}
	if !strings.Contains(msg.HTML, `href="mailto:team@cluster.example.org"`) {
		t.Error("the footer does not link the organizers' address")
	}

	// A second pass (and a restart: a fresh job) sends nothing more.
	if err := (&Reminders{DB: db}).Run(context.Background(), w.dueNow().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := countReminders(t, db); n != 2 {
		t.Fatalf("second pass: %d reminders, want still 2", n)
	}
	if n, err := mw.RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("second send: %d %v", n, err)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(mailpitMessages(t, api)); n != 2 {
		t.Fatalf("mailpit holds %d messages, want 2", n)
	}
}

func countReminders(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.OutboxMessage{}).Where("kind = ?", models.MailEventReminder).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// meetingBetween turns networking on and books a meeting at a table for
// the attendees with the two e-mail addresses.
func meetingBetween(t *testing.T, db *gorm.DB, ev *models.Event, a, b string) {
	t.Helper()
	if err := models.SaveNetworking(db, &models.NetworkingSetting{EventID: ev.ID, Enabled: true, RequestExpiryHours: 48}); err != nil {
		t.Fatal(err)
	}
	block := &models.MeetingBlock{EventID: ev.ID, StartsAt: ev.StartsAt.Add(3 * time.Hour), EndsAt: ev.StartsAt.Add(4 * time.Hour), SlotMinutes: 20}
	if err := db.Create(block).Error; err != nil {
		t.Fatal(err)
	}
	slot := &models.MeetingSlot{EventID: ev.ID, BlockID: block.ID, StartsAt: block.StartsAt, EndsAt: block.StartsAt.Add(20 * time.Minute)}
	if err := db.Create(slot).Error; err != nil {
		t.Fatal(err)
	}
	table := &models.MeetingLocation{EventID: ev.ID, Name: "Table 1"}
	if err := db.Create(table).Error; err != nil {
		t.Fatal(err)
	}
	var ids []uint
	for i, email := range []string{a, b} {
		var at models.Attendee
		if err := db.Where("event_id = ? AND email = ?", ev.ID, email).Order("id").First(&at).Error; err != nil {
			t.Fatal(err)
		}
		p := &models.MeetingParticipant{EventID: ev.ID, AttendeeID: at.ID, Name: at.Name, Active: true,
			CalendarToken: fmt.Sprintf("cal-token-%d-%d", ev.ID, i)}
		if err := db.Create(p).Error; err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	if _, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: ev.ID, SlotID: slot.ID, A: ids[0], B: ids[1],
		LocationID: table.ID, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := models.CheckMeetings(db); err != nil {
		t.Fatal(err)
	}
}

// recordingSender counts what each address was sent.
type recordingSender struct {
	mu   sync.Mutex
	sent map[string]int
}

func (s *recordingSender) Send(_ context.Context, m mail.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent[m.To]++
	return nil
}

// Two instances (two connection pools) queue and send the reminders at the
// same moment, again and again: each person gets exactly one.
func TestRemindersRacedByTwoInstancesSendOnePerPerson(t *testing.T) {
	db, dsn := modeltest.NewDB(t)
	w := newReminderWorld(t, db)
	const people = 12
	for i := 0; i < people; i++ {
		e := fmt.Sprintf("person%d@example.org", i)
		w.order(t, db, "en", e, e)
	}
	clearOutbox(t, db)
	other, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := other.DB(); err == nil {
			s.Close()
		}
	})
	sender := &recordingSender{sent: map[string]int{}}
	pools := []*gorm.DB{db, other}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i, pool := range pools {
		job := &Reminders{DB: pool}
		mw := mailWorker(t, pool, fmt.Sprintf("instance-%d", i), sender)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 4; round++ {
				// The job itself, without the runner's lease: the unique key alone must hold.
				if err := job.Run(context.Background(), w.dueNow().Add(time.Duration(round)*time.Minute)); err != nil {
					errs <- err
					return
				}
				if _, err := mw.RunOnce(context.Background()); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, pool := range pools {
		if _, err := mailWorker(t, pool, "drain", sender).RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(sender.sent) != people {
		t.Fatalf("%d people reminded, want %d: %v", len(sender.sent), people, sender.sent)
	}
	for to, n := range sender.sent {
		if n != 1 {
			t.Errorf("%s got %d reminders", to, n)
		}
	}
}

// A reminder queued before the organizers turned reminders off, or before
// the person cancelled, is not sent.
func TestQueuedReminderDroppedWhenTurnedOffOrCancelled(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	w := newReminderWorld(t, db)
	w.order(t, db, "en", "stays@example.org", "stays@example.org")
	gone := w.order(t, db, "en", "gone@example.org", "gone@example.org")
	clearOutbox(t, db)
	if err := (&Reminders{DB: db}).Run(context.Background(), w.dueNow()); err != nil {
		t.Fatal(err)
	}
	if n := countReminders(t, db); n != 2 {
		t.Fatalf("queued %d, want 2", n)
	}
	sender := &recordingSender{sent: map[string]int{}}
	// Turned off while queued: nothing goes out.
	if err := models.SaveEventMailSetting(db, &models.EventMailSetting{EventID: w.event.ID, RemindersEnabled: false, ReminderHours: 48}); err != nil {
		t.Fatal(err)
	}
	if _, err := mailWorker(t, db, "a", sender).RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(sender.sent) != 0 {
		t.Fatalf("sent while off: %v", sender.sent)
	}
	// On again with the rows still waiting (as if never sent), and one
	// person cancels before the worker gets to them.
	if err := models.SaveEventMailSetting(db, &models.EventMailSetting{EventID: w.event.ID, RemindersEnabled: true, ReminderHours: 48}); err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&models.OutboxMessage{}).Where("kind = ?", models.MailEventReminder).
		Updates(map[string]any{"status": models.OutboxPending, "sent_at": nil}).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := models.CancelOrder(db, gone.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	clearOutbox(t, db) // the cancellation notice
	if _, err := mailWorker(t, db, "b", sender).RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(sender.sent) != 1 || sender.sent["stays@example.org"] != 1 {
		t.Fatalf("sent %v, want one to stays@example.org and none to the cancelled order", sender.sent)
	}
}
