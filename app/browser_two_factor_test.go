package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// TestBrowserTwoFactorJourney: a team member sets up two-factor sign-in in
// a real browser (reading the key typed by hand from the page, the code
// computed as their app would), signs out, and signs in with password and
// code; each page passes axe's WCAG 2.2 AA rules. The steps are functions
// of their own so the journey can start earlier (an invitation accepted).
func TestBrowserTwoFactorJourney(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	const email = "owner-2fa-browser@example.org"
	clock := newTestClock()
	base := startTwoFactorServer(t, clock, func(db *gorm.DB) {
		modeltest.Organizer(t, db, "Browser org", email, models.RoleOwner)
	})
	ctx := newBrowser(t)
	browserPasswordSignIn(t, ctx, base, email, modeltest.Password)
	if !strings.HasSuffix(currentURL(t, ctx), "/manage") {
		t.Fatalf("after the password: %s", currentURL(t, ctx))
	}
	secret := browserSetUpTwoFactor(t, ctx, axeJS, clock)
	browserSignOut(t, ctx)

	browserPasswordSignIn(t, ctx, base, email, modeltest.Password)
	if !strings.HasSuffix(currentURL(t, ctx), signInCodeURL) {
		t.Fatalf("the password alone led to %s, want the code step", currentURL(t, ctx))
	}
	checkAxe(t, ctx, axeJS, "sign-in code")
	clock.nextStep()
	browserSignInCode(t, ctx, totpCode(t, secret, clock.Now()))
	if !strings.HasSuffix(currentURL(t, ctx), "/manage") || !strings.Contains(pageText(t, ctx), "Browser org") {
		t.Fatalf("after the code: %s\n%s", currentURL(t, ctx), pageText(t, ctx))
	}
}

// startTwoFactorServer is startServer with a secret key and the test's clock.
func startTwoFactorServer(t *testing.T, clock *testClock, setup func(db *gorm.DB)) string {
	t.Helper()
	db, _ := modeltest.NewDB(t)
	if setup != nil {
		setup(db)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	base := "http://" + ln.Addr().String()
	f, err := New(Config{BaseURL: base, SecretKey: newSecretKeyValue(t)},
		Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock.Now})
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	stop := serveTestApp(f, ln)
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Logf("server: %v", err)
		}
	})
	return base
}

// browserPasswordSignIn types e-mail and password on the sign-in page.
func browserPasswordSignIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	open(t, ctx, base+"/manage/login", 200)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), email), chromedp.SendKeys(chromedp.CSS("#f-password"), password))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
}

// browserSetUpTwoFactor goes from the dashboard to the setup page, types
// the app's code for the key shown for typing by hand, and leaves the
// recovery codes page; it returns the key.
func browserSetUpTwoFactor(t *testing.T, ctx context.Context, axeJS string, clock *testClock) string {
	t.Helper()
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main a[href="/manage/account/two-factor"]`)))
	checkAxe(t, ctx, axeJS, "two-factor setup")
	if !eval[bool](t, ctx, `(() => { const i = document.querySelector('main img'); return i.complete && i.naturalWidth > 0 })()`) {
		t.Fatal("the QR code did not load (CSP?)")
	}
	shown := eval[string](t, ctx, `document.querySelector('#twofactor-secret').innerText`)
	secret := strings.ReplaceAll(shown, " ", "")
	if len(secret) < 16 {
		t.Fatalf("manual key %q", shown)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-code"), totpCode(t, secret, clock.Now())))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "recovery codes")
	if n := eval[int](t, ctx, `document.querySelectorAll('#recovery-codes li').length`); n != models.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown\n%s", n, pageText(t, ctx))
	}
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main a.button[href="/manage/account/two-factor"]`)))
	if !strings.Contains(pageText(t, ctx), "Two-factor sign-in is on.") {
		t.Fatalf("after setup:\n%s", pageText(t, ctx))
	}
	checkAxe(t, ctx, axeJS, "two-factor on")
	return secret
}

// browserSignOut uses the sign-out button of the page's header.
func browserSignOut(t *testing.T, ctx context.Context) {
	t.Helper()
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`form[action="/manage/logout"] button`)))
}

// browserSignInCode types code on the code step.
func browserSignInCode(t *testing.T, ctx context.Context, code string) {
	t.Helper()
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-code"), code))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
}
