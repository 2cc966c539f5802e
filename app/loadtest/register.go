package main

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

var (
	csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	keyRe  = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)
	ttRe   = regexp.MustCompile(`name="ticket_type_id"[^>]*value="(\d+)"`)
)

// register is a person registering through the HTML form, as a browser
// does: load the form (session cookie, CSRF token, idempotency key), post
// it, and follow the redirect to the order page. Once the event is full the
// form answers 409 with the waitlist offer; that is counted, not an error.
func register(target, slug, ticket string) (journeyFunc, error) {
	hc, base, err := newClient(target)
	if err != nil {
		return nil, err
	}
	if ticket == "" {
		rec := &recorder{statuses: map[int]int{}}
		body, err := get(hc, base, "/events/"+slug+"/register", false, 200, rec)
		if err != nil {
			return nil, err
		}
		m := ttRe.FindSubmatch(body)
		if m == nil {
			return nil, fmt.Errorf("no ticket type on the register page of %s", slug)
		}
		ticket = string(m[1])
	}
	var seq atomic.Int64
	run := time.Now().UnixNano()
	return func(id int, rec *recorder) error {
		n := seq.Add(1)
		formPath := "/events/" + slug + "/register?ticket=" + ticket
		req := fasthttp.AcquireRequest()
		res := fasthttp.AcquireResponse()
		defer fasthttp.ReleaseRequest(req)
		defer fasthttp.ReleaseResponse(res)

		req.SetRequestURI(base + formPath)
		start := time.Now()
		if err := hc.Do(req, res); err != nil {
			return err
		}
		rec.observe(res.StatusCode(), time.Since(start))
		if res.StatusCode() != 200 {
			return fmt.Errorf("GET register form: %d", res.StatusCode())
		}
		csrf, key := csrfRe.FindSubmatch(res.Body()), keyRe.FindSubmatch(res.Body())
		if csrf == nil || key == nil {
			return fmt.Errorf("register form without CSRF token or idempotency key")
		}
		var cookies []string // the session and CSRF cookies the form set
		for _, v := range res.Header.Cookies() {
			cookies = append(cookies, string(v[:bytes.IndexByte(append(v, ';'), ';')]))
		}
		email := fmt.Sprintf("load-%d-%d@example.org", run, n)
		// As a person registering themselves: name and e-mail once, the
		// contact is the attendee.
		form := url.Values{"_csrf": {string(csrf[1])}, "idempotency_key": {string(key[1])}, "ticket_type_id": {ticket},
			"buyer_name": {"Load Test"}, "buyer_email": {email}, "attendees.0.consents.privacy": {"yes"}}

		req.Reset()
		res.Reset()
		req.SetRequestURI(base + "/events/" + slug + "/register")
		req.Header.SetMethod("POST")
		req.Header.SetContentType("application/x-www-form-urlencoded")
		if len(cookies) > 0 {
			req.Header.Set("Cookie", strings.Join(cookies, "; "))
		}
		req.SetBodyString(form.Encode())
		start = time.Now()
		if err := hc.Do(req, res); err != nil {
			return err
		}
		rec.observe(res.StatusCode(), time.Since(start))
		switch {
		case res.StatusCode() == 303 && strings.Contains(string(res.Header.Peek("Location")), "/orders/"):
			// Follow to the order page, as the browser does: the person
			// sees their ticket before the registration counts.
			loc := string(res.Header.Peek("Location"))
			req.Reset()
			res.Reset()
			req.SetRequestURI(base + loc)
			if len(cookies) > 0 {
				req.Header.Set("Cookie", strings.Join(cookies, "; "))
			}
			start = time.Now()
			if err := hc.Do(req, res); err != nil {
				return err
			}
			rec.observe(res.StatusCode(), time.Since(start))
			if res.StatusCode() != 200 {
				return fmt.Errorf("GET order page: %d", res.StatusCode())
			}
			rec.registered++
			return nil
		case res.StatusCode() == 409:
			rec.refused++ // full: the form comes back offering the waitlist
			return nil
		}
		return fmt.Errorf("POST register: %d", res.StatusCode())
	}, nil
}
