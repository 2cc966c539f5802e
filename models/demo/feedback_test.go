package demo_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

// The demo agora has a questionnaire answered by people of several
// categories, some without the research consent, so its report shows
// numbers and leaves some texts out; seeding again adds nothing.
func TestDemoAgoraHasFeedback(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	for range 2 {
		if _, err := demo.Seed(db, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var e models.Event
	if err := db.Where("slug = ?", demo.AgoraSlug).Take(&e).Error; err != nil {
		t.Fatal(err)
	}
	forms, err := models.FeedbackFormsOf(db, e.ID)
	if err != nil || len(forms) != 1 {
		t.Fatalf("forms %v %v", forms, err)
	}
	f, err := models.FeedbackFormOf(db, e.ID, forms[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := models.LoadFeedbackResults(db, f)
	if err != nil {
		t.Fatal(err)
	}
	open := res.Questions[len(res.Questions)-1]
	if res.Answered != 8 || res.Sent != 8 || res.Consenting != 5 || open.Withheld != 3 || len(open.Texts) != 5 {
		t.Fatalf("demo results: answered %d, sent %d, consenting %d, withheld %d", res.Answered, res.Sent, res.Consenting, open.Withheld)
	}
	if len(res.Questions[2].ByCategory) < 5 {
		t.Fatalf("indicator by category %+v", res.Questions[2].ByCategory)
	}
}
