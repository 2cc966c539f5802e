// Package pdf draws Agora's PDF documents (receipts, badges, certificates)
// on github.com/signintech/gopdf with DejaVu Sans embedded (subset to the
// characters used), so any name in a European script prints: Greek,
// Cyrillic, accented Latin. Coordinates are points from the top-left corner.
package pdf

import (
	"embed"
	"fmt"
	"sync"

	"github.com/signintech/gopdf"
)

// The fonts and their licence (fonts/LICENSE) ship inside the binary.
//
//go:embed fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf
var fontFiles embed.FS

const (
	regularFamily = "dejavu"
	boldFamily    = "dejavu-bold"
)

// fonts parses the font files once per process; every document takes its
// own subset of them from the container.
var fonts = sync.OnceValues(func() (*gopdf.FontContainer, error) {
	fc := &gopdf.FontContainer{}
	for family, file := range map[string]string{regularFamily: "fonts/DejaVuSans.ttf", boldFamily: "fonts/DejaVuSans-Bold.ttf"} {
		data, err := fontFiles.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("pdf: read %s: %w", file, err)
		}
		opt := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return '?' }}
		if err := fc.AddTTFFontDataWithOption(family, data, opt); err != nil {
			return nil, fmt.Errorf("pdf: parse %s: %w", file, err)
		}
	}
	return fc, nil
})

// Page sizes in points.
var (
	A4 = Size{595.28, 841.89}
	A6 = Size{297.64, 419.53}
	// Label4x3 is a 4×3-inch label, landscape, as label printers take it.
	Label4x3 = Size{288, 216}
)

// Size is a page's width and height in points.
type Size struct{ W, H float64 }

// Color is an RGB colour.
type Color struct{ R, G, B uint8 }

// Black and White are the plain colours.
var (
	Black = Color{0, 0, 0}
	White = Color{255, 255, 255}
)

// Doc is one PDF being drawn. Methods keep the first error and do nothing
// after it; Bytes reports it.
type Doc struct {
	gp   *gopdf.GoPdf
	Page Size
	err  error
	bold bool
	size float64
}

// New starts a document of pages of size page with the title in its
// metadata; add the first page with AddPage.
func New(page Size, title string) *Doc {
	d := &Doc{gp: &gopdf.GoPdf{}, Page: page}
	d.gp.Start(gopdf.Config{PageSize: gopdf.Rect{W: page.W, H: page.H}, Unit: gopdf.UnitPT})
	// Fast compression: a sheet of 2,000 badges compresses in a fraction of
	// the time for a few per cent more bytes.
	d.gp.SetCompressLevel(1)
	d.gp.SetInfo(gopdf.PdfInfo{Title: title, Producer: "Agora", Creator: "Agora"})
	fc, err := fonts()
	if err != nil {
		d.err = err
		return d
	}
	for _, f := range []string{regularFamily, boldFamily} {
		if err := d.gp.AddTTFFontFromFontContainer(f, fc); err != nil {
			d.err = fmt.Errorf("pdf: font %s: %w", f, err)
			return d
		}
	}
	return d
}

// AddPage starts a new page; drawing goes there.
func (d *Doc) AddPage() {
	if d.err != nil {
		return
	}
	d.gp.AddPage()
	d.size = 0 // the font is set again on the new page
}

// Pages is the number of pages so far.
func (d *Doc) Pages() int { return d.gp.GetNumberOfPages() }

// Font selects the font for the following text.
func (d *Doc) Font(bold bool, size float64) {
	if d.err != nil || (d.bold == bold && d.size == size) {
		return
	}
	family := regularFamily
	if bold {
		family = boldFamily
	}
	if err := d.gp.SetFont(family, "", size); err != nil {
		d.err = fmt.Errorf("pdf: set font: %w", err)
		return
	}
	d.bold, d.size = bold, size
}

// Width is the width of s in the current font.
func (d *Doc) Width(s string) float64 {
	if d.err != nil {
		return 0
	}
	w, err := d.gp.MeasureTextWidth(s)
	if err != nil {
		d.err = fmt.Errorf("pdf: measure: %w", err)
	}
	return w
}

// TextColor sets the colour of the following text.
func (d *Doc) TextColor(c Color) { d.gp.SetTextColor(c.R, c.G, c.B) }

// Text writes s in the current font with its top-left corner at x, y.
func (d *Doc) Text(x, y float64, s string) {
	if d.err != nil || s == "" {
		return
	}
	d.gp.SetXY(x, y)
	if err := d.gp.Cell(nil, s); err != nil {
		d.err = fmt.Errorf("pdf: text: %w", err)
	}
}

// TextRight writes s so that it ends at x.
func (d *Doc) TextRight(x, y float64, s string) { d.Text(x-d.Width(s), y, s) }

// TextCentered writes s centred on cx.
func (d *Doc) TextCentered(cx, y float64, s string) { d.Text(cx-d.Width(s)/2, y, s) }

// FitSize is the largest font size from max down to min (in half points)
// at which s fits in width; min when even that is too wide.
func (d *Doc) FitSize(s string, bold bool, max, min, width float64) float64 {
	for size := max; size > min; size -= 0.5 {
		d.Font(bold, size)
		if d.Width(s) <= width {
			return size
		}
	}
	return min
}

// Fill paints a rectangle.
func (d *Doc) Fill(x, y, w, h float64, c Color) {
	if d.err != nil {
		return
	}
	d.gp.SetFillColor(c.R, c.G, c.B)
	d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// Frame strokes a thin rectangle (a cutting guide, a border).
func (d *Doc) Frame(x, y, w, h float64, c Color, width float64) {
	if d.err != nil {
		return
	}
	d.gp.SetStrokeColor(c.R, c.G, c.B)
	d.gp.SetLineWidth(width)
	d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

// Bytes finishes the document and returns it, or the first error met
// while drawing.
func (d *Doc) Bytes() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	b, err := d.gp.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("pdf: write: %w", err)
	}
	return b, nil
}
