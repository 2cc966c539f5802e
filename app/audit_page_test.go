package app

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// seedAudit writes an entry of org at the given time.
func seedAudit(t *testing.T, w *auditWorld, orgID uint, at time.Time, action, email, subject, detail string, eventID uint) {
	t.Helper()
	e := models.AuditEntry{OrganizationID: orgID, Action: action, ActorEmail: email, IP: "192.0.2.1", Subject: subject, Detail: detail, CreatedAt: at}
	if eventID != 0 {
		e.EventID = &eventID
	}
	if err := models.RecordAudit(w.db, e); err != nil {
		t.Fatal(err)
	}
}

func auditPath(w *auditWorld, q url.Values) string {
	p := auditURL(w.orgA.ID)
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// The owner's page shows the organization's entries newest first, in the
// site's zone, with translated actions; each filter narrows it; another
// organization's entries never show.
func TestAuditPageShowsAndFilters(t *testing.T) {
	w := newAuditWorld(t)
	madrid, _ := time.LoadLocation("Europe/Madrid")
	day := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 30, 0, 0, madrid) }
	ev := w.fx.Event.ID
	seedAudit(t, w, w.orgA.ID, day(1, 9), models.AuditEventPublished, "owner@a.example", "event x", "", ev)
	seedAudit(t, w, w.orgA.ID, day(2, 10), models.AuditRefund, "manager@a.example", "order AAA111", "5.00 EUR refunded", ev)
	seedAudit(t, w, w.orgA.ID, day(3, 23), models.AuditSignInFailed, "", "user 9", "wrong password", 0)
	seedAudit(t, w, w.orgB.ID, day(2, 11), models.AuditRefund, "owner@b.example", "order BBB222", "secret of B", 0)

	c := w.signedIn(t, "owner@a.example")
	r := c.get(auditPath(w, nil))
	mustStatus(t, r, http.StatusOK, "audit page")
	mustContain(t, r.Body, "audit page", "Audit log", "When (Europe/Madrid)", "Event published", "Refund", "Failed sign-in",
		"order AAA111", "manager@a.example", "192.0.2.1", "system", "3 Mar 2026 23:30",
		fmt.Sprintf(`<a href="/manage/events/%d">%s</a>`, ev, w.fx.Event.Title))
	if strings.Contains(r.Body, "BBB222") || strings.Contains(r.Body, "secret of B") {
		t.Fatal("another organization's entry shows")
	}
	if i, j := strings.Index(r.Body, "user 9"), strings.Index(r.Body, "order AAA111"); i < 0 || j < 0 || i > j {
		t.Error("entries are not newest first")
	}

	cases := []struct {
		q          url.Values
		want, hide []string
	}{
		{url.Values{"action": {models.AuditRefund}}, []string{"order AAA111"}, []string{"user 9", "event x"}},
		{url.Values{"person": {"MANAGER@"}}, []string{"order AAA111"}, []string{"user 9", "event x"}},
		{url.Values{"person": {"%"}}, nil, []string{"order AAA111", "user 9", "event x"}}, // a literal %, not a wildcard
		{url.Values{"event": {fmt.Sprint(ev)}}, []string{"order AAA111", "event x"}, []string{"user 9"}},
		{url.Values{"from": {"2026-03-02"}, "to": {"2026-03-02"}}, []string{"order AAA111"}, []string{"user 9", "event x"}},
		{url.Values{"from": {"2026-03-03"}}, []string{"user 9"}, []string{"order AAA111", "event x"}},
	}
	for _, k := range cases {
		r := c.get(auditPath(w, k.q))
		mustStatus(t, r, http.StatusOK, k.q.Encode())
		mustContain(t, r.Body, k.q.Encode(), k.want...)
		for _, h := range append(k.hide, "BBB222") {
			if strings.Contains(r.Body, h) {
				t.Errorf("%s: shows %q", k.q.Encode(), h)
			}
		}
	}
}

// Bad filter input is named beside its field and kept in it; the page
// still answers (never a 500), and the CSV is not served for it.
func TestAuditPageBadFilterInput(t *testing.T) {
	w := newAuditWorld(t)
	c := w.signedIn(t, "owner@a.example")
	cases := []struct {
		q     url.Values
		field string
		msg   string
		kept  string
	}{
		{url.Values{"from": {"31/02/2026"}}, "from", "Enter a day as 2026-03-31.", `value="31/02/2026"`},
		{url.Values{"to": {"2026-13-01"}}, "to", "Enter a day as 2026-03-31.", `value="2026-13-01"`},
		{url.Values{"from": {"2026-03-05"}, "to": {"2026-03-01"}}, "to", "This day is before the “From” day.", `value="2026-03-01"`},
		{url.Values{"action": {"drop.table"}}, "action", "Choose an action from the list.", ""},
		{url.Values{"event": {"999999"}}, "event", "Choose an event from the list.", ""},
		{url.Values{"person": {strings.Repeat("x", 300)}}, "person", "Type at most 254 characters.", strings.Repeat("x", 300)},
	}
	for _, k := range cases {
		r := c.get(auditPath(w, k.q))
		mustStatus(t, r, http.StatusUnprocessableEntity, k.q.Encode())
		mustContain(t, r.Body, k.q.Encode(), `id="f-`+k.field+`-error"`, k.msg, k.kept)
		before := len(auditOf(t, w.db, models.AuditAuditExported))
		r = c.get(auditURL(w.orgA.ID) + ".csv?" + k.q.Encode())
		mustStatus(t, r, http.StatusUnprocessableEntity, "csv "+k.q.Encode())
		if after := len(auditOf(t, w.db, models.AuditAuditExported)); after != before {
			t.Errorf("%s: a refused download was logged", k.q.Encode())
		}
	}
}

// Only owners read the log: a manager and check-in staff are refused, the
// owner of another organization gets a 404 (not theirs to know about).
func TestAuditPageOwnersOnly(t *testing.T) {
	w := newAuditWorld(t)
	seedAudit(t, w, w.orgA.ID, time.Now(), models.AuditRefund, "owner@a.example", "order AAA111", "", 0)
	for _, k := range []struct {
		who    string
		status int
	}{{"manager@a.example", http.StatusForbidden}, {"door@a.example", http.StatusForbidden}, {"owner@b.example", http.StatusNotFound}} {
		c := w.signedIn(t, k.who)
		for _, p := range []string{auditURL(w.orgA.ID), auditURL(w.orgA.ID) + ".csv"} {
			r := c.get(p)
			mustStatus(t, r, k.status, k.who+" "+p)
			if strings.Contains(r.Body, "AAA111") {
				t.Errorf("%s sees the log at %s", k.who, p)
			}
		}
	}
	if n := len(auditOf(t, w.db, models.AuditAuditExported)); n != 0 {
		t.Errorf("refused downloads logged %d entries", n)
	}
	mustStatus(t, newClient(t, w.app).get(auditURL(w.orgA.ID)), http.StatusSeeOther, "signed out")
}

// The log is append-only through the application: no method but GET is
// routed to it, so a POST, PUT or DELETE changes nothing.
func TestAuditPageRefusesChanges(t *testing.T) {
	w := newAuditWorld(t)
	seedAudit(t, w, w.orgA.ID, time.Now(), models.AuditRefund, "owner@a.example", "order AAA111", "", 0)
	c := w.signedIn(t, "owner@a.example")
	c.get(auditURL(w.orgA.ID))
	before := countAudit(t, w.db)
	var id uint
	w.db.Model(&models.AuditEntry{}).Select("id").Where("subject = ?", "order AAA111").Scan(&id)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		for _, p := range []string{auditURL(w.orgA.ID), fmt.Sprintf("%s/%d", auditURL(w.orgA.ID), id), fmt.Sprintf("%s/%d/delete", auditURL(w.orgA.ID), id)} {
			req := httptest.NewRequest(m, p, strings.NewReader(url.Values{"_csrf": {c.csrf}, "subject": {"changed"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-CSRF-Token", c.csrf)
			got := c.do(req)
			if got.Status < 400 {
				t.Errorf("%s %s answered %d", m, p, got.Status)
			}
		}
	}
	var e models.AuditEntry
	w.db.Take(&e, id)
	if n := countAudit(t, w.db); n != before || e.Subject != "order AAA111" {
		t.Errorf("entries %d → %d, subject %q", before, n, e.Subject)
	}
}

// More entries than a page: "Older" pages through all of them once each,
// newest first, with the filter kept.
func TestAuditPagePages(t *testing.T) {
	w := newAuditWorld(t)
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	const n = auditPageSize*2 + 7
	for i := 0; i < n; i++ {
		// Pairs share a timestamp, so the id breaks ties.
		seedAudit(t, w, w.orgA.ID, start.Add(time.Duration(i/2)*time.Minute), models.AuditRefund, "owner@a.example", fmt.Sprintf("order N%04d", i), "", 0)
	}
	seedAudit(t, w, w.orgA.ID, start, models.AuditSignIn, "owner@a.example", "not a refund", "", 0)
	c := w.signedIn(t, "owner@a.example")
	seen := map[string]bool{}
	last := n
	next := auditPath(w, url.Values{"action": {models.AuditRefund}})
	pages := 0
	for next != "" {
		pages++
		r := c.get(next)
		mustStatus(t, r, http.StatusOK, "page")
		for _, m := range regexpAll(r.Body, `order N(\d{4})`) {
			var i int
			fmt.Sscanf(m, "%d", &i)
			if seen[m] || i >= last {
				t.Fatalf("page %d: N%s out of order or twice", pages, m)
			}
			seen[m], last = true, i
		}
		if strings.Contains(r.Body, "not a refund") {
			t.Fatal("the filter was lost between pages")
		}
		next = ""
		if m := regexpAll(r.Body, `href="([^"]+)" rel="next"`); len(m) > 0 {
			next = strings.ReplaceAll(m[0], "&amp;", "&")
		}
	}
	if len(seen) != n || pages != 3 {
		t.Fatalf("saw %d entries over %d pages, want %d over 3", len(seen), pages, n)
	}
}

// The CSV holds the filtered entries, newest first, with formula cells
// defused; the download is itself in the log, with its filter, before the
// file is sent.
func TestAuditCSVDownload(t *testing.T) {
	w := newAuditWorld(t)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	seedAudit(t, w, w.orgA.ID, at, models.AuditRefund, "manager@a.example", "order AAA111", `=HYPERLINK("http://evil.example")`, w.fx.Event.ID)
	seedAudit(t, w, w.orgA.ID, at.Add(time.Hour), models.AuditRefund, "owner@a.example", "order CCC333", "+1 refund", 0)
	seedAudit(t, w, w.orgA.ID, at.Add(2*time.Hour), models.AuditSignIn, "owner@a.example", "not in the file", "", 0)
	seedAudit(t, w, w.orgB.ID, at, models.AuditRefund, "owner@b.example", "order BBB222", "", 0)
	c := w.signedIn(t, "owner@a.example")
	r := c.get(auditPath(w, url.Values{"action": {models.AuditRefund}}))
	mustContain(t, r.Body, "page", "Download CSV", "audit.csv?action=payment.refunded")
	r = c.get(auditURL(w.orgA.ID) + ".csv?action=" + models.AuditRefund)
	mustStatus(t, r, http.StatusOK, "csv")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	if !strings.HasPrefix(r.Body, utf8BOM) {
		t.Error("no BOM")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, utf8BOM))).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, r.Body)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want header + 2:\n%s", len(rows), r.Body)
	}
	if rows[0][0] != "When (Europe/Madrid)" || rows[0][3] != "Action name" {
		t.Errorf("header %q", rows[0])
	}
	if rows[1][7] != "order CCC333" || rows[1][8] != "'+1 refund" {
		t.Errorf("first row %q", rows[1])
	}
	if rows[2][0] != "2026-03-02 10:00:00" || rows[2][1] != "manager@a.example" || rows[2][3] != models.AuditRefund ||
		rows[2][4] != "Refund" || rows[2][5] != fmt.Sprint(w.fx.Event.ID) || rows[2][6] != w.fx.Event.Title ||
		rows[2][8] != `'=HYPERLINK("http://evil.example")` {
		t.Errorf("second row %q", rows[2])
	}
	if strings.Contains(r.Body, "BBB222") || strings.Contains(r.Body, "not in the file") {
		t.Error("the file holds entries outside the filter or the organization")
	}
	got := oneAudit(t, w.db, models.AuditAuditExported)
	checkActor(t, got, w.owner, w.orgA.ID, 0)
	if got.Detail != "filter: action=payment.refunded" {
		t.Errorf("detail %q", got.Detail)
	}
	// The download's own line is in the next download.
	r = c.get(auditURL(w.orgA.ID) + ".csv")
	mustContain(t, r.Body, "second csv", models.AuditAuditExported, "Audit log downloaded")
}

// Two instances on one database log at once: every entry is kept and the
// page shows them all, newest first.
func TestAuditTwoInstancesWriteConcurrently(t *testing.T) {
	w := newAuditWorld(t)
	other, err := models.Open(w.dsn, models.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(other) })
	second, err := New(Config{BaseURL: "http://agora.test", TrustedProxies: "0.0.0.0"}, Deps{DB: other})
	if err != nil {
		t.Fatal(err)
	}
	const each = 6
	var wg sync.WaitGroup
	for i, app := range []*auditWorld{w, {app: second, db: other, orgA: w.orgA}} {
		c := app.signedIn(t, "owner@a.example")
		wg.Add(1)
		go func(i int, c *client) {
			defer wg.Done()
			for j := 0; j < each; j++ {
				r := c.get(eventPath(w.fx.Event, "/badges.pdf?layout=a6&who=all"))
				if r.Status != http.StatusOK {
					t.Errorf("instance %d: badges %d", i, r.Status)
				}
			}
		}(i, c)
	}
	wg.Wait()
	es := auditOf(t, w.db, models.AuditBadgesDownloaded)
	if len(es) != 2*each {
		t.Fatalf("%d entries, want %d", len(es), 2*each)
	}
	got, _, err := models.AuditEntries(other, w.orgA.ID, models.AuditFilter{Action: models.AuditBadgesDownloaded}, 0, 100)
	if err != nil || len(got) != 2*each {
		t.Fatalf("listed %d (%v)", len(got), err)
	}
	for i := 1; i < len(got); i++ {
		if got[i].CreatedAt.After(got[i-1].CreatedAt) || (got[i].CreatedAt.Equal(got[i-1].CreatedAt) && got[i].ID > got[i-1].ID) {
			t.Fatalf("not newest first at %d", i)
		}
	}
	r := w.signedIn(t, "owner@a.example").get(auditPath(w, url.Values{"action": {models.AuditBadgesDownloaded}}))
	if n := strings.Count(r.Body, "Badges downloaded</td>"); n != 2*each {
		t.Errorf("the page shows %d entries, want %d", n, 2*each)
	}
}

func regexpAll(body, pattern string) []string {
	var out []string
	for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// Every action has a label in every language; an action without one (added
// later) shows its stable name rather than a message id.
func TestAuditActionLabels(t *testing.T) {
	for _, lang := range Languages {
		ids := messageIDs(t, lang)
		for _, a := range models.AuditActions {
			if !ids["audit.action."+a] {
				t.Errorf("%s: no label for %s", lang, a)
			}
		}
	}
	L := newTranslator(mustBundle(t), "es")
	if got := auditActionLabel(L, models.AuditRefund); got != "Reembolso" {
		t.Errorf("label %q", got)
	}
	if got := auditActionLabel(L, "some.new_action"); got != "some.new_action" {
		t.Errorf("fallback %q", got)
	}
}

// Hostile values in every filter (and the cursor) never make the page or
// the CSV fail; a value is refused beside its field or ignored.
func TestAuditPageHostileQueries(t *testing.T) {
	w := newAuditWorld(t)
	seedAudit(t, w, w.orgA.ID, time.Now(), models.AuditRefund, "owner@a.example", "order AAA111", "", w.fx.Event.ID)
	c := w.signedIn(t, "owner@a.example")
	// The long value does not fit a GET's headers: the crawl leaves it out too.
	values := append(append([]string{}, hostileInputs[:3]...), "2026-02-30", "-1", "99999999999999999999999", "<script>x</script>", "0001-01-01")
	for _, hv := range values {
		for _, k := range []string{"action", "person", "event", "from", "to", "before"} {
			q := url.Values{k: {hv}}
			for _, p := range []string{auditURL(w.orgA.ID), auditURL(w.orgA.ID) + ".csv"} {
				r := c.get(p + "?" + q.Encode())
				if r.Status >= 500 {
					t.Errorf("GET %s with %.20q in %s: %d\n%.400s", p, hv, k, r.Status, r.Body)
				}
			}
		}
	}
}
