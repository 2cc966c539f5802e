// Package views holds Agora's templates and translations, embedded in the binary.
package views

import "embed"

// FS holds every template (*.html) and message file (i18n/*.json).
//
//go:embed layouts partials public manage admin errors i18n
var FS embed.FS
