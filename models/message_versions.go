package models

import (
	"fmt"
	"sort"

	"gorm.io/gorm"
)

// OwnerMessage is the owner kind of an organizer's message's versions in
// the event's other content languages (owner id = message id): a message's
// default-language version is its own Subject/Body, the others are
// Translation rows ("subject", "body"), so any number of languages needs
// no new column.
const OwnerMessage = "message"

// MessageVersion is a message's subject and body in one language.
type MessageVersion struct {
	Subject string
	Body    string
}

// saveMessageVersions writes m.Versions of a just-created message in tx.
func saveMessageVersions(tx *gorm.DB, m *Message) error {
	for _, lang := range m.VersionLanguages() {
		v := m.Versions[lang]
		for _, f := range []struct{ field, text string }{{"subject", v.Subject}, {"body", v.Body}} {
			row := Translation{EventID: m.EventID, OwnerKind: OwnerMessage, OwnerID: m.ID, Field: f.field, Lang: lang,
				Text: f.text, UpdatedAt: m.CreatedAt}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("save message version: %w", err)
			}
		}
	}
	return nil
}

// LoadMessageVersions fills the Versions of ms (all of one query).
func LoadMessageVersions(db *gorm.DB, ms ...*Message) error {
	if len(ms) == 0 {
		return nil
	}
	ids := make([]uint, len(ms))
	at := map[uint]*Message{}
	for i, m := range ms {
		ids[i], at[m.ID] = m.ID, m
	}
	var rows []Translation
	if err := db.Where("owner_kind = ? AND owner_id IN ?", OwnerMessage, ids).Find(&rows).Error; err != nil {
		return fmt.Errorf("load message versions: %w", err)
	}
	for _, r := range rows {
		m := at[r.OwnerID]
		if m == nil || CanonicalContentLanguage(r.Lang) == "" {
			continue
		}
		if m.Versions == nil {
			m.Versions = map[string]MessageVersion{}
		}
		v := m.Versions[r.Lang]
		switch r.Field {
		case "subject":
			v.Subject = r.Text
		case "body":
			v.Body = r.Text
		}
		m.Versions[CanonicalContentLanguage(r.Lang)] = v
	}
	return nil
}

// VersionLanguages are the languages of m.Versions, in ContentLanguages
// order (so mails, lists and tests see one order).
func (m Message) VersionLanguages() []string {
	var out []string
	for _, l := range ContentLanguages {
		if v, ok := m.Versions[l]; ok && v.Subject != "" && l != m.Language {
			out = append(out, l)
		}
	}
	return out
}

// WrittenLanguages are all the languages m was written in: the main one
// first, then the others (a message from before per-language versions has
// at most its second version).
func (m Message) WrittenLanguages() []string {
	out := []string{m.Language}
	if m.AltLanguage != "" && m.AltSubject != "" && m.AltLanguage != m.Language {
		out = append(out, m.AltLanguage)
	}
	for _, l := range m.VersionLanguages() {
		if l != m.AltLanguage {
			out = append(out, l)
		}
	}
	sort.SliceStable(out[1:], func(i, j int) bool { return langIndex(out[1+i]) < langIndex(out[1+j]) })
	return out
}

func langIndex(l string) int {
	for i, x := range ContentLanguages {
		if x == l {
			return i
		}
	}
	return len(ContentLanguages)
}
