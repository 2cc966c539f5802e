package app

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

const tfOwner = "owner-2fa@example.org"

// TestTwoFactorSetUpAndSignInWithCode: set up with the app's code, then a
// password alone no longer signs in; the code does, once.
func TestTwoFactorSetUpAndSignInWithCode(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	c := newClient(t, f)
	c.signIn(tfOwner)
	secret, _ := setUpTwoFactor(t, c, clock)
	if n := auditCount(t, db, models.AuditTwoFactorOn); n != 1 {
		t.Fatalf("%d audit entries for turning it on", n)
	}
	page := c.get(twoFactorSetupURL)
	if !strings.Contains(page.Body, "Recovery codes left: 10") || strings.Contains(page.Body, "data-secret") {
		t.Fatalf("page once on:\n%s", page.Body)
	}
	signOutClient(c)

	passwordStep(t, c, tfOwner)
	if r := c.get("/manage"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/manage/login") {
		t.Fatalf("after the password alone /manage gave %d %s, want the sign-in page", r.Status, r.Location)
	}
	clock.nextStep()
	wrong := "000000"
	if totpCode(t, secret, clock.Now()) == wrong {
		wrong = "111111"
	}
	r := codeStep(c, wrong)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "That code is not right") {
		t.Fatalf("wrong code: %d\n%s", r.Status, r.Body)
	}
	code := totpCode(t, secret, clock.Now())
	r = codeStep(c, code[:3]+" "+code[3:])
	if r.Status != http.StatusSeeOther || r.Location != "/manage" {
		t.Fatalf("right code: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	if r := c.get("/manage"); r.Status != http.StatusOK {
		t.Fatalf("signed in: /manage gave %d", r.Status)
	}

	// The same code again (its step was used) is refused, even a step later.
	signOutClient(c)
	passwordStep(t, c, tfOwner)
	r = codeStep(c, code)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "used already") {
		t.Fatalf("replayed code: %d\n%s", r.Status, r.Body)
	}
	clock.nextStep()
	r = codeStep(c, code)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("replayed code a step later: %d\n%s", r.Status, r.Body)
	}
	// The wrong and the replayed codes are failed sign-ins in the owners' log.
	var failed int64
	db.Model(&models.AuditEntry{}).Where("action = ? AND detail LIKE ?", models.AuditSignInFailed, "wrong second factor%").Count(&failed)
	if failed != 3 {
		t.Fatalf("%d failed sign-ins with a wrong second factor in the log, want 3", failed)
	}
}

// TestTwoFactorCodeStepExpires: the password step is good for a few minutes.
func TestTwoFactorCodeStepExpires(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	c := newClient(t, f)
	c.signIn(tfOwner)
	secret, _ := setUpTwoFactor(t, c, clock)
	signOutClient(c)
	passwordStep(t, c, tfOwner)
	clock.advance(6 * time.Minute)
	r := c.post(signInCodeURL, url.Values{"code": {totpCode(t, secret, clock.Now())}})
	if r.Status != http.StatusSeeOther || r.Location != "/manage/login" {
		t.Fatalf("code after 6 minutes: %d %s", r.Status, r.Location)
	}
	if r := c.get("/manage"); r.Status != http.StatusSeeOther {
		t.Fatalf("signed in after an expired code step: %d", r.Status)
	}
}

// TestTwoFactorBruteForceIsStopped: after five wrong codes even the right
// one is refused for a while, so guessing gets nowhere.
func TestTwoFactorBruteForceIsStopped(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	c := newClient(t, f)
	c.signIn(tfOwner)
	secret, _ := setUpTwoFactor(t, c, clock)
	signOutClient(c)
	passwordStep(t, c, tfOwner)
	clock.nextStep()
	right := totpCode(t, secret, clock.Now())
	tried := 0
	for guess := 100000; tried < twoFactorTries; guess++ {
		g := fmt.Sprintf("%06d", guess)
		if g == right || g == totpCode(t, secret, clock.Now().Add(-30*time.Second)) || g == totpCode(t, secret, clock.Now().Add(30*time.Second)) {
			continue
		}
		if r := codeStep(c, g); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", tried, r.Status)
		}
		tried++
	}
	r := codeStep(c, right)
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "Too many wrong codes") {
		t.Fatalf("right code after %d wrong ones: %d\n%s", tried, r.Status, r.Body)
	}
	// Another browser that knows the password is limited the same: the
	// count is the account's.
	other := newClient(t, f)
	passwordStep(t, other, tfOwner)
	if r := codeStep(other, right); r.Status != http.StatusTooManyRequests {
		t.Fatalf("second browser: %d", r.Status)
	}
	if r := c.get("/manage"); r.Status != http.StatusSeeOther {
		t.Fatalf("signed in while blocked: %d", r.Status)
	}
}

// TestTwoFactorRecoveryCodeWorksOnce: a recovery code signs in once (and is
// in the audit log); the second time it is refused.
func TestTwoFactorRecoveryCodeWorksOnce(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	c := newClient(t, f)
	c.signIn(tfOwner)
	_, codes := setUpTwoFactor(t, c, clock)
	signOutClient(c)

	passwordStep(t, c, tfOwner)
	r := codeStep(c, strings.ToUpper(codes[2]))
	if r.Status != http.StatusSeeOther || r.Location != "/manage" {
		t.Fatalf("recovery code: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	if page := c.get("/manage"); !strings.Contains(page.Body, "You signed in with a recovery code") {
		t.Fatalf("no word about the recovery code:\n%s", page.Body)
	}
	if n := auditCount(t, db, models.AuditRecoveryCodeUsed); n != 1 {
		t.Fatalf("%d audit entries for the recovery code", n)
	}
	var e models.AuditEntry
	db.Where("action = ?", models.AuditRecoveryCodeUsed).Take(&e)
	if e.ActorEmail != tfOwner || e.ActorUserID == nil {
		t.Fatalf("audit entry names %q", e.ActorEmail)
	}
	if page := c.get(twoFactorSetupURL); !strings.Contains(page.Body, "Recovery codes left: 9") {
		t.Fatalf("codes left:\n%s", page.Body)
	}
	signOutClient(c)
	passwordStep(t, c, tfOwner)
	r = codeStep(c, codes[2])
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "used already") {
		t.Fatalf("recovery code twice: %d\n%s", r.Status, r.Body)
	}
}

// TestTwoFactorSameCodeRacedSignsInOnce sends the right code from several
// requests of the same sign-in at once: one signs in.
func TestTwoFactorSameCodeRacedSignsInOnce(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	first := newClient(t, f)
	first.signIn(tfOwner)
	secret, _ := setUpTwoFactor(t, first, clock)
	for round := 0; round < 3; round++ {
		c := newClient(t, f)
		passwordStep(t, c, tfOwner)
		c.get(signInCodeURL)
		clock.nextStep()
		code := totpCode(t, secret, clock.Now())
		clients := []*client{c, c.clone(), c.clone(), c.clone()}
		results := make([]response, len(clients))
		var wg sync.WaitGroup
		for i, cl := range clients {
			wg.Add(1)
			go func(i int, cl *client) {
				defer wg.Done()
				results[i] = cl.post(signInCodeURL, url.Values{"code": {code}})
			}(i, cl)
		}
		wg.Wait()
		in := 0
		for _, r := range results {
			switch {
			case r.Status == http.StatusSeeOther && r.Location == "/manage":
				in++
			case r.Status >= 500:
				t.Fatalf("round %d: %d\n%s", round, r.Status, r.Body)
			}
		}
		if in != 1 {
			t.Fatalf("round %d: %d sign-ins with one code, want 1", round, in)
		}
	}
}

// TestTwoFactorKeyRotation: after the key changes, with the old one in
// AGORA_SECRET_KEY_OLD, codes still work and the secret moves to the new
// key on that use; then the new key alone is enough.
func TestTwoFactorKeyRotation(t *testing.T) {
	clock := newTestClock()
	oldKey, newKey := newSecretKeyValue(t), newSecretKeyValue(t)
	f, db := twoFactorApp(t, nil, clock, oldKey, "")
	modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	c := newClient(t, f)
	c.signIn(tfOwner)
	secret, _ := setUpTwoFactor(t, c, clock)

	// The new key alone cannot read the secret: the code step says so and
	// points to the recovery codes, and nobody gets in.
	alone, _ := twoFactorApp(t, db, clock, newKey, "")
	c = newClient(t, alone)
	passwordStep(t, c, tfOwner)
	clock.nextStep()
	if r := codeStep(c, totpCode(t, secret, clock.Now())); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "recovery codes") {
		t.Fatalf("code with the old key missing: %d\n%s", r.Status, r.Body)
	}

	rotated, _ := twoFactorApp(t, db, clock, newKey, oldKey)
	c = newClient(t, rotated)
	passwordStep(t, c, tfOwner)
	clock.nextStep()
	if r := codeStep(c, totpCode(t, secret, clock.Now())); r.Status != http.StatusSeeOther || r.Location != "/manage" {
		t.Fatalf("code during the rotation: %d\n%s", r.Status, r.Body)
	}
	keys, _ := models.ParseSecretKeys(newKey, "")
	tf, _ := models.TwoFactorOf(db, tfUserID(t, db))
	if tf.KeyID != keys.CurrentID() {
		t.Fatalf("secret still under key %s after its use, want %s", tf.KeyID, keys.CurrentID())
	}

	alone, _ = twoFactorApp(t, db, clock, newKey, "")
	c = newClient(t, alone)
	passwordStep(t, c, tfOwner)
	clock.nextStep()
	if r := codeStep(c, totpCode(t, secret, clock.Now())); r.Status != http.StatusSeeOther {
		t.Fatalf("new key alone after re-encryption: %d\n%s", r.Status, r.Body)
	}
}

func tfUserID(t *testing.T, db *gorm.DB) uint {
	t.Helper()
	var u models.User
	if err := db.Where("email = ?", tfOwner).Take(&u).Error; err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestTwoFactorWithoutKeyRefusesSetup: without AGORA_SECRET_KEY the page
// says the operator has not set it up, the form refuses, and an owner
// cannot require it; a site admin is not held to it (and the log warns).
func TestTwoFactorWithoutKeyRefusesSetup(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	if _, err := models.CreateUser(db, "admin-2fa@example.org", "Admin", modeltest.Password, true); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	f, err := New(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "AGORA_SECRET_KEY IS NOT SET") {
		t.Errorf("no warning at start-up with an admin and no key:\n%s", logs.String())
	}
	c := newClient(t, f)
	c.signIn(tfOwner)
	page := c.get(twoFactorSetupURL)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "the site&#39;s operator has not set it up") || strings.Contains(page.Body, "data-secret") {
		t.Fatalf("setup page without a key: %d\n%s", page.Status, page.Body)
	}
	r := c.post(twoFactorSetupURL, url.Values{"code": {"123456"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "operator has not set it up") {
		t.Fatalf("confirm without a key: %d\n%s", r.Status, r.Body)
	}
	orgPage := fmt.Sprintf("/manage/orgs/%d/two-factor", org.ID)
	c.get(orgPage)
	r = c.post(orgPage, url.Values{"require": {"1"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "cannot be required yet") {
		t.Fatalf("require without a key: %d\n%s", r.Status, r.Body)
	}
	var n int64
	db.Model(&models.TwoFactor{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d two-factor rows without a key", n)
	}
	admin := newClient(t, f)
	admin.signIn("admin-2fa@example.org")
	if r := admin.get("/admin/"); r.Status != http.StatusOK {
		t.Fatalf("admin without a key: %d %s", r.Status, r.Location)
	}

	// A malformed key stops the start with a message naming it.
	if _, err := New(Config{SecretKey: "not-a-key"}, Deps{DB: db}); err == nil || !strings.Contains(err.Error(), "AGORA_SECRET_KEY") {
		t.Fatalf("malformed key: %v", err)
	}
}

// TestTwoFactorRequiredByOrganization: an owner requires it (audited); a
// manager without it then reaches only the setup page until they set it
// up, and cannot turn it off afterwards.
func TestTwoFactorRequiredByOrganization(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	org, _ := modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	modeltest.Organizer(t, db, "Two-factor org", "manager-2fa@example.org", models.RoleManager)
	ev := modeltest.Event(t, db, org.ID, "required-2fa", models.StatusDraft)

	mgr := newClient(t, f)
	mgr.signIn("manager-2fa@example.org")
	if r := mgr.get("/manage"); r.Status != http.StatusOK {
		t.Fatalf("before the requirement: %d", r.Status)
	}

	owner := newClient(t, f)
	owner.signIn(tfOwner)
	orgPage := fmt.Sprintf("/manage/orgs/%d/two-factor", org.ID)
	if r := owner.get(orgPage); r.Status != http.StatusOK || !strings.Contains(r.Body, "Not set up") {
		t.Fatalf("org page: %d\n%s", r.Status, r.Body)
	}
	// A forged form (no valid CSRF token) changes nothing.
	if r := owner.post(orgPage, url.Values{"require": {"1"}, "_csrf": {"forged"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("forged: %d", r.Status)
	}
	if n := auditCount(t, db, models.AuditTwoFactorRequired); n != 0 {
		t.Fatalf("forged form audited %d", n)
	}
	owner.get(orgPage)
	if r := owner.post(orgPage, url.Values{"require": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("require: %d\n%s", r.Status, r.Body)
	}
	if n := auditCount(t, db, models.AuditTwoFactorRequired); n != 1 {
		t.Fatalf("%d audit entries for the requirement", n)
	}

	// The manager's live session is held to it at the next request.
	for _, p := range []string{"/manage", fmt.Sprintf("/manage/events/%d", ev.ID), orgPage} {
		if r := mgr.get(p); r.Status != http.StatusSeeOther || r.Location != twoFactorSetupURL {
			t.Fatalf("%s without two-factor: %d %s, want the setup page", p, r.Status, r.Location)
		}
	}
	mgr.get(twoFactorSetupURL)
	if r := mgr.post(fmt.Sprintf("/manage/events/%d/edit", ev.ID), url.Values{"title": {"Hijack"}}); r.Status != http.StatusSeeOther || r.Location != twoFactorSetupURL {
		t.Fatalf("a post without two-factor: %d %s", r.Status, r.Location)
	}
	secret, _ := setUpTwoFactor(t, mgr, clock)
	if r := mgr.get(fmt.Sprintf("/manage/events/%d", ev.ID)); r.Status != http.StatusOK {
		t.Fatalf("after setting it up: %d %s", r.Status, r.Location)
	}
	page := mgr.get(twoFactorSetupURL)
	if !strings.Contains(page.Body, "cannot be turned off") || strings.Contains(page.Body, "/two-factor/disable") {
		t.Fatalf("required, yet offered to turn off:\n%s", page.Body)
	}
	clock.nextStep()
	r := mgr.post(twoFactorSetupURL+"/disable", url.Values{"disable_confirm": {totpCode(t, secret, clock.Now())}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("disable while required: %d", r.Status)
	}
	if on, _ := models.TwoFactorConfirmed(db, tfUserIDOf(t, db, "manager-2fa@example.org")); !on {
		t.Fatal("turned off while required")
	}

	// The owner, who has no second factor yet, is held to it too.
	if r := owner.get("/manage"); r.Status != http.StatusSeeOther || r.Location != twoFactorSetupURL {
		t.Fatalf("owner: %d %s", r.Status, r.Location)
	}
}

func tfUserIDOf(t *testing.T, db *gorm.DB, email string) uint {
	t.Helper()
	var u models.User
	if err := db.Where("email = ?", email).Take(&u).Error; err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestTwoFactorAdminsMustUseIt: with a key, a site admin signed in with a
// password reaches only the setup page until they set it up.
func TestTwoFactorAdminsMustUseIt(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	if _, err := models.CreateUser(db, "admin-2fa@example.org", "Admin", modeltest.Password, true); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f)
	c.signIn("admin-2fa@example.org")
	for _, p := range []string{"/admin/", "/manage", "/admin/orgs/new"} {
		if r := c.get(p); r.Status != http.StatusSeeOther || r.Location != twoFactorSetupURL {
			t.Fatalf("%s: %d %s, want the setup page", p, r.Status, r.Location)
		}
	}
	page := c.get(twoFactorSetupURL)
	if !strings.Contains(page.Body, "Set up two-factor sign-in to continue") || !strings.Contains(page.Body, "You must set up") {
		t.Fatalf("setup page:\n%s", page.Body)
	}
	secret, _ := setUpTwoFactor(t, c, clock)
	if r := c.get("/admin/"); r.Status != http.StatusOK {
		t.Fatalf("admin after setup: %d", r.Status)
	}
	signOutClient(c)
	c.get("/manage/login")
	r := c.post("/manage/login", url.Values{"email": {"admin-2fa@example.org"}, "password": {modeltest.Password}, "next": {"/admin/"}})
	if r.Location != signInCodeURL {
		t.Fatalf("admin password step: %d %s", r.Status, r.Location)
	}
	clock.nextStep()
	if r := codeStep(c, totpCode(t, secret, clock.Now())); r.Location != "/admin/" {
		t.Fatalf("admin code step: %d %s, want next kept", r.Status, r.Location)
	}
}

// TestTwoFactorFormsNeedCSRF: a forged confirm or code step does nothing.
func TestTwoFactorFormsNeedCSRF(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	c := newClient(t, f)
	c.signIn(tfOwner)
	page := c.get(twoFactorSetupURL)
	secret := manualSecret.FindStringSubmatch(page.Body)[1]
	r := c.post(twoFactorSetupURL, url.Values{"code": {totpCode(t, secret, clock.Now())}, "_csrf": {"forged"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "expired") {
		t.Fatalf("forged confirm: %d\n%s", r.Status, r.Body)
	}
	if on, _ := models.TwoFactorConfirmed(db, tfUserID(t, db)); on {
		t.Fatal("turned on by a forged form")
	}
	secret, codes := setUpTwoFactor(t, c, clock)
	for _, form := range []string{"/recovery-codes", "/disable"} {
		field := map[string]string{"/recovery-codes": "renew_confirm", "/disable": "disable_confirm"}[form]
		if r := c.post(twoFactorSetupURL+form, url.Values{field: {modeltest.Password}, "_csrf": {"forged"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("forged %s: %d", form, r.Status)
		}
	}
	if n, _ := models.RecoveryCodesLeft(db, tfUserID(t, db)); n != 10 {
		t.Fatalf("%d codes after forged forms", n)
	}
	signOutClient(c)
	passwordStep(t, c, tfOwner)
	clock.nextStep()
	r = c.post(signInCodeURL, url.Values{"code": {totpCode(t, secret, clock.Now())}, "_csrf": {"forged"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("forged code step: %d", r.Status)
	}
	r = c.post(signInCodeURL, url.Values{"code": {codes[0]}, "_csrf": {""}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("code step without a token: %d", r.Status)
	}
	if n, _ := models.RecoveryCodesLeft(db, tfUserID(t, db)); n != 10 {
		t.Fatalf("a forged code step spent a recovery code")
	}
}

// TestTwoFactorRenewAndTurnOff: new recovery codes (with the password)
// replace the old ones; turning off (with a code) is audited and the next
// sign-in needs only the password.
func TestTwoFactorRenewAndTurnOff(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	c := newClient(t, f)
	c.signIn(tfOwner)
	secret, old := setUpTwoFactor(t, c, clock)
	c.get(twoFactorSetupURL)
	r := c.post(twoFactorSetupURL+"/recovery-codes", url.Values{"renew_confirm": {"wrong password"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "neither a current code") {
		t.Fatalf("renew with a wrong password: %d\n%s", r.Status, r.Body)
	}
	r = c.post(twoFactorSetupURL+"/recovery-codes", url.Values{"renew_confirm": {modeltest.Password}})
	fresh := recoveryCodes.FindAllStringSubmatch(r.Body, -1)
	if r.Status != http.StatusOK || len(fresh) != 10 || fresh[0][1] == old[0] {
		t.Fatalf("renew: %d\n%s", r.Status, r.Body)
	}
	if n := auditCount(t, db, models.AuditRecoveryCodesRenewed); n != 1 {
		t.Fatalf("%d audit entries for renewing", n)
	}
	c.get(twoFactorSetupURL)
	clock.nextStep()
	r = c.post(twoFactorSetupURL+"/disable", url.Values{"disable_confirm": {totpCode(t, secret, clock.Now())}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("turn off: %d\n%s", r.Status, r.Body)
	}
	if n := auditCount(t, db, models.AuditTwoFactorOff); n != 1 {
		t.Fatalf("%d audit entries for turning off", n)
	}
	signOutClient(c)
	c.signIn(tfOwner) // the password alone again
	if r := c.get("/manage"); r.Status != http.StatusOK {
		t.Fatalf("after turning off: %d", r.Status)
	}
}
