package models

import (
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// SuggestEventCopy proposes what the copy form starts with: the same date
// and time a year later, the year in the title and slug moved on (or added
// to the slug), and a slug no event uses yet.
func SuggestEventCopy(db *gorm.DB, src *Event) (CopyEventInput, error) {
	loc := src.Location()
	start := src.StartsAt.In(loc)
	next := start.AddDate(1, 0, 0)
	oldYear, newYear := strconv.Itoa(start.Year()), strconv.Itoa(next.Year())
	title := strings.ReplaceAll(src.Title, oldYear, newYear)
	base := src.Slug
	if strings.Contains(base, oldYear) {
		base = strings.ReplaceAll(base, oldYear, newYear)
	} else {
		base = base + "-" + newYear
	}
	slug, err := FreeSlug(db, base)
	if err != nil {
		return CopyEventInput{}, err
	}
	return CopyEventInput{Title: title, Slug: slug, StartsAt: next.UTC()}, nil
}

// FreeSlug returns base, or base-2, base-3, … : the first that no event
// uses at the time of asking (the insert still checks).
func FreeSlug(db *gorm.DB, base string) (string, error) {
	base = Slugify(base)
	if base == "" {
		base = "event"
	}
	for i := 1; i < 100; i++ {
		s := base
		if i > 1 {
			suffix := "-" + strconv.Itoa(i)
			if len(s)+len(suffix) > 100 {
				s = strings.TrimRight(s[:100-len(suffix)], "-")
			}
			s += suffix
		}
		var n int64
		if err := db.Model(&Event{}).Where("slug = ?", s).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			return s, nil
		}
	}
	return base, nil
}
