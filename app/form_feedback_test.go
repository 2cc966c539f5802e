package app

import (
	"testing"

	"github.com/agora-events/agora/models"
)

// The question form's rules, without HTTP.
func TestFeedbackQuestionFormValidate(t *testing.T) {
	cases := []struct {
		name string
		f    FeedbackQuestionForm
		bad  []string
	}{
		{"satisfaction without a text brings its own", FeedbackQuestionForm{Kind: models.FeedbackSatisfaction}, nil},
		{"an open question needs its text", FeedbackQuestionForm{Kind: models.FeedbackOpen}, []string{"text"}},
		{"unknown kind", FeedbackQuestionForm{Kind: "essay", Text: "Q"}, []string{"kind"}},
		{"one choice is not a choice", FeedbackQuestionForm{Kind: models.FeedbackChoice, Text: "Q", Options: "Only"}, []string{"options"}},
		{"duplicate choices", FeedbackQuestionForm{Kind: models.FeedbackChoice, Text: "Q", Options: "A\nA"}, []string{"options"}},
		{"indicator 0–10", FeedbackQuestionForm{Kind: models.FeedbackIndicator, Text: "Well-being", Scale: scale0to10}, nil},
		{"custom scale needs range and names", FeedbackQuestionForm{Kind: models.FeedbackIndicator, Text: "W", Scale: scaleCustom, ScaleMin: "2", ScaleMax: "3"},
			[]string{"scale_min", "scale_max", "low_label", "high_label"}},
		{"custom scale too short", FeedbackQuestionForm{Kind: models.FeedbackIndicator, Text: "W", Scale: scaleCustom, ScaleMin: "1", ScaleMax: "2", LowLabel: "a", HighLabel: "b"},
			[]string{"scale_max"}},
		{"custom scale too long", FeedbackQuestionForm{Kind: models.FeedbackIndicator, Text: "W", Scale: scaleCustom, ScaleMin: "0", ScaleMax: "11", LowLabel: "a", HighLabel: "b"},
			[]string{"scale_max"}},
	}
	for _, c := range cases {
		errs := c.f.Validate()
		if len(errs) != len(c.bad) {
			t.Errorf("%s: errors %v, want %v", c.name, errs, c.bad)
		}
		for _, k := range c.bad {
			if _, ok := errs[k]; !ok {
				t.Errorf("%s: no error on %s (%v)", c.name, k, errs)
			}
		}
	}
	var q models.FeedbackQuestion
	FeedbackQuestionForm{Kind: models.FeedbackIndicator, Text: "W", Scale: scaleCustom, ScaleMin: "1", ScaleMax: "4", LowLabel: "Never", HighLabel: "Always"}.Apply(&q)
	if q.ScaleMin != 1 || q.ScaleMax != 4 || len(q.ScalePoints()) != 4 {
		t.Fatalf("applied %+v", q)
	}
}
