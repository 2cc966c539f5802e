package main

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/agora-events/agora/models"
)

// scaleTarget is the server and the -prepare-scale event to measure.
type scaleTarget struct{ Base, Slug, Email, Password, Token, Participant, DB string }

// scalePage is one organizer page or endpoint measured at scale.
type scalePage struct {
	Name, Path string
	// As is who asks: the organizer (session cookie), the API token, the
	// meeting participant, or nobody.
	As   string
	Post []byte // a JSON body to POST (the door's sync), else GET
	// Runs overrides the number of sequential requests (slow PDFs).
	Runs int
}

// scaleResult is what one page measured: its size and latencies.
type scaleResult struct {
	Page             scalePage
	Wire, Raw        int
	P50, P99         time.Duration // sequential
	CP50, CP99       time.Duration // conc clients at once
	Requests, Failed int
}

// measureScale signs in as the organizer through the real form, finds the
// event's parts (id, check-in list, message, board, questionnaire), and
// measures every page: a warm-up, n sequential requests, then 2n requests
// from conc clients at once. It prints one line per page and a figure line
// per latency for the bench.
func measureScale(t scaleTarget, n, conc int) error {
	hc, base, err := newClient(t.Base)
	if err != nil {
		return err
	}
	s := &scaleSession{hc: hc, base: base, t: t}
	if err := s.signIn(); err != nil {
		return err
	}
	pages, err := s.discover()
	if err != nil {
		return err
	}
	conc = max(1, min(conc, 8)) // "a few" clients: the organizer's team, not a crowd
	fmt.Printf("%-26s %-60s %9s %9s %8s %8s %8s %8s\n", "page", "path", "bytes", "gzipped", "p50", "p99", fmt.Sprintf("c%d p50", conc), fmt.Sprintf("c%d p99", conc))
	var slow []string
	for _, p := range pages {
		r, err := s.measure(p, n, conc)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
		path := p.Path
		if len(path) > 60 {
			path = path[:57] + "..."
		}
		fmt.Printf("%-26s %-60s %9d %9d %8s %8s %8s %8s\n", p.Name, path, r.Raw, r.Wire, ms(r.P50), ms(r.P99), ms(r.CP50), ms(r.CP99))
		fmt.Printf("figure scale.%s.p50 %.1f ms\nfigure scale.%s.p99 %.1f ms\n", p.Name, msf(r.P50), p.Name, msf(r.P99))
		if r.P99 > 50*time.Millisecond {
			slow = append(slow, p.Name)
		}
	}
	if len(slow) > 0 {
		fmt.Printf("over 50 ms p99 (sequential): %s\n", strings.Join(slow, ", "))
	}
	return nil
}

// measure warms p up, then times it.
func (s *scaleSession) measure(p scalePage, n, conc int) (scaleResult, error) {
	r := scaleResult{Page: p}
	runs := n
	if p.Runs > 0 {
		runs = min(n, p.Runs)
	}
	for i := 0; i < min(3, runs); i++ { // warm-up: caches, prepared statements, the first gzip
		if _, _, err := s.fetch(p, i); err != nil {
			return r, err
		}
	}
	seq := make([]time.Duration, 0, runs)
	for i := 0; i < runs; i++ {
		t0 := time.Now()
		wire, raw, err := s.fetch(p, 1000+i)
		if err != nil {
			return r, err
		}
		seq = append(seq, time.Since(t0))
		r.Wire, r.Raw = wire, raw
	}
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		par []time.Duration
		bad error
	)
	per := max(1, 2*runs/conc)
	for c := 0; c < conc; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				t0 := time.Now()
				_, _, err := s.fetch(p, 100000*(c+1)+i)
				d := time.Since(t0)
				mu.Lock()
				if err != nil && bad == nil {
					bad = err
				}
				par = append(par, d)
				mu.Unlock()
			}
		}(c)
	}
	wg.Wait()
	if bad != nil {
		return r, bad
	}
	r.P50, r.P99 = percentiles(seq)
	r.CP50, r.CP99 = percentiles(par)
	return r, nil
}

func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*99/100)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", msf(d)) }

func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// fetch makes one request of p (k numbers it, for the sync's local ids)
// and returns the bytes on the wire and uncompressed; any status but 200
// is an error.
func (s *scaleSession) fetch(p scalePage, k int) (wire, raw int, err error) {
	body, wire, err := s.request(p, k)
	return wire, len(body), err
}

// request makes one request of p and returns its (uncompressed) body and
// the bytes on the wire.
func (s *scaleSession) request(p scalePage, k int) (body []byte, wire int, err error) {
	req := fasthttp.AcquireRequest()
	res := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.SetRequestURI(s.base + p.Path)
	req.Header.Set("Accept-Encoding", "gzip")
	switch p.As {
	case "organizer":
		req.Header.Set("Cookie", s.organizer.cookieHeader())
	case "participant":
		req.Header.Set("Cookie", s.participant.cookieHeader())
	case "api":
		req.Header.Set("Authorization", "Bearer "+s.t.Token)
	}
	if p.Post != nil {
		req.Header.SetMethod("POST")
		req.Header.SetContentType("application/json")
		req.Header.Set("X-CSRF-Token", s.organizer.csrf)
		req.SetBody(syncBody(p.Post, k))
	}
	if err := s.hc.Do(req, res); err != nil {
		return nil, 0, err
	}
	body = res.Body()
	wire = len(body)
	if string(res.Header.ContentEncoding()) == "gzip" {
		if body, err = res.BodyGunzip(); err != nil {
			return nil, 0, err
		}
	} else {
		body = append([]byte(nil), body...)
	}
	if res.StatusCode() != 200 {
		return nil, 0, fmt.Errorf("%s: status %d: %.200s", p.Path, res.StatusCode(), body)
	}
	return body, wire, nil
}

// syncBody gives the sync's items local ids of their own for request k:
// each request is a new batch from the door (the people in it are already
// in after the first, as when two devices scan the same people).
func syncBody(tpl []byte, k int) []byte {
	return []byte(strings.ReplaceAll(string(tpl), "@K@", fmt.Sprint(k)))
}

// cookieHeader is p's cookies as one Cookie header.
func (p *person) cookieHeader() string {
	parts := make([]string, 0, len(p.cookies))
	for _, c := range p.cookies {
		parts = append(parts, c)
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

// scaleSession holds the signed-in organizer and participant.
type scaleSession struct {
	hc                     *fasthttp.HostClient
	base                   string
	t                      scaleTarget
	organizer, participant *person
}

// signIn goes through the organizer's sign-in form as a browser does (the
// anonymous CSRF cookie and token, then the form), and signs the meeting
// participant in through their link.
func (s *scaleSession) signIn() error {
	p := &person{}
	rec := &recorder{statuses: map[int]int{}}
	if _, status, err := do(s.hc, s.base+"/manage/login", p, nil, rec); err != nil || status != 200 {
		return fmt.Errorf("sign-in form: %d %v", status, err)
	}
	body, status, err := do(s.hc, s.base+"/manage/login", p, url.Values{"email": {s.t.Email}, "password": {s.t.Password}}, rec)
	if err != nil || status != 303 {
		return fmt.Errorf("sign in as %s: %d %v %.300s", s.t.Email, status, err, body)
	}
	if _, status, err := do(s.hc, s.base+"/manage/", p, nil, rec); err != nil || status != 200 {
		return fmt.Errorf("dashboard after sign-in: %d %v", status, err)
	}
	s.organizer = p
	if s.t.Participant == "" && s.t.DB != "" {
		if s.t.Participant, err = issueParticipantLink(s.t.DB, s.t.Slug); err != nil {
			return fmt.Errorf("participant: %w", err)
		}
	}
	if s.t.Participant != "" {
		if s.participant, err = signInWithLink(s.hc, s.base, s.t.Slug, s.t.Participant); err != nil {
			return fmt.Errorf("participant: %w", err)
		}
	}
	return nil
}

// issueParticipantLink issues a fresh sign-in link (links are used once)
// for the event's first meeting participant, in the database at dsn.
func issueParticipantLink(dsn, slug string) (string, error) {
	db, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		return "", err
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	}()
	var p models.MeetingParticipant
	if err := db.Joins("JOIN events ON events.id = meeting_participants.event_id").Where("events.slug = ?", slug).
		Order("meeting_participants.id").Take(&p).Error; err != nil {
		return "", err
	}
	return models.IssueSignIn(db, p.EventID, p.AttendeeID, time.Now())
}
