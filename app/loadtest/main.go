// Command loadtest drives real journeys against a running Agora over HTTP and
// prints requests per second, p50 and p99 latency and errors. It also serves
// the reference: a bare Fiber handler returning a fixed page, so a figure
// for Agora is always read beside a figure for the same machine and settings.
//
//	go run ./app/loadtest -journey browse -target http://127.0.0.1:3000 -c 64 -d 10s
//	go run ./app/loadtest -serve-reference 127.0.0.1:3900 -page-from http://127.0.0.1:3000/events/health-innovation-forum
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	target := flag.String("target", "http://127.0.0.1:3000", "base URL of the Agora (or reference) server")
	journey := flag.String("journey", "browse", "browse, page (one URL), register (the HTML form), meetings (request and accept), live (post and vote on a board)")
	path := flag.String("path", "/events/health-innovation-forum", "the URL path for -journey page")
	conc := flag.Int("c", 64, "concurrent clients")
	dur := flag.Duration("d", 10*time.Second, "how long to run")
	gzip := flag.Bool("gzip", false, "send Accept-Encoding: gzip")
	slug := flag.String("event", "living-lab-agora-ageing-at-home", "event slug for -journey register")
	ticket := flag.String("ticket", "", "ticket type id for -journey register (default: the first on the form)")
	prepare := flag.String("prepare-event", "", "database (file or postgres:// URL) to add a load-test event to; prints its slug and ticket id")
	capacity := flag.Int("capacity", 5000, "places of the event -prepare-event adds")
	sold := flag.String("sold", "", "database to check: prints places sold for -event and whether the counters agree")
	prepMeet := flag.String("prepare-meetings", "", "database to add a networking load-test event to (people, tables, sign-in links)")
	people := flag.Int("people", 200, "participants -prepare-meetings adds")
	tables := flag.Int("tables", 40, "tables -prepare-meetings adds")
	tokens := flag.String("tokens", "meeting-tokens.txt", "file of sign-in links written by -prepare-meetings and read by -journey meetings")
	checkMeet := flag.String("check-meetings", "", "database to check: prints meetings booked for -event and whether invariant 2 holds")
	startupBin := flag.String("startup", "", "agora binary whose start-up to first served request to measure (with -db and -addr)")
	startupDB := flag.String("db", "", "database for -startup; for -measure-scale, where to issue a meeting participant's sign-in link (the directory)")
	startupAddr := flag.String("addr", "127.0.0.1:3899", "address for -startup")
	serveRef := flag.String("serve-reference", "", "serve the reference page on this address instead of loading")
	pageFrom := flag.String("page-from", "", "URL whose body becomes the reference page")
	prepBoard := flag.String("prepare-board", "", "database to add a live-board load-test event to; prints the join code and projector secret")
	code := flag.String("code", "", "join code for -journey live")
	projector := flag.String("projector", "", "projector secret for -journey live (the load generator follows the projector)")
	think := flag.Duration("think", 2*time.Second, "mean pause between one person's actions for -journey live")
	prepScale := flag.String("prepare-scale", "", "database to add an event at scale to (-registrations, -sessions, -meeting-people); prints its slug, id, an owner's sign-in and an API token")
	regs := flag.Int("registrations", 10000, "registrations -prepare-scale writes")
	sessions := flag.Int("sessions", 50, "sessions -prepare-scale writes")
	meetPeople := flag.Int("meeting-people", 1000, "meeting participants -prepare-scale writes")
	measure := flag.Bool("measure-scale", false, "measure the organizer pages of a -prepare-scale event at -target (with -event, -email, -password, -token)")
	email := flag.String("email", "", "organizer e-mail for -measure-scale")
	password := flag.String("password", "", "organizer password for -measure-scale")
	apiToken := flag.String("token", "", "API token for -measure-scale")
	participant := flag.String("participant", "", "a meeting participant's sign-in token for -measure-scale (the directory)")
	reqs := flag.Int("n", 50, "sequential requests per page for -measure-scale (after a warm-up)")
	compare := flag.String("compare", "", "figures file (docs/bench-figures.tsv): print the ratio of each \"figure NAME VALUE UNIT\" line on stdin to it")
	record := flag.String("record", "", "figures file to write the \"figure\" lines on stdin into, dated today")
	flag.Parse()

	if *compare != "" || *record != "" {
		if err := figuresCommand(*compare, *record, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		return
	}

	if *prepScale != "" || *measure {
		var err error
		if *prepScale != "" {
			err = prepareScale(*prepScale, scaleSpec{Registrations: *regs, Sessions: *sessions, MeetingPeople: *meetPeople})
		} else {
			err = measureScale(scaleTarget{Base: *target, Slug: *slug, Email: *email, Password: *password, Token: *apiToken,
				Participant: *participant, DB: *startupDB}, *reqs, *conc)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		return
	}

	if *startupBin != "" {
		if err := measureStartup(*startupBin, *startupDB, *startupAddr, 5); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		return
	}
	if *prepare != "" || *sold != "" || *prepMeet != "" || *checkMeet != "" || *prepBoard != "" {
		var err error
		switch {
		case *prepBoard != "":
			err = prepareBoard(*prepBoard)
		case *prepare != "":
			err = prepareEvent(*prepare, *capacity)
		case *sold != "":
			err = soldCount(*sold, *slug)
		case *prepMeet != "":
			err = prepareMeetings(*prepMeet, *people, *tables, *tokens)
		default:
			err = checkMeetings(*checkMeet, *slug)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		return
	}
	if *serveRef != "" {
		if err := serveReference(*serveRef, *pageFrom); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		return
	}
	var j journeyFunc
	var live *liveLoad
	switch *journey {
	case "live":
		live = newLiveLoad(*target, *code, *think)
		j = live.step
	case "browse":
		j = browse(*target, *gzip)
	case "page":
		j = onePage(*target, *path, *gzip)
	case "meetings":
		var err error
		if j, err = meetingsJourney(*target, *slug, *tokens); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
	case "register":
		var err error
		if j, err = register(*target, *slug, *ticket); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "loadtest: unknown journey", *journey)
		os.Exit(2)
	}
	stop := make(chan struct{})
	if live != nil && *projector != "" {
		go live.projector(*projector, stop)
		time.Sleep(300 * time.Millisecond)
	}
	res := run(j, *conc, *dur)
	close(stop)
	fmt.Println(res.String(*journey, *conc, *dur))
	if live != nil {
		time.Sleep(time.Second) // the last posts reach the screen
		fmt.Println(live.report())
	}
	if res.errors > 0 || res.server5xx > 0 {
		os.Exit(1)
	}
}
