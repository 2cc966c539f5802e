package app

import (
	"encoding/json"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
	"github.com/agora-events/agora/views"
)

// plainTexts reads lang's messages that are plain strings (id → text).
func plainTexts(t *testing.T, lang string) map[string]string {
	t.Helper()
	out := map[string]string{}
	paths, _ := fs.Glob(views.FS, "i18n/"+lang+"/*.json")
	for _, p := range paths {
		buf, _ := fs.ReadFile(views.FS, p)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(buf, &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for k, raw := range m {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				out[k] = s
			} else {
				out[k] = "" // plural forms: present, not compared
			}
		}
	}
	return out
}

// englishOnly are interface texts on most pages whose English wording no
// other language shares; a page in another language that shows one of them
// fell back to English (its translation is missing).
var englishOnly = []string{"nav.skip", "nav.events", "nav.language", "nav.signout", "nav.organizers",
	"footer.text", "register.cta", "form.save", "form.edit", "signin.submit", "home.upcoming", "home.past"}

var (
	rawIDRe = regexp.MustCompile(`\b[a-z_]+\.[a-z_.]*[a-z_]\b`)
	// machineAttrs hold codes no one reads (an audit filter's option
	// value "event.cancelled" is an action code, not a missing message).
	machineAttrs = regexp.MustCompile(`\s(?:value|name|href|id|class|for|action|src|method|type|autocomplete|pattern|rel|content)="[^"]*"`)
	// machineText is text no language translates: code (an API field such
	// as order.code) and text marked as English (the API reference's tags
	// and summaries, which come from the English OpenAPI document).
	machineText = regexp.MustCompile(`<code>[^<]*</code>|<span lang="en">[^<]*</span>`)
)

// TestEveryDemoPageInEveryLanguage walks the demo's public pages and its
// organizer's pages in each interface language: every page renders (status
// below 500), says it is in that language, and shows neither a raw message
// id nor an English interface text that the language translates.
func TestEveryDemoPageInEveryLanguage(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	if _, err := demo.Seed(db, time.Now()); err != nil {
		t.Fatal(err)
	}
	f, err := New(Config{BaseURL: "http://agora.test", SignInLimit: 100000},
		Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	en := plainTexts(t, "en")
	ids := map[string]bool{} // every id of every language: any may show raw
	for _, lang := range Languages {
		for id := range plainTexts(t, lang) {
			ids[id] = true
		}
	}
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			texts := plainTexts(t, lang)
			type check struct{ id, re string }
			var foreign []check
			if lang != "en" {
				for _, id := range englishOnly {
					if tr, ok := texts[id]; en[id] == "" || ok && tr == en[id] {
						continue // the language writes it the same way
					}
					foreign = append(foreign, check{id, `(?:>\s*|")` + regexp.QuoteMeta(en[id]) + `(?:\s*<|")`})
				}
			}
			visitor := newClient(t, f)
			visitor.cookies[langCookie] = lang
			organizer := newClient(t, f)
			organizer.cookies[langCookie] = lang
			organizer.get("/manage/login")
			if r := organizer.post("/manage/login", url.Values{"email": {demo.OrganizerEmail}, "password": {demo.OrganizerPassword}}); r.Status != 303 {
				t.Fatalf("demo organizer's sign-in: %d\n%.400s", r.Status, r.Body)
			}
			rawIDs := map[string][]string{}  // id → pages
			english := map[string][]string{} // id → pages
			pages := 0
			for _, cr := range []struct {
				c     *client
				seeds []string
			}{{visitor, []string{"/", "/orders/lost", "/manage/login"}}, {organizer, []string{"/manage"}}} {
				for _, p := range crawlPages(t, cr.c, cr.seeds, 400) {
					pages++
					p.body = machineText.ReplaceAllString(p.body, "")
					if !strings.Contains(p.body, `<html lang="`+lang+`"`) {
						t.Errorf("%s: not marked lang=%q", p.url, lang)
					}
					for _, m := range rawIDRe.FindAllString(machineAttrs.ReplaceAllString(p.body, ""), -1) {
						if ids[m] {
							rawIDs[m] = append(rawIDs[m], p.url)
						}
					}
					for _, ch := range foreign {
						if regexp.MustCompile(ch.re).MatchString(p.body) {
							english[ch.id] = append(english[ch.id], p.url)
						}
					}
				}
			}
			if pages < 40 {
				t.Fatalf("only %d pages: the crawl is broken", pages)
			}
			report := func(what string, found map[string][]string) {
				keys := make([]string, 0, len(found))
				for k := range found {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					t.Errorf("%s: %s %q on %d pages, e.g. %s", lang, what, k, len(found[k]), found[k][0])
				}
			}
			report("raw message id", rawIDs)
			report("English text (untranslated) of", english)
			t.Logf("%s: %d pages on %s", lang, pages, modeltest.Engine())
		})
	}
}

// crawledBody is a page the crawl fetched, with its HTML.
type crawledBody struct{ url, body string }

// crawlPages follows same-site links from seeds like crawl, keeping each
// HTML page's body.
func crawlPages(t *testing.T, c *client, seeds []string, max int) []crawledBody {
	t.Helper()
	seen := map[string]bool{}
	queue := append([]string(nil), seeds...)
	var out []crawledBody
	for len(queue) > 0 && len(out) < max {
		u := queue[0]
		queue = queue[1:]
		if seen[u] || skipLink(u) || strings.Contains(u, "/logout") {
			continue
		}
		seen[u] = true
		res := c.get(u)
		if res.Status >= 500 {
			t.Errorf("GET %s: %d\n%.300s", u, res.Status, res.Body)
		}
		if res.Status != 200 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		out = append(out, crawledBody{u, res.Body})
		for _, m := range hrefRe.FindAllStringSubmatch(res.Body, -1) {
			link := html.UnescapeString(m[1])
			if i := strings.IndexByte(link, '#'); i >= 0 {
				link = link[:i]
			}
			if link != "" && !seen[link] {
				queue = append(queue, link)
			}
		}
	}
	return out
}
