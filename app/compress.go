package app

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// compressResponses compresses HTML, CSS and JavaScript answers with
// brotli or gzip, whichever the client accepts (brotli first). Answers that
// arrive already compressed (the page cache's, static files') pass as they
// are; streams (the live pages' events) and small bodies too.
func (a *App) compressResponses(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return err
	}
	res := c.Response()
	if !compressibleType(res.Header.ContentType()) {
		return nil
	}
	addVary(&res.Header, "Accept-Encoding")
	if len(res.Header.ContentEncoding()) > 0 || res.IsBodyStream() || c.Method() == fiber.MethodHead {
		return nil
	}
	body := res.Body()
	if len(body) < minCompressBytes {
		return nil
	}
	switch acceptedEncoding(c.Get(fiber.HeaderAcceptEncoding)) {
	case "br":
		res.SetBodyRaw(fasthttp.AppendBrotliBytesLevel(nil, body, fasthttp.CompressBrotliDefaultCompression))
		res.Header.SetContentEncoding("br")
	case "gzip":
		res.SetBodyRaw(fasthttp.AppendGzipBytesLevel(nil, body, fasthttp.CompressDefaultCompression))
		res.Header.SetContentEncoding("gzip")
	}
	return nil
}

// minCompressBytes: below this, compressing saves less than it costs.
const minCompressBytes = 512

// compressibleType reports whether a Content-Type is text worth compressing.
func compressibleType(ct []byte) bool {
	for _, p := range []string{"text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml",
		"application/json", "application/problem+json", "application/atom+xml", "application/rss+xml", "text/calendar"} {
		if bytes.HasPrefix(ct, []byte(p)) {
			return true
		}
	}
	return false
}

// acceptedEncoding picks "br", "gzip" or "" from an Accept-Encoding header,
// honouring q=0 (refused) and "*".
func acceptedEncoding(header string) string {
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		weight := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				weight = f
			}
		}
		if name != "" {
			q[name] = weight
		}
	}
	for _, enc := range []string{"br", "gzip"} {
		w, named := q[enc]
		if !named {
			w, named = q["*"]
		}
		if named && w > 0 {
			return enc
		}
	}
	return ""
}

// addVary adds field to the Vary header unless it is already named.
func addVary(h *fasthttp.ResponseHeader, field string) {
	cur := string(h.Peek(fiber.HeaderVary))
	for _, f := range strings.Split(cur, ",") {
		if strings.EqualFold(strings.TrimSpace(f), field) {
			return
		}
	}
	if cur == "" {
		h.Set(fiber.HeaderVary, field)
		return
	}
	h.Set(fiber.HeaderVary, cur+", "+field)
}
