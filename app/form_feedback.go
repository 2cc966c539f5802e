package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// feedbackFormTexts are a questionnaire's texts written per language.
var feedbackFormTexts = map[string]int{"title": models.MaxFeedbackTitle, "intro": models.MaxFeedbackIntro}

// feedbackQuestionTexts are a question's texts written per language.
var feedbackQuestionTexts = map[string]int{"text": models.MaxFeedbackText,
	"options":   models.MaxFeedbackOption * (models.MaxFeedbackOptions + 1),
	"low_label": models.MaxFeedbackLabel, "high_label": models.MaxFeedbackLabel}

// Scales an indicator can use: the two usual ones, or the organizer's own
// range with its endpoints named.
const (
	scale1to5   = "1-5"
	scale0to10  = "0-10"
	scaleCustom = "custom"
)

var feedbackScales = []string{scale1to5, scale0to10, scaleCustom}

// FeedbackSettingsForm is a questionnaire's settings as typed.
type FeedbackSettingsForm struct {
	Session   string // "" or "0": the whole event; else a session id
	Title     string
	Intro     string
	SendHours string
	OpenDays  string
	Sending   bool
}

func parseFeedbackSettingsForm(c *fiber.Ctx) FeedbackSettingsForm {
	return FeedbackSettingsForm{Session: strings.TrimSpace(c.FormValue("session")), Title: strings.TrimSpace(c.FormValue("title")),
		Intro: strings.TrimSpace(c.FormValue("intro")), SendHours: strings.TrimSpace(c.FormValue("send_hours")),
		OpenDays: strings.TrimSpace(c.FormValue("open_days")), Sending: c.FormValue("sending") != ""}
}

func feedbackSettingsFormOf(f *models.FeedbackForm) FeedbackSettingsForm {
	return FeedbackSettingsForm{Session: itoa(int(f.SessionID)), Title: f.Title, Intro: f.Intro,
		SendHours: itoa(f.SendHours), OpenDays: itoa(f.OpenDays), Sending: f.Sending}
}

// Validate checks the settings; sessions are the event's (a session id not
// among them is refused).
func (f FeedbackSettingsForm) Validate(sessions []models.Session) FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "title", f.Title)
	checkLen(errs, "title", f.Title, models.MaxFeedbackTitle)
	checkLen(errs, "intro", f.Intro, models.MaxFeedbackIntro)
	if f.SendHours == "" {
		errs.Add("send_hours", "form.required")
	} else {
		parseCount(errs, "send_hours", f.SendHours, models.MaxFeedbackSendHours)
	}
	if f.OpenDays == "" {
		errs.Add("open_days", "form.required")
	} else if n := parseCount(errs, "open_days", f.OpenDays, models.MaxFeedbackOpenDays); n == 0 {
		errs.Add("open_days", "feedback.err.open_days")
	}
	if id := parseID(f.Session); f.Session != "" && f.Session != "0" {
		ok := false
		for _, s := range sessions {
			ok = ok || s.ID == id
		}
		if !ok {
			errs.Add("session", "form.choose")
		}
	}
	return errs
}

// Apply copies validated settings onto the questionnaire.
func (f FeedbackSettingsForm) Apply(row *models.FeedbackForm) {
	row.Title, row.Intro, row.Sending = f.Title, f.Intro, f.Sending
	row.SendHours = parseCount(FieldErrors{}, "", f.SendHours, models.MaxFeedbackSendHours)
	row.OpenDays = parseCount(FieldErrors{}, "", f.OpenDays, models.MaxFeedbackOpenDays)
}

// FeedbackQuestionForm is one question as typed. Options holds one choice
// per line; Scale, ScaleMin and ScaleMax matter for indicators.
type FeedbackQuestionForm struct {
	Kind      string
	Text      string
	Options   string
	Scale     string
	ScaleMin  string
	ScaleMax  string
	LowLabel  string
	HighLabel string
	Required  bool
}

func parseFeedbackQuestionForm(c *fiber.Ctx) FeedbackQuestionForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return FeedbackQuestionForm{Kind: v("kind"), Text: v("text"), Options: v("options"), Scale: v("scale"),
		ScaleMin: v("scale_min"), ScaleMax: v("scale_max"), LowLabel: v("low_label"), HighLabel: v("high_label"),
		Required: c.FormValue("required") != ""}
}

func feedbackQuestionFormOf(q *models.FeedbackQuestion) FeedbackQuestionForm {
	f := FeedbackQuestionForm{Kind: q.Kind, Text: q.Text, Options: strings.Join(q.OptionList(), "\n"),
		ScaleMin: itoa(q.ScaleMin), ScaleMax: itoa(q.ScaleMax), LowLabel: q.LowLabel, HighLabel: q.HighLabel, Required: q.Required}
	switch {
	case q.ScaleMin == 1 && q.ScaleMax == 5:
		f.Scale = scale1to5
	case q.ScaleMin == 0 && q.ScaleMax == 10:
		f.Scale = scale0to10
	default:
		f.Scale = scaleCustom
	}
	return f
}

// newFeedbackQuestionForm is the add form's starting point.
func newFeedbackQuestionForm() FeedbackQuestionForm {
	return FeedbackQuestionForm{Kind: models.FeedbackSatisfaction, Scale: scale1to5, ScaleMin: "1", ScaleMax: "5", Required: true}
}

func (f FeedbackQuestionForm) optionList() []string {
	var out []string
	for _, l := range strings.Split(f.Options, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// hasBlockText reports whether the kind comes with its own question text
// (satisfaction, usefulness), so the organizer may leave it empty.
func hasBlockText(kind string) bool {
	return kind == models.FeedbackSatisfaction || kind == models.FeedbackUsefulness
}

// scaleRange is the indicator's scale the form describes.
func (f FeedbackQuestionForm) scaleRange() (lo, hi int) {
	switch f.Scale {
	case scale0to10:
		return 0, 10
	case scaleCustom:
		return parseCount(FieldErrors{}, "", f.ScaleMin, 10), parseCount(FieldErrors{}, "", f.ScaleMax, 10)
	}
	return 1, 5
}

// Validate checks the question: a text (but satisfaction and usefulness
// bring their own), a choice needs two or more distinct options, a custom
// scale goes from 0 or 1 up to 2–10 and names both ends.
func (f FeedbackQuestionForm) Validate() FieldErrors {
	errs := FieldErrors{}
	known := false
	for _, k := range models.FeedbackKinds {
		known = known || k == f.Kind
	}
	if !known {
		errs.Add("kind", "form.choose")
	}
	if !hasBlockText(f.Kind) {
		checkRequired(errs, "text", f.Text)
	}
	checkLen(errs, "text", f.Text, models.MaxFeedbackText)
	checkLen(errs, "low_label", f.LowLabel, models.MaxFeedbackLabel)
	checkLen(errs, "high_label", f.HighLabel, models.MaxFeedbackLabel)
	switch f.Kind {
	case models.FeedbackChoice:
		opts := f.optionList()
		seen := map[string]bool{}
		switch {
		case len(opts) < 2:
			errs.Add("options", "regquestion.options_min")
		case len(opts) > models.MaxFeedbackOptions:
			errs.Add("options", "regquestion.options_max", "Max", models.MaxFeedbackOptions)
		}
		for _, o := range opts {
			checkLen(errs, "options", o, models.MaxFeedbackOption)
			if seen[o] {
				errs.Add("options", "regquestion.options_duplicate")
			}
			seen[o] = true
		}
	case models.FeedbackIndicator:
		switch f.Scale {
		case scale1to5, scale0to10:
		case scaleCustom:
			lo := parseCount(errs, "scale_min", f.ScaleMin, 1)
			hi := parseCount(errs, "scale_max", f.ScaleMax, 10)
			if _, bad := errs["scale_max"]; !bad && hi < lo+2 {
				errs.Add("scale_max", "feedback.err.scale_max")
			}
			checkRequired(errs, "low_label", f.LowLabel)
			checkRequired(errs, "high_label", f.HighLabel)
		default:
			errs.Add("scale", "form.choose")
		}
	}
	return errs
}

// Apply copies a validated question onto q; only choices keep options and
// only scales keep a range and endpoint labels.
func (f FeedbackQuestionForm) Apply(q *models.FeedbackQuestion) {
	q.Kind, q.Text, q.Required = f.Kind, f.Text, f.Required
	q.Options, q.ScaleMin, q.ScaleMax, q.LowLabel, q.HighLabel = "", 0, 0, "", ""
	switch f.Kind {
	case models.FeedbackChoice:
		q.Options = strings.Join(f.optionList(), "\n")
	case models.FeedbackIndicator:
		q.ScaleMin, q.ScaleMax = f.scaleRange()
		q.LowLabel, q.HighLabel = f.LowLabel, f.HighLabel
	case models.FeedbackSatisfaction, models.FeedbackUsefulness:
		q.ScaleMin, q.ScaleMax = 1, 5
		q.LowLabel, q.HighLabel = f.LowLabel, f.HighLabel
	}
}
