package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func questionsURL(e *models.Event) string { return eventURL(e) + "/questions" }

// renderQuestions shows the list of questions with the add form, or (q set)
// the edit form of one question.
func (a *App) renderQuestions(c *fiber.Ctx, status int, e *models.Event, q *models.Question, f QuestionForm, errs FieldErrors) error {
	return a.renderQuestionsTr(c, status, e, q, f, nil, errs)
}

// renderQuestionsTr is renderQuestions with the label's other languages
// as typed (nil: as stored).
func (a *App) renderQuestionsTr(c *fiber.Ctx, status int, e *models.Event, q *models.Question, f QuestionForm, tr langTexts, errs FieldErrors) error {
	if tr == nil {
		var id uint
		if q != nil {
			id = q.ID
		}
		var err error
		if tr, err = a.storedLangTexts(e, models.OwnerQuestion, id, "label", "options"); err != nil {
			return err
		}
	}
	langs := fiber.Map{"Tr": tr, "OtherLangs": e.OtherLanguages(), "LangNames": models.ContentLanguageNames}
	if q != nil {
		return a.renderStatus(c, status, "manage/question_form", withMap(fiber.Map{"Event": e, "Question": q, "Form": f,
			"Errors": errs, "Action": fmt.Sprintf("%s/%d/edit", questionsURL(e), q.ID), "Kinds": optionsOf(models.QuestionKinds)}, langs))
	}
	qs, err := models.QuestionsOf(a.db, e.ID)
	if err != nil {
		return errInternal("list questions", err)
	}
	return a.renderStatus(c, status, "manage/questions", withMap(fiber.Map{"Event": e, "Questions": qs, "Form": f,
		"Errors": errs, "Action": questionsURL(e), "Kinds": optionsOf(models.QuestionKinds)}, langs))
}

func (a *App) questionsPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderQuestions(c, fiber.StatusOK, e, nil, QuestionForm{Kind: models.QuestionText, Position: "0"}, FieldErrors{})
}

func (a *App) editQuestion(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	q, err := models.QuestionOf(a.db, e.ID, parseID(c.Params("qid")))
	if err != nil {
		return dbErr("load question", err)
	}
	return a.renderQuestions(c, fiber.StatusOK, e, q, questionFormFrom(q), FieldErrors{})
}

// saveQuestion adds (no :qid) or changes a question.
func (a *App) saveQuestion(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	var q *models.Question
	if c.Params("qid") != "" {
		if q, err = models.QuestionOf(a.db, e.ID, parseID(c.Params("qid"))); err != nil {
			return dbErr("load question", err)
		}
	}
	errs := csrfErrors(c)
	f := parseQuestionForm(c)
	errs.merge(f.Validate())
	tr := parseLangTexts(c, e.OtherLanguages(), "label", "options")
	tr.validate(errs, map[string]int{"label": maxQuestionLabel, "options": maxQuestionOption * (maxQuestionOpts + 1)})
	validateChoiceTranslations(errs, f, tr)
	if errs.Any() {
		return a.renderQuestionsTr(c, fiber.StatusUnprocessableEntity, e, q, f, tr, errs)
	}
	row := &models.Question{EventID: e.ID}
	if q != nil {
		row = q
	}
	f.Apply(row)
	err = a.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Save(row).Error; err != nil {
			return err
		}
		return models.SaveTranslations(tx, e.ID, tr.fields(models.OwnerQuestion, row.ID)...)
	})
	if err != nil {
		return errInternal("save question", err)
	}
	a.flash(c, "regquestion.saved")
	return c.Redirect(questionsURL(e), fiber.StatusSeeOther)
}

// deleteQuestion deletes a question nobody answered.
func (a *App) deleteQuestion(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	err = models.DeleteQuestion(a.db, e.ID, parseID(c.Params("qid")))
	switch {
	case err == nil:
		a.flash(c, "regquestion.deleted")
	case errors.Is(err, models.ErrQuestionAnswered):
		a.flash(c, "regquestion.delete_answered")
	default:
		return dbErr("delete question", err)
	}
	return c.Redirect(questionsURL(e), fiber.StatusSeeOther)
}
