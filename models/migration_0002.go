package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0002Registration adds ticket types, orders, payments, attendees,
// questions and answers, consents, session sign-ups, the waitlist and the
// e-mail outbox, and the places_taken counters of events and sessions.
// The shapes are frozen here on purpose.
func migrate0002Registration(tx *gorm.DB) error {
	// Parents named only for their keys; their tables exist already.
	type event struct {
		ID          uint `gorm:"primaryKey"`
		PlacesTaken int  `gorm:"not null;default:0"`
	}
	type session struct {
		ID          uint `gorm:"primaryKey"`
		PlacesTaken int  `gorm:"not null;default:0"`
	}
	for _, col := range []struct {
		model any
	}{{&event{}}, {&session{}}} {
		if !tx.Migrator().HasColumn(col.model, "PlacesTaken") {
			if err := tx.Migrator().AddColumn(col.model, "PlacesTaken"); err != nil {
				return err
			}
		}
	}
	type ticketType struct {
		ID           uint   `gorm:"primaryKey"`
		EventID      uint   `gorm:"not null;index"`
		Name         string `gorm:"size:200;not null"`
		Description  string `gorm:"type:text"`
		Price        int64  `gorm:"not null;default:0"`
		Currency     string `gorm:"size:3;not null;default:EUR"`
		Capacity     int    `gorm:"not null;default:0"`
		PlacesTaken  int    `gorm:"not null;default:0"`
		SalesStartAt *time.Time
		SalesEndAt   *time.Time
		Category     string `gorm:"size:30;not null;default:other"`
		MaxPerOrder  int    `gorm:"not null;default:1"`
		Hidden       bool   `gorm:"not null;default:false"`
		Position     int    `gorm:"not null;default:0"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
		Event        event `gorm:"constraint:OnDelete:CASCADE"`
	}
	type order struct {
		ID             uint       `gorm:"primaryKey"`
		EventID        uint       `gorm:"not null;index;uniqueIndex:idx_orders_event_idempotency,priority:1"`
		Code           string     `gorm:"size:16;not null;uniqueIndex"`
		Secret         string     `gorm:"size:64;not null;uniqueIndex"`
		BuyerName      string     `gorm:"size:200;not null"`
		BuyerEmail     string     `gorm:"size:254;not null;index"`
		Language       string     `gorm:"size:8;not null;default:en"`
		Status         string     `gorm:"size:20;not null;index"`
		ExpiresAt      *time.Time `gorm:"index"`
		Total          int64      `gorm:"not null;default:0"`
		Currency       string     `gorm:"size:3;not null;default:EUR"`
		IdempotencyKey *string    `gorm:"size:100;uniqueIndex:idx_orders_event_idempotency,priority:2"`
		FromWaitlistID *uint
		ConfirmedAt    *time.Time
		CancelledAt    *time.Time
		CreatedAt      time.Time
		UpdatedAt      time.Time
		Event          event `gorm:"constraint:OnDelete:RESTRICT"`
	}
	type payment struct {
		ID                uint    `gorm:"primaryKey"`
		OrderID           uint    `gorm:"not null;index"`
		Provider          string  `gorm:"size:20;not null;uniqueIndex:idx_payments_provider_session,priority:1"`
		ProviderSessionID *string `gorm:"size:255;uniqueIndex:idx_payments_provider_session,priority:2"`
		ProviderPaymentID *string `gorm:"size:255;index"`
		State             string  `gorm:"size:20;not null"`
		Amount            int64   `gorm:"not null"`
		Currency          string  `gorm:"size:3;not null"`
		CreatedAt         time.Time
		UpdatedAt         time.Time
		Order             order `gorm:"constraint:OnDelete:CASCADE"`
	}
	type attendee struct {
		ID                 uint   `gorm:"primaryKey"`
		OrderID            uint   `gorm:"not null;index"`
		EventID            uint   `gorm:"not null;index"`
		TicketTypeID       uint   `gorm:"not null;index"`
		Position           int    `gorm:"not null;default:1"`
		Name               string `gorm:"size:200;not null"`
		Email              string `gorm:"size:254;not null;index"`
		Organization       string `gorm:"size:200"`
		Category           string `gorm:"size:30;not null"`
		NeedStepFree       bool   `gorm:"not null;default:false"`
		NeedInterpretation string `gorm:"size:500"`
		NeedEasyRead       bool   `gorm:"not null;default:false"`
		NeedDietary        string `gorm:"size:500"`
		NeedCompanion      bool   `gorm:"not null;default:false"`
		NeedsNote          string `gorm:"type:text"`
		Status             string `gorm:"size:20;not null;index"`
		CheckedInAt        *time.Time
		CheckInCount       int    `gorm:"not null;default:0"`
		QRSecret           string `gorm:"column:qr_secret;size:64;not null;uniqueIndex"`
		AnonymisedAt       *time.Time
		CreatedAt          time.Time
		UpdatedAt          time.Time
		Order              order      `gorm:"constraint:OnDelete:CASCADE"`
		Event              event      `gorm:"constraint:OnDelete:RESTRICT"`
		TicketType         ticketType `gorm:"constraint:OnDelete:RESTRICT"`
	}
	type question struct {
		ID        uint   `gorm:"primaryKey"`
		EventID   uint   `gorm:"not null;index"`
		Kind      string `gorm:"size:20;not null"`
		Label     string `gorm:"size:500;not null"`
		Options   string `gorm:"type:text"`
		Required  bool   `gorm:"not null;default:false"`
		Sensitive bool   `gorm:"not null;default:false"`
		Position  int    `gorm:"not null;default:0"`
		CreatedAt time.Time
		UpdatedAt time.Time
		Event     event `gorm:"constraint:OnDelete:CASCADE"`
	}
	type answer struct {
		ID         uint   `gorm:"primaryKey"`
		AttendeeID uint   `gorm:"not null;uniqueIndex:idx_answer_pair"`
		QuestionID uint   `gorm:"not null;uniqueIndex:idx_answer_pair;index"`
		Value      string `gorm:"type:text"`
		CreatedAt  time.Time
		UpdatedAt  time.Time
		Attendee   attendee `gorm:"constraint:OnDelete:CASCADE"`
		Question   question `gorm:"constraint:OnDelete:CASCADE"`
	}
	type consentText struct {
		ID        uint   `gorm:"primaryKey"`
		EventID   uint   `gorm:"not null;uniqueIndex:idx_consent_text_version"`
		Kind      string `gorm:"size:20;not null;uniqueIndex:idx_consent_text_version"`
		Version   int    `gorm:"not null;uniqueIndex:idx_consent_text_version"`
		Body      string `gorm:"type:text;not null"`
		CreatedAt time.Time
		Event     event `gorm:"constraint:OnDelete:CASCADE"`
	}
	type consentRecord struct {
		ID            uint `gorm:"primaryKey"`
		AttendeeID    uint `gorm:"not null;index"`
		ConsentTextID uint `gorm:"not null;index"`
		GivenAt       time.Time
		WithdrawnAt   *time.Time
		Attendee      attendee    `gorm:"constraint:OnDelete:CASCADE"`
		ConsentText   consentText `gorm:"constraint:OnDelete:RESTRICT"`
	}
	type sessionSignup struct {
		ID         uint `gorm:"primaryKey"`
		AttendeeID uint `gorm:"not null;uniqueIndex:idx_session_signup_pair"`
		SessionID  uint `gorm:"not null;uniqueIndex:idx_session_signup_pair;index"`
		CreatedAt  time.Time
		Attendee   attendee `gorm:"constraint:OnDelete:CASCADE"`
		Session    session  `gorm:"constraint:OnDelete:CASCADE"`
	}
	type waitlistEntry struct {
		ID             uint    `gorm:"primaryKey"`
		EventID        uint    `gorm:"not null;index"`
		TicketTypeID   *uint   `gorm:"index"`
		SessionID      *uint   `gorm:"index"`
		Name           string  `gorm:"size:200;not null"`
		Email          string  `gorm:"size:254;not null"`
		Language       string  `gorm:"size:8;not null;default:en"`
		Status         string  `gorm:"size:20;not null;index"`
		OfferSecret    *string `gorm:"size:64;uniqueIndex"`
		OfferedAt      *time.Time
		OfferExpiresAt *time.Time `gorm:"index"`
		OrderID        *uint
		CreatedAt      time.Time
		UpdatedAt      time.Time
		Event          event       `gorm:"constraint:OnDelete:CASCADE"`
		TicketType     *ticketType `gorm:"constraint:OnDelete:CASCADE"`
		Session        *session    `gorm:"constraint:OnDelete:CASCADE"`
	}
	type outboxMessage struct {
		ID            uint      `gorm:"primaryKey"`
		To            string    `gorm:"column:to_addr;size:254;not null"`
		Subject       string    `gorm:"size:300"`
		TextBody      string    `gorm:"type:text"`
		HTMLBody      string    `gorm:"type:text"`
		Language      string    `gorm:"size:8;not null;default:en"`
		Kind          string    `gorm:"size:40"`
		RefID         uint      `gorm:"not null;default:0"`
		DedupeKey     string    `gorm:"size:200;not null;uniqueIndex"`
		Status        string    `gorm:"size:20;not null;index:idx_outbox_due"`
		Attempts      int       `gorm:"not null;default:0"`
		NextAttemptAt time.Time `gorm:"not null;index:idx_outbox_due"`
		LastError     string    `gorm:"type:text"`
		ClaimedBy     string    `gorm:"size:100"`
		ClaimedUntil  *time.Time
		SentAt        *time.Time
		CreatedAt     time.Time
		UpdatedAt     time.Time
	}
	type outboxAttachment struct {
		ID          uint          `gorm:"primaryKey"`
		MessageID   uint          `gorm:"not null;index"`
		Filename    string        `gorm:"size:200;not null"`
		ContentType string        `gorm:"size:100;not null"`
		Content     []byte        `gorm:"not null"`
		ContentID   string        `gorm:"size:200"`
		Message     outboxMessage `gorm:"foreignKey:MessageID;constraint:OnDelete:CASCADE"`
	}
	return tx.AutoMigrate(&ticketType{}, &order{}, &payment{}, &attendee{}, &question{}, &answer{}, &consentText{},
		&consentRecord{}, &sessionSignup{}, &waitlistEntry{}, &outboxMessage{}, &outboxAttachment{})
}
