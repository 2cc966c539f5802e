package calendar

import (
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"
)

// addTimezone adds loc's VTIMEZONE to cal covering [from, to]: the offset in
// force at from, then each change until to, each listed on its own (no
// recurrence rules, so a calendar needs no knowledge of the zone's rules to
// place the times). RFC 5545 asks for one for every TZID the calendar uses.
func addTimezone(cal *ics.Calendar, loc *time.Location, from, to time.Time) {
	tz := cal.AddTimezone(loc.String())
	name, off := from.In(loc).Zone()
	tz.Components = append(tz.Components, observance(from.In(loc).IsDST(), from, off, off, name))
	for t := from; t.Before(to); {
		next := t.Add(24 * time.Hour)
		if _, o := next.In(loc).Zone(); o == off {
			t = next
			continue
		}
		lo, hi := t, next // the change is in (lo, hi]: find its second
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2)
			if _, o := mid.In(loc).Zone(); o == off {
				lo = mid
			} else {
				hi = mid
			}
		}
		n, o := hi.In(loc).Zone()
		tz.Components = append(tz.Components, observance(hi.In(loc).IsDST(), hi, off, o, n))
		off, t = o, hi
	}
}

// observance is one STANDARD or DAYLIGHT part starting at the instant at,
// whose DTSTART is the wall-clock time just before it (in the old offset).
func observance(dst bool, at time.Time, from, to int, name string) ics.Component {
	var cb ics.ComponentBase
	cb.SetProperty(ics.ComponentPropertyDtStart, at.UTC().Add(time.Duration(from)*time.Second).Format(icalLocal))
	cb.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), icalOffset(from))
	cb.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), icalOffset(to))
	cb.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	if dst {
		return &ics.Daylight{ComponentBase: cb}
	}
	return &ics.Standard{ComponentBase: cb}
}

// icalOffset writes seconds east of UTC as RFC 5545's UTC-OFFSET (+0100).
func icalOffset(s int) string {
	sign := "+"
	if s < 0 {
		sign, s = "-", -s
	}
	if s%60 != 0 {
		return fmt.Sprintf("%s%02d%02d%02d", sign, s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%s%02d%02d", sign, s/3600, s/60%60)
}
