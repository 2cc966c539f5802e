package app

import (
	"html"
	"io"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

// The whole-site checks (every page in a browser, every page through the
// HTML validator) crawl the demo as each kind of person sees it. Pages are
// the same on both database engines, so they run in the SQLite pass only.

// demoAdminEmail is the site admin the whole-site checks add to the demo.
const demoAdminEmail = "site-admin@example.org"

// demoSite is the demo data served on a real listener, with the people who
// look at it: each role's client holds that person's signed-in cookies.
type demoSite struct {
	base  string
	app   *fiber.App
	db    *gorm.DB
	roles []demoRole
}

// demoRole is one kind of person and where their crawl starts.
type demoRole struct {
	name   string
	client *client
	seeds  []string
}

// demoPage is one crawled page: who saw it, its address, shape and HTML.
type demoPage struct {
	role, url, shape, body string
}

// onlySQLitePass skips a whole-site check in the PostgreSQL pass.
func onlySQLitePass(t *testing.T) {
	t.Helper()
	if modeltest.Engine() == "postgres" {
		t.Skip("pages are the same on both engines: this check runs in the SQLite pass")
	}
}

// newDemoSite seeds the demo, adds an attendee order on the event with
// networking (people with long e-mail addresses, all in the directory)
// and a site admin, serves the app and signs each role in.
func newDemoSite(t *testing.T) *demoSite {
	t.Helper()
	db, _ := modeltest.NewDB(t)
	now := time.Now()
	if _, err := demo.Seed(db, now); err != nil {
		t.Fatal(err)
	}
	secret, attendeeID := demoAttendees(t, db, now)
	if _, err := models.CreateUser(db, demoAdminEmail, "Site Admin", modeltest.Password, true); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	base := "http://" + ln.Addr().String()
	f, err := New(Config{BaseURL: base, SignInLimit: 100000},
		Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	stop := serveTestApp(f, ln)
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Logf("server: %v", err)
		}
	})
	s := &demoSite{base: base, app: f, db: db}

	visitor := newClient(t, f)
	attendee := newClient(t, f)
	// The personal link's meetings page asks which of the order's
	// attendees is there; the first one signs in.
	attendee.get("/orders/" + secret + "/meetings")
	if r := attendee.post("/orders/"+secret+"/meetings", url.Values{"attendee": {strconv.FormatUint(uint64(attendeeID), 10)}}); r.Status != 303 {
		t.Fatalf("attendee's networking sign-in: %d\n%.300s", r.Status, r.Body)
	}
	organizer := newClient(t, f)
	organizer.get("/manage/login")
	if r := organizer.post("/manage/login", url.Values{"email": {demo.OrganizerEmail}, "password": {demo.OrganizerPassword}}); r.Status != 303 {
		t.Fatalf("demo organizer's sign-in: %d", r.Status)
	}
	admin := newClient(t, f)
	admin.signIn(demoAdminEmail)
	s.roles = []demoRole{
		{"visitor", visitor, []string{"/", "/orders/lost", "/manage/login"}},
		{"attendee", attendee, []string{"/orders/" + secret, "/events/" + demo.SymposiumSlug + "/meetings"}},
		{"organizer", organizer, []string{"/manage"}},
		{"admin", admin, []string{"/admin", "/manage"}},
	}
	return s
}

// demoAttendees places a confirmed order of three attendees on the demo's
// networking event, opts all in to the directory with profiles, books a
// meeting and leaves a request open, and returns the order's secret (its
// personal link) and its first attendee.
func demoAttendees(t *testing.T, db *gorm.DB, now time.Time) (string, uint) {
	t.Helper()
	var e models.Event
	if err := db.Where("slug = ?", demo.SymposiumSlug).Take(&e).Error; err != nil {
		t.Fatal(err)
	}
	var tt models.TicketType
	if err := db.Where("event_id = ?", e.ID).Order("id").Take(&tt).Error; err != nil {
		t.Fatal(err)
	}
	var consents []models.ConsentText
	db.Where("event_id = ?", e.ID).Order("version DESC").Find(&consents)
	var ids []uint
	kinds := map[string]bool{}
	for _, c := range consents { // the current version of each kind
		if !kinds[c.Kind] {
			kinds[c.Kind] = true
			ids = append(ids, c.ID)
		}
	}
	var questions []models.Question
	db.Where("event_id = ? AND required = ?", e.ID, true).Find(&questions)
	answers := map[uint]string{}
	for _, q := range questions {
		answers[q.ID] = "yes"
		if opts := q.OptionList(); len(opts) > 0 {
			answers[q.ID] = opts[len(opts)-1]
		}
	}
	// Long unbroken addresses: the narrow layouts must wrap them.
	in := models.PlaceOrderInput{EventID: e.ID, TicketTypeID: tt.ID, BuyerName: "Maria Antonia Fernández-Castellanos",
		BuyerEmail: "maria.antonia.fernandez-castellanos@very-long-hospital-name.example.org", Language: "en",
		Attendees: []models.AttendeeInput{
			{Name: "Maria Antonia Fernández-Castellanos", Email: "maria.antonia.fernandez-castellanos@very-long-hospital-name.example.org",
				Organization: "Hospital Universitario de la Comarca", ConsentTextIDs: ids, Answers: answers},
			{Name: "Jan de Vries", Email: "jan.de.vries.telecare.research@university-medical-centre.example.org",
				Organization: "University Medical Centre", ConsentTextIDs: ids, Answers: answers},
			{Name: "Élodie Marchand", Email: "elodie.marchand@example.org", Organization: "Ville de Liège",
				ConsentTextIDs: ids, Answers: answers},
		}}
	o, err := models.PlaceOrder(db, in)
	if err != nil {
		t.Fatalf("demo order: %v", err)
	}
	set, err := models.NetworkingFor(db, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	profiles := []models.ProfileInput{
		{Organization: "Hospital Universitario de la Comarca", Role: "Geriatrician", Country: "Spain",
			Bio: "Runs the falls clinic.", Offers: "Clinical pilots of telecare", Needs: "Partners for remote monitoring",
			Interests: []string{"Ageing at home", "Falls prevention"}},
		{Organization: "University Medical Centre", Role: "Researcher", Country: "Netherlands",
			Offers: "Evaluation methods", Needs: "Sites for a pilot", Interests: []string{"Evidence and evaluation"}},
		{Organization: "Ville de Liège", Role: "Policy officer", Country: "Belgium", Offers: "Procurement of innovation",
			Needs: "Evidence on telecare"},
	}
	var parts []*models.MeetingParticipant
	for i, a := range o.Attendees {
		p, err := models.SaveProfile(db, set, a.ID, profiles[i], now)
		if err != nil {
			t.Fatalf("profile: %v", err)
		}
		parts = append(parts, p)
	}
	// The first attendee has a booked meeting (their agenda shows it) and a
	// request waiting for an answer.
	for i, from := range []uint{parts[1].ID, parts[2].ID} {
		slots, err := models.FreeSlots(db, e.ID, parts[0].ID, from, now)
		if err != nil || len(slots) == 0 {
			t.Fatalf("no free slot for a meeting request (%v)", err)
		}
		req, err := models.SendRequest(db, models.RequestInput{EventID: e.ID, From: from, To: parts[0].ID,
			SlotID: slots[0].ID, Message: "Shall we talk about a pilot?", Now: now})
		if err != nil {
			t.Fatalf("demo meeting request: %v", err)
		}
		if i == 0 {
			if _, err := models.AcceptRequest(db, e.ID, parts[0].ID, req.ID, now); err != nil {
				t.Fatalf("accept the demo request: %v", err)
			}
		}
	}
	return o.Secret, o.Attendees[0].ID
}

var (
	numberSegment = regexp.MustCompile(`^\d+$`)
	secretSegment = regexp.MustCompile(`^[A-Za-z0-9_-]{16,}$`)
)

// pageShape is the kind of page a URL is: numbers, secrets and event slugs
// in the path become placeholders and the query keeps only its keys, so
// the pages of every event or order share one shape.
func pageShape(u string) string {
	path, query, _ := strings.Cut(u, "?")
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case numberSegment.MatchString(s):
			segs[i] = ":n"
		case secretSegment.MatchString(s):
			segs[i] = ":secret"
		case i > 0 && segs[i-1] == "events" && s != "":
			segs[i] = ":slug"
		}
	}
	shape := strings.Join(segs, "/")
	if q, err := url.ParseQuery(query); err == nil && len(q) > 0 {
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		shape += "?" + strings.Join(keys, "&")
	}
	return shape
}

// crawlDemo follows same-site links from each role's seeds and keeps at
// most perShape pages of each shape across all roles (the first role to
// reach a shape shows it). Sign-out, downloads and streams are left out.
func (s *demoSite) crawlDemo(t *testing.T, perShape int) []demoPage {
	t.Helper()
	count := map[string]int{}
	var out []demoPage
	for _, r := range s.roles {
		seen := map[string]bool{}
		queue := append([]string(nil), r.seeds...)
		for len(queue) > 0 && len(out) < 1000 {
			u := queue[0]
			queue = queue[1:]
			shape := pageShape(u)
			if seen[u] || count[shape] >= perShape || skipLink(u) || strings.Contains(u, "/logout") ||
				strings.Contains(u, "/stream") || strings.HasSuffix(u, ".pdf") || strings.HasSuffix(u, ".json") {
				continue
			}
			seen[u] = true
			res := r.client.get(u)
			if res.Status >= 500 {
				t.Errorf("%s: GET %s: %d\n%.300s", r.name, u, res.Status, res.Body)
			}
			if res.Status != 200 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
				continue
			}
			count[shape]++
			out = append(out, demoPage{role: r.name, url: u, shape: shape, body: res.Body})
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
	}
	return out
}

// byRole counts the pages each role showed, for the tests' logs
// ("visitor 30, attendee 9, ...").
func byRole(pages []demoPage) string {
	var order []string
	n := map[string]int{}
	for _, p := range pages {
		if n[p.role] == 0 {
			order = append(order, p.role)
		}
		n[p.role]++
	}
	parts := make([]string, len(order))
	for i, r := range order {
		parts[i] = r + " " + strconv.Itoa(n[r])
	}
	return strings.Join(parts, ", ")
}
