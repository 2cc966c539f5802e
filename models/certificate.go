package models

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MailCertificate is the outbox kind of a certificate of attendance
// (RefID: certificate); the mail carries the PDF.
const MailCertificate = "certificate"

// Certificate is an attendee's certificate of attendance. Code is the
// unguessable key of its public verification page; the row is made once
// per attendee, the first time the certificate is asked for or mailed.
type Certificate struct {
	ID         uint   `gorm:"primaryKey"`
	EventID    uint   `gorm:"not null;index"`
	AttendeeID uint   `gorm:"not null;uniqueIndex"`
	Code       string `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt  time.Time
}

// CertificateSettings are what an event's certificates print besides the
// person: who signs them, and in what role.
type CertificateSettings struct {
	EventID       uint   `gorm:"primaryKey;autoIncrement:false"`
	SignatoryName string `gorm:"size:200;not null;default:''"`
	SignatoryRole string `gorm:"size:200;not null;default:''"`
	UpdatedAt     time.Time
}

// ErrNoCertificate is returned for an attendee who has no certificate: not
// checked in, cancelled, of an order not confirmed, or before the event
// has ended.
var ErrNoCertificate = errors.New("no certificate of attendance for this person")

// CertificateSettingsOf returns the event's settings (empty when unset).
func CertificateSettingsOf(db *gorm.DB, eventID uint) (CertificateSettings, error) {
	s := CertificateSettings{EventID: eventID}
	err := db.Where("event_id = ?", eventID).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		err = nil
	}
	return s, err
}

// SaveCertificateSettings stores the signatory of the event's certificates.
func SaveCertificateSettings(db *gorm.DB, s CertificateSettings) error {
	s.SignatoryName, s.SignatoryRole = strings.TrimSpace(s.SignatoryName), strings.TrimSpace(s.SignatoryRole)
	s.UpdatedAt = time.Now().UTC()
	return db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "event_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"signatory_name", "signatory_role", "updated_at"})}).Create(&s).Error
}

// certifiedAttendees selects the attendees of an event who may have a
// certificate: active, of a confirmed order, checked in, and not
// anonymised (no name left to certify, no address to mail).
func certifiedAttendees(db *gorm.DB, eventID uint) *gorm.DB {
	return db.Model(&Attendee{}).Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("attendees.event_id = ? AND attendees.status = ? AND orders.status = ? AND attendees.checked_in_at IS NOT NULL AND attendees.anonymised_at IS NULL",
			eventID, AttendeeActive, OrderConfirmed)
}

// CertificatesOpen reports whether the event's certificates can be had:
// once the event has ended.
func CertificatesOpen(e Event, now time.Time) bool { return !now.Before(e.EndsAt) }

// IssueCertificate returns the attendee's certificate, making it the first
// time; two calls at once make one (the unique attendee index).
func IssueCertificate(db *gorm.DB, attendeeID uint, now time.Time) (*Certificate, error) {
	var at Attendee
	if err := db.Select("id", "event_id").Take(&at, attendeeID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrNoCertificate
		}
		return nil, err
	}
	var e Event
	if err := db.Take(&e, at.EventID).Error; err != nil {
		return nil, err
	}
	var n int64
	if err := certifiedAttendees(db, e.ID).Where("attendees.id = ?", attendeeID).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 || !CertificatesOpen(e, now) {
		return nil, ErrNoCertificate
	}
	return issueCertificate(db, e.ID, attendeeID, now)
}

func issueCertificate(db *gorm.DB, eventID, attendeeID uint, now time.Time) (*Certificate, error) {
	c := &Certificate{EventID: eventID, AttendeeID: attendeeID, Code: NewSecret(), CreatedAt: now.UTC()}
	if err := db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "attendee_id"}}, DoNothing: true}).Create(c).Error; err != nil {
		return nil, fmt.Errorf("issue certificate: %w", err)
	}
	var out Certificate
	if err := db.Where("attendee_id = ?", attendeeID).Take(&out).Error; err != nil {
		return nil, err
	}
	return &out, nil
}

// CertificateByCode finds a certificate by its verification code; a code of
// the wrong shape is not looked up.
func CertificateByCode(db *gorm.DB, code string) (*Certificate, error) {
	if !LooksLikeSecret(code) {
		return nil, gorm.ErrRecordNotFound
	}
	var c Certificate
	if err := db.Where("code = ?", code).Take(&c).Error; err != nil {
		return nil, err
	}
	return &c, nil
}

// CertifiedSession is one session on a certificate.
type CertifiedSession struct {
	Title            string
	StartsAt, EndsAt time.Time
}

// Hours is the session's length in hours (rounded only when shown, so
// totals add up).
func (s CertifiedSession) Hours() float64 {
	return s.EndsAt.Sub(s.StartsAt).Hours()
}

// CertificateView is everything a certificate shows, loaded from its rows.
// Sessions are those attended (see AttendedSessions); attendance of the
// event itself is a check-in on any list.
type CertificateView struct {
	Certificate
	Name         string
	Email        string
	Language     string
	OrderSecret  string
	Event        Event
	Organization string
	Settings     CertificateSettings
	Sessions     []CertifiedSession
	// Revoked is set when the person no longer qualifies (cancelled, or
	// their data erased since): the certificate is then no longer shown,
	// verified or mailed.
	Revoked bool
}

// TotalHours adds up the sessions' hours.
func (v CertificateView) TotalHours() float64 {
	var h float64
	for _, s := range v.Sessions {
		h += s.Hours()
	}
	return h
}

// FormatHours writes hours with at most two decimals ("0.75", "1.5", "2").
func FormatHours(h float64) string {
	return strconv.FormatFloat(math.Round(h*100)/100, 'f', -1, 64)
}

// LoadCertificateView loads what the certificate shows.
func LoadCertificateView(db *gorm.DB, c *Certificate) (*CertificateView, error) {
	var at Attendee
	if err := db.Preload("Order").Take(&at, c.AttendeeID).Error; err != nil {
		return nil, err
	}
	v := &CertificateView{Certificate: *c, Name: at.Name, Email: at.Email}
	var n int64
	if err := certifiedAttendees(db, c.EventID).Where("attendees.id = ?", c.AttendeeID).Count(&n).Error; err != nil {
		return nil, err
	}
	v.Revoked = n == 0
	if at.Order != nil {
		v.Language, v.OrderSecret = at.Order.Language, at.Order.Secret
	}
	if err := db.Take(&v.Event, c.EventID).Error; err != nil {
		return nil, err
	}
	var org Organization
	if err := db.Take(&org, v.Event.OrganizationID).Error; err != nil {
		return nil, err
	}
	v.Organization = org.Name
	if org.LegalName != "" {
		v.Organization = org.LegalName
	}
	var err error
	if v.Settings, err = CertificateSettingsOf(db, c.EventID); err != nil {
		return nil, err
	}
	v.Sessions, err = AttendedSessions(db, c.EventID, c.AttendeeID)
	return v, err
}

// AttendedSessions are the sessions a certificate lists: those where the
// person was checked in on the session's own list (continuing-education
// credits, counted attendance), and those they signed up for where the
// session's door was not kept (no one checked in on its list), which the
// day's check-in then stands for.
func AttendedSessions(db *gorm.DB, eventID, attendeeID uint) ([]CertifiedSession, error) {
	const liveOnList = "SELECT 1 FROM checkins c JOIN checkin_lists l ON l.id = c.list_id WHERE l.session_id = sessions.id AND c.undone_at IS NULL"
	var out []CertifiedSession
	err := db.Model(&Session{}).Select("sessions.title, sessions.starts_at, sessions.ends_at").
		Where("sessions.event_id = ?", eventID).
		Where("EXISTS ("+liveOnList+" AND c.attendee_id = ?) OR (EXISTS (SELECT 1 FROM session_signups ss WHERE ss.session_id = sessions.id AND ss.attendee_id = ?) AND NOT EXISTS ("+liveOnList+"))",
			attendeeID, attendeeID).
		Order("sessions.starts_at, sessions.id").Scan(&out).Error
	return out, err
}

// CertificateCounts says how many of an event's people have a certificate
// to send and how many have been mailed one.
func CertificateCounts(db *gorm.DB, eventID uint) (checkedIn, mailed int64, err error) {
	if err = certifiedAttendees(db, eventID).Count(&checkedIn).Error; err != nil {
		return
	}
	err = db.Model(&OutboxMessage{}).Where("kind = ? AND dedupe_key LIKE ?", MailCertificate, "certificate:"+strconv.FormatUint(uint64(eventID), 10)+":%").Count(&mailed).Error
	return
}

// EnqueueCertificateMails issues the certificate of every checked-in
// attendee of the event and queues one mail each (dedupe key per event and
// attendee), in one transaction: pressing the button twice, or two
// organizers at once, mails each person once. It returns how many mails
// were new.
func EnqueueCertificateMails(db *gorm.DB, eventID uint, now time.Time) (int, error) {
	var e Event
	if err := db.Take(&e, eventID).Error; err != nil {
		return 0, err
	}
	if !CertificatesOpen(e, now) {
		return 0, ErrNoCertificate
	}
	queued := 0
	err := db.Transaction(func(tx *gorm.DB) error {
		var people []struct {
			ID       uint
			Email    string
			Language string
		}
		if err := certifiedAttendees(tx, eventID).Select("attendees.id, attendees.email, orders.language").
			Order("attendees.id").Scan(&people).Error; err != nil {
			return err
		}
		for _, p := range people {
			c, err := issueCertificate(tx, eventID, p.ID, now)
			if err != nil {
				return err
			}
			m := &OutboxMessage{To: p.Email, Language: p.Language, Kind: MailCertificate, RefID: c.ID,
				DedupeKey: fmt.Sprintf("certificate:%d:%d", eventID, p.ID), NextAttemptAt: now.UTC()}
			if err := Enqueue(tx, m); err != nil {
				return err
			}
			if m.ID != 0 {
				queued++
			}
		}
		return nil
	})
	return queued, err
}
