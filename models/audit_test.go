package models_test

import (
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestAuditEntriesCannotBeChangedOrDeleted(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, err := models.FindOrCreateOrganization(db, "Audit Lab")
	if err != nil {
		t.Fatal(err)
	}
	if err := models.RecordAudit(db, models.AuditEntry{OrganizationID: org.ID, Action: models.AuditExport, Subject: "event 1"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&models.AuditEntry{}).Where("organization_id = ?", org.ID).Update("subject", "nothing").Error; err == nil {
		t.Error("an audit entry was updated")
	}
	if err := db.Where("organization_id = ?", org.ID).Delete(&models.AuditEntry{}).Error; err == nil {
		t.Error("an audit entry was deleted")
	}
	var e models.AuditEntry
	if err := db.Where("organization_id = ?", org.ID).First(&e).Error; err != nil || e.Subject != "event 1" {
		t.Fatalf("entry after the attempts: %+v, %v", e, err)
	}
}

func TestAuditedCommitsWithTheChangeOrNotAtAll(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, err := models.FindOrCreateOrganization(db, "Audit Lab")
	if err != nil {
		t.Fatal(err)
	}
	fail := errors.New("change failed")
	err = models.Audited(db, models.AuditEntry{OrganizationID: org.ID, Action: models.AuditRoleChanged}, func(tx *gorm.DB, e *models.AuditEntry) error {
		if err := tx.Model(&models.Organization{}).Where("id = ?", org.ID).Update("legal_name", "Changed").Error; err != nil {
			return err
		}
		return fail
	})
	if !errors.Is(err, fail) {
		t.Fatalf("Audited: %v", err)
	}
	var n int64
	db.Model(&models.AuditEntry{}).Count(&n)
	var o models.Organization
	db.First(&o, org.ID)
	if n != 0 || o.LegalName != "" {
		t.Fatalf("after a failed change: %d entries, legal name %q", n, o.LegalName)
	}
	long := strings.Repeat("é", 2000)
	err = models.Audited(db, models.AuditEntry{OrganizationID: org.ID, Action: models.AuditRoleChanged}, func(tx *gorm.DB, e *models.AuditEntry) error {
		e.Subject, e.Detail = "user 2", long
		return tx.Model(&models.Organization{}).Where("id = ?", org.ID).Update("legal_name", "Changed").Error
	})
	if err != nil {
		t.Fatal(err)
	}
	var e models.AuditEntry
	db.First(&e)
	db.First(&o, org.ID)
	if o.LegalName != "Changed" || e.Subject != "user 2" || len(e.Detail) > 2000 || !strings.HasPrefix(long, e.Detail) {
		t.Fatalf("after the change: legal name %q, entry %q / %d bytes", o.LegalName, e.Subject, len(e.Detail))
	}
}
