package mail

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/pdf"
	"github.com/agora-events/agora/models"
)

// CertificatePathPrefix + code is a certificate's verification page (the
// web side serves it).
const CertificatePathPrefix = "/certificates/"

// certificateData is what the certificate mail templates get; its first
// fields match data, so the shared "top", "event" and "bottom" parts work.
type certificateData struct {
	L         *translator
	Event     models.Event
	When      string
	Place     string
	EventURL  string
	Name      string
	Link      string
	VerifyURL string
	Hours     string
}

// renderCertificate renders the mail of one certificate of attendance,
// with the PDF attached, drawn at send time from the stored rows.
func (r *Renderer) renderCertificate(L *translator, m models.OutboxMessage) (Message, error) {
	var cert models.Certificate
	if err := r.db.Take(&cert, m.RefID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Message{}, ErrSkip
		}
		return Message{}, err
	}
	v, err := models.LoadCertificateView(r.db, &cert)
	if err != nil {
		return Message{}, err
	}
	if v.Revoked {
		return Message{}, ErrSkip // cancelled or erased after the mail was queued
	}
	ed := r.eventData(L, v.Event)
	d := &certificateData{L: L, Event: ed.Event, When: ed.When, Place: ed.Place, EventURL: ed.EventURL, Name: v.Name,
		Link: r.baseURL + OrderPathPrefix + v.OrderSecret, VerifyURL: r.baseURL + CertificatePathPrefix + cert.Code,
		Hours: models.FormatHours(v.TotalHours())}
	doc, err := pdf.Certificate(v, d.VerifyURL, L)
	if err != nil {
		return Message{}, fmt.Errorf("certificate pdf: %w", err)
	}
	out, err := r.renderWith(L, m, L.T("mail.certificate.subject", "Event", v.Event.Title), "certificate", d)
	if err != nil {
		return Message{}, err
	}
	out.Attachments = []Attachment{{Filename: "certificate-" + v.Event.Slug + ".pdf", ContentType: "application/pdf", Data: doc}}
	return out, nil
}
