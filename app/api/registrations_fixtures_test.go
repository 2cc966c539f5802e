package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// regWorld is an organization with a published event, a ticket type, a
// plain question and a sensitive one, and another organization with an
// event of its own.
type regWorld struct {
	*testAPI
	org, other    *models.Organization
	ev, otherEv   *models.Event
	tt, otherTT   *models.TicketType
	diet, health  *models.Question
	otherQuestion *models.Question
}

var worldSeq int

func newRegWorld(t *testing.T) *regWorld {
	t.Helper()
	ta := newTestAPI(t)
	worldSeq++
	w := &regWorld{testAPI: ta}
	if !models.IsPostgres(ta.db) {
		// As the site does: SQLite's registrations go through one batcher
		// (app.placeStaffOrder), one writer instead of many waiting for it.
		b := models.NewOrderBatcher(ta.db)
		t.Cleanup(b.Close)
		ta.srv.d.PlaceStaffOrder = b.PlaceStaffOrder
	}
	w.org, _ = modeltest.Organizer(t, ta.db, "Cluster", fmt.Sprintf("owner%d@example.org", worldSeq), models.RoleOwner)
	w.other, _ = modeltest.Organizer(t, ta.db, "Elsewhere", fmt.Sprintf("else%d@example.org", worldSeq), models.RoleOwner)
	w.ev = modeltest.Event(t, ta.db, w.org.ID, "forum", models.StatusPublished)
	w.otherEv = modeltest.Event(t, ta.db, w.other.ID, "theirs", models.StatusPublished)
	w.tt = w.ticketType(w.ev, "General", 0)
	w.otherTT = w.ticketType(w.otherEv, "Theirs", 0)
	w.diet = w.question(w.ev, "Diet", false)
	w.health = w.question(w.ev, "Health condition", true)
	w.otherQuestion = w.question(w.otherEv, "Their question", false)
	t.Cleanup(func() {
		if err := models.CheckCounters(ta.db); err != nil {
			t.Errorf("counters: %v", err)
		}
	})
	return w
}

func (w *regWorld) ticketType(ev *models.Event, name string, capacity int) *models.TicketType {
	w.t.Helper()
	tt := &models.TicketType{EventID: ev.ID, Name: name, Currency: "EUR", Category: models.CategoryClinician, MaxPerOrder: 5, Capacity: capacity}
	if err := models.CreateTicketType(w.db, tt); err != nil {
		w.t.Fatal(err)
	}
	return tt
}

func (w *regWorld) question(ev *models.Event, label string, sensitive bool) *models.Question {
	w.t.Helper()
	q := &models.Question{EventID: ev.ID, Kind: models.QuestionText, Label: label, Sensitive: sensitive}
	if err := w.db.Create(q).Error; err != nil {
		w.t.Fatal(err)
	}
	return q
}

// register places an order the way a person does on the site (with a
// sensitive answer and access needs), for the reads to show.
func (w *regWorld) register(ev *models.Event, tt *models.TicketType, email string) *models.Order {
	w.t.Helper()
	a := models.AttendeeInput{Name: "Ana " + email, Email: email, Organization: "Hospital", Needs: models.AccessNeeds{StepFree: true},
		NeedsNote: "SECRET-NOTE", Answers: map[uint]string{}}
	if ev.ID == w.ev.ID {
		a.Answers[w.diet.ID] = "vegetarian"
		a.Answers[w.health.ID] = "SECRET-HEALTH"
	}
	o, err := models.PlaceOrder(w.db, models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: a.Name, BuyerEmail: email,
		Language: "en", Attendees: []models.AttendeeInput{a}, Now: w.now})
	if err != nil {
		w.t.Fatalf("register: %v", err)
	}
	return o
}

func (w *regWorld) eventPath(ev *models.Event, rest string) string {
	return "/api/v1/events/" + itoa(ev.ID) + rest
}

// orderBody is a create-order request for one person.
func orderBody(tt *models.TicketType, email string) map[string]any {
	return map[string]any{"ticket_type_id": tt.ID, "buyer_name": "Buyer " + email, "buyer_email": email,
		"attendees": []map[string]any{{"name": "Person " + email, "email": email}}}
}

// send is do for goroutines: it reports a failure as an error instead of
// stopping the test.
func (ta *testAPI) send(method, path, tok string, body any, headers ...string) (apiResponse, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return apiResponse{}, err
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := ta.app.Test(req, 60_000)
	if err != nil {
		return apiResponse{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := apiResponse{Status: resp.StatusCode, Header: resp.Header, Body: b}
	_ = json.Unmarshal(b, &out.JSON)
	return out, nil
}

// errorLocations lists the locations of a problem's details.
func (r apiResponse) errorLocations() []string {
	var out []string
	errs, _ := r.JSON["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			loc, _ := m["location"].(string)
			out = append(out, loc)
		}
	}
	return out
}
