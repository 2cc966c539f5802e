package models

import "fmt"

// mailSettings copies the event's reminder and contact settings (when it
// has its own row; otherwise the copy keeps the defaults too).
func (c *eventCopier) mailSettings() error {
	var s EventMailSetting
	err := c.tx.Where("event_id = ?", c.src).Limit(1).Find(&s).Error
	if err != nil {
		return fmt.Errorf("copy mail settings: %w", err)
	}
	if s.EventID == 0 {
		return nil
	}
	s.EventID = c.dst
	if err := c.tx.Create(&s).Error; err != nil {
		return fmt.Errorf("copy mail settings: %w", err)
	}
	return nil
}

// refundPolicy copies the self-cancellation refund policy, its deadline
// shifted with the other dates.
func (c *eventCopier) refundPolicy() error {
	p, err := RefundPolicyOf(c.tx, c.src)
	if err != nil {
		return fmt.Errorf("copy refund policy: %w", err)
	}
	p.ID = c.dst
	p.Until = c.shift.ptr(p.Until)
	if err := SaveRefundPolicy(c.tx, p); err != nil {
		return fmt.Errorf("copy refund policy: %w", err)
	}
	return nil
}
