package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// instance is one `agora serve` process of a scale-out test.
type instance struct {
	base string
	cmd  *exec.Cmd
	out  *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startInstance(t *testing.T, dsn string, env ...string) *instance {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	in := &instance{base: "http://" + addr, out: &lockedBuffer{}}
	in.cmd = exec.Command(agoraBin, "serve", "--db", dsn, "--addr", addr)
	in.cmd.Env = append(cleanEnv(), env...)
	in.cmd.Stdout, in.cmd.Stderr = in.out, in.out
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if in.cmd.ProcessState == nil {
			_ = in.cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = in.cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				// A clean stop takes at most ~20 s; longer is a hang worth its output.
				_ = in.cmd.Process.Signal(syscall.SIGQUIT)
				<-done
				t.Errorf("instance %s did not stop within 30 s of SIGTERM", in.base)
			}
		}
		if t.Failed() {
			t.Logf("instance %s output:\n%s", in.base, in.out.String())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(in.base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return in
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("instance %s did not become healthy:\n%s", in.base, in.out.String())
	return nil
}

var (
	hiddenCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	hiddenKey  = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)
)

// registerOverHTTP fills the registration form like a browser: it loads the
// form (cookie, CSRF token, idempotency key), then posts it. It reports
// whether the registration was accepted (303 to the order page).
func registerOverHTTP(base, slug string, ticketID uint, n int) (bool, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	res, err := c.Get(fmt.Sprintf("%s/events/%s/register?ticket=%d", base, slug, ticketID))
	if err != nil {
		return false, err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	csrf, key := hiddenCSRF.FindSubmatch(body), hiddenKey.FindSubmatch(body)
	if res.StatusCode != 200 || csrf == nil || key == nil {
		return false, fmt.Errorf("register form: status %d, csrf %v, key %v", res.StatusCode, csrf != nil, key != nil)
	}
	email := fmt.Sprintf("person%d@example.org", n)
	form := url.Values{"_csrf": {string(csrf[1])}, "idempotency_key": {string(key[1])}, "ticket_type_id": {fmt.Sprint(ticketID)},
		"buyer_name": {fmt.Sprintf("Person %d", n)}, "buyer_email": {email},
		"attendees.0.name": {fmt.Sprintf("Person %d", n)}, "attendees.0.email": {email}, "attendees.0.consents.privacy": {"yes"}}
	res, err = c.PostForm(fmt.Sprintf("%s/events/%s/register", base, slug), form)
	if err != nil {
		return false, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	switch {
	case res.StatusCode == http.StatusSeeOther && strings.Contains(res.Header.Get("Location"), "/orders/"):
		return true, nil
	case res.StatusCode >= 500:
		return false, fmt.Errorf("register: status %d", res.StatusCode)
	}
	return false, nil
}

// mailpitRecipients lists the To address of every message mailpit holds.
func mailpitRecipients(t *testing.T, api string) []string {
	t.Helper()
	res, err := http.Get(api + "/api/v1/messages?limit=1000")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var list struct {
		Messages []struct {
			To []struct{ Address string }
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range list.Messages {
		for _, to := range m.To {
			out = append(out, to.Address)
		}
	}
	return out
}

// waitForMails waits until mailpit holds want messages, then a little longer
// to catch duplicates, and returns the recipients.
func waitForMails(t *testing.T, api string, want int) []string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && len(mailpitRecipients(t, api)) < want {
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(2 * time.Second)
	return mailpitRecipients(t, api)
}

// openEventForScaleOut makes a published event with open registration, a
// free ticket type and a privacy notice.
func openEventForScaleOut(t *testing.T, db *gorm.DB, capacity int) (*models.Event, *models.TicketType) {
	t.Helper()
	org, _ := modeltest.Organizer(t, db, "Scale org", "scale-owner@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "scale-out", models.StatusPublished)
	if err := db.Model(ev).Update("capacity", capacity).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "We keep your data for the event."); err != nil {
		t.Fatal(err)
	}
	tt := &models.TicketType{EventID: ev.ID, Name: "General", Currency: "EUR", Category: models.CategoryPatientCitizen, MaxPerOrder: 1}
	if err := db.Create(tt).Error; err != nil {
		t.Fatal(err)
	}
	return ev, tt
}

// Two instances on one PostgreSQL take concurrent registrations for the last
// places: no oversell, and each confirmation e-mail is delivered once.
func TestScaleOutTwoInstancesNoOversellMailOnce(t *testing.T) {
	pg := testenv.PostgresDSN(t)
	db, dsn := modeltest.NewPostgresDB(t, pg)
	smtp, api := testenv.StartMailpit(t)
	const capacity, people = 25, 120
	ev, tt := openEventForScaleOut(t, db, capacity)

	mailEnv := []string{"AGORA_SMTP_URL=smtp://" + smtp, "AGORA_MAIL_FROM=Agora <agora@example.org>"}
	a, b := startInstance(t, dsn, mailEnv...), startInstance(t, dsn, mailEnv...)

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		accepted int
		errs     []error
	)
	for i := 0; i < people; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			base := a.base
			if i%2 == 1 {
				base = b.base
			}
			ok, err := registerOverHTTP(base, ev.Slug, tt.ID, i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			if ok {
				accepted++
			}
		}(i)
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d registrations failed, first: %v", len(errs), errs[0])
	}
	if accepted != capacity {
		t.Fatalf("accepted %d registrations for %d places", accepted, capacity)
	}
	var confirmed int64
	db.Table("attendees").Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("orders.event_id = ? AND orders.status = ?", ev.ID, models.OrderConfirmed).Count(&confirmed)
	if confirmed != capacity {
		t.Fatalf("%d confirmed attendees for %d places", confirmed, capacity)
	}
	if err := models.CheckCounters(db); err != nil {
		t.Fatal(err)
	}
	got := waitForMails(t, api, capacity)
	seen := map[string]int{}
	for _, r := range got {
		seen[r]++
	}
	if len(got) != capacity || len(seen) != capacity {
		t.Fatalf("mailpit holds %d mails to %d people, want %d each once: %v", len(got), len(seen), capacity, seen)
	}
}

// An instance killed while it holds claims on e-mails leaves nothing stuck:
// once its lease runs out, the other instance sends them, each once.
func TestScaleOutKilledInstanceClaimsAreTakenOver(t *testing.T) {
	pg := testenv.PostgresDSN(t)
	db, dsn := modeltest.NewPostgresDB(t, pg)
	smtp, api := testenv.StartMailpit(t)
	ev, tt := openEventForScaleOut(t, db, 100)

	// Instance A's mail server accepts connections and never answers, so A
	// claims the mails and hangs sending them.
	blackhole, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer blackhole.Close()
	go func() {
		for {
			c, err := blackhole.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	lease := "AGORA_MAIL_LEASE=4s"
	a := startInstance(t, dsn, "AGORA_SMTP_URL=smtp://"+blackhole.Addr().String(), lease)
	const people = 6
	for i := 0; i < people; i++ {
		if ok, err := registerOverHTTP(a.base, ev.Slug, tt.ID, i); !ok || err != nil {
			t.Fatalf("registration %d: %v %v", i, ok, err)
		}
	}
	// Wait until A holds a claim (it is stuck sending that mail), then kill
	// it without warning.
	deadline := time.Now().Add(15 * time.Second)
	var claimedIDs []uint
	for len(claimedIDs) == 0 {
		db.Model(&models.OutboxMessage{}).Where("status = ? AND claimed_until > ?", models.OutboxPending, time.Now().UTC()).
			Pluck("id", &claimedIDs)
		if time.Now().After(deadline) {
			t.Fatal("instance A never claimed a mail")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = a.cmd.Wait()

	startInstance(t, dsn, "AGORA_SMTP_URL=smtp://"+smtp, lease)
	got := waitForMails(t, api, people)
	seen := map[string]int{}
	for _, r := range got {
		seen[r]++
	}
	if len(got) != people || len(seen) != people {
		t.Fatalf("after the takeover mailpit holds %d mails to %d people, want %d each once", len(got), len(seen), people)
	}
	var sent int64
	db.Model(&models.OutboxMessage{}).Where("id IN ? AND status = ?", claimedIDs, models.OutboxSent).Count(&sent)
	if sent != int64(len(claimedIDs)) {
		t.Fatalf("%d of the %d mails the killed instance held were sent", sent, len(claimedIDs))
	}
}
