package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// feedbackProblemMessages names the message of each answer problem code.
var feedbackProblemMessages = map[string]string{"required": "feedback.err.required",
	"choose": "feedback.err.choose", "too_long": "feedback.err.too_long"}

// feedbackTicketRoutes declares an attendee's questionnaires on their
// personal link: /tickets/{secret}/feedback lists those sent to them, and
// each is answered (and, while open, changed) at /feedback/{id}.
func (a *App) feedbackTicketRoutes(t fiber.Router) {
	t.Get("/feedback", a.ticketFeedbackList)
	t.Get("/feedback/:fid", a.ticketFeedbackForm)
	a.postForm(t, "/feedback/:fid", a.submitTicketFeedback)
}

// ticketFeedbackList lists the questionnaires the attendee was sent.
func (a *App) ticketFeedbackList(c *fiber.Ctx) error {
	s, err := a.ticketScope(c)
	if err != nil {
		return err
	}
	forms, err := models.FeedbackFormsFor(a.db, s.Attendee.ID)
	if err != nil {
		return errInternal("feedback forms", err)
	}
	ct, err := a.ticketFeedbackContent(c, s)
	if err != nil {
		return err
	}
	for i := range forms {
		ct.FeedbackForm(&forms[i])
	}
	return a.render(c, "register/feedback_list", withContent(fiber.Map{"Event": &s.Order.Event, "Forms": forms,
		"Base": s.Back, "Suffix": langSuffix(c)}, c, ct, &s.Order.Event))
}

// ticketFeedbackContent resolves the event's texts in the attendee's
// registration language (or ?lang=).
func (a *App) ticketFeedbackContent(c *fiber.Ctx, s *attendeeScope) (*models.Content, error) {
	lang := askedLang(c)
	if lang == "" {
		lang = s.Order.Language
	}
	ct, err := models.LoadContent(a.db, &s.Order.Event, lang)
	if err != nil {
		return nil, errInternal("load content", err)
	}
	ct.Event(&s.Order.Event)
	return ct, nil
}

// ticketFeedback loads the attendee and questionnaire of the path: only
// one sent to this attendee, else a 404.
func (a *App) ticketFeedback(c *fiber.Ctx) (*attendeeScope, *models.FeedbackForm, error) {
	s, err := a.ticketScope(c)
	if err != nil {
		return nil, nil, err
	}
	f, err := models.FeedbackFormOf(a.db, s.Order.EventID, parseID(c.Params("fid")))
	if err != nil {
		return nil, nil, dbErr("feedback form", err)
	}
	asked, err := models.FeedbackAsked(a.db, f.ID, s.Attendee.ID)
	if err != nil {
		return nil, nil, errInternal("feedback asked", err)
	}
	if !asked {
		return nil, nil, errNotFound()
	}
	return s, f, nil
}

func (a *App) renderTicketFeedback(c *fiber.Ctx, status int, s *attendeeScope, f *models.FeedbackForm, answers map[uint]string, errs FieldErrors) error {
	ct, err := a.ticketFeedbackContent(c, s)
	if err != nil {
		return err
	}
	open, err := models.FeedbackIsOpen(a.db, *f, a.now())
	if err != nil {
		return errInternal("feedback window", err)
	}
	resp, err := models.FeedbackResponseOf(a.db, f.ID, s.Attendee.ID)
	if err != nil {
		return errInternal("feedback response", err)
	}
	if answers == nil {
		answers = resp.AnswerInput()
	}
	ct.FeedbackForm(f)
	return a.renderStatus(c, status, "register/feedback", withContent(fiber.Map{"Event": &s.Order.Event, "FB": f,
		"Answers": answers, "Errors": errs, "Open": open && ticketLive(s), "Answered": resp != nil,
		"Action": fmt.Sprintf("%s/feedback/%d%s", s.Back, f.ID, langSuffix(c)), "Base": s.Back}, c, ct, &s.Order.Event))
}

// ticketFeedbackForm shows the questionnaire, with the person's answers
// when they already answered.
func (a *App) ticketFeedbackForm(c *fiber.Ctx) error {
	s, f, err := a.ticketFeedback(c)
	if err != nil {
		return err
	}
	return a.renderTicketFeedback(c, fiber.StatusOK, s, f, nil, FieldErrors{})
}

// parseFeedbackAnswers reads the posted answers, one field per question.
func parseFeedbackAnswers(c *fiber.Ctx, f *models.FeedbackForm) map[uint]string {
	in := map[uint]string{}
	for _, q := range f.Questions {
		in[q.ID] = c.FormValue(models.FeedbackField(q.ID))
	}
	return in
}

// submitTicketFeedback stores the answers: problems come back beside each
// question with what was typed.
func (a *App) submitTicketFeedback(c *fiber.Ctx) error {
	s, f, err := a.ticketFeedback(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	in := parseFeedbackAnswers(c, f)
	for _, q := range f.Questions {
		if q.Kind == models.FeedbackOpen {
			checkLen(errs, models.FeedbackField(q.ID), in[q.ID], models.MaxFeedbackAnswer)
		}
	}
	if errs.Any() {
		return a.renderTicketFeedback(c, fiber.StatusUnprocessableEntity, s, f, in, errs)
	}
	err = models.SubmitFeedback(a.db, f, s.Attendee, in, a.now())
	var invalid *models.FeedbackInvalid
	switch {
	case errors.As(err, &invalid):
		for _, p := range invalid.Problems {
			errs.Add(p.Field, feedbackProblemMessages[p.Code], "Max", models.MaxFeedbackAnswer)
		}
		return a.renderTicketFeedback(c, fiber.StatusUnprocessableEntity, s, f, in, errs)
	case errors.Is(err, models.ErrFeedbackClosed), errors.Is(err, models.ErrFeedbackNotAsked):
		errs.Add("_form", "feedback.closed")
		return a.renderTicketFeedback(c, fiber.StatusUnprocessableEntity, s, f, in, errs)
	case err != nil:
		return errInternal("submit feedback", err)
	}
	a.flash(c, "feedback.thanks")
	return c.Redirect(fmt.Sprintf("%s/feedback/%d%s", s.Back, f.ID, langSuffix(c)), fiber.StatusSeeOther)
}
