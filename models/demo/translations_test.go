package demo_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

// Every organizer-written text of the Brussels symposium exists in French,
// and of the forum in Galician and Spanish (choices of choice questions
// aside); seeding again adds nothing.
func TestDemoEventsAreTranslated(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	if _, err := demo.Seed(db, time.Now()); err != nil {
		t.Fatal(err)
	}
	var before int64
	db.Model(&models.Translation{}).Count(&before)
	if _, err := demo.Seed(db, time.Now()); err != nil {
		t.Fatal(err)
	}
	var after int64
	db.Model(&models.Translation{}).Count(&after)
	if before == 0 || before != after {
		t.Fatalf("translations: %d, then %d after seeding again", before, after)
	}
	for slug, langs := range map[string][]string{demo.SymposiumSlug: {"fr"}, demo.ForumSlug: {"gl", "es"}} {
		for _, lang := range langs {
			var e models.Event
			if err := db.Where("slug = ?", slug).Take(&e).Error; err != nil {
				t.Fatal(err)
			}
			if !e.HasLanguage(lang) || e.DefaultLang() != "en" {
				t.Fatalf("%s languages %q default %q", slug, e.Languages, e.DefaultLanguage)
			}
			title := e.Title
			ct, err := models.LoadContent(db, &e, lang)
			if err != nil {
				t.Fatal(err)
			}
			ct.Event(&e)
			ag, err := models.LoadAgenda(db, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			ct.Agenda(ag)
			var tts []models.TicketType
			db.Where("event_id = ?", e.ID).Find(&tts)
			for i := range tts {
				ct.TicketType(&tts[i])
			}
			var qs []models.Question
			db.Where("event_id = ?", e.ID).Find(&qs)
			for i := range qs {
				ct.Question(&qs[i])
			}
			cts, err := models.CurrentConsentTexts(db, e.ID)
			if err != nil || len(cts) != len(models.ConsentKinds) {
				t.Fatalf("consents %d %v", len(cts), err)
			}
			for i := range cts {
				ct.ConsentText(&cts[i])
			}
			if ct.FellBack() || e.Title == title {
				t.Fatalf("%s in %s: some text is still in English (title %q)", slug, lang, e.Title)
			}
		}
	}
}
