package models_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// Invariant 7 raced: owners on three instances grant and revoke a member's
// access coordinator permission and change their role all at once. Every
// change that happened has exactly one audit line and no line exists for a
// change that did not happen: replaying the permission lines in order ends
// in the permission the database holds, and they alternate (a grant never
// follows a grant), which they could not if a line were written outside the
// change's transaction.
func TestAuditLinesMatchRacedTeamChanges(t *testing.T) {
	db, dsn := regDB(t)
	all := append(extraPools(t, dsn, 2), db)
	org, _ := modeltest.Organizer(t, db, "Race Lab", "owner-race@example.org", models.RoleOwner)
	_, member := modeltest.Organizer(t, db, "Race Lab", "member-race@example.org", models.RoleCheckin)
	const racers, rounds = 8, 6
	var wg sync.WaitGroup
	errs := make(chan error, racers*rounds)
	start := make(chan struct{})
	for i := 0; i < racers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			pool := all[i%len(all)]
			for r := 0; r < rounds; r++ {
				var err error
				if (i+r)%3 == 2 {
					role := []string{models.RoleManager, models.RoleCheckin}[(i+r)%2]
					err = models.ChangeMemberRole(pool, org.ID, member.ID, role, models.AuditEntry{OrganizationID: org.ID, Action: models.AuditRoleChanged})
				} else {
					err = models.SetAccessCoordinator(pool, org.ID, member.ID, (i+r)%2 == 0, models.AuditEntry{OrganizationID: org.ID})
				}
				if err != nil {
					errs <- err
				}
			}
		}(i)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var lines []models.AuditEntry
	if err := db.Where("organization_id = ? AND action = ?", org.ID, models.AuditPermissionChanged).Order("id").Find(&lines).Error; err != nil {
		t.Fatal(err)
	}
	on := false
	for _, e := range lines {
		granted := strings.Contains(e.Detail, "granted")
		if granted == on {
			t.Fatalf("permission lines do not alternate: %q after the permission was already %v", e.Detail, on)
		}
		on = granted
	}
	m, err := models.MembershipFor(db, member.ID, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.AccessCoordinator != on {
		t.Fatalf("the log says the permission is %v, the database says %v", on, m.AccessCoordinator)
	}
	var roleLines []models.AuditEntry
	db.Where("organization_id = ? AND action = ?", org.ID, models.AuditRoleChanged).Order("id").Find(&roleLines)
	role := models.RoleCheckin
	for _, e := range roleLines {
		from, to, ok := strings.Cut(e.Detail, " → ")
		if !ok || from != role {
			t.Fatalf("role line %q does not follow from %s", e.Detail, role)
		}
		role = to
	}
	if m.Role != role {
		t.Fatalf("the log ends at role %s, the database holds %s", role, m.Role)
	}
	if len(lines) == 0 || len(roleLines) == 0 {
		t.Fatalf("%d permission and %d role lines: the race changed nothing", len(lines), len(roleLines))
	}
}
