package models

import (
	"encoding/json"
	"time"
)

// Question kinds.
const (
	QuestionText     = "text"
	QuestionChoice   = "choice"
	QuestionCheckbox = "checkbox"
)

// QuestionKinds lists the kinds in the order they are offered.
var QuestionKinds = []string{QuestionText, QuestionChoice, QuestionCheckbox}

// Question is one of an event's own registration questions. Sensitive
// questions (health, access) are shown only to owners and managers.
type Question struct {
	ID        uint   `gorm:"primaryKey"`
	EventID   uint   `gorm:"not null;index"`
	Kind      string `gorm:"size:20;not null"`
	Label     string `gorm:"size:500;not null"`
	Options   string `gorm:"type:text"` // JSON array of strings, for choice questions
	Required  bool   `gorm:"not null;default:false"`
	Sensitive bool   `gorm:"not null;default:false"`
	Position  int    `gorm:"not null;default:0"`
	CreatedAt time.Time
	UpdatedAt time.Time
	// ShownOptions are the choices' labels in the language the question
	// was resolved in (see Choices); not stored.
	ShownOptions []string `gorm:"-"`
}

// OptionList returns the choices of a choice question.
func (q Question) OptionList() []string {
	var out []string
	if q.Options != "" {
		_ = json.Unmarshal([]byte(q.Options), &out)
	}
	return out
}

// SetOptions stores the choices of a choice question.
func (q *Question) SetOptions(opts []string) {
	b, _ := json.Marshal(opts)
	q.Options = string(b)
}

// Answer is an attendee's answer to a question. A checkbox answer is "yes" or empty.
type Answer struct {
	ID         uint   `gorm:"primaryKey"`
	AttendeeID uint   `gorm:"not null;uniqueIndex:idx_answer_pair"`
	QuestionID uint   `gorm:"not null;uniqueIndex:idx_answer_pair;index"`
	Value      string `gorm:"type:text"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// CheckboxYes is the stored value of a ticked checkbox question.
const CheckboxYes = "yes"
