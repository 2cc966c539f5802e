package models_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// A copied event keeps the French versions of its sessions, ticket types,
// questions (label and choices), consent texts and reminder text, on the
// copy's own rows; the source's stay as they were.
func TestCopiedEventKeepsEveryTextsLanguages(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org", "o@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "ev", models.StatusPublished)
	if err := models.SetEventLanguages(db, e, "en", []string{"en", "fr"}); err != nil {
		t.Fatal(err)
	}
	tt := models.TicketType{EventID: e.ID, Name: "Citizen", Currency: "EUR", Capacity: 10}
	q := models.Question{EventID: e.ID, Kind: "choice", Label: "Meal", Options: "Fish\nMeat"}
	s := models.Session{EventID: e.ID, Title: "Opening", Format: "talk", StartsAt: e.StartsAt, EndsAt: e.StartsAt.Add(time.Hour)}
	ct := models.ConsentText{EventID: e.ID, Kind: "privacy", Version: 1, Body: "We keep your data."}
	for _, row := range []any{&tt, &q, &s, &ct} {
		if err := db.Create(row).Error; err != nil {
			t.Fatal(err)
		}
	}
	fr := func(text string) map[string]string { return map[string]string{"fr": text} }
	if err := models.SaveTranslations(db, e.ID,
		models.TranslatedField{Kind: models.OwnerTicketType, ID: tt.ID, Field: "name", Texts: fr("Citoyen")},
		models.TranslatedField{Kind: models.OwnerQuestion, ID: q.ID, Field: "label", Texts: fr("Repas")},
		models.TranslatedField{Kind: models.OwnerQuestion, ID: q.ID, Field: "options", Texts: fr("Poisson\nViande")},
		models.TranslatedField{Kind: models.OwnerSession, ID: s.ID, Field: "title", Texts: fr("Ouverture")},
		models.TranslatedField{Kind: models.OwnerConsentText, ID: ct.ID, Field: "body", Texts: fr("Nous gardons vos données.")},
		models.TranslatedField{Kind: models.OwnerEventMail, ID: e.ID, Field: "reminder_text", Texts: fr("À bientôt")}); err != nil {
		t.Fatal(err)
	}
	cp, err := models.CopyEvent(db, e.ID, models.CopyEventInput{Title: "Copy", Slug: "ev-copy", StartsAt: e.StartsAt.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	var rows []models.Translation
	db.Where("event_id = ? AND owner_kind <> ?", cp.ID, models.OwnerEvent).Find(&rows)
	got := map[string]string{}
	for _, r := range rows {
		if r.OwnerID == tt.ID || r.OwnerID == q.ID || r.OwnerID == s.ID || r.OwnerID == ct.ID {
			if r.OwnerKind != models.OwnerEventMail {
				t.Errorf("copy's %s text points at the source's row %d", r.OwnerKind, r.OwnerID)
			}
		}
		got[r.OwnerKind+"."+r.Field] = r.Text
	}
	want := map[string]string{"ticket_type.name": "Citoyen", "question.label": "Repas", "question.options": "Poisson\nViande",
		"session.title": "Ouverture", "consent_text.body": "Nous gardons vos données.", "event_mail.reminder_text": "À bientôt"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("copy's %s = %q, want %q", k, got[k], v)
		}
	}
	c, err := models.LoadContent(db, cp, "fr")
	if err != nil {
		t.Fatal(err)
	}
	ts, _ := models.TicketTypesOf(db, cp.ID)
	if len(ts) != 1 {
		t.Fatalf("%d ticket types copied", len(ts))
	}
	c.TicketType(&ts[0])
	if ts[0].Name != "Citoyen" {
		t.Fatalf("the copy's ticket type in French: %q", ts[0].Name)
	}
	var n int64
	db.Model(&models.Translation{}).Where("event_id = ?", e.ID).Count(&n)
	if n != 6 {
		t.Fatalf("the source has %d translations, want its 6", n)
	}
}
