package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

var (
	checkinAppRe = regexp.MustCompile(`data-list="(\d+)" data-base="[^"]*" data-csrf="([^"]+)"`)
	messageRe    = regexp.MustCompile(`/messages/(\d+)"`)
	boardLinkRe  = regexp.MustCompile(`/sessions/(\d+)/board"`)
	projectorRe  = regexp.MustCompile(`/live/p/([A-Za-z0-9_-]+)"`)
	feedbackRe   = regexp.MustCompile(`/feedback/(\d+)/results"`)
)

// discover finds the event's id (through the API), its door list, message,
// live board and questionnaire (through the organizer's pages), and
// returns the pages to measure, in the order of the report.
func (s *scaleSession) discover() ([]scalePage, error) {
	var events struct {
		Items []struct {
			ID   uint   `json:"id"`
			Slug string `json:"slug"`
		} `json:"items"`
	}
	if err := s.getJSON("/api/v1/events?limit=500", &events); err != nil {
		return nil, err
	}
	var id uint
	for _, e := range events.Items {
		if e.Slug == s.t.Slug {
			id = e.ID
		}
	}
	if id == 0 {
		return nil, fmt.Errorf("event %s is not among the token's organization's events", s.t.Slug)
	}
	ev := fmt.Sprintf("/manage/events/%d", id)
	door, err := s.find(ev+"/checkin", checkinAppRe, 2)
	if err != nil {
		return nil, err
	}
	s.organizer.csrf = door[1]
	msg, err := s.find(ev+"/messages", messageRe, 1)
	if err != nil {
		return nil, err
	}
	board, err := s.find(ev+"/boards", boardLinkRe, 1)
	if err != nil {
		return nil, err
	}
	boardPage := ev + "/sessions/" + board[0] + "/board"
	projector, err := s.find(boardPage, projectorRe, 1)
	if err != nil {
		return nil, err
	}
	form, err := s.find(ev+"/feedback", feedbackRe, 1)
	if err != nil {
		return nil, err
	}
	var attendees struct {
		Items []struct {
			ID uint `json:"id"`
		} `json:"items"`
	}
	api := fmt.Sprintf("/api/v1/events/%d", id)
	if err := s.getJSON(api+"/attendees?limit=10", &attendees); err != nil {
		return nil, err
	}
	since := url.QueryEscape(time.Now().UTC().Add(-time.Hour).Format(time.RFC3339Nano))
	q := url.QueryEscape
	pages := []scalePage{
		{Name: "event_page", Path: "/events/" + s.t.Slug},
		{Name: "registrations", Path: ev + "/registrations", As: "organizer"},
		{Name: "registrations_page_100", Path: ev + "/registrations?page=100", As: "organizer"},
		{Name: "search_rare_name", Path: ev + "/registrations?q=" + q(RareSurname), As: "organizer"},
		{Name: "search_common_name", Path: ev + "/registrations?q=" + q(CommonSurname), As: "organizer"},
		{Name: "search_email", Path: ev + "/registrations?q=" + q("@uni.example"), As: "organizer"},
		{Name: "registrations_csv", Path: ev + "/registrations.csv", As: "organizer", Runs: 20},
		{Name: "checkin_page", Path: ev + "/checkin", As: "organizer"},
		{Name: "checkin_search_rare", Path: ev + "/checkin?q=" + q(strings.ToLower(RareSurname)), As: "organizer"},
		{Name: "checkin_search_common", Path: ev + "/checkin?q=" + q("garcia"), As: "organizer"},
		{Name: "checkin_people_json", Path: ev + "/checkin/people.json?list=" + door[0], As: "organizer", Runs: 20},
		{Name: "checkin_changes_json", Path: ev + "/checkin/changes.json?list=" + door[0] + "&since=" + since, As: "organizer"},
		{Name: "checkin_sync_10", Path: ev + "/checkin/sync", As: "organizer", Post: syncTemplate(door[0], attendees.Items)},
		{Name: "messages", Path: ev + "/messages", As: "organizer"},
		{Name: "message", Path: ev + "/messages/" + msg[0], As: "organizer"},
		{Name: "board_moderation", Path: boardPage, As: "organizer"},
		{Name: "board_posts_fragment", Path: boardPage + "/posts", As: "organizer"},
		{Name: "projector", Path: "/live/p/" + projector[0]},
		{Name: "projector_screen", Path: "/live/p/" + projector[0] + "/screen"},
		{Name: "api_orders_100", Path: api + "/orders?limit=100", As: "api", Runs: 30},       // the token may make 600 requests a minute
		{Name: "api_orders_500", Path: api + "/orders?limit=500", As: "api", Runs: 30},       // the token may make 600 requests a minute
		{Name: "api_attendees_100", Path: api + "/attendees?limit=100", As: "api", Runs: 30}, // the token may make 600 requests a minute
		{Name: "api_attendees_500", Path: api + "/attendees?limit=500", As: "api", Runs: 30}, // the token may make 600 requests a minute
		{Name: "meetings_organizer", Path: ev + "/meetings", As: "organizer"},
		{Name: "badges_pdf_authorities", Path: ev + "/badges.pdf?who=category&category=public_authority", As: "organizer", Runs: 5},
		{Name: "feedback_results", Path: ev + "/feedback/" + form[0] + "/results", As: "organizer"},
	}
	if s.participant != nil {
		pages = append(pages, scalePage{Name: "meetings_directory", Path: "/events/" + s.t.Slug + "/meetings/directory", As: "participant"})
	}
	return pages, nil
}

// syncTemplate is a batch of ten check-ins by attendee id; @K@ in the
// local ids is replaced per request (see syncBody).
func syncTemplate(list string, people []struct {
	ID uint `json:"id"`
}) []byte {
	var items []string
	for i, p := range people {
		items = append(items, fmt.Sprintf(`{"device":"scale-measure","local":"m@K@-%d","attendee":%d,"list":%s,"at":%q}`,
			i, p.ID, list, time.Now().UTC().Format(time.RFC3339)))
	}
	return []byte(`{"device":"scale-measure","items":[` + strings.Join(items, ",") + `]}`)
}

// find loads path as the organizer and returns the first match's groups.
func (s *scaleSession) find(path string, re *regexp.Regexp, groups int) ([]string, error) {
	body, _, err := s.request(scalePage{Path: path, As: "organizer"}, 0)
	if err != nil {
		return nil, err
	}
	m := re.FindSubmatch(body)
	if m == nil || len(m) < groups+1 {
		return nil, fmt.Errorf("%s: nothing matches %s", path, re)
	}
	out := make([]string, groups)
	for i := range out {
		out[i] = string(m[i+1])
	}
	return out, nil
}

func (s *scaleSession) getJSON(path string, v any) error {
	body, _, err := s.request(scalePage{Path: path, As: "api"}, 0)
	if err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}
