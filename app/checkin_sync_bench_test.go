package app

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// BenchmarkDoorSync500 is a phone coming back online with 500 check-ins
// made offline: one POST to the sync endpoint, answered item by item.
// Between rounds the check-ins are undone, so each round lets 500 people in.
//
//	go test -run '^$' -bench DoorSync500 -benchtime 5x -benchmem ./app/
func BenchmarkDoorSync500(b *testing.B) {
	db, _ := modeltest.NewDB(b)
	org, _ := modeltest.Organizer(b, db, "Org A", "door@example.org", models.RoleCheckin)
	e := modeltest.Event(b, db, org.ID, "bench-door", models.StatusPublished)
	privacy, err := models.SetConsentText(db, e.ID, models.ConsentPrivacy, "We keep your data for the event.")
	if err != nil {
		b.Fatal(err)
	}
	tt := &models.TicketType{EventID: e.ID, Name: "Pass", Currency: "EUR", Category: models.CategoryClinician, MaxPerOrder: 10}
	if err := models.CreateTicketType(db, tt); err != nil {
		b.Fatal(err)
	}
	var secrets []string
	for o := 0; o < 50; o++ {
		in := models.PlaceOrderInput{EventID: e.ID, TicketTypeID: tt.ID, BuyerName: "Buyer", BuyerEmail: fmt.Sprintf("b%d@example.org", o), Language: "en"}
		for i := 0; i < 10; i++ {
			in.Attendees = append(in.Attendees, models.AttendeeInput{Name: fmt.Sprintf("Person %d-%d", o, i),
				Email: fmt.Sprintf("p%d-%d@example.org", o, i), ConsentTextIDs: []uint{privacy.ID}})
		}
		order, err := models.PlaceOrder(db, in)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range order.Attendees {
			secrets = append(secrets, a.QRSecret)
		}
	}
	f, err := New(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	cookies := map[string]string{}
	var csrf string
	do := func(req *http.Request) string {
		for k, v := range cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		res, err := f.Test(req, -1)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for _, ck := range res.Cookies() {
			cookies[ck.Name] = ck.Value
		}
		if m := csrfField.FindSubmatch(body); m != nil {
			csrf = string(m[1])
		}
		if res.StatusCode >= 400 {
			b.Fatalf("%s %s: %d", req.Method, req.URL, res.StatusCode)
		}
		return string(body)
	}
	do(httptest.NewRequest(http.MethodGet, "/manage/login", nil))
	form := url.Values{"email": {"door@example.org"}, "password": {modeltest.Password}, "_csrf": {csrf}}
	req := httptest.NewRequest(http.MethodPost, "/manage/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", fiber.MIMEApplicationForm)
	do(req)
	base := fmt.Sprintf("/manage/events/%d/checkin", e.ID)
	do(httptest.NewRequest(http.MethodGet, base, nil))
	lists, err := models.CheckinLists(db, e)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		items := make([]syncItem, len(secrets))
		for i, s := range secrets {
			items[i] = syncItem{Device: "bench", Local: fmt.Sprintf("%d-%d", n, i), QR: s, List: lists[0].ID, At: time.Now()}
		}
		body, _ := json.Marshal(map[string]any{"items": items})
		req := httptest.NewRequest(http.MethodPost, base+"/sync", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", csrf)
		out := do(req)
		b.StopTimer()
		if got := strings.Count(out, `"result":"checked_in"`); got != len(secrets) {
			b.Fatalf("%d of %d checked in", got, len(secrets))
		}
		db.Exec("UPDATE checkins SET undone_at = ? WHERE undone_at IS NULL", time.Now())
		b.StartTimer()
	}
}
