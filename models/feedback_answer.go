package models

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Answering errors.
var (
	ErrFeedbackClosed   = errors.New("feedback: not open for answers")
	ErrFeedbackNotAsked = errors.New("feedback: this person was not asked")
)

// FeedbackProblem is one answer that cannot be taken; Field is
// "q<questionID>", Code one of required, choose, too_long.
type FeedbackProblem struct {
	Field string
	Code  string
}

// FeedbackInvalid carries the problems of a submission.
type FeedbackInvalid struct{ Problems []FeedbackProblem }

func (e *FeedbackInvalid) Error() string {
	return fmt.Sprintf("feedback: %d problems", len(e.Problems))
}

// FeedbackField is the form field of question id.
func FeedbackField(id uint) string { return "q" + strconv.FormatUint(uint64(id), 10) }

// ValidateFeedback checks the typed answers (question id → value as
// posted) against the questionnaire and returns the answers to store. An
// empty answer to an optional question is no answer.
func ValidateFeedback(f FeedbackForm, in map[uint]string) ([]FeedbackAnswer, []FeedbackProblem) {
	var (
		out  []FeedbackAnswer
		errs []FeedbackProblem
	)
	for _, q := range f.Questions {
		v := strings.TrimSpace(in[q.ID])
		field := FeedbackField(q.ID)
		if v == "" {
			if q.Required {
				errs = append(errs, FeedbackProblem{field, "required"})
			}
			continue
		}
		a := FeedbackAnswer{QuestionID: q.ID, FormID: f.ID}
		switch {
		case q.IsScale() || q.Kind == FeedbackYesNo:
			n, err := strconv.Atoi(v)
			lo, hi := q.ScaleMin, q.ScaleMax
			if q.Kind == FeedbackYesNo {
				lo, hi = 0, 1
			}
			if err != nil || n < lo || n > hi {
				errs = append(errs, FeedbackProblem{field, "choose"})
				continue
			}
			a.Value = &n
		case q.Kind == FeedbackChoice:
			ok := false
			for _, o := range q.OptionList() {
				ok = ok || o == v
			}
			if !ok {
				errs = append(errs, FeedbackProblem{field, "choose"})
				continue
			}
			a.Text = v
		default:
			if utf8.RuneCountInString(v) > MaxFeedbackAnswer {
				errs = append(errs, FeedbackProblem{field, "too_long"})
				continue
			}
			a.Text = v
		}
		out = append(out, a)
	}
	return out, errs
}

// FeedbackResponseOf is the attendee's response to formID (nil if none),
// with its answers.
func FeedbackResponseOf(db *gorm.DB, formID, attendeeID uint) (*FeedbackResponse, error) {
	var r FeedbackResponse
	err := db.Preload("Answers").Where("form_id = ? AND attendee_id = ?", formID, attendeeID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// AnswerInput is a response as the form shows it: question id → value.
func (r *FeedbackResponse) AnswerInput() map[uint]string {
	out := map[uint]string{}
	if r == nil {
		return out
	}
	for _, a := range r.Answers {
		if a.Value != nil {
			out[a.QuestionID] = strconv.Itoa(*a.Value)
		} else {
			out[a.QuestionID] = a.Text
		}
	}
	return out
}

// SubmitFeedback stores the attendee's answers to f (loaded with its
// questions): one response per person and questionnaire (a unique index),
// which a later submission replaces while the questionnaire is open. Only
// a person it was sent to may answer.
func SubmitFeedback(db *gorm.DB, f *FeedbackForm, at *Attendee, in map[uint]string, now time.Time) error {
	open, err := FeedbackIsOpen(db, *f, now)
	if err != nil {
		return err
	}
	if !open {
		return ErrFeedbackClosed
	}
	asked, err := FeedbackAsked(db, f.ID, at.ID)
	if err != nil {
		return err
	}
	if !asked || at.Status != AttendeeActive {
		return ErrFeedbackNotAsked
	}
	answers, problems := ValidateFeedback(*f, in)
	if len(problems) > 0 {
		return &FeedbackInvalid{problems}
	}
	cat := at.Category
	if cat == "" {
		cat = CategoryOther
	}
	return db.Transaction(func(tx *gorm.DB) error {
		r := FeedbackResponse{FormID: f.ID, AttendeeID: at.ID, EventID: f.EventID, Category: cat, SubmittedAt: now, UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
			return err
		}
		// Lock the person's response (the update), so two submissions at
		// once replace the answers one after the other.
		res := tx.Model(&FeedbackResponse{}).Where("form_id = ? AND attendee_id = ?", f.ID, at.ID).
			Updates(map[string]any{"updated_at": now, "category": cat})
		if res.Error != nil {
			return res.Error
		}
		if err := tx.Where("form_id = ? AND attendee_id = ?", f.ID, at.ID).Take(&r).Error; err != nil {
			return err
		}
		if err := tx.Where("response_id = ?", r.ID).Delete(&FeedbackAnswer{}).Error; err != nil {
			return err
		}
		for i := range answers {
			answers[i].ResponseID = r.ID
		}
		if len(answers) == 0 {
			return nil
		}
		return tx.Create(&answers).Error
	})
}

// eraseFeedbackTexts blanks the open answers of the attendee (they may name
// people); scale, yes/no and choice answers stay, so the results' numbers
// do not change when someone is anonymised.
func eraseFeedbackTexts(tx *gorm.DB, attendeeID uint) error {
	return tx.Model(&FeedbackAnswer{}).
		Where("response_id IN (?) AND value IS NULL AND text <> ''",
			tx.Model(&FeedbackResponse{}).Select("id").Where("attendee_id = ?", attendeeID)).
		Where("question_id IN (?)", tx.Model(&FeedbackQuestion{}).Select("id").Where("kind = ?", FeedbackOpen)).
		Update("text", "").Error
}
