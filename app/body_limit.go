package app

import (
	"bytes"
	"regexp"

	"github.com/valyala/fasthttp"

	"github.com/agora-events/agora/models"
)

// Bodies are limited to siteBodyLimit, except on the picture upload routes,
// which may receive the largest picture accepted plus the form around it.
// The limit is chosen from the request line alone, before any body is read
// (fasthttp's HeaderReceived hook), so an oversized post to any other route
// is still refused without being read.
const (
	siteBodyLimit   = 2 << 20
	uploadBodyLimit = models.MaxImageBytes + 1<<20
)

// uploadPaths are the routes of app/images.go that take a file. The pattern
// admits only digits and letters, so no path that the router would clean
// into another route (dots, escapes) gets the larger limit.
var uploadPaths = regexp.MustCompile(`^/manage/(?:events/[0-9]{1,12}/image|orgs/[0-9]{1,12}/logo)$`)

// bodyLimitFor is the server's HeaderReceived hook.
func bodyLimitFor(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	if !h.IsPost() {
		return fasthttp.RequestConfig{}
	}
	path := h.RequestURI()
	if i := bytes.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if uploadPaths.Match(path) {
		return fasthttp.RequestConfig{MaxRequestBodySize: uploadBodyLimit}
	}
	return fasthttp.RequestConfig{} // the server's own limit: siteBodyLimit
}
