package pdf

import (
	"fmt"

	"github.com/skip2/go-qrcode"
)

// QR draws the QR code of value as a square of side size at x, y, in vector
// form (one rectangle per run of dark modules, with the quiet zone), so it
// stays sharp on any printer and costs a few hundred bytes instead of an
// image per person.
func (d *Doc) QR(x, y, size float64, value string) {
	if d.err != nil {
		return
	}
	q, err := qrcode.New(value, qrcode.Medium)
	if err != nil {
		d.err = fmt.Errorf("pdf: qr code: %w", err)
		return
	}
	bm := q.Bitmap() // includes the 4-module quiet zone
	n := float64(len(bm))
	m := size / n
	d.Fill(x, y, size, size, White)
	d.gp.SetFillColor(0, 0, 0)
	for r, row := range bm {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// A hair wider than the run so neighbouring rows leave no seams.
			d.gp.RectFromUpperLeftWithStyle(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m+0.05, m+0.05, "F")
		}
	}
}
