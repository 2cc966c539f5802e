package demo

import (
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// The events' longer texts, which the translations are keyed by too.
const (
	forumDescription = "The cluster's **annual forum** brings together everyone who makes health and care innovation happen.\n\n" +
		"- Keynotes on integrated care and digital health\n- Parallel tracks on ageing well, mental health and data\n" +
		"- A Living Lab showcase where citizens test prototypes\n\nAll rooms are step-free. Sign-language interpretation is available in the Auditorium."
	symposiumDescription = "A one-day symposium for Living Labs, hospitals, companies and authorities.\n\n" +
		"In the afternoon, **one-to-one partner meetings**: organizations that lead a practice meet those adopting it, " +
		"in booked 20-minute slots at numbered tables."
)

func seedForum(tx *gorm.DB, orgID uint, day func(int, *time.Location) time.Time) error {
	loc := mustLoc("Europe/Madrid")
	d1, d2 := day(30, loc), day(31, loc)
	e := &models.Event{OrganizationID: orgID, Slug: ForumSlug, Kind: models.KindForum, Status: models.StatusPublished,
		Title:       "Health Innovation Forum",
		Summary:     "Two days where patients, carers, clinicians, companies and public authorities shape the next wave of health and care innovation in the region.",
		Description: forumDescription,
		Venue:       "Vallmar Conference Centre", Address: "12 Harbour Avenue", Locality: "Vallmar", PostalCode: "46000", Country: "ES", TimeZone: "Europe/Madrid",
		StartsAt: at(d1, 9, 0), EndsAt: at(d2, 17, 30), Capacity: 400}
	if err := models.CreateEvent(tx, e); err != nil {
		return err
	}
	speakers := []models.Speaker{
		{Name: "Dr. Lucía Ferrer", Role: "Geriatrician", Organization: "Vallmar University Hospital", Bio: "Leads the hospital's frailty programme and its Living Lab."},
		{Name: "Tomás Ibarra", Role: "Patient advocate", Organization: "Heart Patients Association Vallmar"},
		{Name: "Anneke de Wit", Role: "Director of digital health", Organization: "Example Regional Health Authority"},
		{Name: "Samuel Okafor", Role: "Founder", Organization: "CareSensor Labs (example)"},
		{Name: "Prof. Irene Castell", Role: "Professor of nursing", Organization: "University of Vallmar"},
		{Name: "Jordi Puig", Role: "Carer and volunteer", Organization: "Carers Network Vallmar"},
		{Name: "Dr. Mei Lin", Role: "Data protection officer", Organization: "Vallmar University Hospital"},
		{Name: "Rosa Almeida", Role: "Procurement lead", Organization: "Example Regional Health Authority"},
	}
	rooms := []string{"Auditorium", "Room Mediterrani", "Room Albufera", "Living Lab Hall"}
	tracks := []string{"Ageing well", "Mental health", "Health data", "Living Lab showcase"}
	specs := []sessionSpec{
		{0, 9, 0, 30, 0, -1, models.FormatTalk, "Welcome and opening", "Why this forum, and what we will do together over two days.", []int{2}, 0},
		{0, 9, 30, 45, 0, 0, models.FormatTalk, "Keynote: Care that follows the person home", "Integrated care from hospital to home, with the people who live it.", []int{0}, 0},
		{0, 10, 15, 60, 0, 0, models.FormatPanel, "Panel: Patients as partners in innovation", "", []int{1, 5, 4}, 0},
		{0, 11, 15, 30, -1, -1, models.FormatNetworking, "Coffee and networking", "", nil, 0},
		{0, 11, 45, 60, 1, 0, models.FormatWorkshop, "Designing falls prevention with older adults", "A hands-on session with the Living Lab's citizen panel.", []int{0}, 0},
		{0, 11, 45, 60, 2, 1, models.FormatTalk, "Early support for young people's mental health", "", []int{4}, 0},
		{0, 11, 45, 60, 3, 3, models.FormatAgora, "Living Lab showcase: sensors at home", "Try the prototypes and tell the makers what you think.", []int{3}, 0},
		{0, 13, 0, 60, -1, -1, models.FormatNetworking, "Lunch", "", nil, 0},
		{0, 14, 0, 60, 1, 2, models.FormatTalk, "Sharing health data safely for research", "", []int{6}, 0},
		{0, 14, 0, 60, 2, 1, models.FormatPanel, "Carers' mental health: what helps", "", []int{5, 4}, 0},
		{0, 15, 15, 60, 0, 2, models.FormatPanel, "Buying innovation: public procurement that works", "", []int{7, 3}, 0},
		{0, 16, 30, 45, 0, -1, models.FormatTalk, "Day one wrap-up", "", []int{2}, 0},
		{1, 9, 30, 45, 0, 0, models.FormatTalk, "Keynote: Ageing well in a digital region", "", []int{2}, 0},
		{1, 10, 15, 60, 1, 0, models.FormatWorkshop, "Co-design clinic: remote monitoring", "", []int{3, 0}, 0},
		{1, 10, 15, 60, 2, 2, models.FormatTalk, "Consent that people understand", "Easy-read consent forms, tested with citizens.", []int{6, 1}, 0},
		{1, 11, 15, 30, -1, -1, models.FormatNetworking, "Coffee and networking", "", nil, 0},
		{1, 11, 45, 75, 3, 3, models.FormatAgora, "Living Lab agora: loneliness and technology", "An open discussion with citizens, carers and makers.", []int{5}, 0},
		{1, 11, 45, 75, 1, 1, models.FormatWorkshop, "Peer support networks for mental health", "", []int{4}, 0},
		{1, 13, 0, 60, -1, -1, models.FormatNetworking, "Lunch", "", nil, 0},
		{1, 14, 0, 90, 0, -1, models.FormatPanel, "From pilot to practice: scaling what works", "", []int{7, 2, 0}, 0},
		{1, 16, 0, 30, 0, -1, models.FormatTalk, "Closing and next steps", "", []int{2}, 0},
	}
	return createAgenda(tx, e, []time.Time{d1, d2}, rooms, tracks, speakers, specs)
}

func seedSymposium(tx *gorm.DB, orgID uint, day func(int, *time.Location) time.Time) error {
	loc := mustLoc("Europe/Brussels")
	d := day(60, loc)
	e := &models.Event{OrganizationID: orgID, Slug: SymposiumSlug, Kind: models.KindSymposium, Status: models.StatusPublished,
		Title:       "Living Lab Symposium Brussels",
		Summary:     "Living Labs from across Europe share what works, then sit down one-to-one to plan adopting each other's practices.",
		Description: symposiumDescription,
		Venue:       "Example Conference House", Address: "Rue de l'Exemple 10", Locality: "Brussels", PostalCode: "1000", Country: "BE", TimeZone: "Europe/Brussels",
		StartsAt: at(d, 9, 0), EndsAt: at(d, 18, 0), Capacity: 150}
	if err := models.CreateEvent(tx, e); err != nil {
		return err
	}
	speakers := []models.Speaker{
		{Name: "Dr. Pieter Janssens", Role: "Living Lab coordinator", Organization: "Example Care Living Lab Leuven"},
		{Name: "Elena Moretti", Role: "Policy officer", Organization: "Example European Health Network"},
		{Name: "Ines Vidal", Role: "Innovation manager", Organization: "Vallmar Health & Care Cluster"},
		{Name: "Karin Olsen", Role: "Citizen researcher", Organization: "Example Nordic Living Lab"},
	}
	specs := []sessionSpec{
		{0, 9, 0, 30, 0, -1, models.FormatTalk, "Welcome", "", []int{2}, 0},
		{0, 9, 30, 60, 0, -1, models.FormatTalk, "Keynote: What makes a Living Lab practice travel", "", []int{0}, 0},
		{0, 10, 30, 60, 0, -1, models.FormatPanel, "Panel: Citizens as co-researchers", "", []int{3, 1}, 0},
		{0, 11, 45, 75, 1, -1, models.FormatWorkshop, "Adoption canvas: mapping your next practice", "", []int{2}, 0},
		{0, 13, 0, 60, -1, -1, models.FormatNetworking, "Lunch", "", nil, 0},
		{0, 14, 0, 180, 2, -1, models.FormatNetworking, "One-to-one partner meetings", "Booked meetings of 20 minutes with 5-minute breaks, at numbered tables.", nil, 0},
		{0, 17, 15, 45, 0, -1, models.FormatTalk, "Closing: commitments for the year", "", []int{1}, 0},
	}
	return createAgenda(tx, e, []time.Time{d}, []string{"Plenary hall", "Workshop room", "Meeting area"}, nil, speakers, specs)
}

func seedAgora(tx *gorm.DB, orgID uint, day func(int, *time.Location) time.Time) error {
	loc := mustLoc("Europe/Madrid")
	d := day(20, loc)
	e := &models.Event{OrganizationID: orgID, Slug: AgoraSlug, Kind: models.KindAgora, Status: models.StatusPublished,
		Title:   "Living Lab Agora: Ageing at home",
		Summary: "An afternoon of co-creation: older adults, carers, professionals and makers design together how technology can help people live at home longer.",
		Description: "Small groups, real conversations. Each co-creation session has **few places** so everyone is heard.\n\n" +
			"Easy-read material and a quiet room are available. Tell us what you need when you register.",
		Venue: "Vallmar University Hospital — Living Lab", Address: "3 Hospital Road", Locality: "Vallmar", PostalCode: "46000", Country: "ES", TimeZone: "Europe/Madrid",
		StartsAt: at(d, 15, 0), EndsAt: at(d, 19, 0), Capacity: 60}
	if err := models.CreateEvent(tx, e); err != nil {
		return err
	}
	speakers := []models.Speaker{
		{Name: "Carmen Soler", Role: "Facilitator", Organization: "Vallmar University Hospital Living Lab"},
		{Name: "Dr. Lucía Ferrer", Role: "Geriatrician", Organization: "Vallmar University Hospital"},
	}
	specs := []sessionSpec{
		{0, 15, 0, 30, 0, -1, models.FormatTalk, "Welcome and how we work today", "", []int{0}, 0},
		{0, 15, 30, 75, 1, -1, models.FormatAgora, "Co-creation: a safe home at night", "Lighting, alarms and what really helps.", []int{0}, 12},
		{0, 15, 30, 75, 2, -1, models.FormatAgora, "Co-creation: staying in touch", "Video calls, tablets, and when technology gets in the way.", []int{1}, 12},
		{0, 15, 30, 75, 3, -1, models.FormatAgora, "Co-creation: support for carers", "What carers need to keep caring without burning out.", nil, 10},
		{0, 17, 0, 30, -1, -1, models.FormatNetworking, "Break with snacks", "", nil, 0},
		{0, 17, 30, 60, 0, -1, models.FormatAgora, "Plenary agora: what we heard", "Each group shares its ideas; the Living Lab commits to next steps.", []int{0, 1}, 0},
	}
	return createAgenda(tx, e, []time.Time{d}, []string{"Main room", "Room A", "Room B", "Room C"}, nil, speakers, specs)
}

// seedDraft adds an unpublished event, so the demo shows that drafts stay private.
func seedDraft(tx *gorm.DB, orgID uint, day func(int, *time.Location) time.Time) error {
	loc := mustLoc("Europe/Madrid")
	d := day(90, loc)
	e := &models.Event{OrganizationID: orgID, Slug: DraftSlug, Kind: models.KindOther, Status: models.StatusDraft,
		Title: "Citizen panel on digital health", Summary: "Being prepared.", TimeZone: "Europe/Madrid",
		StartsAt: at(d, 17, 0), EndsAt: at(d, 19, 0)}
	return models.CreateEvent(tx, e)
}
