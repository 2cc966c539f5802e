package app

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// TestTwoFactorPagesTakeHostileInput posts every form of the two-factor
// pages (set up, on, the owner's requirement, the code step) with hostile
// values, with a key configured, as TestHostileInputNeverFails does for the
// pages it reaches without one: never a 500.
func TestTwoFactorPagesTakeHostileInput(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	org, _ := modeltest.Organizer(t, db, "Two-factor org", tfOwner, models.RoleOwner)
	c := newClient(t, f)
	c.signIn(tfOwner)
	orgPage := fmt.Sprintf("/manage/orgs/%d/two-factor", org.ID)
	posts := hostilePosts(t, c, []string{twoFactorSetupURL, orgPage})
	setUpTwoFactor(t, c, clock)
	posts += hostilePosts(t, c, []string{twoFactorSetupURL})
	signOutClient(c)
	passwordStep(t, c, tfOwner)
	posts += hostilePosts(t, c, []string{signInCodeURL})
	if posts < 16 {
		t.Fatalf("only %d posts", posts)
	}
	t.Logf("%d hostile posts on %s", posts, modeltest.Engine())
}

// hostilePosts posts each form on the pages (and nothing they link to)
// with each hostile value in each field in turn.
func hostilePosts(t *testing.T, c *client, pages []string) int {
	t.Helper()
	posts := 0
	for _, p := range crawl(t, c, pages, len(pages)) {
		for _, fm := range p.forms {
			if crawlSkipsForm(fm.action) {
				continue
			}
			for _, field := range fm.fields {
				for _, hv := range hostileInputs {
					c.get(p.url)
					v := url.Values{}
					for _, other := range fm.fields {
						v.Set(other, fm.values[other])
					}
					v.Set(field, hv)
					res := c.post(fm.action, v)
					posts++
					if res.Status >= 500 {
						t.Errorf("POST %s (form on %s) with %.20q in %s: %d\n%.400s", fm.action, p.url, hv, field, res.Status, res.Body)
					}
				}
			}
		}
	}
	return posts
}
