package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// feedbackRoutes declares the organizers' questionnaire pages under an
// event (managers and owners): build, preview, results and the report.
func (a *App) feedbackRoutes(o organizerArea) {
	o.editors.get("/events/:id/feedback", a.feedbackList)
	o.editors.form("/events/:id/feedback", a.createFeedbackForm)
	o.editors.get("/events/:id/feedback/:fid", a.feedbackBuilder)
	o.editors.form("/events/:id/feedback/:fid", a.saveFeedbackSettings)
	o.editors.form("/events/:id/feedback/:fid/questions", a.saveFeedbackQuestion)
	o.editors.get("/events/:id/feedback/:fid/questions/:fqid/edit", a.editFeedbackQuestion)
	o.editors.form("/events/:id/feedback/:fid/questions/:fqid/edit", a.saveFeedbackQuestion)
	o.editors.action("/events/:id/feedback/:fid/questions/:fqid/move", a.moveFeedbackQuestion)
	o.editors.action("/events/:id/feedback/:fid/questions/:fqid/delete", a.deleteFeedbackQuestion)
	o.editors.get("/events/:id/feedback/:fid/preview", a.feedbackPreview)
	o.editors.get("/events/:id/feedback/:fid/results", a.feedbackResults)
	o.editors.get("/events/:id/feedback/:fid/results.csv", a.feedbackResultsCSV)
}

func feedbackURL(e *models.Event) string { return eventURL(e) + "/feedback" }

func feedbackFormURL(e *models.Event, f *models.FeedbackForm) string {
	return fmt.Sprintf("%s/%d", feedbackURL(e), f.ID)
}

// eventSessions lists the event's sessions (their titles in the default
// language, as the organizers' pages show them).
func (a *App) eventSessions(e *models.Event) ([]models.Session, error) {
	var ss []models.Session
	if err := a.db.Where("event_id = ?", e.ID).Order("starts_at, id").Find(&ss).Error; err != nil {
		return nil, errInternal("sessions", err)
	}
	return ss, nil
}

// managedFeedbackForm loads the questionnaire of the path, of the managed
// event only (another event's is a 404).
func (a *App) managedFeedbackForm(c *fiber.Ctx) (*models.Event, *models.FeedbackForm, error) {
	e, _, err := managedEvent(c)
	if err != nil {
		return nil, nil, err
	}
	f, err := models.FeedbackFormOf(a.db, e.ID, parseID(c.Params("fid")))
	if err != nil {
		return nil, nil, dbErr("feedback form", err)
	}
	return e, f, nil
}

// feedbackScopeName names what a questionnaire is about: the event or
// one of its sessions.
func feedbackScopeName(f *models.FeedbackForm, sessions []models.Session) string {
	for _, s := range sessions {
		if s.ID == f.SessionID {
			return s.Title
		}
	}
	return ""
}

// feedbackListRow is one questionnaire in the list.
type feedbackListRow struct {
	Form    models.FeedbackForm
	Session string
}

func (a *App) renderFeedbackList(c *fiber.Ctx, status int, e *models.Event, f FeedbackSettingsForm, tr langTexts, errs FieldErrors) error {
	forms, err := models.FeedbackFormsOf(a.db, e.ID)
	if err != nil {
		return errInternal("feedback forms", err)
	}
	sessions, err := a.eventSessions(e)
	if err != nil {
		return err
	}
	rows := make([]feedbackListRow, len(forms))
	for i := range forms {
		rows[i] = feedbackListRow{Form: forms[i], Session: feedbackScopeName(&forms[i], sessions)}
	}
	if tr == nil {
		tr = parseLangTexts(nil, nil, "title")
	}
	return a.renderStatus(c, status, "manage/feedback_list", fiber.Map{"Event": e, "Forms": rows, "Sessions": sessions,
		"Form": f, "Errors": errs, "Action": feedbackURL(e), "Tr": tr, "OtherLangs": e.OtherLanguages(), "LangNames": models.ContentLanguageNames})
}

// feedbackList lists the event's questionnaires with the form to start one.
func (a *App) feedbackList(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderFeedbackList(c, fiber.StatusOK, e, FeedbackSettingsForm{SendHours: "2", OpenDays: "14"}, nil, FieldErrors{})
}

// createFeedbackForm starts a questionnaire for the event or a session;
// one per event and per session.
func (a *App) createFeedbackForm(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	sessions, err := a.eventSessions(e)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseFeedbackSettingsForm(c)
	f.Intro, f.Sending = "", false
	errs.merge(f.Validate(sessions))
	tr := parseLangTexts(c, e.OtherLanguages(), "title")
	tr.validate(errs, feedbackFormTexts)
	row := &models.FeedbackForm{EventID: e.ID, SessionID: parseID(f.Session)}
	if !errs.Any() {
		var n int64
		if err := a.db.Model(&models.FeedbackForm{}).Where("event_id = ? AND session_id = ?", e.ID, row.SessionID).Count(&n).Error; err != nil {
			return errInternal("feedback forms", err)
		}
		if n > 0 {
			errs.Add("session", "feedback.err.exists")
		}
	}
	if errs.Any() {
		return a.renderFeedbackList(c, fiber.StatusUnprocessableEntity, e, f, tr, errs)
	}
	f.Apply(row)
	if err := models.SaveFeedbackForm(a.db, row, tr.fields(models.OwnerFeedbackForm, 0)...); err != nil {
		if errors.Is(err, models.ErrFeedbackExists) {
			errs.Add("session", "feedback.err.exists")
			return a.renderFeedbackList(c, fiber.StatusUnprocessableEntity, e, f, tr, errs)
		}
		return errInternal("save feedback form", err)
	}
	a.flash(c, "feedback.created")
	return c.Redirect(feedbackFormURL(e, row), fiber.StatusSeeOther)
}

// feedbackBuilderData is what the builder page shows besides its forms.
func (a *App) renderFeedbackBuilder(c *fiber.Ctx, status int, e *models.Event, row *models.FeedbackForm,
	sf FeedbackSettingsForm, str langTexts, qf FeedbackQuestionForm, qtr langTexts, errs FieldErrors, qerrs FieldErrors) error {
	sessions, err := a.eventSessions(e)
	if err != nil {
		return err
	}
	if str == nil {
		if str, err = a.storedLangTexts(e, models.OwnerFeedbackForm, row.ID, "title", "intro"); err != nil {
			return err
		}
	}
	if qtr == nil {
		qtr = parseLangTexts(nil, nil, "text", "options", "low_label", "high_label")
	}
	var sess *models.Session
	for i := range sessions {
		if sessions[i].ID == row.SessionID {
			sess = &sessions[i]
		}
	}
	end := models.FeedbackEndsAt(*e, sess)
	return a.renderStatus(c, status, "manage/feedback_builder", fiber.Map{"Event": e, "FB": row,
		"Session": feedbackScopeName(row, sessions), "Form": sf, "Errors": errs, "Tr": str,
		"Q": qf, "QErrors": qerrs, "QTr": qtr, "QAction": feedbackFormURL(e, row) + "/questions",
		"Action": feedbackFormURL(e, row), "Base": feedbackFormURL(e, row),
		"SendAt": row.SendAt(end).In(e.Location()), "ClosesAt": row.ClosesAt(end).In(e.Location()),
		"Kinds": optionsOf(models.FeedbackKinds), "Scales": optionsOf(feedbackScales),
		"OtherLangs": e.OtherLanguages(), "LangNames": models.ContentLanguageNames,
		"MaxSendHours": models.MaxFeedbackSendHours, "MaxOpenDays": models.MaxFeedbackOpenDays})
}

// feedbackBuilder shows a questionnaire's settings, its questions and the
// form to add one.
func (a *App) feedbackBuilder(c *fiber.Ctx) error {
	e, row, err := a.managedFeedbackForm(c)
	if err != nil {
		return err
	}
	return a.renderFeedbackBuilder(c, fiber.StatusOK, e, row, feedbackSettingsFormOf(row), nil,
		newFeedbackQuestionForm(), nil, FieldErrors{}, FieldErrors{})
}

// saveFeedbackSettings changes the questionnaire's title, intro, timing
// and whether it is sent (the job reads them on each pass).
func (a *App) saveFeedbackSettings(c *fiber.Ctx) error {
	e, row, err := a.managedFeedbackForm(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseFeedbackSettingsForm(c)
	f.Session = "" // what it is about does not change
	errs.merge(f.Validate(nil))
	if f.Sending && len(row.Questions) == 0 {
		errs.Add("sending", "feedback.err.no_questions")
	}
	tr := parseLangTexts(c, e.OtherLanguages(), "title", "intro")
	tr.validate(errs, feedbackFormTexts)
	if errs.Any() {
		return a.renderFeedbackBuilder(c, fiber.StatusUnprocessableEntity, e, row, f, tr, newFeedbackQuestionForm(), nil, errs, FieldErrors{})
	}
	f.Apply(row)
	if err := models.SaveFeedbackForm(a.db, row, tr.fields(models.OwnerFeedbackForm, row.ID)...); err != nil {
		return errInternal("save feedback form", err)
	}
	a.flash(c, "feedback.saved")
	return c.Redirect(feedbackFormURL(e, row), fiber.StatusSeeOther)
}

// saveFeedbackQuestion adds (no :qid) or changes a question. A
// satisfaction or usefulness block left without a text gets the usual
// question in every language of the event.
func (a *App) saveFeedbackQuestion(c *fiber.Ctx) error {
	e, row, err := a.managedFeedbackForm(c)
	if err != nil {
		return err
	}
	var q *models.FeedbackQuestion
	if c.Params("fqid") != "" {
		if q, err = models.FeedbackQuestionOf(a.db, row.ID, parseID(c.Params("fqid"))); err != nil {
			return dbErr("feedback question", err)
		}
	}
	errs := csrfErrors(c)
	f := parseFeedbackQuestionForm(c)
	errs.merge(f.Validate())
	tr := parseLangTexts(c, e.OtherLanguages(), "text", "options", "low_label", "high_label")
	tr.validate(errs, feedbackQuestionTexts)
	if errs.Any() {
		if q != nil {
			return a.renderFeedbackQuestionEdit(c, fiber.StatusUnprocessableEntity, e, row, q, f, tr, errs)
		}
		return a.renderFeedbackBuilder(c, fiber.StatusUnprocessableEntity, e, row, feedbackSettingsFormOf(row), nil, f, tr, FieldErrors{}, errs)
	}
	if hasBlockText(f.Kind) && f.Text == "" {
		key := "feedback.block.satisfaction"
		if f.Kind == models.FeedbackUsefulness {
			key = "feedback.block.usefulness"
		}
		f.Text = newTranslator(a.bundle, e.DefaultLang()).T(key)
		for _, l := range e.OtherLanguages() {
			if tr["text"][l] == "" {
				tr["text"][l] = newTranslator(a.bundle, l).T(key)
			}
		}
	}
	target := &models.FeedbackQuestion{FormID: row.ID, EventID: e.ID}
	if q != nil {
		target = q
	}
	f.Apply(target)
	if err := models.SaveFeedbackQuestion(a.db, target, tr.fields(models.OwnerFeedbackQuestion, 0)...); err != nil {
		if errors.Is(err, models.ErrFeedbackFull) {
			errs.Add("kind", "feedback.err.full", "Max", models.MaxFeedbackQuestions)
			return a.renderFeedbackBuilder(c, fiber.StatusUnprocessableEntity, e, row, feedbackSettingsFormOf(row), nil, f, tr, FieldErrors{}, errs)
		}
		return errInternal("save feedback question", err)
	}
	a.flash(c, "feedback.question_saved")
	return c.Redirect(feedbackFormURL(e, row)+"#questions", fiber.StatusSeeOther)
}

func (a *App) renderFeedbackQuestionEdit(c *fiber.Ctx, status int, e *models.Event, row *models.FeedbackForm, q *models.FeedbackQuestion,
	f FeedbackQuestionForm, tr langTexts, errs FieldErrors) error {
	if tr == nil {
		var err error
		if tr, err = a.storedLangTexts(e, models.OwnerFeedbackQuestion, q.ID, "text", "options", "low_label", "high_label"); err != nil {
			return err
		}
	}
	return a.renderStatus(c, status, "manage/feedback_question", fiber.Map{"Event": e, "FB": row, "Question": q,
		"Q": f, "QErrors": errs, "QTr": tr, "QAction": fmt.Sprintf("%s/questions/%d/edit", feedbackFormURL(e, row), q.ID),
		"Base": feedbackFormURL(e, row), "Kinds": optionsOf(models.FeedbackKinds), "Scales": optionsOf(feedbackScales),
		"OtherLangs": e.OtherLanguages(), "LangNames": models.ContentLanguageNames})
}

// editFeedbackQuestion shows one question's edit form.
func (a *App) editFeedbackQuestion(c *fiber.Ctx) error {
	e, row, err := a.managedFeedbackForm(c)
	if err != nil {
		return err
	}
	q, err := models.FeedbackQuestionOf(a.db, row.ID, parseID(c.Params("fqid")))
	if err != nil {
		return dbErr("feedback question", err)
	}
	return a.renderFeedbackQuestionEdit(c, fiber.StatusOK, e, row, q, feedbackQuestionFormOf(q), nil, FieldErrors{})
}

// moveFeedbackQuestion moves a question up or down the list.
func (a *App) moveFeedbackQuestion(c *fiber.Ctx) error {
	e, row, err := a.managedFeedbackForm(c)
	if err != nil {
		return err
	}
	by := 1
	if c.FormValue("dir") == "up" {
		by = -1
	}
	if err := models.MoveFeedbackQuestion(a.db, row.ID, parseID(c.Params("fqid")), by); err != nil {
		return dbErr("move feedback question", err)
	}
	return c.Redirect(feedbackFormURL(e, row)+"#questions", fiber.StatusSeeOther)
}

// deleteFeedbackQuestion removes a question nobody answered.
func (a *App) deleteFeedbackQuestion(c *fiber.Ctx) error {
	e, row, err := a.managedFeedbackForm(c)
	if err != nil {
		return err
	}
	err = models.DeleteFeedbackQuestion(a.db, row.ID, parseID(c.Params("fqid")))
	switch {
	case err == nil:
		a.flash(c, "feedback.question_deleted")
	case errors.Is(err, models.ErrFeedbackAnswered):
		a.flash(c, "feedback.question_answered")
	default:
		return dbErr("delete feedback question", err)
	}
	return c.Redirect(feedbackFormURL(e, row)+"#questions", fiber.StatusSeeOther)
}

// feedbackPreview shows the questionnaire as an attendee sees it, in the
// content language asked (?lang=), without a form that saves.
func (a *App) feedbackPreview(c *fiber.Ctx) error {
	e, row, err := a.managedFeedbackForm(c)
	if err != nil {
		return err
	}
	ct, err := models.LoadContent(a.db, e, a.contentLang(c))
	if err != nil {
		return errInternal("load content", err)
	}
	ev := *e
	ct.Event(&ev)
	ct.FeedbackForm(row)
	return a.render(c, "manage/feedback_preview", withContent(fiber.Map{"Event": &ev, "EventID": e.ID, "FB": row,
		"Base": feedbackFormURL(e, row), "Answers": map[uint]string{}, "Errors": FieldErrors{}, "Preview": true,
		"EventLangs": e.LanguageList(), "LangNames": models.ContentLanguageNames}, c, ct, e))
}
