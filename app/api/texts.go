package api

import "github.com/agora-events/agora/models"

// Texts is an organizer-written text in each language it is written in,
// keyed by language code; the event's default language is always present.
type Texts map[string]string

// texts collects field of owner (kind, id) in every content language of the
// event ct was loaded for: base is the default language's text (the column).
func texts(ct *models.Content, langs []string, kind string, id uint, field, base string) Texts {
	out := Texts{ct.Default: base}
	for _, l := range langs {
		if l == ct.Default {
			continue
		}
		if t := ct.Translation(kind, id, field, l); t != "" {
			out[l] = t
		}
	}
	return out
}
