package modeltest

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// AuditLogSpan is how far back a seeded log reaches: a year of an
// organization's activity.
const AuditLogSpan = 365 * 24 * time.Hour

// Markers of a seeded log, for filters that must find few entries or none.
const (
	// RareAuditEmail acts in one entry of every 1,000.
	RareAuditEmail = "rare.auditor@staff.example"
	// RareAuditAction is one entry of every 1,000.
	RareAuditAction = models.AuditEventDeleted
)

// commonAuditActions are the day-to-day actions of a seeded log, most
// frequent first (sign-ins and exports dominate a real one).
var commonAuditActions = []string{
	models.AuditSignIn, models.AuditSignIn, models.AuditSignIn, models.AuditSignIn,
	models.AuditExport, models.AuditExport, models.AuditSensitiveViewed, models.AuditSensitiveViewed,
	models.AuditMessageSent, models.AuditRefund, models.AuditSignInFailed, models.AuditBadgesDownloaded,
	models.AuditImport, models.AuditEventPublished, models.AuditAnonymised, models.AuditRoleChanged,
}

// SeedAuditLogs writes n entries into each organization of orgIDs, spread
// evenly over the AuditLogSpan before end, the organizations' entries
// interleaved in time and in ids (as when they work at the same time). The
// rows go in with CreateInBatches, not RecordAudit, so 100,000 take seconds;
// each is a valid entry as RecordAudit would write it. events[org] are the
// events an entry of that org may name (every third entry names one).
func SeedAuditLogs(tb testing.TB, db *gorm.DB, orgIDs []uint, events map[uint][]uint, n int, end time.Time) {
	tb.Helper()
	const batch = 1000
	step := AuditLogSpan / time.Duration(n)
	start := end.UTC().Add(-AuditLogSpan)
	rows := make([]models.AuditEntry, 0, batch)
	for lo := 0; lo < n; lo += batch {
		for k, org := range orgIDs {
			rows = rows[:0]
			for i := lo; i < min(lo+batch, n); i++ {
				rows = append(rows, seededAuditEntry(org, k, i, events[org], start.Add(time.Duration(i)*step+time.Duration(k)*time.Second)))
			}
			if err := db.CreateInBatches(rows, batch).Error; err != nil {
				tb.Fatalf("seed audit log: %v", err)
			}
		}
	}
}

// seededAuditEntry is entry i of the k-th seeded organization.
func seededAuditEntry(org uint, k, i int, events []uint, at time.Time) models.AuditEntry {
	uid := uint(1 + i%12)
	e := models.AuditEntry{OrganizationID: org, ActorUserID: &uid, ActorEmail: fmt.Sprintf("staff%02d@org%d.example", i%12, k),
		IP: fmt.Sprintf("192.0.2.%d", i%250), Action: commonAuditActions[i%len(commonAuditActions)],
		Subject: fmt.Sprintf("attendee %d", 1000+i), Detail: "seeded entry for the benchmark", CreatedAt: at}
	switch {
	case i%1000 == 500:
		e.ActorEmail = RareAuditEmail
	case i%1000 == 0:
		e.Action = RareAuditAction
	case i%7 == 3:
		e.ActorUserID, e.ActorEmail, e.IP = nil, "", "" // the system (a job)
	}
	if len(events) > 0 && i%3 == 0 {
		ev := events[(i/3)%len(events)]
		e.EventID = &ev
	}
	return e
}
