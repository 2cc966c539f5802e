package models

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Image is the record of one uploaded picture: its content hash (of its
// purpose and bytes, so the same file uploaded twice is stored once), the
// type and size it came in. Its pixels are in ImageVariant rows.
type Image struct {
	ID          uint   `gorm:"primaryKey"`
	Hash        string `gorm:"size:64;not null;uniqueIndex"`
	Purpose     string `gorm:"size:20;not null"`
	ContentType string `gorm:"size:40;not null"`
	Width       int    `gorm:"not null"`
	Height      int    `gorm:"not null"`
	Size        int    `gorm:"not null"`
	CreatedAt   time.Time
}

// ImageVariant is one JPEG size of an image, served at /images/{hash}-{box}.jpg.
type ImageVariant struct {
	ID      uint   `gorm:"primaryKey"`
	ImageID uint   `gorm:"not null;uniqueIndex:idx_image_variant,priority:1"`
	Box     int    `gorm:"not null;uniqueIndex:idx_image_variant,priority:2"`
	Width   int    `gorm:"not null"`
	Height  int    `gorm:"not null"`
	Data    []byte `gorm:"not null"`
}

// EventImage is an event's cover with its text alternative ("" when the
// picture is decoration).
type EventImage struct {
	EventID   uint   `gorm:"primaryKey;autoIncrement:false"`
	ImageID   uint   `gorm:"not null;index"`
	Alt       string `gorm:"size:300;not null;default:''"`
	UpdatedAt time.Time
}

// OrganizationLogo is an organization's logo.
type OrganizationLogo struct {
	OrganizationID uint `gorm:"primaryKey;autoIncrement:false"`
	ImageID        uint `gorm:"not null;index"`
	UpdatedAt      time.Time
}

// MaxImageAlt is the longest text alternative, in characters.
const MaxImageAlt = 300

// ErrImageAltTooLong is returned for a longer text alternative.
var ErrImageAltTooLong = errors.New("image: text alternative too long")

// CheckImageAlt trims alt and checks its length.
func CheckImageAlt(alt string) (string, error) {
	alt = strings.Join(strings.Fields(alt), " ")
	if utf8.RuneCountInString(alt) > MaxImageAlt {
		return alt, ErrImageAltTooLong
	}
	return alt, nil
}

// Picture is what a page needs to show a stored image: its variants,
// smallest first, and its text alternative.
type Picture struct {
	Hash     string
	Alt      string
	Variants []PictureSize
}

// PictureSize is one variant's box (its name in the URL) and pixel size.
type PictureSize struct {
	Box, Width, Height int
}

// URL is the path of the variant named box.
func (p *Picture) URL(box int) string {
	return "/images/" + p.Hash + "-" + strconv.Itoa(box) + ".jpg"
}

// Pick returns the smallest variant at least box wide, or the largest.
func (p *Picture) Pick(box int) PictureSize {
	for _, v := range p.Variants {
		if v.Box >= box {
			return v
		}
	}
	return p.Largest()
}

// Largest is the biggest variant (for og:image and JSON-LD).
func (p *Picture) Largest() PictureSize { return p.Variants[len(p.Variants)-1] }

// SrcSet lists every variant for the img element's srcset.
func (p *Picture) SrcSet() string {
	parts := make([]string, len(p.Variants))
	for i, v := range p.Variants {
		parts[i] = p.URL(v.Box) + " " + strconv.Itoa(v.Width) + "w"
	}
	return strings.Join(parts, ", ")
}

// storeImage writes p (once per hash) and returns its id. An image already
// stored is reused under its row lock, the lock dropImageIfUnused takes
// before it counts the image's users: so a removal elsewhere cannot delete
// it between here and the link this transaction writes. If that removal
// won the lock and deleted it, it is stored afresh.
func storeImage(tx *gorm.DB, p *ProcessedImage, now time.Time) (uint, error) {
	var img Image
	for attempt := 0; ; attempt++ {
		img = Image{Hash: p.Hash, Purpose: p.Purpose, ContentType: p.ContentType, Width: p.Width, Height: p.Height, Size: p.Size, CreatedAt: now}
		res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "hash"}}, DoNothing: true}).Create(&img)
		if res.Error != nil {
			return 0, res.Error
		}
		if res.RowsAffected > 0 {
			break
		}
		var ids []uint // the same file is already stored
		if err := tx.Model(&Image{}).Clauses(lockForUpdate(tx)...).Where("hash = ?", p.Hash).Pluck("id", &ids).Error; err != nil {
			return 0, err
		}
		if len(ids) > 0 {
			return ids[0], nil
		}
		if attempt > 0 {
			return 0, fmt.Errorf("image %s: stored and deleted again meanwhile", p.Hash)
		}
	}
	for _, v := range p.Variants {
		if err := tx.Create(&ImageVariant{ImageID: img.ID, Box: v.Box, Width: v.Width, Height: v.Height, Data: v.Data}).Error; err != nil {
			return 0, err
		}
	}
	return img.ID, nil
}

// dropImageIfUnused deletes an image no event and no organization shows.
func dropImageIfUnused(tx *gorm.DB, id uint) error {
	if id == 0 {
		return nil
	}
	var locked []uint // see storeImage
	if err := tx.Model(&Image{}).Clauses(lockForUpdate(tx)...).Where("id = ?", id).Pluck("id", &locked).Error; err != nil || len(locked) == 0 {
		return err
	}
	var used int64
	if err := tx.Model(&EventImage{}).Where("image_id = ?", id).Count(&used).Error; err != nil || used > 0 {
		return err
	}
	if err := tx.Model(&OrganizationLogo{}).Where("image_id = ?", id).Count(&used).Error; err != nil || used > 0 {
		return err
	}
	if err := tx.Where("image_id = ?", id).Delete(&ImageVariant{}).Error; err != nil {
		return err
	}
	return tx.Delete(&Image{}, id).Error
}

// SetEventImage makes p the event's cover (p nil keeps the current one and
// changes only its text alternative: ErrImageMissing when there is none).
// The event's page and the listing are rendered afresh.
func SetEventImage(tx *gorm.DB, eventID uint, p *ProcessedImage, alt string, now time.Time) error {
	var cur EventImage
	err := tx.Where("event_id = ?", eventID).Take(&cur).Error
	found := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	if p == nil {
		if !found {
			return ErrImageMissing
		}
		if err := tx.Model(&EventImage{}).Where("event_id = ?", eventID).Updates(map[string]any{"alt": alt, "updated_at": now}).Error; err != nil {
			return err
		}
		return BumpEventVersion(tx, eventID)
	}
	id, err := storeImage(tx, p, now)
	if err != nil {
		return err
	}
	row := EventImage{EventID: eventID, ImageID: id, Alt: alt, UpdatedAt: now}
	if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "event_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"image_id", "alt", "updated_at"})}).Create(&row).Error; err != nil {
		return err
	}
	if found && cur.ImageID != id {
		if err := dropImageIfUnused(tx, cur.ImageID); err != nil {
			return err
		}
	}
	return BumpEventVersion(tx, eventID)
}

// RemoveEventImage takes the event's cover away; false when it had none.
func RemoveEventImage(tx *gorm.DB, eventID uint) (bool, error) {
	var cur EventImage
	if err := tx.Where("event_id = ?", eventID).Take(&cur).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return false, nil
		}
		return false, err
	}
	if err := tx.Where("event_id = ?", eventID).Delete(&EventImage{}).Error; err != nil {
		return false, err
	}
	if err := dropImageIfUnused(tx, cur.ImageID); err != nil {
		return false, err
	}
	return true, BumpEventVersion(tx, eventID)
}

// SetOrganizationLogo makes p the organization's logo; its events' pages,
// which show it, are rendered afresh.
func SetOrganizationLogo(tx *gorm.DB, orgID uint, p *ProcessedImage, now time.Time) error {
	var cur OrganizationLogo
	err := tx.Where("organization_id = ?", orgID).Take(&cur).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	id, err := storeImage(tx, p, now)
	if err != nil {
		return err
	}
	row := OrganizationLogo{OrganizationID: orgID, ImageID: id, UpdatedAt: now}
	if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "organization_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"image_id", "updated_at"})}).Create(&row).Error; err != nil {
		return err
	}
	if cur.ImageID != 0 && cur.ImageID != id {
		if err := dropImageIfUnused(tx, cur.ImageID); err != nil {
			return err
		}
	}
	return bumpOrgEvents(tx, orgID)
}

// RemoveOrganizationLogo takes the logo away; false when there was none.
func RemoveOrganizationLogo(tx *gorm.DB, orgID uint) (bool, error) {
	var cur OrganizationLogo
	if err := tx.Where("organization_id = ?", orgID).Take(&cur).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return false, nil
		}
		return false, err
	}
	if err := tx.Where("organization_id = ?", orgID).Delete(&OrganizationLogo{}).Error; err != nil {
		return false, err
	}
	if err := dropImageIfUnused(tx, cur.ImageID); err != nil {
		return false, err
	}
	return true, bumpOrgEvents(tx, orgID)
}

func bumpOrgEvents(tx *gorm.DB, orgID uint) error {
	return tx.Model(&Event{}).Where("organization_id = ?", orgID).UpdateColumn("version", gorm.Expr("version + 1")).Error
}

// ImageVariantFile returns the stored JPEG of hash at box, or gorm.ErrRecordNotFound.
func ImageVariantFile(db *gorm.DB, hash string, box int) (*ImageVariant, error) {
	var v ImageVariant
	err := db.Joins("JOIN images ON images.id = image_variants.image_id").
		Where("images.hash = ? AND image_variants.box = ?", hash, box).Take(&v).Error
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// pictureRow is one variant with what owns it, as the lookups below read them.
type pictureRow struct {
	Owner              uint
	Hash               string
	Alt                string
	Box, Width, Height int
}

// AttachEventPictures fills Image of each event that has a cover, in one query.
func AttachEventPictures(db *gorm.DB, events []Event) error {
	if len(events) == 0 {
		return nil
	}
	ids := make([]uint, len(events))
	for i := range events {
		ids[i] = events[i].ID
	}
	var rows []pictureRow
	err := db.Table("event_images").
		Select("event_images.event_id AS owner, images.hash, event_images.alt, image_variants.box, image_variants.width, image_variants.height").
		Joins("JOIN images ON images.id = event_images.image_id").
		Joins("JOIN image_variants ON image_variants.image_id = images.id").
		Where("event_images.event_id IN ?", ids).Order("image_variants.box").Scan(&rows).Error
	if err != nil {
		return err
	}
	pics := picturesOf(rows)
	for i := range events {
		events[i].Image = pics[events[i].ID]
	}
	return nil
}

// AttachEventPicture is AttachEventPictures for one event, with its
// organization's logo too.
func AttachEventPicture(db *gorm.DB, e *Event) error {
	one := []Event{*e}
	if err := AttachEventPictures(db, one); err != nil {
		return err
	}
	e.Image = one[0].Image
	logo, err := OrganizationLogoPicture(db, e.OrganizationID)
	if err != nil {
		return err
	}
	e.Organization.Logo = logo
	return nil
}

// OrganizationLogoPicture returns the organization's logo, or nil.
func OrganizationLogoPicture(db *gorm.DB, orgID uint) (*Picture, error) {
	var rows []pictureRow
	err := db.Table("organization_logos").
		Select("organization_logos.organization_id AS owner, images.hash, image_variants.box, image_variants.width, image_variants.height").
		Joins("JOIN images ON images.id = organization_logos.image_id").
		Joins("JOIN image_variants ON image_variants.image_id = images.id").
		Where("organization_logos.organization_id = ?", orgID).Order("image_variants.box").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	return picturesOf(rows)[orgID], nil
}

func picturesOf(rows []pictureRow) map[uint]*Picture {
	out := map[uint]*Picture{}
	for _, r := range rows {
		p := out[r.Owner]
		if p == nil {
			p = &Picture{Hash: r.Hash, Alt: r.Alt}
			out[r.Owner] = p
		}
		p.Variants = append(p.Variants, PictureSize{Box: r.Box, Width: r.Width, Height: r.Height})
	}
	return out
}

// picture gives a copied event the original's cover (the same stored
// image: nothing is duplicated).
func (c *eventCopier) picture() error {
	var cur EventImage
	err := c.tx.Where("event_id = ?", c.src).Take(&cur).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return c.tx.Create(&EventImage{EventID: c.dst, ImageID: cur.ImageID, Alt: cur.Alt, UpdatedAt: cur.UpdatedAt}).Error
}
