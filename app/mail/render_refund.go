package mail

import (
	"errors"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// refundData loads a refund and its order for the refund mails.
func (r *Renderer) refundData(L *translator, refundID uint) (*data, error) {
	var rf models.Refund
	if err := r.db.Take(&rf, refundID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrSkip
		}
		return nil, err
	}
	d, _, err := r.orderData(L, rf.OrderID, false)
	if err != nil {
		return nil, err
	}
	d.Amount = L.Money(rf.Amount, rf.Currency)
	return d, nil
}
