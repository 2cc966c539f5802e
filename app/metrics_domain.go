package app

import (
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// domainCollector reads the site's counts from the shared database at each
// scrape, so every instance reports the same, current figures.
type domainCollector struct {
	db        *gorm.DB
	orders    *prometheus.Desc
	attendees *prometheus.Desc
	checkedIn *prometheus.Desc
	outbox    *prometheus.Desc
	waitlist  *prometheus.Desc
	up        *prometheus.Desc
}

func newDomainCollector(db *gorm.DB) *domainCollector {
	return &domainCollector{
		db:        db,
		orders:    prometheus.NewDesc("agora_orders", "Orders by status.", []string{"status"}, nil),
		attendees: prometheus.NewDesc("agora_registrations", "People registered on pending or confirmed orders.", nil, nil),
		checkedIn: prometheus.NewDesc("agora_checked_in", "People checked in at the door.", nil, nil),
		outbox:    prometheus.NewDesc("agora_outbox_messages", "E-mails in the outbox by status (pending is the backlog).", []string{"status"}, nil),
		waitlist:  prometheus.NewDesc("agora_waitlist_entries", "Waitlist entries by status.", []string{"status"}, nil),
		up:        prometheus.NewDesc("agora_database_up", "Whether the database answered the last scrape.", nil, nil),
	}
}

func (d *domainCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, desc := range []*prometheus.Desc{d.orders, d.attendees, d.checkedIn, d.outbox, d.waitlist, d.up} {
		ch <- desc
	}
}

func (d *domainCollector) Collect(ch chan<- prometheus.Metric) {
	s, err := models.LoadSiteStats(d.db)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(d.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(d.up, prometheus.GaugeValue, 1)
	for _, st := range []string{models.OrderPending, models.OrderConfirmed, models.OrderCancelled, models.OrderExpired} {
		ch <- prometheus.MustNewConstMetric(d.orders, prometheus.GaugeValue, float64(s.OrdersByStatus[st]), st)
	}
	ch <- prometheus.MustNewConstMetric(d.attendees, prometheus.GaugeValue, float64(s.ActiveAttendees))
	ch <- prometheus.MustNewConstMetric(d.checkedIn, prometheus.GaugeValue, float64(s.CheckedIn))
	for _, st := range []string{models.OutboxPending, models.OutboxSent, models.OutboxFailed} {
		ch <- prometheus.MustNewConstMetric(d.outbox, prometheus.GaugeValue, float64(s.OutboxByStatus[st]), st)
	}
	for st, n := range s.WaitlistByStatus {
		ch <- prometheus.MustNewConstMetric(d.waitlist, prometheus.GaugeValue, float64(n), st)
	}
}
