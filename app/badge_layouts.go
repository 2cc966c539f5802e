package app

import (
	"errors"
	"runtime"
	"sync"

	"github.com/agora-events/agora/app/pdf"
	"github.com/agora-events/agora/models"
)

// badgeLayout is a paper format for badges: a page size cut into a grid.
type badgeLayout struct {
	Key        string
	Page       pdf.Size
	Cols, Rows int
}

// badgeLayouts are the formats offered, the first the default for a sheet
// and badgeLayoutSingle the default for one badge printed at the door.
var badgeLayouts = []badgeLayout{
	{"a4-8", pdf.A4, 2, 4},
	{"a4-10", pdf.A4, 2, 5},
	{"a6", pdf.A6, 1, 1},
	{"label-4x3", pdf.Label4x3, 1, 1},
}

const badgeLayoutSingle = "a6"

func badgeLayoutOf(key string) (badgeLayout, bool) {
	for _, l := range badgeLayouts {
		if l.Key == key {
			return l, true
		}
	}
	return badgeLayout{}, false
}

// categoryColors are the quadruple helix's colours on badges, each dark
// enough for white text (contrast over 4.5:1); the band also names the
// category, so colour is never the only sign.
var categoryColors = map[string]pdf.Color{
	models.CategoryPatientCitizen: {R: 0x1B, G: 0x6E, B: 0x35}, // green
	models.CategoryCarer:          {R: 0x00, G: 0x65, B: 0x6E}, // teal
	models.CategoryClinician:      {R: 0x1F, G: 0x4E, B: 0x9E}, // blue
	models.CategoryResearcher:     {R: 0x5E, G: 0x35, B: 0x8C}, // purple
	models.CategoryIndustry:       {R: 0xA3, G: 0x40, B: 0x00}, // burnt orange
	models.CategoryPublicAuth:     {R: 0x9B, G: 0x1B, B: 0x30}, // crimson
	models.CategoryOther:          {R: 0x4A, G: 0x4A, B: 0x4A}, // grey
}

// badgeText is what a badge prints besides the person's own data, in the
// organizer's language.
type badgeText struct {
	Event      string
	Categories map[string]string // category → its name in the band
	NoPhotos   string
}

// drawBadges lays the holders out on pages of the layout, in order,
// left to right and top to bottom, with light cutting guides on sheets.
func drawBadges(title string, l badgeLayout, txt badgeText, holders []models.BadgeHolder) ([]byte, error) {
	codes, err := badgeQRCodes(holders)
	if err != nil {
		return nil, err
	}
	d := pdf.New(l.Page, title)
	per := l.Cols * l.Rows
	w, h := l.Page.W/float64(l.Cols), l.Page.H/float64(l.Rows)
	for i, b := range holders {
		if i%per == 0 {
			d.AddPage()
		}
		cell := i % per
		x, y := float64(cell%l.Cols)*w, float64(cell/l.Cols)*h
		if per > 1 {
			d.Frame(x, y, w, h, pdf.Color{R: 0xC8, G: 0xC8, B: 0xC8}, 0.3)
		}
		drawBadge(d, x, y, w, h, txt, b, codes[i])
	}
	return d.Bytes()
}

// drawBadge draws one badge in the box x, y, w, h: the category band on
// top, the name large (shrunk to fit, on two lines if it must), the
// organization, then the QR code with the ticket code and, for people who
// gave no photo consent, a black "no photos" mark.
func drawBadge(d *pdf.Doc, x, y, w, h float64, txt badgeText, b models.BadgeHolder, code pdf.QRCode) {
	pad := min(w, h) * 0.06
	inner := w - 2*pad
	band := h * 0.15
	d.Fill(x, y, w, band, categoryColor(b.Category))
	d.TextColor(pdf.White)
	label := txt.Categories[b.Category]
	size := d.FitSize(label, true, band*0.5, 6, inner)
	d.Font(true, size)
	d.TextCentered(x+w/2, y+(band-size)/2, label)

	d.TextColor(pdf.Black)
	top := y + band + pad
	maxName := min(h*0.14, 34)
	nameLines := []string{b.Name}
	size = d.FitSize(b.Name, true, maxName, maxName*0.5, inner)
	if d.Width(b.Name) > inner {
		if a, z, ok := splitName(b.Name); ok {
			nameLines = []string{a, z}
			size = min(d.FitSize(a, true, maxName*0.8, 6, inner), d.FitSize(z, true, maxName*0.8, 6, inner))
		} else {
			size = d.FitSize(b.Name, true, maxName*0.5, 5, inner)
		}
	}
	d.Font(true, size)
	for _, line := range nameLines {
		d.TextCentered(x+w/2, top, line)
		top += size * 1.2
	}
	if b.Organization != "" {
		size = d.FitSize(b.Organization, false, min(h*0.07, 16), 6, inner)
		d.Font(false, size)
		d.TextCentered(x+w/2, top+size*0.3, b.Organization)
	}

	qr := min(h*0.42, w*0.4)
	qx, qy := x+w-pad-qr, y+h-pad-qr
	d.QRCode(qx, qy, qr, code)
	left := qx - x - 2*pad
	d.Font(false, 7)
	d.Text(x+pad, y+h-pad-8, b.Code)
	if txt.Event != "" {
		d.Font(false, d.FitSize(txt.Event, false, 8, 5, left))
		d.Text(x+pad, y+h-pad-20, txt.Event)
	}
	if b.NoPhotos {
		mh := min(h*0.1, 22)
		size = d.FitSize(txt.NoPhotos, true, mh*0.55, 5, left-mh*0.6)
		d.Font(true, size)
		mw := d.Width(txt.NoPhotos) + mh*0.6
		my := qy
		d.Fill(x+pad, my, mw, mh, pdf.Black)
		d.TextColor(pdf.White)
		d.Text(x+pad+mh*0.3, my+(mh-size)/2, txt.NoPhotos)
		d.TextColor(pdf.Black)
	}
}

// badgeQRCodes encodes the holders' QR codes on every core: encoding is
// most of the cost of a large sheet.
func badgeQRCodes(holders []models.BadgeHolder) ([]pdf.QRCode, error) {
	out := make([]pdf.QRCode, len(holders))
	errs := make([]error, len(holders))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = pdf.NewQRCode(holders[i].QRSecret)
			}
		}()
	}
	for i := range holders {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

func categoryColor(c string) pdf.Color {
	if col, ok := categoryColors[c]; ok {
		return col
	}
	return categoryColors[models.CategoryOther]
}

// splitName breaks a long name into two lines at the space nearest the
// middle.
func splitName(s string) (string, string, bool) {
	r := []rune(s)
	best := -1
	for i, c := range r {
		if c == ' ' && (best < 0 || splitDistance(i, len(r)/2) < splitDistance(best, len(r)/2)) {
			best = i
		}
	}
	if best <= 0 {
		return "", "", false
	}
	return string(r[:best]), string(r[best+1:]), true
}

func splitDistance(a, b int) int {
	n := a - b
	if n < 0 {
		return -n
	}
	return n
}
