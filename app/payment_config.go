package app

// paymentsConfigured reports whether paid tickets can be sold online: a
// Stripe secret key is configured (STRIPE_SECRET_KEY). Ticket type pages
// use it to tell organizers why a price cannot be put on sale.
func (a *App) paymentsConfigured() bool { return a.pay != nil }
