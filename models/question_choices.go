package models

import "strings"

// A choice question's choices are stored once, in the event's default
// language (Question.Options), and an answer stores that default text: the
// same answer groups together in lists, CSV and filters whatever language
// the person registered in. Each other language's choices are one
// translation (field "options"), one choice per line, line i translating
// choice i; an empty or missing line falls back to the default.

// ChoiceOption is one choice as shown: Value is what is posted and stored,
// Label what the person reads.
type ChoiceOption struct {
	Value, Label string
}

// Choices returns the question's choices with their labels in the
// language the question was resolved in (Content.Question), else the
// default language's text.
func (q Question) Choices() []ChoiceOption {
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

// ChoiceLabel is how a stored answer reads in the question's resolved
// language: the translated choice when value is one of the current
// choices, else value itself (an answer to a choice since renamed or
// removed stays readable as it was stored).
func (q Question) ChoiceLabel(value string) string {
	if q.Kind != QuestionChoice {
		return value
	}
	for _, ch := range q.Choices() {
		if ch.Value == value {
			return ch.Label
		}
	}
	return value
}

// SplitChoiceLines splits a translation of the choices into its lines,
// trimmed, keeping empty lines so later lines stay aligned.
func SplitChoiceLines(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return lines
}

// questionChoices resolves the choices of q into q.ShownOptions.
func (c *Content) questionChoices(q *Question) {
	if q.Kind != QuestionChoice {
		return
	}
	t, _ := c.Text(OwnerQuestion, q.ID, "options", c.Asked)
	if t == "" { // no translation in Asked: the default's own choices
		q.ShownOptions = nil
		return
	}
	q.ShownOptions = SplitChoiceLines(t)
}
