package models

import (
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// AuditActions lists every action the log knows, in the order the owner's
// filter offers them.
var AuditActions = []string{
	AuditSignIn, AuditSignInFailed, AuditSignOutOthers, AuditPasswordChanged, AuditPasswordReset,
	AuditTwoFactorOn, AuditTwoFactorOff, AuditRecoveryCodeUsed, AuditRecoveryCodesRenewed, AuditTwoFactorRequired,
	AuditInvited, AuditInviteResent, AuditInviteWithdrawn, AuditInviteAccepted, AuditMemberAdded,
	AuditRoleChanged, AuditMemberRemoved, AuditPermissionChanged,
	AuditEventPublished, AuditEventUnpublished, AuditEventCancelled, AuditEventDeleted,
	AuditRefund, AuditMessageSent, AuditImport, AuditExport, AuditSensitiveViewed, AuditAnonymised,
	AuditRetentionRun, AuditRetentionChanged, AuditRetentionOrgChanged, AuditBadgesDownloaded, AuditCertificatesSent, AuditAuditExported,
	AuditEmbedOriginsChanged, // embed-feeds
	AuditAPITokenCreated, AuditAPITokenRevoked,
	AuditLiveBoardExported,
	AuditWebhookCreated, AuditWebhookChanged, AuditWebhookDeleted, AuditWebhookSecretRotated,
	AuditImageChanged, AuditImageRemoved, AuditLogoChanged, AuditLogoRemoved,
	AuditTableClosed, AuditTableReopened,
}

// KnownAuditAction reports whether a is one of AuditActions.
func KnownAuditAction(a string) bool {
	for _, k := range AuditActions {
		if k == a {
			return true
		}
	}
	return false
}

// AuditFilter narrows an organization's log. Zero fields do not filter.
type AuditFilter struct {
	Action string
	// Email matches the actor's e-mail containing it, without case.
	Email   string
	EventID uint
	// From (inclusive) and To (exclusive) bound the entry's time.
	From, To time.Time
}

// MaxAuditPage is the most entries one page of the log shows.
const MaxAuditPage = 200

// auditQuery is the filtered log of orgID. Every condition leads with the
// organization and orders by its time, so idx_audit_org_time serves it
// however large the log grows.
func auditQuery(db *gorm.DB, orgID uint, f AuditFilter) *gorm.DB {
	q := db.Model(&AuditEntry{}).Where("organization_id = ?", orgID)
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if s := strings.ToLower(strings.TrimSpace(f.Email)); s != "" {
		q = q.Where(`LOWER(actor_email) LIKE ? ESCAPE '\'`, "%"+likeEscaper.Replace(s)+"%")
	}
	if f.EventID != 0 {
		q = q.Where("event_id = ?", f.EventID)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To.UTC())
	}
	return q
}

// AuditEntries returns up to limit entries of orgID's log matching f,
// newest first. before, when not 0, is the id of the last entry of the
// previous page: the page continues after it (keyset paging, so page 500
// costs what page 1 does). more reports whether older entries follow.
func AuditEntries(db *gorm.DB, orgID uint, f AuditFilter, before uint, limit int) (entries []AuditEntry, more bool, err error) {
	if limit <= 0 || limit > MaxAuditPage {
		limit = MaxAuditPage
	}
	q := auditQuery(db, orgID, f)
	if before != 0 {
		var last AuditEntry
		err := db.Select("id", "created_at").Where("organization_id = ?", orgID).Take(&last, before).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			// A stale or foreign cursor: start from the newest.
		case err != nil:
			return nil, false, err
		default:
			q = afterEntry(q, last)
		}
	}
	if err := q.Order("created_at DESC, id DESC").Limit(limit + 1).Find(&entries).Error; err != nil {
		return nil, false, err
	}
	if len(entries) > limit {
		return entries[:limit], true, nil
	}
	return entries, false, nil
}

// afterEntry continues a newest-first listing after last. The redundant
// "created_at <= ?" is what lets both engines seek idx_audit_org_time to the
// page's start: with the OR alone they walk every newer entry first, so a
// deep page (and each batch of a CSV download) cost more the older it was.
func afterEntry(q *gorm.DB, last AuditEntry) *gorm.DB {
	return q.Where("created_at <= ? AND (created_at < ? OR (created_at = ? AND id < ?))", last.CreatedAt, last.CreatedAt, last.CreatedAt, last.ID)
}

// EachAuditEntry calls fn for every entry of orgID's log matching f,
// newest first, reading batch rows at a time, so a download of the whole
// log never holds it in memory. An error from fn stops it.
func EachAuditEntry(db *gorm.DB, orgID uint, f AuditFilter, batch int, fn func(AuditEntry) error) error {
	if batch <= 0 {
		batch = 500
	}
	var last *AuditEntry
	for {
		q := auditQuery(db, orgID, f)
		if last != nil {
			q = afterEntry(q, *last)
		}
		var rows []AuditEntry
		if err := q.Order("created_at DESC, id DESC").Limit(batch).Find(&rows).Error; err != nil {
			return err
		}
		for _, e := range rows {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(rows) < batch {
			return nil
		}
		last = &rows[len(rows)-1]
	}
}

// AuditEvents lists orgID's events the log can name, deleted ones too (their
// lines stay), newest first: the event filter's choices.
func AuditEvents(db *gorm.DB, orgID uint) ([]Event, error) {
	var es []Event
	err := db.Select("id", "title", "status", "starts_at", "organization_id").Where("organization_id = ?", orgID).
		Order("starts_at DESC, id DESC").Find(&es).Error
	return es, err
}
