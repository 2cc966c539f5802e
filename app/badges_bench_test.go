package app

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// BenchmarkBadges2000 is what GET /manage/events/{id}/badges.pdf does for
// 2,000 people: load them (three queries) and draw the A4 sheets of 8
// (250 pages, one QR code each, names in several scripts). The process's
// peak RSS is reported as peak-RSS-MiB.
func BenchmarkBadges2000(b *testing.B) {
	db, _ := modeltest.NewDB(b)
	org, _ := modeltest.Organizer(b, db, "Bench Org", "bench@example.org", models.RoleOwner)
	e := modeltest.Event(b, db, org.ID, "bench-badges", models.StatusPublished)
	tt := &models.TicketType{EventID: e.ID, Name: "Delegate", Currency: "EUR", Category: models.CategoryClinician}
	if err := models.CreateTicketType(db, tt); err != nil {
		b.Fatal(err)
	}
	o := &models.Order{EventID: e.ID, Code: "BENCH234", Secret: models.NewSecret(), BuyerName: "Bench", BuyerEmail: "bench@example.org", Status: models.OrderConfirmed}
	if err := db.Create(o).Error; err != nil {
		b.Fatal(err)
	}
	names := []string{"Παναγιώτης Οικονόμου", "Анастасия Кузнецова", "José Núñez", "Zoë Ødegård", "Maria de los Ángeles Fernández-Villaverde"}
	var as []models.Attendee
	for i := range 2000 {
		as = append(as, models.Attendee{OrderID: o.ID, EventID: e.ID, TicketTypeID: tt.ID, Position: i + 1,
			Name: fmt.Sprintf("%s %d", names[i%len(names)], i), Email: fmt.Sprintf("p%d@example.org", i), Organization: "Hospital " + strconv.Itoa(i%40),
			Category: models.Categories[i%len(models.Categories)], Status: models.AttendeeActive, QRSecret: models.NewSecret()})
	}
	if err := db.CreateInBatches(as, 200).Error; err != nil {
		b.Fatal(err)
	}
	l, _ := badgeLayoutOf("a4-8")
	txt := badgeText{Event: e.Title, NoPhotos: "No photos", Categories: map[string]string{}}
	for _, c := range models.Categories {
		txt.Categories[c] = c
	}
	b.ResetTimer()
	var size int
	for range b.N {
		hs, err := models.BadgeHolders(db, e.ID, models.BadgeSelection{})
		if err != nil || len(hs) != 2000 {
			b.Fatalf("%d holders, %v", len(hs), err)
		}
		doc, err := drawBadges("bench", l, txt, hs)
		if err != nil {
			b.Fatal(err)
		}
		size = len(doc)
	}
	b.ReportMetric(float64(size)/(1<<20), "PDF-MiB")
	if st, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(st), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
				kb, _ := strconv.Atoi(f[1])
				b.ReportMetric(float64(kb)/1024, "peak-RSS-MiB")
			}
		}
	}
}
