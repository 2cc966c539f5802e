package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RetentionRun is one removal of an event's personal data, written before
// any of the work: the scheduled run of an event is unique (RunKey
// ScheduledRetentionKey), a run asked for by an owner has a key of its own.
// A holder claims it with a lease and works in batches, so a restart or a
// second instance resumes it; the batch that finishes it writes its one
// audit entry with the totals.
type RetentionRun struct {
	ID             uint   `gorm:"primaryKey"`
	EventID        uint   `gorm:"not null;uniqueIndex:idx_retention_run_key,priority:1"`
	OrganizationID uint   `gorm:"not null"`
	RunKey         string `gorm:"size:100;not null;uniqueIndex:idx_retention_run_key,priority:2"`
	// The owner who asked for it; empty for the schedule (the system).
	ActorUserID  *uint
	ActorEmail   string `gorm:"size:254;not null;default:''"`
	IP           string `gorm:"size:64;not null;default:''"`
	ClaimedBy    string `gorm:"size:100;not null;default:''"`
	ClaimedUntil *time.Time
	// Attendees and Orders count the people and buyers this run erased.
	Attendees  int `gorm:"not null;default:0"`
	Orders     int `gorm:"not null;default:0"`
	StartedAt  time.Time
	FinishedAt *time.Time `gorm:"index"`
}

// ScheduledRetentionKey is the run key of an event's scheduled removal.
const ScheduledRetentionKey = "scheduled"

// Sizes of a retention run's work: people (and buyers, and other rows) per
// transaction, so a big event never holds one huge transaction; the lease
// outlasts a batch by far.
const (
	RetentionBatch = 200
	RetentionLease = 5 * time.Minute
)

// ErrEventNotFinished is returned when asking to anonymise an event that
// has not ended.
var ErrEventNotFinished = errors.New("the event has not ended yet")

// StartRetentionRun writes the run of event e with key (once: a second call
// with the same key returns the same run). by holds who asked (ActorUserID,
// ActorEmail, IP); zero for the schedule.
func StartRetentionRun(db *gorm.DB, e Event, key string, by AuditEntry, now time.Time) (*RetentionRun, error) {
	r := RetentionRun{EventID: e.ID, OrganizationID: e.OrganizationID, RunKey: key, ActorUserID: by.ActorUserID,
		ActorEmail: cutRunes(by.ActorEmail, maxAuditEmail), IP: cutRunes(by.IP, maxAuditIP), StartedAt: now.UTC()}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
		return nil, fmt.Errorf("start retention run: %w", err)
	}
	var got RetentionRun
	if err := db.Where("event_id = ? AND run_key = ?", e.ID, key).Take(&got).Error; err != nil {
		return nil, err
	}
	return &got, nil
}

// AnonymiseEventNow starts an owner's run for a finished event and works on
// it for up to maxBatches batches; an unfinished run is resumed by the
// retention job. It reports whether the run finished.
func AnonymiseEventNow(db *gorm.DB, e Event, by AuditEntry, holder string, now time.Time, maxBatches int) (*RetentionRun, bool, error) {
	if !e.IsPast(now) {
		return nil, false, ErrEventNotFinished
	}
	key := fmt.Sprintf("manual:%d:%d", derefUint(by.ActorUserID), now.Unix())
	r, err := StartRetentionRun(db, e, key, by, now)
	if err != nil {
		return nil, false, err
	}
	done, err := ProcessRetentionRun(db, r.ID, holder, now, maxBatches)
	return r, done, err
}

func derefUint(p *uint) uint {
	if p == nil {
		return 0
	}
	return *p
}

// OpenRetentionRuns lists unfinished runs that no one holds at now.
func OpenRetentionRuns(db *gorm.DB, now time.Time, limit int) ([]uint, error) {
	var ids []uint
	err := db.Model(&RetentionRun{}).Where("finished_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?)", now.UTC()).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}

// errClaimLost rolls back a batch whose holder lost the run to another.
var errClaimLost = errors.New("retention run claimed by another holder")

// ProcessRetentionRun claims run id for holder and erases its event's
// personal data, RetentionBatch rows per transaction, for up to maxBatches
// batches. It reports whether the run is finished. A run held by another
// holder is left alone (false, nil).
func ProcessRetentionRun(db *gorm.DB, id uint, holder string, now time.Time, maxBatches int) (bool, error) {
	now = now.UTC()
	res := db.Model(&RetentionRun{}).Where("id = ? AND finished_at IS NULL AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)", id, now, holder).
		Updates(map[string]any{"claimed_by": holder, "claimed_until": time.Now().UTC().Add(RetentionLease)})
	if res.Error != nil || res.RowsAffected != 1 {
		return false, res.Error
	}
	var run RetentionRun
	if err := db.Take(&run, id).Error; err != nil {
		return false, err
	}
	for i := 0; i < maxBatches; i++ {
		done := false
		err := db.Transaction(func(tx *gorm.DB) error {
			// Renew the claim first: this also locks the run, so a holder
			// whose lease ran out cannot commit a batch beside the new one.
			res := tx.Model(&RetentionRun{}).Where("id = ? AND claimed_by = ? AND finished_at IS NULL", id, holder).
				Update("claimed_until", time.Now().UTC().Add(RetentionLease))
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				return errClaimLost
			}
			people, orders, err := eraseRetentionBatch(tx, run.EventID, now)
			if err != nil {
				return err
			}
			if err := tx.Model(&RetentionRun{}).Where("id = ?", id).Updates(map[string]any{
				"attendees": gorm.Expr("attendees + ?", people), "orders": gorm.Expr("orders + ?", orders),
			}).Error; err != nil {
				return err
			}
			left, err := retentionWorkLeft(tx, run.EventID)
			if err != nil || left {
				return err
			}
			done = true
			return finishRetentionRun(tx, id, now)
		})
		if errors.Is(err, errClaimLost) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("retention run %d: %w", id, err)
		}
		if done {
			return true, nil
		}
	}
	// Out of batches for now: let the next pass (any instance) resume it.
	return false, db.Model(&RetentionRun{}).Where("id = ? AND claimed_by = ?", id, holder).
		Updates(map[string]any{"claimed_by": "", "claimed_until": nil}).Error
}

// finishRetentionRun closes the run, marks its event's data removed and
// writes the run's audit entry, in the transaction of its last batch.
func finishRetentionRun(tx *gorm.DB, id uint, now time.Time) error {
	var run RetentionRun
	if err := tx.Take(&run, id).Error; err != nil {
		return err
	}
	if err := tx.Model(&RetentionRun{}).Where("id = ?", id).
		Updates(map[string]any{"finished_at": now, "claimed_by": "", "claimed_until": nil}).Error; err != nil {
		return err
	}
	if err := tx.Model(&Event{}).Where("id = ?", run.EventID).Update("personal_data_removed_at", now).Error; err != nil {
		return err
	}
	eventID := run.EventID
	detail := fmt.Sprintf("personal data of %d people and %d buyers removed (%s run)", run.Attendees, run.Orders, runKind(run))
	return RecordAudit(tx, AuditEntry{OrganizationID: run.OrganizationID, EventID: &eventID, ActorUserID: run.ActorUserID,
		ActorEmail: run.ActorEmail, IP: run.IP, Action: AuditRetentionRun, Subject: fmt.Sprintf("event %d", eventID),
		Detail: detail, CreatedAt: now})
}

func runKind(r RetentionRun) string {
	if r.RunKey == ScheduledRetentionKey {
		return "scheduled"
	}
	return "requested"
}

// eraseRetentionBatch erases up to RetentionBatch of each kind of personal
// row of the event: attendees (through the one attendee rule), buyers of
// orders whose people are all erased, waiting list entries, import rows,
// import keys, change records, and what earlier erasures left. It returns
// how many people and buyers it erased.
func eraseRetentionBatch(tx *gorm.DB, eventID uint, now time.Time) (people, orders int, err error) {
	var ids []uint
	if err := tx.Model(&Attendee{}).Where("event_id = ? AND anonymised_at IS NULL", eventID).
		Order("id").Limit(RetentionBatch).Pluck("id", &ids).Error; err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		done, err := anonymiseAttendee(tx, id, now)
		if err != nil {
			return 0, 0, fmt.Errorf("attendee %d: %w", id, err)
		}
		if done {
			people++
		}
	}
	var orderIDs []uint
	if err := ordersToErase(tx, eventID).Order("id").Limit(RetentionBatch).Pluck("id", &orderIDs).Error; err != nil {
		return 0, 0, err
	}
	for _, id := range orderIDs {
		done, err := eraseBuyers(tx, now, "id = ? AND "+buyerLeftSQL, id, AnonymisedName, receiptPaymentStates)
		if err != nil {
			return 0, 0, fmt.Errorf("order %d: %w", id, err)
		}
		if done {
			orders++
		}
	}
	for _, s := range retentionSweeps(tx, eventID, now) {
		if err := s.erase(); err != nil {
			return 0, 0, fmt.Errorf("erase %s: %w", s.name, err)
		}
	}
	return people, orders, nil
}

// buyerLeftSQL matches an order that still names its buyer beyond what its
// receipt needs (args: AnonymisedName, receiptPaymentStates).
const buyerLeftSQL = "(buyer_email <> '' OR (buyer_name <> ? AND NOT " + paidOrderSQL + "))"

// ordersToErase are the event's orders whose people are all erased and
// whose buyer is not.
func ordersToErase(db *gorm.DB, eventID uint) *gorm.DB {
	return db.Model(&Order{}).Where("event_id = ? AND "+buyerLeftSQL, eventID, AnonymisedName, receiptPaymentStates).
		Where("NOT EXISTS (SELECT 1 FROM attendees WHERE attendees.order_id = orders.id AND attendees.anonymised_at IS NULL)")
}

// waitlistToErase are the event's waiting list entries that still name someone.
func waitlistToErase(db *gorm.DB, eventID uint) *gorm.DB {
	return db.Model(&WaitlistEntry{}).Where("event_id = ? AND (email <> '' OR name <> ?)", eventID, AnonymisedName)
}

// retentionSweep is one kind of row besides attendees and buyers: left
// says whether any is still to erase, erase erases up to a batch of them.
type retentionSweep struct {
	name  string
	left  *gorm.DB
	erase func() error
}

// retentionSweeps lists the rows of the event that name people besides
// attendees and buyers.
func retentionSweeps(tx *gorm.DB, eventID uint, now time.Time) []retentionSweep {
	batch := func(q *gorm.DB) *gorm.DB {
		return q.Session(&gorm.Session{}).Select("id").Order("id").Limit(RetentionBatch)
	}
	imports := tx.Model(&RegistrationImport{}).Select("id").Where("event_id = ?", eventID)
	waitlist := waitlistToErase(tx, eventID)
	importRows := tx.Model(&ImportRow{}).Where("import_id IN (?) AND (name <> '' OR email <> '' OR organization <> '')", imports)
	staffKeys := tx.Model(&StaffOrder{}).Where("event_id = ? AND import_email IS NOT NULL", eventID)
	changes := tx.Model(&RegistrationChange{}).Where("event_id = ? AND details <> ''", eventID)
	// Profiles and recipients of people erased before meeting profiles and
	// messages were part of the attendee rule.
	profiles := tx.Model(&MeetingParticipant{}).Where("event_id = ? AND name <> ?", eventID, AnonymisedName)
	messages := tx.Model(&Message{}).Select("id").Where("event_id = ?", eventID)
	recipients := tx.Model(&MessageRecipient{}).Where("message_id IN (?) AND name <> ?", messages, AnonymisedName)
	mails := mailsOfEvent(tx, eventID)
	return []retentionSweep{
		{"waiting list", waitlist, func() error {
			var ids []uint
			if err := batch(waitlist).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
				return err
			}
			if err := tx.Model(&WaitlistEntry{}).Where("id IN ?", ids).
				Updates(map[string]any{"name": AnonymisedName, "email": "", "updated_at": now}).Error; err != nil {
				return err
			}
			return eraseRecipients(tx, "waitlist_entry_id IN ?", ids)
		}},
		{"import rows", importRows, func() error {
			return tx.Model(&ImportRow{}).Where("id IN (?)", batch(importRows)).
				Updates(map[string]any{"name": "", "email": "", "organization": ""}).Error
		}},
		{"import keys", staffKeys, func() error {
			var ids []uint
			if err := staffKeys.Session(&gorm.Session{}).Order("order_id").Limit(RetentionBatch).Pluck("order_id", &ids).Error; err != nil || len(ids) == 0 {
				return err
			}
			return tx.Model(&StaffOrder{}).Where("order_id IN ?", ids).Update("import_email", nil).Error
		}},
		{"change records", changes, func() error {
			return tx.Model(&RegistrationChange{}).Where("id IN (?)", batch(changes)).Update("details", "").Error
		}},
		{"meeting profiles", profiles, func() error {
			var ids []uint
			if err := batch(profiles).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
				return err
			}
			return eraseMeetingProfiles(tx, tx.Model(&MeetingParticipant{}).Select("id").Where("id IN ?", ids), now)
		}},
		{"message recipients", recipients, func() error {
			var ids []uint
			if err := batch(recipients).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
				return err
			}
			return eraseRecipients(tx, "id IN ?", ids)
		}},
		{"mail log", mails, func() error {
			var ids []uint
			if err := batch(mails).Pluck("id", &ids).Error; err != nil {
				return err
			}
			return eraseMails(tx, ids)
		}},
	}
}

// retentionWorkLeft reports whether the event still holds personal data a
// run erases.
func retentionWorkLeft(tx *gorm.DB, eventID uint) (bool, error) {
	var n int64
	if err := tx.Model(&Attendee{}).Where("event_id = ? AND anonymised_at IS NULL", eventID).Limit(1).Count(&n).Error; err != nil || n > 0 {
		return n > 0, err
	}
	if err := ordersToErase(tx, eventID).Count(&n).Error; err != nil || n > 0 {
		return n > 0, err
	}
	for _, s := range retentionSweeps(tx, eventID, time.Time{}) {
		if err := s.left.Session(&gorm.Session{}).Count(&n).Error; err != nil || n > 0 {
			return n > 0, err
		}
	}
	return false, nil
}

// RetentionSweep is the retention job's pass: it writes the scheduled run
// of every event past its removal date and works on every open run no one
// holds, up to maxBatches batches each.
func RetentionSweep(db *gorm.DB, holder string, now time.Time, maxBatches int) (finished int, err error) {
	due, err := EventsDueForRetention(db, now)
	if err != nil {
		return 0, err
	}
	for _, e := range due {
		if _, err := StartRetentionRun(db, e, ScheduledRetentionKey, AuditEntry{}, now); err != nil {
			return 0, err
		}
	}
	ids, err := OpenRetentionRuns(db, now, 50)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, id := range ids {
		done, err := ProcessRetentionRun(db, id, holder, now, maxBatches)
		if err != nil {
			errs = append(errs, err)
		}
		if done {
			finished++
		}
	}
	return finished, errors.Join(errs...)
}
