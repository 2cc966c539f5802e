package app

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// regEnv is an open event with two ticket types, three questions, four
// consent texts and two sessions with sign-up.
type regEnv struct {
	app interface {
		Test(*http.Request, ...int) (*http.Response, error)
	}
	db                   *gorm.DB
	ev                   *models.Event
	tt, small            models.TicketType
	qText, qChoice, qBox models.Question
	s1, s2               models.Session
	c                    *client
}

func newRegEnv(t *testing.T) *regEnv {
	t.Helper()
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "care-forum", models.StatusPublished)
	r := &regEnv{app: f, db: db, ev: ev, c: newClient(t, f)}
	r.tt = models.TicketType{EventID: ev.ID, Name: "Citizen ticket", Category: models.CategoryPatientCitizen, Capacity: 10, MaxPerOrder: 3}
	r.small = models.TicketType{EventID: ev.ID, Name: "Clinician ticket", Category: models.CategoryClinician, Capacity: 1, MaxPerOrder: 1, Position: 1}
	r.qText = models.Question{EventID: ev.ID, Kind: models.QuestionText, Label: "Your role", Required: true, Position: 1}
	r.qChoice = models.Question{EventID: ev.ID, Kind: models.QuestionChoice, Label: "Lunch", Position: 2}
	r.qChoice.SetOptions([]string{"Meat", "Vegetarian"})
	r.qBox = models.Question{EventID: ev.ID, Kind: models.QuestionCheckbox, Label: "Newsletter", Position: 3}
	r.s1 = models.Session{EventID: ev.ID, Title: "Co-creation: nights at home", Format: models.FormatAgora, StartsAt: ev.StartsAt, EndsAt: ev.StartsAt.Add(time.Hour), SignUp: true, Capacity: 2}
	r.s2 = models.Session{EventID: ev.ID, Title: "Workshop: carers", Format: models.FormatWorkshop, StartsAt: ev.StartsAt, EndsAt: ev.StartsAt.Add(time.Hour), SignUp: true, Capacity: 5}
	for _, x := range []any{&r.tt, &r.small, &r.qText, &r.qChoice, &r.qBox, &r.s1, &r.s2} {
		if err := db.Create(x).Error; err != nil {
			t.Fatalf("fixture: %v", err)
		}
	}
	for _, k := range models.ConsentKinds {
		if _, err := models.SetConsentText(db, ev.ID, k, "The "+k+" notice text, version one."); err != nil {
			t.Fatalf("consent: %v", err)
		}
	}
	t.Cleanup(func() {
		if err := models.CheckCounters(db); err != nil {
			t.Error(err)
		}
	})
	return r
}

func (r *regEnv) path() string { return "/events/" + r.ev.Slug + "/register" }

// form opens the register page for n attendees and fills a valid
// registration in which the contact registers other people ("someone_else"),
// each with their own name and e-mail.
func (r *regEnv) form(t *testing.T, ticket uint, n int) url.Values {
	t.Helper()
	res := r.c.get(fmt.Sprintf("%s?ticket=%d&count=%d", r.path(), ticket, n))
	if res.Status != 200 {
		t.Fatalf("register page: %d\n%s", res.Status, res.Body)
	}
	key := regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`).FindStringSubmatch(res.Body)
	if key == nil {
		t.Fatal("no idempotency key in the form")
	}
	v := url.Values{"ticket_type_id": {fmt.Sprint(ticket)}, "idempotency_key": {key[1]}, "buyer_name": {"Ana Buyer"}, "buyer_email": {"ana@example.org"},
		"someone_else": {"yes"}}
	for i := 0; i < n; i++ {
		p := fmt.Sprintf("attendees.%d.", i)
		v.Set(p+"name", fmt.Sprintf("Person %d", i+1))
		v.Set(p+"email", fmt.Sprintf("person%d@example.org", i+1))
		v.Set(p+fmt.Sprintf("answers.%d", r.qText.ID), "Carer")
		v.Set(p+"consents.privacy", "yes")
	}
	return v
}

func (r *regEnv) orders(t *testing.T) int64 {
	var n int64
	r.db.Model(&models.Order{}).Count(&n)
	return n
}

var orderLocation = regexp.MustCompile(`^/orders/([A-Za-z0-9_-]{43})\?welcome=1$`)

// register posts v and returns the new order's secret.
func (r *regEnv) register(t *testing.T, v url.Values) string {
	t.Helper()
	res := r.c.post(r.path(), v)
	m := orderLocation.FindStringSubmatch(res.Location)
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("register: status %d, location %q\n%s", res.Status, res.Location, res.Body)
	}
	return m[1]
}

func TestRegisterCompleteWithAnswersNeedsConsentsAndSession(t *testing.T) {
	r := newRegEnv(t)
	page := r.c.get(r.path())
	for _, want := range []string{"Citizen ticket", "Clinician ticket", "Places left: 1"} {
		if !strings.Contains(page.Body, want) {
			t.Fatalf("register page lacks %q", want)
		}
	}
	v := r.form(t, r.tt.ID, 1)
	for _, want := range []string{"The privacy notice text, version one.", "Co-creation: nights at home", "Places left: 2", "Step-free access", `name="attendees.0.consents.photos"`} {
		if !strings.Contains(r.c.get(fmt.Sprintf("%s?ticket=%d", r.path(), r.tt.ID)).Body, want) {
			t.Fatalf("attendee form lacks %q", want)
		}
	}
	v.Set(fmt.Sprintf("attendees.0.answers.%d", r.qChoice.ID), "Vegetarian")
	v.Set(fmt.Sprintf("attendees.0.answers.%d", r.qBox.ID), "yes")
	v.Set("attendees.0.organization", "Vallmar Carers")
	v.Set("attendees.0.needs.step_free", "yes")
	v.Set("attendees.0.needs.interpretation", "Spanish Sign Language")
	v.Set("attendees.0.needs.note", "A quiet room, please")
	v.Set("attendees.0.consents.research", "yes")
	v.Add("attendees.0.sessions", fmt.Sprint(r.s1.ID))
	secret := r.register(t, v)

	res := r.c.get("/orders/" + secret + "?welcome=1")
	if res.Status != 200 {
		t.Fatalf("order page: %d", res.Status)
	}
	for _, want := range []string{"You are registered", "data:image/svg", "Co-creation: nights at home", "Vegetarian", `<meta name="robots" content="noindex">`, "Spanish Sign Language"} {
		if !strings.Contains(res.Body, want) {
			t.Fatalf("order page lacks %q\n%s", want, res.Body)
		}
	}
	if res.Header.Get("Cache-Control") != "no-store" || res.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("secret page headers: %v", res.Header)
	}
	var o models.Order
	if err := r.db.Preload("Attendees.Answers").Where("secret = ?", secret).Take(&o).Error; err != nil {
		t.Fatal(err)
	}
	a := o.Attendees[0]
	if o.Status != models.OrderConfirmed || len(o.Attendees) != 1 || a.Name != "Person 1" || !a.Needs.StepFree || a.NeedsNote != "A quiet room, please" || len(a.Answers) != 3 {
		t.Fatalf("stored order wrong: %+v", o)
	}
	recs, _ := models.AttendeeConsents(r.db, a.ID)
	kinds := []string{}
	for _, rc := range recs {
		kinds = append(kinds, rc.ConsentText.Kind)
	}
	if strings.Join(kinds, ",") != "privacy,research" {
		t.Fatalf("consents = %v, want privacy and research only", kinds)
	}
	if ids, _ := models.AttendeeSessionIDs(r.db, a.ID); len(ids) != 1 || ids[0] != r.s1.ID {
		t.Fatalf("sessions = %v", ids)
	}
	var mails int64
	r.db.Model(&models.OutboxMessage{}).Where("kind = ? AND ref_id = ? AND to_addr = ?", models.MailOrderConfirmation, o.ID, "ana@example.org").Count(&mails)
	if mails != 1 {
		t.Fatalf("confirmation mails enqueued: %d", mails)
	}
}

func TestRegisterDelegationOfThree(t *testing.T) {
	r := newRegEnv(t)
	page := r.c.get(fmt.Sprintf("%s?ticket=%d&count=3", r.path(), r.tt.ID))
	if !strings.Contains(page.Body, `name="attendees.2.name"`) || strings.Contains(page.Body, `name="attendees.3.name"`) {
		t.Fatal("count=3 should render exactly three attendee blocks")
	}
	secret := r.register(t, r.form(t, r.tt.ID, 3))
	o, err := models.OrderBySecret(r.db, secret)
	if err != nil || len(o.Attendees) != 3 || o.Attendees[2].Name != "Person 3" || o.Attendees[2].Position != 3 {
		t.Fatalf("delegation order: %+v, %v", o, err)
	}
	body := r.c.get("/orders/" + secret).Body
	if strings.Count(body, "data:image/svg") != 3 || !strings.Contains(body, o.Code+"-3") {
		t.Fatal("order page should show three tickets with codes CODE-N")
	}
}

func TestRegisterBadInputKeepsInputAndSavesNothing(t *testing.T) {
	cases := []struct {
		name   string
		change func(r *regEnv, v url.Values)
		field  string // id of the error message element
		msg    string
		status int
	}{
		{"invalid e-mail", func(r *regEnv, v url.Values) { v.Set("buyer_email", "ana-at-example") }, "f-buyer_email-error", "an e-mail address like", 422},
		{"invalid attendee e-mail", func(r *regEnv, v url.Values) { v.Set("attendees.0.email", "x@y") }, "f-attendees.0.email-error", "an e-mail address like", 422},
		{"missing required answer", func(r *regEnv, v url.Values) { v.Del(fmt.Sprintf("attendees.0.answers.%d", r.qText.ID)) },
			"", "Please fill in this field.", 422},
		{"missing privacy consent", func(r *regEnv, v url.Values) { v.Del("attendees.0.consents.privacy") }, "f-attendees.0.consents.privacy-error", "agree to the privacy notice", 422},
		{"bad choice", func(r *regEnv, v url.Values) { v.Set(fmt.Sprintf("attendees.0.answers.%d", r.qChoice.ID), "Caviar") }, "", "choose one of the options", 422},
		{"too many attendees", func(r *regEnv, v url.Values) {
			for i := 1; i < 4; i++ {
				v.Set(fmt.Sprintf("attendees.%d.name", i), "Extra")
				v.Set(fmt.Sprintf("attendees.%d.email", i), "extra@example.org")
			}
		}, "f-attendees", "at most 3 people", 422},
		{"forged attendee index", func(r *regEnv, v url.Values) { v.Set("attendees.99999999.name", "X") }, "f-attendees", "at most 3 people", 422},
		{"tampered ticket type", func(r *regEnv, v url.Values) { v.Set("ticket_type_id", "987654") }, "f-ticket_type_id-error", "Please choose a ticket.", 422},
		{"tampered session", func(r *regEnv, v url.Values) { v.Add("attendees.0.sessions", "987654") }, "f-attendees.0.sessions-error", "not available", 422},
		{"junk session", func(r *regEnv, v url.Values) { v.Add("attendees.0.sessions", "<script>") }, "f-attendees.0.sessions-error", "not available", 422},
		{"name too long", func(r *regEnv, v url.Values) { v.Set("attendees.0.name", strings.Repeat("ñ", 201)) }, "f-attendees.0.name-error", "200 characters or fewer", 422},
		{"registration closed", func(r *regEnv, v url.Values) {
			past := time.Now().Add(-time.Hour)
			r.db.Model(&models.Event{}).Where("id = ?", r.ev.ID).Update("registration_closes_at", past)
		}, "", "Registration for this event is closed.", 422},
		{"cancelled event", func(r *regEnv, v url.Values) {
			r.db.Model(&models.Event{}).Where("id = ?", r.ev.ID).Update("status", models.StatusCancelled)
		}, "", "has been cancelled", 422},
		{"expired form (CSRF)", func(r *regEnv, v url.Values) { v.Set("_csrf", "forged") }, "", "This form had expired", 422},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRegEnv(t)
			v := r.form(t, r.tt.ID, 1)
			v.Set("attendees.0.organization", "Kept & <Typed>")
			v.Set("attendees.0.needs.easy_read", "yes")
			v.Set("attendees.0.consents.directory", "yes")
			tc.change(r, v)
			res := r.c.post(r.path(), v)
			if res.Status != tc.status {
				t.Fatalf("status %d, want %d\n%s", res.Status, tc.status, res.Body)
			}
			if !strings.Contains(res.Body, tc.msg) {
				t.Fatalf("page lacks message %q\n%s", tc.msg, res.Body)
			}
			if tc.field != "" && !strings.Contains(res.Body, `id="`+tc.field+`"`) {
				t.Fatalf("no message beside the field (%s)\n%s", tc.field, res.Body)
			}
			if tc.field != "" && tc.field != "f-attendees" && !strings.Contains(res.Body, `href="#`+strings.TrimSuffix(tc.field, "-error")+`"`) {
				t.Fatalf("error summary does not link to %s", tc.field)
			}
			if r.orders(t) != 0 {
				t.Fatal("an order was saved from bad input")
			}
			if strings.Contains(res.Body, `name="attendees.0.organization"`) {
				for _, kept := range []string{`value="Kept &amp; &lt;Typed&gt;"`, `name="attendees.0.needs.easy_read" type="checkbox" value="yes" checked`, `name="attendees.0.consents.directory" type="checkbox" value="yes" checked`} {
					if !strings.Contains(res.Body, kept) {
						t.Fatalf("input not kept: %s", kept)
					}
				}
			}
		})
	}
}

// A post above the app's 2 MB body limit gets the friendly "too large"
// page. It goes through a real listener: the limit is enforced while the
// server reads the request, which app.Test does not simulate.
func TestRegisterHugePostIsAFriendlyPage(t *testing.T) {
	var db *gorm.DB
	base := startServer(t, func(d *gorm.DB) {
		db = d
		org, _ := modeltest.Organizer(t, d, "Org A", "owner@example.org", models.RoleOwner)
		ev := modeltest.Event(t, d, org.ID, "care-forum", models.StatusPublished)
		d.Create(&models.TicketType{EventID: ev.ID, Name: "Ticket", MaxPerOrder: 1})
	})
	// Announce a 3 MB form and wait for the answer before sending it: the
	// server refuses on the Content-Length alone. (Sending the body first
	// races the server closing the connection, which can reset it before the
	// answer is read.)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /events/care-forum/register HTTP/1.1\r\nHost: agora.test\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", 3<<20)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "too large") {
		t.Fatalf("huge post: status %d\n%.500s", res.StatusCode, body)
	}
	// Fiber answers before any middleware runs; the page still carries the
	// security headers every other page has.
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("413 page without %s", h)
		}
	}
	var n int64
	db.Model(&models.Order{}).Count(&n)
	if n != 0 {
		t.Fatal("order saved from a huge post")
	}
}

func TestRegisterSameFormTwiceIsOneOrder(t *testing.T) {
	r := newRegEnv(t)
	v := r.form(t, r.tt.ID, 1)
	first := r.register(t, v)
	second := r.register(t, v)
	if first != second || r.orders(t) != 1 {
		t.Fatalf("double post: %s vs %s, %d orders", first, second, r.orders(t))
	}
}

func TestRegisterFullOffersTheWaitlist(t *testing.T) {
	r := newRegEnv(t)
	r.register(t, r.form(t, r.small.ID, 1))
	// The next person had the form open before the last place went.
	v := url.Values{"ticket_type_id": {fmt.Sprint(r.small.ID)}, "idempotency_key": {"second-person-key-0123456789"}, "buyer_name": {"Bea Late"},
		"buyer_email": {"bea@example.org"}, fmt.Sprintf("attendees.0.answers.%d", r.qText.ID): {"Nurse"}, "attendees.0.consents.privacy": {"yes"}}
	res := r.c.post(r.path(), v)
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "just sold out") || !strings.Contains(res.Body, `action="/events/care-forum/waitlist"`) {
		t.Fatalf("full ticket: status %d\n%s", res.Status, res.Body)
	}
	if !strings.Contains(res.Body, `value="Bea Late"`) || !strings.Contains(res.Body, `value="Nurse"`) {
		t.Fatal("input not kept when full")
	}
	res = r.c.post("/events/care-forum/waitlist", url.Values{"name": {"Bea Late"}, "email": {"bea@example.org"}, "ticket_type_id": {fmt.Sprint(r.small.ID)}})
	if res.Status != 200 || !strings.Contains(res.Body, "You are on the waitlist") {
		t.Fatalf("join waitlist: %d\n%s", res.Status, res.Body)
	}
	var w models.WaitlistEntry
	if err := r.db.Where("email = ?", "bea@example.org").Take(&w).Error; err != nil || w.TicketTypeID == nil || *w.TicketTypeID != r.small.ID {
		t.Fatalf("waitlist entry: %+v %v", w, err)
	}
	if res := r.c.post("/events/care-forum/waitlist", url.Values{"name": {""}, "email": {"nope"}}); res.Status != 422 || !strings.Contains(res.Body, `id="f-email-error"`) {
		t.Fatalf("bad waitlist form: %d", res.Status)
	}
}

func TestSelfServiceChangesAndCancel(t *testing.T) {
	r := newRegEnv(t)
	v := r.form(t, r.tt.ID, 1)
	v.Add("attendees.0.sessions", fmt.Sprint(r.s1.ID))
	v.Set("attendees.0.consents.photos", "yes")
	secret := r.register(t, v)
	o, _ := models.OrderBySecret(r.db, secret)
	at := o.Attendees[0]
	base := "/orders/" + secret

	// Change answers: a missing required answer is refused beside the field.
	edit := r.c.get(fmt.Sprintf("%s/attendees/%d", base, at.ID))
	if edit.Status != 200 || !strings.Contains(edit.Body, `value="Carer"`) {
		t.Fatalf("edit page: %d", edit.Status)
	}
	res := r.c.post(fmt.Sprintf("%s/attendees/%d/answers", base, at.ID), url.Values{fmt.Sprintf("answers.%d", r.qText.ID): {""}})
	if res.Status != 422 || !strings.Contains(res.Body, fmt.Sprintf(`id="f-answers.%d-error"`, r.qText.ID)) {
		t.Fatalf("empty required answer: %d\n%s", res.Status, res.Body)
	}
	res = r.c.post(fmt.Sprintf("%s/attendees/%d/answers", base, at.ID), url.Values{fmt.Sprintf("answers.%d", r.qText.ID): {"Patient"}})
	if res.Status != 303 {
		t.Fatalf("save answers: %d\n%s", res.Status, res.Body)
	}
	var ans models.Answer
	r.db.Where("attendee_id = ? AND question_id = ?", at.ID, r.qText.ID).Take(&ans)
	if ans.Value != "Patient" {
		t.Fatalf("answer = %q", ans.Value)
	}

	// Move from session 1 to session 2: the place moves.
	res = r.c.post(fmt.Sprintf("%s/attendees/%d/sessions", base, at.ID), url.Values{"sessions": {fmt.Sprint(r.s2.ID)}})
	if res.Status != 303 {
		t.Fatalf("save sessions: %d\n%s", res.Status, res.Body)
	}
	var s1, s2 models.Session
	r.db.Take(&s1, r.s1.ID)
	r.db.Take(&s2, r.s2.ID)
	if s1.PlacesTaken != 0 || s2.PlacesTaken != 1 {
		t.Fatalf("places after moving: s1 %d, s2 %d", s1.PlacesTaken, s2.PlacesTaken)
	}
	if err := models.CheckCounters(r.db); err != nil {
		t.Fatal(err)
	}
	if res := r.c.post(fmt.Sprintf("%s/attendees/%d/sessions", base, at.ID), url.Values{"sessions": {"424242"}}); res.Status != 422 {
		t.Fatalf("tampered session change: %d", res.Status)
	}

	// Withdraw the photos consent.
	recs, _ := models.AttendeeConsents(r.db, at.ID)
	var photos models.ConsentRecord
	for _, rc := range recs {
		if rc.ConsentText.Kind == models.ConsentPhotos {
			photos = rc
		}
	}
	r.c.get(base)
	if res := r.c.post(fmt.Sprintf("%s/attendees/%d/consents/%d/withdraw", base, at.ID, photos.ID), nil); res.Status != 303 {
		t.Fatalf("withdraw: %d", res.Status)
	}
	r.db.Take(&photos, photos.ID)
	if photos.WithdrawnAt == nil {
		t.Fatal("consent not withdrawn")
	}

	// Data and calendar.
	data := r.c.get(base + "/data.json")
	for _, want := range []string{`"name": "Person 1"`, "The photos notice text, version one.", `"withdrawn_at"`, "Workshop: carers", `"answer": "Patient"`} {
		if !strings.Contains(data.Body, want) {
			t.Fatalf("data.json lacks %s\n%s", want, data.Body)
		}
	}
	cal := r.c.get(base + "/calendar.ics")
	if !strings.Contains(cal.Body, "BEGIN:VCALENDAR") || !strings.Contains(cal.Body, "Workshop: carers") || strings.Contains(cal.Body, "nights at home") {
		t.Fatalf("calendar:\n%s", cal.Body)
	}
	checkICSLines(t, cal.Body) // CRLF, folded (feeds_test.go)

	// Someone else's attendee id under this order is not found.
	other := r.register(t, r.form(t, r.tt.ID, 1))
	oo, _ := models.OrderBySecret(r.db, other)
	if res := r.c.get(fmt.Sprintf("%s/attendees/%d", base, oo.Attendees[0].ID)); res.Status != 404 {
		t.Fatalf("foreign attendee: %d", res.Status)
	}

	// Cancel, with a confirmation step.
	if res := r.c.get(base + "/cancel"); res.Status != 200 || !strings.Contains(res.Body, "Yes, cancel my registration") {
		t.Fatalf("cancel page: %d", res.Status)
	}
	if res := r.c.post(base+"/cancel", nil); res.Status != 303 {
		t.Fatalf("cancel: %d", res.Status)
	}
	var tt models.TicketType
	r.db.Take(&tt, r.tt.ID)
	r.db.Take(&s2, r.s2.ID)
	if tt.PlacesTaken != 1 || s2.PlacesTaken != 0 {
		t.Fatalf("places not freed: ticket %d, session %d", tt.PlacesTaken, s2.PlacesTaken)
	}
	replay := r.c.get(base)
	if replay.Status != 200 || !strings.Contains(replay.Body, "This registration has been cancelled") || strings.Contains(replay.Body, "data:image/png") {
		t.Fatalf("replayed link of a cancelled order:\n%s", replay.Body)
	}
	for _, bad := range []string{base[:len(base)-5], "/orders/" + strings.Repeat("A", 43), "/orders/..%2F"} {
		if res := r.c.get(bad); res.Status != 404 || !strings.Contains(res.Body, "could not find") {
			t.Fatalf("%s: status %d", bad, res.Status)
		}
	}
}

func TestLostLinkSameAnswerEitherWay(t *testing.T) {
	r := newRegEnv(t)
	r.register(t, r.form(t, r.tt.ID, 1))
	r.c.get("/orders/lost?event=care-forum")
	known := r.c.post("/orders/lost", url.Values{"event": {"care-forum"}, "email": {"ana@example.org"}})
	unknown := r.c.post("/orders/lost", url.Values{"event": {"care-forum"}, "email": {"nobody@example.org"}})
	if known.Status != 200 || unknown.Status != 200 {
		t.Fatalf("status %d / %d", known.Status, unknown.Status)
	}
	strip := regexp.MustCompile(`name="_csrf" value="[^"]*"`)
	if strip.ReplaceAllString(known.Body, "") != strip.ReplaceAllString(unknown.Body, "") || !strings.Contains(known.Body, "If that address is registered") {
		t.Fatal("the answer differs for a known and an unknown address")
	}
	var n int64
	r.db.Model(&models.OutboxMessage{}).Where("kind = ?", models.MailOrderLink).Count(&n)
	if n != 1 {
		t.Fatalf("link mails: %d, want 1", n)
	}
	if res := r.c.post("/orders/lost", url.Values{"event": {"care-forum"}, "email": {"bad"}}); res.Status != 422 || !strings.Contains(res.Body, `id="f-email-error"`) {
		t.Fatalf("bad e-mail: %d", res.Status)
	}
}

func TestLostLinkIsRateLimited(t *testing.T) {
	r := newRegEnv(t)
	r.c.get("/orders/lost")
	last := 0
	for i := 0; i < defaultLinkLimit+1; i++ {
		last = r.c.post("/orders/lost", url.Values{"event": {"care-forum"}, "email": {"x@example.org"}}).Status
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("after %d requests: %d", defaultLinkLimit+1, last)
	}
}

func TestWaitlistOfferAccepted(t *testing.T) {
	r := newRegEnv(t)
	first := r.register(t, r.form(t, r.small.ID, 1))
	if _, err := models.JoinWaitlist(r.db, models.JoinWaitlistInput{EventID: r.ev.ID, TicketTypeID: &r.small.ID, Name: "Bea", Email: "bea@example.org"}); err != nil {
		t.Fatal(err)
	}
	r.c.get("/orders/" + first)
	if res := r.c.post("/orders/"+first+"/cancel", nil); res.Status != 303 {
		t.Fatalf("cancel: %d", res.Status)
	}
	var w models.WaitlistEntry
	r.db.Where("email = ?", "bea@example.org").Take(&w)
	if w.OfferSecret == nil {
		t.Fatal("no offer made")
	}
	path := "/waitlist/" + *w.OfferSecret
	page := r.c.get(path)
	if page.Status != 200 || !strings.Contains(page.Body, "Take the place") || page.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("offer page: %d", page.Status)
	}
	res := r.c.post(path, url.Values{fmt.Sprintf("attendees.0.answers.%d", r.qText.ID): {"Doctor"}})
	if res.Status != 422 || !strings.Contains(res.Body, "agree to the privacy notice") {
		t.Fatalf("offer without consent: %d\n%s", res.Status, res.Body)
	}
	res = r.c.post(path, url.Values{fmt.Sprintf("attendees.0.answers.%d", r.qText.ID): {"Doctor"}, "attendees.0.consents.privacy": {"yes"}})
	if res.Status != 303 || !orderLocation.MatchString(res.Location) {
		t.Fatalf("accept: %d %s\n%s", res.Status, res.Location, res.Body)
	}
	if page := r.c.get(path); !strings.Contains(page.Body, "already been used") {
		t.Fatal("a used offer should say so")
	}
	if res := r.c.get("/waitlist/short"); res.Status != 404 {
		t.Fatalf("truncated offer: %d", res.Status)
	}
}

func TestEventPageHasRegisterCallToAction(t *testing.T) {
	r := newRegEnv(t)
	if body := r.c.get("/events/care-forum").Body; !strings.Contains(body, `href="/events/care-forum/register"`) {
		t.Fatal("no register link on the event page")
	}
	r.db.Model(&models.Event{}).Where("id = ?", r.ev.ID).Update("registration_opens_at", time.Now().Add(48*time.Hour))
	if body := r.c.get(r.path()).Body; !strings.Contains(body, "Registration opens on") {
		t.Fatal("register page should say when registration opens")
	}
}

// A form with one error shows one message, beside its field: no other
// field gets an empty error paragraph (screen readers announce them), and
// an over-long access-needs note is reported beside the note.
func TestRegisterErrorsOnlyBesideTheFieldsInError(t *testing.T) {
	r := newRegEnv(t)
	v := r.form(t, r.tt.ID, 1)
	v.Set("attendees.0.needs.note", strings.Repeat("n", 2001))
	res := r.c.post(r.path(), v)
	mustStatus(t, res, http.StatusUnprocessableEntity, "long note")
	mustContain(t, res.Body, "long note", `id="f-attendees.0.needs.note-error"`)
	if empty := regexp.MustCompile(`<p class="field-error"[^>]*>\s*</p>`).FindAllString(res.Body, -1); len(empty) > 0 {
		t.Fatalf("%d empty error paragraphs, e.g. %s", len(empty), empty[0])
	}
}
