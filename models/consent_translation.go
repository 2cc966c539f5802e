package models

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// SetConsentTextVersions makes body (the event's default language) and
// translations (language → text) the event's current text of kind. Each
// language version is part of the consent's version: a change to any of
// them makes version n+1, with all its language texts, so what a person
// agreed to stays tied to the words they saw in their language. Nothing
// changes when every language equals the current version.
func SetConsentTextVersions(db *gorm.DB, eventID uint, kind, body string, translations map[string]string) (*ConsentText, error) {
	if !ValidConsentKind(kind) {
		return nil, ErrUnknownConsentKind
	}
	body = strings.TrimSpace(body)
	want := map[string]string{}
	for l, t := range translations {
		if l = CanonicalContentLanguage(l); l != "" && strings.TrimSpace(t) != "" {
			want[l] = strings.TrimSpace(t)
		}
	}
	var out *ConsentText
	err := db.Transaction(func(tx *gorm.DB) error {
		var cur ConsentText
		err := tx.Where("event_id = ? AND kind = ?", eventID, kind).Order("version DESC").Take(&cur).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if err == nil && cur.Body == body {
			have, err := consentTranslations(tx, cur.ID)
			if err != nil {
				return err
			}
			if sameTexts(have, want) {
				out = &cur
				return nil
			}
		}
		ct := &ConsentText{EventID: eventID, Kind: kind, Version: cur.Version + 1, Body: body}
		if err := tx.Create(ct).Error; err != nil {
			return fmt.Errorf("create consent text: %w", err)
		}
		if len(want) > 0 {
			if err := SaveTranslations(tx, eventID, TranslatedField{Kind: OwnerConsentText, ID: ct.ID, Field: "body", Texts: want}); err != nil {
				return err
			}
		}
		out = ct
		return nil
	})
	return out, err
}

// ConsentTranslations returns the language versions (besides the default)
// of one consent text version.
func ConsentTranslations(db *gorm.DB, consentTextID uint) (map[string]string, error) {
	return consentTranslations(db, consentTextID)
}

func consentTranslations(db *gorm.DB, id uint) (map[string]string, error) {
	var rows []Translation
	if err := db.Where("owner_kind = ? AND owner_id = ? AND field = ?", OwnerConsentText, id, "body").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("consent translations: %w", err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.Lang] = r.Text
	}
	return out, nil
}

func sameTexts(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// ConsentRecordText is the text a consent record's person agreed to: the
// version's text in the record's language (the default's when that
// language version is gone or was never there).
func ConsentRecordText(db *gorm.DB, r ConsentRecord) (string, error) {
	if r.Language == "" {
		return r.ConsentText.Body, nil
	}
	tr, err := consentTranslations(db, r.ConsentTextID)
	if err != nil {
		return "", err
	}
	if t := tr[r.Language]; t != "" {
		return t, nil
	}
	return r.ConsentText.Body, nil
}

// ConsentShownLanguage is the language version of consent text version
// textID that a person registering in lang was shown: lang when the event
// is written in it and the version has that text, else the event's
// default. The registration form resolves the text the same way
// (Content.ConsentText), so the record names the words on the screen.
func ConsentShownLanguage(tx *gorm.DB, eventID, textID uint, lang string) (string, error) {
	var e Event
	if err := tx.Select("id", "languages", "default_language").Take(&e, eventID).Error; err != nil {
		return "", fmt.Errorf("consent language: %w", err)
	}
	lang = CanonicalContentLanguage(lang)
	if lang == "" || lang == e.DefaultLang() || !e.HasLanguage(lang) {
		return e.DefaultLang(), nil
	}
	var n int64
	if err := tx.Model(&Translation{}).Where("owner_kind = ? AND owner_id = ? AND field = ? AND lang = ? AND text <> ''",
		OwnerConsentText, textID, "body", lang).Count(&n).Error; err != nil {
		return "", fmt.Errorf("consent language: %w", err)
	}
	if n == 0 {
		return e.DefaultLang(), nil
	}
	return lang, nil
}

// withAgreedWords puts into each record's ConsentText.Body the words of the
// language version the person agreed to, with one query for all records.
func withAgreedWords(db *gorm.DB, rs []ConsentRecord) error {
	var ids []uint
	for _, r := range rs {
		ids = append(ids, r.ConsentTextID)
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []Translation
	if err := db.Where("owner_kind = ? AND field = ? AND owner_id IN ?", OwnerConsentText, "body", ids).Find(&rows).Error; err != nil {
		return fmt.Errorf("consent words: %w", err)
	}
	words := map[uint]map[string]string{}
	for _, t := range rows {
		if words[t.OwnerID] == nil {
			words[t.OwnerID] = map[string]string{}
		}
		words[t.OwnerID][t.Lang] = t.Text
	}
	for i := range rs {
		if w := words[rs[i].ConsentTextID][rs[i].Language]; strings.TrimSpace(w) != "" {
			rs[i].ConsentText.Body = w
		}
	}
	return nil
}
