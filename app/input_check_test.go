package app

import (
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestCheckValueCleansWhatCannotBeStored(t *testing.T) {
	cases := []struct{ in, out, problem string }{
		{"plain text", "plain text", ""},
		{"two\nlines\r\n\tindented", "two\nlines\r\n\tindented", ""},
		{"Ana\x00María", "AnaMaría", inputBadChars},
		{"bell\x07 and del\x7f", "bell and del", inputBadChars},
		{"caf\xe9", "caf\uFFFD", inputBadChars},
		{"\xff\xfe\x00", "\uFFFD", inputBadChars},
		{strings.Repeat("é", maxInputBytes), strings.Repeat("é", maxInputBytes), inputTooLong},
	}
	for _, c := range cases {
		out, problem := checkValue([]byte(c.in))
		if string(out) != c.out || problem != c.problem {
			t.Errorf("checkValue(%.20q) = %.20q, %q; want %.20q, %q", c.in, out, problem, c.out, c.problem)
		}
	}
}

// hostileInputs are what a hostile client (or a broken keyboard driver)
// sends; PostgreSQL refuses the first three in a text column.
var hostileInputs = []string{"x\x00y", "caf\xe9\xff", "\x01\x02\x1b[31m", strings.Repeat("Ω", maxInputBytes/2+10)}

// The registration form keeps what the person typed, without the bytes that
// cannot be stored, says so beside the field, and saves nothing.
func TestRegisterFormRefusesUnstorableBytesBesideTheField(t *testing.T) {
	r := newRegEnv(t)
	v := r.form(t, r.tt.ID, 1)
	v.Set("buyer_name", "Ana\x00 María")
	v.Set("attendees.0.organization", "Care\xff Coop")
	res := r.c.post("/events/"+r.ev.Slug+"/register", v)
	mustStatus(t, res, http.StatusUnprocessableEntity, "register with NUL")
	mustContain(t, res.Body, "register with NUL", `value="Ana María"`, "Care\uFFFD Coop",
		"could not be stored as it was", `id="f-buyer_name-error"`)
	var n int64
	r.db.Model(&models.Order{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d orders saved from a refused form", n)
	}
}

// TestHostileInputNeverFails crawls the site as a visitor, an attendee with
// their order link, a participant signed in to meetings and an owner; it
// sends every page again with hostile query parameters and posts every form
// it finds with hostile values in each field. Nothing may answer 5xx (on
// PostgreSQL a NUL byte reaching a query was a 500), and the counters still
// match the rows afterwards.
func TestHostileInputNeverFails(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	f, err := New(Config{BaseURL: "http://agora.test", SignInLimit: 100000},
		Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	mf := newMeetingFixture(t, db, "hostile-forum", 3, models.ModeRequests)
	rf := newRegFixture(t, db, mf.Event)
	// Content in three languages: the organizers' forms carry per-language fields (issue 13).
	if err := models.SetEventLanguages(db, mf.Event, "en", []string{"en", "el", "fr"}); err != nil {
		t.Fatal(err)
	}

	visitor := newClient(t, f)
	attendee := newClient(t, f)
	participant := newClient(t, f)
	signInToMeetings(t, participant, db, mf.Event, mf.Attendees[0])
	optIn(t, participant, mf.Event, "Care Coop", "telecare", "funding")
	owner := newClient(t, f)
	owner.signIn("owner-hostile-forum@example.org")

	ev := "/events/" + mf.Event.Slug
	live := hostileLiveBoard(t, db, mf.Event) // the live board's pages (issue 15)
	_, invToken := rolesInvitation(t, db, mf.Org.ID, "invitee-hostile@example.org")
	invitationPage := "/invitations/" + invToken
	crawls := []struct {
		name  string
		c     *client
		seeds []string
	}{
		{"visitor", visitor, []string{"/", ev, ev + "/register", ev + "/register?voucher=" + rf.Voucher.Code, "/orders/lost", ev + "/meetings/signin", "/manage/login"}},
		{"attendee", attendee, []string{"/orders/" + rf.Order.Secret}},
		{"delegate", newClient(t, f), []string{"/tickets/" + delegateLink(t, db, rf.Order.ID)}},
		{"participant", participant, []string{ev + "/meetings"}},
		{"owner", owner, []string{"/manage", "/manage/events/new"}},
		{"invitee", newClient(t, f), []string{invitationPage}}, // team invitations (issue 11)
		{"owner-invitation", owner, []string{"/manage" + invitationPage}},
		// Embedded pages (framed on an organization's site, no cookies) and the owners' list (embed-feeds).
		{"framed", newClient(t, f), []string{"/embed" + ev + "/register", "/embed" + ev + "/programme"}},
		{"owner-embed", owner, []string{fmt.Sprintf("/manage/orgs/%d/embed", mf.Org.ID), fmt.Sprintf("/manage/events/%d/embed", mf.Event.ID)}},
		{"live", newClient(t, f), live.public},
		{"owner-live", owner, live.manage},
	}
	posts, gets := 0, 0
	for _, cr := range crawls {
		pages := crawl(t, cr.c, cr.seeds, 80)
		for _, p := range pages {
			for _, hv := range hostileInputs[:3] {
				q := url.Values{}
				for _, k := range []string{"voucher", "next", "kind", "q", "status", "page", "ticket", "category", "event", "welcome", "session", "lang"} {
					q.Set(k, hv)
				}
				sep := "?"
				if strings.Contains(p.url, "?") {
					sep = "&"
				}
				res := cr.c.get(p.url + sep + q.Encode())
				gets++
				if res.Status >= 500 {
					t.Errorf("%s: GET %s with %q in the query: %d\n%.400s", cr.name, p.url, hv, res.Status, res.Body)
				}
			}
			for _, fm := range p.forms {
				if crawlSkipsForm(fm.action) {
					continue
				}
				cr.c.get(p.url) // the form's page, as a browser has it
				for _, field := range fm.fields {
					for _, hv := range hostileInputs {
						v := url.Values{}
						for _, other := range fm.fields {
							v.Set(other, fm.values[other])
						}
						v.Set(field, hv)
						res := cr.c.post(fm.action, v)
						if res.Status == http.StatusForbidden {
							// An earlier post renewed the session (and its
							// CSRF token): fetch the page again, as a person
							// would reload it, and send the post once more.
							cr.c.get(p.url)
							v.Del("_csrf")
							res = cr.c.post(fm.action, v)
						}
						posts++
						if res.Status >= 500 {
							t.Errorf("%s: POST %s (form on %s) with %.20q in %s: %d\n%.400s", cr.name, fm.action, p.url, hv, field, res.Status, res.Body)
						}
					}
				}
			}
		}
	}
	t.Logf("%d hostile GETs and %d hostile posts on %s", gets, posts, modeltest.Engine())
	if posts < 200 {
		t.Fatalf("only %d posts: the crawl found too few forms", posts)
	}
	checkCounters(t, db)

	// A cookie that is not clean text is ignored, not looked up. (fasthttp
	// itself refuses control bytes in a header with a 400; invalid UTF-8
	// passes its parser and reaches the app.)
	req := httptest.NewRequest(http.MethodGet, "/manage", nil)
	req.Header.Set("Cookie", "agora_session=\xff\xfe; agora_lang=e\xffs; agora_csrf=\xfe")
	res, err := f.Test(req)
	if err != nil {
		t.Fatalf("hostile cookies: %v", err)
	}
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("hostile cookies: status %d", res.StatusCode)
	}
}

// crawlSkipsForm reports forms the crawl leaves alone: they end the session or
// remove what the rest of the crawl needs (their inputs are the same kinds).
func crawlSkipsForm(action string) bool {
	for _, w := range []string{"logout", "delete", "cancel", "anonymise", "withdraw", "remove", "signout", "leave"} {
		if strings.Contains(action, w) {
			return true
		}
	}
	return false
}

type crawledPage struct {
	url   string
	forms []crawledForm
}

type crawledForm struct {
	action string
	fields []string
	values map[string]string
}

var (
	hrefRe   = regexp.MustCompile(`href="(/[^"]*)"`)
	formRe   = regexp.MustCompile(`(?s)<form([^>]*)>(.*?)</form>`)
	actionRe = regexp.MustCompile(`action="([^"]*)"`)
	methodRe = regexp.MustCompile(`method="([^"]*)"`)
	fieldRe  = regexp.MustCompile(`<(?:input|select|textarea)([^>]*)>`)
	nameRe   = regexp.MustCompile(`name="([^"]+)"`)
	valueRe  = regexp.MustCompile(`value="([^"]*)"`)
)

// crawl follows same-site links from seeds (breadth first, at most max
// pages) and collects the POST forms on each page.
func crawl(t *testing.T, c *client, seeds []string, max int) []crawledPage {
	t.Helper()
	seen := map[string]bool{}
	queue := append([]string(nil), seeds...)
	var out []crawledPage
	for len(queue) > 0 && len(out) < max {
		u := queue[0]
		queue = queue[1:]
		if seen[u] || skipLink(u) {
			continue
		}
		seen[u] = true
		res := c.get(u)
		if res.Status >= 500 {
			t.Errorf("crawl: GET %s: %d", u, res.Status)
		}
		if res.Status != http.StatusOK || !strings.Contains(res.Header.Get(fiber.HeaderContentType), "text/html") {
			continue
		}
		p := crawledPage{url: u}
		for _, m := range formRe.FindAllStringSubmatch(res.Body, -1) {
			attrs, inner := m[1], m[2]
			if mm := methodRe.FindStringSubmatch(attrs); mm == nil || !strings.EqualFold(mm[1], "post") {
				continue
			}
			fm := crawledForm{action: u, values: map[string]string{}}
			if am := actionRe.FindStringSubmatch(attrs); am != nil && am[1] != "" {
				fm.action = html.UnescapeString(am[1])
			}
			for _, fld := range fieldRe.FindAllStringSubmatch(inner, -1) {
				nm := nameRe.FindStringSubmatch(fld[1])
				if nm == nil || nm[1] == "_csrf" {
					continue
				}
				name := html.UnescapeString(nm[1])
				if _, dup := fm.values[name]; !dup {
					fm.fields = append(fm.fields, name)
				}
				if vm := valueRe.FindStringSubmatch(fld[1]); vm != nil {
					fm.values[name] = html.UnescapeString(vm[1])
				} else if _, ok := fm.values[name]; !ok {
					fm.values[name] = "text"
				}
			}
			sort.Strings(fm.fields)
			p.forms = append(p.forms, fm)
		}
		out = append(out, p)
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

func skipLink(u string) bool {
	for _, p := range []string{"/static/", "/lang/", "/metrics", "/stripe/"} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return strings.HasSuffix(u, ".ics") || strings.HasSuffix(u, ".csv") || strings.Contains(u, ".csv?") || strings.Contains(u, "/download")
}
