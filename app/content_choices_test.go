package app

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// registerWithChoice registers one person (lang "" = the default) who
// picks choice value on question qid, and returns the order page's path.
func registerWithChoice(t *testing.T, r *regEnv, lang, email string, qid uint, value string) string {
	t.Helper()
	suffix := ""
	if lang != "" {
		suffix = "?lang=" + lang
	}
	amp := strings.Replace(suffix, "?", "&", 1)
	reg := r.c.get(fmt.Sprintf("%s?ticket=%d&count=1%s", r.path(), r.tt.ID, amp))
	mustStatus(t, reg, http.StatusOK, "register form "+lang)
	key := regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`).FindStringSubmatch(reg.Body)
	ct := consentTextField.FindStringSubmatch(reg.Body)
	if key == nil || ct == nil {
		t.Fatal("no idempotency key or consent version in the form")
	}
	v := url.Values{"ticket_type_id": {fmt.Sprint(r.tt.ID)}, "idempotency_key": {key[1]}, "buyer_name": {"Person"},
		"buyer_email": {email}, "attendees.0.name": {"Person"}, "attendees.0.email": {email},
		"attendees.0.answers." + fmt.Sprint(r.qText.ID): {"Carer"}, "attendees.0.answers." + fmt.Sprint(qid): {value},
		"attendees.0.consents.privacy": {"yes"}, "consent_text.privacy": {ct[1]}}
	res := r.c.post(r.path()+suffix, v)
	if res.Status != http.StatusSeeOther || !orderLocation.MatchString(res.Location) {
		t.Fatalf("register %s: %d %q\n%s", lang, res.Status, res.Location, res.Body)
	}
	return res.Location
}

// storedAnswer is the stored answer of the order's attendee to question qid.
func storedAnswer(t *testing.T, r *regEnv, email string, qid uint) string {
	t.Helper()
	var a models.Answer
	err := r.db.Joins("JOIN attendees ON attendees.id = answers.attendee_id").
		Where("attendees.email = ? AND answers.question_id = ?", email, qid).Take(&a).Error
	if err != nil {
		t.Fatal(err)
	}
	return a.Value
}

// A choice question's choices are written per language in the question
// form. A Greek visitor reads and picks a Greek choice; the stored answer
// is the same as an English visitor's same choice, so the CSV holds one
// value for both; the Greek order page shows the Greek choice. A choice
// without a Greek line falls back to English; changing or removing the
// translations (or the choice itself) never breaks the stored answers.
func TestChoicesTranslatedPerLanguageStoreOneAnswer(t *testing.T) {
	r := newRegEnv(t)
	writeGreekVersion(t, r)
	oc := newClient(t, r.app.(*fiber.App))
	oc.signIn("owner@example.org")
	qs := fmt.Sprintf("/manage/events/%d/questions", r.ev.ID)
	form := oc.get(qs)
	mustContain(t, form.Body, "question form", `<label for="f-options.el">Choices (Ελληνικά)</label>`)

	// Bad input is refused beside the Greek field, keeping what was typed.
	qv := url.Values{"kind": {"choice"}, "label": {"Main course"}, "label.el": {"Γεύμα"}, "options": {"Meat\nFish\nVegetarian"},
		"options.el": {"Κρέας\nΨάρι\nΧορτοφαγικό\nΕπιπλέον"}, "position": {"2"}}
	res := oc.post(qs, qv)
	mustStatus(t, res, http.StatusUnprocessableEntity, "too many Greek lines")
	mustContain(t, res.Body, "too many Greek lines", `id="f-options.el-error"`, `aria-describedby="f-options.el-error"`, "Επιπλέον</textarea>")
	qv.Set("options.el", "Κρέας\n"+strings.Repeat("ψ", maxQuestionOption+1))
	res = oc.post(qs, qv)
	mustStatus(t, res, http.StatusUnprocessableEntity, "too long Greek choice")
	mustContain(t, res.Body, "too long Greek choice", `id="f-options.el-error"`)
	qv.Set("options.el", "")
	qv.Set("options", "")
	res = oc.post(qs, qv)
	mustStatus(t, res, http.StatusUnprocessableEntity, "no choices")
	mustContain(t, res.Body, "no choices", `id="f-options-error"`, `value="Γεύμα"`)
	var n int64
	r.db.Model(&models.Question{}).Where("label = ?", "Main course").Count(&n)
	if n != 0 {
		t.Fatal("a rejected form saved a question")
	}

	// Vegetarian has no Greek line: it falls back to English.
	qv.Set("options", "Meat\nFish\nVegetarian")
	qv.Set("options.el", "Κρέας\nΨάρι")
	mustStatus(t, oc.post(qs, qv), http.StatusSeeOther, "save choice question in Greek")
	var q models.Question
	if err := r.db.Where("event_id = ? AND label = ?", r.ev.ID, "Main course").Take(&q).Error; err != nil {
		t.Fatal(err)
	}
	qedit := fmt.Sprintf("%s/%d/edit", qs, q.ID)
	mustContain(t, oc.get(qedit).Body, "edit form", "Κρέας\nΨάρι</textarea>")

	reg := r.c.get(fmt.Sprintf("%s?ticket=%d&count=1&lang=el", r.path(), r.tt.ID))
	mustContain(t, reg.Body, "Greek form", `<option value="Fish">Ψάρι</option>`, `<option value="Meat">Κρέας</option>`,
		`<option value="Vegetarian">Vegetarian</option>`)
	en := r.c.get(fmt.Sprintf("%s?ticket=%d&count=1", r.path(), r.tt.ID))
	mustContain(t, en.Body, "English form", `<option value="Fish">Fish</option>`)

	elOrder := registerWithChoice(t, r, "el", "eleni@example.org", q.ID, "Fish")
	registerWithChoice(t, r, "", "ann@example.org", q.ID, "Fish")
	if a, b := storedAnswer(t, r, "eleni@example.org", q.ID), storedAnswer(t, r, "ann@example.org", q.ID); a != b || a != "Fish" {
		t.Fatalf("stored answers %q (Greek) and %q (English), want both Fish", a, b)
	}
	mustContain(t, r.c.get(elOrder).Body, "Greek order page", "<dd>Ψάρι</dd>")

	csv := oc.get(qs[:len(qs)-len("/questions")] + "/registrations.csv")
	mustStatus(t, csv, http.StatusOK, "csv")
	if c := strings.Count(csv.Body, ",Fish"); c != 2 {
		t.Fatalf("CSV has Fish %d times, want 2:\n%s", c, csv.Body)
	}
	oc.lang = "el"
	csv = oc.get(qs[:len(qs)-len("/questions")] + "/registrations.csv")
	if c := strings.Count(csv.Body, ",Ψάρι"); c != 2 || strings.Contains(csv.Body, ",Fish") {
		t.Fatalf("Greek organizer's CSV: Ψάρι %d times, want 2:\n%s", c, csv.Body)
	}
	// The organizer's registration page and staff edit form, in Greek.
	var at models.Attendee
	if err := r.db.Where("email = ?", "eleni@example.org").Take(&at).Error; err != nil {
		t.Fatal(err)
	}
	detail := attendeeURL(r.ev, &at)
	mustContain(t, oc.get(detail).Body, "Greek organizer's registration page", "<dd>Ψάρι</dd>")
	mustContain(t, oc.get(detail+"/edit").Body, "Greek staff edit form", `<option value="Fish" selected>Ψάρι</option>`)
	oc.lang = ""
	mustContain(t, oc.get(detail).Body, "English organizer's registration page", "<dd>Fish</dd>")
	// The person's own edit form, in their order's language.
	edit := fmt.Sprintf("%s/attendees/%d", strings.TrimSuffix(elOrder, "?welcome=1"), at.ID)
	mustContain(t, r.c.get(edit).Body, "Greek attendee edit form", `<option value="Fish" selected>Ψάρι</option>`)

	// A changed translation: the old answer shows the new Greek text.
	qv.Set("options.el", "Κρέας\nΨάρι της ημέρας")
	mustStatus(t, oc.post(qedit, qv), http.StatusSeeOther, "change Greek choices")
	mustContain(t, r.c.get(elOrder).Body, "Greek order page after change", "<dd>Ψάρι της ημέρας</dd>")
	// A removed translation: English.
	qv.Set("options.el", "")
	mustStatus(t, oc.post(qedit, qv), http.StatusSeeOther, "remove Greek choices")
	mustContain(t, r.c.get(elOrder).Body, "Greek order page without translation", "<dd>Fish</dd>")
	// A removed choice: the stored answer still reads as it was stored.
	qv.Set("options", "Meat\nVegetarian")
	qv.Set("options.el", "Κρέας\nΧορτοφαγικό")
	mustStatus(t, oc.post(qedit, qv), http.StatusSeeOther, "remove the choice")
	mustContain(t, r.c.get(elOrder).Body, "Greek order page, choice removed", "<dd>Fish</dd>")
	if a := storedAnswer(t, r, "eleni@example.org", q.ID); a != "Fish" {
		t.Fatalf("stored answer changed to %q", a)
	}
}
