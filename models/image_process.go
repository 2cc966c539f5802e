package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Limits of an uploaded picture. The pixel limits are checked on the
// header alone (image.DecodeConfig), before anything is decoded, so a small
// file that claims to be enormous (an image bomb) costs nothing.
const (
	MaxImageBytes  = 8 << 20    // the file as uploaded
	MaxImagePixels = 40_000_000 // width × height
	MaxImageSide   = 10_000     // either side, in pixels
	imageQuality   = 82         // JPEG quality of the variants
)

// What a picture is for: an event's cover (cropped to 16:9 for cards and
// banners) or an organization's logo (kept whole, fitted in a square).
const (
	PurposeCover = "cover"
	PurposeLogo  = "logo"
)

// CoverWidths are the widths of a cover's variants (16:9); LogoWidths the
// squares a logo is fitted into. A variant wider than the original is not
// made, except the smallest, so every picture has at least one.
var (
	CoverWidths = []int{400, 800, 1200}
	LogoWidths  = []int{160, 320}
)

// Why a picture was refused; each has its own message beside the field.
var (
	ErrImageMissing  = errors.New("image: no file")
	ErrImageTooLarge = errors.New("image: file too large")
	ErrImageType     = errors.New("image: not a JPEG, PNG or WebP picture")
	ErrImagePixels   = errors.New("image: too many pixels")
	ErrImageBroken   = errors.New("image: cannot be read")
)

// ProcessedImage is an upload checked and turned into JPEG variants, ready
// to store. The original's bytes are not kept: re-encoding drops its
// metadata (camera, place, author).
type ProcessedImage struct {
	Hash          string
	Purpose       string
	ContentType   string
	Width, Height int
	Size          int
	Variants      []ProcessedVariant
}

// ProcessedVariant is one re-encoded size. Box names it in its URL: the
// width of a cover, the square a logo was fitted into.
type ProcessedVariant struct {
	Box, Width, Height int
	Data               []byte
}

// imageWork bounds how many pictures one instance decodes at once: a
// 40-megapixel picture needs about 160 MB while it is worked on.
var imageWork = make(chan struct{}, 2)

// ProcessImage checks data (type by its content, never by its name; size;
// pixels) and makes the variants for purpose.
func ProcessImage(data []byte, purpose string) (*ProcessedImage, error) {
	if len(data) == 0 {
		return nil, ErrImageMissing
	}
	if len(data) > MaxImageBytes {
		return nil, ErrImageTooLarge
	}
	ct := http.DetectContentType(data)
	decodeConfig, decode := imageCodec(ct)
	if decode == nil {
		return nil, ErrImageType
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, ErrImageBroken
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ErrImageBroken
	}
	if cfg.Width > MaxImageSide || cfg.Height > MaxImageSide || cfg.Width*cfg.Height > MaxImagePixels {
		return nil, ErrImagePixels
	}
	imageWork <- struct{}{}
	defer func() { <-imageWork }()
	src, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrImageBroken
	}
	if b := src.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, ErrImageBroken
	}
	if ct == "image/jpeg" {
		src = upright(src, jpegOrientation(data)) // image_orientation.go
	}
	sum := sha256.Sum256(append([]byte(purpose+":"), data...))
	b := src.Bounds() // after turning upright: a portrait photo's sides swap
	p := &ProcessedImage{Hash: hex.EncodeToString(sum[:16]), Purpose: purpose, ContentType: ct,
		Width: b.Dx(), Height: b.Dy(), Size: len(data)}
	if p.Variants, err = makeVariants(src, purpose); err != nil {
		return nil, err
	}
	return p, nil
}

// imageCodec returns the header reader and decoder for a sniffed type, or
// nils for a type the site does not take.
func imageCodec(ct string) (func(r *bytes.Reader) (image.Config, error), func(r *bytes.Reader) (image.Image, error)) {
	switch ct {
	case "image/jpeg":
		return func(r *bytes.Reader) (image.Config, error) { return jpeg.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return jpeg.Decode(r) }
	case "image/png":
		return func(r *bytes.Reader) (image.Config, error) { return png.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return png.Decode(r) }
	case "image/webp":
		return func(r *bytes.Reader) (image.Config, error) { return webp.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return webp.Decode(r) }
	}
	return nil, nil
}

// makeVariants scales src to each size of purpose, largest first; each
// smaller one is made from the one before, which is much cheaper than from
// the original and looks the same.
func makeVariants(src image.Image, purpose string) ([]ProcessedVariant, error) {
	widths := CoverWidths
	if purpose == PurposeLogo {
		widths = LogoWidths
	}
	area := src.Bounds()
	if purpose == PurposeCover {
		area = coverCrop(area)
	}
	var out []ProcessedVariant
	from, fromRect := src, area
	for i := len(widths) - 1; i >= 0; i-- {
		if i > 0 && !worthMaking(purpose, widths[i], widths[i-1], area) {
			continue // would only enlarge, or repeat the smaller one
		}
		w, h := variantSize(purpose, widths[i], area)
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src) // transparency on white
		draw.CatmullRom.Scale(dst, dst.Bounds(), from, fromRect, draw.Over, nil)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: imageQuality}); err != nil {
			return nil, err
		}
		out = append([]ProcessedVariant{{Box: widths[i], Width: w, Height: h, Data: buf.Bytes()}}, out...)
		from, fromRect = dst, dst.Bounds()
	}
	return out, nil
}

// worthMaking reports whether the variant of size box adds something to
// the one of size smaller: a cover is never enlarged, and a logo that fits
// whole in the smaller square would only repeat it.
func worthMaking(purpose string, box, smaller int, area image.Rectangle) bool {
	if purpose == PurposeCover {
		return box <= area.Dx()
	}
	return max(area.Dx(), area.Dy()) > smaller
}

// variantSize is the pixel size of the variant named by width: a 16:9
// cover, or a logo fitted in a width×width square (never enlarged).
func variantSize(purpose string, width int, area image.Rectangle) (int, int) {
	if purpose == PurposeCover {
		return width, width * 9 / 16
	}
	w, h := area.Dx(), area.Dy()
	if w > width || h > width {
		if w >= h {
			w, h = width, max(1, h*width/w)
		} else {
			w, h = max(1, w*width/h), width
		}
	}
	return w, h
}

// coverCrop is the largest 16:9 rectangle in the middle of r.
func coverCrop(r image.Rectangle) image.Rectangle {
	w, h := r.Dx(), r.Dy()
	if w*9 > h*16 { // wider than 16:9: cut the sides
		cw := h * 16 / 9
		x := r.Min.X + (w-cw)/2
		return image.Rect(x, r.Min.Y, x+cw, r.Max.Y)
	}
	ch := max(1, w*9/16)
	y := r.Min.Y + (h-ch)/2
	return image.Rect(r.Min.X, y, r.Max.X, y+ch)
}
