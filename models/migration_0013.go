package models

import "gorm.io/gorm"

// migrate0013AttendeeLinkSecret gives every attendee a personal link secret
// (the key of /tickets/{secret}, mailed to a delegate of a group order):
// the column, a fresh secret for each existing attendee, then the unique
// index. The secret is stored as the order secret is, not hashed: mails are
// rendered from the rows when the worker sends them (and again on a retry
// or a lost-link request), so the link must be readable back.
func migrate0013AttendeeLinkSecret(tx *gorm.DB) error {
	type attendee struct {
		ID         uint   `gorm:"primaryKey"`
		LinkSecret string `gorm:"size:64;not null;default:''"`
	}
	if err := tx.Migrator().AddColumn(&attendee{}, "LinkSecret"); err != nil {
		return err
	}
	if err := backfillAttendeeLinkSecrets(tx); err != nil {
		return err
	}
	return tx.Exec("CREATE UNIQUE INDEX idx_attendees_link_secret ON attendees (link_secret)").Error
}

// backfillAttendeeLinkSecrets gives a secret to every attendee without one,
// in batches so a large table is not read into memory at once.
func backfillAttendeeLinkSecrets(tx *gorm.DB) error {
	for {
		var ids []uint
		if err := tx.Table("attendees").Where("link_secret = ''").Order("id").Limit(500).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		for _, id := range ids {
			if err := tx.Table("attendees").Where("id = ?", id).Update("link_secret", NewSecret()).Error; err != nil {
				return err
			}
		}
	}
}
