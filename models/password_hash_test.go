package models_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/alexedwards/argon2id"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// A flood of sign-ins never runs more hashes at once than the bound (each
// holds 19 MiB), and what the queue cannot hold is refused at once.
func TestPasswordHashingIsBounded(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	modeltest.ProductionPasswordCost(t)
	modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	before := models.PasswordHashing()
	const flood = 40
	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]int{}
	for i := 0; i < flood; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := models.Authenticate(db, "owner@example.org", "not the password")
			key := "other"
			switch {
			case errors.Is(err, models.ErrBadCredentials):
				key = "bad"
			case errors.Is(err, models.ErrPasswordBusy):
				key = "busy"
			}
			mu.Lock()
			results[key]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	after := models.PasswordHashing()
	if after.Peak > int64(after.Limit) || after.Limit < 2 || after.Limit > 4 {
		t.Fatalf("%d hashes ran at once, bound %d", after.Peak, after.Limit)
	}
	if results["other"] != 0 || results["busy"] == 0 || results["bad"] == 0 {
		t.Fatalf("results %v: want wrong-password answers and busy refusals only", results)
	}
	if got := after.Done - before.Done; got != int64(results["bad"]) {
		t.Fatalf("%d hashes done for %d checked sign-ins", got, results["bad"])
	}
	if after.Running != 0 {
		t.Fatalf("%d hashes still running", after.Running)
	}
}

// An unknown e-mail costs a hash, like a known one, so timing does not tell
// which accounts exist.
func TestUnknownEmailStillHashes(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	modeltest.ProductionPasswordCost(t)
	for _, email := range []string{"nobody@example.org", "nobody@example.org"} { // first use makes the dummy hash
		before := models.PasswordHashing().Done
		if _, err := models.Authenticate(db, email, "whatever-password"); !errors.Is(err, models.ErrBadCredentials) {
			t.Fatalf("unknown e-mail: %v", err)
		}
		if got := models.PasswordHashing().Done - before; got != 1 {
			t.Fatalf("unknown e-mail did %d hashes, want 1", got)
		}
	}
}

// Hashes made with earlier parameters still verify, and are re-hashed with
// today's on a successful sign-in.
func TestOldPasswordHashesStillVerify(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	modeltest.ProductionPasswordCost(t)
	_, u := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	if !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("new hash %q does not use m=19 MiB, t=2, p=1", u.PasswordHash)
	}
	old, err := argon2id.CreateHash(modeltest.Password, &argon2id.Params{Memory: 32 * 1024, Iterations: 2, Parallelism: 2, SaltLength: 16, KeyLength: 32})
	if err != nil {
		t.Fatal(err)
	}
	db.Model(u).Update("password_hash", old)
	if _, err := models.Authenticate(db, "owner@example.org", "wrong password"); !errors.Is(err, models.ErrBadCredentials) {
		t.Fatalf("wrong password against an old hash: %v", err)
	}
	got, err := models.Authenticate(db, "owner@example.org", modeltest.Password)
	if err != nil {
		t.Fatalf("old hash did not verify: %v", err)
	}
	var stored models.User
	db.First(&stored, got.ID)
	if !strings.HasPrefix(stored.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash not upgraded: %q", stored.PasswordHash)
	}
	if _, err := models.Authenticate(db, "owner@example.org", modeltest.Password); err != nil {
		t.Fatalf("upgraded hash: %v", err)
	}
}
