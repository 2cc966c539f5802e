package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// scaleSpec is the size of the event -prepare-scale writes.
type scaleSpec struct {
	Registrations, Sessions, MeetingPeople int
}

// scaleEvent is what the parts of a scale event need to know of each other.
type scaleEvent struct {
	db       *gorm.DB
	spec     scaleSpec
	now      time.Time
	org      *models.Organization
	owner    *models.User
	event    *models.Event
	tickets  map[string]*models.TicketType // by category
	consents []*models.ConsentText         // privacy, photos, research
	// attendees are the ids of the registrations, in the order made.
	attendees []uint
	sessions  []models.Session
	// participantToken signs the first meeting participant in.
	participantToken string
}

// prepareScale adds one published event at the scale of a big regional
// forum, written in bulk (plain rows in batches, inside transactions), and
// an owner who can sign in with an API token: it prints
// "event=SLUG id=ID email=... password=... token=...". The rows are those
// the real rules would write; counters are kept true (CheckCounters).
func prepareScale(dsn string, spec scaleSpec) error {
	t0 := time.Now()
	db, err := models.Open(dsn, models.OpenOptions{SQLiteSynchronous: "OFF"}) // generated data: no need to reach the disk per batch
	if err != nil {
		return err
	}
	if err := models.Migrate(db); err != nil {
		return err
	}
	s := &scaleEvent{db: db, spec: spec, now: time.Now().UTC(), tickets: map[string]*models.TicketType{}}
	steps := []struct {
		name string
		run  func() error
	}{
		{"event", s.makeEvent}, {"registrations", s.makeRegistrations}, {"sessions", s.makeSessions},
		{"check-ins", s.makeCheckins}, {"meetings", s.makeMeetings}, {"message", s.makeMessage},
		{"board", s.makeBoard}, {"feedback", s.makeFeedback}, {"outbox", func() error { return s.silenceOutbox(s.now) }},
	}
	for _, st := range steps {
		t := time.Now()
		if err := st.run(); err != nil {
			return fmt.Errorf("prepare scale: %s: %w", st.name, err)
		}
		fmt.Fprintf(os.Stderr, "prepare-scale: %-13s %s\n", st.name, time.Since(t).Round(time.Millisecond))
	}
	password, token, err := s.makeOwner()
	if err != nil {
		return fmt.Errorf("prepare scale: owner: %w", err)
	}
	if models.IsPostgres(db) {
		// What autovacuum does within a minute of a bulk load; without it
		// the planner picks nested loops for the checks below (100 s).
		if err := db.Exec("ANALYZE").Error; err != nil {
			return fmt.Errorf("prepare scale: analyze: %w", err)
		}
	}
	if err := models.CheckCounters(db); err != nil {
		return err
	}
	if err := models.CheckMeetings(db); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "prepare-scale: %d registrations in %s\n", len(s.attendees), time.Since(t0).Round(time.Millisecond))
	fmt.Printf("event=%s id=%d email=%s password=%s token=%s participant=%s\n", s.event.Slug, s.event.ID, s.owner.Email, password, token, s.participantToken)
	return nil
}

// makeEvent writes the organization, the event (it started two hours ago
// and lasts two days, so the door and the live board are in use), its
// ticket types, questions and consent texts.
func (s *scaleEvent) makeEvent() error {
	stamp := fmt.Sprintf("%d-%d", s.now.Unix(), s.spec.Registrations) // two prepared in one second differ by size
	org, err := models.FindOrCreateOrganization(s.db, "Scale test network "+stamp)
	if err != nil {
		return err
	}
	s.org = org
	start := s.now.Truncate(time.Hour).Add(-2 * time.Hour)
	opens := start.Add(-90 * 24 * time.Hour)
	s.event = &models.Event{OrganizationID: org.ID, Slug: "scale-forum-" + stamp, Kind: models.KindForum,
		Title: "Regional Health Innovation Forum", Summary: "Two days of talks, agoras and partner meetings on care at home.",
		Description: "The network's annual forum: clinicians, researchers, companies, patients and carers.",
		TimeZone:    "Europe/Madrid", StartsAt: start, EndsAt: start.Add(48 * time.Hour), Status: models.StatusPublished,
		Capacity: s.spec.Registrations + s.spec.Registrations/10, RegistrationOpensAt: &opens}
	if err := models.CreateEvent(s.db, s.event); err != nil {
		return err
	}
	for _, c := range []struct{ kind, body string }{
		{models.ConsentPrivacy, "We keep your data for the forum and delete it a year later."},
		{models.ConsentPhotos, "Photos and recordings of the sessions may be published."},
		{models.ConsentResearch, "Your feedback may be used, anonymised, in the Living Lab's research."},
	} {
		ct, err := models.SetConsentText(s.db, s.event.ID, c.kind, c.body)
		if err != nil {
			return err
		}
		s.consents = append(s.consents, ct)
	}
	tickets := []struct {
		name  string
		price int64
		cats  []string
	}{
		{"Patients and carers", 0, []string{models.CategoryPatientCitizen, models.CategoryCarer, models.CategoryOther}},
		{"Health professionals", 4500, []string{models.CategoryClinician, models.CategoryPublicAuth}},
		{"Research", 4500, []string{models.CategoryResearcher}},
		{"Industry", 12000, []string{models.CategoryIndustry}},
	}
	for i, t := range tickets {
		tt := &models.TicketType{EventID: s.event.ID, Name: t.name, Price: t.price, Currency: "EUR", Category: t.cats[0], MaxPerOrder: 5, Position: i}
		if err := s.db.Create(tt).Error; err != nil {
			return err
		}
		for _, c := range t.cats {
			s.tickets[c] = tt
		}
	}
	diet := models.Question{EventID: s.event.ID, Kind: models.QuestionChoice, Label: "Dietary requirements", Position: 1}
	diet.SetOptions(dietOptions)
	hope := models.Question{EventID: s.event.ID, Kind: models.QuestionText, Label: "What do you hope to take away from the forum?", Position: 2}
	return s.db.Create([]*models.Question{&diet, &hope}).Error
}

var dietOptions = []string{"None", "Vegetarian", "Vegan", "Gluten-free", "Halal"}

var hopes = []string{"Partners for a telecare pilot", "Learn what patients need at home", "Meet the regional health authority",
	"Funding for our Living Lab", "", "", "Ideas for carers' support", "Evidence on remote monitoring"}

// makeRegistrations writes the orders (mostly of one person, some of two
// or three), their attendees with answers and consents, in transactions of
// about a thousand people, and takes their places on the counters.
func (s *scaleEvent) makeRegistrations() error {
	q, err := questionsOf(s.db, s.event.ID)
	if err != nil {
		return err
	}
	prefix := strings.ToUpper(strings.NewReplacer("-", "X", "_", "Y").Replace(models.NewSecret()[:4]))
	const perTx = 1000
	n := s.spec.Registrations
	first := s.now.Add(-80 * 24 * time.Hour)
	step := 80 * 24 * time.Hour / time.Duration(max(n, 1))
	person, order := 0, 0
	for person < n {
		var orders []models.Order
		var sizes []int
		for k := 0; k < perTx && person < n; {
			size := 1
			switch {
			case order%25 == 7:
				size = 3
			case order%8 == 3:
				size = 2
			}
			size = min(size, n-person)
			buyer := personAt(person)
			at := first.Add(time.Duration(person) * step).Truncate(time.Millisecond)
			orders = append(orders, models.Order{EventID: s.event.ID, Code: fmt.Sprintf("%s%06d", prefix, order), Secret: models.NewSecret(),
				BuyerName: buyer.Name, BuyerEmail: buyer.Email, Language: buyer.Language, Status: models.OrderConfirmed,
				Currency: "EUR", ConfirmedAt: &at, CreatedAt: at, UpdatedAt: at})
			sizes = append(sizes, size)
			person += size
			k += size
			order++
		}
		if err := s.db.Transaction(func(tx *gorm.DB) error { return s.writeOrders(tx, orders, sizes, person, q) }); err != nil {
			return err
		}
	}
	return nil
}

// writeOrders writes one batch: orders, then their attendees (people up to
// end), answers and consent records, and the counters.
func (s *scaleEvent) writeOrders(tx *gorm.DB, orders []models.Order, sizes []int, end int, q []models.Question) error {
	if err := tx.Omit("Event", "Attendees").CreateInBatches(&orders, 500).Error; err != nil {
		return err
	}
	total := 0
	for _, k := range sizes {
		total += k
	}
	i := end - total
	as := make([]models.Attendee, 0, total)
	taken := map[uint]int{}
	for oi, o := range orders {
		for pos := 1; pos <= sizes[oi]; pos++ {
			p := personAt(i)
			tt := s.tickets[p.Category]
			a := models.Attendee{OrderID: o.ID, EventID: s.event.ID, TicketTypeID: tt.ID, Position: pos, Name: p.Name, Email: p.Email,
				Organization: p.Organization, Category: p.Category, Status: models.AttendeeActive, QRSecret: models.NewSecret(),
				CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
			if i%40 == 5 {
				a.Needs.StepFree = true
			}
			as = append(as, a)
			taken[tt.ID]++
			i++
		}
	}
	if err := tx.Omit("TicketType", "Order", "Answers").CreateInBatches(&as, 300).Error; err != nil {
		return err
	}
	answers := make([]models.Answer, 0, 2*len(as))
	records := make([]models.ConsentRecord, 0, 2*len(as))
	for k, a := range as {
		j := end - total + k
		answers = append(answers, models.Answer{AttendeeID: a.ID, QuestionID: q[0].ID, Value: dietOptions[(j*3)%len(dietOptions)], CreatedAt: a.CreatedAt, UpdatedAt: a.CreatedAt})
		if h := hopes[j%len(hopes)]; h != "" {
			answers = append(answers, models.Answer{AttendeeID: a.ID, QuestionID: q[1].ID, Value: h, CreatedAt: a.CreatedAt, UpdatedAt: a.CreatedAt})
		}
		lang := orders[0].Language
		records = append(records, models.ConsentRecord{AttendeeID: a.ID, ConsentTextID: s.consents[0].ID, GivenAt: a.CreatedAt, Language: lang})
		if j%3 != 0 {
			records = append(records, models.ConsentRecord{AttendeeID: a.ID, ConsentTextID: s.consents[1].ID, GivenAt: a.CreatedAt, Language: lang})
		}
		if j%5 < 2 {
			records = append(records, models.ConsentRecord{AttendeeID: a.ID, ConsentTextID: s.consents[2].ID, GivenAt: a.CreatedAt, Language: lang})
		}
		s.attendees = append(s.attendees, a.ID)
	}
	if err := tx.CreateInBatches(&answers, 1000).Error; err != nil {
		return err
	}
	if err := tx.Omit("ConsentText").CreateInBatches(&records, 1000).Error; err != nil {
		return err
	}
	if err := tx.Model(&models.Event{}).Where("id = ?", s.event.ID).Update("places_taken", gorm.Expr("places_taken + ?", len(as))).Error; err != nil {
		return err
	}
	for id, k := range taken {
		if err := tx.Model(&models.TicketType{}).Where("id = ?", id).Update("places_taken", gorm.Expr("places_taken + ?", k)).Error; err != nil {
			return err
		}
	}
	return nil
}

func questionsOf(db *gorm.DB, eventID uint) ([]models.Question, error) {
	var q []models.Question
	err := db.Where("event_id = ?", eventID).Order("position").Find(&q).Error
	if err == nil && len(q) != 2 {
		err = fmt.Errorf("want 2 questions, found %d", len(q))
	}
	return q, err
}

// makeOwner makes the organization's owner (a real user, signing in
// through the form) and an API token with every scope.
func (s *scaleEvent) makeOwner() (password, token string, err error) {
	password = "scale-" + models.NewSecret()[:16]
	email := fmt.Sprintf("owner-%d-%d@scale.example", s.now.Unix(), s.spec.Registrations)
	u, err := models.CreateUser(s.db, email, "Scale Owner", password, false)
	if err != nil {
		return "", "", err
	}
	if err := models.AddMember(s.db, s.org.ID, u.ID, models.RoleOwner); err != nil {
		return "", "", err
	}
	s.owner = u
	token, _, err = models.CreateAPIToken(s.db, models.NewAPITokenInput{OrganizationID: s.org.ID, Name: "Scale measurement",
		Scopes: models.APIScopes, CreatedByID: &u.ID}, models.AuditEntry{OrganizationID: s.org.ID, ActorUserID: &u.ID,
		ActorEmail: u.Email, Action: models.AuditAPITokenCreated, CreatedAt: s.now})
	return password, token, err
}
