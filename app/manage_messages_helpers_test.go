package app

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// queuedTestMessage writes a queued message to everyone confirmed in event
// eventID, as the form's send step does, and returns its id.
func queuedTestMessage(t *testing.T, db *gorm.DB, eventID uint) uint {
	t.Helper()
	m := models.Message{EventID: eventID, Language: "en", Subject: "Fixture message", Body: "Hello {name}",
		Audience: models.AudienceFilter{}.JSON(), SendKey: "fixture-" + randomToken(12), SentByName: "Fixture"}
	if _, err := models.QueueMessage(db, &m, time.Now()); err != nil {
		t.Fatal(err)
	}
	return m.ID
}
