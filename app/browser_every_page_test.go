package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
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

// TestBrowserEveryPage opens every kind of page of the demo (public,
// attendee, organizer, admin; a few of each URL shape) in one headless
// Chromium at 1280, 375 and 320 px wide, in English and Spanish: no page
// may scroll sideways at any width, and axe-core finds no WCAG 2.2 AA or
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
	ctx := newLongBrowser(t, 5*time.Minute)
	host, _ := url.Parse(s.base)
	shapes := map[string]bool{}
	axeDone := map[string]bool{} // shape+lang+width
	loads := 0
	for _, lang := range []string{"en", "es"} {
		role := ""
		for _, p := range pages {
			if lang == "es" && shapes[p.shape+"es"] {
				continue // one page per shape in Spanish
			}
			shapes[p.shape+lang] = true
			if p.role != role {
				role = p.role
				setRoleCookies(t, ctx, host.Hostname(), s.roleClient(role), lang)
			}
			if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(s.base+p.url)); err != nil {
				t.Errorf("%s: open: %v", p.url, err)
				continue
			}
			loads++
			widths := everyPageWidths
			if lang == "es" {
				widths = []int64{375}
			}
			for _, w := range widths {
				if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride,
					emulation.SetDeviceMetricsOverrideParams{Width: w, Height: 900, DeviceScaleFactor: 1}); err != nil {
					t.Fatalf("resize: %v", err)
				}
				if msg := eval[string](t, ctx, overflowJS); msg != "" {
					t.Errorf("%s (%s, %s) at %dpx scrolls sideways: %s", p.url, p.role, lang, w, msg)
				}
				key := fmt.Sprintf("%s %s %d", p.shape, lang, w)
				if w == 320 || axeDone[key] {
					continue
				}
				axeDone[key] = true
				for _, v := range runAxeTags(t, ctx, axeJS, axeEveryPageTags) {
					t.Errorf("%s (%s, %s) at %dpx: axe %s (%s): %s\n    %s", p.url, p.role, lang, w, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n    "))
				}
			}
		}
	}
	t.Logf("%d pages of %d shapes, %d page loads, %d axe runs, in %s", len(pages), len(shapes)/2, loads, len(axeDone), time.Since(started).Round(time.Second))
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

// setRoleCookies gives the browser the role's session (and no other) and
// the interface language.
func setRoleCookies(t *testing.T, ctx context.Context, host string, c *client, lang string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatalf("clear cookies: %v", err)
	}
	params := network.SetCookiesParams{Cookies: []*network.CookieParam{{Name: langCookie, Value: lang, Domain: host, Path: "/"}}}
	for k, v := range c.cookies {
		if k != langCookie {
			params.Cookies = append(params.Cookies, &network.CookieParam{Name: k, Value: v, Domain: host, Path: "/"})
		}
	}
	if _, err := chromedp.Call(ctx, network.SetCookies, params); err != nil {
		t.Fatalf("cookies: %v", err)
	}
}

// runAxeTags is runAxe with another set of rule tags; axe is injected once
// per page load.
func runAxeTags(t *testing.T, ctx context.Context, axeJS, tags string) []axeViolation {
	t.Helper()
	if ok := eval[bool](t, ctx, `typeof window.axe === "object"`); !ok {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeJS)); err != nil {
			t.Fatalf("inject axe-core: %v", err)
		}
	}
	js := `axe.run(document, {runOnly: {type: "tag", values: ` + tags + `}, resultTypes: ["violations"]})
	  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
	    targets: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " "))})))`
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	return violations
}
