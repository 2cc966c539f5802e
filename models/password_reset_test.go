package models_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// Two requests racing with the same reset link: one sets the password, the
// other is refused, on both engines.
func TestPasswordResetLinkWorksOnceUnderRace(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	modeltest.Organizer(t, db, "Org", "ana@example.org", models.RoleOwner)
	now := time.Now()
	var raw string
	if err := models.RequestPasswordReset(db, "ana@example.org", now, func(_ models.User, r string) (models.OutboxMessage, error) {
		raw = r
		return models.OutboxMessage{Subject: "s", TextBody: "t"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, pw := range []string{"first-new-password", "second-new-password"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = models.CompletePasswordReset(db, raw, pw, now, models.AuditEntry{})
		}()
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, models.ErrResetInvalid):
			refused++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 || refused != 1 {
		t.Fatalf("%d succeeded and %d were refused, want 1 and 1", ok, refused)
	}
	var n int64
	db.Model(&models.AuditEntry{}).Where("action = ?", models.AuditPasswordReset).Count(&n)
	if n != 1 {
		t.Errorf("%d password.reset entries, want 1", n)
	}
	if _, err := models.PasswordResetUser(db, raw, now); !errors.Is(err, models.ErrResetInvalid) {
		t.Errorf("the used link: %v", err)
	}
}
