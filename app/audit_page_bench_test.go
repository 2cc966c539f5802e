package app

import (
	"bufio"
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

// auditBenchEntries is the size of each organization's log.
const auditBenchEntries = 100_000

// BenchmarkAuditPage100k is the owner's page /manage/orgs/{id}/audit
// (signed in, through the whole app: access check, filter, query, render)
// and its CSV download, for an organization with 100,000 entries beside
// another with 100,000 (interleaved, so the index must keep them apart).
// The fixture is built once and shared by the sub-benchmarks.
//
//	go test -run '^$' -bench AuditPage100k -benchtime 3x -benchmem ./app/
func BenchmarkAuditPage100k(b *testing.B) {
	db, _ := modeltest.NewDB(b)
	a, f, err := newApp(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	orgA, _ := modeltest.Organizer(b, db, "Bench Org A", "owner@a.example", models.RoleOwner)
	orgB, _ := modeltest.Organizer(b, db, "Bench Org B", "owner@b.example", models.RoleOwner)
	events := map[uint][]uint{}
	for i, org := range []uint{orgA.ID, orgB.ID} {
		for k := 0; k < 5; k++ {
			e := modeltest.Event(b, db, org, fmt.Sprintf("audit-page-bench-%d-%d", i, k), models.StatusPublished)
			events[org] = append(events[org], e.ID)
		}
	}
	end := time.Now().UTC().Truncate(time.Second)
	t0 := time.Now()
	modeltest.SeedAuditLogs(b, db, []uint{orgA.ID, orgB.ID}, events, auditBenchEntries, end)
	if models.IsPostgres(db) {
		// What autovacuum does within a minute of a bulk load.
		if err := db.Exec("ANALYZE audit_entries").Error; err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: seeded 2 × %d audit entries in %s", modeltest.Engine(), auditBenchEntries, time.Since(t0).Round(time.Millisecond))
	var deep []uint
	if err := db.Model(&models.AuditEntry{}).Where("organization_id = ?", orgA.ID).Order("created_at DESC, id DESC").
		Offset(auditBenchEntries/2).Limit(1).Pluck("id", &deep).Error; err != nil || len(deep) != 1 {
		b.Fatalf("deep cursor: %v %v", deep, err)
	}

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
	form := url.Values{"email": {"owner@a.example"}, "password": {modeltest.Password}, "_csrf": {csrf}}
	req := httptest.NewRequest(http.MethodPost, "/manage/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", fiber.MIMEApplicationForm)
	if st, body := do(req); st != http.StatusSeeOther {
		b.Fatalf("sign in: %d\n%s", st, body)
	}

	base := auditURL(orgA.ID)
	day := func(t time.Time) string { return t.In(auditZone()).Format("2006-01-02") }
	weekFrom := end.Add(-90 * 24 * time.Hour)
	pages := []struct{ name, query string }{
		{"first_page", ""},
		{"deep_page_keyset_50000", fmt.Sprintf("before=%d", deep[0])},
		{"action", "action=" + models.AuditSignIn},
		{"person_contains_common", "person=staff03%40"},
		{"person_contains_rare_0.1pct", "person=rare.auditor"},
		{"date_range_one_week", "from=" + day(weekFrom) + "&to=" + day(weekFrom.Add(6*24*time.Hour))},
	}
	// Every shown row links its event or names its actor; another
	// organization's entries (org1 staff) never show.
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			path := base
			if p.query != "" {
				path += "?" + p.query
			}
			for range b.N {
				st, body := do(httptest.NewRequest(http.MethodGet, path, nil))
				b.StopTimer()
				if st != http.StatusOK || !bytes.Contains(body, []byte("seeded entry")) || bytes.Contains(body, []byte("@org1.example")) {
					b.Fatalf("%s: %d\n%.2000s", path, st, body)
				}
				b.StartTimer()
			}
		})
	}
	b.Run("csv_all_100000_http", func(b *testing.B) {
		b.ReportAllocs()
		var size int
		for range b.N {
			st, body := do(httptest.NewRequest(http.MethodGet, base+".csv", nil))
			b.StopTimer()
			// The download's own entry is written first, so it is in the file.
			if lines := bytes.Count(body, []byte("\r\n")); st != http.StatusOK || lines < auditBenchEntries+1 || bytes.Contains(body, []byte("@org1.example")) {
				b.Fatalf("csv: %d, %d lines", st, lines)
			}
			size = len(body)
			b.StartTimer()
		}
		b.ReportMetric(float64(size)/(1<<20), "CSV-MiB")
	})
	// The writer alone, into a discarding stream: what the server holds
	// while it streams (app.Test above buffers the whole response).
	b.Run("csv_all_100000_writer", func(b *testing.B) {
		b.ReportAllocs()
		L := newTranslator(a.bundle, "en")
		titles := map[uint]models.Event{}
		evs, err := models.AuditEvents(db, orgA.ID)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range evs {
			titles[e.ID] = e
		}
		for range b.N {
			w := bufio.NewWriter(io.Discard)
			if err := writeAuditCSV(w, db, orgA.ID, models.AuditFilter{}, auditZone(), titles, L); err != nil {
				b.Fatal(err)
			}
		}
	})
}
