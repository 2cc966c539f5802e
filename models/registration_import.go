package models

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Import statuses: rows are stored and shown for review (preview), then
// created by the jobs runner (queued → running → done).
const (
	ImportPreview = "preview"
	ImportQueued  = "queued"
	ImportRunning = "running"
	ImportDone    = "done"
)

// Import row states.
const (
	ImportRowInvalid    = "invalid"    // a problem in the file: never created
	ImportRowRegistered = "registered" // the e-mail is registered already: skipped
	ImportRowPending    = "pending"    // to be created
	ImportRowCreated    = "created"
	ImportRowNoRoom     = "no_room" // the ticket type or the event filled up
	ImportRowFailed     = "failed"  // refused when created (Problem says why)
)

// Problems of an import row (shown beside it in the preview).
const (
	ImportNameRequired   = "name_required"
	ImportNameTooLong    = "name_too_long"
	ImportEmailInvalid   = "email_invalid"
	ImportOrgTooLong     = "organization_too_long"
	ImportTicketUnknown  = "ticket_unknown"
	ImportTicketRequired = "ticket_required"
	ImportLanguage       = "language_unknown"
	ImportDuplicate      = "duplicate"
	ImportRegistered     = "registered"
	ImportEventClosed    = "event_closed"
	ImportInvalid        = "invalid"
)

// ErrImportStarted is a confirm of an import that is not in preview.
var ErrImportStarted = errors.New("this import was confirmed already")

// ImportLease is how long a run holds an import before another may take it over.
const ImportLease = 2 * time.Minute

// importBatch is how many rows one transaction creates: one commit (one
// disk flush) per batch keeps a 10,000-row import to seconds.
const importBatch = 100

// RegistrationImport is one uploaded invitee file: its rows, who uploaded
// it, and how far its creation got. A run claims it with a lease, so a
// restart or a second instance resumes it instead of repeating it.
type RegistrationImport struct {
	ID           uint   `gorm:"primaryKey"`
	EventID      uint   `gorm:"not null;index"`
	UserID       uint   `gorm:"not null;default:0"`
	UserName     string `gorm:"size:200;not null;default:''"`
	FileName     string `gorm:"size:200;not null;default:''"`
	Status       string `gorm:"size:20;not null;index"`
	SendMail     bool   `gorm:"not null;default:false"`
	Rows         int    `gorm:"not null;default:0"`
	ClaimedBy    string `gorm:"size:100;not null;default:''"`
	ClaimedUntil *time.Time
	FinishedAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ImportRow is one person of an import with its state.
type ImportRow struct {
	ID             uint   `gorm:"primaryKey"`
	ImportID       uint   `gorm:"not null"`
	Line           int    `gorm:"not null"`
	Name           string `gorm:"size:200;not null;default:''"`
	Email          string `gorm:"size:254;not null;default:''"`
	Organization   string `gorm:"size:200;not null;default:''"`
	TicketTypeName string `gorm:"size:200;not null;default:''"`
	TicketTypeID   uint   `gorm:"not null;default:0"`
	Language       string `gorm:"size:8;not null;default:''"`
	State          string `gorm:"size:20;not null"`
	Problem        string `gorm:"size:40;not null;default:''"`
	OrderID        *uint
	UpdatedAt      time.Time
}

func (ImportRow) TableName() string { return "registration_import_rows" }

// ImportCounts are an import's rows by state.
type ImportCounts map[string]int

// Created, Left and Skipped sum the states the pages show.
func (c ImportCounts) Created() int { return c[ImportRowCreated] }
func (c ImportCounts) Left() int    { return c[ImportRowPending] }
func (c ImportCounts) Skipped() int {
	return c[ImportRowInvalid] + c[ImportRowRegistered] + c[ImportRowNoRoom] + c[ImportRowFailed]
}

// CreateImport checks each line of a file against event eventID and stores
// the import for review: a line with a problem (no name, a bad e-mail, an
// unknown ticket type or language, an e-mail met earlier in the file) is
// invalid; one whose e-mail is registered already is skipped; the rest
// will be created. languages are the codes a row may name ("" = English).
func CreateImport(db *gorm.DB, eventID uint, by Actor, fileName string, lines []ImportLine, languages []string, now time.Time) (*RegistrationImport, error) {
	now = now.UTC()
	var tts []TicketType
	if err := db.Where("event_id = ?", eventID).Order("position, id").Find(&tts).Error; err != nil {
		return nil, err
	}
	byName := map[string]uint{}
	for _, t := range tts {
		byName[strings.ToLower(strings.TrimSpace(t.Name))] = t.ID
	}
	registered, err := registeredEmails(db, eventID)
	if err != nil {
		return nil, err
	}
	langs := map[string]bool{"": true}
	for _, l := range languages {
		langs[l] = true
	}
	if utf8.RuneCountInString(fileName) > 200 {
		fileName = string([]rune(fileName)[:200])
	}
	imp := &RegistrationImport{EventID: eventID, UserID: by.UserID, UserName: by.Name, FileName: fileName, Status: ImportPreview,
		Rows: len(lines), CreatedAt: now, UpdatedAt: now}
	seen := map[string]bool{}
	rows := make([]ImportRow, 0, len(lines))
	for _, l := range lines {
		r := ImportRow{Line: l.Line, Name: clip(l.Name, MaxNameLen), Email: clip(NormalizeEmail(l.Email), MaxEmailLen),
			Organization: clip(l.Organization, MaxOrgLen), TicketTypeName: clip(l.TicketType, 200),
			Language: clip(strings.ToLower(l.Language), 8), State: ImportRowPending, UpdatedAt: now}
		problem := ""
		switch {
		case l.Name == "":
			problem = ImportNameRequired
		case utf8.RuneCountInString(l.Name) > MaxNameLen:
			problem = ImportNameTooLong
		case !ValidEmail(NormalizeEmail(l.Email)):
			problem = ImportEmailInvalid
		case utf8.RuneCountInString(l.Organization) > MaxOrgLen:
			problem = ImportOrgTooLong
		case !langs[r.Language]:
			problem = ImportLanguage
		}
		if problem == "" {
			switch id, ok := byName[strings.ToLower(l.TicketType)]; {
			case ok:
				r.TicketTypeID = id
			case l.TicketType == "" && len(tts) == 1:
				r.TicketTypeID = tts[0].ID
			case l.TicketType == "":
				problem = ImportTicketRequired
			default:
				problem = ImportTicketUnknown
			}
		}
		if problem == "" && seen[r.Email] {
			problem = ImportDuplicate
		}
		switch {
		case problem != "":
			r.State, r.Problem = ImportRowInvalid, problem
		case registered[r.Email]:
			r.State, r.Problem = ImportRowRegistered, ImportRegistered
		}
		if r.State != ImportRowInvalid || problem == ImportDuplicate {
			seen[r.Email] = true
		}
		rows = append(rows, r)
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(imp).Error; err != nil {
			return err
		}
		for i := range rows {
			rows[i].ImportID = imp.ID
		}
		if len(rows) == 0 {
			return nil
		}
		return tx.CreateInBatches(rows, 500).Error
	})
	if err != nil {
		return nil, err
	}
	return imp, nil
}

// clip shortens s to max characters, for a value stored only to be shown
// beside its problem (the problem itself says it is too long).
func clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}

// registeredEmails are the e-mails of the event's active attendees of live
// orders, and those any import registered.
func registeredEmails(db *gorm.DB, eventID uint) (map[string]bool, error) {
	var emails []string
	if err := db.Model(&Attendee{}).Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("attendees.event_id = ? AND attendees.status = ? AND orders.status IN ?", eventID, AttendeeActive, liveOrderStatuses).
		Distinct().Pluck("attendees.email", &emails).Error; err != nil {
		return nil, err
	}
	var imported []string
	if err := db.Model(&StaffOrder{}).Where("event_id = ? AND import_email IS NOT NULL", eventID).Pluck("import_email", &imported).Error; err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, e := range append(emails, imported...) {
		out[NormalizeEmail(e)] = true
	}
	return out, nil
}

// ImportOfEvent returns import id of event eventID with its counts.
func ImportOfEvent(db *gorm.DB, eventID, id uint) (*RegistrationImport, ImportCounts, error) {
	var imp RegistrationImport
	if err := db.Where("id = ? AND event_id = ?", id, eventID).Take(&imp).Error; err != nil {
		return nil, nil, err
	}
	var rows []struct {
		State string
		N     int
	}
	if err := db.Model(&ImportRow{}).Select("state, COUNT(*) AS n").Where("import_id = ?", id).Group("state").Scan(&rows).Error; err != nil {
		return nil, nil, err
	}
	c := ImportCounts{}
	for _, r := range rows {
		c[r.State] = r.N
	}
	return &imp, c, nil
}

// ImportRows lists an import's rows in states (all when none), in file
// order, at most limit.
func ImportRows(db *gorm.DB, importID uint, limit int, states ...string) ([]ImportRow, error) {
	q := db.Where("import_id = ?", importID)
	if len(states) > 0 {
		q = q.Where("state IN ?", states)
	}
	var rows []ImportRow
	err := q.Order("line").Limit(limit).Find(&rows).Error
	return rows, err
}

// ImportsOfEvent lists the event's imports, newest first.
func ImportsOfEvent(db *gorm.DB, eventID uint) ([]RegistrationImport, error) {
	var out []RegistrationImport
	err := db.Where("event_id = ?", eventID).Order("id DESC").Limit(50).Find(&out).Error
	return out, err
}

// ConfirmImport queues a previewed import for creation (once: a second
// confirm is ErrImportStarted), with or without the confirmation e-mails.
func ConfirmImport(db *gorm.DB, eventID, id uint, sendMail bool, now time.Time) error {
	res := db.Model(&RegistrationImport{}).Where("id = ? AND event_id = ? AND status = ?", id, eventID, ImportPreview).
		Updates(map[string]any{"status": ImportQueued, "send_mail": sendMail, "updated_at": now.UTC()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrImportStarted
	}
	return nil
}

// ImportsDue lists the imports waiting to be created or resumed.
func ImportsDue(db *gorm.DB, now time.Time, limit int) ([]uint, error) {
	var ids []uint
	err := db.Model(&RegistrationImport{}).Where("status IN ? AND (claimed_until IS NULL OR claimed_until < ?)",
		[]string{ImportQueued, ImportRunning}, now.UTC()).Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}

// ProcessImport creates up to maxRows of import id's pending rows when
// holder can claim it (free, or its lease ran out): each row becomes a
// complimentary staff registration through PlaceStaffOrder, in batches of
// one transaction each; a row whose ticket type (or the event) filled up
// is no_room, never oversold; an e-mail another import or run registered
// meanwhile is registered (the unique import e-mail). Restartable: a row
// changes state only in the transaction that creates its order. done
// reports that no row is left.
func ProcessImport(db *gorm.DB, id uint, holder string, now time.Time, maxRows int) (done bool, err error) {
	now = now.UTC()
	until := now.Add(ImportLease)
	res := db.Model(&RegistrationImport{}).Where("id = ? AND status IN ? AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)",
		id, []string{ImportQueued, ImportRunning}, now, holder).
		Updates(map[string]any{"status": ImportRunning, "claimed_by": holder, "claimed_until": until, "updated_at": now})
	if res.Error != nil || res.RowsAffected != 1 {
		return false, res.Error
	}
	var imp RegistrationImport
	if err := db.Take(&imp, id).Error; err != nil {
		return false, err
	}
	by := Actor{UserID: imp.UserID, Name: imp.UserName}
	for handled := 0; handled < maxRows; {
		rows, err := ImportRows(db, id, min(importBatch, maxRows-handled), ImportRowPending)
		if err != nil {
			return false, err
		}
		if len(rows) == 0 {
			break
		}
		err = db.Transaction(func(tx *gorm.DB) error {
			cache := &importCache{forms: map[uint]*RegistrationForm{}}
			registered, err := registeredAmong(tx, imp.EventID, rows)
			if err != nil {
				return err
			}
			for i := range rows {
				if err := importRow(tx, imp, &rows[i], by, cache, registered[rows[i].Email], now); err != nil {
					return err
				}
			}
			return tx.Model(&RegistrationImport{}).Where("id = ? AND claimed_by = ?", id, holder).
				Updates(map[string]any{"claimed_until": time.Now().UTC().Add(ImportLease), "updated_at": now}).Error
		})
		if err != nil {
			return false, err
		}
		handled += len(rows)
	}
	var left int64
	if err := db.Model(&ImportRow{}).Where("import_id = ? AND state = ?", id, ImportRowPending).Count(&left).Error; err != nil {
		return false, err
	}
	upd := map[string]any{"claimed_by": "", "claimed_until": nil, "updated_at": now}
	if left == 0 {
		upd["status"], upd["finished_at"] = ImportDone, now
	}
	if err := db.Model(&RegistrationImport{}).Where("id = ? AND claimed_by = ?", id, holder).Updates(upd).Error; err != nil {
		return false, err
	}
	return left == 0, nil
}

// importRow registers one row inside the batch's transaction (the order in
// a savepoint of its own, so a row that fails leaves the others).
func importRow(tx *gorm.DB, imp RegistrationImport, r *ImportRow, by Actor, cache *importCache, registered bool, now time.Time) error {
	in := StaffOrderInput{Kind: StaffComplimentary, Actor: by, SendConfirmation: imp.SendMail, importRow: r, cache: cache,
		PlaceOrderInput: PlaceOrderInput{EventID: imp.EventID, TicketTypeID: r.TicketTypeID, BuyerName: r.Name, BuyerEmail: r.Email,
			Language: r.Language, Now: now, Attendees: []AttendeeInput{{Name: r.Name, Email: r.Email, Organization: r.Organization}}}}
	err := ErrAlreadyRegistered
	if !registered {
		_, err = PlaceStaffOrder(tx, in)
	}
	state, problem := "", ""
	var ve *ValidationError
	switch {
	case err == nil, errors.Is(err, errImportRowTaken):
		return nil
	case errors.Is(err, ErrAlreadyRegistered):
		state, problem = ImportRowRegistered, ImportRegistered
	case IsFull(err):
		state = ImportRowNoRoom
	case errors.Is(err, ErrEventNotOpen):
		state, problem = ImportRowFailed, ImportEventClosed
	case errors.Is(err, ErrInvalidTicketType):
		state, problem = ImportRowFailed, ImportTicketUnknown
	case errors.As(err, &ve), errors.Is(err, ErrTooManyAttendees):
		state, problem = ImportRowFailed, ImportInvalid
	default:
		return err
	}
	return tx.Model(&ImportRow{}).Where("id = ? AND state = ?", r.ID, ImportRowPending).
		Updates(map[string]any{"state": state, "problem": problem, "updated_at": now}).Error
}

// registeredAmong reports which of the rows' e-mails an active attendee of
// a live order of the event holds now (someone who registered themselves
// after the preview): those rows are skipped.
func registeredAmong(tx *gorm.DB, eventID uint, rows []ImportRow) (map[string]bool, error) {
	emails := make([]string, len(rows))
	for i, r := range rows {
		emails[i] = r.Email
	}
	var found []string
	if err := tx.Model(&Attendee{}).Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("attendees.event_id = ? AND attendees.email IN ? AND attendees.status = ? AND orders.status IN ?", eventID, emails, AttendeeActive, liveOrderStatuses).
		Distinct().Pluck("attendees.email", &found).Error; err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, e := range found {
		out[e] = true
	}
	return out, nil
}
