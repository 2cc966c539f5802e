package models_test

import (
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// TestMessageVersionsStoredAndChosen: a message's versions in the event's
// other languages are stored with it (a second click gets them back), each
// recipient's outbox row is in the version of their registration's language
// or the default's, and an old main + second version message still chooses.
func TestMessageVersionsStoredAndChosen(t *testing.T) {
	db, _ := regDB(t)
	w := newAudienceWorld(t, db)
	if err := db.Model(&models.Order{}).Where("id = ?", w.first.ID).Update("language", "fr").Error; err != nil {
		t.Fatal(err)
	}
	m := models.Message{EventID: w.ev.ID, Language: "en", Subject: "Hello", Body: "Hello {name}",
		Versions: map[string]models.MessageVersion{"fr": {Subject: "Bonjour", Body: "Bonjour {name}"}, "el": {Subject: "Γεια", Body: "Γεια {name}"}},
		Audience: models.AudienceFilter{}.JSON(), SendKey: "versions-key-0001", SentByName: "T"}
	if _, err := models.QueueMessage(db, &m, time.Now()); err != nil {
		t.Fatal(err)
	}
	again := models.Message{EventID: w.ev.ID, Language: "en", Subject: "x", Body: "x", Audience: m.Audience, SendKey: m.SendKey}
	reused, err := models.QueueMessage(db, &again, time.Now())
	if err != nil || !reused || again.Versions["el"].Subject != "Γεια" {
		t.Fatalf("second click: reused %v, versions %v, %v", reused, again.Versions, err)
	}
	if got := strings.Join(again.WrittenLanguages(), ","); got != "en,el,fr" {
		t.Errorf("written languages %q", got)
	}
	if _, err := models.ExpandMessage(db, m.ID, time.Now(), 0); err != nil {
		t.Fatal(err)
	}
	var rows []models.OutboxMessage
	if err := db.Where("kind = ?", models.MailEventMessage).Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	langs := map[string]string{}
	for _, r := range rows {
		langs[r.To] = r.Language
	}
	// Ana and Ben registered in French; the buyer in English.
	if langs["ana@example.org"] != "fr" || langs["ben@example.org"] != "fr" || langs["buyer@example.org"] != "en" {
		t.Errorf("outbox languages %v", langs)
	}
	s, _, l := again.Version("fr")
	if s != "Bonjour" || l != "fr" {
		t.Errorf("fr version %q %q", s, l)
	}
	if s, _, l := again.Version("nl"); s != "Hello" || l != "en" {
		t.Errorf("nl falls back to %q %q", s, l)
	}
	old := models.Message{Language: "en", Subject: "Hi", Body: "b", AltLanguage: "es", AltSubject: "Hola", AltBody: "c"}
	if s, _, l := old.Version("es"); s != "Hola" || l != "es" {
		t.Errorf("old second version %q %q", s, l)
	}
	if got := strings.Join(old.WrittenLanguages(), ","); got != "en,es" {
		t.Errorf("old written languages %q", got)
	}
}
