package app

import "github.com/gofiber/fiber/v2"

// paymentRoutes declares the payment pages of an order (under its secret
// link), receipts and the Stripe webhook.
func (a *App) paymentRoutes(f *fiber.App) {
	// Stripe posts events here; they are signed, not forms, so no CSRF.
	f.Post("/stripe/webhook", a.stripeWebhook)
	// Pages behind the order's secret: never cached, never sent as a referrer.
	f.Get("/orders/:secret/payment", a.secretHeaders, a.paymentPage)
	a.postAction(f, "/orders/:secret/payment", a.startPayment)
	a.postAction(f, "/orders/:secret/payment/invoice", a.chooseInvoice)
	f.Get("/orders/:secret/payment/return", a.secretHeaders, a.paymentReturn)
	f.Get("/orders/:secret/receipt", a.secretHeaders, a.receiptPage)
	f.Get("/orders/:secret/receipt.pdf", a.secretHeaders, a.receiptPDF)
}
