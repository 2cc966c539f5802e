package models

import (
	"fmt"
	"hash/fnv"
	"time"

	"gorm.io/gorm"
)

// migration is one numbered, transactional step of the schema. Each declares
// the table shapes it needs itself, so a later change to a model struct never
// rewrites history.
type migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

// migrations is the ordered history of the schema. Append only.
var migrations = []migration{
	{1, "foundation: organizations, users, events, agenda, kv store", migrate0001Foundation},
	{2, "registration: ticket types, orders, attendees, consents, waitlist, outbox", migrate0002Registration},
	{3, "job leases", migrate0003JobLeases},
	{4, "payments: refunds, stripe events, vouchers, event payment settings", migrate0004Payments},
	{5, "one-to-one meetings", migrate0005Meetings},
	{6, "payments: refund claims (key stored before the provider call)", migrate0006RefundClaims},
	{7, "orders: idempotency keys bound to the visitor that sent them", migrate0007IdempotencyOwner},
	{8, "meetings: participants whose directory consent was withdrawn are unlisted", migrate0008UnlistWithdrawnDirectory},
	{9, "messages to registrants and their recipients", migrate0009Messages},
	{10, "event mail: organization contact, reminders and reply-to per event", migrate0010EventMail},
	{11, "cancellations: event cancellation jobs, refund reasons and amounts, refund policy", migrate0011Cancellations},
	{12, "staff registrations: staff orders, change records, invitee imports", migrate0012StaffRegistrations},
	{13, "attendees: a personal link secret for each delegate", migrate0013AttendeeLinkSecret},
	{15, "check-in lists per day and session, check-ins as rows", migrate0015CheckinLists},
	{16, "certificates of attendance with verification codes, signatory per event", migrate0016Certificates},
	{17, "audit log (append-only) and the access coordinator permission", migrate0017AuditLog},
	{18, "staff sessions as rows, password reset links", migrate0018StaffSessions},
	{19, "team invitations (token hashes, one open invitation per organization and address)", migrate0019Invitations},
	{20, "two-factor sign-in: encrypted TOTP secrets, recovery codes, organizations that require it", migrate0020TwoFactor},
	{21, "retention: periods per organization and event, removal runs", migrate0021Retention},
	{23, "translations of organizer-written text; each event's content languages; the language of each consent", migrate0023Translations},
	{24, "REST API tokens of organizations (hashes only)", migrate0024APITokens},
	{25, "REST API Idempotency-Key rows (per token and key, with the stored response)", migrate0025APIIdempotencyKeys},
	{26, "webhook endpoints of organizations and their deliveries (signed, retried, once per change)", migrate0026Webhooks},
	{27, "sites allowed to embed an organization's pages", migrate0027EmbedOrigins},
	{28, "live agora: event rows that feed every instance's live pages", migrate0028LiveEvents},
	{29, "live agora: boards of sessions, posts, votes (one per person and post)", migrate0029LiveBoards},
	{30, "live agora: quick polls and their answers (one per person and poll)", migrate0030LivePolls},
	{31, "feedback questionnaires, requests and answers", migrate0031Feedback},
	{32, "event cover images and organization logos, with their JPEG variants", migrate0032Images},
	{33, "tables closed by the organizer for one meeting slot", migrate0033MeetingClosures},
	{34, "events: the town, postal code and country of the venue", migrate0034EventPostalAddress},
}

// schemaVersion is the row that records which migrations have run.
type schemaVersion struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	AppliedAt time.Time
}

func (schemaVersion) TableName() string { return "schema_versions" }

// Migrate applies every migration not yet recorded, each in its own transaction.
func Migrate(db *gorm.DB) error {
	if err := db.AutoMigrate(&schemaVersion{}); err != nil {
		return fmt.Errorf("migrate: schema_versions: %w", err)
	}
	for _, m := range migrations {
		err := db.Transaction(func(tx *gorm.DB) error {
			if IsPostgres(tx) {
				// Serialise concurrent instances migrating at once.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(7146001)").Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Model(&schemaVersion{}).Where("version = ?", m.Version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := m.Up(tx); err != nil {
				return err
			}
			return tx.Create(&schemaVersion{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return fmt.Errorf("migrate %04d %s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// SchemaVersion returns the highest applied migration number.
func SchemaVersion(db *gorm.DB) (int, error) {
	var v int
	err := db.Model(&schemaVersion{}).Select("COALESCE(MAX(version), 0)").Scan(&v).Error
	return v, err
}

// MigrationsFingerprint names the schema the migrations build (their numbers
// and names), so a prepared copy of it can be reused while they are unchanged.
func MigrationsFingerprint() string {
	h := fnv.New64a()
	for _, m := range migrations {
		fmt.Fprintf(h, "%d:%s;", m.Version, m.Name)
	}
	return fmt.Sprintf("%d_%x", len(migrations), h.Sum64())
}
