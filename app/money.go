package app

import (
	"fmt"
	"strings"
)

// zeroDecimal lists the currencies without minor units (Stripe's list, the
// ones an organizer here might use).
var zeroDecimal = map[string]bool{"JPY": true, "KRW": true, "CLP": true, "ISK": true, "HUF": false}

// formatMoney shows an amount in minor units as "12.50 EUR".
func formatMoney(amount int64, currency string) string {
	cur := strings.ToUpper(currency)
	if zeroDecimal[cur] {
		return fmt.Sprintf("%d %s", amount, cur)
	}
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	return fmt.Sprintf("%s%d.%02d %s", sign, amount/100, amount%100, cur)
}
