package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0023Translations stores organizer-written text in more than one
// language: one row per (owner kind, owner id, field, language), so adding
// a language is a new row, never a new column. Each event lists its content
// languages and names its default, whose text stays in the event's own
// columns; existing events get one language, English (the site's default,
// which their text was written for), so nothing they show changes. A
// consent record names the language version the person agreed to;
// existing records agreed to the only version there was, the default's.
func migrate0023Translations(tx *gorm.DB) error {
	type translation struct {
		ID        uint   `gorm:"primaryKey"`
		EventID   uint   `gorm:"not null;index"`
		OwnerKind string `gorm:"size:20;not null;uniqueIndex:idx_translation_key,priority:1"`
		OwnerID   uint   `gorm:"not null;uniqueIndex:idx_translation_key,priority:2"`
		Field     string `gorm:"size:40;not null;uniqueIndex:idx_translation_key,priority:3"`
		Lang      string `gorm:"size:8;not null;uniqueIndex:idx_translation_key,priority:4"`
		Text      string `gorm:"type:text;not null"`
		UpdatedAt time.Time
	}
	if err := tx.AutoMigrate(&translation{}); err != nil {
		return err
	}
	type event struct {
		ID              uint   `gorm:"primaryKey"`
		Languages       string `gorm:"size:100;not null;default:en"`
		DefaultLanguage string `gorm:"size:8;not null;default:en"`
	}
	for _, col := range []string{"Languages", "DefaultLanguage"} {
		if err := tx.Migrator().AddColumn(&event{}, col); err != nil {
			return err
		}
	}
	type consentRecord struct {
		ID       uint   `gorm:"primaryKey"`
		Language string `gorm:"size:8;not null;default:en"`
	}
	return tx.Migrator().AddColumn(&consentRecord{}, "Language")
}
