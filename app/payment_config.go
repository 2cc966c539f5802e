package app

import "os"

// paymentsConfigured reports whether paid tickets can be sold. A first
// version: the Stripe integration owns and replaces this file with the real
// check.
func (a *App) paymentsConfigured() bool { return os.Getenv("STRIPE_SECRET_KEY") != "" }
