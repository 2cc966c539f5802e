package modeltest

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Password is the password of every user the fixtures create.
const Password = "correct-horse-battery"

// Organizer creates an organization (or reuses one by name) and a user with
// role in it.
func Organizer(t testing.TB, db *gorm.DB, orgName, email, role string) (*models.Organization, *models.User) {
	t.Helper()
	org, err := models.FindOrCreateOrganization(db, orgName)
	if err != nil {
		t.Fatalf("organization: %v", err)
	}
	u, err := models.CreateUser(db, email, "Test "+role, Password, false)
	if err != nil {
		t.Fatalf("user: %v", err)
	}
	if err := models.AddMember(db, org.ID, u.ID, role); err != nil {
		t.Fatalf("membership: %v", err)
	}
	return org, u
}

// Event creates an event of org starting in ten days, two days long.
func Event(t testing.TB, db *gorm.DB, orgID uint, slug, status string) *models.Event {
	t.Helper()
	start := time.Now().UTC().Add(240 * time.Hour).Truncate(time.Hour)
	e := &models.Event{OrganizationID: orgID, Slug: slug, Kind: models.KindForum, Title: "Event " + slug,
		Summary: "A test event", TimeZone: "Europe/Madrid", StartsAt: start, EndsAt: start.Add(48 * time.Hour), Status: status}
	if err := models.CreateEvent(db, e); err != nil {
		t.Fatalf("event: %v", err)
	}
	return e
}
