package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Field limits of the question form.
const (
	maxQuestionLabel  = 500
	maxQuestionOption = 200
	maxQuestionOpts   = 50
)

// QuestionForm is the question form as typed; Options holds one choice per line.
type QuestionForm struct {
	Kind      string
	Label     string
	Options   string
	Required  bool
	Sensitive bool
	Position  string
}

func parseQuestionForm(c *fiber.Ctx) QuestionForm {
	return QuestionForm{Kind: strings.TrimSpace(c.FormValue("kind")), Label: strings.TrimSpace(c.FormValue("label")),
		Options: strings.TrimSpace(c.FormValue("options")), Required: c.FormValue("required") != "",
		Sensitive: c.FormValue("sensitive") != "", Position: strings.TrimSpace(c.FormValue("position"))}
}

func questionFormFrom(q *models.Question) QuestionForm {
	return QuestionForm{Kind: q.Kind, Label: q.Label, Options: strings.Join(q.OptionList(), "\n"),
		Required: q.Required, Sensitive: q.Sensitive, Position: itoa(q.Position)}
}

// optionList splits the options field into its non-empty, trimmed lines.
func (f QuestionForm) optionList() []string {
	var out []string
	for _, l := range strings.Split(f.Options, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Validate checks the form: a choice question needs two or more distinct options.
func (f QuestionForm) Validate() FieldErrors {
	errs := FieldErrors{}
	if !validQuestionKind(f.Kind) {
		errs.Add("kind", "form.choose")
	}
	checkRequired(errs, "label", f.Label)
	checkLen(errs, "label", f.Label, maxQuestionLabel)
	if f.Kind == models.QuestionChoice {
		opts := f.optionList()
		seen := map[string]bool{}
		switch {
		case len(opts) < 2:
			errs.Add("options", "regquestion.options_min")
		case len(opts) > maxQuestionOpts:
			errs.Add("options", "regquestion.options_max", "Max", maxQuestionOpts)
		}
		for _, o := range opts {
			checkLen(errs, "options", o, maxQuestionOption)
			if seen[o] {
				errs.Add("options", "regquestion.options_duplicate")
			}
			seen[o] = true
		}
	}
	parseCount(errs, "position", f.Position, maxPosition)
	return errs
}

// Apply copies a validated form onto q; only choice questions keep options.
func (f QuestionForm) Apply(q *models.Question) {
	q.Kind, q.Label, q.Required, q.Sensitive = f.Kind, f.Label, f.Required, f.Sensitive
	q.Position = parseCount(FieldErrors{}, "", f.Position, maxPosition)
	q.Options = ""
	if f.Kind == models.QuestionChoice {
		q.SetOptions(f.optionList())
	}
}

// validQuestionKind reports whether k is one of models.QuestionKinds.
func validQuestionKind(k string) bool {
	for _, x := range models.QuestionKinds {
		if x == k {
			return true
		}
	}
	return false
}

// maxConsentText bounds one consent text.
const maxConsentText = 20000

// ConsentForm is one consent kind's text as typed.
type ConsentForm struct {
	Kind string
	Body string
}

func parseConsentForm(c *fiber.Ctx) ConsentForm {
	return ConsentForm{Kind: strings.TrimSpace(c.FormValue("kind")), Body: strings.TrimSpace(c.FormValue("body"))}
}

// Validate checks the kind and the text; the privacy notice may not be emptied.
func (f ConsentForm) Validate() FieldErrors {
	errs := FieldErrors{}
	if !models.ValidConsentKind(f.Kind) {
		errs.Add("body", "form.choose")
		return errs
	}
	checkRequired(errs, "body", f.Body)
	checkLen(errs, "body", f.Body, maxConsentText)
	return errs
}
