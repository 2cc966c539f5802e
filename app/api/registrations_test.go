package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/agora-events/agora/models"
)

// Every registrations endpoint works with its scope and no other, refuses
// a revoked or expired token, and treats another organization's event,
// order and attendee as not found.
func TestRegistrationEndpointsScopesTokensAndOrganizations(t *testing.T) {
	w := newRegWorld(t)
	mine := w.register(w.ev, w.tt, "ana@example.org")
	theirs := w.register(w.otherEv, w.otherTT, "bob@example.org")
	mineAt, theirAt := itoa(mine.Attendees[0].ID), itoa(theirs.Attendees[0].ID)
	n := 0
	type endpoint struct {
		method, path string
		body         func() any
		scope        string
		ok           int
		// foreign are the same request naming another organization's ids.
		foreign []string
	}
	newOrder := func() any { n++; return orderBody(w.tt, "new"+itoa(uint(n))+"@example.org") }
	patch := func() any { return map[string]any{"organization": "Clinic " + itoa(uint(n))} }
	other := "/api/v1/events/" + itoa(w.otherEv.ID)
	read, write := models.ScopeRegistrationsRead, models.ScopeRegistrationsWrite
	eps := []endpoint{
		{"GET", w.eventPath(w.ev, "/orders"), nil, read, 200, []string{other + "/orders"}},
		{"GET", w.eventPath(w.ev, "/orders/"+mine.Code), nil, read, 200, []string{other + "/orders/" + theirs.Code, w.eventPath(w.ev, "/orders/"+theirs.Code)}},
		{"GET", w.eventPath(w.ev, "/attendees"), nil, read, 200, []string{other + "/attendees"}},
		{"GET", w.eventPath(w.ev, "/attendees/"+mineAt), nil, read, 200, []string{other + "/attendees/" + theirAt, w.eventPath(w.ev, "/attendees/"+theirAt)}},
		{"POST", w.eventPath(w.ev, "/orders"), newOrder, write, 201, []string{other + "/orders"}},
		{"PATCH", w.eventPath(w.ev, "/attendees/"+mineAt), patch, write, 200, []string{other + "/attendees/" + theirAt, w.eventPath(w.ev, "/attendees/"+theirAt)}},
		{"POST", w.eventPath(w.ev, "/orders/"+mine.Code+"/cancel"), func() any { return map[string]any{} }, write, 200,
			[]string{other + "/orders/" + theirs.Code + "/cancel", w.eventPath(w.ev, "/orders/"+theirs.Code+"/cancel")}},
	}
	revoked := w.token(w.org.ID, models.APIScopes...)
	var tok models.APIToken
	w.db.Order("id DESC").Take(&tok)
	if _, err := models.RevokeAPIToken(w.db, w.org.ID, tok.ID, w.now, models.AuditEntry{Action: "api.token_revoked"}); err != nil {
		t.Fatal(err)
	}
	soon := w.now.Add(time.Minute)
	expiring, _, err := models.CreateAPIToken(w.db, models.NewAPITokenInput{OrganizationID: w.org.ID, Name: "soon", Scopes: models.APIScopes, ExpiresAt: &soon},
		models.AuditEntry{Action: "api.token_created"})
	if err != nil {
		t.Fatal(err)
	}
	body := func(e endpoint) any {
		if e.body == nil {
			return nil
		}
		return e.body()
	}
	for _, e := range eps {
		name := e.method + " " + e.path
		for _, scope := range models.APIScopes {
			if scope == e.scope {
				continue
			}
			if r := w.do(e.method, e.path, w.token(w.org.ID, scope), body(e)); r.Status != http.StatusForbidden {
				t.Errorf("%s with %s: %d %s", name, scope, r.Status, r.Body)
			}
		}
		if r := w.do(e.method, e.path, revoked, body(e)); r.Status != http.StatusUnauthorized {
			t.Errorf("%s with a revoked token: %d", name, r.Status)
		}
		for _, f := range e.foreign {
			if r := w.do(e.method, f, w.token(w.org.ID, e.scope), body(e)); r.Status != http.StatusNotFound {
				t.Errorf("%s naming another organization's ids (%s): %d %s", name, f, r.Status, r.Body)
			}
		}
		if r := w.do(e.method, e.path, w.token(w.org.ID, e.scope), body(e)); r.Status != e.ok {
			t.Errorf("%s with %s: %d %s", name, e.scope, r.Status, r.Body)
		}
	}
	w.now = soon.Add(time.Second)
	for _, e := range eps {
		if r := w.do(e.method, e.path, expiring, body(e)); r.Status != http.StatusUnauthorized {
			t.Errorf("%s %s with an expired token: %d", e.method, e.path, r.Status)
		}
	}
	// Nothing of the other organization changed.
	var o models.Order
	w.db.Preload("Attendees").Take(&o, theirs.ID)
	if o.Status != models.OrderConfirmed || o.Attendees[0].Organization != "Hospital" {
		t.Errorf("another organization's order changed: %s %q", o.Status, o.Attendees[0].Organization)
	}
}

// The API shows orders and people without their sensitive data: no access
// needs, no answers to sensitive questions, only that needs were given.
func TestOrdersAndAttendeesLeaveSensitiveDataOut(t *testing.T) {
	w := newRegWorld(t)
	o := w.register(w.ev, w.tt, "ana@example.org")
	tok := w.token(w.org.ID, models.ScopeRegistrationsRead)
	for _, path := range []string{"/orders", "/orders/" + strings.ToLower(o.Code), "/attendees", "/attendees/" + itoa(o.Attendees[0].ID)} {
		r := w.do("GET", w.eventPath(w.ev, path), tok, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", path, r.Status, r.Body)
		}
		body := string(r.Body)
		if strings.Contains(body, "SECRET") || strings.Contains(body, "Health condition") || strings.Contains(body, "step_free") {
			t.Errorf("%s shows sensitive data: %s", path, body)
		}
		if !strings.Contains(body, `"has_access_needs":true`) || !strings.Contains(body, "vegetarian") || !strings.Contains(body, o.Code+"-1") {
			t.Errorf("%s lacks what it shows: %s", path, body)
		}
	}
	r := w.do("GET", w.eventPath(w.ev, "/orders/"+o.Code), tok, nil)
	if r.JSON["status"] != "confirmed" || r.JSON["source"] != "online" || r.JSON["payment"].(map[string]any)["status"] != "none" {
		t.Errorf("order: %s", r.Body)
	}
}

// A registration made through the API follows the staff rule: a hidden
// ticket type is fine, no consent is recorded, a StaffOrder row and a
// change record name the token; problems come back beside their field.
func TestCreateOrderAsStaffWithFieldProblems(t *testing.T) {
	w := newRegWorld(t)
	hidden := w.ticketType(w.ev, "Guests", 0)
	w.db.Model(hidden).Update("hidden", true)
	if _, err := models.SetConsentText(w.db, w.ev.ID, models.ConsentPrivacy, "We keep your data."); err != nil {
		t.Fatal(err)
	}
	tok := w.token(w.org.ID, models.ScopeRegistrationsWrite)
	body := orderBody(hidden, "guest@example.org")
	body["attendees"] = []map[string]any{{"name": "Guest", "email": "guest@example.org", "answers": []map[string]any{{"question_id": w.diet.ID, "value": "none"}}}}
	r := w.do("POST", w.eventPath(w.ev, "/orders"), tok, body)
	if r.Status != http.StatusCreated || r.JSON["source"] != "complimentary" || r.JSON["status"] != "confirmed" {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	if loc := r.Header.Get("Location"); !strings.HasSuffix(loc, "/api/v1/events/"+itoa(w.ev.ID)+"/orders/"+r.JSON["code"].(string)) {
		t.Errorf("Location %q", loc)
	}
	var o models.Order
	w.db.Preload("Attendees.Answers").Where("code = ?", r.JSON["code"]).Take(&o)
	var consents, changes int64
	w.db.Model(&models.ConsentRecord{}).Where("attendee_id = ?", o.Attendees[0].ID).Count(&consents)
	w.db.Model(&models.RegistrationChange{}).Where("order_id = ? AND action = ? AND user_name = ?", o.ID, models.ChangeRegistered, "API token test").Count(&changes)
	if consents != 0 || changes != 1 || len(o.Attendees[0].Answers) != 1 {
		t.Errorf("consents %d, change records %d, answers %d", consents, changes, len(o.Attendees[0].Answers))
	}
	var mails int64
	w.db.Model(&models.OutboxMessage{}).Where("to_addr = ?", "guest@example.org").Count(&mails)
	quiet := orderBody(w.tt, "quiet@example.org")
	quiet["send_confirmation"] = false
	if r := w.do("POST", w.eventPath(w.ev, "/orders"), tok, quiet); r.Status != http.StatusCreated {
		t.Fatalf("create without mail: %d %s", r.Status, r.Body)
	}
	var quietMails int64
	w.db.Model(&models.OutboxMessage{}).Where("to_addr = ?", "quiet@example.org").Count(&quietMails)
	if mails != 1 || quietMails != 0 {
		t.Errorf("confirmation mails: %d to the guest, %d when asked for none", mails, quietMails)
	}

	cases := []struct {
		name   string
		edit   func(map[string]any)
		status int
		loc    string
	}{
		{"bad e-mail", func(b map[string]any) { b["attendees"].([]map[string]any)[0]["email"] = "not-an-address" }, 422, "body.attendees[0].email"},
		{"blank buyer", func(b map[string]any) { b["buyer_name"] = "  " }, 422, "body.buyer_name"},
		{"too long", func(b map[string]any) { b["attendees"].([]map[string]any)[0]["name"] = strings.Repeat("a", 201) }, 422, "body.attendees[0].name"},
		{"other event's ticket type", func(b map[string]any) { b["ticket_type_id"] = w.otherTT.ID }, 422, "body.ticket_type_id"},
		{"sensitive answer", func(b map[string]any) {
			b["attendees"].([]map[string]any)[0]["answers"] = []map[string]any{{"question_id": w.health.ID, "value": "x"}}
		}, 422, "body.attendees[0].answers[0].question_id"},
		{"other event's question", func(b map[string]any) {
			b["attendees"].([]map[string]any)[0]["answers"] = []map[string]any{{"question_id": w.otherQuestion.ID, "value": "x"}}
		}, 422, "body.attendees[0].answers[0].question_id"},
		{"answer too long", func(b map[string]any) {
			b["attendees"].([]map[string]any)[0]["answers"] = []map[string]any{{"question_id": w.diet.ID, "value": strings.Repeat("x", 2001)}}
		}, 422, "body.attendees[0].answers[0].value"},
		{"invoice not taken", func(b map[string]any) { b["kind"] = "invoice" }, 422, "body.kind"},
		{"online payment without Stripe", func(b map[string]any) { b["kind"] = "paid" }, 422, "body.kind"},
		{"unknown language", func(b map[string]any) { b["language"] = "xx" }, 422, "body.language"},
		{"no people", func(b map[string]any) { b["attendees"] = []map[string]any{} }, 422, "body.attendees"},
	}
	for i, c := range cases {
		b := orderBody(w.tt, "case"+itoa(uint(i))+"@example.org")
		c.edit(b)
		r := w.do("POST", w.eventPath(w.ev, "/orders"), tok, b)
		if r.Status != c.status || !slices.Contains(r.errorLocations(), c.loc) || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %v %s", c.name, r.Status, r.errorLocations(), r.Body)
		}
	}
	var n int64
	w.db.Model(&models.Order{}).Where("event_id = ?", w.ev.ID).Count(&n)
	if n != 2 {
		t.Errorf("%d orders after refused requests, want 2", n)
	}
}

// PATCH changes what it names, keeps the rest (sensitive answers and needs
// too), records the change, and moves the attendee to the end of a
// changed_since sync.
func TestUpdateAttendeeAndChangedSince(t *testing.T) {
	w := newRegWorld(t)
	a := w.register(w.ev, w.tt, "ana@example.org")
	b := w.register(w.ev, w.tt, "bea@example.org")
	read := w.token(w.org.ID, models.ScopeRegistrationsRead)
	write := w.token(w.org.ID, models.ScopeRegistrationsWrite)
	if r := w.do("GET", w.eventPath(w.ev, "/attendees"), read, nil); len(r.items()) != 2 {
		t.Fatalf("attendees: %s", r.Body)
	}
	since := w.now.Add(time.Minute)
	w.now = since.Add(time.Second)
	if r := w.do("GET", w.eventPath(w.ev, "/attendees?changed_since="+since.Format(time.RFC3339Nano)), read, nil); len(r.items()) != 0 {
		t.Fatalf("nothing changed yet: %s", r.Body)
	}
	at := itoa(b.Attendees[0].ID)
	r := w.do("PATCH", w.eventPath(w.ev, "/attendees/"+at), write, map[string]any{"name": "Beatriz", "email": "beatriz@example.org", "answers": []map[string]any{{"question_id": w.diet.ID, "value": "vegan"}}})
	if r.Status != http.StatusOK || r.JSON["name"] != "Beatriz" || r.JSON["email"] != "beatriz@example.org" || r.JSON["organization"] != "Hospital" {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	var stored models.Attendee
	w.db.Preload("Answers").Take(&stored, b.Attendees[0].ID)
	answers := map[uint]string{}
	for _, an := range stored.Answers {
		answers[an.QuestionID] = an.Value
	}
	if answers[w.diet.ID] != "vegan" || answers[w.health.ID] != "SECRET-HEALTH" || stored.NeedsNote != "SECRET-NOTE" || !stored.Needs.StepFree {
		t.Errorf("stored after patch: %+v %v", stored, answers)
	}
	var buyer models.Order
	w.db.Take(&buyer, b.ID)
	if buyer.BuyerName != "Beatriz" || buyer.BuyerEmail != "beatriz@example.org" {
		t.Errorf("the buyer did not follow: %q %q", buyer.BuyerName, buyer.BuyerEmail)
	}
	var ch models.RegistrationChange
	if err := w.db.Where("attendee_id = ? AND action = ?", b.Attendees[0].ID, models.ChangeEdited).Take(&ch).Error; err != nil || ch.UserName != "API token test" {
		t.Errorf("change record: %v %+v", err, ch)
	}
	r = w.do("GET", w.eventPath(w.ev, "/attendees?changed_since="+since.Format(time.RFC3339Nano)), read, nil)
	if items := r.items(); len(items) != 1 || items[0]["id"] != float64(b.Attendees[0].ID) {
		t.Errorf("changed since: %s", r.Body)
	}
	// The order follows its buyer's new address, so an orders sync sees it
	// again too; the other order did not change.
	r = w.do("GET", w.eventPath(w.ev, "/orders?changed_since="+since.Format(time.RFC3339Nano)), read, nil)
	if items := r.items(); len(items) != 1 || items[0]["code"] != b.Code || items[0]["buyer_email"] != "beatriz@example.org" {
		t.Errorf("orders changed since: %s", r.Body)
	}
	if r := w.do("GET", w.eventPath(w.ev, "/orders?q="+a.Code), read, nil); len(r.items()) != 1 || r.items()[0]["code"] != a.Code {
		t.Errorf("orders by code: %s", r.Body)
	}
	if r := w.do("GET", w.eventPath(w.ev, "/attendees?q=BEATRIZ"), read, nil); len(r.items()) != 1 {
		t.Errorf("attendees by name: %s", r.Body)
	}

	r = w.do("PATCH", w.eventPath(w.ev, "/attendees/"+at), write, map[string]any{"email": "nope", "answers": []map[string]any{{"question_id": w.health.ID, "value": "x"}}})
	if r.Status != 422 || !slices.Contains(r.errorLocations(), "body.answers[0].question_id") {
		t.Errorf("sensitive answer: %d %s", r.Status, r.Body)
	}
	r = w.do("PATCH", w.eventPath(w.ev, "/attendees/"+at), write, map[string]any{"email": "nope", "name": ""})
	if r.Status != 422 || !slices.Contains(r.errorLocations(), "body.email") || !slices.Contains(r.errorLocations(), "body.name") {
		t.Errorf("invalid patch: %d %s", r.Status, r.Body)
	}
	if err := models.StaffAnonymiseAttendee(w.db, a.Attendees[0].ID, models.Actor{Name: "Staff"}, w.now, nil); err != nil {
		t.Fatal(err)
	}
	r = w.do("PATCH", w.eventPath(w.ev, "/attendees/"+itoa(a.Attendees[0].ID)), write, map[string]any{"organization": "Clinic"})
	if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "erased") {
		t.Errorf("patch of an erased person: %d %s", r.Status, r.Body)
	}
}

// Cancelling frees the places once and records who did it; a second call
// changes nothing; a refund of an order with nothing paid online is a clear
// conflict that changes nothing.
func TestCancelOrderThroughAPI(t *testing.T) {
	w := newRegWorld(t)
	o := w.register(w.ev, w.tt, "ana@example.org")
	write := w.token(w.org.ID, models.ScopeRegistrationsWrite)
	path := w.eventPath(w.ev, "/orders/"+o.Code+"/cancel")
	r := w.do("POST", path, write, map[string]any{"refund": true})
	if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "no online payment") {
		t.Errorf("refund of a free order: %d %s", r.Status, r.Body)
	}
	r = w.do("POST", path, write, nil)
	if r.Status != http.StatusOK || r.JSON["cancelled"] != true || r.JSON["order"].(map[string]any)["status"] != "cancelled" {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	r = w.do("POST", path, write, nil)
	if r.Status != http.StatusOK || r.JSON["cancelled"] != false {
		t.Errorf("second cancel: %d %s", r.Status, r.Body)
	}
	var tt models.TicketType
	w.db.Take(&tt, w.tt.ID)
	var changes int64
	w.db.Model(&models.RegistrationChange{}).Where("order_id = ? AND action = ?", o.ID, models.ChangeCancelled).Count(&changes)
	if tt.PlacesTaken != 0 || changes != 1 {
		t.Errorf("places %d, change records %d", tt.PlacesTaken, changes)
	}
}

// The document describes every registrations operation with its scope,
// and the types it answers with, field by field.
func TestRegistrationsInOpenAPIDocument(t *testing.T) {
	ta := newTestAPI(t)
	doc := ta.srv.OpenAPI()
	want := map[string]string{"list-orders": models.ScopeRegistrationsRead, "get-order": models.ScopeRegistrationsRead,
		"list-attendees": models.ScopeRegistrationsRead, "get-attendee": models.ScopeRegistrationsRead,
		"create-order": models.ScopeRegistrationsWrite, "update-attendee": models.ScopeRegistrationsWrite, "cancel-order": models.ScopeRegistrationsWrite}
	for _, item := range doc.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Patch} {
			if op == nil {
				continue
			}
			if scope, ok := want[op.OperationID]; ok {
				if got, _ := requiredScope(op); got != scope || op.Description == "" {
					t.Errorf("%s: scope %q, description %q", op.OperationID, got, op.Description)
				}
				delete(want, op.OperationID)
			}
		}
	}
	if len(want) != 0 {
		t.Errorf("missing operations: %v", want)
	}
	schemas := doc.Components.Schemas.Map()
	for _, name := range []string{"Order", "Attendee", "OrderPayment", "Answer", "Consent"} {
		s, ok := schemas[name]
		if !ok || len(s.Properties) == 0 {
			t.Errorf("schema %s missing", name)
		}
	}
	if d := schemas["Attendee"].Properties["has_access_needs"].Description; d == "" {
		t.Error("has_access_needs undocumented")
	}
}
