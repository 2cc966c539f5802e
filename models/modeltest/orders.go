package modeltest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// BulkOrders seeds n confirmed free orders of one attendee each for ticket
// type tt of event ev, in batches of plain rows (thousands per second, where
// PlaceOrder does a few hundred), and takes their places on the event's and
// the ticket type's counters, so CheckCounters still holds. They were made
// and last changed from `from` on, ten orders sharing each millisecond, so a
// list ordered by change time has ties to break by id. It returns the ids
// in creation order. No mail is queued: these are rows for lists and paging,
// not registrations to follow through their life.
func BulkOrders(tb testing.TB, db *gorm.DB, ev *models.Event, tt *models.TicketType, n int, from time.Time) []uint {
	tb.Helper()
	from = from.UTC().Truncate(time.Millisecond)
	prefix := strings.ToUpper(models.NewSecret()[:4])
	prefix = strings.NewReplacer("-", "X", "_", "Y").Replace(prefix)
	ids := make([]uint, 0, n)
	const batch = 500
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		orders := make([]models.Order, 0, end-start)
		for i := start; i < end; i++ {
			at := from.Add(time.Duration(i/10) * time.Millisecond)
			orders = append(orders, models.Order{EventID: ev.ID, Code: fmt.Sprintf("%s%07d", prefix, i), Secret: models.NewSecret(),
				BuyerName: fmt.Sprintf("Buyer %d", i), BuyerEmail: fmt.Sprintf("buyer%d@bulk.example", i), Language: "en",
				Status: models.OrderConfirmed, Currency: tt.Currency, ConfirmedAt: &at, CreatedAt: at, UpdatedAt: at})
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Omit("Event", "Attendees").CreateInBatches(&orders, batch).Error; err != nil {
				return err
			}
			as := make([]models.Attendee, 0, len(orders))
			for _, o := range orders {
				as = append(as, models.Attendee{OrderID: o.ID, EventID: ev.ID, TicketTypeID: tt.ID, Position: 1, Name: o.BuyerName,
					Email: o.BuyerEmail, Category: tt.Category, Status: models.AttendeeActive, QRSecret: models.NewSecret(),
					CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt})
			}
			if err := tx.Omit("TicketType", "Order", "Answers").CreateInBatches(&as, batch).Error; err != nil {
				return err
			}
			k := len(orders)
			if err := tx.Model(&models.Event{}).Where("id = ?", ev.ID).Update("places_taken", gorm.Expr("places_taken + ?", k)).Error; err != nil {
				return err
			}
			return tx.Model(&models.TicketType{}).Where("id = ?", tt.ID).Update("places_taken", gorm.Expr("places_taken + ?", k)).Error
		})
		if err != nil {
			tb.Fatalf("bulk orders: %v", err)
		}
		for _, o := range orders {
			ids = append(ids, o.ID)
		}
	}
	return ids
}
