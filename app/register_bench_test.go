package app

import (
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// benchRegisterEvent adds what the load generator's -prepare-event adds: a
// published forum with a privacy notice and one free ticket type.
func benchRegisterEvent(b *testing.B, db *gorm.DB, capacity int) (slug string, ticket uint) {
	b.Helper()
	org, err := models.FindOrCreateOrganization(db, "Bench organization")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now().UTC().Add(30 * 24 * time.Hour).Truncate(time.Hour)
	ev := &models.Event{OrganizationID: org.ID, Slug: "bench-forum", Kind: models.KindForum, Title: "Bench forum", TimeZone: "Europe/Madrid",
		StartsAt: start, EndsAt: start.Add(8 * time.Hour), Status: models.StatusPublished, Capacity: capacity}
	if err := models.CreateEvent(db, ev); err != nil {
		b.Fatal(err)
	}
	if _, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "We keep your data for the event."); err != nil {
		b.Fatal(err)
	}
	tt := &models.TicketType{EventID: ev.ID, Name: "General admission", Currency: "EUR", Capacity: capacity,
		Category: models.CategoryOther, MaxPerOrder: 1}
	if err := db.Create(tt).Error; err != nil {
		b.Fatal(err)
	}
	return ev.Slug, tt.ID
}

var (
	benchCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	benchKey  = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)
)

// BenchmarkRegister measures the registration form in-process: showing it
// to an anonymous visitor (GET), and a whole registration as the load
// generator makes it (GET, POST, the order page), from 8 goroutines at
// once so the order batcher groups commits as under load.
//
//	go test -run '^$' -bench 'Register$' -benchmem ./app/
func BenchmarkRegister(b *testing.B) {
	db, _ := modeltest.NewDB(b)
	slug, ticket := benchRegisterEvent(b, db, 1_000_000)
	a, f, err := newApp(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer a.orders.Close()
	h := f.Handler()
	formURI := "/events/" + slug + "/register?ticket=" + strconv.FormatUint(uint64(ticket), 10)
	getForm := func() *fasthttp.RequestCtx {
		rc := &fasthttp.RequestCtx{}
		rc.Request.SetRequestURI(formURI)
		h(rc)
		if rc.Response.StatusCode() != 200 {
			b.Fatalf("GET form: %d", rc.Response.StatusCode())
		}
		return rc
	}
	b.Run("form", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			getForm()
		}
	})
	var seq atomic.Int64
	b.Run("journey", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(4) // 8 goroutines on 2 cores
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				rc := getForm()
				body := rc.Response.Body()
				csrf, key := benchCSRF.FindSubmatch(body), benchKey.FindSubmatch(body)
				if csrf == nil || key == nil {
					b.Fatal("form without token or key")
				}
				var cookies []string
				for _, v := range rc.Response.Header.Cookies() {
					s := string(v)
					cookies = append(cookies, s[:strings.IndexByte(s+";", ';')])
				}
				form := url.Values{"_csrf": {string(csrf[1])}, "idempotency_key": {string(key[1])}, "ticket_type_id": {strconv.FormatUint(uint64(ticket), 10)},
					"buyer_name": {"Bench Person"}, "buyer_email": {"bench-" + strconv.FormatInt(seq.Add(1), 10) + "@example.org"},
					"attendees.0.consents.privacy": {"yes"}}
				post := &fasthttp.RequestCtx{}
				post.Request.SetRequestURI("/events/" + slug + "/register")
				post.Request.Header.SetMethod("POST")
				post.Request.Header.SetContentType("application/x-www-form-urlencoded")
				post.Request.Header.Set("Cookie", strings.Join(cookies, "; "))
				post.Request.SetBodyString(form.Encode())
				h(post)
				loc := string(post.Response.Header.Peek("Location"))
				if post.Response.StatusCode() != 303 || !strings.Contains(loc, "/orders/") {
					b.Fatalf("POST: %d %s", post.Response.StatusCode(), post.Response.Body())
				}
				order := &fasthttp.RequestCtx{}
				order.Request.SetRequestURI(loc)
				h(order)
				if order.Response.StatusCode() != 200 {
					b.Fatalf("order page: %d", order.Response.StatusCode())
				}
			}
		})
	})
}
