package models

import "gorm.io/gorm"

// migrate0034EventPostalAddress adds the parts of a venue's address that
// calendars and search engines read as structured data: the town, the
// postal code and the country (ISO 3166-1 alpha-2). The street stays in
// Address.
func migrate0034EventPostalAddress(tx *gorm.DB) error {
	type event struct {
		Locality   string `gorm:"size:100;not null;default:''"`
		PostalCode string `gorm:"size:20;not null;default:''"`
		Country    string `gorm:"size:2;not null;default:''"`
	}
	m := tx.Migrator()
	for _, col := range []string{"Locality", "PostalCode", "Country"} {
		if !m.HasColumn(&event{}, col) {
			if err := m.AddColumn(&event{}, col); err != nil {
				return err
			}
		}
	}
	return nil
}
