package app

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// A flood of sign-ins beyond what the hashing queue holds gets the "busy"
// answer on the form, with the e-mail kept, instead of each attempt taking
// its own 19 MiB at once; and no more hashes than the bound ever run together.
func TestSignInFloodGetsTheBusyAnswer(t *testing.T) {
	modeltest.ProductionPasswordCost(t) // the flood must cost what it costs in production
	e := newLimitEnv(t, Config{SignInAddressLimit: 1000})
	e.c.get("/manage/login")
	var cookies []*http.Cookie
	for k, v := range e.c.cookies {
		cookies = append(cookies, &http.Cookie{Name: k, Value: v})
	}
	const flood = 40
	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for i := 0; i < flood; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			email := fmt.Sprintf("person%d@example.org", i)
			form := url.Values{"_csrf": {e.c.csrf}, "email": {email}, "password": {"wrong-password-1"}}
			req := httptest.NewRequest(http.MethodPost, "/manage/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for _, ck := range cookies {
				req.AddCookie(ck)
			}
			<-start
			res, err := e.app.Test(req, -1)
			if err != nil {
				t.Error(err)
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			statuses[res.StatusCode]++
			if res.StatusCode == http.StatusServiceUnavailable {
				if !strings.Contains(string(body), "very busy right now") || !strings.Contains(string(body), `value="`+email+`"`) ||
					res.Header.Get("Retry-After") == "" {
					t.Errorf("busy answer without its message, the e-mail or Retry-After:\n%s", body)
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	if statuses[http.StatusServiceUnavailable] == 0 || statuses[http.StatusUnprocessableEntity] == 0 ||
		statuses[http.StatusServiceUnavailable]+statuses[http.StatusUnprocessableEntity] != flood {
		t.Fatalf("statuses %v: want wrong-password answers and busy answers only", statuses)
	}
	if h := models.PasswordHashing(); h.Peak > int64(h.Limit) {
		t.Fatalf("%d hashes ran at once, bound %d", h.Peak, h.Limit)
	}
}
