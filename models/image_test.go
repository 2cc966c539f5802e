package models_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// testPicture draws a w×h picture with a gradient (so it does not compress
// to nothing) and encodes it as format ("jpeg" or "png").
func testPicture(t testing.TB, w, h int, format string) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
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

// pngBomb is a PNG whose header claims w×h pixels, followed by no real data:
// a few dozen bytes that would need gigabytes if decoded.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.Write([]byte("\x89PNG\r\n\x1a\n"))
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk := func(kind string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(kind)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(kind), data...)))
	}
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func TestProcessImageMakesVariantsOfTheRightSizes(t *testing.T) {
	for _, format := range []string{"jpeg", "png"} {
		p, err := models.ProcessImage(testPicture(t, 1600, 1600, format), models.PurposeCover)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if p.ContentType != "image/"+format || p.Width != 1600 || p.Height != 1600 {
			t.Fatalf("%s: recorded %s %dx%d", format, p.ContentType, p.Width, p.Height)
		}
		var got []string
		for _, v := range p.Variants {
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(v.Data))
			if err != nil {
				t.Fatalf("%s: variant %d is not a JPEG: %v", format, v.Box, err)
			}
			if cfg.Width != v.Width || cfg.Height != v.Height {
				t.Fatalf("%s: variant %d says %dx%d, is %dx%d", format, v.Box, v.Width, v.Height, cfg.Width, cfg.Height)
			}
			got = append(got, fmt.Sprintf("%dx%d", cfg.Width, cfg.Height))
		}
		if want := "400x225 800x450 1200x675"; strings.Join(got, " ") != want {
			t.Fatalf("%s: variants %s, want %s (16:9 cover crop)", format, strings.Join(got, " "), want)
		}
	}
	// A small picture is not enlarged beyond the smallest variant.
	p, err := models.ProcessImage(testPicture(t, 900, 300, "png"), models.PurposeCover)
	if err != nil || len(p.Variants) != 1 || p.Variants[0].Width != 400 {
		t.Fatalf("narrow picture: %v %+v", err, p)
	}
	// A logo keeps its shape and fits its square.
	p, err = models.ProcessImage(testPicture(t, 600, 300, "png"), models.PurposeLogo)
	if err != nil || len(p.Variants) != 2 || p.Variants[0].Width != 160 || p.Variants[0].Height != 80 || p.Variants[1].Width != 320 || p.Variants[1].Height != 160 {
		t.Fatalf("logo: %v %+v", err, p.Variants)
	}
}

func TestProcessImageRefusesWhatItShould(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		want error
	}{
		"text named .jpg": {[]byte("this is not a picture, whatever its name says\n"), models.ErrImageType},
		"gif":             {[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), models.ErrImageType},
		"empty":           {nil, models.ErrImageMissing},
		"too large":       {append(testPicture(t, 20, 20, "jpeg"), make([]byte, models.MaxImageBytes)...), models.ErrImageTooLarge},
		"bomb":            {pngBomb(50_000, 50_000), models.ErrImagePixels},
		"one long side":   {pngBomb(12_000, 10), models.ErrImagePixels},
		"truncated":       {testPicture(t, 200, 200, "png")[:300], models.ErrImageBroken},
	} {
		if _, err := models.ProcessImage(tc.data, models.PurposeCover); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
}

func TestEventImageStoredReplacedAndRemoved(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org", "o@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "with-cover", models.StatusPublished)
	other := modeltest.Event(t, db, org.ID, "same-cover", models.StatusPublished)
	now := time.Now()
	first, err := models.ProcessImage(testPicture(t, 1300, 800, "jpeg"), models.PurposeCover)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.SetEventImage(db, e.ID, first, "A hall full of people", now); err != nil {
		t.Fatal(err)
	}
	if err := models.SetEventImage(db, other.ID, first, "", now); err != nil { // the same file: stored once
		t.Fatal(err)
	}
	events := []models.Event{*e, *other}
	if err := models.AttachEventPictures(db, events); err != nil {
		t.Fatal(err)
	}
	pic := events[0].Image
	if pic == nil || pic.Alt != "A hall full of people" || len(pic.Variants) != 3 || pic.Largest().Width != 1200 || events[1].Image.Hash != pic.Hash {
		t.Fatalf("attached: %+v %+v", pic, events[1].Image)
	}
	if v, err := models.ImageVariantFile(db, pic.Hash, 800); err != nil || v.Width != 800 || len(v.Data) == 0 {
		t.Fatalf("variant 800: %v", err)
	}
	count := func(model any) int64 {
		var n int64
		db.Model(model).Count(&n)
		return n
	}
	if n := count(&models.Image{}); n != 1 {
		t.Fatalf("%d images for one file", n)
	}
	// Replacing keeps the old file while the other event shows it.
	second, _ := models.ProcessImage(testPicture(t, 800, 450, "png"), models.PurposeCover)
	if err := models.SetEventImage(db, e.ID, second, "", now); err != nil {
		t.Fatal(err)
	}
	if n := count(&models.Image{}); n != 2 {
		t.Fatalf("%d images after replacing", n)
	}
	if ok, err := models.RemoveEventImage(db, other.ID); !ok || err != nil {
		t.Fatalf("remove: %v %v", ok, err)
	}
	if _, err := models.ImageVariantFile(db, pic.Hash, 800); err == nil {
		t.Fatal("the file no one shows is still served")
	}
	if n := count(&models.ImageVariant{}); n != 2 { // the second picture's 400 and 800
		t.Fatalf("%d variants left", n)
	}
	if err := models.SetEventImage(db, other.ID, nil, "alt only", now); !errors.Is(err, models.ErrImageMissing) {
		t.Fatalf("alt without a picture: %v", err)
	}
	var v1, v2 models.Event
	db.First(&v1, e.ID)
	if err := models.SetEventImage(db, e.ID, nil, "Now described", now); err != nil {
		t.Fatal(err)
	}
	db.First(&v2, e.ID)
	if v2.Version <= v1.Version {
		t.Fatal("changing the picture did not move the event's version (cached pages would be stale)")
	}
}

func TestOrganizationLogo(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org", "o@example.org", models.RoleOwner)
	p, err := models.ProcessImage(testPicture(t, 500, 500, "png"), models.PurposeLogo)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.SetOrganizationLogo(db, org.ID, p, time.Now()); err != nil {
		t.Fatal(err)
	}
	logo, err := models.OrganizationLogoPicture(db, org.ID)
	if err != nil || logo == nil || logo.Pick(160).Width != 160 || logo.Largest().Width != 320 {
		t.Fatalf("logo: %v %+v", err, logo)
	}
	if ok, err := models.RemoveOrganizationLogo(db, org.ID); !ok || err != nil {
		t.Fatalf("remove: %v %v", ok, err)
	}
	if logo, _ := models.OrganizationLogoPicture(db, org.ID); logo != nil {
		t.Fatal("logo still there")
	}
}

func TestCopiedEventKeepsItsPicture(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org", "o@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "original", models.StatusPublished)
	p, err := models.ProcessImage(testPicture(t, 800, 450, "jpeg"), models.PurposeCover)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.SetEventImage(db, e.ID, p, "The hall", time.Now()); err != nil {
		t.Fatal(err)
	}
	cp, err := models.CopyEvent(db, e.ID, models.CopyEventInput{Title: "Next year", Slug: "next-year", StartsAt: e.StartsAt.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	both := []models.Event{*e, *cp}
	if err := models.AttachEventPictures(db, both); err != nil {
		t.Fatal(err)
	}
	if both[1].Image == nil || both[1].Image.Hash != both[0].Image.Hash || both[1].Image.Alt != "The hall" {
		t.Fatalf("copy's picture: %+v", both[1].Image)
	}
	// Removing it from the copy leaves the original's.
	if _, err := models.RemoveEventImage(db, cp.ID); err != nil {
		t.Fatal(err)
	}
	if v, err := models.ImageVariantFile(db, p.Hash, 400); err != nil || len(v.Data) == 0 {
		t.Fatalf("the original's picture went with the copy's: %v", err)
	}
}

// withOrientation inserts an EXIF block saying orientation o after a JPEG's start.
func withOrientation(jpg []byte, o uint16) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, byte(o >> 8), byte(o), 0, 0, 0, 0, 0, 0, 0, 0}
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := append([]byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
	return append(append(append([]byte{}, jpg[:2]...), app1...), jpg[2:]...)
}

// A phone photo stored sideways with an EXIF turn comes out upright.
func TestProcessImageTurnsPhotosUpright(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 400, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 400; x++ {
			c := color.RGBA{220, 20, 20, 255} // left half red
			if x >= 200 {
				c = color.RGBA{20, 20, 220, 255} // right half blue
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	p, err := models.ProcessImage(withOrientation(buf.Bytes(), 6), models.PurposeLogo)
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 200 || p.Height != 400 {
		t.Fatalf("the turned photo is stored as %dx%d, want 200x400", p.Width, p.Height)
	}
	v := p.Variants[0]
	if v.Width != 80 || v.Height != 160 {
		t.Fatalf("turned logo is %dx%d, want 80x160", v.Width, v.Height)
	}
	out, err := jpeg.Decode(bytes.NewReader(v.Data))
	if err != nil {
		t.Fatal(err)
	}
	top, bottom := out.At(40, 20), out.At(40, 140)
	if r, _, b, _ := top.RGBA(); r < b {
		t.Fatalf("top is %v, want red (a clockwise turn puts the left side on top)", top)
	}
	if r, _, b, _ := bottom.RGBA(); b < r {
		t.Fatalf("bottom is %v, want blue", bottom)
	}
	// Anticlockwise: the left side goes to the bottom.
	p, _ = models.ProcessImage(withOrientation(buf.Bytes(), 8), models.PurposeLogo)
	out, _ = jpeg.Decode(bytes.NewReader(p.Variants[0].Data))
	if r, _, b, _ := out.At(40, 20).RGBA(); b < r {
		t.Fatalf("orientation 8: top is %v, want blue", out.At(40, 20))
	}
	// Without the block, the same picture stays as it is.
	p, _ = models.ProcessImage(buf.Bytes(), models.PurposeLogo)
	if v := p.Variants[0]; v.Width != 160 || v.Height != 80 {
		t.Fatalf("unturned logo is %dx%d", v.Width, v.Height)
	}
}

// Pictures move with `agora migrate-to`: their bytes arrive whole in PostgreSQL.
func TestImagesCopiedToPostgres(t *testing.T) {
	pgDSN := testenv.PostgresDSN(t)
	src, _ := modeltest.NewSQLiteDB(t)
	org, _ := modeltest.Organizer(t, src, "Org", "o@example.org", models.RoleOwner)
	e := modeltest.Event(t, src, org.ID, "moving", models.StatusPublished)
	p, err := models.ProcessImage(testPicture(t, 1300, 800, "png"), models.PurposeCover)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.SetEventImage(src, e.ID, p, "Moved", time.Now()); err != nil {
		t.Fatal(err)
	}
	dst, _ := modeltest.NewPostgresDB(t, pgDSN)
	if _, err := models.CopyDatabase(src, dst); err != nil {
		t.Fatalf("copy: %v", err)
	}
	for _, v := range p.Variants {
		got, err := models.ImageVariantFile(dst, p.Hash, v.Box)
		if err != nil || !bytes.Equal(got.Data, v.Data) {
			t.Fatalf("variant %d after the copy: %v", v.Box, err)
		}
	}
	events := []models.Event{*e}
	if err := models.AttachEventPictures(dst, events); err != nil || events[0].Image == nil || events[0].Image.Alt != "Moved" {
		t.Fatalf("the event's picture after the copy: %v %+v", err, events[0].Image)
	}
}

// WebP is decoded too (a 1×1 lossless and a lossy picture, as browsers'
// feature tests use them).
func TestProcessImageReadsWebP(t *testing.T) {
	for _, b64 := range []string{"UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA"} {
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatal(err)
		}
		p, err := models.ProcessImage(data, models.PurposeCover)
		if err != nil || p.ContentType != "image/webp" || p.Width != 1 || len(p.Variants) != 1 || p.Variants[0].Width != 400 {
			t.Fatalf("webp: %v %+v", err, p)
		}
	}
}
