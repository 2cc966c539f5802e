package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestOwnersListSitesAllowedToEmbed(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Embed Lab", "owner@embed.example", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "embed-forum", models.StatusPublished)
	c := newClient(t, f)
	c.signIn("owner@embed.example")
	page := fmt.Sprintf("/manage/orgs/%d/embed", org.ID)
	if res := c.get(fmt.Sprintf("/manage/orgs/%d/settings", org.ID)); !strings.Contains(res.Body, `href="`+page+`"`) {
		t.Fatal("the organization's settings do not link to the list")
	}
	c.get(page)
	// A bad line comes back named, with everything typed kept.
	typed := "https://www.livinglab.example\nhttp://blog.livinglab.example/agenda"
	res := c.post(page, url.Values{"origins": {typed}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Line 2") || !strings.Contains(res.Body, "https://www.livinglab.example\nhttp://blog.livinglab.example/agenda</textarea>") {
		t.Fatalf("bad list: %d\n%s", res.Status, res.Body)
	}
	if got, _ := models.EmbedOrigins(db, org.ID); len(got) != 0 {
		t.Fatalf("a bad list was saved: %v", got)
	}
	res = c.post(page, url.Values{"origins": {"HTTPS://www.LivingLab.example/\r\nhttp://localhost:8080"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.Status, res.Body)
	}
	shown := c.get(page)
	if !strings.Contains(shown.Body, "The list of websites is saved.") || !strings.Contains(shown.Body, "https://www.livinglab.example\nhttp://localhost:8080</textarea>") {
		t.Fatalf("saved list not shown\n%s", shown.Body)
	}
	var entry models.AuditEntry
	if err := db.Where("organization_id = ? AND action = ?", org.ID, models.AuditEmbedOriginsChanged).Take(&entry).Error; err != nil ||
		entry.ActorEmail != "owner@embed.example" || !strings.Contains(entry.Detail, "https://www.livinglab.example") {
		t.Fatalf("audit entry %+v %v", entry, err)
	}
	// The event's snippet page names the sites and gives the code.
	snip := c.get(fmt.Sprintf("/manage/events/%d/embed", ev.ID))
	for _, want := range []string{
		"&lt;iframe src=&#34;http://agora.test/embed/events/embed-forum/register&#34;",
		"http://agora.test/embed/events/embed-forum/programme",
		"&lt;script src=&#34;http://agora.test/embed.js&#34; async&gt;",
		"<code>https://www.livinglab.example</code>",
	} {
		if !strings.Contains(snip.Body, want) {
			t.Errorf("snippet page lacks %s", want)
		}
	}
	if ov := c.get(fmt.Sprintf("/manage/events/%d", ev.ID)); !strings.Contains(ov.Body, fmt.Sprintf(`href="/manage/events/%d/embed"`, ev.ID)) {
		t.Error("the event's page does not link to the snippets")
	}
	// The script the snippet loads is served at its stable address.
	if js := c.get("/embed.js"); js.Status != 200 || !strings.Contains(js.Body, "agoraEmbed") || !strings.Contains(js.Header.Get("Content-Type"), "javascript") {
		t.Errorf("/embed.js: %d %q", js.Status, js.Header.Get("Content-Type"))
	}
}
