package pdf

import (
	"fmt"

	"github.com/skip2/go-qrcode"
)

// QRCode is a QR code's modules (true = dark), quiet zone included.
type QRCode [][]bool

// NewQRCode encodes value at the medium error-correction level, as the
// tickets in mails and on the order page are. Encoding is the costly part
// of a QR code, so callers with many may run it in parallel.
func NewQRCode(value string) (QRCode, error) {
	q, err := qrcode.New(value, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("pdf: qr code: %w", err)
	}
	return q.Bitmap(), nil
}

// Run is a stretch of dark modules in one row, from Start to End (excluded).
type Run struct{ Start, End int }

// Runs returns each row's dark runs, left to right: what a drawing of the
// code fills (here in PDF, on the order page in SVG).
func (q QRCode) Runs() [][]Run {
	rows := make([][]Run, len(q))
	for r, row := range q {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			s := c
			for c < len(row) && row[c] {
				c++
			}
			rows[r] = append(rows[r], Run{s, c})
		}
	}
	return rows
}

// QR draws the QR code of value as a square of side size at x, y.
func (d *Doc) QR(x, y, size float64, value string) {
	if d.err != nil {
		return
	}
	q, err := NewQRCode(value)
	if err != nil {
		d.err = err
		return
	}
	d.QRCode(x, y, size, q)
}

// QRCode draws q in vector form: one rectangle per block of dark modules
// (a run in a row, stretched down over the rows that repeat it), so it
// stays sharp on any printer and costs a few hundred bytes, not an image
// per person.
func (d *Doc) QRCode(x, y, size float64, q QRCode) {
	if d.err != nil || len(q) == 0 {
		return
	}
	m := size / float64(len(q))
	d.Fill(x, y, size, size, White)
	d.gp.SetFillColor(0, 0, 0)
	rows := q.Runs()
	used := make([][]bool, len(q))
	for r := range rows {
		used[r] = make([]bool, len(rows[r]))
	}
	for r, runs := range rows {
		for i, ru := range runs {
			if used[r][i] {
				continue
			}
			h := 1
		down:
			for r+h < len(rows) {
				for j, other := range rows[r+h] {
					if other == ru && !used[r+h][j] {
						used[r+h][j] = true
						h++
						continue down
					}
				}
				break
			}
			// A hair larger than the block so neighbours leave no seams.
			d.gp.RectFromUpperLeftWithStyle(x+float64(ru.Start)*m, y+float64(r)*m, float64(ru.End-ru.Start)*m+0.05, float64(h)*m+0.05, "F")
		}
	}
}
