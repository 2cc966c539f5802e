package app

import "github.com/gofiber/fiber/v2"

// paymentAdminRoutes declares the organizer's payment pages: vouchers, the
// event's payment settings, and each order's payment state with refunds
// and "mark paid". All need an owner or manager (loadManagedEvent with
// needEdit); another organization's event or order is a 404.
func (a *App) paymentAdminRoutes(m fiber.Router) {
	m.Get("/events/:id/vouchers", a.vouchersPage)
	m.Get("/events/:id/vouchers/new", a.newVoucher)
	a.postForm(m, "/events/:id/vouchers", a.saveVoucher)
	m.Get("/events/:id/vouchers/:vid/edit", a.editVoucher)
	a.postForm(m, "/events/:id/vouchers/:vid/edit", a.saveVoucher)

	m.Get("/events/:id/payments", a.paymentSettingsPage)
	a.postForm(m, "/events/:id/payments", a.savePaymentSettings)

	m.Get("/events/:id/orders/:oid", a.orderPage)
	a.postForm(m, "/events/:id/orders/:oid/refund", a.postRefund)
	a.postAction(m, "/events/:id/orders/:oid/mark-paid", a.postMarkPaid)
}
