package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0031Feedback adds feedback questionnaires (per event or session),
// their questions, the once-per-person requests and the answers.
func migrate0031Feedback(tx *gorm.DB) error {
	type feedbackForm struct {
		ID        uint   `gorm:"primaryKey"`
		EventID   uint   `gorm:"not null;uniqueIndex:idx_feedback_form_scope,priority:1"`
		SessionID uint   `gorm:"not null;default:0;uniqueIndex:idx_feedback_form_scope,priority:2"`
		Title     string `gorm:"size:200;not null"`
		Intro     string `gorm:"type:text;not null;default:''"`
		SendHours int    `gorm:"not null;default:2"`
		OpenDays  int    `gorm:"not null;default:14"`
		Sending   bool   `gorm:"not null;default:false"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	type feedbackQuestion struct {
		ID        uint   `gorm:"primaryKey"`
		FormID    uint   `gorm:"not null;index"`
		EventID   uint   `gorm:"not null;index"`
		Kind      string `gorm:"size:20;not null"`
		Text      string `gorm:"size:500;not null"`
		Options   string `gorm:"type:text;not null;default:''"`
		ScaleMin  int    `gorm:"not null;default:0"`
		ScaleMax  int    `gorm:"not null;default:0"`
		LowLabel  string `gorm:"size:100;not null;default:''"`
		HighLabel string `gorm:"size:100;not null;default:''"`
		Required  bool   `gorm:"not null;default:false"`
		Position  int    `gorm:"not null;default:0"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	type feedbackRequest struct {
		ID         uint `gorm:"primaryKey"`
		FormID     uint `gorm:"not null;uniqueIndex:idx_feedback_request_once,priority:1"`
		AttendeeID uint `gorm:"not null;uniqueIndex:idx_feedback_request_once,priority:2"`
		EventID    uint `gorm:"not null;index"`
		CreatedAt  time.Time
	}
	type feedbackResponse struct {
		ID          uint   `gorm:"primaryKey"`
		FormID      uint   `gorm:"not null;uniqueIndex:idx_feedback_response_once,priority:1"`
		AttendeeID  uint   `gorm:"not null;uniqueIndex:idx_feedback_response_once,priority:2"`
		EventID     uint   `gorm:"not null;index"`
		Category    string `gorm:"size:30;not null;default:other"`
		SubmittedAt time.Time
		UpdatedAt   time.Time
	}
	type feedbackAnswer struct {
		ID         uint   `gorm:"primaryKey"`
		ResponseID uint   `gorm:"not null;uniqueIndex:idx_feedback_answer_once,priority:1"`
		QuestionID uint   `gorm:"not null;uniqueIndex:idx_feedback_answer_once,priority:2"`
		FormID     uint   `gorm:"not null;index"`
		Value      *int   `gorm:""`
		Text       string `gorm:"type:text;not null;default:''"`
	}
	return tx.AutoMigrate(&feedbackForm{}, &feedbackQuestion{}, &feedbackRequest{}, &feedbackResponse{}, &feedbackAnswer{})
}
