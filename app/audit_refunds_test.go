package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// auditFor lists the entries of action about order o (by code).
func auditFor(t *testing.T, fx *payFixture, action string, o *models.Order) []models.AuditEntry {
	t.Helper()
	var es []models.AuditEntry
	for _, e := range auditOf(t, fx.db, action) {
		if e.Subject == "order "+o.Code {
			es = append(es, e)
		}
	}
	return es
}

// An organizer's refund is logged with them as actor; one Stripe refused
// leaves no line. An attendee's own cancellation refund is logged with no
// actor (self-service), where the refund is recorded.
func TestAuditOrganizerAndSelfCancelRefunds(t *testing.T) {
	fx := newPayFixture(t, 10)
	owner := userByEmail(t, fx.db, "owner@pay.example")
	o, _ := fx.paidOrder(1)
	c := fx.owner()
	page := fmt.Sprintf("/manage/events/%d/orders/%d", fx.event.ID, o.ID)

	fx.stub.beforeRefund = func(int) int { return http.StatusInternalServerError }
	c.get(page)
	mustStatus(t, c.post(page+"/refund", url.Values{"amount": {"10.00"}, "seq": {"0"}}), http.StatusBadGateway, "refund Stripe refused")
	if es := auditOf(t, fx.db, models.AuditRefund); len(es) != 0 {
		t.Fatalf("a refused refund logged %+v", es)
	}
	fx.stub.beforeRefund = nil
	c.get(page)
	mustStatus(t, c.post(page+"/refund", url.Values{"amount": {"10.00"}, "seq": {"0"}}), http.StatusSeeOther, "refund")
	es := auditFor(t, fx, models.AuditRefund, o)
	if len(es) != 1 {
		t.Fatalf("%d refund entries, want 1", len(es))
	}
	checkActor(t, es[0], owner, fx.event.OrganizationID, fx.event.ID)
	if !strings.Contains(es[0].Detail, "10.00 EUR") || !strings.Contains(es[0].Detail, models.RefundOrganizer) {
		t.Errorf("detail %q", es[0].Detail)
	}

	mustStatus(t, fx.setRefundPolicy(url.Values{"policy": {"full"},
		"until": {fx.clock().Add(48 * time.Hour).In(fx.event.Location()).Format("2006-01-02T15:04")}}), http.StatusSeeOther, "policy")
	o2, _ := fx.paidOrder(1)
	fx.selfCancel(o2)
	es = auditFor(t, fx, models.AuditRefund, o2)
	if len(es) != 1 {
		t.Fatalf("%d self-cancel refund entries, want 1", len(es))
	}
	checkActor(t, es[0], nil, fx.event.OrganizationID, fx.event.ID)
	if !strings.Contains(es[0].Detail, "25.00 EUR") || !strings.Contains(es[0].Detail, models.RefundSelfCancelled) {
		t.Errorf("detail %q", es[0].Detail)
	}
	if n := len(auditOf(t, fx.db, models.AuditRefund)); n != 2 {
		t.Errorf("%d refund entries in all, want 2", n)
	}
}

// Cancelling the event logs it once (with the organizer), a second cancel
// logs nothing, and the cancellation job's refunds are logged one per
// order with no actor, also when two sweeps run.
func TestAuditEventCancelledAndJobRefunds(t *testing.T) {
	fx := newPayFixture(t, 10)
	a, _ := fx.paidOrderBy(1, "a@example.org")
	b, _ := fx.paidOrderBy(1, "b@example.org")
	c := fx.cancelThroughForm()
	got := oneAudit(t, fx.db, models.AuditEventCancelled)
	checkActor(t, got, userByEmail(t, fx.db, "owner@pay.example"), fx.event.OrganizationID, fx.event.ID)
	if !strings.Contains(got.Detail, "2 orders cancelled") {
		t.Errorf("detail %q", got.Detail)
	}
	base := fmt.Sprintf("/manage/events/%d/cancel", fx.event.ID)
	c.get(base)
	c.post(base, url.Values{"subject": {"Again"}, "body": {"Again"}, "confirm": {"yes"}})
	oneAudit(t, fx.db, models.AuditEventCancelled)

	fx.sweepCancellations()
	fx.sweepCancellations()
	for _, o := range []*models.Order{a, b} {
		es := auditFor(t, fx, models.AuditRefund, o)
		if len(es) != 1 {
			t.Fatalf("order %s: %d refund entries, want 1", o.Code, len(es))
		}
		checkActor(t, es[0], nil, fx.event.OrganizationID, fx.event.ID)
		if es[0].IP != "" || !strings.Contains(es[0].Detail, models.RefundEventCancelled) {
			t.Errorf("job entry %+v", es[0])
		}
	}
}
