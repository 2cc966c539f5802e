package app

import (
	"strconv"
	"strings"

	"github.com/agora-events/agora/views"
)

// Currencies offered for ticket prices. All have two decimal places, so a
// price in minor units is the amount times 100.
var Currencies = []string{"EUR", "GBP", "CHF", "USD", "SEK", "DKK", "NOK", "PLN", "CZK"}

// maxPriceMinor caps a ticket price (1,000,000.00) well inside int64.
const maxPriceMinor = 100_000_000

func validCurrency(c string) bool {
	for _, x := range Currencies {
		if x == c {
			return true
		}
	}
	return false
}

// parsePrice reads an amount typed as "25", "25.5", "25.00" or "25,00" into
// minor units. It returns a message id when the text is not such an amount.
func parsePrice(s string) (int64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ""
	}
	if strings.HasPrefix(s, "-") {
		return 0, "form.negative"
	}
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if !allDigits(whole) || (hasFrac && (frac == "" || len(frac) > 2 || !allDigits(frac))) || len(whole) > 9 {
		return 0, "tickettype.bad_price"
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	n := w*100 + f
	if n > maxPriceMinor {
		return 0, "tickettype.price_too_big"
	}
	return n, ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// formatPrice shows minor units as "25.00".
func formatPrice(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return sign + strconv.FormatInt(minor/100, 10) + "." + strconv.FormatInt(minor%100/10, 10) + strconv.FormatInt(minor%10, 10)
}

// formatMoney shows an amount in minor units as lang writes it ("€12.50",
// "12,50 €"): views.FormatMoney, the one place that knows each language.
func formatMoney(lang string, amount int64, currency string) string {
	return views.FormatMoney(lang, amount, currency)
}
