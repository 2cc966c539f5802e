package main

import (
	"fmt"
	"net/url"
	"time"

	"github.com/valyala/fasthttp"
)

func newClient(target string) (*fasthttp.HostClient, string, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, "", err
	}
	return &fasthttp.HostClient{Addr: u.Host, MaxConns: 4096, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		MaxIdemponentCallAttempts: 1}, u.Scheme + "://" + u.Host, nil
}

// get fetches path and records it; a status other than want is an error.
func get(hc *fasthttp.HostClient, base, path string, gzip bool, want int, rec *recorder) ([]byte, error) {
	req := fasthttp.AcquireRequest()
	res := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.SetRequestURI(base + path)
	if gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	start := time.Now()
	err := hc.Do(req, res)
	if err != nil {
		return nil, err
	}
	rec.observe(res.StatusCode(), time.Since(start))
	if res.StatusCode() != want {
		return nil, fmt.Errorf("GET %s: status %d", path, res.StatusCode())
	}
	return append([]byte(nil), res.Body()...), nil
}

// onePage requests the same page again and again: the figure to compare with
// the reference handler.
func onePage(target, path string, gzip bool) journeyFunc {
	hc, base, _ := newClient(target)
	return func(id int, rec *recorder) error {
		_, err := get(hc, base, path, gzip, 200, rec)
		return err
	}
}

// browse is an anonymous visitor: the programme, then each demo event.
func browse(target string, gzip bool) journeyFunc {
	hc, base, _ := newClient(target)
	paths := []string{"/", "/events/health-innovation-forum", "/events/living-lab-symposium-brussels",
		"/events/living-lab-agora-ageing-at-home", "/?kind=agora"}
	return func(id int, rec *recorder) error {
		for _, p := range paths {
			if _, err := get(hc, base, p, gzip, 200, rec); err != nil {
				return err
			}
		}
		return nil
	}
}
