package main

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// `agora user reset-two-factor` removes an admin's lost second factor (no
// owner may) and ends their sessions; an unknown address or an account
// without one gets a plain message.
func TestUserResetTwoFactorByTheOperator(t *testing.T) {
	path := filepath.Join(t.TempDir(), "agora.db")
	quiet := slog.New(slog.DiscardHandler)
	var out bytes.Buffer
	if err := run([]string{"user", "add", "--admin", "--email", "admin@example.org", "--name", "Admin", "--password", "violet-otter-under-bridges", "--db", path}, &out, quiet); err != nil {
		t.Fatal(err)
	}
	db, err := openDB(path)
	if err != nil {
		t.Fatal(err)
	}
	u, err := models.UserByEmail(db, "admin@example.org")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := db.Create(&models.TwoFactor{UserID: u.ID, Secret: []byte("sealed"), KeyID: "k", ConfirmedAt: &now}).Error; err != nil {
		t.Fatal(err)
	}
	if _, _, err := models.StartStaffSession(db, u.ID, "Firefox", "127.0.0.1", now, models.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	for args, want := range map[string]string{
		"--email nobody@example.org": "no account",
		"":                           "--email is required",
	} {
		a := append([]string{"user", "reset-two-factor", "--db", path}, strings.Fields(args)...)
		if err := run(a, &out, quiet); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: %v, want %q", a, err, want)
		}
	}
	out.Reset()
	if err := run([]string{"user", "reset-two-factor", "--email", "Admin@Example.org", "--db", path}, &out, quiet); err != nil || !strings.Contains(out.String(), "removed") {
		t.Fatalf("reset: %v\n%s", err, out.String())
	}
	if on, _ := models.TwoFactorConfirmed(db, u.ID); on {
		t.Fatal("the second factor is still on")
	}
	var live int64
	db.Model(&models.StaffSession{}).Where("user_id = ? AND ended_at IS NULL", u.ID).Count(&live)
	if live != 0 {
		t.Fatalf("%d sessions still live", live)
	}
	if err := run([]string{"user", "reset-two-factor", "--email", "admin@example.org", "--db", path}, &out, quiet); err == nil || !strings.Contains(err.Error(), "has no two-factor") {
		t.Fatalf("second reset: %v", err)
	}
}
