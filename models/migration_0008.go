package models

import "gorm.io/gorm"

// migrate0008UnlistWithdrawnDirectory takes out of the meetings directory
// the participants whose directory consent was withdrawn before withdrawal
// unlisted them (see withdrawDirectory): every such consent withdrawn, none
// live.
func migrate0008UnlistWithdrawnDirectory(tx *gorm.DB) error {
	const directory = `SELECT 1 FROM consent_records r JOIN consent_texts t ON t.id = r.consent_text_id
		WHERE r.attendee_id = meeting_participants.attendee_id AND t.kind = 'directory' AND r.withdrawn_at IS `
	return tx.Exec(`UPDATE meeting_participants SET active = ? WHERE active = ?
		AND EXISTS (`+directory+`NOT NULL) AND NOT EXISTS (`+directory+`NULL)`, false, true).Error
}
