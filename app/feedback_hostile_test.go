package app

import (
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models/modeltest"
)

// The questionnaire pages (the organizer's builder, preview, results,
// report and CSV; the attendee's questionnaire on their link) never fail
// on hostile input: every page again with hostile query values, every form
// posted with a hostile value in each field. TestHostileInputNeverFails
// crawls the site's own fixture, whose event has not ended, so its crawl
// cannot reach an open questionnaire.
func TestFeedbackPagesHostileInput(t *testing.T) {
	w := newFeedbackWorld(t)
	sendFeedback(t, w)
	owner := newClient(t, w.app)
	owner.signIn(feedbackOwner)
	attendee := newClient(t, w.app)
	crawls := []struct {
		name  string
		c     *client
		seeds []string
	}{
		{"owner", owner, []string{w.manage(), w.manage() + "/results", w.manage() + "/preview", w.manage() + "/questions/" + itoa(int(w.satisfy.ID)) + "/edit",
			"/manage/events/" + itoa(int(w.event.ID)) + "/feedback"}},
		{"attendee", attendee, []string{w.link(0), "/tickets/" + w.people[0].LinkSecret + "/feedback"}},
	}
	posts := 0
	for _, cr := range crawls {
		for _, p := range crawl(t, cr.c, cr.seeds, 30) {
			if !strings.Contains(p.url, "feedback") {
				continue
			}
			for _, hv := range hostileInputs[:3] {
				q := url.Values{}
				for _, k := range []string{"lang", "dir", "session", "q"} {
					q.Set(k, hv)
				}
				if res := cr.c.get(p.url + "?" + q.Encode()); res.Status >= 500 {
					t.Errorf("%s: GET %s with %q: %d", cr.name, p.url, hv, res.Status)
				}
			}
			for _, fm := range p.forms {
				if crawlSkipsForm(fm.action) {
					continue
				}
				for _, field := range fm.fields {
					for _, hv := range hostileInputs {
						cr.c.get(p.url)
						v := url.Values{}
						for _, other := range fm.fields {
							v.Set(other, fm.values[other])
						}
						v.Set(field, hv)
						res := cr.c.post(fm.action, v)
						posts++
						if res.Status >= 500 {
							t.Errorf("%s: POST %s with %.20q in %s: %d\n%.400s", cr.name, fm.action, hv, field, res.Status, res.Body)
						}
					}
				}
			}
		}
	}
	t.Logf("%d hostile posts on %s", posts, modeltest.Engine())
	if posts < 100 {
		t.Fatalf("only %d posts: the crawl found too few forms", posts)
	}
}
