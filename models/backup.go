package models

import (
	"fmt"
	"os"

	"gorm.io/gorm"
)

// BackupSQLite writes a consistent copy of a running SQLite database to path
// with VACUUM INTO, which reads one snapshot while writers carry on.
func BackupSQLite(db *gorm.DB, path string) error {
	if IsPostgres(db) {
		return fmt.Errorf("backup: not a SQLite database")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new file", path)
	}
	if err := db.Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
