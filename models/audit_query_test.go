package models_test

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// sqlRecorder keeps the statements a dry run would send.
type sqlRecorder struct {
	logger.Interface
	mu  sync.Mutex
	sql []string
}

func (r *sqlRecorder) LogMode(logger.LogLevel) logger.Interface { return r }
func (r *sqlRecorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	s, _ := fc()
	r.mu.Lock()
	r.sql = append(r.sql, s)
	r.mu.Unlock()
}

// The log's listing is served by idx_audit_org_time whatever the filter,
// on both engines, so a log of 100k lines pages as fast as a small one.
func TestAuditQueryUsesTheOrganizationTimeIndex(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, err := models.FindOrCreateOrganization(db, "Audit Lab")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		if err := models.RecordAudit(db, models.AuditEntry{OrganizationID: org.ID + uint(i%3), Action: models.AuditExport}); err != nil {
			t.Fatal(err)
		}
	}
	filters := []models.AuditFilter{{}, {Action: models.AuditRefund, Email: "ann"},
		{From: time.Now().Add(-time.Hour), To: time.Now(), EventID: 3}}
	for _, f := range filters {
		rec := &sqlRecorder{Interface: logger.Discard}
		dry := db.Session(&gorm.Session{DryRun: true, Logger: rec})
		if _, _, err := models.AuditEntries(dry, org.ID, f, 0, 50); err != nil {
			t.Fatal(err)
		}
		if len(rec.sql) != 1 {
			t.Fatalf("%d statements: %q", len(rec.sql), rec.sql)
		}
		plan := explain(t, db, rec.sql[0])
		if !strings.Contains(plan, "idx_audit_org_time") {
			t.Errorf("filter %+v: the plan does not use idx_audit_org_time:\n%s\n%s", f, rec.sql[0], plan)
		}
	}
}

// explain returns the engine's plan for query; PostgreSQL is told to avoid
// sequential scans, which it prefers on a table this small.
func explain(t *testing.T, db *gorm.DB, query string) string {
	t.Helper()
	var lines []string
	err := db.Transaction(func(tx *gorm.DB) error {
		prefix := "EXPLAIN QUERY PLAN "
		if tx.Dialector.Name() == "postgres" {
			prefix = "EXPLAIN "
			if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
				return err
			}
		}
		rows, err := tx.Raw(prefix + query).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			lines = append(lines, fmt.Sprint(vals...))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	return strings.Join(lines, "\n")
}

// Filters, keyset pages and the full walk agree: newest first, ties broken
// by id, only the organization's own lines.
func TestAuditEntriesFiltersAndPages(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := models.FindOrCreateOrganization(db, "Audit Lab")
	other, _ := models.FindOrCreateOrganization(db, "Other Lab")
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	ev := uint(7)
	for i := 0; i < 25; i++ {
		e := models.AuditEntry{OrganizationID: org.ID, Action: models.AuditRefund, ActorEmail: fmt.Sprintf("p%d_x@example.org", i%2),
			Subject: fmt.Sprint(i), CreatedAt: base.Add(time.Duration(i/3) * time.Hour)}
		if i%5 == 0 {
			e.EventID, e.Action = &ev, models.AuditMessageSent
		}
		if err := models.RecordAudit(db, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := models.RecordAudit(db, models.AuditEntry{OrganizationID: other.ID, Action: models.AuditRefund, Subject: "other"}); err != nil {
		t.Fatal(err)
	}
	count := func(f models.AuditFilter) int {
		n := 0
		if err := models.EachAuditEntry(db, org.ID, f, 4, func(e models.AuditEntry) error {
			if e.OrganizationID != org.ID {
				t.Fatalf("foreign entry %+v", e)
			}
			n++
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, k := range []struct {
		f    models.AuditFilter
		want int
	}{
		{models.AuditFilter{}, 25},
		{models.AuditFilter{Action: models.AuditMessageSent}, 5},
		{models.AuditFilter{EventID: ev}, 5},
		{models.AuditFilter{Email: "P1_"}, 12},
		{models.AuditFilter{Email: "p_"}, 0}, // "_" is literal
		{models.AuditFilter{From: base.Add(2 * time.Hour), To: base.Add(4 * time.Hour)}, 6},
	} {
		if got := count(k.f); got != k.want {
			t.Errorf("filter %+v: %d entries, want %d", k.f, got, k.want)
		}
	}
	var all []models.AuditEntry
	before := uint(0)
	for {
		page, more, err := models.AuditEntries(db, org.ID, models.AuditFilter{}, before, 7)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if !more {
			break
		}
		before = page[len(page)-1].ID
	}
	if len(all) != 25 {
		t.Fatalf("paged %d entries, want 25", len(all))
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if b.CreatedAt.After(a.CreatedAt) || (b.CreatedAt.Equal(a.CreatedAt) && b.ID >= a.ID) {
			t.Fatalf("not newest first at %d: %v/%d then %v/%d", i, a.CreatedAt, a.ID, b.CreatedAt, b.ID)
		}
	}
	// Another organization's id as the cursor starts from the newest.
	var foreign models.AuditEntry
	db.Where("organization_id = ?", other.ID).Take(&foreign)
	page, _, err := models.AuditEntries(db, org.ID, models.AuditFilter{}, foreign.ID, 7)
	if err != nil || len(page) != 7 || page[0].ID != all[0].ID {
		t.Fatalf("foreign cursor: %d entries, %v", len(page), err)
	}
}

// Every Audit* action constant declared in models is in AuditActions, so
// the owner's filter offers it (an action added on another branch fails
// here until it is listed, and labelled in views/i18n/*/audit.json).
func TestAuditActionsListsEveryConstant(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, a := range models.AuditActions {
		listed[a] = true
	}
	found := 0
	for _, p := range files {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Audit") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					found++
					if v, _ := strconv.Unquote(lit.Value); !listed[v] {
						t.Errorf("%s (%s = %s) is not in models.AuditActions", p, name.Name, lit.Value)
					}
				}
			}
		}
	}
	if found < len(models.AuditActions) {
		t.Fatalf("found %d constants, fewer than the %d listed: the scan is broken", found, len(models.AuditActions))
	}
}
