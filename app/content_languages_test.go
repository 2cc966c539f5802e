package app

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
)

// Greek texts of the test event, as an organizer would write them.
const (
	elTitle   = "Φόρουμ Φροντίδας"
	elSummary = "Ένα φόρουμ για όλους"
	elTicket  = "Εισιτήριο πολίτη"
	elPrivacy = "Τα στοιχεία σας χρησιμοποιούνται μόνο για την εγγραφή σας."
)

// writeGreekVersion makes the regEnv event English and Greek through the
// organizers' forms: the event's title and summary, the citizen ticket's
// name and the privacy notice in Greek.
func writeGreekVersion(t *testing.T, r *regEnv) {
	t.Helper()
	oc := newClient(t, r.app.(*fiber.App))
	oc.signIn("owner@example.org")
	edit := fmt.Sprintf("/manage/events/%d/edit", r.ev.ID)
	oc.get(edit)
	v := eventValues("Care Forum", r.ev.Slug)
	v["languages"] = []string{"en", "el"}
	v.Set("default_language", "en")
	v.Set("title.el", elTitle)
	v.Set("summary.el", elSummary)
	mustStatus(t, oc.post(edit, v), http.StatusSeeOther, "save event in two languages")

	form := oc.get(edit)
	mustContain(t, form.Body, "edit form", `<label for="f-title.el">Title (Ελληνικά)</label>`, `name="title.el" lang="el" type="text" value="`+elTitle+`"`)

	tedit := fmt.Sprintf("/manage/events/%d/tickets/%d/edit", r.ev.ID, r.tt.ID)
	oc.get(tedit)
	tv := url.Values{"name": {r.tt.Name}, "name.el": {elTicket}, "description": {""}, "price": {"0.00"}, "currency": {"EUR"},
		"capacity": {"10"}, "category": {r.tt.Category}, "max_per_order": {"3"}, "position": {"0"}}
	mustStatus(t, oc.post(tedit, tv), http.StatusSeeOther, "save ticket type in Greek")

	consents := fmt.Sprintf("/manage/events/%d/consents", r.ev.ID)
	oc.get(consents)
	cv := url.Values{"kind": {"privacy"}, "body": {"The privacy notice text, version one."}, "body.el": {elPrivacy}}
	mustStatus(t, oc.post(consents, cv), http.StatusSeeOther, "save privacy notice in Greek")
	var n int64
	r.db.Model(&models.ConsentText{}).Where("event_id = ? AND kind = ?", r.ev.ID, "privacy").Count(&n)
	if n != 2 {
		t.Fatalf("a new language version must make a new consent version: %d versions", n)
	}
}

var consentTextField = regexp.MustCompile(`name="consent_text\.privacy" value="(\d+)"`)

// A person registers in Greek (the interface may not be Greek yet; the
// content is): the page and form show the Greek texts, the consent record
// names the Greek version and keeps its words, and the confirmation mail,
// delivered to a real mailpit, carries the Greek title and ticket name.
func TestRegisterInGreekRecordsGreekConsentAndMailsGreekContent(t *testing.T) {
	r := newRegEnv(t)
	writeGreekVersion(t, r)

	page := r.c.get("/events/" + r.ev.Slug + "?lang=el")
	mustStatus(t, page, http.StatusOK, "event page in Greek")
	mustContain(t, page.Body, "event page in Greek", elTitle, elSummary,
		`<link rel="alternate" hreflang="en" href="http://agora.test/events/care-forum?lang=en">`, `<h1 lang="el">`+elTitle+`</h1>`,
		`<link rel="alternate" hreflang="el" href="`, `"inLanguage":"el"`, `href="/events/care-forum/register?lang=el"`)
	// The sessions have no Greek titles: they show in English, marked so,
	// and the page says so.
	mustContain(t, page.Body, "Greek page's fallbacks", `<h4>Workshop: carers</h4>`, "This text is available in English.")

	reg := r.c.get(fmt.Sprintf("%s?ticket=%d&count=1&lang=el", r.path(), r.tt.ID))
	mustStatus(t, reg, http.StatusOK, "register in Greek")
	mustContain(t, reg.Body, "register in Greek", elTitle, elTicket, elPrivacy, `action="/events/care-forum/register?lang=el"`)
	key := regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`).FindStringSubmatch(reg.Body)
	ct := consentTextField.FindStringSubmatch(reg.Body)
	if key == nil || ct == nil {
		t.Fatal("no idempotency key or consent version in the form")
	}
	v := url.Values{"ticket_type_id": {fmt.Sprint(r.tt.ID)}, "idempotency_key": {key[1]}, "buyer_name": {"Ελένη"},
		"buyer_email": {"eleni@example.org"}, "attendees.0.name": {"Ελένη"}, "attendees.0.email": {"eleni@example.org"},
		"attendees.0.answers." + fmt.Sprint(r.qText.ID): {"Φροντίστρια"}, "attendees.0.consents.privacy": {"yes"},
		"consent_text.privacy": {ct[1]}}
	res := r.c.post(r.path()+"?lang=el", v)
	if res.Status != http.StatusSeeOther || !orderLocation.MatchString(res.Location) {
		t.Fatalf("register: %d %q\n%s", res.Status, res.Location, res.Body)
	}
	orderPage := r.c.get(res.Location)
	mustContain(t, orderPage.Body, "order page", `lang="el">`+elTitle+`</a>`, `lang="el">`+elTicket+`</span>`)
	var o models.Order
	if err := r.db.Preload("Attendees").Where("buyer_email = ?", "eleni@example.org").Take(&o).Error; err != nil {
		t.Fatal(err)
	}
	if o.Language != "el" {
		t.Fatalf("order language %q, want el", o.Language)
	}
	recs, err := models.AttendeeConsents(r.db, o.Attendees[0].ID)
	if err != nil || len(recs) != 1 {
		t.Fatalf("consents %+v %v", recs, err)
	}
	if recs[0].Language != "el" || recs[0].ConsentText.Version != 2 {
		t.Fatalf("consent record names %q version %d, want el version 2", recs[0].Language, recs[0].ConsentText.Version)
	}
	if text, err := models.ConsentRecordText(r.db, recs[0]); err != nil || text != elPrivacy || recs[0].ConsentText.Body != elPrivacy {
		t.Fatalf("recorded text %q (%q) %v", text, recs[0].ConsentText.Body, err)
	}
	data := r.c.get(strings.TrimSuffix(res.Location, "?welcome=1") + "/data.json")
	mustContain(t, data.Body, "data download", `"language": "el"`, elPrivacy)

	// The organizers' reminder text, written in Greek too, goes out in Greek.
	oc := newClient(t, r.app.(*fiber.App))
	oc.signIn("owner@example.org")
	rem := fmt.Sprintf("/manage/events/%d/reminders", r.ev.ID)
	mustContain(t, oc.get(rem).Body, "reminders page", `<label for="f-reminder_text.el">`)
	mustStatus(t, oc.post(rem, url.Values{"reminders_enabled": {"yes"}, "reminder_hours": {"48"},
		"reminder_text": {"Use the north entrance."}, "reminder_text.el": {"Χρησιμοποιήστε τη βόρεια είσοδο."}}),
		http.StatusSeeOther, "save Greek reminder text")
	rnd, err := mail.NewRenderer(r.db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	reminder, err := rnd.Render(models.OutboxMessage{Kind: models.MailEventReminder, RefID: r.ev.ID, To: "eleni@example.org", Language: "el"})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, reminder.Text, "Greek reminder", "Χρησιμοποιήστε τη βόρεια είσοδο.", elTitle, elTicket)

	msgs := deliverOutboxToMailpit(t, r, 1)
	m := msgs[0]
	if !strings.Contains(m.Subject, elTitle) {
		t.Fatalf("subject %q lacks the Greek title", m.Subject)
	}
	mustContain(t, m.Text, "confirmation text", elTitle, elTicket)
	mustContain(t, m.HTML, "confirmation html", elTitle, elTicket)
	if strings.Contains(m.Text, "Care Forum") || strings.Contains(m.Text, r.tt.Name) {
		t.Fatalf("the English texts leaked into the Greek mail:\n%s", m.Text)
	}
}

// A French visitor on an event in English and Greek reads the English
// text, with a note saying so; in a Spanish interface the note is in
// Spanish and the English text is marked lang="en" for screen readers.
// A fallback page and a translated one are cached apart.
func TestContentFallsBackToTheDefaultLanguageWithANote(t *testing.T) {
	r := newRegEnv(t)
	writeGreekVersion(t, r)

	fr := newClient(t, r.app.(*fiber.App))
	fr.lang = "fr"
	page := fr.get("/events/" + r.ev.Slug)
	mustStatus(t, page, http.StatusOK, "French visitor")
	frNote := fallbackNoteIn(t, "fr", "en")
	mustContain(t, page.Body, "French visitor", "<h1", ">Care Forum</h1>", frNote, `"inLanguage":"en"`)
	if strings.Contains(page.Body, elTitle+"</h1>") {
		t.Fatal("the French visitor got the Greek title")
	}
	el := newClient(t, r.app.(*fiber.App))
	el.lang = "el"
	mustContain(t, el.get("/events/"+r.ev.Slug).Body, "Greek browser", elTitle)
	// The Greek interface needs no lang mark on Greek content.
	mustContain(t, el.get("/").Body, "Greek home page", `<h3><a href="/events/care-forum">`+elTitle+`</a></h3>`)
	if home := fr.get("/").Body; strings.Contains(home, elTitle) || !strings.Contains(home, ">Care Forum</a>") {
		t.Fatal("the French visitor's home page must list the English title")
	}
	// Both renderings are cached now, in slots of their own: neither is
	// served for the other.
	if again := fr.get("/events/" + r.ev.Slug).Body; strings.Contains(again, elTitle+"</h1>") || !strings.Contains(again, frNote) {
		t.Fatal("the French visitor got the cached Greek page")
	}
	if again := el.get("/events/" + r.ev.Slug).Body; !strings.Contains(again, elTitle+"</h1>") {
		t.Fatal("the Greek visitor got the cached fallback page")
	}

	es := newClient(t, r.app.(*fiber.App))
	es.lang = "es"
	page = es.get("/events/" + r.ev.Slug)
	mustContain(t, page.Body, "Spanish visitor", "Este texto está disponible en inglés.", `<h1 lang="en">Care Forum</h1>`)
	reg := es.get(fmt.Sprintf("%s?ticket=%d&count=1", r.path(), r.tt.ID))
	mustContain(t, reg.Body, "Spanish register page", "Este texto está disponible en inglés.",
		`<strong lang="en">Citizen ticket</strong>`, `lang="en">`)

	// The .ics is in the content language asked for.
	ics := fr.get("/events/" + r.ev.Slug + ".ics?lang=el")
	mustContain(t, ics.Body, "Greek calendar", "SUMMARY:"+elTitle)
	mustContain(t, fr.get("/events/"+r.ev.Slug+".ics?lang=fr").Body, "fallback calendar", "SUMMARY:Care Forum")
}

// deliverOutboxToMailpit sends the outbox to a fresh mailpit and returns
// the messages to eleni@example.org (want of them).
func deliverOutboxToMailpit(t *testing.T, r *regEnv, want int) []mailpitMessage {
	t.Helper()
	var out []mailpitMessage
	for _, m := range mailpitDelivery(t, r.db) {
		if len(m.To) > 0 && m.To[0].Address == "eleni@example.org" {
			out = append(out, m)
		}
	}
	if len(out) != want {
		t.Fatalf("mailpit holds %d mails for eleni@example.org, want %d", len(out), want)
	}
	return out
}

// The organizers write each text per language beside the base field; a
// too-long version gets its message beside its own input, with what was
// typed kept, and nothing is saved; saved versions reach the public pages.
func TestOrganizerFormsTakeTextsPerLanguage(t *testing.T) {
	r := newRegEnv(t)
	oc := newClient(t, r.app.(*fiber.App))
	oc.signIn("owner@example.org")
	edit := fmt.Sprintf("/manage/events/%d/edit", r.ev.ID)
	oc.get(edit)
	v := eventValues("Care Forum", r.ev.Slug)
	v["languages"] = []string{"en", "fr"}
	v.Set("default_language", "en")
	v.Set("title.fr", strings.Repeat("é", maxEventTitle+1))
	v.Set("summary.fr", "Un forum pour tout le monde")
	res := oc.post(edit, v)
	mustStatus(t, res, http.StatusUnprocessableEntity, "too long French title")
	mustContain(t, res.Body, "too long French title", `id="f-title.fr-error"`, `aria-describedby="f-title.fr-error"`,
		"Un forum pour tout le monde</textarea>", "Title (Français)")
	var n int64
	r.db.Model(&models.Translation{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d translations saved from a rejected form", n)
	}
	v.Set("title.fr", "Forum des soins")
	mustStatus(t, oc.post(edit, v), http.StatusSeeOther, "save French")

	// A default language that is not ticked is refused beside the list.
	bad := eventValues("Care Forum", r.ev.Slug)
	bad["languages"] = []string{"fr"}
	bad.Set("default_language", "en")
	res = oc.post(edit, bad)
	mustStatus(t, res, http.StatusUnprocessableEntity, "default not ticked")
	mustContain(t, res.Body, "default not ticked", `id="f-languages-error"`, "Tick the default language too.")

	// The event moved with eventValues' dates: the session moves with it.
	if err := r.db.Take(r.ev, r.ev.ID).Error; err != nil {
		t.Fatal(err)
	}
	r.s2.StartsAt, r.s2.EndsAt = r.ev.StartsAt, r.ev.StartsAt.Add(time.Hour)
	sedit := fmt.Sprintf("/manage/events/%d/sessions/%d/edit", r.ev.ID, r.s2.ID)
	form := oc.get(sedit)
	mustContain(t, form.Body, "session form", `<label for="f-title.fr">Title (Français)</label>`)
	sv := url.Values{"title": {r.s2.Title}, "title.fr": {"Atelier : les aidants"}, "format": {r.s2.Format}, "description": {""},
		"starts_at": {localInputOf(r.ev, r.s2.StartsAt)}, "ends_at": {localInputOf(r.ev, r.s2.EndsAt)}, "capacity": {"5"}, "sign_up": {"1"}}
	mustStatus(t, oc.post(sedit, sv), http.StatusSeeOther, "save French session title")

	qedit := fmt.Sprintf("/manage/events/%d/questions/%d/edit", r.ev.ID, r.qText.ID)
	oc.get(qedit)
	qv := url.Values{"kind": {"text"}, "label": {r.qText.Label}, "label.fr": {"Votre rôle"}, "required": {"1"}, "position": {"1"}}
	mustStatus(t, oc.post(qedit, qv), http.StatusSeeOther, "save French question")

	sp := models.Speaker{EventID: r.ev.ID, Name: "Dr. Ana Ruiz", Bio: "Leads the carers' programme."}
	if err := r.db.Create(&sp).Error; err != nil {
		t.Fatal(err)
	}
	spedit := fmt.Sprintf("/manage/events/%d/speakers/%d/edit", r.ev.ID, sp.ID)
	mustContain(t, oc.get(spedit).Body, "speaker form", `<label for="f-speaker_bio.fr">Short biography (Français)</label>`)
	spv := url.Values{"speaker_name": {sp.Name}, "speaker_role": {""}, "speaker_organization": {""}, "speaker_bio": {sp.Bio},
		"speaker_bio.fr": {strings.Repeat("b", maxSpeakerBio+1)}}
	res = oc.post(spedit, spv)
	mustStatus(t, res, http.StatusUnprocessableEntity, "too long French bio")
	mustContain(t, res.Body, "too long French bio", `id="f-speaker_bio.fr-error"`)
	spv.Set("speaker_bio.fr", "Dirige le programme des aidants.")
	mustStatus(t, oc.post(spedit, spv), http.StatusSeeOther, "save French bio")

	page := r.c.get("/events/" + r.ev.Slug + "?lang=fr")
	mustContain(t, page.Body, "French page", "Forum des soins", "Un forum pour tout le monde", "Atelier : les aidants",
		"Dirige le programme des aidants.")
	reg := r.c.get(fmt.Sprintf("%s?ticket=%d&count=1&lang=fr", r.path(), r.tt.ID))
	mustContain(t, reg.Body, "French form", `lang="fr">Votre rôle`, "Atelier : les aidants")
	// The organizer's CSV has the question's header in the organizer's
	// language when the event has it.
	oc.lang = "fr"
	csv := oc.get(fmt.Sprintf("/manage/events/%d/registrations.csv", r.ev.ID))
	mustStatus(t, csv, http.StatusOK, "csv")
	mustContain(t, csv.Body, "French CSV header", "Votre rôle")
	oc.lang = ""
	// The English page is still English.
	mustContain(t, r.c.get("/events/"+r.ev.Slug+"?lang=en").Body, "English page", ">Care Forum</h1>", "Workshop: carers")
}

// fallbackNoteIn is the note a page in the interface language ui shows
// when a text falls back to the event's default language def.
func fallbackNoteIn(t *testing.T, ui, def string) string {
	t.Helper()
	b, err := loadBundle()
	if err != nil {
		t.Fatal(err)
	}
	tr := newTranslator(b, ui)
	return html.EscapeString(tr.T("content.fallback_note", "Language", tr.T("content.lang."+def)))
}

// The venue's name and address are written per language like the title:
// a French visitor reads the French venue, the .ics carries it, and the
// organizer's form shows each version beside the default.
func TestVenueAndAddressPerLanguage(t *testing.T) {
	r := newRegEnv(t)
	oc := newClient(t, r.app.(*fiber.App))
	oc.signIn("owner@example.org")
	edit := fmt.Sprintf("/manage/events/%d/edit", r.ev.ID)
	oc.get(edit)
	v := eventValues("Care Forum", r.ev.Slug)
	v["languages"] = []string{"en", "fr"}
	v.Set("default_language", "en")
	v.Set("venue.fr", "Grande salle")
	v.Set("address.fr", "1 place de l’Exemple")
	mustStatus(t, oc.post(edit, v), http.StatusSeeOther, "save the venue in French")
	mustContain(t, oc.get(edit).Body, "edit form", `name="venue.fr"`, `value="Grande salle"`, `name="address.fr"`)

	page := r.c.get("/events/" + r.ev.Slug + "?lang=fr")
	mustContain(t, page.Body, "French event page", "Grande salle", "1 place de l’Exemple")
	if en := r.c.get("/events/" + r.ev.Slug + "?lang=en").Body; strings.Contains(en, "Grande salle") || !strings.Contains(en, "Main hall") {
		t.Fatal("the English page must show the English venue")
	}
	mustContain(t, r.c.get("/events/"+r.ev.Slug+".ics?lang=fr").Body, "French calendar", "Grande salle")

	v.Set("venue.fr", strings.Repeat("x", 201))
	r2 := oc.post(edit, v)
	mustStatus(t, r2, http.StatusUnprocessableEntity, "too long a French venue")
	mustContain(t, r2.Body, "too long a French venue", strings.Repeat("x", 201))
}

// The waitlist page shows the event's title in the visitor's content
// language, as the event's page does.
func TestWaitlistJoinInTheContentLanguage(t *testing.T) {
	r := newRegEnv(t)
	if err := models.SetEventLanguages(r.db, r.ev, "en", []string{"en", "fr"}); err != nil {
		t.Fatal(err)
	}
	if err := models.SaveTranslations(r.db, r.ev.ID, models.TranslatedField{Kind: models.OwnerEvent, ID: r.ev.ID, Field: "title",
		Texts: map[string]string{"fr": "Forum des soins"}}); err != nil {
		t.Fatal(err)
	}
	fr := newClient(t, r.app.(*fiber.App))
	fr.lang = "fr"
	fr.get("/events/" + r.ev.Slug)
	res := fr.post("/events/"+r.ev.Slug+"/waitlist", url.Values{"name": {"Chloé"}, "email": {"chloe@example.org"}})
	mustContain(t, res.Body, "French waitlist page", "<title>", "Forum des soins")
	if strings.Contains(res.Body, ">← Care Forum<") {
		t.Fatal("the waitlist page links back with the English title")
	}
}
