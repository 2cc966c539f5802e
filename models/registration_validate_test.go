package models_test

import (
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
)

func problemSet(ps []models.Problem) map[string]string {
	m := map[string]string{}
	for _, p := range ps {
		m[p.Field] = p.Code
	}
	return m
}

func TestValidateRegistration(t *testing.T) {
	choice := models.Question{ID: 7, Kind: models.QuestionChoice, Label: "Role", Required: true}
	choice.SetOptions([]string{"Patient", "Carer"})
	form := models.RegistrationForm{
		TicketType: models.TicketType{MaxPerOrder: 2},
		Questions: []models.Question{
			{ID: 5, Kind: models.QuestionText, Label: "Why", Required: true},
			choice,
			{ID: 9, Kind: models.QuestionCheckbox, Label: "Agree", Required: true},
		},
		ConsentTexts:   []models.ConsentText{{ID: 1, Kind: models.ConsentPrivacy}, {ID: 2, Kind: models.ConsentPhotos}},
		SignupSessions: []models.Session{{ID: 3, SignUp: true}},
	}
	good := models.AttendeeInput{Name: "Ana", Email: "ana@example.org", Answers: map[uint]string{5: "to learn", 7: "Carer", 9: "yes"},
		ConsentTextIDs: []uint{1, 2}, SessionIDs: []uint{3}}
	base := func() models.PlaceOrderInput {
		return models.PlaceOrderInput{BuyerName: "Ana", BuyerEmail: "ana@example.org", Attendees: []models.AttendeeInput{good}}
	}
	if ps := models.ValidateRegistration(base(), form); ps != nil {
		t.Fatalf("valid input: %v", ps)
	}
	cases := []struct {
		name  string
		edit  func(*models.PlaceOrderInput)
		field string
		code  string
	}{
		{"no buyer name", func(in *models.PlaceOrderInput) { in.BuyerName = "" }, "buyer_name", models.ProblemRequired},
		{"bad e-mail", func(in *models.PlaceOrderInput) { in.BuyerEmail = "ana@" }, "buyer_email", models.ProblemEmailInvalid},
		{"display name e-mail", func(in *models.PlaceOrderInput) { in.Attendees[0].Email = "Ana <ana@example.org>" }, "attendees.0.email", models.ProblemEmailInvalid},
		{"header injection", func(in *models.PlaceOrderInput) { in.BuyerEmail = "a@b.org\r\nBcc: x@y.org" }, "buyer_email", models.ProblemEmailInvalid},
		{"huge name", func(in *models.PlaceOrderInput) { in.Attendees[0].Name = strings.Repeat("é", 201) }, "attendees.0.name", models.ProblemTooLong},
		{"bad utf-8", func(in *models.PlaceOrderInput) { in.Attendees[0].Organization = "\xff\xfe" }, "attendees.0.organization", models.ProblemInvalid},
		{"missing answer", func(in *models.PlaceOrderInput) { in.Attendees[0].Answers = map[uint]string{7: "Carer", 9: "yes"} }, "attendees.0.answers.5", models.ProblemRequired},
		{"tampered choice", func(in *models.PlaceOrderInput) {
			in.Attendees[0].Answers = map[uint]string{5: "x", 7: "Hacker", 9: "yes"}
		}, "attendees.0.answers.7", models.ProblemInvalidChoice},
		{"unticked required box", func(in *models.PlaceOrderInput) { in.Attendees[0].Answers = map[uint]string{5: "x", 7: "Carer"} }, "attendees.0.answers.9", models.ProblemRequired},
		{"foreign question", func(in *models.PlaceOrderInput) {
			in.Attendees[0].Answers = map[uint]string{5: "x", 7: "Carer", 9: "yes", 99: "x"}
		}, "attendees.0.answers.99", models.ProblemInvalid},
		{"no privacy consent", func(in *models.PlaceOrderInput) { in.Attendees[0].ConsentTextIDs = []uint{2} }, "attendees.0.consents.privacy", models.ProblemConsentNeeded},
		{"foreign consent", func(in *models.PlaceOrderInput) { in.Attendees[0].ConsentTextIDs = []uint{1, 77} }, "attendees.0.consents", models.ProblemInvalid},
		{"tampered session", func(in *models.PlaceOrderInput) { in.Attendees[0].SessionIDs = []uint{4} }, "attendees.0.sessions", models.ProblemInvalid},
		{"bad category", func(in *models.PlaceOrderInput) { in.Attendees[0].Category = "astronaut" }, "attendees.0.category", models.ProblemInvalidChoice},
		{"too many", func(in *models.PlaceOrderInput) { in.Attendees = []models.AttendeeInput{good, good, good} }, "attendees", models.ProblemTooMany},
		{"none", func(in *models.PlaceOrderInput) { in.Attendees = nil }, "attendees", models.ProblemTooFew},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			in.Attendees = append([]models.AttendeeInput(nil), in.Attendees...)
			c.edit(&in)
			got := problemSet(models.ValidateRegistration(in, form))
			if got[c.field] != c.code {
				t.Fatalf("problems %v, want %s=%s", got, c.field, c.code)
			}
		})
	}
}

func TestTrimRegistrationNormalisesEmail(t *testing.T) {
	in := models.PlaceOrderInput{BuyerName: "  Ana  ", BuyerEmail: " ANA@Example.ORG ", Attendees: []models.AttendeeInput{{Name: " B ", Answers: map[uint]string{1: " x "}}}}
	models.TrimRegistration(&in)
	if in.BuyerName != "Ana" || in.BuyerEmail != "ana@example.org" || in.Attendees[0].Name != "B" || in.Attendees[0].Answers[1] != "x" {
		t.Fatalf("trimmed: %+v", in)
	}
}
