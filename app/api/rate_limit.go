package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/gofiber/fiber/v2"
)

// Default rate limits (Deps.TokenLimit, Deps.AddressLimit, Deps.LimitWindow).
const (
	DefaultTokenLimit   = 600 // requests per window and token
	DefaultAddressLimit = 120 // requests per window and client address, for public operations
	DefaultLimitWindow  = time.Minute
)

// rateLimit counts each request against its token (or, for a public
// operation, its client address) in a fixed window shared by every instance
// (Deps.Hit), tells the client where it stands in the RateLimit-Policy and
// RateLimit headers (IETF httpapi ratelimit-headers draft, structured
// fields), and refuses the request beyond the limit with 429 and
// Retry-After. Windows are aligned to the clock, so every instance computes
// the same window and its reset time from the key alone.
func (s *Server) rateLimit(ctx huma.Context, next func(huma.Context)) {
	if s.d.Hit == nil {
		next(ctx)
		return
	}
	policy, subject, limit := "address", "", s.d.AddressLimit
	if t := token(ctx.Context()); t != nil {
		policy, subject, limit = "token", "t"+strconv.FormatUint(uint64(t.ID), 10), s.d.TokenLimit
	} else {
		subject = "a" + s.d.ClientAddr(humafiber.Unwrap(ctx))
	}
	win := int64(s.d.LimitWindow / time.Second)
	now := s.d.Now().Unix()
	slot := now / win
	reset := (slot+1)*win - now // seconds until the window ends, at least 1
	n, err := s.d.Hit("api:rl:"+subject+":"+strconv.FormatInt(slot, 10), s.d.LimitWindow)
	if err != nil {
		// The counter's store is the database: if it fails, so will the
		// handler, which says so properly. Do not refuse on a counting error.
		s.d.Logger.Error("api: rate limit count", "err", err)
		next(ctx)
		return
	}
	ctx.SetHeader("RateLimit-Policy", strconv.Quote(policy)+";q="+strconv.Itoa(limit)+";w="+strconv.FormatInt(win, 10))
	ctx.SetHeader("RateLimit", strconv.Quote(policy)+";r="+strconv.Itoa(max(limit-n, 0))+";t="+strconv.FormatInt(reset, 10))
	if n > limit {
		ctx.SetHeader("Retry-After", strconv.FormatInt(reset, 10))
		_ = huma.WriteErr(s.api, ctx, http.StatusTooManyRequests,
			"Too many requests: at most "+strconv.Itoa(limit)+" per "+strconv.FormatInt(win, 10)+" seconds. Try again in "+strconv.FormatInt(reset, 10)+" seconds.")
		return
	}
	next(ctx)
}

// withLimitDefaults fills the rate limit settings left unset.
func withLimitDefaults(d Deps) Deps {
	if d.TokenLimit <= 0 {
		d.TokenLimit = DefaultTokenLimit
	}
	if d.AddressLimit <= 0 {
		d.AddressLimit = DefaultAddressLimit
	}
	if d.LimitWindow < time.Second {
		d.LimitWindow = DefaultLimitWindow
	}
	if d.ClientAddr == nil {
		d.ClientAddr = func(c *fiber.Ctx) string { return c.IP() }
	}
	return d
}
