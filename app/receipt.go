package app

import (
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/pdf"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/views"
)

// receiptLine is one ticket on a receipt: net, VAT and gross (VAT is
// included in ticket prices; with no VAT rate net equals gross).
type receiptLine struct {
	Description     string
	Net, VAT, Gross string
	net, vat, gross int64
}

// receipt is what the page and the PDF show.
type receipt struct {
	Order    *models.Order
	Org      models.Organization
	Lines    []receiptLine
	Net      string
	VAT      string
	Gross    string
	VATRate  string
	HasVAT   bool
	PaidAt   time.Time
	Method   string
	Refunds  []string
	Refunded bool
}

// loadReceipt builds the receipt of a paid order; an order with nothing
// paid has none (404).
func (a *App) loadReceipt(c *fiber.Ctx) (*receipt, error) {
	o, err := a.orderBySecret(c)
	if err != nil {
		return nil, err
	}
	p, err := models.PaidPayment(a.db, o.ID)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, dbErr("load payment", err)
	}
	lang := a.lang(c)
	r := &receipt{Order: o, PaidAt: p.UpdatedAt.In(o.Event.Location()), Method: p.Provider}
	if err := a.db.Take(&r.Org, o.Event.OrganizationID).Error; err != nil {
		return nil, dbErr("load organization", err)
	}
	settings, err := models.PaymentSettings(a.db, o.EventID)
	if err != nil {
		return nil, dbErr("payment settings", err)
	}
	bp := int64(settings.VATRateBP)
	r.HasVAT = bp > 0
	r.VATRate = views.FormatPercent(lang, bp)
	var tn, tv, tg int64
	for _, it := range lineItems(*o, p.Amount) {
		gross := it.UnitAmount * it.Quantity
		net := gross
		if bp > 0 {
			// Prices include VAT: net = gross / (1 + rate), rounded half up.
			net = (gross*10000*2 + (10000 + bp)) / ((10000 + bp) * 2)
		}
		l := receiptLine{Description: it.Name, net: net, vat: gross - net, gross: gross}
		l.Net, l.VAT, l.Gross = formatMoney(lang, net, p.Currency), formatMoney(lang, gross-net, p.Currency), formatMoney(lang, gross, p.Currency)
		r.Lines = append(r.Lines, l)
		tn, tv, tg = tn+net, tv+gross-net, tg+gross
	}
	r.Net, r.VAT, r.Gross = formatMoney(lang, tn, p.Currency), formatMoney(lang, tv, p.Currency), formatMoney(lang, tg, p.Currency)
	refunds, err := models.RefundsOf(a.db, o.ID)
	if err != nil {
		return nil, dbErr("load refunds", err)
	}
	for _, rf := range refunds {
		r.Refunds = append(r.Refunds, newTranslator(a.bundle, lang).ShortDate(rf.CreatedAt.In(o.Event.Location()))+": "+formatMoney(lang, rf.Amount, rf.Currency))
	}
	r.Refunded = len(r.Refunds) > 0
	return r, nil
}

// receiptPage is the printable receipt.
func (a *App) receiptPage(c *fiber.Ctx) error {
	r, err := a.loadReceipt(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, "payment/receipt", fiber.Map{"R": r})
}

// receiptPDF is the same receipt as a one-page PDF download.
func (a *App) receiptPDF(c *fiber.Ctx) error {
	r, err := a.loadReceipt(c)
	if err != nil {
		return err
	}
	L := newTranslator(a.bundle, a.lang(c))
	o := r.Order
	lines := []pdf.Line{{Text: L.T("receipt.title"), Size: 18, Bold: true}}
	if name := firstNonEmpty(r.Org.LegalName, r.Org.Name); name != "" {
		lines = append(lines, pdf.Line{Text: name, Bold: true, Gap: 8})
	}
	if r.Org.Address != "" {
		lines = append(lines, pdf.Line{Text: r.Org.Address})
	}
	if r.Org.VATID != "" {
		lines = append(lines, pdf.Line{Text: L.T("receipt.vat_id") + ": " + r.Org.VATID})
	}
	lines = append(lines,
		pdf.Line{Text: L.T("receipt.order") + ": " + o.Code, Gap: 10},
		pdf.Line{Text: L.T("receipt.date") + ": " + L.Date(r.PaidAt)},
		pdf.Line{Text: L.T("receipt.buyer") + ": " + buyerLine(o)},
		pdf.Line{Text: L.T("receipt.event") + ": " + o.Event.Title},
	)
	for i, l := range r.Lines {
		gap := 0.0
		if i == 0 {
			gap = 10
		}
		lines = append(lines, pdf.Line{Text: l.Description, Bold: true, Gap: gap})
		if r.HasVAT {
			lines = append(lines, pdf.Line{Text: fmt.Sprintf("%s %s · %s (%s) %s · %s %s", L.T("receipt.net"), l.Net, L.T("receipt.vat"), r.VATRate, l.VAT, L.T("receipt.gross"), l.Gross)})
		} else {
			lines = append(lines, pdf.Line{Text: l.Gross})
		}
	}
	if r.HasVAT {
		lines = append(lines, pdf.Line{Text: fmt.Sprintf("%s %s · %s %s", L.T("receipt.net"), r.Net, L.T("receipt.vat"), r.VAT), Gap: 10})
	}
	lines = append(lines, pdf.Line{Text: L.T("receipt.total") + ": " + r.Gross, Size: 12, Bold: true, Gap: 4})
	for _, rf := range r.Refunds {
		lines = append(lines, pdf.Line{Text: L.T("receipt.refund") + " " + rf})
	}
	doc, err := pdf.Render(L.T("receipt.title")+" "+o.Code, lines)
	if err != nil {
		return errInternal("receipt pdf", err)
	}
	return sendPDF(c, "receipt-"+o.Code+".pdf", doc)
}

// sendPDF sends a generated PDF as a download that no cache keeps (it
// holds personal data).
func sendPDF(c *fiber.Ctx, filename string, doc []byte) error {
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(doc)
}

// buyerLine names the buyer; after retention a paid order keeps the name
// (the receipt is an invoice) but no e-mail address.
func buyerLine(o *models.Order) string {
	if o.BuyerEmail == "" {
		return o.BuyerName
	}
	return o.BuyerName + " <" + o.BuyerEmail + ">"
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
