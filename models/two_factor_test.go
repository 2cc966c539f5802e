package models_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func newKeyString(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseSecretKeys(t *testing.T) {
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(i)
	}
	for _, s := range []string{hex.EncodeToString(raw), base64.StdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw)} {
		ks, err := models.ParseSecretKeys(s, "")
		if err != nil || ks == nil || ks.CurrentID() != models.KeyFingerprint(raw) {
			t.Errorf("%q: %v %v", s, ks, err)
		}
	}
	if ks, err := models.ParseSecretKeys("", ""); ks != nil || err != nil {
		t.Errorf("no key: %v %v", ks, err)
	}
	for _, bad := range [][2]string{{"short", ""}, {base64.StdEncoding.EncodeToString(raw[:16]), ""}, {hex.EncodeToString(raw), "not-a-key"}, {"", hex.EncodeToString(raw)}} {
		if _, err := models.ParseSecretKeys(bad[0], bad[1]); err == nil {
			t.Errorf("%q/%q accepted", bad[0], bad[1])
		}
	}
}

// twoFactorUser sets up and confirms a second factor on a fresh database
// and returns the secret and the recovery codes.
func twoFactorUser(t *testing.T, keys *models.SecretKeys, now time.Time) (*gorm.DB, *models.User, string, []string) {
	t.Helper()
	db, _ := modeltest.NewDB(t)
	_, u := modeltest.Organizer(t, db, "TOTP org", "totp@example.org", models.RoleOwner)
	key, err := models.StartTwoFactorSetup(db, keys, u, "Agora", now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := models.StartTwoFactorSetup(db, keys, u, "Agora", now)
	if err != nil || again.Secret() != key.Secret() {
		t.Fatalf("setup shown twice gave another secret: %v", err)
	}
	if _, err := models.ConfirmTwoFactor(db, keys, u.ID, "000000", now, models.AuditEntry{}); !errors.Is(err, models.ErrBadCode) && codeAt(t, key.Secret(), now) != "000000" {
		t.Fatalf("wrong first code: %v", err)
	}
	codes, err := models.ConfirmTwoFactor(db, keys, u.ID, codeAt(t, key.Secret(), now), now, models.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != models.RecoveryCodeCount {
		t.Fatalf("%d recovery codes", len(codes))
	}
	var audits int64
	db.Model(&models.AuditEntry{}).Where("action = ?", models.AuditTwoFactorOn).Count(&audits)
	if audits != 1 {
		t.Errorf("%d audit entries for enabling", audits)
	}
	return db, u, key.Secret(), codes
}

func mustKeys(t *testing.T, cur, old string) *models.SecretKeys {
	t.Helper()
	ks, err := models.ParseSecretKeys(cur, old)
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func TestTwoFactorCodeOnceAndSkew(t *testing.T) {
	keys := mustKeys(t, newKeyString(t), "")
	now := time.Date(2026, 5, 4, 10, 0, 10, 0, time.UTC)
	db, u, secret, _ := twoFactorUser(t, keys, now)
	// The confirming code's step is used: the same code is refused.
	if err := models.VerifyTwoFactorCode(db, keys, u.ID, codeAt(t, secret, now), now); !errors.Is(err, models.ErrCodeUsed) {
		t.Fatalf("replayed confirming code: %v", err)
	}
	later := now.Add(2 * time.Minute)
	// A code one step ahead (a phone's clock running fast) is accepted...
	ahead := codeAt(t, secret, later.Add(30*time.Second))
	if err := models.VerifyTwoFactorCode(db, keys, u.ID, ahead, later); err != nil {
		t.Fatalf("code one step ahead: %v", err)
	}
	// ...and then neither it nor the current step's code (an earlier step) works.
	if err := models.VerifyTwoFactorCode(db, keys, u.ID, ahead, later); !errors.Is(err, models.ErrCodeUsed) {
		t.Fatalf("replay: %v", err)
	}
	if c := codeAt(t, secret, later); c != ahead {
		if err := models.VerifyTwoFactorCode(db, keys, u.ID, c, later); !errors.Is(err, models.ErrCodeUsed) {
			t.Fatalf("earlier step after a later one: %v", err)
		}
	}
	// Two steps away is too far.
	far := later.Add(5 * time.Minute)
	if err := models.VerifyTwoFactorCode(db, keys, u.ID, codeAt(t, secret, far.Add(-90*time.Second)), far); !errors.Is(err, models.ErrBadCode) {
		t.Fatalf("code three steps old: %v", err)
	}
	if err := models.VerifyTwoFactorCode(db, keys, u.ID, "12x456", far); !errors.Is(err, models.ErrBadCode) {
		t.Fatalf("not digits: %v", err)
	}
}

// TestTwoFactorSameCodeRacedSignsInOnce sends one code from many goroutines:
// exactly one is accepted, on both engines.
func TestTwoFactorSameCodeRacedSignsInOnce(t *testing.T) {
	keys := mustKeys(t, newKeyString(t), "")
	now := time.Date(2026, 5, 4, 10, 0, 10, 0, time.UTC)
	db, u, secret, _ := twoFactorUser(t, keys, now)
	at := now.Add(time.Hour)
	code := codeAt(t, secret, at)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, used := 0, 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := models.VerifyTwoFactorCode(db, keys, u.ID, code, at)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, models.ErrCodeUsed):
				used++
			default:
				t.Errorf("verify: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || used != 7 {
		t.Fatalf("%d accepted, %d refused as used; want 1 and 7", ok, used)
	}
}

func TestRecoveryCodeWorksOnce(t *testing.T) {
	keys := mustKeys(t, newKeyString(t), "")
	now := time.Date(2026, 5, 4, 10, 0, 10, 0, time.UTC)
	db, u, _, codes := twoFactorUser(t, keys, now)
	typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = models.UseRecoveryCode(db, u.ID, typed, now, models.AuditEntry{})
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, models.ErrRecoveryCodeUsed):
			t.Fatalf("use: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("a recovery code sent 4 times at once worked %d times", ok)
	}
	if err := models.UseRecoveryCode(db, u.ID, codes[3], now, models.AuditEntry{}); !errors.Is(err, models.ErrRecoveryCodeUsed) {
		t.Fatalf("second use: %v", err)
	}
	if n, _ := models.RecoveryCodesLeft(db, u.ID); n != 9 {
		t.Fatalf("%d left", n)
	}
	var audits int64
	db.Model(&models.AuditEntry{}).Where("action = ?", models.AuditRecoveryCodeUsed).Count(&audits)
	if audits != 1 {
		t.Errorf("%d audit entries for one recovery code", audits)
	}
	renewed, err := models.RenewRecoveryCodes(db, u.ID, now, models.AuditEntry{})
	if err != nil || len(renewed) != models.RecoveryCodeCount {
		t.Fatal(err)
	}
	if err := models.UseRecoveryCode(db, u.ID, codes[4], now, models.AuditEntry{}); !errors.Is(err, models.ErrRecoveryCodeUsed) {
		t.Fatalf("an old code after renewal: %v", err)
	}
}

// TestTwoFactorKeyRotation: a secret encrypted with an old key still
// verifies, and is re-encrypted with the new key on that use.
func TestTwoFactorKeyRotation(t *testing.T) {
	oldKey, newKey := newKeyString(t), newKeyString(t)
	oldKeys := mustKeys(t, oldKey, "")
	now := time.Date(2026, 5, 4, 10, 0, 10, 0, time.UTC)
	db, u, secret, _ := twoFactorUser(t, oldKeys, now)
	rotated := mustKeys(t, newKey, "  "+newKeyString(t)+", "+oldKey)
	if err := models.VerifyTwoFactorCode(db, mustKeys(t, newKey, ""), u.ID, codeAt(t, secret, now.Add(time.Minute)), now.Add(time.Minute)); !errors.Is(err, models.ErrSecretKeyUnknown) {
		t.Fatalf("without the old key: %v", err)
	}
	at := now.Add(2 * time.Minute)
	if err := models.VerifyTwoFactorCode(db, rotated, u.ID, codeAt(t, secret, at), at); err != nil {
		t.Fatalf("with the old key among the old ones: %v", err)
	}
	tf, _ := models.TwoFactorOf(db, u.ID)
	if tf.KeyID != rotated.CurrentID() {
		t.Fatalf("key id %s after use, want the new key's %s", tf.KeyID, rotated.CurrentID())
	}
	at = at.Add(time.Minute)
	if err := models.VerifyTwoFactorCode(db, mustKeys(t, newKey, ""), u.ID, codeAt(t, secret, at), at); err != nil {
		t.Fatalf("new key alone after re-encryption: %v", err)
	}
	// A secret moved onto another user's row does not decrypt there.
	_, other := modeltest.Organizer(t, db, "TOTP org", "other-totp@example.org", models.RoleManager)
	db.Exec("INSERT INTO user_two_factors (user_id, secret, key_id, confirmed_at, last_used_step, created_at, updated_at) SELECT ?, secret, key_id, confirmed_at, 0, created_at, updated_at FROM user_two_factors WHERE user_id = ?", other.ID, u.ID)
	at = at.Add(time.Minute)
	if err := models.VerifyTwoFactorCode(db, rotated, other.ID, codeAt(t, secret, at), at); err == nil {
		t.Fatal("a copied secret verified for another user")
	}
}

func TestTwoFactorNeedsKey(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	_, u := modeltest.Organizer(t, db, "TOTP org", "nokey@example.org", models.RoleOwner)
	if _, err := models.StartTwoFactorSetup(db, nil, u, "Agora", time.Now()); !errors.Is(err, models.ErrNoSecretKey) {
		t.Fatalf("setup without a key: %v", err)
	}
}
