package models

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// DoorPerson is what the door needs about one person on a list, and no
// more: no e-mail, no needs' details, no answers. It is also what a phone
// keeps offline, so the QR secret travels only as a hash.
type DoorPerson struct {
	AttendeeID   uint       `json:"id"`
	Name         string     `json:"name"`
	Organization string     `json:"org,omitempty"`
	TicketType   string     `json:"ticket"`
	Code         string     `json:"code"`
	QRHash       string     `json:"qr"`
	Companion    bool       `json:"companion,omitempty"`
	StepFree     bool       `json:"step_free,omitempty"`
	NoPhotos     bool       `json:"no_photos,omitempty"` // the event asks about photos; no live consent
	CheckinID    uint       `json:"checkin_id,omitempty"`
	InAt         *time.Time `json:"in_at,omitempty"`
	OutAt        *time.Time `json:"out_at,omitempty"`
	InDevice     string     `json:"in_device,omitempty"`
	email        string
}

// QRHash is how a ticket's QR secret is kept on a door phone: SHA-256, hex.
func QRHash(secret string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return hex.EncodeToString(sum[:])
}

// FoldSearch makes text comparable the way people type it at the door:
// lower case, accents dropped ("José" → "jose"), spaces squeezed.
func FoldSearch(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}

// DoorPeople returns everyone expected on list l with their door flags and
// live check-in, sorted by name.
func DoorPeople(db *gorm.DB, l *CheckinList) ([]DoorPerson, error) {
	return doorPeople(db, l)
}

// DoorPersonOn returns attendee id as the door sees them on list l, or
// ok=false when they are not expected there.
func DoorPersonOn(db *gorm.DB, l *CheckinList, id uint) (p DoorPerson, ok bool, err error) {
	if id == 0 {
		return p, false, nil
	}
	ps, err := doorPeople(db, l, id)
	if err != nil || len(ps) == 0 {
		return p, false, err
	}
	return ps[0], true, nil
}

// doorPeople is DoorPeople, or the rows of the attendees only when given.
func doorPeople(db *gorm.DB, l *CheckinList, only ...uint) ([]DoorPerson, error) {
	var rows []struct {
		ID           uint
		Name         string
		Email        string
		Organization string
		Position     int
		QRSecret     string
		Companion    bool
		StepFree     bool
		OrderCode    string
		TicketName   string
	}
	q := expectedOn(db, l)
	live := db.Where("list_id = ? AND undone_at IS NULL", l.ID)
	if len(only) > 0 {
		q, live = q.Where("attendees.id IN ?", only), live.Where("attendee_id IN ?", only)
	}
	err := q.Joins("JOIN ticket_types ON ticket_types.id = attendees.ticket_type_id").
		Select(`attendees.id, attendees.name, attendees.email, attendees.organization, attendees.position, attendees.qr_secret,
			attendees.need_companion AS companion, attendees.need_step_free AS step_free, orders.code AS order_code, ticket_types.name AS ticket_name`).
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	photos, err := photoConsents(db, l.EventID, only...)
	if err != nil {
		return nil, err
	}
	var asked int64
	if err := db.Model(&ConsentText{}).Where("event_id = ? AND kind = ?", l.EventID, ConsentPhotos).Count(&asked).Error; err != nil {
		return nil, err
	}
	var ks []Checkin
	if err := live.Find(&ks).Error; err != nil {
		return nil, err
	}
	in := map[uint]*Checkin{}
	for i := range ks {
		in[ks[i].AttendeeID] = &ks[i]
	}
	out := make([]DoorPerson, 0, len(rows))
	for _, r := range rows {
		p := DoorPerson{AttendeeID: r.ID, Name: r.Name, Organization: r.Organization, TicketType: r.TicketName,
			Code: r.OrderCode + "-" + strconv.Itoa(r.Position), QRHash: QRHash(r.QRSecret), Companion: r.Companion,
			StepFree: r.StepFree, NoPhotos: asked > 0 && !photos[r.ID], email: r.Email}
		if k := in[r.ID]; k != nil {
			at := k.At
			p.CheckinID, p.InAt, p.OutAt, p.InDevice = k.ID, &at, k.CheckedOutAt, k.DeviceID
		}
		out = append(out, p)
	}
	keys := make(map[uint]string, len(out))
	for _, p := range out {
		keys[p.AttendeeID] = foldName(p.Name)
	}
	sort.SliceStable(out, func(i, j int) bool { return keys[out[i].AttendeeID] < keys[out[j].AttendeeID] })
	return out, nil
}

// photoConsents lists the event's attendees (or only those) with a live photo consent.
func photoConsents(db *gorm.DB, eventID uint, only ...uint) (map[uint]bool, error) {
	var ids []uint
	q := db.Table("consent_records r").Joins("JOIN consent_texts t ON t.id = r.consent_text_id").
		Where("t.event_id = ? AND t.kind = ? AND r.withdrawn_at IS NULL", eventID, ConsentPhotos)
	if len(only) > 0 {
		q = q.Where("r.attendee_id IN ?", only)
	}
	err := q.Distinct().Pluck("r.attendee_id", &ids).Error
	m := make(map[uint]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m, err
}

// SearchDoor finds people on list l by a few letters of their name, e-mail,
// organization or order code, accents and case aside. Staff may search by
// e-mail, but the result carries only door data. At most limit results,
// by name. The fold runs in Go, so it is the same on SQLite and PostgreSQL
// and never goes stale when a name changes; it reads only the searched
// columns of the list, and builds the door data of the results alone.
func SearchDoor(db *gorm.DB, l *CheckinList, q string, limit int) ([]DoorPerson, error) {
	q = FoldSearch(q)
	if len([]rune(q)) < 2 {
		return nil, nil
	}
	type hit struct {
		id  uint
		key string
	}
	var hits []hit
	// Read with database/sql rather than into structs: this reads every
	// person on the list for each search, and the reflection cost as much
	// as the query.
	rows, err := expectedOn(db, l).Select("attendees.id, attendees.name, attendees.email, attendees.organization, attendees.position, orders.code").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		id                uint
		name, email, code string
		org               sql.NullString
		pos               int
	)
	for rows.Next() {
		if err := rows.Scan(&id, &name, &email, &org, &pos, &code); err != nil {
			return nil, err
		}
		key := foldName(name)
		if strings.Contains(key, q) || strings.Contains(foldName(org.String), q) || strings.Contains(strings.ToLower(email), q) ||
			strings.Contains(strings.ToLower(code+"-"+strconv.Itoa(pos)), q) {
			hits = append(hits, hit{id, key})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].key < hits[j].key })
	if len(hits) > limit {
		hits = hits[:limit]
	}
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]uint, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	return doorPeople(db, l, ids...)
}

// CheckinChange is one check-in made or taken back on a list, for the
// other devices at the door.
type CheckinChange struct {
	AttendeeID uint       `json:"id"`
	CheckinID  uint       `json:"checkin_id"`
	InAt       time.Time  `json:"in_at"`
	OutAt      *time.Time `json:"out_at,omitempty"`
	Undone     bool       `json:"undone,omitempty"`
	Device     string     `json:"in_device,omitempty"`
}

// CheckinChanges returns the list's check-ins changed after since (by
// updated_at), oldest first, and the time to ask from next.
func CheckinChanges(db *gorm.DB, l *CheckinList, since time.Time, limit int) ([]CheckinChange, time.Time, error) {
	var ks []Checkin
	if err := db.Where("list_id = ? AND updated_at > ?", l.ID, since.UTC()).Order("updated_at, id").Limit(limit).Find(&ks).Error; err != nil {
		return nil, since, err
	}
	out := make([]CheckinChange, 0, len(ks))
	next := since
	for _, k := range ks {
		out = append(out, CheckinChange{AttendeeID: k.AttendeeID, CheckinID: k.ID, InAt: k.At, OutAt: k.CheckedOutAt, Undone: k.UndoneAt != nil, Device: k.DeviceID})
		if k.UpdatedAt.After(next) {
			next = k.UpdatedAt
		}
	}
	return out, next, nil
}
