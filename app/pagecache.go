package app

import (
	"bytes"
	"compress/gzip"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
	"golang.org/x/sync/singleflight"
)

// cachedBrotliLevel: a cached page is compressed once per version. Level 9
// took a 34 MB encoder for the 20 KB forum page, level 5 takes 1.5 MB for a
// body 0.7% larger (docs/BENCHMARKS.md, "Memory").
const cachedBrotliLevel = 5

// pageCache keeps rendered public pages, keyed by what they depend on (the
// page, the language, and a version read from the database on every
// request). A change made on any instance bumps the version in the shared
// database, so every instance renders afresh on the next request: nothing
// stale is served, and no cross-instance invalidation is needed.
type pageCache struct {
	mu    sync.RWMutex
	pages map[string]*cachedPage // by slot (e.g. "event:forum:es")
	// builds renders each slot and version once however many visitors ask
	// for it at the same moment: 64 visitors arriving together used to
	// render and compress the page 64 times at once, a few hundred
	// megabytes of brotli windows (issue 17).
	builds singleflight.Group
}

// cachedPage is one rendering, with its gzip and brotli forms and validator.
type cachedPage struct {
	version string
	etag    string
	body    []byte
	// The compressed forms are made when first asked for: a version that
	// lives only until the next registration is often served to no client
	// that wants one of them, and brotli at level 9 costs more than the
	// rendering.
	gzOnce, brOnce sync.Once
	gz, br         []byte
}

func (p *cachedPage) gzipped() []byte {
	p.gzOnce.Do(func() {
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = w.Write(p.body)
		_ = w.Close()
		p.gz = gz.Bytes()
	})
	return p.gz
}

func (p *cachedPage) brotli() []byte {
	p.brOnce.Do(func() { p.br = fasthttp.AppendBrotliBytesLevel(nil, p.body, cachedBrotliLevel) })
	return p.br
}

func newPageCache() *pageCache { return &pageCache{pages: map[string]*cachedPage{}} }

// get returns the page in slot if it was rendered at version.
func (pc *pageCache) get(slot, version string) *cachedPage {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	if p := pc.pages[slot]; p != nil && p.version == version {
		return p
	}
	return nil
}

// put stores a rendering, replacing older versions of the same slot, so the
// cache holds at most one page per slot.
func (pc *pageCache) put(slot, version string, body []byte) *cachedPage {
	p := &cachedPage{version: version, etag: `W/"` + strings.ReplaceAll(slot+"-"+version, `"`, "") + `"`, body: body}
	pc.mu.Lock()
	pc.pages[slot] = p
	pc.mu.Unlock()
	return p
}

// serveCached answers from the cache when it can (304 for a matching ETag,
// gzip when accepted) and otherwise renders with build and stores the result.
func (a *App) serveCached(c *fiber.Ctx, slot, version string, build func() ([]byte, error)) error {
	p := a.cache.get(slot, version)
	if p == nil {
		// The slot and version are copied: they may hold request bytes,
		// and the group keeps its key until the build ends.
		key := strings.Clone(slot) + "\x00" + strings.Clone(version)
		v, err, _ := a.cache.builds.Do(key, func() (any, error) {
			if p := a.cache.get(slot, version); p != nil {
				return p, nil
			}
			body, err := build()
			if err != nil {
				return nil, err
			}
			return a.cache.put(strings.Clone(slot), strings.Clone(version), body), nil
		})
		if err != nil {
			return err
		}
		p = v.(*cachedPage)
	}
	c.Set(fiber.HeaderVary, "Accept-Encoding, Accept-Language, Cookie")
	c.Set(fiber.HeaderCacheControl, "public, no-cache")
	c.Set(fiber.HeaderETag, p.etag)
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && strings.Contains(match, p.etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	switch acceptedEncoding(c.Get(fiber.HeaderAcceptEncoding)) {
	case "br":
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(p.brotli())
	case "gzip":
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(p.gzipped())
	}
	return c.Send(p.body)
}
