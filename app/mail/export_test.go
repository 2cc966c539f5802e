package mail

import (
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// FooterForTest renders {{.L.T "mail.footer"}} for a mail about eventID.
func FooterForTest(db *gorm.DB, eventID uint, lang string) string {
	r, err := NewRenderer(db, "https://agora.example.org")
	if err != nil {
		return err.Error()
	}
	var e models.Event
	if err := db.Take(&e, eventID).Error; err != nil {
		return err.Error()
	}
	L := newTranslator(r.bundle, lang)
	r.eventData(L, e)
	return L.T("mail.footer")
}
