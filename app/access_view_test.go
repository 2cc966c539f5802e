package app

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// accessFixture is regAdminSetup's event with a research consent that Rosa
// gave, a manager, and check-in staff; the owner is not an access
// coordinator (owners are not coordinators by themselves).
type accessFixture struct {
	regFixture
	Owner, Manager, Door *client
	DB                   *gorm.DB
	Base, Detail         string
}

// The research consent's text: it appears only where a record of it is shown.
const researchText = "RESEARCH-CONSENT-TEXT we may study what you say"

// accessSecrets are what a member without the permission never sees.
var accessSecrets = []string{"insulin at noon", "no gluten", "needs a chair near the door", researchText}

// accessHeaders are the export's sensitive columns.
var accessHeaders = []string{"Medication we should know about", "Step-free access", "Interpretation", "Easy-read material",
	"Dietary needs", "Companion or carer place", "Other needs", "Consent: Research use"}

func newAccessFixture(t *testing.T) accessFixture {
	t.Helper()
	owner, db, fx := regAdminSetup(t)
	research, err := models.SetConsentText(db, fx.Event.ID, models.ConsentResearch, researchText)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&models.ConsentRecord{AttendeeID: fx.Attendee.ID, ConsentTextID: research.ID, GivenAt: time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	modeltest.Organizer(t, db, "Org A", "manager@example.org", models.RoleManager)
	modeltest.Organizer(t, db, "Org A", "door@example.org", models.RoleCheckin)
	signed := func(email string) *client { c := newClient(t, owner.app); c.signIn(email); return c }
	base := fmt.Sprintf("/manage/events/%d", fx.Event.ID)
	return accessFixture{regFixture: fx, Owner: owner, Manager: signed("manager@example.org"), Door: signed("door@example.org"), DB: db,
		Base: base, Detail: fmt.Sprintf("%s/registrations/%d", base, fx.Attendee.ID)}
}

// readCSV parses an export (without its BOM) into header and rows by e-mail.
func readCSV(t *testing.T, body string) ([]string, map[string]map[string]string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, utf8BOM))).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("not a CSV (%v): %q", err, body)
	}
	byEmail := map[string]map[string]string{}
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = row[i]
		}
		byEmail[m["E-mail"]] = m
	}
	return rows[0], byEmail
}

func mustNotContain(t *testing.T, body, what string, unwanted ...string) {
	t.Helper()
	for _, s := range unwanted {
		if strings.Contains(body, s) {
			t.Errorf("%s shows %q", what, s)
		}
	}
}

// A manager or an owner without the access coordinator permission sees that
// Rosa has needs, never which, nor her sensitive answer or research consent:
// on her page, in the edit form and in the export (no sensitive column).
func TestAccessNeedsOnlyForAccessCoordinators(t *testing.T) {
	fx := newAccessFixture(t)
	for who, c := range map[string]*client{"owner": fx.Owner, "manager": fx.Manager} {
		r := c.get(fx.Detail)
		mustStatus(t, r, http.StatusOK, who+" detail")
		mustContain(t, r.Body, who+" detail", "Rosa Citizen", "home care", "Has access needs — ask an access coordinator.",
			"Answers to sensitive questions are shown only to access coordinators.", "Research consents are shown only to access coordinators.")
		mustNotContain(t, r.Body, who+" detail", append(accessSecrets, "Medication we should know about", "Step-free access")...)

		r = c.get(fx.Detail + "/edit")
		mustStatus(t, r, http.StatusOK, who+" edit form")
		mustContain(t, r.Body, who+" edit form", `value="Rosa Citizen care-forum"`, "home care", "This person has access needs.")
		mustNotContain(t, r.Body, who+" edit form", append(accessSecrets, "Medication we should know about", `name="needs.`)...)

		r = c.get(fx.Base + "/registrations.csv")
		mustStatus(t, r, http.StatusOK, who+" csv")
		mustNotContain(t, r.Body, who+" csv", append(accessSecrets, accessHeaders...)...)
		header, rows := readCSV(t, r.Body)
		mustContain(t, strings.Join(header, "|"), who+" csv header", "Favourite topic", "Consent: Privacy notice",
			"Has access needs (ask an access coordinator)")
		if rosa := rows["rosa@example.org"]; rosa["Has access needs (ask an access coordinator)"] != "yes" || rosa["Favourite topic"] != "home care" {
			t.Errorf("%s csv: Rosa's row %v", who, rosa)
		}
	}

	// The permission shows it all, to a manager as to an owner.
	modeltest.AccessCoordinator(t, fx.DB, "Org A", "manager@example.org", true)
	r := fx.Manager.get(fx.Detail)
	mustContain(t, r.Body, "coordinator detail", append(accessSecrets, "Medication we should know about", "Step-free access", "Research use")...)
	mustNotContain(t, r.Body, "coordinator detail", "ask an access coordinator", "shown only to access coordinators")
	r = fx.Manager.get(fx.Detail + "/edit")
	mustContain(t, r.Body, "coordinator edit form", "insulin at noon", "no gluten", "needs a chair near the door", `name="needs.step_free"`)
	r = fx.Manager.get(fx.Base + "/registrations.csv")
	header, rows := readCSV(t, r.Body)
	mustContain(t, strings.Join(header, "|"), "coordinator csv header", accessHeaders...)
	mustNotContain(t, strings.Join(header, "|"), "coordinator csv header", "Has access needs")
	rosa := rows["rosa@example.org"]
	if rosa["Medication we should know about"] != "insulin at noon" || rosa["Dietary needs"] != "no gluten" ||
		rosa["Other needs"] != "needs a chair near the door" || !strings.HasPrefix(rosa["Consent: Research use"], "version 1, ") {
		t.Errorf("coordinator csv: Rosa's row %v", rosa)
	}

	// Check-in staff: the permission does not raise a role. The registration
	// pages stay closed; the door shows the flags only, as before.
	modeltest.AccessCoordinator(t, fx.DB, "Org A", "door@example.org", true)
	for _, u := range []string{fx.Detail, fx.Detail + "/edit", fx.Base + "/registrations.csv"} {
		r := fx.Door.get(u)
		mustStatus(t, r, http.StatusForbidden, "check-in staff "+u)
		mustNotContain(t, r.Body, "check-in staff "+u, accessSecrets...)
	}
	fx.Door.get(fx.Base + "/checkin")
	r = fx.Door.post(fx.Base+"/checkin", url.Values{"code": {fx.Order.Code}})
	mustStatus(t, r, http.StatusOK, "door check-in")
	mustContain(t, r.Body, "door result", "Rosa Citizen", "Step-free access", "Dietary needs")
	mustNotContain(t, r.Body, "door result", accessSecrets...)
}

// A staff edit by a member without the permission changes what they see
// and keeps the needs and sensitive answers stored, even when the post
// carries values for them.
func TestStaffEditWithoutPermissionKeepsNeeds(t *testing.T) {
	fx := newAccessFixture(t)
	fx.Manager.get(fx.Detail + "/edit")
	r := fx.Manager.post(fx.Detail+"/edit", url.Values{"name": {"Rosa Maria Citizen"}, "email": {"rosa@example.org"}, "organization": {"Care Coop"},
		fmt.Sprintf("answers.%d", fx.Plain.ID): {"telecare"}})
	mustStatus(t, r, http.StatusSeeOther, "edit without the needs fields")
	fx.Manager.get(fx.Detail + "/edit")
	r = fx.Manager.post(fx.Detail+"/edit", url.Values{"name": {"Rosa Maria Citizen"}, "email": {"rosa@example.org"}, "organization": {"Care Coop"},
		fmt.Sprintf("answers.%d", fx.Plain.ID): {"telecare"}, fmt.Sprintf("answers.%d", fx.Sensitive.ID): {"overwritten"},
		"needs.dietary": {"overwritten"}, "needs.note": {""}})
	mustStatus(t, r, http.StatusSeeOther, "edit with forged needs fields")
	var a models.Attendee
	if err := fx.DB.Preload("Answers").Take(&a, fx.Attendee.ID).Error; err != nil {
		t.Fatal(err)
	}
	answers := map[uint]string{}
	for _, an := range a.Answers {
		answers[an.QuestionID] = an.Value
	}
	if a.Name != "Rosa Maria Citizen" || answers[fx.Plain.ID] != "telecare" {
		t.Fatalf("the visible fields were not saved: %q %v", a.Name, answers)
	}
	if !a.Needs.StepFree || a.Needs.Dietary != "no gluten" || a.NeedsNote != "needs a chair near the door" || answers[fx.Sensitive.ID] != "insulin at noon" {
		t.Fatalf("a save without the permission changed the needs: %+v %q %v", a.Needs, a.NeedsNote, answers)
	}
}

// auditEntries returns the event's audit entries of action, oldest first.
func auditEntries(t *testing.T, db *gorm.DB, action string) []models.AuditEntry {
	t.Helper()
	var es []models.AuditEntry
	if err := db.Where("action = ?", action).Order("id").Find(&es).Error; err != nil {
		t.Fatal(err)
	}
	return es
}

// A coordinator's view of a registration's sensitive data and every export
// are in the audit log, without the person's data; views that show nothing
// sensitive are not.
func TestSensitiveViewsAndExportsAreAudited(t *testing.T) {
	fx := newAccessFixture(t)
	db := fx.DB
	// Without the permission nothing sensitive is shown: no view entry.
	fx.Manager.get(fx.Detail)
	fx.Manager.get(fx.Detail + "/edit")
	if es := auditEntries(t, db, models.AuditSensitiveViewed); len(es) != 0 {
		t.Fatalf("views without the permission were logged: %+v", es)
	}
	modeltest.AccessCoordinator(t, db, "Org A", "manager@example.org", true)
	mustStatus(t, fx.Manager.get(fx.Detail), http.StatusOK, "coordinator detail")
	mustStatus(t, fx.Manager.get(fx.Detail+"/edit"), http.StatusOK, "coordinator edit form")
	// Someone without needs, sensitive answers or research consent: nothing to log.
	plain := placeRegistration(t, db, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Pablo Plain", Email: "pablo@example.org"})
	mustStatus(t, fx.Manager.get(fmt.Sprintf("%s/registrations/%d", fx.Base, plain.Attendees[0].ID)), http.StatusOK, "plain detail")
	views := auditEntries(t, db, models.AuditSensitiveViewed)
	if len(views) != 2 {
		t.Fatalf("%d view entries, want 2 (page and edit form): %+v", len(views), views)
	}
	for _, e := range views {
		if e.Subject != fmt.Sprintf("attendee %d", fx.Attendee.ID) || e.ActorEmail != "manager@example.org" || e.EventID == nil ||
			*e.EventID != fx.Event.ID || e.OrganizationID != fx.Event.OrganizationID || !strings.Contains(e.Detail, fx.Order.Code) {
			t.Errorf("view entry %+v", e)
		}
	}
	mustContain(t, views[0].Detail+"|"+views[1].Detail, "view entries", "registration page", "edit form")

	// Exports: with and without the sensitive columns, and the meetings plan.
	mustStatus(t, fx.Owner.get(fx.Base+"/registrations.csv"), http.StatusOK, "owner csv")
	mustStatus(t, fx.Manager.get(fx.Base+"/registrations.csv"), http.StatusOK, "coordinator csv")
	mustStatus(t, fx.Manager.get(fx.Base+"/meetings/plan.csv"), http.StatusOK, "meetings plan csv")
	exports := auditEntries(t, db, models.AuditExport)
	if len(exports) != 3 {
		t.Fatalf("%d export entries, want 3: %+v", len(exports), exports)
	}
	if e := exports[0]; e.ActorEmail != "owner@example.org" || e.Detail != "registrations CSV: 2 rows, without sensitive columns" {
		t.Errorf("owner's export entry %+v", e)
	}
	if e := exports[1]; e.ActorEmail != "manager@example.org" || !strings.HasPrefix(e.Detail, "registrations CSV: 2 rows, with sensitive columns") {
		t.Errorf("coordinator's export entry %+v", e)
	}
	if e := exports[2]; e.Detail != "meetings plan CSV: 0 rows, without sensitive columns" {
		t.Errorf("meetings plan export entry %+v", e)
	}
	for _, e := range append(views, exports...) {
		mustNotContain(t, e.Subject+e.Detail+e.ActorEmail, "audit entry", append(accessSecrets, "Rosa", "rosa@example.org", "Medication")...)
	}
}

// An export or a view whose audit entry cannot be written is not served.
func TestNoExportWithoutItsAuditEntry(t *testing.T) {
	fx := newAccessFixture(t)
	modeltest.AccessCoordinator(t, fx.DB, "Org A", "owner@example.org", true)
	if err := fx.DB.Exec("DROP TABLE audit_entries").Error; err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{fx.Base + "/registrations.csv", fx.Base + "/meetings/plan.csv", fx.Detail, fx.Detail + "/edit"} {
		r := fx.Owner.get(u)
		mustStatus(t, r, http.StatusInternalServerError, u+" without its audit entry")
		mustNotContain(t, r.Body, u, append(accessSecrets, "rosa@example.org", "Rosa Citizen")...)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Errorf("%s was served as CSV", u)
		}
	}
}

// The registrations list filters by access needs for a coordinator only:
// for anyone else the filter is neither offered nor applied (the list would
// tell who has needs).
func TestNeedsFilterOnlyForCoordinators(t *testing.T) {
	fx := newAccessFixture(t)
	placeRegistration(t, fx.DB, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Pablo Plain", Email: "pablo@example.org"})
	placeRegistration(t, fx.DB, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Nora Note", Email: "nora@example.org", NeedsNote: "quiet room"})
	list := fx.Base + "/registrations"
	r := fx.Manager.get(list + "?needs=yes")
	mustStatus(t, r, http.StatusOK, "list")
	mustContain(t, r.Body, "list without the permission", "Rosa Citizen", "Pablo Plain", "Nora Note", "3 attendees found.")
	mustNotContain(t, r.Body, "list without the permission", `name="needs"`, "needs=yes")

	modeltest.AccessCoordinator(t, fx.DB, "Org A", "manager@example.org", true)
	mustContain(t, fx.Manager.get(list).Body, "coordinator's list", `name="needs"`)
	r = fx.Manager.get(list + "?needs=yes")
	mustContain(t, r.Body, "people with needs", "Rosa Citizen", "Nora Note", "2 attendees found.")
	mustNotContain(t, r.Body, "people with needs", "Pablo Plain")
	r = fx.Manager.get(list + "?needs=no")
	mustContain(t, r.Body, "people without needs", "Pablo Plain", "1 attendees found.")
	mustNotContain(t, r.Body, "people without needs", "Rosa Citizen", "Nora Note")
}
