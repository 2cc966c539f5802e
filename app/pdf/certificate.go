package pdf

import (
	"time"

	"github.com/agora-events/agora/models"
)

// Translator gives a certificate its words and dates in the reader's
// language (the web's and the mail's translators both are one).
type Translator interface {
	T(id string, args ...any) string
	Date(time.Time) string
}

// A4Landscape is the certificate's page.
var A4Landscape = Size{A4.H, A4.W}

// maxCertificateSessions is how many sessions are listed by name; more are
// summed up in one line, so the page never overflows.
const maxCertificateSessions = 12

// Certificate draws a certificate of attendance on one landscape A4 page:
// the organization, the person, the event and its dates, the sessions
// signed up for with their hours, the signatory, and the verification
// address as text and as a QR code.
func Certificate(v *models.CertificateView, verifyURL string, L Translator) ([]byte, error) {
	pg := A4Landscape
	d := New(pg, L.T("certificate.pdf.title")+" — "+v.Name)
	d.AddPage()
	const m = 60.0
	inner := pg.W - 2*m
	cx := pg.W / 2
	accent := Color{R: 0x1F, G: 0x4E, B: 0x9E}
	d.Fill(0, 0, pg.W, 14, accent)
	d.Frame(24, 28, pg.W-48, pg.H-56, accent, 1.2)

	y := 56.0
	d.TextColor(Black)
	d.Font(true, d.FitSize(v.Organization, true, 14, 8, inner))
	d.TextCentered(cx, y, v.Organization)
	y += 34
	title := L.T("certificate.pdf.title")
	d.TextColor(accent)
	d.Font(true, d.FitSize(title, true, 30, 14, inner))
	d.TextCentered(cx, y, title)
	d.TextColor(Black)
	y += 50
	d.Font(false, 12)
	d.TextCentered(cx, y, L.T("certificate.pdf.certifies"))
	y += 22
	d.Font(true, d.FitSize(v.Name, true, 30, 10, inner))
	d.TextCentered(cx, y, v.Name)
	y += 42
	d.Font(false, 12)
	d.TextCentered(cx, y, L.T("certificate.pdf.attended"))
	y += 20
	d.Font(true, d.FitSize(v.Event.Title, true, 18, 8, inner))
	d.TextCentered(cx, y, v.Event.Title)
	y += 26
	loc := v.Event.Location()
	start, end := v.Event.StartsAt.In(loc), v.Event.EndsAt.In(loc)
	dates := L.Date(start)
	if start.Format("20060102") != end.Format("20060102") {
		dates += " – " + L.Date(end)
	}
	if v.Event.Venue != "" {
		dates += " · " + v.Event.Venue
	}
	d.Font(false, d.FitSize(dates, false, 12, 7, inner))
	d.TextCentered(cx, y, dates)
	y += 30

	if len(v.Sessions) > 0 {
		d.Font(true, 11)
		d.Text(m+40, y, L.T("certificate.pdf.sessions", "Hours", models.FormatHours(v.TotalHours())))
		y += 18
		size := 9.5
		if len(v.Sessions) > 8 {
			size = 8
		}
		for i, s := range v.Sessions {
			if i == maxCertificateSessions {
				d.Font(false, size)
				d.Text(m+52, y, L.T("certificate.pdf.more_sessions", "Count", len(v.Sessions)-i))
				y += size * 1.4
				break
			}
			line := L.Date(s.StartsAt.In(loc)) + ", " + s.StartsAt.In(loc).Format("15:04") + "–" + s.EndsAt.In(loc).Format("15:04") +
				" · " + s.Title + " (" + L.T("certificate.pdf.hours", "Hours", models.FormatHours(s.Hours())) + ")"
			d.Font(false, d.FitSize(line, false, size, 6, inner-300))
			d.Text(m+52, y, line)
			y += size * 1.4
		}
	}

	// The signatory at the bottom left, the verification at the bottom right.
	base := pg.H - 70
	qr := 84.0
	if v.Settings.SignatoryName != "" {
		d.Frame(m+20, base-28, 200, 0.1, Black, 0.6)
		d.Font(true, 11)
		d.Text(m+20, base-22, v.Settings.SignatoryName)
		d.Font(false, 10)
		d.Text(m+20, base-8, v.Settings.SignatoryRole)
	}
	d.QR(pg.W-m-qr, base-qr+4, qr, verifyURL)
	d.Font(false, 7.5)
	d.TextRight(pg.W-m-qr-8, base-24, L.T("certificate.pdf.verify"))
	d.Font(false, d.FitSize(verifyURL, false, 7.5, 4, 330))
	d.TextRight(pg.W-m-qr-8, base-12, verifyURL)
	return d.Bytes()
}
