package payment

import "testing"

// Every interface language opens a Checkout page in a language Stripe has.
func TestStripeLocaleOfEveryLanguage(t *testing.T) {
	for lang, want := range map[string]string{"en": "en", "es": "es", "gl": "es", "ca": "es", "el": "el", "fr": "fr", "nl": "nl", "": "en", "xx": "en"} {
		if got := stripeLocale(lang); got != want {
			t.Errorf("stripeLocale(%q) = %q, want %q", lang, got, want)
		}
	}
}
