package app

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models/modeltest"
)

// browserTimeout bounds one browser test, so a hung page fails the test
// instead of the whole suite.
const browserTimeout = 90 * time.Second

// requireChromium skips the test (fails it in CI) without a browser. Browser
// tests call it first, before they build a database and start a server that
// a skip would only have to tear down again.
func requireChromium(t *testing.T) {
	t.Helper()
	skipBrowserOnPostgres(t)
	testenv.Chromium(t)
}

// skipBrowserOnPostgres: browser tests run in the SQLite pass only. What
// they check (pages, scripts, focus, axe) does not depend on the engine,
// and the PostgreSQL pass tests the same journeys through the HTTP app;
// running Chromium twice made the suite CPU-bound on two cores.
func skipBrowserOnPostgres(t *testing.T) {
	t.Helper()
	if modeltest.Engine() == "postgres" {
		t.Skip("browser tests run in the SQLite pass")
	}
}

// newBrowser returns a context for one tab of a headless Chromium, in a
// browser context of its own (its own cookies, storage and service workers,
// as a separate browser would have). The tabs of all tests share one
// Chromium process, started at the first call: starting one per test cost
// two seconds of CPU each. extra adds flags (third-party cookies blocked,
// for the embed test): such a test gets a Chromium of its own. Everything
// the tab holds is gone when the test ends.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	return newLongBrowser(t, browserTimeout, extra...)
}

// newLongBrowser is newBrowser for a test that needs longer than
// browserTimeout (one browser for many pages).
func newLongBrowser(t *testing.T, limit time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	skipBrowserOnPostgres(t)
	bin := testenv.Chromium(t)
	if len(extra) > 0 {
		ctx, stop := startChromium(t, bin, t.TempDir(), extra...)
		t.Cleanup(stop)
		return ctx
	}
	for attempt := 0; ; attempt++ {
		shared := sharedChromium(t, bin)
		tab, cancelTab := chromedp.NewContext(shared, chromedp.WithNewBrowserContext())
		ctx, cancelTimeout := context.WithTimeout(tab, limit)
		_, err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900))
		if err == nil {
			t.Cleanup(func() { cancelTimeout(); cancelTab() })
			return ctx
		}
		cancelTimeout()
		cancelTab()
		if attempt == 2 {
			t.Fatalf("open a tab in chromium (%s), 3 attempts: %v", bin, err)
		}
		t.Logf("open a tab in chromium, attempt %d of 3: %v; starting chromium again", attempt+1, err)
		restartSharedChromium()
	}
}

// The Chromium that the tests' tabs share. It lives as long as the test
// process (the kernel stops it with the process: chromedp sets Pdeathsig).
var shared struct {
	sync.Mutex
	ctx  context.Context
	stop func()
	dir  string
}

func sharedChromium(t *testing.T, bin string) context.Context {
	t.Helper()
	shared.Lock()
	defer shared.Unlock()
	if shared.ctx == nil {
		dir, err := os.MkdirTemp("", "agora-chromium-")
		if err != nil {
			t.Fatal(err)
		}
		shared.ctx, shared.stop = startChromium(t, bin, dir)
		shared.dir = dir
	}
	return shared.ctx
}

func restartSharedChromium() {
	shared.Lock()
	defer shared.Unlock()
	if shared.stop != nil {
		shared.stop()
		os.RemoveAll(shared.dir)
	}
	shared.ctx, shared.stop, shared.dir = nil, nil, ""
}

// startChromium starts a headless Chromium with its profile in dir and
// returns its first tab's context and the function that stops it.
func startChromium(t *testing.T, bin, dir string, extra ...chromedp.ExecAllocatorOption) (context.Context, func()) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	opts = append(opts, extra...)
	// Chromium now and then dies at start-up on a busy machine (seen as
	// "chrome failed to start" with a crashpad message); a fresh profile and
	// a second try is what a person would do too.
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		profile := filepath.Join(dir, fmt.Sprintf("profile-%d", attempt))
		o := append(opts[:len(opts):len(opts)], chromedp.UserDataDir(profile))
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), o...)
		bctx, cancelTab := chromedp.NewContext(actx)
		// The first run starts the browser, which then lives as long as bctx.
		if lastErr = chromedp.Do(bctx); lastErr == nil {
			return bctx, func() { cancelTab(); cancelAlloc() }
		}
		cancelTab()
		cancelAlloc()
		t.Logf("start chromium (%s), attempt %d of 3: %v", bin, attempt+1, lastErr)
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("start chromium (%s), 3 attempts: %v", bin, lastErr)
	return nil, nil
}

// open navigates to url and fails unless the page answers with want.
func open(t *testing.T, ctx context.Context, url string, want int) {
	t.Helper()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	if int(res.Status) != want {
		t.Fatalf("open %s: status %d, want %d", url, res.Status, want)
	}
}

// follow runs steps that start a navigation (a click on a link or a submit
// button) and waits for the new page; it fails unless the page answers with want.
func follow(t *testing.T, ctx context.Context, want int, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		t.Fatalf("navigation: %v", err)
	}
	if int(res.Status) != want {
		html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		t.Fatalf("navigation to %s: status %d, want %d\n%s", res.URL, res.Status, want, html)
	}
}

// eval runs JavaScript in the page and returns its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// pageText is the visible text of the page.
func pageText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.body.innerText`)
}

// currentURL is the address of the page in the tab.
func currentURL(t *testing.T, ctx context.Context) string {
	t.Helper()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	return u
}

// do runs steps that stay on the page.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// setInput gives a field a value the way a script must for datetime-local
// inputs (typing into them differs between browsers and locales), then fires
// the events a person's typing would.
func setInput(sel, value string) chromedp.Action[chromedp.Void] {
	js := `(() => { const el = document.querySelector(` + jsString(sel) + `);
	  if (!el) throw new Error("no element ` + strings.ReplaceAll(sel, `"`, `'`) + `");
	  el.value = ` + jsString(value) + `;
	  el.dispatchEvent(new Event("input", {bubbles: true}));
	  el.dispatchEvent(new Event("change", {bubbles: true}));
	})()`
	return chromedp.Evaluate[chromedp.Void](js)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "<", `\u003c`)
	return `"` + r.Replace(s) + `"`
}

// axeViolation is one failed axe-core rule with the elements that fail it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeTags are the WCAG 2.2 AA rule sets.
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]`

// runAxe injects axe-core into the open page (once) and returns the page's
// violations of the WCAG 2.2 AA rules. DevTools evaluation is not subject to
// the page's Content-Security-Policy, so the site's CSP stays strict.
func runAxe(t *testing.T, ctx context.Context, axeJS string) []axeViolation {
	t.Helper()
	if ok := eval[bool](t, ctx, `typeof window.axe === "object"`); !ok {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeJS)); err != nil {
			t.Fatalf("inject axe-core: %v", err)
		}
	}
	js := `axe.run(document, {runOnly: {type: "tag", values: ` + axeTags + `}, resultTypes: ["violations"]})
	  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
	    targets: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " "))})))`
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	return violations
}

// checkAxe fails the test for each WCAG 2.2 AA violation on the open page.
func checkAxe(t *testing.T, ctx context.Context, axeJS, page string) {
	t.Helper()
	for _, v := range runAxe(t, ctx, axeJS) {
		t.Errorf("%s: axe %s (%s): %s\n    %s", page, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n    "))
	}
}

// statusOf fetches url without a browser, for pages the test only counts.
func statusOf(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	res.Body.Close()
	return res.StatusCode
}

// axeSource is axe-core's source, or a skip (a failure in CI) without it.
func axeSource(t *testing.T) string {
	t.Helper()
	return testenv.AxeJS(t)
}
