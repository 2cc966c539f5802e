package models

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/argon2id"
)

// productionArgonParams follow OWASP's password storage guidance for argon2id
// (m=19 MiB, t=2, p=1): of its equivalent settings this one needs the least
// memory per hash, which suits a small server where several sign-ins may
// arrive at once. Hashes made with older parameters still verify: each hash
// carries its own parameters, and a successful sign-in re-hashes it.
var productionArgonParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// testArgonParams make a hash cost well under a millisecond. Only test
// fixtures switch to them (SetTestPasswordCost): a suite creating and
// signing in a thousand users would otherwise spend most of its CPU here.
var testArgonParams = &argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

var currentArgonParams atomic.Pointer[argon2id.Params]

func init() { currentArgonParams.Store(productionArgonParams) }

func argonParams() *argon2id.Params { return currentArgonParams.Load() }

// SetTestPasswordCost switches this process to a cheap hash (on) or back to
// the production one (off). For tests only: nothing outside _test files and
// models/modeltest may call it. Hashes of either kind verify under both.
func SetTestPasswordCost(on bool) {
	if on {
		currentArgonParams.Store(testArgonParams)
	} else {
		currentArgonParams.Store(productionArgonParams)
	}
}

// ErrPasswordBusy is returned when too many passwords are being hashed at
// once and the short wait for a turn is over: the person is asked to try
// again in a moment, rather than the process spending memory without bound.
var ErrPasswordBusy = errors.New("too many password checks at once")

// How much password hashing may happen at once. Each hash holds its memory
// cost (19 MiB) while it runs, so at most passwordHashSlots run together; up
// to passwordHashQueue more wait, each at most passwordHashWait, and the
// rest are refused at once with ErrPasswordBusy. Hashing is CPU-bound, so
// more slots than cores would not finish sooner.
const (
	passwordHashQueue = 16
	passwordHashWait  = 3 * time.Second
)

var passwordHashSlots = min(max(runtime.GOMAXPROCS(0), 2), 4)

var hashGate = newPasswordGate(passwordHashSlots, passwordHashQueue, passwordHashWait)

// passwordGate is a semaphore with a bounded, time-limited wait queue.
type passwordGate struct {
	slots    chan struct{} // one token per hash running
	admitted chan struct{} // one token per hash running or waiting
	wait     time.Duration

	running, peak, done, refused atomic.Int64
}

func newPasswordGate(slots, queue int, wait time.Duration) *passwordGate {
	return &passwordGate{slots: make(chan struct{}, slots), admitted: make(chan struct{}, slots+queue), wait: wait}
}

// do runs fn when a slot is free, or returns ErrPasswordBusy.
func (g *passwordGate) do(fn func()) error {
	select {
	case g.admitted <- struct{}{}:
	default:
		g.refused.Add(1)
		return ErrPasswordBusy
	}
	defer func() { <-g.admitted }()
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-timer.C:
		g.refused.Add(1)
		return ErrPasswordBusy
	}
	defer func() { <-g.slots }()
	n := g.running.Add(1)
	defer g.running.Add(-1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	fn()
	g.done.Add(1)
	return nil
}

// PasswordHashStats reports the hashing done by this process: how many run
// now, the most that ever ran at once, how many finished and how many were
// refused. Tests check the bound with it; it costs two atomic adds.
type PasswordHashStats struct {
	Limit                        int
	Running, Peak, Done, Refused int64
}

// PasswordHashing returns the current PasswordHashStats.
func PasswordHashing() PasswordHashStats {
	g := hashGate
	return PasswordHashStats{Limit: cap(g.slots), Running: g.running.Load(), Peak: g.peak.Load(), Done: g.done.Load(), Refused: g.refused.Load()}
}

// HashPassword returns an argon2id hash of pw, waiting for a turn.
func HashPassword(pw string) (string, error) {
	var hash string
	var err error
	if gerr := hashGate.do(func() { hash, err = argon2id.CreateHash(pw, argonParams()) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

// checkPassword reports whether pw matches hash, waiting for a turn. An
// empty hash (unknown account) is checked against dummyHash, so the answer
// takes as long as for a real account.
func checkPassword(pw, hash string) (bool, error) {
	var ok bool
	err := hashGate.do(func() {
		if hash == "" {
			hash = dummyHash() // made inside the slot: its cost is bounded too
		}
		ok, _ = argon2id.ComparePasswordAndHash(pw, hash)
	})
	return ok, err
}

// dummyHash is compared against when the e-mail is unknown. It is made on
// first use, not at start-up: a starting instance should not spend a hash.
var dummyHash = sync.OnceValue(func() string {
	h, _ := argon2id.CreateHash("agora-dummy-password", productionArgonParams)
	return h
})

// hashIsCurrent reports whether hash was made with today's parameters.
func hashIsCurrent(hash string) bool {
	p, _, _, err := argon2id.DecodeHash(hash)
	want := argonParams()
	return err == nil && p.Memory == want.Memory && p.Iterations == want.Iterations &&
		p.Parallelism == want.Parallelism && p.KeyLength == want.KeyLength
}
