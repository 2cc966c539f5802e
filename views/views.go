// Package views holds Agora's templates and translations, embedded in the binary.
package views

import "embed"

// FS holds every template (*.html), mail template (mail/*.tmpl) and
// message file (i18n/*.json).
//
//go:embed layouts partials public manage admin errors i18n mail register payment meetings live
var FS embed.FS
