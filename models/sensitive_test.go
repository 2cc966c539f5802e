package models_test

import (
	"testing"

	"github.com/agora-events/agora/models"
)

func TestSensitiveViewRedactsForMembersWithoutThePermission(t *testing.T) {
	qs := []models.Question{{ID: 1, Label: "Topic"}, {ID: 2, Label: "Medication", Sensitive: true}}
	at := models.Attendee{Name: "Rosa", Needs: models.AccessNeeds{Dietary: "no gluten"}, NeedsNote: "a chair",
		Answers: []models.Answer{{QuestionID: 1, Value: "care"}, {QuestionID: 2, Value: "insulin"}, {QuestionID: 9, Value: "orphan"}}}
	rs := []models.ConsentRecord{{ConsentText: models.ConsentText{Kind: models.ConsentPrivacy}}, {ConsentText: models.ConsentText{Kind: models.ConsentPhotos}},
		{ConsentText: models.ConsentText{Kind: models.ConsentResearch}}, {}}

	for _, m := range []*models.Membership{nil, {Role: models.RoleOwner}, {Role: models.RoleManager}} {
		v := models.SensitiveViewOf(m)
		got, w := v.Attendee(at, qs)
		if v.Allowed() || !w.Needs || got.HasNeeds() || len(got.Answers) != 1 || got.Answers[0].Value != "care" || got.Name != "Rosa" {
			t.Fatalf("%+v: redacted %+v, withheld %+v", m, got, w)
		}
		if len(at.Answers) != 3 || at.Answers[1].Value != "insulin" || at.NeedsNote != "a chair" {
			t.Fatalf("redacting changed the attendee it was given: %+v", at)
		}
		if qv := v.Questions(qs); len(qv) != 1 || qv[0].ID != 1 {
			t.Fatalf("questions shown %+v", qv)
		}
		if cs := v.Consents(rs); len(cs) != 2 || cs[0].ConsentText.Kind != models.ConsentPrivacy || cs[1].ConsentText.Kind != models.ConsentPhotos {
			t.Fatalf("consents shown %+v", cs)
		}
		for _, k := range v.ConsentKinds() {
			if k == models.ConsentResearch {
				t.Fatal("the research column is offered without the permission")
			}
		}
		if v.ShowsSomething(at, qs, rs) {
			t.Fatal("a redacted view counts as a sensitive view")
		}
		if v.ShowsChangeValues(models.FieldChange{Field: "answer:Medication", Old: "a", New: "b"}, qs) ||
			!v.ShowsChangeValues(models.FieldChange{Field: "answer:Topic", Old: "a", New: "b"}, qs) {
			t.Fatal("change values of a question marked sensitive later")
		}
	}

	v := models.SensitiveViewOf(&models.Membership{Role: models.RoleManager, AccessCoordinator: true})
	got, w := v.Attendee(at, qs)
	if !v.Allowed() || w.Needs || got.NeedsNote != "a chair" || len(got.Answers) != 3 || len(v.Consents(rs)) != 3 || len(v.ConsentKinds()) != len(models.ConsentKinds) {
		t.Fatalf("a coordinator's view is redacted: %+v", got)
	}
	if !v.ShowsSomething(at, qs, rs) || v.ShowsSomething(models.Attendee{Answers: []models.Answer{{QuestionID: 1, Value: "x"}}}, qs, rs[:2]) {
		t.Fatal("ShowsSomething")
	}
	if !v.ShowsSomething(models.Attendee{}, qs, rs[2:3]) || !v.ShowsSomething(models.Attendee{NeedsNote: "x"}, qs, nil) {
		t.Fatal("a research consent or a note alone is sensitive")
	}
}
