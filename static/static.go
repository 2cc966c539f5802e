// Package static holds the stylesheet, scripts and images, embedded and
// served under content-hashed URLs so browsers may cache them for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/valyala/fasthttp"
)

//go:embed css js img
var files embed.FS

// Asset is one embedded file with its hashed public URL.
type Asset struct {
	Name        string // e.g. "css/site.css"
	URL         string // e.g. "/static/css/site.3fa1b2c4d5.css"
	ContentType string
	Body        []byte

	// The compressed forms, made on first use and kept: start-up stays
	// fast, and no file is compressed twice.
	gzOnce, brOnce sync.Once
	gz, br         []byte
}

// Compressible reports whether the asset is text worth compressing.
func (as *Asset) Compressible() bool {
	return strings.HasPrefix(as.ContentType, "text/") || as.ContentType == "image/svg+xml"
}

// Gzip returns the body gzipped at the best level, or nil when that is no
// smaller (a tiny file).
func (as *Asset) Gzip() []byte {
	as.gzOnce.Do(func() {
		as.gz = smaller(fasthttp.AppendGzipBytesLevel(nil, as.Body, fasthttp.CompressBestCompression), as.Body)
	})
	return as.gz
}

// Brotli returns the body compressed with brotli at the best level, or nil
// when that is no smaller.
func (as *Asset) Brotli() []byte {
	as.brOnce.Do(func() {
		as.br = smaller(fasthttp.AppendBrotliBytesLevel(nil, as.Body, fasthttp.CompressBrotliBestCompression), as.Body)
	})
	return as.br
}

func smaller(packed, body []byte) []byte {
	if len(packed) >= len(body) {
		return nil
	}
	return packed
}

// Assets maps logical names and hashed URLs to embedded files.
type Assets struct {
	byName map[string]*Asset
	byURL  map[string]*Asset
}

// Load reads and hashes every embedded file once, at start-up.
func Load() (*Assets, error) {
	a := &Assets{byName: map[string]*Asset{}, byURL: map[string]*Asset{}}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(p)
		url := "/static/" + strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		as := &Asset{Name: p, URL: url, ContentType: contentType(ext), Body: body}
		a.byName[p] = as
		a.byURL[url] = as
		return nil
	})
	return a, err
}

// URL returns the hashed URL for a logical name; unknown names panic at
// template-check time rather than serving a broken link.
func (a *Assets) URL(name string) string {
	as, ok := a.byName[name]
	if !ok {
		panic("static: unknown asset " + name)
	}
	return as.URL
}

// ByURL finds the asset served at a hashed URL.
func (a *Assets) ByURL(url string) (*Asset, bool) {
	as, ok := a.byURL[url]
	return as, ok
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	}
	return "application/octet-stream"
}
