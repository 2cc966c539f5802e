package app

// paymentAdminRoutes declares the organizer's payment pages: vouchers, the
// event's payment settings, and each order's payment state with refunds
// and "mark paid". All need an owner or manager; another organization's
// event or order is a 404.
func (a *App) paymentAdminRoutes(o organizerArea) {
	o.editors.get("/events/:id/vouchers", a.vouchersPage)
	o.editors.get("/events/:id/vouchers/new", a.newVoucher)
	o.editors.form("/events/:id/vouchers", a.saveVoucher)
	o.editors.get("/events/:id/vouchers/:vid/edit", a.editVoucher)
	o.editors.form("/events/:id/vouchers/:vid/edit", a.saveVoucher)

	o.editors.get("/events/:id/payments", a.paymentSettingsPage)
	o.editors.form("/events/:id/payments", a.savePaymentSettings)

	o.editors.get("/events/:id/orders/:oid", a.orderPage)
	o.editors.form("/events/:id/orders/:oid/refund", a.postRefund)
	o.editors.action("/events/:id/orders/:oid/mark-paid", a.postMarkPaid)
}
