package app

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

var (
	titleTag     = regexp.MustCompile(`<title>([^<]*)</title>`)
	metaDesc     = regexp.MustCompile(`<meta name="description" content="([^"]*)">`)
	noindexMeta  = regexp.MustCompile(`<meta name="robots" content="noindex[^"]*">`)
	canonicalTag = regexp.MustCompile(`<link rel="canonical" href="(https?://[^"]+)">`)
	eventLink    = regexp.MustCompile(`href="(/events/[a-z0-9-]+)"`)
	htmlLang     = regexp.MustCompile(`<html lang="([a-z]{2})">`)
)

// Public pages are crawled from the home page: each has a title, a meta
// description, a canonical link and no noindex; private pages say noindex.
func TestPublicPagesHaveDescriptionsPrivatePagesNoindex(t *testing.T) {
	f, db := newTestApp(t)
	if _, err := demo.Seed(db, time.Now()); err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	bare := modeltest.Event(t, db, org.ID, "no-summary", models.StatusPublished)
	db.Model(bare).Update("summary", "")
	models.BumpEventVersion(db, bare.ID)
	c := newClient(t, f)

	public := []string{"/", "/?kind=forum", "/docs/api"}
	seen := map[string]bool{}
	for _, m := range eventLink.FindAllStringSubmatch(c.get("/").Body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			public = append(public, m[1])
		}
	}
	if len(public) < 5 {
		t.Fatalf("crawled only %v", public)
	}
	for _, lang := range []string{"en", "fr"} {
		c.lang = lang
		for _, path := range public {
			r := c.get(path)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d", path, r.Status)
			}
			title := titleTag.FindStringSubmatch(r.Body)
			desc := metaDesc.FindAllStringSubmatch(r.Body, -1)
			switch {
			case title == nil || strings.TrimSpace(title[1]) == "":
				t.Errorf("%s (%s): no title", path, lang)
			case len(desc) != 1 || len(strings.TrimSpace(desc[0][1])) < 20:
				t.Errorf("%s (%s): meta descriptions %q", path, lang, desc)
			case len([]rune(html.UnescapeString(desc[0][1]))) > maxDescription:
				t.Errorf("%s (%s): description of %d characters", path, lang, len([]rune(desc[0][1])))
			case noindexMeta.MatchString(r.Body) || r.Header.Get("X-Robots-Tag") != "":
				t.Errorf("%s (%s): an indexable page says noindex", path, lang)
			case len(canonicalTag.FindAllString(r.Body, -1)) != 1:
				t.Errorf("%s (%s): canonical links %q", path, lang, canonicalTag.FindAllString(r.Body, -1))
			}
			if m := htmlLang.FindStringSubmatch(r.Body); m == nil || m[1] != lang {
				t.Errorf("%s: <html lang> %v, want %s", path, m, lang)
			}
		}
	}
	c.lang = "en"
	if d := metaDesc.FindStringSubmatch(c.get("/events/no-summary").Body); d == nil || !strings.Contains(d[1], "Org A") {
		t.Errorf("an event without a summary: description %q", d)
	}

	// Private pages: sign-in, the organizer area, registration, an order's page.
	ct, err := models.SetConsentText(db, bare.ID, models.ConsentPrivacy, "We keep your data.")
	if err != nil {
		t.Fatal(err)
	}
	tt := &models.TicketType{EventID: bare.ID, Name: "Free", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1}
	if err := db.Create(tt).Error; err != nil {
		t.Fatal(err)
	}
	o, err := models.PlaceOrder(db, models.PlaceOrderInput{EventID: bare.ID, TicketTypeID: tt.ID, BuyerName: "Bea", BuyerEmail: "bea@example.org",
		Language: "en", Attendees: []models.AttendeeInput{{Name: "Bea", Email: "bea@example.org", ConsentTextIDs: []uint{ct.ID}}}})
	if err != nil {
		t.Fatal(err)
	}
	private := []string{"/manage/login", "/orders/lost", "/events/no-summary/register", "/orders/" + o.Secret, "/definitely/not/here"}
	check := func(path string) {
		r := c.get(path)
		if !noindexMeta.MatchString(r.Body) && !strings.Contains(r.Header.Get("X-Robots-Tag"), "noindex") {
			t.Errorf("%s (%d): a private page without noindex", path, r.Status)
		}
	}
	for _, p := range private {
		check(p)
	}
	c.signIn("a@example.org")
	for _, p := range []string{"/manage", fmt.Sprintf("/manage/events/%d/edit", bare.ID), fmt.Sprintf("/manage/orgs/%d/settings", org.ID), "/manage/account"} {
		check(p)
	}

	robots := c.get("/robots.txt")
	if robots.Status != http.StatusOK || !strings.Contains(robots.Body, "Disallow: /manage/") || strings.Contains(robots.Body, "Disallow: /events") {
		t.Fatalf("robots.txt: %d\n%s", robots.Status, robots.Body)
	}
}

func TestMetaDescriptionIsTrimmed(t *testing.T) {
	long := strings.Repeat("Patients and carers meet clinicians ", 10)
	got := metaDescription("  Line one\n\n" + long)
	if n := len([]rune(got)); n > maxDescription || !strings.HasSuffix(got, "…") || strings.Contains(got, "\n") || strings.HasPrefix(got, " ") {
		t.Fatalf("%d characters: %q", n, got)
	}
	if got := metaDescription("Short <b>one</b>"); got != "Short <b>one</b>" {
		t.Fatalf("short: %q", got) // the template escapes it
	}
}
