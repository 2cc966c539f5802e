package models

import (
	"sync"

	"gorm.io/gorm"
)

// OrderBatcher commits concurrent registrations together: one transaction,
// so one fsync, for every registration that arrived while the previous
// commit was on its way to the disk. Each registration runs in its own
// savepoint inside it, so one that finds the event full (or fails in any
// way) is rolled back alone and the others in the batch still commit.
//
// Why: SQLite has one writer and, with synchronous=FULL, each commit waits
// for an fsync (about 2 ms on a small virtual disk), which caps separate
// commits at a few hundred per second. Grouping keeps full durability — a
// registration is acknowledged only after the commit that holds it — while
// the fsync cost is shared. Invariant 1 is unchanged: each registration still
// takes its places with the conditional UPDATE, in order, inside the batch.
type OrderBatcher struct {
	db       *gorm.DB
	maxBatch int

	mu      sync.Mutex
	queue   []*batchedOrder
	running bool
	// closed makes registrations commit on their own, outside any batch;
	// draining counts the batch goroutine so Close can wait for it.
	closed   bool
	draining sync.WaitGroup
}

type batchedOrder struct {
	in      PlaceOrderInput
	ev      Event
	form    RegistrationForm
	voucher *Voucher
	order   *Order
	err     error
	done    chan struct{}
}

// NewOrderBatcher groups PlaceOrder commits on db. A goroutine runs only
// while registrations are waiting; Close waits for it before the database
// is closed.
func NewOrderBatcher(db *gorm.DB) *OrderBatcher {
	return &OrderBatcher{db: db, maxBatch: 128}
}

// PlaceOrder is models.PlaceOrder with the commit shared with concurrent
// registrations. It returns once the registration is durably committed or
// refused.
func (b *OrderBatcher) PlaceOrder(in PlaceOrderInput) (*Order, error) {
	return placeOrder(b.db, in, b.commit)
}

func (b *OrderBatcher) commit(in PlaceOrderInput, ev Event, form RegistrationForm, voucher *Voucher) (*Order, error) {
	r := &batchedOrder{in: in, ev: ev, form: form, voucher: voucher, done: make(chan struct{})}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		b.run([]*batchedOrder{r})
		return r.order, r.err
	}
	b.queue = append(b.queue, r)
	if !b.running {
		b.running = true
		b.draining.Add(1)
		go b.drain()
	}
	b.mu.Unlock()
	<-r.done
	return r.order, r.err
}

// Close commits what is queued and waits until no batch is on its way, so
// the database can be closed after it without losing an acknowledged
// registration. Registrations after Close commit one by one.
func (b *OrderBatcher) Close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.draining.Wait()
}

// drain commits batches until nothing is waiting.
func (b *OrderBatcher) drain() {
	for {
		b.mu.Lock()
		n := min(len(b.queue), b.maxBatch)
		if n == 0 {
			b.running = false
			b.mu.Unlock()
			b.draining.Done()
			return
		}
		batch := b.queue[:n:n]
		b.queue = b.queue[n:]
		b.mu.Unlock()
		b.run(batch)
	}
}

func (b *OrderBatcher) run(batch []*batchedOrder) {
	err := b.db.Transaction(func(tx *gorm.DB) error {
		for _, r := range batch {
			// placeOrderTx's own Transaction becomes a savepoint here.
			r.order, r.err = placeOrderTx(tx, r.in, r.ev, r.form, r.voucher)
		}
		return nil
	})
	for _, r := range batch {
		if err != nil && r.err == nil {
			// The shared commit failed: nothing in the batch was saved.
			r.order, r.err = nil, err
		}
		close(r.done)
	}
}
