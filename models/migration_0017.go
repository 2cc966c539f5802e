package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0017AuditLog adds the append-only audit log and the access
// coordinator permission. The database itself refuses to update or delete
// an audit entry, on both engines, so no code path (nor a slip in one) can
// rewrite history. Existing owners keep seeing access and health needs, as
// they did before the permission existed; managers lose it until an owner
// grants it.
func migrate0017AuditLog(tx *gorm.DB) error {
	type auditEntry struct {
		ID             uint `gorm:"primaryKey"`
		OrganizationID uint `gorm:"not null;index:idx_audit_org_time,priority:1"`
		EventID        *uint
		ActorUserID    *uint
		ActorEmail     string    `gorm:"size:254;not null;default:''"`
		IP             string    `gorm:"size:64;not null;default:''"`
		Action         string    `gorm:"size:60;not null;index"`
		Subject        string    `gorm:"size:300;not null;default:''"`
		Detail         string    `gorm:"size:2000;not null;default:''"`
		CreatedAt      time.Time `gorm:"not null;index:idx_audit_org_time,priority:2"`
	}
	if err := tx.AutoMigrate(&auditEntry{}); err != nil {
		return err
	}
	type membership struct {
		ID                uint `gorm:"primaryKey"`
		AccessCoordinator bool `gorm:"not null;default:false"`
	}
	if err := tx.Migrator().AddColumn(&membership{}, "AccessCoordinator"); err != nil {
		return err
	}
	if err := tx.Exec("UPDATE memberships SET access_coordinator = ? WHERE role = ?", true, RoleOwner).Error; err != nil {
		return err
	}
	if IsPostgres(tx) {
		return tx.Exec(`CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$;
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE OR DELETE ON audit_entries
FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();`).Error
	}
	for _, op := range []string{"UPDATE", "DELETE"} {
		if err := tx.Exec(`CREATE TRIGGER audit_entries_no_` + op + ` BEFORE ` + op + ` ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`).Error; err != nil {
			return err
		}
	}
	return nil
}
