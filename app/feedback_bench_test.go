package app

import (
	"bytes"
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

// feedbackBenchAnswers is how many people answered the benchmark's questionnaire.
const feedbackBenchAnswers = 2000

// BenchmarkFeedbackReport2000 is the organizer's results page (the
// printable report: counts, a chart and table per question, averages by
// category, the consenting people's open answers) and its CSV, through the
// whole app, for a questionnaire of five questions answered by 2,000
// people of seven categories, half with the research consent.
//
//	go test -run '^$' -bench FeedbackReport2000 -benchtime 10x -benchmem ./app/
func BenchmarkFeedbackReport2000(b *testing.B) {
	db, _ := modeltest.NewDB(b)
	_, f, err := newApp(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	org, _ := modeltest.Organizer(b, db, "Bench Lab", "owner@lab.example", models.RoleOwner)
	e := modeltest.Event(b, db, org.ID, "feedback-bench", models.StatusPublished)
	research, err := models.SetConsentText(db, e.ID, models.ConsentResearch, "Research use")
	if err != nil {
		b.Fatal(err)
	}
	form := &models.FeedbackForm{EventID: e.ID, Title: "How was it?", SendHours: 2, OpenDays: 14}
	if err := models.SaveFeedbackForm(db, form); err != nil {
		b.Fatal(err)
	}
	qs := []models.FeedbackQuestion{
		{Kind: models.FeedbackSatisfaction, Text: "Satisfied?", ScaleMin: 1, ScaleMax: 5},
		{Kind: models.FeedbackUsefulness, Text: "Useful?", ScaleMin: 1, ScaleMax: 5},
		{Kind: models.FeedbackIndicator, Text: "Well-being: feeling listened to", ScaleMin: 0, ScaleMax: 10},
		{Kind: models.FeedbackChoice, Text: "Which session?", Options: "Night\nTouch\nCarers"},
		{Kind: models.FeedbackOpen, Text: "What should change?"},
	}
	for i := range qs {
		qs[i].FormID, qs[i].EventID = form.ID, e.ID
		if err := models.SaveFeedbackQuestion(db, &qs[i]); err != nil {
			b.Fatal(err)
		}
	}
	t0 := time.Now()
	// The people, their requests, responses, answers and research
	// consents, in bulk.
	now := time.Now().UTC()
	tt := &models.TicketType{EventID: e.ID, Name: "Participant", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1}
	if err := db.Create(tt).Error; err != nil {
		b.Fatal(err)
	}
	order := &models.Order{EventID: e.ID, Code: "BENCHFB1", Secret: models.NewSecret(), BuyerName: "Bench", BuyerEmail: "bench@lab.example",
		Status: models.OrderConfirmed}
	if err := db.Create(order).Error; err != nil {
		b.Fatal(err)
	}
	people := make([]models.Attendee, feedbackBenchAnswers)
	for i := range people {
		people[i] = models.Attendee{OrderID: order.ID, EventID: e.ID, TicketTypeID: tt.ID, Position: i + 1, Name: fmt.Sprintf("Person %d", i),
			Email: fmt.Sprintf("p%d@lab.example", i), Category: models.Categories[i%len(models.Categories)], Status: models.AttendeeActive,
			QRSecret: models.NewSecret()}
	}
	if err := db.CreateInBatches(&people, 500).Error; err != nil {
		b.Fatal(err)
	}
	var (
		reqs      []models.FeedbackRequest
		responses []models.FeedbackResponse
		consents  []models.ConsentRecord
	)
	for i := range feedbackBenchAnswers {
		at := people[i].ID
		reqs = append(reqs, models.FeedbackRequest{FormID: form.ID, AttendeeID: at, EventID: e.ID})
		responses = append(responses, models.FeedbackResponse{FormID: form.ID, AttendeeID: at, EventID: e.ID,
			Category: models.Categories[i%len(models.Categories)], SubmittedAt: now, UpdatedAt: now})
		if i%2 == 0 {
			consents = append(consents, models.ConsentRecord{AttendeeID: at, ConsentTextID: research.ID, GivenAt: now, Language: "en"})
		}
	}
	for _, rows := range []any{reqs, &responses, consents} {
		if err := db.CreateInBatches(rows, 500).Error; err != nil {
			b.Fatal(err)
		}
	}
	var answers []models.FeedbackAnswer
	for i, r := range responses {
		for j, q := range qs {
			a := models.FeedbackAnswer{ResponseID: r.ID, QuestionID: q.ID, FormID: form.ID}
			switch {
			case q.Kind == models.FeedbackChoice:
				a.Text = q.OptionList()[i%3]
			case q.Kind == models.FeedbackOpen:
				a.Text = fmt.Sprintf("Answer %d: more time in the small groups, and a quieter room please.", i)
			default:
				v := q.ScaleMin + (i+j)%(q.ScaleMax-q.ScaleMin+1)
				a.Value = &v
			}
			answers = append(answers, a)
		}
	}
	if err := db.CreateInBatches(answers, 500).Error; err != nil {
		b.Fatal(err)
	}
	if models.IsPostgres(db) {
		if err := db.Exec("ANALYZE").Error; err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: seeded %d responses (%d answers) in %s", modeltest.Engine(), len(responses), len(answers), time.Since(t0).Round(time.Millisecond))

	cookies := map[string]string{}
	var csrf string
	do := func(req *http.Request) (int, []byte) {
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
		return res.StatusCode, body
	}
	do(httptest.NewRequest(http.MethodGet, "/manage/login", nil))
	login := url.Values{"email": {"owner@lab.example"}, "password": {modeltest.Password}, "_csrf": {csrf}}
	req := httptest.NewRequest(http.MethodPost, "/manage/login", strings.NewReader(login.Encode()))
	req.Header.Set("Content-Type", fiber.MIMEApplicationForm)
	if st, body := do(req); st != http.StatusSeeOther {
		b.Fatalf("sign in: %d\n%s", st, body)
	}
	base := fmt.Sprintf("/manage/events/%d/feedback/%d/results", e.ID, form.ID)
	b.Run("report_page", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			st, body := do(httptest.NewRequest(http.MethodGet, base, nil))
			b.StopTimer()
			if st != http.StatusOK || !bytes.Contains(body, []byte("Answer 0: more time")) || bytes.Contains(body, []byte("Answer 1: more time")) ||
				!bytes.Contains(body, []byte("Written answers left out (no research consent): 1,000")) {
				b.Fatalf("report: %d\n%.1000s", st, body)
			}
			b.ReportMetric(float64(len(body)), "page-bytes")
			b.StartTimer()
		}
	})
	b.Run("csv", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			st, body := do(httptest.NewRequest(http.MethodGet, base+".csv", nil))
			b.StopTimer()
			if lines := bytes.Count(body, []byte("\r\n")); st != http.StatusOK || lines != feedbackBenchAnswers+2 {
				b.Fatalf("csv: %d, %d lines", st, lines)
			}
			b.StartTimer()
		}
	})
	b.Run("results_model", func(b *testing.B) {
		b.ReportAllocs()
		full, err := models.FeedbackFormOf(db, e.ID, form.ID)
		if err != nil {
			b.Fatal(err)
		}
		for range b.N {
			if _, err := models.LoadFeedbackResults(db, full); err != nil {
				b.Fatal(err)
			}
		}
	})
}
