package models_test

import (
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The resolver: a translation in a language the event lists is shown; a
// language it does not list, or a missing or blank translation, falls back
// to the default's text (never empty); one query loads everything; the
// languages of a copied event and its summary's versions come along.
func TestContentResolvesWithFallback(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org", "o@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "ev", models.StatusPublished)
	if err := models.SetEventLanguages(db, e, "en", []string{"fr", "en", "xx", "fr"}); err != nil {
		t.Fatal(err)
	}
	if e.Languages != "en,fr" || e.DefaultLang() != "en" {
		t.Fatalf("languages %q default %q", e.Languages, e.DefaultLanguage)
	}
	if err := models.SaveTranslations(db, e.ID,
		models.TranslatedField{Kind: models.OwnerEvent, ID: e.ID, Field: "summary", Texts: map[string]string{"fr": "Résumé", "el": "Περίληψη"}},
		models.TranslatedField{Kind: models.OwnerEvent, ID: e.ID, Field: "title", Texts: map[string]string{"fr": "   "}}); err != nil {
		t.Fatal(err)
	}
	var stored models.Event
	db.Take(&stored, e.ID)
	summary := stored.Summary
	for _, tc := range []struct{ lang, summary, shown string }{
		{"fr", "Résumé", "fr"}, {"el", summary, "en"}, {"en", summary, "en"}, {"zz", summary, "en"},
	} {
		ev := stored
		ct, err := models.LoadContent(db, &ev, tc.lang)
		if err != nil {
			t.Fatal(err)
		}
		ct.Event(&ev)
		if ev.Summary != tc.summary || ct.ShownLang(models.OwnerEvent, ev.ID, "summary") != tc.shown {
			t.Fatalf("%s: summary %q shown in %q", tc.lang, ev.Summary, ct.ShownLang(models.OwnerEvent, ev.ID, "summary"))
		}
		if ev.Title != stored.Title || ev.Title == "" {
			t.Fatalf("%s: a blank translation must fall back, got title %q", tc.lang, ev.Title)
		}
		if text, lang := ct.Text(models.OwnerEvent, ev.ID, "title", tc.lang); text != stored.Title || lang != "en" {
			t.Fatalf("%s: Text = %q, %q", tc.lang, text, lang)
		}
	}
	cp, err := models.CopyEvent(db, e.ID, models.CopyEventInput{Title: "Copy", Slug: "ev-copy", StartsAt: e.StartsAt.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	ct, err := models.LoadContent(db, cp, "fr")
	if err != nil {
		t.Fatal(err)
	}
	ct.Event(cp)
	if cp.Languages != "en,fr" || cp.Summary != "Résumé" || cp.Title != "Copy" {
		t.Fatalf("copy: %q %q %q", cp.Languages, cp.Summary, cp.Title)
	}
}

// Each language version is part of the consent's version: changing only
// the French text makes a new version; posting the same texts again does
// not; the shown language is the one the person asked for only when that
// version has it.
func TestConsentLanguageVersions(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org", "o@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "ev", models.StatusPublished)
	if err := models.SetEventLanguages(db, e, "en", []string{"en", "fr", "el"}); err != nil {
		t.Fatal(err)
	}
	v1, err := models.SetConsentTextVersions(db, e.ID, models.ConsentPrivacy, "Privacy.", map[string]string{"fr": "Vie privée."})
	if err != nil {
		t.Fatal(err)
	}
	same, err := models.SetConsentTextVersions(db, e.ID, models.ConsentPrivacy, "Privacy.", map[string]string{"fr": "Vie privée."})
	if err != nil || same.ID != v1.ID {
		t.Fatalf("same texts made a new version: %v %v", same, err)
	}
	v2, err := models.SetConsentTextVersions(db, e.ID, models.ConsentPrivacy, "Privacy.", map[string]string{"fr": "Protection de la vie privée."})
	if err != nil || v2.Version != 2 {
		t.Fatalf("a changed French text must make version 2: %+v %v", v2, err)
	}
	for _, tc := range []struct{ lang, want string }{{"fr", "fr"}, {"el", "en"}, {"nl", "en"}, {"", "en"}} {
		got, err := models.ConsentShownLanguage(db, e.ID, v2.ID, tc.lang)
		if err != nil || got != tc.want {
			t.Fatalf("%q: shown %q %v, want %q", tc.lang, got, err, tc.want)
		}
	}
	tr, _ := models.ConsentTranslations(db, v1.ID)
	if tr["fr"] != "Vie privée." {
		t.Fatalf("version 1 keeps its French words: %v", tr)
	}
}
