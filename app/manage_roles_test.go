package app

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// Who may use a route, from the least trusted up. The test keeps its own
// table, apart from the code's declarations, so a route registered at the
// wrong level fails here, and so does a new route nobody listed.
const (
	needPublic  = "public"           // sign-in and sign-out: checked by their own tests
	needUser    = "user"             // any signed-in person
	needCheckin = models.RoleCheckin // check-in staff of the record's organization, and up
	needManager = models.RoleManager // managers and owners
	needOwner   = models.RoleOwner   // owners only
	needAdmin   = "admin"            // site admins
)

var organizerRouteNeeds = map[string]string{
	// Staff registrations and invitee imports (issue 10).
	"GET /manage/events/:id/registrations/new":                  needManager,
	"POST /manage/events/:id/registrations/new":                 needManager,
	"GET /manage/events/:id/registrations/import":               needManager,
	"POST /manage/events/:id/registrations/import":              needManager,
	"GET /manage/events/:id/registrations/import/:iid":          needManager,
	"POST /manage/events/:id/registrations/import/:iid/confirm": needManager,
	"GET /manage/events/:id/registrations/:aid/edit":            needManager,
	"POST /manage/events/:id/registrations/:aid/edit":           needManager,
	"GET /manage/events/:id/registrations/:aid/move":            needManager,
	"POST /manage/events/:id/registrations/:aid/move":           needManager,
	"POST /manage/events/:id/registrations/:aid/resend":         needManager,

	// Feedback questionnaires, results and the report (issue 15).
	"GET /manage/events/:id/feedback":                              needManager,
	"POST /manage/events/:id/feedback":                             needManager,
	"GET /manage/events/:id/feedback/:fid":                         needManager,
	"POST /manage/events/:id/feedback/:fid":                        needManager,
	"POST /manage/events/:id/feedback/:fid/questions":              needManager,
	"GET /manage/events/:id/feedback/:fid/questions/:fqid/edit":    needManager,
	"POST /manage/events/:id/feedback/:fid/questions/:fqid/edit":   needManager,
	"POST /manage/events/:id/feedback/:fid/questions/:fqid/move":   needManager,
	"POST /manage/events/:id/feedback/:fid/questions/:fqid/delete": needManager,
	"GET /manage/events/:id/feedback/:fid/preview":                 needManager,
	"GET /manage/events/:id/feedback/:fid/results":                 needManager,
	"GET /manage/events/:id/feedback/:fid/results.csv":             needManager,

	"GET /manage/login":   needPublic,
	"POST /manage/login":  needPublic,
	"POST /manage/logout": needPublic,

	// Accounts and sessions (issue 11): a person's own account; "forgot
	// your password?" is public (checked by app/password_reset_test.go).
	"GET /manage/account":                           needUser,
	"POST /manage/account/password":                 needUser,
	"POST /manage/account/sessions/sign-out-others": needUser,
	"GET /manage/password/forgot":                   needPublic,
	"POST /manage/password/forgot":                  needPublic,
	"GET /manage/password/reset/:token":             needPublic,
	"POST /manage/password/reset/:token":            needPublic,

	"GET /manage/":           needUser,
	"GET /manage/events/new": needManager,
	"POST /manage/events":    needManager,

	// The door (issue 12): lists, search, undo, sync and the offline page.
	"GET /manage/events/:id/checkin":              needCheckin,
	"POST /manage/events/:id/checkin":             needCheckin,
	"POST /manage/events/:id/checkin/person":      needCheckin,
	"POST /manage/events/:id/checkin/undo":        needCheckin,
	"POST /manage/events/:id/checkin/checkout":    needCheckin,
	"GET /manage/events/:id/checkin/people.json":  needCheckin,
	"GET /manage/events/:id/checkin/changes.json": needCheckin,
	"POST /manage/events/:id/checkin/sync":        needCheckin,
	"GET /manage/events/:id/checkin-sw.js":        needCheckin,

	"GET /manage/events/:id":            needManager,
	"GET /manage/events/:id/edit":       needManager,
	"POST /manage/events/:id/edit":      needManager,
	"POST /manage/events/:id/publish":   needManager,
	"POST /manage/events/:id/unpublish": needManager,
	"POST /manage/events/:id/cancel":    needManager,

	// Event covers and organization logos (app/images.go).
	"POST /manage/events/:id/image":        needManager,
	"POST /manage/events/:id/image/remove": needManager,
	"POST /manage/orgs/:orgID/logo":        needOwner,
	"POST /manage/orgs/:orgID/logo/remove": needOwner,

	// cancelling an event and the refund policy (i10-cancel)
	"GET /manage/events/:id/cancel":                            needManager,
	"POST /manage/events/:id/cancel/retry":                     needManager,
	"GET /manage/events/:id/refund-policy":                     needManager,
	"POST /manage/events/:id/refund-policy":                    needManager,
	"GET /manage/events/:id/agenda":                            needManager,
	"POST /manage/events/:id/rooms":                            needManager,
	"GET /manage/events/:id/rooms/:itemID/edit":                needManager,
	"POST /manage/events/:id/rooms/:itemID/edit":               needManager,
	"POST /manage/events/:id/rooms/:itemID/delete":             needManager,
	"POST /manage/events/:id/tracks":                           needManager,
	"GET /manage/events/:id/tracks/:itemID/edit":               needManager,
	"POST /manage/events/:id/tracks/:itemID/edit":              needManager,
	"POST /manage/events/:id/tracks/:itemID/delete":            needManager,
	"POST /manage/events/:id/speakers":                         needManager,
	"GET /manage/events/:id/speakers/:itemID/edit":             needManager,
	"POST /manage/events/:id/speakers/:itemID/edit":            needManager,
	"POST /manage/events/:id/speakers/:itemID/delete":          needManager,
	"GET /manage/events/:id/sessions/new":                      needManager,
	"POST /manage/events/:id/sessions":                         needManager,
	"GET /manage/events/:id/sessions/:sid/edit":                needManager,
	"POST /manage/events/:id/sessions/:sid/edit":               needManager,
	"POST /manage/events/:id/sessions/:sid/delete":             needManager,
	"GET /manage/events/:id/tickets":                           needManager,
	"GET /manage/events/:id/tickets/new":                       needManager,
	"POST /manage/events/:id/tickets":                          needManager,
	"GET /manage/events/:id/tickets/:tid/edit":                 needManager,
	"POST /manage/events/:id/tickets/:tid/edit":                needManager,
	"POST /manage/events/:id/tickets/:tid/delete":              needManager,
	"GET /manage/events/:id/questions":                         needManager,
	"POST /manage/events/:id/questions":                        needManager,
	"GET /manage/events/:id/questions/:qid/edit":               needManager,
	"POST /manage/events/:id/questions/:qid/edit":              needManager,
	"POST /manage/events/:id/questions/:qid/delete":            needManager,
	"GET /manage/events/:id/consents":                          needManager,
	"POST /manage/events/:id/consents":                         needManager,
	"GET /manage/events/:id/registrations":                     needManager,
	"GET /manage/events/:id/registrations.csv":                 needManager,
	"GET /manage/events/:id/registrations/waitlist":            needManager,
	"GET /manage/events/:id/registrations/:aid":                needManager,
	"GET /manage/events/:id/registrations/:aid/:action":        needManager,
	"POST /manage/events/:id/registrations/:aid/:action":       needManager,
	"GET /manage/events/:id/vouchers":                          needManager,
	"GET /manage/events/:id/vouchers/new":                      needManager,
	"POST /manage/events/:id/vouchers":                         needManager,
	"GET /manage/events/:id/vouchers/:vid/edit":                needManager,
	"POST /manage/events/:id/vouchers/:vid/edit":               needManager,
	"GET /manage/events/:id/payments":                          needManager,
	"POST /manage/events/:id/payments":                         needManager,
	"GET /manage/events/:id/orders/:oid":                       needManager,
	"POST /manage/events/:id/orders/:oid/refund":               needManager,
	"POST /manage/events/:id/orders/:oid/mark-paid":            needManager,
	"GET /manage/events/:id/networking":                        needManager,
	"POST /manage/events/:id/networking":                       needManager,
	"POST /manage/events/:id/networking/blocks":                needManager,
	"POST /manage/events/:id/networking/blocks/:bid/delete":    needManager,
	"POST /manage/events/:id/networking/locations":             needManager,
	"POST /manage/events/:id/networking/locations/:lid/delete": needManager,
	"GET /manage/events/:id/meetings":                          needManager,
	"GET /manage/events/:id/meetings/plan":                     needManager,
	"GET /manage/events/:id/meetings/plan.csv":                 needManager,
	"POST /manage/events/:id/meetings":                         needManager,
	"POST /manage/events/:id/meetings/:mid/move":               needManager,
	"POST /manage/events/:id/meetings/:mid/cancel":             needManager,
	"POST /manage/events/:id/meetings/:mid/noshow":             needManager,
	"POST /manage/events/:id/meetings/schedule":                needManager,
	"POST /manage/events/:id/meetings/closures":                needManager,
	"POST /manage/events/:id/meetings/closures/reopen":         needManager,

	// Copy, preview and delete an event (app/manage_event_*.go).
	"GET /manage/events/:id/copy":    needManager,
	"POST /manage/events/:id/copy":   needManager,
	"GET /manage/events/:id/preview": needManager,
	"GET /manage/events/:id/delete":  needManager,
	"POST /manage/events/:id/delete": needManager,
	// Reminders and reply-to (event mail): managers and owners per event;
	// the organization's contact, owners only.
	"GET /manage/events/:id/reminders":  needManager,
	"POST /manage/events/:id/reminders": needManager,
	"GET /manage/orgs/:orgID/settings":  needOwner,
	"POST /manage/orgs/:orgID/settings": needOwner,
	// Messages to registrants.
	"GET /manage/events/:id/messages":      needManager,
	"POST /manage/events/:id/messages":     needManager,
	"GET /manage/events/:id/messages/:mid": needManager,
	// Badges (app/manage_badges.go): sheets for managers, one badge at the door.
	"GET /manage/events/:id/badges":                       needManager,
	"GET /manage/events/:id/badges.pdf":                   needManager,
	"GET /manage/events/:id/registrations/:aid/badge.pdf": needCheckin,
	// Certificates of attendance (app/certificates.go).
	"GET /manage/events/:id/certificates":       needManager,
	"POST /manage/events/:id/certificates":      needManager,
	"POST /manage/events/:id/certificates/send": needManager,
	// Retention of personal data (app/manage_retention.go): owners only.
	"GET /manage/events/:id/retention":            needOwner,
	"POST /manage/events/:id/retention":           needOwner,
	"GET /manage/events/:id/retention/anonymise":  needOwner,
	"POST /manage/events/:id/retention/anonymise": needOwner,
	"POST /manage/orgs/:orgID/settings/retention": needOwner,

	// Embedding (app/manage_embed.go, embed-feeds): the sites allowed to
	// embed are the owners'; the snippet page is for anyone running events.
	"GET /manage/orgs/:orgID/embed":  needOwner,
	"POST /manage/orgs/:orgID/embed": needOwner,
	"GET /manage/events/:id/embed":   needManager,

	// Managers see who is on the team; only owners change it.
	"GET /manage/orgs/:orgID/team":                 needManager,
	"POST /manage/orgs/:orgID/team":                needOwner,
	"POST /manage/orgs/:orgID/team/:userID/role":   needOwner,
	"POST /manage/orgs/:orgID/team/:userID/remove": needOwner,
	// Team invitations and the access coordinator permission (issue 11,
	// invitations): owners change them; the invited person accepts signed in.
	"POST /manage/orgs/:orgID/team/invitations/:invID/resend":   needOwner,
	"POST /manage/orgs/:orgID/team/invitations/:invID/withdraw": needOwner,
	"POST /manage/orgs/:orgID/team/:userID/coordinator":         needOwner,
	"GET /manage/invitations/:token":                            needUser,
	"POST /manage/invitations/:token":                           needUser,

	// Two-factor sign-in (app/two_factor_*.go): the code step is public
	// (before the session starts), the own setup page is anyone's, the
	// organization's requirement the owners'.
	"GET /manage/login/code":                            needPublic,
	"POST /manage/login/code":                           needPublic,
	"GET /manage/account/two-factor":                    needUser,
	"POST /manage/account/two-factor":                   needUser,
	"POST /manage/account/two-factor/recovery-codes":    needUser,
	"POST /manage/account/two-factor/disable":           needUser,
	"GET /manage/orgs/:orgID/two-factor":                needOwner,
	"POST /manage/orgs/:orgID/two-factor":               needOwner,
	"POST /manage/orgs/:orgID/two-factor/reset/:userID": needOwner,
	// The organization's audit log (issue 11): owners only.
	"GET /manage/orgs/:orgID/audit":     needOwner,
	"GET /manage/orgs/:orgID/audit.csv": needOwner,
	// API tokens (issue 14, app/manage_api_tokens.go): owners only.
	"GET /manage/orgs/:orgID/api-tokens":                  needOwner,
	"POST /manage/orgs/:orgID/api-tokens":                 needOwner,
	"GET /manage/orgs/:orgID/api-tokens/:tokenID/revoke":  needOwner,
	"POST /manage/orgs/:orgID/api-tokens/:tokenID/revoke": needOwner,

	// Live boards, moderation and polls (issue 15, app/live_moderation.go).
	"GET /manage/events/:id/boards":                           needManager,
	"GET /manage/events/:id/sessions/:sid/board":              needManager,
	"POST /manage/events/:id/sessions/:sid/board":             needManager,
	"GET /manage/events/:id/sessions/:sid/board/posts":        needManager,
	"GET /manage/events/:id/sessions/:sid/board/posts.csv":    needManager,
	"POST /manage/events/:id/sessions/:sid/board/code":        needManager,
	"POST /manage/events/:id/sessions/:sid/board/moderate":    needManager,
	"POST /manage/events/:id/sessions/:sid/board/polls":       needManager,
	"POST /manage/events/:id/sessions/:sid/board/polls/state": needManager,
	// Webhook endpoints and their delivery log (issue 14): owners only.
	"GET /manage/orgs/:orgID/webhooks":                                        needOwner,
	"POST /manage/orgs/:orgID/webhooks":                                       needOwner,
	"GET /manage/orgs/:orgID/webhooks/:hookID":                                needOwner,
	"POST /manage/orgs/:orgID/webhooks/:hookID":                               needOwner,
	"POST /manage/orgs/:orgID/webhooks/:hookID/test":                          needOwner,
	"POST /manage/orgs/:orgID/webhooks/:hookID/rotate":                        needOwner,
	"POST /manage/orgs/:orgID/webhooks/:hookID/delete":                        needOwner,
	"POST /manage/orgs/:orgID/webhooks/:hookID/deliveries/:deliveryID/resend": needOwner,

	"GET /admin/":                  needAdmin,
	"GET /admin/orgs/new":          needAdmin,
	"POST /admin/orgs/new":         needAdmin,
	"GET /admin/orgs/:id/edit":     needAdmin,
	"POST /admin/orgs/:id/edit":    needAdmin,
	"POST /admin/orgs/:id/members": needAdmin,
	// The first owner's invitation, before any owner can (issue 11).
	"POST /admin/orgs/:id/invitations/:invID/resend":   needAdmin,
	"POST /admin/orgs/:id/invitations/:invID/withdraw": needAdmin,
}

// organizerRoute is one registered GET or POST under /manage or /admin.
type organizerRoute struct{ Method, Path string }

// organizerRoutes walks the app's routes, in the order Fiber matches them.
func organizerRoutes(f *fiber.App) []organizerRoute {
	var out []organizerRoute
	seen := map[organizerRoute]bool{}
	for _, r := range f.GetRoutes(true) {
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			continue
		}
		if !strings.HasPrefix(r.Path, "/manage") && !strings.HasPrefix(r.Path, "/admin") {
			continue
		}
		k := organizerRoute{r.Method, r.Path}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// rolesWorld is one organization's event with a record of every kind the
// organizer routes name, and a person of each role.
type rolesWorld struct {
	app    *fiber.App
	db     *gorm.DB
	org    *models.Organization
	params map[string]string // "segment/:param" or ":param" → value
	form   url.Values
}

// rolesPeople are the people the test signs in as ("" = anonymous).
var rolesPeople = []struct{ Name, Email string }{
	{"anonymous", ""},
	{"checkin", "door-roles@example.org"},
	{"manager", "manager-roles@example.org"},
	{"owner", "owner-roles@example.org"},
	{"other-org", "owner-elsewhere@example.org"},
	{"site-admin", "admin-roles@example.org"},
}

func newRolesWorld(t *testing.T) rolesWorld {
	t.Helper()
	f, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "roles", 2, models.ModeRequests)
	org := fx.Org
	modeltest.Organizer(t, db, org.Name, "door-roles@example.org", models.RoleCheckin)
	modeltest.Organizer(t, db, org.Name, "manager-roles@example.org", models.RoleManager)
	_, extra := modeltest.Organizer(t, db, org.Name, "extra-roles@example.org", models.RoleManager)
	modeltest.Organizer(t, db, "Org elsewhere", "owner-elsewhere@example.org", models.RoleOwner)
	if _, err := models.CreateUser(db, "admin-roles@example.org", "Admin", modeltest.Password, true); err != nil {
		t.Fatal(err)
	}
	ag := newAgendaFixture(t, db, fx.Event)
	reg := newRegFixture(t, db, fx.Event)
	mtg := bookedMeeting(t, db, fx)
	blocks, _ := models.EventBlocks(db, fx.Event.ID)
	locs, _ := models.EventLocations(db, fx.Event.ID)
	id := func(n uint) string { return fmt.Sprint(n) }
	imp, err := models.CreateImport(db, fx.Event.ID, models.Actor{Name: "Roles"}, "guests.csv",
		[]models.ImportLine{{Line: 2, Name: "Guest Roles", Email: "guest-roles@example.org"}}, Languages, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{
		"import/:iid": id(imp.ID), // staff registrations (issue 10)
		"events/:id":  id(fx.Event.ID), "orgs/:orgID": id(org.ID), "orgs/:id": id(org.ID),
		"rooms/:itemID": id(ag.Room.ID), "tracks/:itemID": id(ag.Track.ID), "speakers/:itemID": id(ag.Speaker.ID),
		"sessions/:sid": id(ag.Session.ID), "tickets/:tid": id(reg.Ticket.ID), "questions/:qid": id(reg.Plain.ID),
		"registrations/:aid": id(reg.Attendee.ID), ":action": "cancel", "vouchers/:vid": id(reg.Voucher.ID),
		"orders/:oid": id(reg.Order.ID), "blocks/:bid": id(blocks[0].ID), "locations/:lid": id(locs[0].ID),
		"meetings/:mid": id(mtg.ID), "team/:userID": id(extra.ID), "reset/:userID": id(extra.ID),
	}
	params["messages/:mid"] = id(queuedTestMessage(t, db, fx.Event.ID)) // messages to registrants
	fbForm, fbQuestion := rolesFeedbackForm(t, db, fx.Event.ID)         // feedback questionnaires (issue 15)
	params["feedback/:fid"], params["questions/:fqid"] = id(fbForm), id(fbQuestion)
	// Team invitations (issue 11): one the owner resends and withdraws, one
	// whose link each person opens.
	inv, _ := rolesInvitation(t, db, org.ID, "invitee-roles@example.org")
	_, invToken := rolesInvitation(t, db, org.ID, "invitee2-roles@example.org")
	params["invitations/:invID"], params["invitations/:token"] = id(inv.ID), invToken
	params["api-tokens/:tokenID"] = id(rolesAPIToken(t, db, org.ID)) // API tokens (issue 14)
	// Webhooks (issue 14): an endpoint of the organization with one delivery.
	hookID, deliveryID := rolesWebhook(t, db, org.ID)
	params["webhooks/:hookID"], params["deliveries/:deliveryID"] = id(hookID), id(deliveryID)
	form := hostileValues()
	for k, v := range map[string]string{"slot": id(fx.Slots[1].ID), "location": id(locs[1].ID), "enabled": "yes",
		"mode": "wishes", "prefix": "Hijack", "count": "2", "noshow": "yes", "participant": id(mtg.AParticipantID), "role": models.RoleOwner,
		"starts_at": localInputOf(fx.Event, fx.Event.StartsAt.Add(30*3600e9)), "ends_at": localInputOf(fx.Event, fx.Event.StartsAt.Add(31*3600e9)),
		"slot_minutes": "20", "break_minutes": "5", "kind": "tables"} {
		form.Set(k, v)
	}
	return rolesWorld{app: f, db: db, org: org, params: params, form: form}
}

var routeParam = regexp.MustCompile(`:[A-Za-z]+`)

// url fills a route's parameters with the world's records.
func (w rolesWorld) url(t *testing.T, path string) string {
	t.Helper()
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if !strings.HasPrefix(p, ":") {
			continue
		}
		name, suffix := p, ""
		if dot := strings.IndexByte(p, '.'); dot > 0 {
			name, suffix = p[:dot], p[dot:]
		}
		v, ok := w.params[parts[i-1]+"/"+name]
		if !ok {
			v, ok = w.params[name]
		}
		if !ok {
			t.Fatalf("route %s: no test value for %s", path, p)
		}
		parts[i] = v + suffix
	}
	return strings.Join(parts, "/")
}

// rolesSnapshot is dbSnapshot plus the networking tables.
func rolesSnapshot(t *testing.T, db *gorm.DB) string {
	t.Helper()
	s := dbSnapshot(t, db)
	for _, q := range []string{"SELECT id, status, slot_id, location_id FROM meetings ORDER BY id",
		"SELECT id, starts_at, ends_at FROM meeting_blocks ORDER BY id", "SELECT id, name FROM meeting_locations ORDER BY id",
		"SELECT event_id, enabled, mode FROM networking_settings ORDER BY event_id"} {
		var rows []map[string]any
		if err := db.Raw(q).Scan(&rows).Error; err != nil {
			t.Fatalf("snapshot %s: %v", q, err)
		}
		s += fmt.Sprint(rows) + "\n"
	}
	return s
}

// allowed reports whether the person may use a route of the given need.
// Check-in staff, the manager and the owner belong to the world's
// organization; the other organization's owner and the site admin do not,
// so they pass only where no organization's record is named.
func allowed(person, need, path string) bool {
	orgScoped := strings.HasPrefix(path, "/manage/events/:id") || strings.HasPrefix(path, "/manage/orgs/:orgID")
	rank := map[string]int{needCheckin: 1, needManager: 2, needOwner: 3}
	switch need {
	case needAdmin:
		return person == "site-admin"
	case needUser:
		return person != "anonymous"
	}
	switch person {
	case "anonymous", "site-admin":
		return false
	case "other-org":
		return !orgScoped && rank[models.RoleOwner] >= rank[need]
	}
	return rank[person] >= rank[need]
}

// destructiveRank orders routes so destructive ones run last, and deleting
// the event itself after every other, so none takes away what the others use.
func destructiveRank(p string) int {
	switch {
	case p == "/manage/events/:id/delete":
		return 2
	case destructive(p):
		return 1
	}
	return 0
}

// destructive routes run last, so they do not take away what the others use.
func destructive(p string) bool {
	for _, s := range []string{"/delete", "/remove", "/cancel", "/:action"} {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	return false
}

// TestEveryOrganizerRouteChecksTheRole requests every organizer and admin
// route as each kind of person, GET and POST with a valid CSRF token, and
// checks who gets in; those who do not change nothing.
func TestEveryOrganizerRouteChecksTheRole(t *testing.T) {
	f, _ := newTestApp(t)
	routes := organizerRoutes(f)
	for _, r := range routes {
		if _, ok := organizerRouteNeeds[r.Method+" "+r.Path]; !ok {
			t.Errorf("%s %s has no entry in organizerRouteNeeds: say who may use it", r.Method, r.Path)
		}
	}
	if t.Failed() {
		return
	}
	sort.SliceStable(routes, func(i, j int) bool {
		if routes[i].Method != routes[j].Method {
			return routes[i].Method == http.MethodGet
		}
		return destructiveRank(routes[i].Path) < destructiveRank(routes[j].Path)
	})
	for _, p := range rolesPeople {
		t.Run(p.Name, func(t *testing.T) {
			w := newRolesWorld(t)
			c := newClient(t, w.app)
			if p.Email != "" {
				c.signIn(p.Email)
			}
			for _, r := range routes {
				need := organizerRouteNeeds[r.Method+" "+r.Path]
				if need == needPublic {
					continue
				}
				u := w.url(t, r.Path)
				ok := allowed(p.Name, need, r.Path)
				var before string
				var res response
				if r.Method == http.MethodGet {
					res = c.get(u)
				} else {
					c.get("/manage/login") // a fresh, valid CSRF token for this person
					if !ok {
						before = rolesSnapshot(t, w.db)
					}
					form := url.Values{}
					for k, v := range w.form {
						form[k] = v
					}
					res = c.post(u, form)
				}
				where := fmt.Sprintf("%s %s as %s", r.Method, u, p.Name)
				switch {
				case res.Status >= 500:
					t.Errorf("%s: %d\n%s", where, res.Status, res.Body)
				case p.Name == "anonymous":
					if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/manage/login") {
						t.Errorf("%s: %d %s, want the sign-in page", where, res.Status, res.Location)
					}
				case ok:
					if res.Status == http.StatusForbidden || res.Status == http.StatusNotFound ||
						(r.Method == http.MethodGet && res.Status != http.StatusOK) {
						t.Errorf("%s: %d, want it allowed", where, res.Status)
					}
				default:
					if res.Status != http.StatusForbidden && res.Status != http.StatusNotFound {
						t.Errorf("%s: %d, want 403 or 404", where, res.Status)
					}
				}
				if !ok && r.Method == http.MethodPost {
					if after := rolesSnapshot(t, w.db); after != before {
						t.Errorf("%s changed records:\n%s\n---\n%s", where, before, after)
					}
				}
			}
		})
	}
}

var organizerLink = regexp.MustCompile(`(href|action)="(/(?:manage|admin)[^"?#]*)"`)

// TestOrganizerPagesLinkOnlyWhereThePersonMayGo opens every page each
// person may see and checks each organizer link and form on it leads to a
// route that person may use: check-in staff are not shown the way to pages
// that would refuse them.
func TestOrganizerPagesLinkOnlyWhereThePersonMayGo(t *testing.T) {
	for _, p := range rolesPeople[1:] {
		t.Run(p.Name, func(t *testing.T) {
			w := newRolesWorld(t)
			routes := organizerRoutes(w.app)
			c := newClient(t, w.app)
			c.signIn(p.Email)
			for _, r := range routes {
				need := organizerRouteNeeds[r.Method+" "+r.Path]
				if r.Method != http.MethodGet || need == needPublic || !allowed(p.Name, need, r.Path) {
					continue
				}
				page := w.url(t, r.Path)
				res := c.get(page)
				for _, m := range organizerLink.FindAllStringSubmatch(res.Body, -1) {
					method := http.MethodGet
					if m[1] == "action" {
						method = http.MethodPost
					}
					route, ok := matchRoute(routes, method, m[2])
					if !ok {
						continue // not a route (a static file, say)
					}
					who := p.Name
					if who == "other-org" {
						who = "owner" // every organization it is shown is its own
					}
					if need := organizerRouteNeeds[route.Method+" "+route.Path]; need != needPublic && !allowed(who, need, route.Path) {
						t.Errorf("%s shows %s a %s to %s (%s), which they may not use", page, p.Name, m[1], m[2], need)
					}
				}
			}
		})
	}
}

// matchRoute finds the first route Fiber would match for method and path.
func matchRoute(routes []organizerRoute, method, path string) (organizerRoute, bool) {
	for _, r := range routes {
		if r.Method != method {
			continue
		}
		re := "^" + routeParam.ReplaceAllString(regexp.QuoteMeta(strings.TrimSuffix(r.Path, "/")), `[^/]+`) + "/?$"
		if regexp.MustCompile(re).MatchString(path) {
			return r, true
		}
	}
	return organizerRoute{}, false
}
