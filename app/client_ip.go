package app

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// trustedProxies are the reverse proxies (AGORA_TRUSTED_PROXIES) whose
// X-Forwarded-For header is believed.
type trustedProxies []netip.Prefix

// parseTrustedProxies reads a comma-separated list of CIDR ranges and single
// addresses. A malformed entry is an error, so a typo stops start-up instead
// of silently trusting no one (or everyone).
func parseTrustedProxies(s string) (trustedProxies, error) {
	var out trustedProxies
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, fmt.Errorf("trusted proxies: %q is not a CIDR range like 10.0.0.0/8 or fd00::/8", item)
			}
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is not an IP address or a CIDR range like 10.0.0.0/8", item)
		}
		ip = ip.Unmap()
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}

func (t trustedProxies) trusts(ip netip.Addr) bool {
	for _, p := range t {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// clientAddr is the address a request came from: the direct peer, unless the
// peer is a trusted proxy; then X-Forwarded-For is read from the right (the
// entries the trusted proxies appended) and the first untrusted hop is the
// client. Entries left of it were written by the client and prove nothing.
func (t trustedProxies) clientAddr(peer netip.Addr, forwardedFor []string) netip.Addr {
	peer = peer.Unmap()
	if !t.trusts(peer) {
		return peer
	}
	client := peer
	for i := len(forwardedFor) - 1; i >= 0; i-- {
		hops := strings.Split(forwardedFor[i], ",")
		for j := len(hops) - 1; j >= 0; j-- {
			ip, err := parseHop(strings.TrimSpace(hops[j]))
			if err != nil {
				return client // garbage: the last hop we could read is as far as trust goes
			}
			client = ip.Unmap()
			if !t.trusts(client) {
				return client
			}
		}
	}
	return client // every hop is a trusted proxy
}

// parseHop reads one X-Forwarded-For entry: an address, or one with a port
// as some proxies write it ("203.0.113.5:4711", "[2001:db8::1]:4711").
func parseHop(s string) (netip.Addr, error) {
	if ip, err := netip.ParseAddr(s); err == nil {
		return ip, nil
	}
	ap, err := netip.ParseAddrPort(s)
	return ap.Addr(), err
}

// clientIP is the client's address as text, for rate limits and logs. Every
// use of the visitor's address goes through it, never through c.IP().
func (a *App) clientIP(c *fiber.Ctx) string {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	var forwarded []string
	if len(a.proxies) > 0 {
		for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
			forwarded = append(forwarded, string(v))
		}
	}
	return a.proxies.clientAddr(peer, forwarded).String()
}
