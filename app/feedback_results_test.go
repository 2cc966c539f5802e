package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// answerAll has the four people answer: satisfaction 5, 4, 3, 2; the
// indicator 10, 8, 6 and none; an open text each (the clinician's starts
// with "=", which a spreadsheet would run).
func answerAll(t *testing.T, w *feedbackWorld) {
	t.Helper()
	sendFeedback(t, w)
	f := w.loadForm(t)
	texts := []string{"Patient said more chairs", "Carer said quieter room", "=HYPERLINK(\"http://x\")", "Industry said longer"}
	for i, p := range w.people {
		in := map[uint]string{w.satisfy.ID: fmt.Sprint(5 - i), w.open.ID: texts[i]}
		if i < 3 {
			in[w.indicator.ID] = fmt.Sprint(10 - 2*i)
		}
		if err := models.SubmitFeedback(w.db, f, &p, in, time.Now()); err != nil {
			t.Fatalf("submit %d: %v", i, err)
		}
	}
}

// The numbers, distributions and averages by category add up; open texts
// of people without the research consent are counted but not shown.
func TestFeedbackResultsAddUp(t *testing.T) {
	w := newFeedbackWorld(t)
	answerAll(t, w)
	res, err := models.LoadFeedbackResults(w.db, w.loadForm(t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 4 || res.Answered != 4 || res.Rate != 100 || res.Consenting != 2 {
		t.Fatalf("counts %+v", res)
	}
	sat, ind, open := res.Questions[0], res.Questions[1], res.Questions[2]
	if sat.Answered != 4 || sat.Average != 3.5 || len(sat.Bars) != 5 || sat.Bars[4].Count != 1 || sat.Bars[4].Percent != 25 || sat.Bars[0].Count != 0 {
		t.Fatalf("satisfaction %+v", sat)
	}
	if ind.Answered != 3 || ind.Average != 8 || len(ind.Bars) != 11 {
		t.Fatalf("indicator %+v", ind)
	}
	want := []models.FeedbackCategoryAverage{{Category: models.CategoryPatientCitizen, Count: 1, Average: 10},
		{Category: models.CategoryCarer, Count: 1, Average: 8}, {Category: models.CategoryClinician, Count: 1, Average: 6}}
	if fmt.Sprint(ind.ByCategory) != fmt.Sprint(want) {
		t.Fatalf("indicator by category %+v", ind.ByCategory)
	}
	if open.Answered != 4 || open.Withheld != 2 || fmt.Sprint(open.Texts) != fmt.Sprint([]string{"Patient said more chairs", "=HYPERLINK(\"http://x\")"}) {
		t.Fatalf("open %+v", open)
	}
}

// The report and the CSV state the research consent rule and leave out
// the texts of people without the consent; the CSV is formula-safe and
// its download is in the audit log.
func TestFeedbackReportAndCSVRespectResearchConsent(t *testing.T) {
	w := newFeedbackWorld(t)
	answerAll(t, w)
	c := newClient(t, w.app)
	c.signIn(feedbackOwner)
	r := c.get(w.manage() + "/results")
	if r.Status != http.StatusOK {
		t.Fatalf("results: %d\n%s", r.Status, r.Body)
	}
	rule := "Research consent rule: the answers of everyone who answered are counted"
	for _, want := range []string{rule, "Patient said more chairs", "<svg class=\"fb-chart\"", "Average: 3.5", "Average by participant category",
		"Written answers left out (no research consent): 2", "<td>25%</td>", "Patients and citizens"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Index(r.Body, rule) > strings.Index(r.Body, "In numbers") {
		t.Error("the rule is not at the top of the report")
	}
	for _, gone := range []string{"Carer said", "Industry said"} {
		if strings.Contains(r.Body, gone) {
			t.Errorf("report shows %q of a person without research consent", gone)
		}
	}
	var before int64
	w.db.Model(&models.AuditEntry{}).Where("action = ?", models.AuditExport).Count(&before)
	r = c.get(w.manage() + "/results.csv")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimPrefix(r.Body, utf8BOM), "\r\n")
	if !strings.Contains(lines[0], rule) {
		t.Fatalf("csv first line %q", lines[0])
	}
	if !strings.Contains(r.Body, "Patient said more chairs") || !strings.Contains(r.Body, `"'=HYPERLINK(""http://x"")"`) {
		t.Fatalf("csv lacks the consenting people's texts (formula-safe):\n%s", r.Body)
	}
	if strings.Contains(r.Body, "Carer said") || strings.Contains(r.Body, "Industry said") {
		t.Fatalf("csv shows texts of people without research consent:\n%s", r.Body)
	}
	var after int64
	w.db.Model(&models.AuditEntry{}).Where("action = ?", models.AuditExport).Count(&after)
	if after != before+1 {
		t.Fatalf("audit entries %d → %d", before, after)
	}
}

// The organizer builds a questionnaire through the app: bad input comes
// back beside the field with what was typed; a satisfaction block left
// without a text gets the usual question in each of the event's languages.
func TestFeedbackOrganizerBuildsQuestionnaire(t *testing.T) {
	w := newFeedbackWorld(t)
	if err := models.SetEventLanguages(w.db, w.event, "en", []string{"en", "fr"}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, w.app)
	c.signIn(feedbackOwner)
	list := fmt.Sprintf("/manage/events/%d/feedback", w.event.ID)
	if r := c.get(fmt.Sprintf("/manage/events/%d", w.event.ID)); !strings.Contains(r.Body, `href="`+list+`"`) {
		t.Fatal("the event page does not link to the questionnaires")
	}
	c.get(list)
	r := c.post(list, url.Values{"session": {"0"}, "title": {""}, "send_hours": {"abc"}, "open_days": {"14"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-title-error"`) ||
		!strings.Contains(r.Body, `id="f-send_hours-error"`) || !strings.Contains(r.Body, `value="abc"`) {
		t.Fatalf("bad settings: %d\n%s", r.Status, r.Body)
	}
	r = c.post(list, url.Values{"session": {"0"}, "title": {"Second"}, "send_hours": {"2"}, "open_days": {"14"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "There is already a questionnaire for this") {
		t.Fatalf("a second one for the event: %d", r.Status)
	}
	s := &models.Session{EventID: w.event.ID, Title: "Ethics agora", Format: models.FormatAgora, StartsAt: w.event.StartsAt, EndsAt: w.event.EndsAt}
	if err := w.db.Create(s).Error; err != nil {
		t.Fatal(err)
	}
	c.get(list)
	r = c.post(list, url.Values{"session": {fmt.Sprint(s.ID)}, "title": {"Ethics agora feedback"}, "title.fr": {"Avis sur l’agora éthique"},
		"send_hours": {"1"}, "open_days": {"7"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.Status, r.Body)
	}
	base := r.Location
	c.get(base)
	r = c.post(base, url.Values{"title": {"Ethics agora feedback"}, "send_hours": {"1"}, "open_days": {"7"}, "sending": {"1"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-sending-error">Add at least one question`) {
		t.Fatalf("sending without questions: %d", r.Status)
	}
	r = c.post(base+"/questions", url.Values{"kind": {models.FeedbackIndicator}, "text": {"Well-being: feeling listened to"},
		"scale": {"custom"}, "scale_min": {"1"}, "scale_max": {"2"}})
	for _, want := range []string{`id="f-scale_max-error"`, `id="f-low_label-error"`, `value="Well-being: feeling listened to"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("bad indicator: lacks %q (%d)", want, r.Status)
		}
	}
	r = c.post(base+"/questions", url.Values{"kind": {models.FeedbackIndicator}, "text": {"Well-being: feeling listened to"},
		"scale": {"custom"}, "scale_min": {"1"}, "scale_max": {"4"}, "low_label": {"Never"}, "high_label": {"Always"}, "high_label.fr": {"Toujours"}, "required": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("indicator: %d\n%s", r.Status, r.Body)
	}
	c.get(base)
	if r = c.post(base+"/questions", url.Values{"kind": {models.FeedbackSatisfaction}}); r.Status != http.StatusSeeOther {
		t.Fatalf("satisfaction block: %d\n%s", r.Status, r.Body)
	}
	var qs []models.FeedbackQuestion
	w.db.Where("form_id <> ?", w.form.ID).Order("position").Find(&qs)
	if len(qs) != 2 || qs[0].ScaleMin != 1 || qs[0].ScaleMax != 4 || qs[1].Text != "Overall, how satisfied are you?" || qs[1].ScaleMax != 5 {
		t.Fatalf("questions %+v", qs)
	}
	c.get(base)
	c.post(fmt.Sprintf("%s/questions/%d/move", base, qs[1].ID), url.Values{"dir": {"up"}})
	c.get(base)
	if r = c.post(base, url.Values{"title": {"Ethics agora feedback"}, "title.fr": {"Avis sur l’agora éthique"}, "send_hours": {"1"}, "open_days": {"7"}, "sending": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("settings: %d\n%s", r.Status, r.Body)
	}
	r = c.get(base + "/preview?lang=fr")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Dans l’ensemble, quel est votre degré de satisfaction ?") ||
		!strings.Contains(r.Body, "Avis sur l’agora éthique") || !strings.Contains(r.Body, "4 = Toujours") {
		t.Fatalf("French preview: %d\n%s", r.Status, r.Body)
	}
	if i, j := strings.Index(r.Body, "Dans l’ensemble"), strings.Index(r.Body, "Well-being"); i < 0 || j < 0 || i > j {
		t.Fatal("moving the question up did not reorder the preview")
	}
}

// Anonymising a person blanks their open answers and keeps their numbers;
// the retention run erases the addresses of the feedback mails.
func TestFeedbackAnonymisedPeopleLeaveNoTexts(t *testing.T) {
	w := newFeedbackWorld(t)
	answerAll(t, w)
	if err := models.AnonymiseAttendee(w.db, w.people[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := models.LoadFeedbackResults(w.db, w.loadForm(t))
	if err != nil {
		t.Fatal(err)
	}
	if open := res.Questions[2]; res.Answered != 4 || res.Questions[0].Answered != 4 || fmt.Sprint(open.Texts) != fmt.Sprint([]string{"=HYPERLINK(\"http://x\")"}) {
		t.Fatalf("after anonymising: answered %d, texts %q", res.Answered, open.Texts)
	}
	var e models.Event
	w.db.Take(&e, w.event.ID)
	if _, done, err := models.AnonymiseEventNow(w.db, e, models.AuditEntry{OrganizationID: e.OrganizationID, Action: models.AuditAnonymised}, "t", time.Now(), 50); err != nil || !done {
		t.Fatalf("retention run: %v %v", done, err)
	}
	var left int64
	w.db.Model(&models.OutboxMessage{}).Where("kind = ? AND to_addr <> ''", models.MailFeedbackRequest).Count(&left)
	if left != 0 {
		t.Fatalf("%d feedback mails keep their address", left)
	}
}
