package app

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// regAdminSetup is an app with an owner of Org A, a published event with a
// registration fixture, and the owner's client signed in.
func regAdminSetup(t *testing.T) (*client, *gorm.DB, regFixture) {
	t.Helper()
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "care-forum", models.StatusPublished)
	fx := newRegFixture(t, db, e)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	t.Cleanup(func() { checkCounters(t, db) })
	return c, db, fx
}

func ticketValues(name, price, capacity string) url.Values {
	return url.Values{"name": {name}, "description": {"For people who care for someone"}, "price": {price}, "currency": {"EUR"},
		"capacity": {capacity}, "sales_start_at": {""}, "sales_end_at": {""}, "category": {models.CategoryCarer},
		"max_per_order": {"2"}, "position": {"1"}}
}

func TestTicketTypesCRUDAndBadInput(t *testing.T) {
	t.Setenv("STRIPE_SECRET_KEY", "")
	c, db, fx := regAdminSetup(t)
	base := fmt.Sprintf("/manage/events/%d/tickets", fx.Event.ID)

	r := c.get(base + "/new")
	mustStatus(t, r, http.StatusOK, "new ticket form")
	r = c.post(base, ticketValues("Carer pass", "25.50", "40"))
	mustStatus(t, r, http.StatusSeeOther, "create ticket type")
	var tt models.TicketType
	if err := db.Where("event_id = ? AND name = ?", fx.Event.ID, "Carer pass").Take(&tt).Error; err != nil {
		t.Fatal(err)
	}
	if tt.Price != 2550 || tt.Currency != "EUR" || tt.Capacity != 40 || tt.Category != models.CategoryCarer || tt.MaxPerOrder != 2 {
		t.Fatalf("stored %+v", tt)
	}
	r = c.get(base)
	mustContain(t, r.Body, "list", "Carer pass", "€25.50", "Paid tickets need Stripe: set STRIPE_SECRET_KEY")

	bad := []struct {
		name, field, msg string
		v                url.Values
	}{
		{"negative price", "price", "This cannot be negative", ticketValues("X", "-5", "1")},
		{"garbage price", "price", "Enter an amount such as 25", ticketValues("X", "free!", "1")},
		{"huge name", "name", "Please keep this under 200 characters", ticketValues(strings.Repeat("N", 5000), "1", "1")},
		{"garbage capacity", "capacity", "Please enter a whole number", ticketValues("X", "1", "many")},
	}
	window := ticketValues("Window", "0", "1")
	window.Set("sales_start_at", "2027-05-01T10:00")
	window.Set("sales_end_at", "2027-04-01T10:00")
	bad = append(bad, struct {
		name, field, msg string
		v                url.Values
	}{"window backwards", "sales_end_at", "Sales must close after they open", window})
	before := dbSnapshot(t, db)
	for _, b := range bad {
		c.get(base + "/new")
		r := c.post(base, b.v)
		mustStatus(t, r, http.StatusUnprocessableEntity, b.name)
		mustContain(t, r.Body, b.name, `id="f-`+b.field+`-error"`, b.msg, `value="`+b.v.Get("price")+`"`)
	}
	if dbSnapshot(t, db) != before {
		t.Fatal("a refused ticket form changed the database")
	}

	// Capacity cannot go below the places taken (the fixture sold one; add one more).
	placeRegistration(t, db, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Second", Email: "second@example.org"})
	edit := fmt.Sprintf("%s/%d/edit", base, fx.Ticket.ID)
	c.get(edit)
	r = c.post(edit, ticketValues("Citizen pass", "0", "1"))
	mustStatus(t, r, http.StatusUnprocessableEntity, "capacity below sold")
	mustContain(t, r.Body, "capacity below sold", "2 places are already taken", `value="Citizen pass"`)
	r = c.post(edit, ticketValues("Citizen pass", "0", "2"))
	mustStatus(t, r, http.StatusSeeOther, "capacity equal to sold")
	if got, _ := models.TicketTypeOf(db, fx.Event.ID, fx.Ticket.ID); got.Capacity != 2 || got.Name != "Citizen pass" {
		t.Fatalf("after edit: %+v", got)
	}

	// A sold type cannot be deleted; an unsold one can.
	c.get(base)
	r = c.post(fmt.Sprintf("%s/%d/delete", base, fx.Ticket.ID), nil)
	mustStatus(t, r, http.StatusSeeOther, "delete sold")
	mustContain(t, c.get(base).Body, "flash", "has registrations, so it cannot be deleted")
	if _, err := models.TicketTypeOf(db, fx.Event.ID, fx.Ticket.ID); err != nil {
		t.Fatal("the sold ticket type was deleted")
	}
	r = c.post(fmt.Sprintf("%s/%d/delete", base, tt.ID), nil)
	mustStatus(t, r, http.StatusSeeOther, "delete unsold")
	if _, err := models.TicketTypeOf(db, fx.Event.ID, tt.ID); err == nil {
		t.Fatal("the unsold ticket type is still there")
	}
	// Another event's ticket type through this event's URL is a 404.
	other := modeltest.Event(t, db, fx.Event.OrganizationID, "other-forum", models.StatusPublished)
	ot := &models.TicketType{EventID: other.ID, Name: "Other", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1}
	if err := models.CreateTicketType(db, ot); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, c.get(fmt.Sprintf("%s/%d/edit", base, ot.ID)), http.StatusNotFound, "foreign ticket type")
}

func TestQuestionsAndConsentVersions(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	base := fmt.Sprintf("/manage/events/%d", fx.Event.ID)

	c.get(base + "/questions")
	r := c.post(base+"/questions", url.Values{"kind": {"choice"}, "label": {"Lunch"}, "options": {"Fish"}, "position": {"2"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "choice with one option")
	mustContain(t, r.Body, "choice with one option", "at least two choices", `value="Lunch"`, ">Fish</textarea>")
	r = c.post(base+"/questions", url.Values{"kind": {"choice"}, "label": {"Lunch"}, "options": {"Fish\nVegetarian"}, "sensitive": {"1"}, "required": {"1"}})
	mustStatus(t, r, http.StatusSeeOther, "add question")
	var q models.Question
	if err := db.Where("event_id = ? AND label = ?", fx.Event.ID, "Lunch").Take(&q).Error; err != nil {
		t.Fatal(err)
	}
	if !q.Sensitive || !q.Required || len(q.OptionList()) != 2 {
		t.Fatalf("stored question %+v", q)
	}
	mustContain(t, c.get(base+"/questions").Body, "questions list", "Lunch", "Fish · Vegetarian", "sensitive")
	// An answered question is kept; an unanswered one can go.
	c.post(fmt.Sprintf("%s/questions/%d/delete", base, fx.Plain.ID), nil)
	if _, err := models.QuestionOf(db, fx.Event.ID, fx.Plain.ID); err != nil {
		t.Fatal("an answered question was deleted")
	}
	c.get(base + "/questions")
	c.post(fmt.Sprintf("%s/questions/%d/delete", base, q.ID), nil)
	if _, err := models.QuestionOf(db, fx.Event.ID, q.ID); err == nil {
		t.Fatal("the unanswered question was not deleted")
	}

	// Consent texts: a change is version 2; the attendee keeps version 1.
	r = c.get(base + "/consents")
	mustContain(t, r.Body, "consents page", "We keep your data for the event.", "Current version: 1")
	r = c.post(base+"/consents", url.Values{"kind": {"privacy"}, "body": {"We keep your data for one year."}})
	mustStatus(t, r, http.StatusSeeOther, "new privacy version")
	c.get(base + "/consents")
	c.post(base+"/consents", url.Values{"kind": {"privacy"}, "body": {"We keep your data for one year."}}) // unchanged: no v3
	r = c.get(base + "/consents")
	mustContain(t, r.Body, "history", "Current version: 2", "Version history (2)", "We keep your data for the event.")
	var n int64
	db.Model(&models.ConsentText{}).Where("event_id = ? AND kind = ?", fx.Event.ID, "privacy").Count(&n)
	if n != 2 {
		t.Fatalf("%d privacy versions, want 2", n)
	}
	rs, _ := models.AttendeeConsents(db, fx.Attendee.ID)
	if len(rs) != 1 || rs[0].ConsentText.Version != 1 {
		t.Fatalf("the attendee's consent moved: %+v", rs)
	}
	detail := c.get(fmt.Sprintf("%s/registrations/%d", base, fx.Attendee.ID))
	mustContain(t, detail.Body, "detail consents", "Privacy notice", "Version 1")
	// An empty privacy text is refused beside its own field, keeping the others.
	r = c.post(base+"/consents", url.Values{"kind": {"privacy"}, "body": {"  "}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "empty consent")
	mustContain(t, r.Body, "empty consent", `id="f-body-privacy-error"`)
}

func TestRegistrationsListSearchFiltersAndCounts(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	e := fx.Event
	clin := &models.TicketType{EventID: e.ID, Name: "Clinician pass", Currency: "EUR", Category: models.CategoryClinician, MaxPerOrder: 2}
	if err := models.CreateTicketType(db, clin); err != nil {
		t.Fatal(err)
	}
	o2 := placeRegistration(t, db, e, clin, models.AttendeeInput{Name: "Dr Pablo Ruiz", Email: "pablo@hospital.example", Organization: "Hospital Norte"},
		models.AttendeeInput{Name: "Dr Lucia 100% Sure", Email: "lucia@hospital.example"})
	o3 := placeRegistration(t, db, e, fx.Ticket, models.AttendeeInput{Name: "Tomás Quits", Email: "tomas@example.org"})
	if _, err := models.CancelOrder(db, o3.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := models.CheckIn(db, e.ID, o2.Code+"-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/manage/events/%d/registrations", e.ID)
	list := func(q string) string {
		t.Helper()
		r := c.get(base + q)
		mustStatus(t, r, http.StatusOK, "list "+q)
		return r.Body
	}
	names := []string{"Rosa Citizen", "Dr Pablo Ruiz", "Dr Lucia", "Tomás Quits"}
	expect := func(q string, want ...string) {
		t.Helper()
		body := list(q)
		for _, n := range names {
			in := false
			for _, w := range want {
				in = in || w == n
			}
			if strings.Contains(body, n) != in {
				t.Errorf("list %s: %q shown = %v, want %v", q, n, !in, in)
			}
		}
	}
	expect("", names...)
	expect("?q=pablo", "Dr Pablo Ruiz")
	expect("?q=HOSPITAL+norte", "Dr Pablo Ruiz")
	expect("?q=care+coop", "Rosa Citizen")
	expect("?q="+strings.ToLower(o2.Code)+"-2", "Dr Pablo Ruiz", "Dr Lucia")
	expect("?q=%25", "Dr Lucia") // a literal %, not a wildcard
	expect("?category=clinician", "Dr Pablo Ruiz", "Dr Lucia")
	expect(fmt.Sprintf("?ticket_type=%d", fx.Ticket.ID), "Rosa Citizen", "Tomás Quits")
	expect("?status=cancelled", "Tomás Quits")
	expect("?checked_in=yes", "Dr Pablo Ruiz")
	expect("?checked_in=no&category=clinician", "Dr Lucia")
	expect("?q=nobody-like-this")

	body := list("")
	st, _ := models.EventRegistrationStats(db, e.ID)
	if st.Total.Confirmed != 3 || st.Total.Cancelled != 1 || st.Total.CheckedIn != 1 || st.ByCategory[models.CategoryClinician].Confirmed != 2 {
		t.Fatalf("stats %+v", st.Total)
	}
	mustContain(t, body, "counts", "<dt>Confirmed</dt><dd>3</dd>", "<dt>Cancelled or expired</dt><dd>1</dd>",
		"<dt>Checked in</dt><dd>1</dd>", "<th scope=\"row\">Clinician pass</th><td>2</td><td>0</td><td>0</td><td>1</td>",
		"<th scope=\"row\">Patient or citizen</th><td>1</td><td>0</td><td>1</td><td>0</td>", "4 attendees found.")

	// Pages: 50 per page.
	bulk := &models.TicketType{EventID: e.ID, Name: "Bulk", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 50}
	if err := models.CreateTicketType(db, bulk); err != nil {
		t.Fatal(err)
	}
	var many []models.AttendeeInput
	for i := 0; i < 50; i++ {
		many = append(many, models.AttendeeInput{Name: fmt.Sprintf("Bulk Person %02d", i), Email: fmt.Sprintf("b%d@example.org", i)})
	}
	placeRegistration(t, db, e, bulk, many...)
	p1 := list("")
	mustContain(t, p1, "page 1", "54 attendees found.", "Page 1 of 2", `rel="next"`)
	p2 := list("?page=2")
	mustContain(t, p2, "page 2", "Page 2 of 2", "Rosa Citizen")
	if strings.Contains(p2, "Bulk Person 49") {
		t.Fatal("page 2 repeats page 1")
	}
}

// Owners and managers who are access coordinators see the details; check-in
// staff see the door flags only (access_view_test.go covers the members
// without the permission).
func TestSensitiveDataOnlyForCoordinatorsAndNeverAtTheDoor(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	app := c.app
	modeltest.Organizer(t, db, "Org A", "door@example.org", models.RoleCheckin)
	modeltest.Organizer(t, db, "Org A", "manager@example.org", models.RoleManager)
	modeltest.AccessCoordinator(t, db, "Org A", "owner@example.org", true)
	modeltest.AccessCoordinator(t, db, "Org A", "manager@example.org", true)
	base := fmt.Sprintf("/manage/events/%d", fx.Event.ID)
	detail := fmt.Sprintf("%s/registrations/%d", base, fx.Attendee.ID)
	secrets := []string{"insulin at noon", "no gluten", "needs a chair near the door", "Medication we should know about"}

	for _, who := range []*client{c, func() *client { m := newClient(t, app); m.signIn("manager@example.org"); return m }()} {
		r := who.get(detail)
		mustStatus(t, r, http.StatusOK, "detail")
		mustContain(t, r.Body, "detail for owner/manager", append(secrets, "home care", "Step-free access")...)
		csvBody := who.get(base + "/registrations.csv").Body
		mustContain(t, csvBody, "csv for owner/manager", secrets...)
	}

	door := newClient(t, app)
	door.signIn("door@example.org")
	gets, _ := registrationAdminURLs(fx)
	for _, u := range gets {
		r := door.get(u)
		want := http.StatusForbidden
		if strings.HasSuffix(u, "/checkin") {
			want = http.StatusOK
		}
		if r.Status != want {
			t.Errorf("check-in staff GET %s: %d, want %d", u, r.Status, want)
		}
		for _, s := range append(secrets, "rosa@example.org") {
			if strings.Contains(r.Body, s) {
				t.Errorf("check-in staff GET %s shows %q", u, s)
			}
		}
	}
	// At the door: the flags, never the details.
	door.get(base + "/checkin")
	r := door.post(base+"/checkin", url.Values{"code": {fx.Order.Code}})
	mustStatus(t, r, http.StatusOK, "door check-in")
	mustContain(t, r.Body, "door result", "Rosa Citizen", "Step-free access", "Dietary needs", "Checked in")
	for _, s := range secrets {
		if strings.Contains(r.Body, s) {
			t.Errorf("check-in result shows %q", s)
		}
	}
	// Check-in staff cannot act on registrations either.
	door.get(base + "/checkin")
	before := dbSnapshot(t, db)
	for _, p := range []string{detail + "/cancel", detail + "/anonymise", base + "/tickets", base + "/consents"} {
		if r := door.post(p, url.Values{"confirm": {"yes"}, "name": {"X"}, "kind": {"privacy"}, "body": {"x"}}); r.Status != http.StatusForbidden {
			t.Errorf("check-in staff POST %s: %d, want 403", p, r.Status)
		}
	}
	if dbSnapshot(t, db) != before {
		t.Fatal("check-in staff changed something")
	}
	// The event list leads check-in staff to the door, not to the overview.
	dash := door.get("/manage").Body
	mustContain(t, dash, "event list", `href="`+base+`/checkin"`)
	if strings.Contains(dash, base+"/registrations") || strings.Contains(dash, `href="`+base+`"`) {
		t.Error("the event list links check-in staff past the door")
	}
}

func TestCancelAndAnonymiseKeepCountsRight(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	e := fx.Event
	// Fill the ticket type and put someone on its waitlist.
	if err := db.Model(fx.Ticket).Update("capacity", 1).Error; err != nil {
		t.Fatal(err)
	}
	w, err := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: e.ID, TicketTypeID: &fx.Ticket.ID, Name: "Wanda Waits", Email: "wanda@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	detail := fmt.Sprintf("/manage/events/%d/registrations/%d", e.ID, fx.Attendee.ID)
	r := c.get(detail + "/cancel")
	mustStatus(t, r, http.StatusOK, "cancel confirmation page")
	mustContain(t, r.Body, "confirm page", "Cancel the registration of Rosa Citizen", `name="confirm" value="yes"`)
	// A post without the confirmation goes back to the question, changing nothing.
	r = c.post(detail+"/cancel", nil)
	mustStatus(t, r, http.StatusSeeOther, "unconfirmed cancel")
	if r.Location != detail+"/cancel" {
		t.Fatalf("unconfirmed cancel went to %q", r.Location)
	}
	if tt, _ := models.TicketTypeOf(db, e.ID, fx.Ticket.ID); tt.PlacesTaken != 1 {
		t.Fatalf("places taken %d after an unconfirmed cancel", tt.PlacesTaken)
	}
	c.get(detail + "/cancel")
	r = c.post(detail+"/cancel", url.Values{"confirm": {"yes"}})
	mustStatus(t, r, http.StatusSeeOther, "cancel")
	mustContain(t, c.get(detail).Body, "after cancel", "The registration was cancelled and the place freed.", "Cancelled")
	var a models.Attendee
	db.Take(&a, fx.Attendee.ID)
	if a.Status != models.AttendeeCancelled {
		t.Fatalf("attendee status %q", a.Status)
	}
	db.Take(w, w.ID)
	if w.Status != models.WaitlistOffered {
		t.Fatalf("the freed place did not go to the waitlist: %q", w.Status)
	}
	checkCounters(t, db)
	// The waitlist page shows the offer.
	mustContain(t, c.get(fmt.Sprintf("/manage/events/%d/registrations/waitlist", e.ID)).Body, "waitlist", "Wanda Waits", "Offered a place")

	// Anonymise a confirmed attendee: data gone, place and counts kept.
	o := placeRegistration(t, db, e, &models.TicketType{ID: mustTicket(t, db, e, "Open").ID},
		models.AttendeeInput{Name: "Ana Private", Email: "ana@example.org", Organization: "Secret Org",
			Needs: models.AccessNeeds{Companion: true}, Answers: map[uint]string{fx.Sensitive.ID: "epilepsy"}})
	before, _ := models.EventRegistrationStats(db, e.ID)
	ad := fmt.Sprintf("/manage/events/%d/registrations/%d", e.ID, o.Attendees[0].ID)
	mustContain(t, c.get(ad+"/anonymise").Body, "anonymise confirm", "Erase the personal data of Ana Private")
	r = c.post(ad+"/anonymise", url.Values{"confirm": {"yes"}})
	mustStatus(t, r, http.StatusSeeOther, "anonymise")
	body := c.get(ad).Body
	for _, s := range []string{"Ana Private", "ana@example.org", "Secret Org", "epilepsy"} {
		if strings.Contains(body, s) {
			t.Errorf("anonymised attendee still shows %q", s)
		}
	}
	after, _ := models.EventRegistrationStats(db, e.ID)
	if before.Total != after.Total || before.Waiting != after.Waiting || before.Offered != after.Offered {
		t.Fatalf("anonymising changed the counts: %+v -> %+v", before.Total, after.Total)
	}
	checkCounters(t, db)
	// Unknown actions and other events' attendees are 404s.
	mustStatus(t, c.get(ad+"/delete"), http.StatusNotFound, "unknown action")
	mustStatus(t, c.get(fmt.Sprintf("/manage/events/%d/registrations/999999", e.ID)), http.StatusNotFound, "unknown attendee")
}

// mustTicket creates an unlimited free ticket type of e.
func mustTicket(t *testing.T, db *gorm.DB, e *models.Event, name string) *models.TicketType {
	t.Helper()
	tt := &models.TicketType{EventID: e.ID, Name: name, Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 5}
	if err := models.CreateTicketType(db, tt); err != nil {
		t.Fatal(err)
	}
	return tt
}

func TestRegistrationsCSVExport(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	modeltest.AccessCoordinator(t, db, "Org A", "owner@example.org", true) // the full export
	e := fx.Event
	placeRegistration(t, db, e, fx.Ticket, models.AttendeeInput{Name: `Smith, "Jo"`, Email: "jo@example.org",
		Organization: "=HYPERLINK(\"http://evil.example\",\"click\")", Answers: map[uint]string{fx.Plain.ID: "line one\nline two"}},
		models.AttendeeInput{Name: "Zoë Ñandú", Email: "zoe@example.org", Organization: "+34 600 000 000", Answers: map[uint]string{fx.Plain.ID: "@SUM(1,2)"}})
	r := c.get(fmt.Sprintf("/manage/events/%d/registrations.csv", e.ID))
	mustStatus(t, r, http.StatusOK, "csv")
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="care-forum-registrations.csv"` {
		t.Fatalf("content disposition %q", cd)
	}
	if !strings.HasPrefix(r.Body, "\xEF\xBB\xBF") {
		t.Fatalf("no UTF-8 BOM: % x", r.Body[:8])
	}
	if !strings.Contains(r.Body, "\r\n") {
		t.Fatal("rows are not CRLF-terminated")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\xEF\xBB\xBF"))).ReadAll()
	if err != nil {
		t.Fatalf("the export is not valid CSV: %v", err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"Code", "Name", "E-mail", "Organization", "Ticket type", "Category", "Consent: Privacy notice",
		"Favourite topic", "Medication we should know about", "Step-free access", "Dietary needs", "Other needs"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("no column %q in %v", h, rows[0])
		}
	}
	byName := map[string][]string{}
	for _, row := range rows[1:] {
		byName[row[col["E-mail"]]] = row
	}
	jo, zoe, rosa := byName["jo@example.org"], byName["zoe@example.org"], byName["rosa@example.org"]
	if jo[col["Name"]] != `Smith, "Jo"` || jo[col["Favourite topic"]] != "line one\nline two" {
		t.Fatalf("quoting lost data: %q", jo)
	}
	if jo[col["Organization"]] != `'=HYPERLINK("http://evil.example","click")` || zoe[col["Organization"]] != "'+34 600 000 000" ||
		zoe[col["Favourite topic"]] != "'@SUM(1,2)" {
		t.Fatalf("formula guard: %q / %q", jo[col["Organization"]], zoe)
	}
	if zoe[col["Name"]] != "Zoë Ñandú" || zoe[col["Category"]] != "Patient or citizen" {
		t.Fatalf("UTF-8 text: %q", zoe)
	}
	if rosa[col["Medication we should know about"]] != "insulin at noon" || rosa[col["Step-free access"]] != "yes" ||
		rosa[col["Dietary needs"]] != "no gluten" || !strings.HasPrefix(rosa[col["Consent: Privacy notice"]], "version 1, ") {
		t.Fatalf("owner's export lacks details: %q", rosa)
	}
	if !strings.HasPrefix(rosa[col["Code"]], fx.Order.Code+"-1") {
		t.Fatalf("code %q", rosa[col["Code"]])
	}
	// The export helper leaves sensitive columns out when not allowed.
	as, _ := models.EventAttendeesForExport(db, e.ID)
	qs, _ := models.QuestionsOf(db, e.ID)
	body, err := writeRegistrationsCSV(registrationsExport{Event: e, Attendees: as, Questions: qs, L: newTranslator(mustBundle(t), "en")})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"insulin at noon", "no gluten", "Medication we should know about", "Dietary needs"} {
		if strings.Contains(string(body), s) {
			t.Errorf("export without the permission contains %q", s)
		}
	}
}

func mustBundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := loadBundle()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCheckInAtTheDoor(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	e := fx.Event
	page := fmt.Sprintf("/manage/events/%d/checkin", e.ID)
	r := c.get(page)
	mustStatus(t, r, http.StatusOK, "check-in page")
	mustContain(t, r.Body, "check-in page", `id="f-code"`, "/static/js/checkin.", "0 of 1 confirmed attendees checked in")
	if strings.Contains(r.Body, "<script>") {
		t.Fatal("inline script on the check-in page")
	}

	r = c.post(page, url.Values{"code": {"  " + strings.ToLower(fx.Order.Code) + "-1 "}})
	mustStatus(t, r, http.StatusOK, "first check-in")
	mustContain(t, r.Body, "first", "Checked in", "Rosa Citizen", fx.Ticket.Name, "Patient or citizen", "Step-free access", "1 of 1 confirmed")
	if strings.Contains(r.Body, `class="checkin-card checkin-repeat"`) {
		t.Fatal("first check-in warned of a repeat")
	}
	var a models.Attendee
	db.Take(&a, fx.Attendee.ID)
	if a.CheckedInAt == nil || a.CheckInCount != 1 {
		t.Fatalf("after first check-in: %+v", a)
	}
	// The QR code carries the attendee's secret: the second scan warns.
	c.get(page)
	r = c.post(page, url.Values{"code": {fx.Attendee.QRSecret}})
	mustStatus(t, r, http.StatusOK, "second check-in")
	first := a.CheckedInAt.In(e.Location()).Format("15:04")
	mustContain(t, r.Body, "second", "Already checked in at "+first, "Rosa Citizen")

	// Unknown, other events' and empty codes.
	other := modeltest.Event(t, db, e.OrganizationID, "spring-agora", models.StatusPublished)
	otx := newRegFixture(t, db, other)
	orgB, _ := modeltest.Organizer(t, db, "Org B", "b@example.org", models.RoleOwner)
	eb := modeltest.Event(t, db, orgB.ID, "b-forum", models.StatusPublished)
	bfx := newRegFixture(t, db, eb)
	for _, x := range []struct{ code, want string }{
		{"ZZZZZZZZ", "No ticket for this event has this code."},
		{fx.Order.Code + "-7", "No ticket for this event has this code."},
		{otx.Order.Code, "This ticket is for another event: Event spring-agora."},
		{otx.Attendee.QRSecret, "This ticket is for another event: Event spring-agora."},
		{bfx.Order.Code + "-1", "This ticket is for another event."},
		{strings.Repeat("A", 5000), "No ticket for this event has this code."},
	} {
		c.get(page)
		r := c.post(page, url.Values{"code": {x.code}})
		mustStatus(t, r, http.StatusUnprocessableEntity, "code "+x.code)
		mustContain(t, r.Body, "code "+x.code, x.want)
		if strings.Contains(r.Body, "b-forum") || strings.Contains(r.Body, "Rosa Citizen b-forum") {
			t.Fatalf("the door leaks another organization's event")
		}
	}
	var n int64
	db.Model(&models.Attendee{}).Where("event_id IN ? AND checked_in_at IS NOT NULL", []uint{other.ID, eb.ID}).Count(&n)
	if n != 0 {
		t.Fatal("a code of another event checked someone in")
	}
	c.get(page)
	r = c.post(page, url.Values{"code": {""}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "empty code")
	mustContain(t, r.Body, "empty code", `id="f-code-error"`, "Type or scan a ticket code.")
	// A cancelled registration is refused at the door.
	o := placeRegistration(t, db, e, fx.Ticket, models.AttendeeInput{Name: "Carl Cancelled", Email: "carl@example.org"})
	models.CancelOrder(db, o.ID, time.Now())
	c.get(page)
	mustContain(t, c.post(page, url.Values{"code": {o.Code + "-1"}}).Body, "cancelled", "The registration of Carl Cancelled is cancelled.")
}
