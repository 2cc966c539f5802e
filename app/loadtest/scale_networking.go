package main

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

var (
	topics = []string{"Telecare", "Remote monitoring", "Co-creation", "Financing", "Data and research", "Carers"}
	roles  = []string{"Nurse", "Researcher", "CEO", "Policy officer", "Patient advocate", "Product manager", "Physician"}
)

// makeMeetings switches networking on (a morning of 20-minute slots at 40
// tables), opts MeetingPeople people in with a profile (bulk rows, each as
// SaveProfile writes it), and has some of them ask for meetings through
// the real rules: a few hundred accepted, a few hundred left pending.
func (s *scaleEvent) makeMeetings() error {
	n := min(s.spec.MeetingPeople, len(s.attendees))
	if n < 2 {
		return nil
	}
	set := &models.NetworkingSetting{EventID: s.event.ID, Enabled: true, Mode: models.ModeRequests, RequestExpiryHours: 48,
		Topics: strings.Join(topics, "\n")}
	if err := models.SaveNetworking(s.db, set); err != nil {
		return err
	}
	day2 := s.event.StartsAt.Add(24 * time.Hour)
	if err := models.AddMeetingBlock(s.db, &models.MeetingBlock{EventID: s.event.ID, StartsAt: day2, EndsAt: day2.Add(5 * time.Hour), SlotMinutes: 20}); err != nil {
		return err
	}
	if err := models.AddTables(s.db, s.event.ID, "Table", 40); err != nil {
		return err
	}
	var people []models.Attendee
	if err := s.db.Where("id IN ?", s.attendees[:n]).Order("id").Find(&people).Error; err != nil {
		return err
	}
	ps := make([]models.MeetingParticipant, 0, n)
	for i, a := range people {
		ps = append(ps, models.MeetingParticipant{EventID: s.event.ID, AttendeeID: a.ID, Name: a.Name, Organization: a.Organization,
			Role: roles[i%len(roles)], Country: []string{"ES", "BE", "NL", "GR", "FR", "DK"}[i%6], Category: a.Category,
			Bio: "Working on care at home with " + a.Organization + ".", Interests: topics[i%len(topics)] + "\n" + topics[(i+2)%len(topics)],
			Offers: "Pilots and field data", Needs: "Partners", Active: true, CalendarToken: models.NewSecret(), CreatedAt: s.now, UpdatedAt: s.now})
	}
	if err := s.db.Omit("Attendee").CreateInBatches(&ps, 500).Error; err != nil {
		return err
	}
	// One participant's sign-in link, for measuring the directory as they see it.
	tok, err := models.IssueSignIn(s.db, s.event.ID, people[0].ID, s.now)
	if err != nil {
		return err
	}
	s.participantToken = tok
	slots, err := models.EventSlots(s.db, s.event.ID)
	if err != nil {
		return err
	}
	// Request k is in slot j = k mod slots, from person 2t to person
	// 2t+2j+1 (t = k / slots): in one slot everyone is in one request at
	// most, and no two people ask each other twice. Three in five are accepted.
	reqs := min(700, n/2*len(slots))
	for k := 0; k < reqs; k++ {
		j, t := k%len(slots), k/len(slots)
		slot := slots[j]
		from, to := ps[(2*t)%n].ID, ps[(2*t+2*j+1)%n].ID
		r, err := models.SendRequest(s.db, models.RequestInput{EventID: s.event.ID, From: from, To: to, SlotID: slot.ID,
			Message: "Shall we talk about your pilot?", Now: s.now})
		if err != nil {
			return fmt.Errorf("request %d: %w", k, err)
		}
		if t%5 < 3 {
			if _, err := models.AcceptRequest(s.db, s.event.ID, to, r.ID, s.now); err != nil {
				return fmt.Errorf("accept %d: %w", k, err)
			}
		}
	}
	return nil
}

var postBodies = []string{"How do we pay for telecare after the pilot ends?", "Who owns the data from home sensors?",
	"Can carers get training on the new devices?", "What about people without internet at home?",
	"How were patients involved in the design?", "Is there evidence that remote monitoring reduces admissions?"}

// makeBoard opens the live board of the first session and fills it with a
// few hundred posts (bulk rows, each as CreatePost writes it), most with
// votes from the room.
func (s *scaleEvent) makeBoard() error {
	if len(s.sessions) == 0 {
		return nil
	}
	b, err := models.SaveBoard(s.db, s.event.ID, s.sessions[0].ID, models.BoardSettings{Open: true, Topics: "Ethics\nFinancing\nCarers"}, s.now)
	if err != nil {
		return err
	}
	const posts = 400
	return s.db.Transaction(func(tx *gorm.DB) error {
		rows := make([]models.LivePost, 0, posts)
		for i := 0; i < posts; i++ {
			at := s.now.Add(-time.Duration(posts-i) * 10 * time.Second)
			p := models.LivePost{BoardID: b.ID, DeviceID: fmt.Sprintf("scale-device-%d", i%150), Body: fmt.Sprintf("%s (%d)", postBodies[i%len(postBodies)], i),
				Tags: []string{"Ethics", "Financing", "Carers", ""}[i%4], State: models.PostVisible, Votes: (i * 7) % 23, CreatedAt: at, UpdatedAt: at}
			if i%3 == 0 && i/3 < len(s.attendees) {
				id := s.attendees[i/3]
				p.AttendeeID, p.DeviceID = &id, ""
			}
			rows = append(rows, p)
		}
		if err := tx.CreateInBatches(&rows, 200).Error; err != nil {
			return err
		}
		var votes []models.LiveVote
		for _, p := range rows {
			for v := 0; v < p.Votes; v++ {
				votes = append(votes, models.LiveVote{PostID: p.ID, VoterKey: fmt.Sprintf("d:scale-voter-%d", v), CreatedAt: p.CreatedAt})
			}
		}
		return tx.CreateInBatches(&votes, 1000).Error
	})
}

// makeFeedback writes the event's questionnaire (satisfaction, an
// indicator, a choice and an open question) and answers from one person in
// five, as SubmitFeedback stores them.
func (s *scaleEvent) makeFeedback() error {
	f := &models.FeedbackForm{EventID: s.event.ID, Title: "How was the forum?", SendHours: 2, OpenDays: 14}
	if err := models.SaveFeedbackForm(s.db, f); err != nil {
		return err
	}
	qs := []*models.FeedbackQuestion{
		{Kind: models.FeedbackSatisfaction, Text: "Overall, how satisfied are you?", ScaleMin: 1, ScaleMax: 5, Required: true},
		{Kind: models.FeedbackIndicator, Text: "Well-being: feeling listened to", ScaleMin: 0, ScaleMax: 10, LowLabel: "Not at all", HighLabel: "Completely"},
		{Kind: models.FeedbackOpen, Text: "What should we change?"},
	}
	for _, q := range qs {
		q.FormID, q.EventID = f.ID, s.event.ID
		if err := models.SaveFeedbackQuestion(s.db, q); err != nil {
			return err
		}
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		var cats []models.Attendee
		for lo := 0; lo < len(s.attendees); lo += 5000 {
			var part []models.Attendee
			ids := s.attendees[lo:min(lo+5000, len(s.attendees))]
			if err := tx.Select("id", "category").Where("id IN ?", ids).Find(&part).Error; err != nil {
				return err
			}
			cats = append(cats, part...)
		}
		for lo := 0; lo < len(cats); lo += 5000 {
			var rs []models.FeedbackResponse
			for i := lo; i < min(lo+5000, len(cats)); i++ {
				if i%5 != 0 {
					continue
				}
				sat, ind := 1+(i*3)%5, (i*7)%11
				ans := []models.FeedbackAnswer{{QuestionID: qs[0].ID, FormID: f.ID, Value: &sat}, {QuestionID: qs[1].ID, FormID: f.ID, Value: &ind}}
				if i%15 == 0 {
					ans = append(ans, models.FeedbackAnswer{QuestionID: qs[2].ID, FormID: f.ID, Text: "More time for the agoras, please."})
				}
				rs = append(rs, models.FeedbackResponse{FormID: f.ID, AttendeeID: cats[i].ID, EventID: s.event.ID, Category: cats[i].Category,
					SubmittedAt: s.now, UpdatedAt: s.now, Answers: ans})
			}
			if len(rs) > 0 {
				if err := tx.CreateInBatches(&rs, 500).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
}
