package views

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// This file is the one place that knows how each language writes numbers,
// prices, dates and times. Pages, PDFs and e-mails all call it, so a price
// reads the same on the receipt as on the page, in the person's language.

// numberStyle is how a language writes a number and a price (CLDR's
// "latn" symbols and standard currency pattern).
type numberStyle struct {
	group, decimal string
	// symbolFirst puts the currency before the amount ("€1.00", "€ 1,00");
	// otherwise after it, behind a no-break space ("1,00 €").
	symbolFirst bool
	// spaceAfterSymbol separates a leading symbol from the digits always
	// (Dutch "€ 1,00"); otherwise only when the symbol ends in a letter
	// (English "CHF 1.00", CLDR's currency spacing).
	spaceAfterSymbol bool
}

const (
	nbsp       = "\u00a0" // no-break space: between amount and currency
	narrowNBSP = "\u202f" // narrow no-break space: French digit groups
)

var numberStyles = map[string]numberStyle{
	"en": {group: ",", decimal: ".", symbolFirst: true},
	// Spanish CLDR leaves four-digit amounts ungrouped (minimumGroupingDigits
	// 2); the networks asked for "1.234,50 €", as Galician and Catalan write.
	"es": {group: ".", decimal: ","},
	"gl": {group: ".", decimal: ","},
	"ca": {group: ".", decimal: ","},
	"el": {group: ".", decimal: ","},
	"fr": {group: narrowNBSP, decimal: ","},
	"nl": {group: ".", decimal: ",", symbolFirst: true, spaceAfterSymbol: true},
}

func styleOf(lang string) numberStyle {
	if s, ok := numberStyles[lang]; ok {
		return s
	}
	return numberStyles["en"]
}

// zeroDecimal lists the currencies without minor units (Stripe's list, the
// ones an organizer here might use).
var zeroDecimal = map[string]bool{"JPY": true, "KRW": true, "CLP": true, "ISK": true}

// FormatNumber writes a whole number with the language's digit groups:
// "1,234" in English, "1.234" in Spanish, "1 234" in French.
func FormatNumber(lang string, n int64) string {
	sign := ""
	if n < 0 {
		sign = "-"
	}
	return sign + groupDigits(strconv.FormatUint(absInt(n), 10), styleOf(lang).group)
}

func absInt(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

func groupDigits(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// FormatAmount writes minor units as a decimal number without a currency:
// "1,234.50" in English, "1.234,50" in Spanish.
func FormatAmount(lang string, minor int64, currencyCode string) string {
	st := styleOf(lang)
	sign := ""
	if minor < 0 {
		sign = "-"
	}
	u := absInt(minor)
	if zeroDecimal[strings.ToUpper(currencyCode)] {
		return sign + groupDigits(strconv.FormatUint(u, 10), st.group)
	}
	frac := strconv.FormatUint(u%100, 10)
	if len(frac) < 2 {
		frac = "0" + frac
	}
	return sign + groupDigits(strconv.FormatUint(u/100, 10), st.group) + st.decimal + frac
}

// FormatMoney writes an amount in minor units with its currency as the
// language writes it: en "€1,234.50", es "1.234,50 €", fr "1 234,50 €",
// nl "€ 1.234,50"; other currencies by their CLDR symbol in that language
// ("£", "CHF", "US$", or the ISO code).
func FormatMoney(lang string, minor int64, currencyCode string) string {
	st := styleOf(lang)
	sym := CurrencySymbol(lang, currencyCode)
	num := FormatAmount(lang, minor, currencyCode)
	if !st.symbolFirst {
		return num + nbsp + sym
	}
	sign := ""
	if strings.HasPrefix(num, "-") {
		sign, num = "-", num[1:]
	}
	r := []rune(sym)
	if st.spaceAfterSymbol {
		// CLDR nl: "€ -1.234,50".
		return sym + nbsp + sign + num
	}
	if len(r) > 0 && unicode.IsLetter(r[len(r)-1]) {
		return sign + sym + nbsp + num
	}
	return sign + sym + num
}

// percentSpace is what stands between a percentage and its sign (CLDR):
// none in English, Greek and Dutch, a no-break space in Spanish, Galician
// and Catalan, a narrow one in French.
var percentSpace = map[string]string{"es": nbsp, "gl": nbsp, "ca": nbsp, "fr": narrowNBSP}

// FormatPercent writes a rate in basis points (2100 = 21%) as lang writes
// a percentage: "21%", "21 %", "10,5 %"; no decimals when it has none.
func FormatPercent(lang string, bp int64) string {
	st := styleOf(lang)
	sign := ""
	if bp < 0 {
		sign = "-"
	}
	u := absInt(bp)
	s := groupDigits(strconv.FormatUint(u/100, 10), st.group)
	if frac := u % 100; frac != 0 {
		f := strconv.FormatUint(frac, 10)
		if frac < 10 {
			f = "0" + f
		}
		s += st.decimal + strings.TrimRight(f, "0")
	}
	return sign + s + percentSpace[lang] + "%"
}

// CurrencySymbol is the currency's symbol in lang (CLDR), else its code.
func CurrencySymbol(lang, currencyCode string) string {
	code := strings.ToUpper(strings.TrimSpace(currencyCode))
	u, err := currency.ParseISO(code)
	if err != nil {
		return code
	}
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.English
	}
	return message.NewPrinter(tag).Sprint(currency.Symbol(u))
}

// Dates. The words come from the message catalogue (locale.json in each
// language's folder) so a translator can correct them; the shape is here.

var monthIDs = [...]string{"", "january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

// Translate is a translator's T: message id and name/value pairs.
type Translate func(id string, args ...any) string

// LongDate writes a day in full: "Tuesday 3 March 2026", "martes, 3 de
// marzo de 2026", "Τρίτη 3 Μαρτίου 2026". Inside a date the month takes
// its in-date form (locale.month_in_date.*): Greek uses the genitive
// ("Μαρτίου", while the month on its own is "Μάρτιος"); Catalan carries
// the "de"/"d’" before it ("d’abril").
func LongDate(T Translate, t time.Time) string {
	return T("locale.date_long",
		"Weekday", T("weekday."+strings.ToLower(t.Weekday().String())),
		"Day", t.Day(),
		"Month", T("locale.month_in_date."+monthIDs[t.Month()]),
		"Year", t.Year())
}

// ShortDate writes a day briefly with the month's abbreviation: "3 Mar
// 2026", "3 mars 2026", "3 juil. 2026".
func ShortDate(T Translate, t time.Time) string {
	return T("locale.date_short", "Day", t.Day(),
		"Month", T("locale.month_short."+monthIDs[t.Month()]), "Year", t.Year())
}

// Clock writes a time of day, 24-hour in every language offered here.
func Clock(t time.Time) string { return t.Format("15:04") }

// LongDateTime is a long date and its time of day.
func LongDateTime(T Translate, t time.Time) string {
	return T("locale.date_time", "Date", LongDate(T, t), "Time", Clock(t))
}
