package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/agora-events/agora/models"
)

// prepareMeetings adds an event with networking on (one block of 15
// 20-minute slots, tables), people registered and opted in, and one sign-in
// link per person, written to tokensFile as "participantID token" lines.
func prepareMeetings(dsn string, people, tables int, tokensFile string) error {
	db, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		return err
	}
	if err := models.Migrate(db); err != nil {
		return err
	}
	org, err := models.FindOrCreateOrganization(db, "Load test organization")
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	slug := fmt.Sprintf("load-meetings-%d", now.Unix())
	start := now.Add(30 * 24 * time.Hour).Truncate(time.Hour)
	ev := &models.Event{OrganizationID: org.ID, Slug: slug, Kind: models.KindSymposium, Title: "Load test symposium", TimeZone: "Europe/Brussels",
		StartsAt: start, EndsAt: start.Add(10 * time.Hour), Status: models.StatusPublished}
	if err := models.CreateEvent(db, ev); err != nil {
		return err
	}
	ct, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "We keep your data for the event.")
	if err != nil {
		return err
	}
	tt := &models.TicketType{EventID: ev.ID, Name: "Partner", Currency: "EUR", Category: models.CategoryIndustry, MaxPerOrder: 10}
	if err := db.Create(tt).Error; err != nil {
		return err
	}
	if err := models.SaveNetworking(db, &models.NetworkingSetting{EventID: ev.ID, Enabled: true, Mode: "requests", RequestExpiryHours: 48}); err != nil {
		return err
	}
	if err := models.AddMeetingBlock(db, &models.MeetingBlock{EventID: ev.ID, StartsAt: start.Add(time.Hour), EndsAt: start.Add(6 * time.Hour),
		SlotMinutes: 20, BreakMinutes: 0}); err != nil {
		return err
	}
	if err := models.AddTables(db, ev.ID, "Table", tables); err != nil {
		return err
	}
	var set models.NetworkingSetting
	if err := db.Where("event_id = ?", ev.ID).Take(&set).Error; err != nil {
		return err
	}
	f, err := os.Create(tokensFile)
	if err != nil {
		return err
	}
	defer f.Close()
	for done := 0; done < people; done += 10 {
		in := models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "Load", BuyerEmail: fmt.Sprintf("buyer%d@example.org", done), Language: "en"}
		for i := done; i < min(done+10, people); i++ {
			in.Attendees = append(in.Attendees, models.AttendeeInput{Name: fmt.Sprintf("Partner %d", i), Email: fmt.Sprintf("partner%d@example.org", i),
				ConsentTextIDs: []uint{ct.ID}})
		}
		o, err := models.PlaceOrder(db, in)
		if err != nil {
			return err
		}
		for _, at := range o.Attendees {
			p, err := models.SaveProfile(db, &set, at.ID, models.ProfileInput{Organization: "Example org", Role: "Lead", Country: "BE",
				Offers: "Telecare", Needs: "Partners"}, now)
			if err != nil {
				return err
			}
			tok, err := models.IssueSignIn(db, ev.ID, at.ID, now)
			if err != nil {
				return err
			}
			fmt.Fprintf(f, "%d %s\n", p.ID, tok)
		}
	}
	fmt.Printf("event=%s people=%d tables=%d tokens=%s\n", slug, people, tables, tokensFile)
	return nil
}

// checkMeetings prints the meetings booked and whether invariant 2 holds.
func checkMeetings(dsn, slug string) error {
	db, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		return err
	}
	var ev models.Event
	if err := db.Where("slug = ?", slug).First(&ev).Error; err != nil {
		return err
	}
	var n int64
	db.Table("meetings").Where("event_id = ?", ev.ID).Count(&n)
	check := "no person or table double-booked"
	if err := models.CheckMeetings(db); err != nil {
		check = "INVARIANT BROKEN: " + err.Error()
	}
	fmt.Printf("event=%s meetings=%d; %s\n", slug, n, check)
	return nil
}

type person struct {
	pid string
	// cookies are the site's cookies by name ("name=value"): the session and,
	// before signing in, the anonymous visitor's CSRF cookie its forms need.
	cookies map[string]string
	csrf    string
}

var (
	slotRe   = regexp.MustCompile(`name="slot" value="(\d+)"`)
	acceptRe = regexp.MustCompile(`action="[^"]*/requests/(\d+)/accept"`)
)

// meetingsJourney signs everyone in through their links, then has clients
// repeatedly make one person request a meeting with another in a slot both
// have free, and the other accept it, all through the HTML pages. Races
// between clients for the same person, slot or table are expected: the
// loser gets a message, and the invariant is checked at the end.
func meetingsJourney(target, slug, tokensFile string) (journeyFunc, error) {
	hc, base, err := newClient(target)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(tokensFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var people []*person
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		pid, tok, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		p, err := signInWithLink(hc, base, slug, tok)
		if err != nil {
			return nil, err
		}
		p.pid = pid
		people = append(people, p)
	}
	if len(people) < 2 {
		return nil, fmt.Errorf("need at least two people in %s", tokensFile)
	}
	var iter atomic.Int64
	prefix := "/events/" + slug + "/meetings"
	return func(id int, rec *recorder) error {
		k := int(iter.Add(1))
		a := people[(k*7)%len(people)]
		b := people[(k*7+1+k%(len(people)-1))%len(people)]
		if a == b {
			return nil
		}
		page, status, err := do(hc, base+prefix+"/people/"+b.pid, a, nil, rec)
		if err != nil || status != 200 {
			return fmt.Errorf("person page: %d %v", status, err)
		}
		m := slotRe.FindSubmatch(page)
		if m == nil {
			return nil // no slot free for both: nothing to ask
		}
		_, status, err = do(hc, base+prefix+"/people/"+b.pid+"/request", a, url.Values{"slot": {string(m[1])}, "message": {"Shall we meet?"}}, rec)
		if err != nil || status >= 500 {
			return fmt.Errorf("request: %d %v", status, err)
		}
		page, status, err = do(hc, base+prefix+"/requests", b, nil, rec)
		if err != nil || status != 200 {
			return fmt.Errorf("requests page: %d %v", status, err)
		}
		if m := acceptRe.FindSubmatch(page); m != nil {
			_, status, err = do(hc, base+prefix+"/requests/"+string(m[1])+"/accept", b, url.Values{}, rec)
			if err != nil || status >= 500 {
				return fmt.Errorf("accept: %d %v", status, err)
			}
			if status == 303 {
				rec.registered++ // an accept answered; the end check counts meetings
			}
		}
		return nil
	}, nil
}

// signInWithLink opens a sign-in link and presses its button, keeping the
// session cookie and CSRF token it gets.
func signInWithLink(hc *fasthttp.HostClient, base, slug, token string) (*person, error) {
	p := &person{}
	rec := &recorder{statuses: map[int]int{}}
	link := base + "/events/" + slug + "/meetings/signin/" + token
	if _, status, err := do(hc, link, p, nil, rec); err != nil || status != 200 {
		return nil, fmt.Errorf("open sign-in link: %d %v", status, err)
	}
	if _, status, err := do(hc, link, p, url.Values{}, rec); err != nil || status != 303 {
		return nil, fmt.Errorf("use sign-in link: %d %v", status, err)
	}
	return p, nil
}

// do sends one request as p (GET when form is nil), keeping p's cookie and
// CSRF token up to date.
func do(hc *fasthttp.HostClient, uri string, p *person, form url.Values, rec *recorder) ([]byte, int, error) {
	req := fasthttp.AcquireRequest()
	res := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.SetRequestURI(uri)
	if len(p.cookies) > 0 {
		parts := make([]string, 0, len(p.cookies))
		for _, c := range p.cookies {
			parts = append(parts, c)
		}
		req.Header.Set("Cookie", strings.Join(parts, "; "))
	}
	if form != nil {
		form.Set("_csrf", p.csrf)
		req.Header.SetMethod("POST")
		req.Header.SetContentType("application/x-www-form-urlencoded")
		req.SetBodyString(form.Encode())
	}
	start := time.Now()
	if err := hc.Do(req, res); err != nil {
		return nil, 0, err
	}
	rec.observe(res.StatusCode(), time.Since(start))
	for _, v := range res.Header.Cookies() {
		if bytes.HasPrefix(v, []byte("agora_")) {
			nv := string(v[:bytes.IndexByte(append(v, ';'), ';')])
			name, _, _ := strings.Cut(nv, "=")
			if p.cookies == nil {
				p.cookies = map[string]string{}
			}
			p.cookies[name] = nv
		}
	}
	body := append([]byte(nil), res.Body()...)
	if m := csrfRe.FindSubmatch(body); m != nil {
		p.csrf = string(m[1])
	}
	return body, res.StatusCode(), nil
}
