package app

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// postFile sends a multipart form with one file part, as a browser's
// upload does, with the CSRF token of the last page.
func (c *client) postFile(path, field, filename string, content []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf)
	fw, err := w.CreateFormFile(field, filename)
	if err != nil {
		c.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// uploadImport uploads content and returns the import it made.
func uploadImport(t *testing.T, c *client, db *gorm.DB, fx regFixture, name string, content []byte) *models.RegistrationImport {
	t.Helper()
	c.get(importURL(fx.Event))
	r := c.postFile(importURL(fx.Event), "file", name, content)
	mustStatus(t, r, http.StatusSeeOther, "upload "+name)
	var imp models.RegistrationImport
	if err := db.Order("id DESC").Take(&imp).Error; err != nil {
		t.Fatal(err)
	}
	if r.Location != fmt.Sprintf("%s/%d", importURL(fx.Event), imp.ID) {
		t.Fatalf("upload went to %q", r.Location)
	}
	return &imp
}

func confirmImportVia(t *testing.T, c *client, fx regFixture, imp *models.RegistrationImport, send bool) response {
	t.Helper()
	u := fmt.Sprintf("%s/%d", importURL(fx.Event), imp.ID)
	c.get(u)
	v := url.Values{}
	if send {
		v.Set("send_mail", "yes")
	}
	r := c.post(u+"/confirm", v)
	mustStatus(t, r, http.StatusSeeOther, "confirm import")
	return c.get(u)
}

func staffOrdersByEmail(t *testing.T, db *gorm.DB, eventID uint) map[string]int {
	t.Helper()
	var rows []struct {
		Email string
		N     int
	}
	if err := db.Raw(`SELECT attendees.email AS email, COUNT(*) AS n FROM attendees JOIN orders ON orders.id = attendees.order_id
		WHERE attendees.event_id = ? AND orders.status IN ('pending','confirmed') AND attendees.status = 'active' GROUP BY attendees.email`, eventID).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Email] = r.N
	}
	return out
}

func TestImportInviteesPreviewThenCreate(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	staffTicket(t, db, fx, "Speakers", 0, 10, true)
	file := "\ufeffNombre;Correo;Organización;Tipo de entrada;Idioma\r\n" +
		"Ana Invitee;ana@example.org;Hospital Norte;Speakers;es\r\n" +
		";nobody@example.org;;Speakers;en\r\n" +
		"Bad Mail;not-an-email;;Speakers;en\r\n" +
		"Who Knows;who@example.org;;Backstage;en\r\n" +
		"Ana Again;ANA@example.org;;Speakers;es\r\n" +
		"Rosa Known;rosa@example.org;;Speakers;en\r\n" +
		"\"Luis <b>Bold</b>\";luis@example.org;\"Care; Coop\";speakers;\r\n" +
		"Klingon Speaker;k@example.org;;Speakers;tlh\r\n" +
		";;;;\r\n"
	imp := uploadImport(t, c, db, fx, "guests.csv", []byte(file))
	r := c.get(fmt.Sprintf("%s/%d", importURL(fx.Event), imp.ID))
	mustStatus(t, r, http.StatusOK, "preview")
	mustContain(t, r.Body, "preview", "guests.csv", "The name is missing.", "The e-mail address is missing or not valid.",
		"No ticket type has this name.", "This e-mail is in the file more than once.", "Already registered.", "Unknown language",
		"Ana Invitee", "Hospital Norte", "Luis &lt;b&gt;Bold&lt;/b&gt;", "Register 2 people")
	if strings.Contains(r.Body, "<b>Bold</b>") {
		t.Fatal("a name from the file is not escaped")
	}
	var orders int64
	db.Model(&models.Order{}).Count(&orders)
	if orders != 1 {
		t.Fatalf("the preview created orders: %d", orders)
	}

	r = confirmImportVia(t, c, fx, imp, true)
	mustContain(t, r.Body, "done", "Done")
	got := staffOrdersByEmail(t, db, fx.Event.ID)
	if got["ana@example.org"] != 1 || got["luis@example.org"] != 1 || len(got) != 3 {
		t.Fatalf("registered %v", got)
	}
	var ana models.Order
	db.Preload("Attendees").Where("buyer_email = ?", "ana@example.org").Take(&ana)
	if ana.Status != models.OrderConfirmed || ana.Total != 0 || ana.Language != "es" || ana.Attendees[0].Organization != "Hospital Norte" {
		t.Fatalf("imported order %+v", ana)
	}
	if n := outboxCount(t, db, models.MailOrderConfirmation, ana.ID); n != 1 {
		t.Fatalf("confirmations %d", n)
	}
	var luis models.Attendee
	db.Where("email = ?", "luis@example.org").Take(&luis)
	if luis.Organization != "Care; Coop" {
		t.Fatalf("quoted separator: %q", luis.Organization)
	}
	mustContain(t, c.get(fmt.Sprintf("%s/%d", registrationsURL(fx.Event), luis.ID)).Body, "imported", "registered from an import", "from an import")

	// The same file again: everyone is already registered; nothing doubles.
	imp2 := uploadImport(t, c, db, fx, "guests.csv", []byte(file))
	r = c.get(fmt.Sprintf("%s/%d", importURL(fx.Event), imp2.ID))
	mustContain(t, r.Body, "second preview", "There is no one to register in this file.")
	_, counts, _ := models.ImportOfEvent(db, fx.Event.ID, imp2.ID)
	if counts[models.ImportRowPending] != 0 || counts[models.ImportRowRegistered] != 3 {
		t.Fatalf("second import counts %v", counts)
	}
	// Confirming again changes nothing either.
	c.post(fmt.Sprintf("%s/%d/confirm", importURL(fx.Event), imp.ID), nil)
	if got2 := staffOrdersByEmail(t, db, fx.Event.ID); len(got2) != 3 {
		t.Fatalf("after a second confirm: %v", got2)
	}
	checkCounters(t, db)
}

func TestImportFileProblemsAreShownBesideTheField(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	u := importURL(fx.Event)
	many := strings.Builder{}
	many.WriteString("name,email\n")
	for i := 0; i <= models.MaxImportRows; i++ {
		fmt.Fprintf(&many, "Person %d,p%d@example.org\n", i, i)
	}
	cases := []struct {
		name    string
		content []byte
		want    string
	}{
		{"empty", nil, "The file is empty"},
		{"only spaces", []byte("  \r\n \n"), "The file is empty"},
		{"header only", []byte("name,email\n"), "The file is empty"},
		{"no header", []byte("Ana,ana@example.org\n"), "The first row must name the columns"},
		{"nul bytes", []byte("name,email\nAna\x00,ana@example.org\n"), "This is not a CSV text file"},
		{"binary", []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"), "This is not a CSV text file"},
		{"too many rows", []byte(many.String()), "The file has too many rows: at most 10000"},
	}
	for _, tc := range cases {
		c.get(u)
		r := c.postFile(u, "file", tc.name+".csv", tc.content)
		mustStatus(t, r, http.StatusUnprocessableEntity, tc.name)
		mustContain(t, r.Body, tc.name, `id="f-file-error"`, tc.want)
	}
	// A form without a file (a hostile crawler, an old browser).
	c.get(u)
	r := c.post(u, url.Values{"file": {"<script>"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "no file part")
	mustContain(t, r.Body, "no file part", "Choose a file to upload.")
	// A file over the import's limit (the body still under the site's 2 MiB).
	c.get(u)
	r = c.postFile(u, "file", "huge.csv", append([]byte("name,email\n"), bytes.Repeat([]byte("a"), models.MaxImportBytes+40_000)...))
	mustStatus(t, r, http.StatusUnprocessableEntity, "huge")
	mustContain(t, r.Body, "huge", `id="f-file-error"`, "The file is too large: at most 2 MB")
	var imports int64
	db.Model(&models.RegistrationImport{}).Count(&imports)
	if imports != 0 {
		t.Fatalf("bad files made %d imports", imports)
	}
}

func TestImportReadsWindowsEncodedFiles(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	text := "name,e-mail,organization\nJosé Núñez,jose@example.org,Fundación Señorío\n"
	latin, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	imp := uploadImport(t, c, db, fx, "excel.csv", latin)
	rows, _ := models.ImportRows(db, imp.ID, 10)
	if len(rows) != 1 || rows[0].Name != "José Núñez" || rows[0].Organization != "Fundación Señorío" || rows[0].State != models.ImportRowPending {
		t.Fatalf("rows %+v", rows)
	}
	confirmImportVia(t, c, fx, imp, false)
	var a models.Attendee
	if err := db.Where("email = ?", "jose@example.org").Take(&a).Error; err != nil || a.Name != "José Núñez" {
		t.Fatalf("attendee %+v %v", a, err)
	}
}

// A ticket type that fills up during an import: the rest are "no room".
func TestImportStopsAtCapacity(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	staffTicket(t, db, fx, "Few seats", 0, 3, false)
	file := "name,email,ticket type\n"
	for i := 0; i < 5; i++ {
		file += fmt.Sprintf("Seat %d,seat%d@example.org,Few seats\n", i, i)
	}
	imp := uploadImport(t, c, db, fx, "seats.csv", []byte(file))
	r := confirmImportVia(t, c, fx, imp, false)
	mustContain(t, r.Body, "no room", "No room left in this ticket type.")
	_, counts, _ := models.ImportOfEvent(db, fx.Event.ID, imp.ID)
	if counts[models.ImportRowCreated] != 3 || counts[models.ImportRowNoRoom] != 2 {
		t.Fatalf("counts %v", counts)
	}
	checkCounters(t, db)
}

// 10,000 rows: previewed at once, then created by the confirming request
// (the first rows) and by runs of the job. A run that dies holding the
// import is taken over once its lease ran out. On PostgreSQL (a network
// round trip per statement) the test creates the first 3,000 rows and
// leaves the rest pending, to keep the suite's time in bounds.
func TestImportTenThousandRows(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	db.Model(&models.TicketType{}).Where("id = ?", fx.Ticket.ID).Update("capacity", 0)
	rows := models.MaxImportRows
	if testing.Short() {
		rows = 2000
	}
	create := rows
	if modeltest.Engine() == "postgres" {
		create = min(rows, 3000)
	}
	var b strings.Builder
	b.WriteString("name,email\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "Person %d,person%d@example.org\n", i, i)
	}
	start := time.Now()
	imp := uploadImport(t, c, db, fx, "big.csv", []byte(b.String()))
	r := c.get(fmt.Sprintf("%s/%d", importURL(fx.Event), imp.ID))
	// Counts from 1,000 on are written with the language's digit groups.
	mustContain(t, r.Body, "big preview", "Register 10,000 people", "10,000 rows will be registered")
	t.Logf("upload and preview of %d rows: %v", rows, time.Since(start))
	start = time.Now()
	r = confirmImportVia(t, c, fx, imp, false)
	mustContain(t, r.Body, "running", fmt.Sprintf("%d registered, %d to go", importNowRows, rows-importNowRows))
	// A run that claims the import and dies: no one else may work on it
	// until its lease runs out; then another run resumes where it stopped.
	now := time.Now()
	if _, err := models.ProcessImport(db, imp.ID, "dying", now, 100); err != nil {
		t.Fatal(err)
	}
	db.Model(&models.RegistrationImport{}).Where("id = ?", imp.ID).Updates(map[string]any{"claimed_by": "dying", "claimed_until": now.Add(models.ImportLease)})
	if ids, _ := models.ImportsDue(db, now, 5); len(ids) != 0 {
		t.Fatalf("an import held by a live run is due: %v", ids)
	}
	later := now.Add(models.ImportLease + time.Second)
	done, err := models.ProcessImport(db, imp.ID, "next", later, create-importNowRows-100)
	if err != nil {
		t.Fatal(err)
	}
	if done != (create == rows) {
		t.Fatalf("done = %v after %d of %d rows", done, create, rows)
	}
	t.Logf("creating %d registrations on %s: %v", create, modeltest.Engine(), time.Since(start))
	_, counts, _ := models.ImportOfEvent(db, fx.Event.ID, imp.ID)
	if counts[models.ImportRowCreated] != create || counts[models.ImportRowPending] != rows-create {
		t.Fatalf("counts %v", counts)
	}
	if create == rows {
		mustContain(t, c.get(fmt.Sprintf("%s/%d", importURL(fx.Event), imp.ID)).Body, "done", "Done")
	}
	checkCounters(t, db)
}

// Two imports of the same file confirmed and run at once (two instances):
// each person is registered once.
func TestImportRaceRegistersEachPersonOnce(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	var b strings.Builder
	b.WriteString("name,email\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "Racer %d,racer%d@example.org\n", i, i)
	}
	a := uploadImport(t, c, db, fx, "race.csv", []byte(b.String()))
	bb := uploadImport(t, c, db, fx, "race.csv", []byte(b.String()))
	db.Model(&models.TicketType{}).Where("id = ?", fx.Ticket.ID).Update("capacity", 100)
	for _, imp := range []*models.RegistrationImport{a, bb} {
		if err := models.ConfirmImport(db, fx.Event.ID, imp.ID, true, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i, imp := range []*models.RegistrationImport{a, bb, a, bb} {
		wg.Add(1)
		go func(holder string, id uint) {
			defer wg.Done()
			for {
				done, err := models.ProcessImport(db, id, holder, time.Now(), 7)
				if err != nil {
					errs <- err
					return
				}
				if done {
					return
				}
				var st string
				db.Model(&models.RegistrationImport{}).Where("id = ?", id).Pluck("status", &st)
				if st == models.ImportDone {
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
		}(fmt.Sprintf("instance-%d", i), imp.ID)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := staffOrdersByEmail(t, db, fx.Event.ID)
	for i := 0; i < 40; i++ {
		if n := got[fmt.Sprintf("racer%d@example.org", i)]; n != 1 {
			t.Fatalf("racer%d registered %d times", i, n)
		}
	}
	var mails int64
	db.Model(&models.OutboxMessage{}).Where("kind = ? AND to_addr LIKE ?", models.MailOrderConfirmation, "racer%").Count(&mails)
	if mails != 40 {
		t.Fatalf("%d confirmations for 40 people", mails)
	}
	checkCounters(t, db)
}

// Every form of the staff pages, posted with hostile values in each field,
// comes back with a message and never a server error; the hostile file
// name of an upload is shown escaped.
func TestStaffFormsSurviveHostileInput(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	base := registrationsURL(fx.Event)
	att := fmt.Sprintf("%s/%d", base, fx.Attendee.ID)
	pages := []string{base + "/new?count=2", att + "/edit", att + "/move", importURL(fx.Event)}
	posts := 0
	for _, p := range pages {
		for _, fm := range crawl(t, c, []string{p}, 1)[0].forms {
			if !strings.HasPrefix(fm.action, base) {
				continue
			}
			for _, field := range fm.fields {
				for _, hv := range hostileInputs {
					c.get(p)
					v := url.Values{}
					for _, other := range fm.fields {
						v.Set(other, fm.values[other])
					}
					v.Set(field, hv)
					res := c.post(fm.action, v)
					posts++
					if res.Status >= 500 {
						t.Errorf("POST %s with %.20q in %s: %d\n%.400s", fm.action, hv, field, res.Status, res.Body)
					}
				}
			}
		}
	}
	if posts < 40 {
		t.Fatalf("only %d posts", posts)
	}
	c.get(importURL(fx.Event))
	r := c.postFile(importURL(fx.Event), "file", "../<img src=x onerror=alert(1)>\xff.csv", []byte("name,email\n<script>alert(1)</script>,x@example.org\n"))
	mustStatus(t, r, http.StatusSeeOther, "hostile file name")
	body := c.get(r.Location).Body
	if strings.Contains(body, "<img src=x") || strings.Contains(body, "<script>alert") {
		t.Fatal("file name or content shown unescaped")
	}
	checkCounters(t, db)
}
