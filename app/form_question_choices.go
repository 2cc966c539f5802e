package app

import (
	"strings"

	"github.com/agora-events/agora/models"
)

// validateChoiceTranslations checks each other language's choices (field
// "options.<lang>", one line per choice, in the default's order): no more
// lines than choices, each line within the choice limit, no line twice.
// An empty line or version is allowed: that choice shows the default's text.
func validateChoiceTranslations(errs FieldErrors, f QuestionForm, tr langTexts) {
	if f.Kind != models.QuestionChoice {
		for l := range tr["options"] {
			tr["options"][l] = "" // only choice questions keep choices
		}
		return
	}
	n := len(f.optionList())
	for l, text := range tr["options"] {
		name := "options." + l
		lines := models.SplitChoiceLines(text)
		if len(lines) > n {
			errs.Add(name, "choices.too_many_lines", "Max", n)
		}
		seen := map[string]bool{}
		for _, line := range lines {
			checkLen(errs, name, line, maxQuestionOption)
			if line != "" && seen[strings.ToLower(line)] {
				errs.Add(name, "regquestion.options_duplicate")
			}
			seen[strings.ToLower(line)] = true
		}
	}
}
