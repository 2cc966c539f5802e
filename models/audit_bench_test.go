package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// auditBenchEntries is the size of each organization's log in the
// benchmarks: a busy organization's year.
const auditBenchEntries = 100_000

// auditBenchPage is the page the owners' log shows (app's auditPageSize).
const auditBenchPage = 50

// auditBenchWorld is two organizations with auditBenchEntries entries each,
// interleaved, so every query must keep A's log apart from B's by the index.
type auditBenchWorld struct {
	db        *gorm.DB
	orgA      uint
	orgB      uint
	end       time.Time
	deepFirst uint // id of A's entry number 50,000 (newest first): a cursor deep down
	eventA    uint // one of A's events, named by one entry in 15
}

func newAuditBenchWorld(b *testing.B) *auditBenchWorld {
	b.Helper()
	db, _ := modeltest.NewDB(b)
	a, _ := modeltest.Organizer(b, db, "Bench Org A", "owner@a.example", models.RoleOwner)
	o, _ := modeltest.Organizer(b, db, "Bench Org B", "owner@b.example", models.RoleOwner)
	events := map[uint][]uint{}
	for i, org := range []uint{a.ID, o.ID} {
		for k := 0; k < 5; k++ {
			e := modeltest.Event(b, db, org, "audit-bench-"+string(rune('a'+i))+string(rune('0'+k)), models.StatusPublished)
			events[org] = append(events[org], e.ID)
		}
	}
	w := &auditBenchWorld{db: db, orgA: a.ID, orgB: o.ID, end: time.Now().UTC().Truncate(time.Second)}
	t0 := time.Now()
	modeltest.SeedAuditLogs(b, db, []uint{a.ID, o.ID}, events, auditBenchEntries, w.end)
	if models.IsPostgres(db) {
		// What autovacuum does within a minute of a bulk load; SQLite is
		// measured as the app leaves it (it never runs ANALYZE).
		if err := db.Exec("ANALYZE audit_entries").Error; err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: seeded 2 × %d audit entries in %s", modeltest.Engine(), auditBenchEntries, time.Since(t0).Round(time.Millisecond))
	var ids []uint
	if err := db.Model(&models.AuditEntry{}).Where("organization_id = ?", a.ID).Order("created_at DESC, id DESC").
		Offset(auditBenchEntries/2).Limit(1).Pluck("id", &ids).Error; err != nil || len(ids) != 1 {
		b.Fatalf("deep cursor: %v %v", ids, err)
	}
	w.deepFirst, w.eventA = ids[0], events[a.ID][0]
	return w
}

// BenchmarkAuditLog100k is the owners' log (models.AuditEntries, one page
// of 50) and its full walk (models.EachAuditEntry, as the CSV download
// reads it) for an organization with 100,000 entries beside another with
// 100,000. The fixture is built once and shared by the sub-benchmarks.
//
//	go test -run '^$' -bench AuditLog100k -benchtime 3x -benchmem ./models/
//	AGORA_TEST_POSTGRES_DSN=... AGORA_TEST_ENGINE=postgres go test -run '^$' -bench AuditLog100k -benchtime 3x -benchmem ./models/
func BenchmarkAuditLog100k(b *testing.B) {
	w := newAuditBenchWorld(b)
	weekFrom := w.end.Add(-90 * 24 * time.Hour)
	pages := []struct {
		name   string
		f      models.AuditFilter
		before uint
		want   int // entries on the page; -1: some, fewer than a page
	}{
		{"first_page", models.AuditFilter{}, 0, auditBenchPage},
		{"deep_page_keyset_50000", models.AuditFilter{}, w.deepFirst, auditBenchPage},
		{"action_common_25pct", models.AuditFilter{Action: models.AuditSignIn}, 0, auditBenchPage},
		{"action_rare_0.1pct", models.AuditFilter{Action: modeltest.RareAuditAction}, 0, auditBenchPage},
		{"email_contains_common", models.AuditFilter{Email: "STAFF03@"}, 0, auditBenchPage},
		{"email_contains_rare_0.1pct", models.AuditFilter{Email: "rare.auditor"}, 0, auditBenchPage},
		{"email_contains_none", models.AuditFilter{Email: "nobody@"}, 0, 0},
		{"date_range_one_week", models.AuditFilter{From: weekFrom, To: weekFrom.Add(7 * 24 * time.Hour)}, 0, auditBenchPage},
		{"date_range_and_email_rare", models.AuditFilter{Email: "rare.auditor", From: weekFrom, To: weekFrom.Add(30 * 24 * time.Hour)}, 0, -1},
		{"event", models.AuditFilter{EventID: w.eventA}, 0, auditBenchPage},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				es, _, err := models.AuditEntries(w.db, w.orgA, p.f, p.before, auditBenchPage)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if p.want >= 0 && len(es) != p.want || p.want < 0 && (len(es) == 0 || len(es) >= auditBenchPage) {
					b.Fatalf("%d entries, want %d", len(es), p.want)
				}
				for _, e := range es {
					if e.OrganizationID != w.orgA {
						b.Fatalf("entry %d of organization %d", e.ID, e.OrganizationID)
					}
				}
				b.StartTimer()
			}
		})
	}
	b.Run("each_all_100000_batch500", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			n := 0
			err := models.EachAuditEntry(w.db, w.orgA, models.AuditFilter{}, 500, func(e models.AuditEntry) error {
				if e.OrganizationID != w.orgA {
					b.Fatalf("entry %d of organization %d", e.ID, e.OrganizationID)
				}
				n++
				return nil
			})
			if err != nil || n != auditBenchEntries {
				b.Fatalf("%d entries, %v", n, err)
			}
		}
	})
}
