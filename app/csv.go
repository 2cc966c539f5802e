package app

import "strings"

// utf8BOM makes Excel read the file as UTF-8 (LibreOffice does either way).
const utf8BOM = "\ufeff"

// csvSafe guards a cell against formula injection: a spreadsheet runs a cell
// that starts with = + - @ (or a tab or carriage return before one), so such
// cells get a leading apostrophe and are shown as text.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
