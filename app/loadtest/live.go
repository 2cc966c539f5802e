package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agora-events/agora/models"
)

// prepareBoard adds an event with one session and an open, unmoderated live
// board, for the live journey; it prints the join code and the projector secret.
func prepareBoard(dsn string) error {
	db, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		return err
	}
	if err := models.Migrate(db); err != nil {
		return err
	}
	org, err := models.FindOrCreateOrganization(db, "Load test organization")
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	start := now.Truncate(time.Hour)
	ev := &models.Event{OrganizationID: org.ID, Slug: fmt.Sprintf("load-live-%d", now.Unix()), Kind: models.KindAgora, Title: "Load test agora",
		TimeZone: "Europe/Madrid", StartsAt: start, EndsAt: start.Add(4 * time.Hour), Status: models.StatusPublished}
	if err := models.CreateEvent(db, ev); err != nil {
		return err
	}
	s := models.Session{EventID: ev.ID, Title: "Plenary", Format: models.FormatAgora, StartsAt: start, EndsAt: start.Add(2 * time.Hour)}
	if err := db.Create(&s).Error; err != nil {
		return err
	}
	b, err := models.SaveBoard(db, ev.ID, s.ID, models.BoardSettings{Open: true, Topics: "Ethics\nFinancing"}, now)
	if err != nil {
		return err
	}
	fmt.Printf("code=%s projector=%s\n", b.Code(), b.ProjectorSecret)
	return nil
}

// liveLoad is the live journey's shared state: the posts made so far (to
// vote on) and when each was sent, and when the projector showed it.
type liveLoad struct {
	target, code string
	think        time.Duration
	mu           sync.Mutex
	posts        []uint
	sent         map[uint]time.Time
	heard        map[uint]time.Time // the projector's stream announced it
	shown        map[uint]time.Time // the projector's screen, fetched after that, has it
	people       sync.Map           // client id → *livePerson
}

type livePerson struct {
	http  *http.Client
	base  string
	csrf  string
	voted map[uint]bool
	n     int
}

var postIDRe = regexp.MustCompile(`#post-(\d+)$`)

func newLiveLoad(target, code string, think time.Duration) *liveLoad {
	return &liveLoad{target: target, code: code, think: think, sent: map[uint]time.Time{}, heard: map[uint]time.Time{}, shown: map[uint]time.Time{}}
}

// join makes a person's phone: a cookie jar, the board joined by its code.
func (l *liveLoad) join(rec *recorder) (*livePerson, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	t0 := time.Now()
	res, err := c.Get(l.target + "/live/" + l.code)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	rec.observe(res.StatusCode, time.Since(t0))
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("join: %d", res.StatusCode)
	}
	p := &livePerson{http: c, base: l.target + res.Header.Get("Location"), voted: map[uint]bool{}}
	return p, p.refresh(rec)
}

// refresh loads the board page (as the phone does after each form) for its CSRF token.
func (p *livePerson) refresh(rec *recorder) error {
	t0 := time.Now()
	res, err := p.http.Get(p.base)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	rec.observe(res.StatusCode, time.Since(t0))
	m := csrfRe.FindSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		return fmt.Errorf("board page: %d", res.StatusCode)
	}
	p.csrf = string(m[1])
	return nil
}

func (p *livePerson) post(path string, form url.Values, rec *recorder) (*http.Response, error) {
	form.Set("_csrf", p.csrf)
	t0 := time.Now()
	res, err := p.http.PostForm(p.base+path, form)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	rec.observe(res.StatusCode, time.Since(t0))
	return res, nil
}

// step is one action of one person: a pause (people read and think), then a
// post now and then (within the board's limit of 5 a minute), else a vote
// or taking one back on one of the recent posts.
func (l *liveLoad) step(id int, rec *recorder) error {
	v, ok := l.people.Load(id)
	if !ok {
		p, err := l.join(rec)
		if err != nil {
			time.Sleep(time.Second)
			return err
		}
		l.people.Store(id, p)
		v = p
	}
	p := v.(*livePerson)
	time.Sleep(time.Duration(rand.Int64N(int64(2 * l.think))))
	l.mu.Lock()
	var target uint
	if n := len(l.posts); n > 0 {
		target = l.posts[n-1-rand.IntN(min(n, 30))]
	}
	l.mu.Unlock()
	if target == 0 || rand.IntN(8) == 0 {
		p.n++
		sent := time.Now()
		res, err := p.post("/posts", url.Values{"body": {fmt.Sprintf("Load question %d from person %d: who pays?", p.n, id)}}, rec)
		if err != nil {
			return err
		}
		if res.StatusCode == http.StatusUnprocessableEntity {
			return nil // over the posting limit: the person waits
		}
		m := postIDRe.FindStringSubmatch(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || m == nil {
			return fmt.Errorf("post: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		pid, _ := strconv.ParseUint(m[1], 10, 64)
		l.mu.Lock()
		l.posts = append(l.posts, uint(pid))
		l.sent[uint(pid)] = sent
		l.mu.Unlock()
		return nil
	}
	do := "vote"
	if p.voted[target] {
		do = "unvote"
	}
	res, err := p.post("/vote", url.Values{"post": {strconv.FormatUint(uint64(target), 10)}, "do": {do}}, rec)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("vote: %d", res.StatusCode)
	}
	p.voted[target] = !p.voted[target]
	return nil
}

// projector follows the board as the room's screen does: the event stream
// (reconnecting with Last-Event-ID), and on events the screen fetched again
// (one fetch at a time; events arriving meanwhile are covered by the next).
func (l *liveLoad) projector(secret string, stop <-chan struct{}) {
	var last string
	pending := make(chan struct{}, 1)
	var waiting sync.Mutex
	var heardNow []uint
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-pending:
			}
			waiting.Lock()
			ids := heardNow
			heardNow = nil
			waiting.Unlock()
			res, err := http.Get(l.target + "/live/p/" + secret + "/screen")
			if err != nil {
				continue
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			now := time.Now()
			l.mu.Lock()
			for _, id := range ids {
				l.shown[id] = now
			}
			l.mu.Unlock()
		}
	}()
	for {
		select {
		case <-stop:
			return
		default:
		}
		req, _ := http.NewRequest(http.MethodGet, l.target+"/live/p/"+secret+"/stream", nil)
		if last != "" {
			req.Header.Set("Last-Event-ID", last)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		sc := bufio.NewScanner(res.Body)
		kind := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				last = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "event: "):
				kind = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && kind == "post":
				var pid uint64
				if i := strings.Index(line, `"post":`); i >= 0 {
					rest := line[i+7:]
					end := strings.IndexAny(rest, ",}")
					pid, _ = strconv.ParseUint(rest[:max(end, 0)], 10, 64)
				}
				now := time.Now()
				l.mu.Lock()
				l.heard[uint(pid)] = now
				l.mu.Unlock()
				waiting.Lock()
				heardNow = append(heardNow, uint(pid))
				waiting.Unlock()
				select {
				case pending <- struct{}{}:
				default:
				}
			}
		}
		res.Body.Close()
	}
}

// report gives the latencies from a post being sent to the projector's
// stream announcing it, and to its screen showing it.
func (l *liveLoad) report() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var heard, shown []time.Duration
	for id, t := range l.sent {
		if h, ok := l.heard[id]; ok {
			heard = append(heard, h.Sub(t))
		}
		if s, ok := l.shown[id]; ok {
			shown = append(shown, s.Sub(t))
		}
	}
	q := func(ds []time.Duration, p int) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[min(len(ds)-1, len(ds)*p/100)].Round(time.Millisecond)
	}
	return fmt.Sprintf("posts=%d reached_stream=%d stream_p50=%s stream_p99=%s on_screen=%d screen_p50=%s screen_p99=%s",
		len(l.sent), len(heard), q(heard, 50), q(heard, 99), len(shown), q(shown, 50), q(shown, 99))
}
