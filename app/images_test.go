package app

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// picture encodes a w×h gradient as "jpeg" or "png".
func picture(t *testing.T, w, h int, format string) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 90, 255})
		}
	}
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// decompressionBomb is a valid PNG header claiming w×h pixels, a few dozen bytes.
func decompressionBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6
	for _, ch := range []struct {
		kind string
		data []byte
	}{{"IHDR", ihdr}, {"IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}}, {"IEND", nil}} {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(ch.data)))
		b.WriteString(ch.kind)
		b.Write(ch.data)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(ch.kind), ch.data...)))
	}
	return b.Bytes()
}

// postPicture sends a multipart form with one file (named name) and fields,
// with the CSRF token of the last page seen.
func (c *client) postPicture(path, field, name string, data []byte, fields url.Values) response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	if field != "" {
		fw, err := w.CreateFormFile(field, name)
		if err != nil {
			c.t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func imageCount(t *testing.T, db *gorm.DB) (images, variants int64) {
	t.Helper()
	db.Model(&models.Image{}).Count(&images)
	db.Model(&models.ImageVariant{}).Count(&variants)
	return images, variants
}

var imgSrc = regexp.MustCompile(`/images/([0-9a-f]{32})-(\d+)\.jpg`)

func TestEventImageUploadedShownServedAndRemoved(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "with-picture", models.StatusPublished)
	c := newClient(t, f)
	c.signIn("a@example.org")
	edit := fmt.Sprintf("/manage/events/%d/edit", e.ID)
	mustContain(t, c.get(edit).Body, "edit page", `enctype="multipart/form-data"`, "The event has no picture yet")

	r := c.postPicture(fmt.Sprintf("/manage/events/%d/image", e.ID), "image", "hall.jpg", picture(t, 2000, 1500, "jpeg"),
		url.Values{"image_alt": {"People talking in a bright hall"}})
	mustStatus(t, r, http.StatusSeeOther, "upload")
	if imgs, vars := imageCount(t, db); imgs != 1 || vars != 3 {
		t.Fatalf("stored %d images, %d variants; want 1 and 3", imgs, vars)
	}
	var entry models.AuditEntry
	if err := db.Where("action = ? AND event_id = ?", models.AuditImageChanged, e.ID).First(&entry).Error; err != nil {
		t.Fatalf("upload not audited: %v", err)
	}

	// The home card: an img with its size, srcset and lazy loading.
	home := c.get("/")
	card := regexp.MustCompile(`<img class="card-cover"[^>]*>`).FindString(home.Body)
	for _, want := range []string{`-400.jpg"`, `srcset="/images/`, `800w`, `1200w`, `width="400"`, `height="225"`, `loading="lazy"`, `alt="People talking in a bright hall"`} {
		if !strings.Contains(card, want) {
			t.Fatalf("home card image lacks %s: %q", want, card)
		}
	}
	// The event page: banner, og:image with its size, twitter card, JSON-LD.
	page := c.get("/events/with-picture").Body
	hash := imgSrc.FindStringSubmatch(card)[1]
	mustContain(t, page, "event page", `<img class="event-cover"`,
		`<meta property="og:image" content="http://agora.test/images/`+hash+`-1200.jpg">`,
		`<meta property="og:image:width" content="1200">`, `<meta property="og:image:height" content="675">`,
		`<meta name="twitter:card" content="summary_large_image">`, `"image":["http://agora.test/images/`+hash+`-1200.jpg"`)

	// Served with a year's cache, a validator, and no session.
	anon := newClient(t, f)
	img := anon.get("/images/" + hash + "-800.jpg")
	if img.Status != http.StatusOK || img.Header.Get("Content-Type") != "image/jpeg" ||
		!strings.Contains(img.Header.Get("Cache-Control"), "immutable") || img.Header.Get("ETag") == "" || img.Header.Get("Set-Cookie") != "" {
		t.Fatalf("serving: %d %v", img.Status, img.Header)
	}
	if cfg, err := jpeg.DecodeConfig(strings.NewReader(img.Body)); err != nil || cfg.Width != 800 || cfg.Height != 450 {
		t.Fatalf("served variant: %v %+v", err, cfg)
	}
	req := httptest.NewRequest(http.MethodGet, "/images/"+hash+"-800.jpg", nil)
	req.Header.Set("If-None-Match", img.Header.Get("ETag"))
	if r := anon.do(req); r.Status != http.StatusNotModified {
		t.Fatalf("revalidation: %d", r.Status)
	}
	for _, bad := range []string{hash + "-801.jpg", hash + "-800.png", "../" + hash + "-800.jpg", strings.Repeat("0", 32) + "-800.jpg"} {
		if r := anon.get("/images/" + bad); r.Status != http.StatusNotFound {
			t.Errorf("/images/%s: %d", bad, r.Status)
		}
	}

	// Only the text alternative, without a new file.
	c.get(edit)
	mustStatus(t, c.postPicture(fmt.Sprintf("/manage/events/%d/image", e.ID), "", "", nil, url.Values{"image_alt": {""}}), http.StatusSeeOther, "alt only")
	mustContain(t, c.get("/events/with-picture").Body, "decorative banner", `alt="" fetchpriority="high"`)

	// Removed: no picture anywhere, the card keeps its coloured block, nothing left stored.
	c.get(edit)
	mustStatus(t, c.post(fmt.Sprintf("/manage/events/%d/image/remove", e.ID), nil), http.StatusSeeOther, "remove")
	page = c.get("/events/with-picture").Body
	if strings.Contains(page, "/images/") || !strings.Contains(page, `<meta name="twitter:card" content="summary">`) {
		t.Fatal("the removed picture is still on the event page")
	}
	mustContain(t, c.get("/").Body, "home without picture", `class="card-cover card-cover-none kind-forum" aria-hidden="true"`)
	if imgs, vars := imageCount(t, db); imgs != 0 || vars != 0 {
		t.Fatalf("after removal %d images, %d variants are left", imgs, vars)
	}
	if r := anon.get("/images/" + hash + "-800.jpg"); r.Status != http.StatusNotFound {
		t.Fatalf("removed picture still served: %d", r.Status)
	}
	var removal models.AuditEntry
	if err := db.Where("action = ? AND event_id = ?", models.AuditImageRemoved, e.ID).First(&removal).Error; err != nil {
		t.Fatalf("removal not audited: %v", err)
	}
}

func TestEventImageRefusedWithAMessageBesideTheField(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "refusals", models.StatusPublished)
	c := newClient(t, f)
	c.signIn("a@example.org")
	edit := fmt.Sprintf("/manage/events/%d/edit", e.ID)
	upload := fmt.Sprintf("/manage/events/%d/image", e.ID)
	tooLarge := append(picture(t, 40, 40, "jpeg"), make([]byte, models.MaxImageBytes)...)
	for name, tc := range map[string]struct {
		file, want string
		data       []byte
	}{
		"text named .jpg": {"photo.jpg", "is not a JPEG, PNG or WebP picture", []byte("Dear organizer, this is a letter, not a photo.\n")},
		"too large":       {"big.jpg", "larger than 8 MB", tooLarge},
		"bomb":            {"bomb.png", "at most 10000 pixels on a side and 40 megapixels", decompressionBomb(50_000, 50_000)},
		"no file":         {"", "Choose a picture file", nil},
	} {
		c.get(edit)
		field := "image"
		if tc.file == "" {
			field = ""
		}
		r := c.postPicture(upload, field, tc.file, tc.data, url.Values{"image_alt": {"Typed <alt> text"}})
		mustStatus(t, r, http.StatusUnprocessableEntity, name)
		mustContain(t, r.Body, name, `<p class="field-error" id="f-image-error">`, tc.want,
			`value="Typed &lt;alt&gt; text"`, `value="`+e.Title+`"`, `aria-invalid="true" aria-describedby="f-image-error f-image-hint"`)
	}
	c.get(edit)
	r := c.postPicture(upload, "image", "ok.png", picture(t, 500, 300, "png"), url.Values{"image_alt": {strings.Repeat("a", models.MaxImageAlt+1)}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "long alt")
	mustContain(t, r.Body, "long alt", `id="f-image_alt-error"`, "Use at most 300 characters")
	if imgs, _ := imageCount(t, db); imgs != 0 {
		t.Fatalf("%d images stored from refused uploads", imgs)
	}
	// In Spanish too.
	c.lang = "es"
	c.get(edit)
	r = c.postPicture(upload, "image", "photo.jpg", []byte("not a picture"), nil)
	mustContain(t, r.Body, "Spanish", "no es una imagen JPEG, PNG o WebP")
}

func TestAnotherOrganizationCannotTouchTheEventImage(t *testing.T) {
	f, db := newTestApp(t)
	orgA, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, "Org B", "b@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, orgA.ID, "theirs", models.StatusPublished)
	p, err := models.ProcessImage(picture(t, 800, 450, "jpeg"), models.PurposeCover)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.SetEventImage(db, e.ID, p, "Theirs", time.Now()); err != nil {
		t.Fatal(err)
	}
	before := dbSnapshot(t, db)
	imgs0, vars0 := imageCount(t, db)
	b := newClient(t, f)
	b.signIn("b@example.org")
	b.get("/manage")
	if r := b.postPicture(fmt.Sprintf("/manage/events/%d/image", e.ID), "image", "x.jpg", picture(t, 800, 450, "png"), nil); r.Status != http.StatusNotFound {
		t.Fatalf("other organization's upload: %d", r.Status)
	}
	if r := b.post(fmt.Sprintf("/manage/events/%d/image/remove", e.ID), nil); r.Status != http.StatusNotFound {
		t.Fatalf("other organization's removal: %d", r.Status)
	}
	if r := b.post(fmt.Sprintf("/manage/orgs/%d/logo/remove", orgA.ID), nil); r.Status != http.StatusNotFound {
		t.Fatalf("other organization's logo removal: %d", r.Status)
	}
	imgs, vars := imageCount(t, db)
	if dbSnapshot(t, db) != before || imgs != imgs0 || vars != vars0 {
		t.Fatal("a refused request changed something")
	}
	var n int64
	db.Model(&models.EventImage{}).Where("event_id = ?", e.ID).Count(&n)
	if n != 1 {
		t.Fatal("the event lost its picture")
	}
}

func TestOrganizationLogoOnTheEventPage(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	modeltest.Event(t, db, org.ID, "logo-event", models.StatusPublished)
	c := newClient(t, f)
	c.signIn("a@example.org")
	settings := fmt.Sprintf("/manage/orgs/%d/settings", org.ID)
	mustContain(t, c.get(settings).Body, "settings", "No logo yet")
	if r := c.get("/events/logo-event"); strings.Contains(r.Body, `class="org-logo"`) {
		t.Fatal("a logo before any was uploaded")
	}
	r := c.postPicture(fmt.Sprintf("/manage/orgs/%d/logo", org.ID), "logo", "logo.txt", []byte("plain text"), nil)
	mustStatus(t, r, http.StatusUnprocessableEntity, "text logo")
	mustContain(t, r.Body, "text logo", `id="f-logo-error"`, "is not a JPEG, PNG or WebP picture")
	c.get(settings)
	mustStatus(t, c.postPicture(fmt.Sprintf("/manage/orgs/%d/logo", org.ID), "logo", "logo.png", picture(t, 400, 200, "png"), nil), http.StatusSeeOther, "logo")
	page := c.get("/events/logo-event").Body
	logo := regexp.MustCompile(`<img class="org-logo"[^>]*>`).FindString(page)
	if !strings.Contains(logo, `-160.jpg"`) || !strings.Contains(logo, `width="160" height="80"`) || !strings.Contains(logo, `alt=""`) {
		t.Fatalf("logo on the event page: %q", logo)
	}
	var entry models.AuditEntry
	if err := db.Where("action = ? AND organization_id = ?", models.AuditLogoChanged, org.ID).First(&entry).Error; err != nil {
		t.Fatalf("logo not audited: %v", err)
	}
	c.get(settings)
	mustStatus(t, c.post(fmt.Sprintf("/manage/orgs/%d/logo/remove", org.ID), nil), http.StatusSeeOther, "remove logo")
	if strings.Contains(c.get("/events/logo-event").Body, `class="org-logo"`) {
		t.Fatal("removed logo still shown")
	}
}

// The upload routes take a picture's worth of body; every other route keeps
// the site's 2 MiB limit.
func TestLargerBodyOnlyOnTheUploadRoutes(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "limits", models.StatusPublished)
	c := newClient(t, f)
	c.signIn("a@example.org")
	big := bytes.Repeat([]byte("a"), 5<<20)
	// A real listener: fasthttp answers 413 itself, from the headers, before
	// reading the body (app.Test reports that as an error, not a response).
	base := startServer(t, nil)
	for _, path := range []string{"/manage/login", "/manage/events/1/edit", "/manage/events/1/image/../edit"} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: agora.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", path, len(big))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("5 MB to %s: %v", path, err)
		}
		res.Body.Close()
		conn.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("5 MB to %s: %d, want 413", path, res.StatusCode)
		}
	}
	c.get(fmt.Sprintf("/manage/events/%d/edit", e.ID))
	r := c.postPicture(fmt.Sprintf("/manage/events/%d/image", e.ID), "image", "x.jpg", append(picture(t, 600, 400, "jpeg"), big...), nil)
	if r.Status == http.StatusRequestEntityTooLarge {
		t.Fatal("a 5 MB picture was refused by the body limit")
	}
	mustStatus(t, r, http.StatusSeeOther, "5 MB picture") // JPEG decoders stop at the end marker
}
