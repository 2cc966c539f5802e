package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// everyPageWidths are the viewport widths every page is laid out at: the
// narrowest phone, a common phone, a laptop.
var everyPageWidths = []int64{1280, 375, 320}

// axeEveryPageTags are the rules the every-page check runs: WCAG 2.2 AA and
// axe's best practices.
const axeEveryPageTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]`

// overflowJS measures horizontal overflow of the page: 0 when nothing is
// wider than the viewport, else the page's width and the selector of the
// element that sticks out furthest (leaving out what sits inside its own
// scroll box, which scrolls rather than widens the page).
const overflowJS = `(() => {
  const de = document.documentElement, cw = de.clientWidth;
  if (de.scrollWidth <= cw) return "";
  // An ancestor that scrolls or clips holds el in, unless el is positioned
  // absolutely and that ancestor is not its containing block.
  const clipped = el => { let abs = getComputedStyle(el).position === "absolute";
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const cs = getComputedStyle(p);
      if (!abs && cs.overflowX !== "visible") return true;
      if (abs && cs.position !== "static") { abs = false; if (cs.overflowX !== "visible") return true; }
    } return false; };
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + [...el.classList].join(".") : "");
  let worst = null, right = cw;
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect().right;
    if (r > right + 0.5 && !clipped(el)) { worst = el; right = r; }
  }
  let sel = worst ? name(worst) : "?";
  for (let p = worst && worst.parentElement, i = 0; p && p !== document.body && i < 3; p = p.parentElement, i++) sel = name(p) + " > " + sel;
  const text = worst ? (worst.textContent || "").trim().slice(0, 60) : "";
  return de.scrollWidth + "px wide; widest: " + sel + " (" + Math.round(right) + "px) " + JSON.stringify(text);
})()`

// clippedTextJS lists text held in a small box that scrolls up and down
// (a consent text with max-height and overflow, say): a person on a phone
// reads it through a slot. Form fields and visually hidden text scroll or
// clip by design.
const clippedTextJS = `(() => {
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.matches("textarea, select, .visually-hidden, .visually-hidden *")) continue;
    const o = getComputedStyle(el).overflowY;
    if ((o === "auto" || o === "scroll" || o === "hidden") && el.clientHeight > 1 && el.scrollHeight > el.clientHeight + 2 &&
        (el.textContent || "").trim() !== "")
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.classList.length ? "." + [...el.classList].join(".") : "") +
        " (" + el.clientHeight + " of " + el.scrollHeight + "px shown)");
  }
  return out.join("; ");
})()`

// TestBrowserEveryPage opens every kind of page of the demo (public,
// attendee, organizer, admin; a few of each URL shape) in one headless
// Chromium at 1280, 375 and 320 px wide, in English and Spanish: no page
// may scroll sideways at any width, no text sits in a small box that
// scrolls up and down at 375 px, and axe-core finds no WCAG 2.2 AA or
// best-practice violation at 1280 and 375 px (once per shape and width).
func TestBrowserEveryPage(t *testing.T) {
	onlySQLitePass(t)
	requireChromium(t)
	axeJS := axeSource(t)
	started := time.Now()
	s := newDemoSite(t)
	pages := s.crawlDemo(t, 2)
	if len(pages) < 40 {
		t.Fatalf("only %d pages: the crawl is broken", len(pages))
	}
	// Every page in English at each width; one page of each shape in
	// Spanish at 375 px (its longer words are the ones that overflow).
	var jobs []pageJob
	spanish := map[string]bool{}
	for _, p := range pages {
		jobs = append(jobs, pageJob{p, "en", everyPageWidths})
	}
	for _, p := range pages {
		if !spanish[p.shape] {
			spanish[p.shape] = true
			jobs = append(jobs, pageJob{p, "es", []int64{375}})
		}
	}
	// Two tabs work at once (the pages' layout and axe run in each tab's
	// own renderer process); each role and language has its own browser
	// context, so its cookies are set once.
	ctx := newLongBrowser(t, 5*time.Minute, chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true), chromedp.Flag("disable-backgrounding-occluded-windows", true))
	host, _ := url.Parse(s.base)
	r := &everyPageRun{s: s, host: host.Hostname(), axeJS: axeJS, axeDone: map[string]bool{}}
	queue := make(chan pageJob)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tabs := map[string]context.Context{}
			var closeTabs []context.CancelFunc
			defer func() {
				for _, cancel := range closeTabs {
					cancel()
				}
			}()
			for j := range queue {
				key := j.page.role + " " + j.lang
				tab := tabs[key]
				if tab == nil {
					var cancel context.CancelFunc
					tab, cancel = chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
					closeTabs = append(closeTabs, cancel)
					if err := r.signIn(tab, j.page.role, j.lang); err != nil {
						r.fail("%s (%s): %v", j.page.url, key, err)
						continue
					}
					tabs[key] = tab
				}
				r.check(tab, j)
			}
		}()
	}
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	wg.Wait()
	for _, p := range r.problems {
		t.Error(p)
	}
	t.Logf("%d pages (%s) of %d shapes, %d page loads, %d axe runs, in %s", len(pages), byRole(pages), len(spanish), len(jobs),
		len(r.axeDone), time.Since(started).Round(time.Second))
}

// pageJob is one page to open in one language, and the widths to check.
type pageJob struct {
	page   demoPage
	lang   string
	widths []int64
}

// everyPageRun is what the tabs of TestBrowserEveryPage share.
type everyPageRun struct {
	s        *demoSite
	host     string
	axeJS    string
	mu       sync.Mutex
	axeDone  map[string]bool // shape, language and width that axe checked
	problems []string
}

func (r *everyPageRun) fail(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// claimAxe reports whether this tab is the first to check key with axe.
func (r *everyPageRun) claimAxe(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.axeDone[key] {
		return false
	}
	r.axeDone[key] = true
	return true
}

// signIn gives the tab's browser context the role's session cookies and
// the interface language.
func (r *everyPageRun) signIn(tab context.Context, role, lang string) error {
	c := r.s.roleClient(role)
	params := network.SetCookiesParams{Cookies: []*network.CookieParam{{Name: langCookie, Value: lang, Domain: r.host, Path: "/"}}}
	for k, v := range c.cookies {
		if k != langCookie {
			params.Cookies = append(params.Cookies, &network.CookieParam{Name: k, Value: v, Domain: r.host, Path: "/"})
		}
	}
	_, err := chromedp.Call(tab, network.SetCookies, params)
	return err
}

// check opens the page and, at each width, measures its overflow and (the
// first time for its shape) runs axe.
func (r *everyPageRun) check(tab context.Context, j pageJob) {
	p := j.page
	where := fmt.Sprintf("%s (%s, %s)", p.url, p.role, j.lang)
	if _, err := chromedp.Run(tab, chromedp.NavigateResponse(r.s.base+p.url)); err != nil {
		r.fail("%s: open: %v", where, err)
		return
	}
	for _, w := range j.widths {
		if _, err := chromedp.Call(tab, emulation.SetDeviceMetricsOverride,
			emulation.SetDeviceMetricsOverrideParams{Width: w, Height: 900, DeviceScaleFactor: 1}); err != nil {
			r.fail("%s: resize to %dpx: %v", where, w, err)
			return
		}
		msg, err := chromedp.Run(tab, chromedp.Evaluate[string](overflowJS))
		if err != nil {
			r.fail("%s: measure: %v", where, err)
			return
		}
		if msg != "" {
			r.fail("%s at %dpx scrolls sideways: %s", where, w, msg)
		}
		if w == 375 {
			clipped, err := chromedp.Run(tab, chromedp.Evaluate[string](clippedTextJS))
			if err != nil {
				r.fail("%s: measure: %v", where, err)
				return
			}
			if clipped != "" {
				r.fail("%s at %dpx shows text in a small scrolling box: %s", where, w, clipped)
			}
		}
		if w == 320 || !r.claimAxe(fmt.Sprintf("%s %s %d", p.shape, j.lang, w)) {
			continue
		}
		vs, err := axeRun(tab, r.axeJS, axeEveryPageTags)
		if err != nil {
			r.fail("%s: axe: %v", where, err)
			return
		}
		for _, v := range vs {
			r.fail("%s at %dpx: axe %s (%s): %s\n    %s", where, w, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n    "))
		}
	}
}

// axeRun injects axe-core into the open page (once per page load) and
// returns the violations of the rules with tags.
func axeRun(tab context.Context, axeJS, tags string) ([]axeViolation, error) {
	has, err := chromedp.Run(tab, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, err
	}
	if !has {
		if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](axeJS)); err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", err)
		}
	}
	js := `axe.run(document, {runOnly: {type: "tag", values: ` + tags + `}, resultTypes: ["violations"]})
	  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
	    targets: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " "))})))`
	return chromedp.Run(tab, chromedp.Evaluate[[]axeViolation](js, chromedp.EvalAwaitPromise))
}

// roleClient is the signed-in client of the role named name.
func (s *demoSite) roleClient(name string) *client {
	for _, r := range s.roles {
		if r.name == name {
			return r.client
		}
	}
	return nil
}
