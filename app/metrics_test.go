package app

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMetricsSurviveManyKeepAliveRequests drives one real listener with many
// keep-alive requests of different methods and routes (Fiber reuses its
// buffers between them), then scrapes /metrics: the scrape must succeed and
// every method label must be a real method, not bytes of a later request.
func TestMetricsSurviveManyKeepAliveRequests(t *testing.T) {
	f, _ := newTestApp(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = f.Listener(ln) }()
	t.Cleanup(func() { _ = f.ShutdownWithTimeout(5 * time.Second) })
	base := "http://" + ln.Addr().String()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	methods := []string{"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "GETT", "PROPFIND", "XXXXXXXXXXXXXXXX"}
	paths := []string{"/", "/healthz", "/events/nope", "/manage/login", "/lang/es?next=/", "/no/such/page/at/all", "/orders/lost", "/manage"}
	for i := 0; i < 400; i++ {
		m, p := methods[i%len(methods)], paths[(i/len(methods)+i)%len(paths)]
		req, _ := http.NewRequest(m, base+p, strings.NewReader(fmt.Sprintf("n=%d", i)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", m, p, err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s: %d", m, p, res.StatusCode)
		}
	}
	for scrape := 0; scrape < 3; scrape++ {
		res, err := client.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("scrape %d: /metrics answered %d\n%s", scrape, res.StatusCode, body)
		}
		allowed := map[string]bool{"other": true}
		for _, m := range knownMethods {
			allowed[m] = true
		}
		for _, m := range regexp.MustCompile(`method="([^"]*)"`).FindAllStringSubmatch(string(body), -1) {
			if !allowed[m[1]] {
				t.Fatalf("scrape %d: method label %q", scrape, m[1])
			}
		}
	}
}
