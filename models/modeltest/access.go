package modeltest

import (
	"testing"

	"gorm.io/gorm"
)

// AccessCoordinator gives the user with email the access coordinator
// permission in the organization named orgName (or takes it away), by
// setting the column: tests of who sees access needs do not depend on the
// team page.
func AccessCoordinator(t testing.TB, db *gorm.DB, orgName, email string, on bool) {
	t.Helper()
	res := db.Exec(`UPDATE memberships SET access_coordinator = ? WHERE
		organization_id = (SELECT id FROM organizations WHERE name = ?) AND
		user_id = (SELECT id FROM users WHERE LOWER(email) = LOWER(?))`, on, orgName, email)
	if res.Error != nil {
		t.Fatalf("access coordinator: %v", res.Error)
	}
	if res.RowsAffected != 1 {
		t.Fatalf("access coordinator: %s is not a member of %s", email, orgName)
	}
}
