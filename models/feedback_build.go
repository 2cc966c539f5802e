package models

import (
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// ErrFeedbackAnswered refuses to delete a question someone answered, or a
// questionnaire that has answers: the results would lose them.
var ErrFeedbackAnswered = errors.New("feedback: already answered")

// ErrFeedbackExists refuses a second questionnaire for the same event or session.
var ErrFeedbackExists = errors.New("feedback: this event or session has a questionnaire")

// ErrFeedbackFull refuses a question beyond MaxFeedbackQuestions.
var ErrFeedbackFull = errors.New("feedback: too many questions")

// SaveFeedbackForm creates or changes a questionnaire's settings and its
// texts in the event's other languages, in one transaction.
func SaveFeedbackForm(db *gorm.DB, f *FeedbackForm, texts ...TranslatedField) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("Questions").Save(f).Error; err != nil {
			if isUniqueViolation(err) {
				return ErrFeedbackExists
			}
			return fmt.Errorf("save feedback form: %w", err)
		}
		return SaveTranslations(tx, f.EventID, ownedBy(texts, f.ID)...)
	})
}

// ownedBy gives each field the owner id (a new owner has none before it is saved).
func ownedBy(texts []TranslatedField, id uint) []TranslatedField {
	out := make([]TranslatedField, len(texts))
	for i, t := range texts {
		t.ID = id
		out[i] = t
	}
	return out
}

// SaveFeedbackQuestion adds (q.ID 0, at the end) or changes a question and
// its other languages' texts.
func SaveFeedbackQuestion(db *gorm.DB, q *FeedbackQuestion, texts ...TranslatedField) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if q.ID == 0 {
			var n int64
			var last struct{ P *int }
			if err := tx.Model(&FeedbackQuestion{}).Where("form_id = ?", q.FormID).Count(&n).Error; err != nil {
				return err
			}
			if n >= MaxFeedbackQuestions {
				return ErrFeedbackFull
			}
			if err := tx.Model(&FeedbackQuestion{}).Select("MAX(position) AS p").Where("form_id = ?", q.FormID).Scan(&last).Error; err != nil {
				return err
			}
			if last.P != nil {
				q.Position = *last.P + 1
			}
		}
		if err := tx.Save(q).Error; err != nil {
			return fmt.Errorf("save feedback question: %w", err)
		}
		return SaveTranslations(tx, q.EventID, ownedBy(texts, q.ID)...)
	})
}

// FeedbackQuestionOf loads one question of the event's questionnaire.
func FeedbackQuestionOf(db *gorm.DB, formID, questionID uint) (*FeedbackQuestion, error) {
	var q FeedbackQuestion
	if err := db.Where("form_id = ? AND id = ?", formID, questionID).Take(&q).Error; err != nil {
		return nil, err
	}
	return &q, nil
}

// DeleteFeedbackQuestion removes a question nobody answered, with its texts.
func DeleteFeedbackQuestion(db *gorm.DB, formID, questionID uint) error {
	return db.Transaction(func(tx *gorm.DB) error {
		q, err := FeedbackQuestionOf(tx, formID, questionID)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&FeedbackAnswer{}).Where("question_id = ?", q.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrFeedbackAnswered
		}
		if err := tx.Where("owner_kind = ? AND owner_id = ?", OwnerFeedbackQuestion, q.ID).Delete(&Translation{}).Error; err != nil {
			return err
		}
		return tx.Delete(q).Error
	})
}

// MoveFeedbackQuestion moves a question one place up (by -1) or down (+1),
// renumbering the questionnaire's positions 0, 1, 2… in one transaction.
func MoveFeedbackQuestion(db *gorm.DB, formID, questionID uint, by int) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var qs []FeedbackQuestion
		if err := tx.Where("form_id = ?", formID).Order("position, id").Find(&qs).Error; err != nil {
			return err
		}
		at := -1
		for i, q := range qs {
			if q.ID == questionID {
				at = i
			}
		}
		if at < 0 {
			return gorm.ErrRecordNotFound
		}
		to := at + by
		if to < 0 || to >= len(qs) {
			return nil
		}
		qs[at], qs[to] = qs[to], qs[at]
		for i, q := range qs {
			if q.Position != i {
				if err := tx.Model(&FeedbackQuestion{}).Where("id = ?", q.ID).Update("position", i).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
}
