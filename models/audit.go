package models

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// AuditEntry is one line of an organization's audit log: who did what, when,
// from which address. Entries are append-only: the application has no path
// that edits or deletes them, and the database refuses both (triggers made by
// migration 17). They never hold an attendee's personal data (name, e-mail,
// answers): they name attendees, orders and events by id or code, so
// anonymising a person leaves nothing of them here.
type AuditEntry struct {
	ID             uint `gorm:"primaryKey"`
	OrganizationID uint `gorm:"not null;index:idx_audit_org_time,priority:1"`
	// EventID is the event the action concerned, when there is one.
	EventID *uint
	// ActorUserID and ActorEmail say who acted; both empty for the system
	// (a job, a webhook). The e-mail is copied so the line keeps its meaning
	// after the account is gone.
	ActorUserID *uint
	ActorEmail  string `gorm:"size:254;not null;default:''"`
	// IP is the client address (through trusted proxies), empty for jobs.
	IP string `gorm:"size:64;not null;default:''"`
	// Action is a stable dotted name (see the Audit* constants).
	Action string `gorm:"size:60;not null;index"`
	// Subject names what was acted on ("attendee 12", "order K3J9QX").
	Subject string `gorm:"size:300;not null;default:''"`
	// Detail is free text for the owner reading the log.
	Detail    string    `gorm:"size:2000;not null;default:''"`
	CreatedAt time.Time `gorm:"not null;index:idx_audit_org_time,priority:2"`
}

// Actions written to the audit log. The names are part of the CSV download.
const (
	AuditSignIn            = "signin.ok"
	AuditSignInFailed      = "signin.failed"
	AuditSignOutOthers     = "session.signed_out_others"
	AuditPasswordChanged   = "password.changed"
	AuditPasswordReset     = "password.reset"
	AuditTwoFactorOn       = "twofactor.enabled"
	AuditTwoFactorOff      = "twofactor.disabled"
	AuditRecoveryCodeUsed  = "twofactor.recovery_code_used"
	AuditTwoFactorRequired = "twofactor.required_changed"
	AuditInvited           = "team.invited"
	AuditInviteResent      = "team.invitation_resent"
	AuditInviteWithdrawn   = "team.invitation_withdrawn"
	AuditInviteAccepted    = "team.invitation_accepted"
	AuditMemberAdded       = "team.member_added"
	AuditRoleChanged       = "team.role_changed"
	AuditMemberRemoved     = "team.member_removed"
	AuditPermissionChanged = "team.permission_changed"
	AuditEventPublished    = "event.published"
	AuditEventUnpublished  = "event.unpublished"
	AuditEventCancelled    = "event.cancelled"
	AuditEventDeleted      = "event.deleted"
	AuditRefund            = "payment.refunded"
	AuditMessageSent       = "message.sent"
	AuditImport            = "registrations.imported"
	AuditExport            = "registrations.exported"
	AuditSensitiveViewed   = "registration.sensitive_viewed"
	AuditAnonymised        = "attendee.anonymised"
	AuditRetentionRun      = "retention.anonymised"
	AuditRetentionChanged  = "retention.changed"
	AuditBadgesDownloaded  = "badges.downloaded"
	AuditCertificatesSent  = "certificates.sent"
	AuditAuditExported     = "audit.exported"
	AuditImageChanged      = "event.image_changed"
	AuditImageRemoved      = "event.image_removed"
	AuditLogoChanged       = "organization.logo_changed"
	AuditLogoRemoved       = "organization.logo_removed"
	AuditTableClosed       = "meetings.table_closed"
	AuditTableReopened     = "meetings.table_reopened"
)

// Field limits of an audit entry; longer text is cut (on a rune boundary),
// never refused: the change it records must not fail for its log line.
const (
	maxAuditSubject = 300
	maxAuditDetail  = 2000
	maxAuditEmail   = 254
	maxAuditIP      = 64
)

// ErrNoAuditOrganization is returned for an entry without an organization.
var ErrNoAuditOrganization = errors.New("audit entry without an organization")

// RecordAudit appends e to the log through tx. Call it inside the
// transaction of the change it records (see Audited), so the change and its
// line commit together or not at all.
func RecordAudit(tx *gorm.DB, e AuditEntry) error {
	if e.OrganizationID == 0 {
		return ErrNoAuditOrganization
	}
	if e.Action == "" {
		return errors.New("audit entry without an action")
	}
	e.ID = 0
	e.Subject = cutRunes(e.Subject, maxAuditSubject)
	e.Detail = cutRunes(e.Detail, maxAuditDetail)
	e.ActorEmail = cutRunes(e.ActorEmail, maxAuditEmail)
	e.IP = cutRunes(e.IP, maxAuditIP)
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now()
	}
	e.CreatedAt = e.CreatedAt.UTC()
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// Audited runs change in a transaction and appends e to the log in the same
// transaction. change may fill in e (a subject, a detail, an event) from what
// it did; returning an error rolls both back. Model functions that open their
// own transaction nest inside this one (GORM uses a savepoint).
func Audited(db *gorm.DB, e AuditEntry, change func(tx *gorm.DB, e *AuditEntry) error) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := change(tx, &e); err != nil {
			return err
		}
		return RecordAudit(tx, e)
	})
}

// cutRunes shortens s to at most n bytes without splitting a character.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
