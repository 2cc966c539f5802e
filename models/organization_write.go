package models

import (
	"errors"

	"gorm.io/gorm"
)

// ErrOrgSlugTaken is returned when another organization uses the slug.
var ErrOrgSlugTaken = errors.New("organization slug already in use")

// CreateOrganization stores a new organization, reporting ErrOrgSlugTaken for a duplicate slug.
func CreateOrganization(db *gorm.DB, o *Organization) error {
	err := db.Create(o).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrOrgSlugTaken
	}
	return err
}

// SaveOrganization writes the editable fields of o. Its events' pages show
// the organization's name, so their versions move too.
func SaveOrganization(db *gorm.DB, o *Organization) error {
	return db.Transaction(func(tx *gorm.DB) error {
		err := tx.Model(o).Select("Name", "Slug", "LegalName", "Address", "VATID", "ContactName", "ContactEmail", "UpdatedAt").Updates(o).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return ErrOrgSlugTaken
		}
		if err != nil {
			return err
		}
		return tx.Model(&Event{}).Where("organization_id = ?", o.ID).UpdateColumn("version", gorm.Expr("version + 1")).Error
	})
}
