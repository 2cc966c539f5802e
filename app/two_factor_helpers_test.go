package app

import (
	"crypto/rand"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// newTestClock is a testClock (accounts_helpers_test.go) for two-factor
// tests: codes are computed at its time, and nextStep gives the next code.
func newTestClock() *testClock {
	// Ten seconds into a step, so the first code is not near a step's end.
	return &testClock{t: time.Now().UTC().Truncate(30 * time.Second).Add(10 * time.Second)}
}

// nextStep moves the clock one TOTP step (30 s) on.
func (c *testClock) nextStep() { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(30 * time.Second) }

func (c *testClock) advance(d time.Duration) { c.Add(d) }

func newSecretKeyValue(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// twoFactorApp builds the app with a secret key on db (a fresh one when nil).
func twoFactorApp(t *testing.T, db *gorm.DB, clock *testClock, key, old string) (*fiber.App, *gorm.DB) {
	t.Helper()
	if db == nil {
		db, _ = modeltest.NewDB(t)
	}
	f, err := New(Config{BaseURL: "http://agora.test", SecretKey: key, SecretKeyOld: old},
		Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock.Now})
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	return f, db
}

// totpCode is what the person's authenticator app shows at the time.
func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

var (
	manualSecret  = regexp.MustCompile(`data-secret="([A-Z2-7]+)"`)
	recoveryCodes = regexp.MustCompile(`<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>`)
)

// setUpTwoFactor turns two-factor sign-in on for the signed-in client, as a
// person does: reads the key from the page, types the app's code.
func setUpTwoFactor(t *testing.T, c *client, clock *testClock) (secret string, codes []string) {
	t.Helper()
	page := c.get(twoFactorSetupURL)
	if page.Status != http.StatusOK {
		t.Fatalf("setup page: %d %s", page.Status, page.Location)
	}
	m := manualSecret.FindStringSubmatch(page.Body)
	if m == nil || !strings.Contains(page.Body, `src="data:image/png;base64,`) {
		t.Fatalf("setup page without key or QR code:\n%s", page.Body)
	}
	secret = m[1]
	r := c.post(twoFactorSetupURL, url.Values{"code": {totpCode(t, secret, clock.Now())}})
	if r.Status != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", r.Status, r.Body)
	}
	for _, m := range recoveryCodes.FindAllStringSubmatch(r.Body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != models.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown:\n%s", len(codes), r.Body)
	}
	return secret, codes
}

// passwordStep signs in with the password and expects the code step.
func passwordStep(t *testing.T, c *client, email string) {
	t.Helper()
	c.get("/manage/login")
	r := c.post("/manage/login", url.Values{"email": {email}, "password": {modeltest.Password}})
	if r.Status != http.StatusSeeOther || r.Location != signInCodeURL {
		t.Fatalf("password step: %d %q, want the code step", r.Status, r.Location)
	}
}

// codeStep types code on the code step's form.
func codeStep(c *client, code string) response {
	c.t.Helper()
	c.get(signInCodeURL)
	return c.post(signInCodeURL, url.Values{"code": {code}})
}

// signOut uses the sign-out button.
func signOutClient(c *client) {
	c.t.Helper()
	c.get("/manage/login")
	c.post("/manage/logout", nil)
}

func auditCount(t *testing.T, db *gorm.DB, action string) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.AuditEntry{}).Where("action = ?", action).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// clone is another connection of the same browser: the same cookies and
// CSRF token, its own jar from here on (for racing requests).
func (c *client) clone() *client {
	cp := &client{t: c.t, app: c.app, cookies: map[string]string{}, csrf: c.csrf, lang: c.lang}
	for k, v := range c.cookies {
		cp.cookies[k] = v
	}
	return cp
}
