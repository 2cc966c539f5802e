package models

import (
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Owner kinds of a questionnaire's translated texts.
const (
	OwnerFeedbackForm     = "feedback_form"     // fields title, intro
	OwnerFeedbackQuestion = "feedback_question" // fields text, options, low_label, high_label
)

// Building blocks of a questionnaire.
const (
	FeedbackSatisfaction = "satisfaction" // scale 1–5
	FeedbackUsefulness   = "usefulness"   // scale 1–5
	FeedbackIndicator    = "indicator"    // a Living Lab indicator on its own scale
	FeedbackYesNo        = "yes_no"
	FeedbackChoice       = "choice" // one of the organizer's options
	FeedbackOpen         = "open"   // free text
)

// FeedbackKinds lists the building blocks in the order the form offers them.
var FeedbackKinds = []string{FeedbackSatisfaction, FeedbackUsefulness, FeedbackIndicator, FeedbackYesNo, FeedbackChoice, FeedbackOpen}

// Limits of a questionnaire.
const (
	MaxFeedbackTitle     = 200
	MaxFeedbackIntro     = 2000
	MaxFeedbackText      = 500
	MaxFeedbackLabel     = 100
	MaxFeedbackOption    = 200
	MaxFeedbackOptions   = 20
	MaxFeedbackAnswer    = 4000
	MaxFeedbackSendHours = 720
	MaxFeedbackOpenDays  = 90
	MaxFeedbackQuestions = 40
)

// FeedbackForm is a questionnaire sent after an event (SessionID 0) or after
// one of its sessions; Title and Intro are the event's default language's
// text. Sending starts SendHours after the end and answers are taken (and
// may be changed) for OpenDays after that.
type FeedbackForm struct {
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
	Questions []FeedbackQuestion `gorm:"foreignKey:FormID"`
}

// FeedbackQuestion is one question of a questionnaire. Scales (satisfaction,
// usefulness, indicators) take whole numbers ScaleMin..ScaleMax with
// optional endpoint labels; a choice stores its option's default-language
// text, as registration questions do.
type FeedbackQuestion struct {
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
	// ShownOptions are the options in the language shown (nil: Options).
	ShownOptions []string `gorm:"-"`
}

// FeedbackRequest is the once-per-person row of a questionnaire's e-mail
// (unique form and attendee), written with its outbox message.
type FeedbackRequest struct {
	ID         uint `gorm:"primaryKey"`
	FormID     uint `gorm:"not null;uniqueIndex:idx_feedback_request_once,priority:1"`
	AttendeeID uint `gorm:"not null;uniqueIndex:idx_feedback_request_once,priority:2"`
	EventID    uint `gorm:"not null;index"`
	CreatedAt  time.Time
}

// FeedbackResponse is one person's answers to one questionnaire (unique):
// answering again changes it. Category is the person's participant
// category when they answered, for the averages by category.
type FeedbackResponse struct {
	ID          uint   `gorm:"primaryKey"`
	FormID      uint   `gorm:"not null;uniqueIndex:idx_feedback_response_once,priority:1"`
	AttendeeID  uint   `gorm:"not null;uniqueIndex:idx_feedback_response_once,priority:2"`
	EventID     uint   `gorm:"not null;index"`
	Category    string `gorm:"size:30;not null;default:other"`
	SubmittedAt time.Time
	UpdatedAt   time.Time
	Answers     []FeedbackAnswer `gorm:"foreignKey:ResponseID"`
}

// FeedbackAnswer is the answer to one question: Value for scales and yes/no
// (1 yes, 0 no), Text for a choice (its default-language text) or an open
// question.
type FeedbackAnswer struct {
	ID         uint   `gorm:"primaryKey"`
	ResponseID uint   `gorm:"not null;uniqueIndex:idx_feedback_answer_once,priority:1"`
	QuestionID uint   `gorm:"not null;uniqueIndex:idx_feedback_answer_once,priority:2"`
	FormID     uint   `gorm:"not null;index"`
	Value      *int   `gorm:""`
	Text       string `gorm:"type:text;not null;default:''"`
}

// IsScale reports whether the question is answered on a numbered scale.
func (q FeedbackQuestion) IsScale() bool {
	return q.Kind == FeedbackSatisfaction || q.Kind == FeedbackUsefulness || q.Kind == FeedbackIndicator
}

// IsIndicator reports whether the question measures a Living Lab indicator
// (satisfaction and usefulness are indicators too: their averages are
// reported by category).
func (q FeedbackQuestion) IsIndicator() bool { return q.IsScale() }

// ScalePoints lists the scale's values, low to high.
func (q FeedbackQuestion) ScalePoints() []int {
	if !q.IsScale() || q.ScaleMax <= q.ScaleMin {
		return nil
	}
	out := make([]int, 0, q.ScaleMax-q.ScaleMin+1)
	for v := q.ScaleMin; v <= q.ScaleMax; v++ {
		out = append(out, v)
	}
	return out
}

// OptionList is the default language's options of a choice question.
func (q FeedbackQuestion) OptionList() []string {
	var out []string
	for _, o := range SplitChoiceLines(q.Options) {
		if o != "" {
			out = append(out, o)
		}
	}
	return out
}

// Choices pairs each option's stored value (the default's text) with its
// label in the language shown.
func (q FeedbackQuestion) Choices() []ChoiceOption {
	opts := q.OptionList()
	out := make([]ChoiceOption, len(opts))
	for i, o := range opts {
		out[i] = ChoiceOption{Value: o, Label: o}
		if i < len(q.ShownOptions) && strings.TrimSpace(q.ShownOptions[i]) != "" {
			out[i].Label = q.ShownOptions[i]
		}
	}
	return out
}

// ChoiceLabel is a stored choice as shown (unknown choices read as stored).
func (q FeedbackQuestion) ChoiceLabel(v string) string {
	for _, c := range q.Choices() {
		if c.Value == v {
			return c.Label
		}
	}
	return v
}

// ValueKey is a scale or yes/no value as a form value.
func ValueKey(v int) string { return strconv.Itoa(v) }

// FeedbackEndsAt is when the questionnaire's event or session ends.
func FeedbackEndsAt(e Event, s *Session) time.Time {
	if s != nil {
		return s.EndsAt
	}
	return e.EndsAt
}

// SendAt is when the questionnaire's e-mails start to go out.
func (f FeedbackForm) SendAt(end time.Time) time.Time {
	return end.Add(time.Duration(f.SendHours) * time.Hour)
}

// ClosesAt is when answers stop being taken (or changed).
func (f FeedbackForm) ClosesAt(end time.Time) time.Time {
	return f.SendAt(end).Add(time.Duration(f.OpenDays) * 24 * time.Hour)
}

// FeedbackFormsOf lists an event's questionnaires: the event's first, then
// the sessions' by id.
func FeedbackFormsOf(db *gorm.DB, eventID uint) ([]FeedbackForm, error) {
	var fs []FeedbackForm
	err := db.Where("event_id = ?", eventID).Order("session_id, id").Find(&fs).Error
	return fs, err
}

// FeedbackFormOf loads one questionnaire of the event with its questions in
// order; another event's is not found.
func FeedbackFormOf(db *gorm.DB, eventID, formID uint) (*FeedbackForm, error) {
	var f FeedbackForm
	err := db.Preload("Questions", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Where("event_id = ? AND id = ?", eventID, formID).Take(&f).Error
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// FeedbackForm resolves a questionnaire's title, intro and questions in place.
func (c *Content) FeedbackForm(f *FeedbackForm) {
	c.resolve(OwnerFeedbackForm, f.ID, "title", &f.Title)
	c.resolve(OwnerFeedbackForm, f.ID, "intro", &f.Intro)
	for i := range f.Questions {
		c.FeedbackQuestion(&f.Questions[i])
	}
}

// FeedbackQuestion resolves one question's texts in place.
func (c *Content) FeedbackQuestion(q *FeedbackQuestion) {
	c.resolve(OwnerFeedbackQuestion, q.ID, "text", &q.Text)
	c.resolve(OwnerFeedbackQuestion, q.ID, "low_label", &q.LowLabel)
	c.resolve(OwnerFeedbackQuestion, q.ID, "high_label", &q.HighLabel)
	if q.Kind == FeedbackChoice {
		if t, _ := c.Text(OwnerFeedbackQuestion, q.ID, "options", c.Asked); t != "" {
			q.ShownOptions = SplitChoiceLines(t)
		}
	}
}
