package app

import (
	"encoding/base64"
	"html/template"
	"strconv"

	"github.com/agora-events/agora/app/pdf"
)

// ticketQRModulePx is the drawn size of one QR module in the SVG's own
// pixels, so a program that draws it at its natural size (a phone's
// canvas, a scanner test) gets whole-pixel modules.
const ticketQRModulePx = 8

// ticketQR draws the QR code of a ticket as an inline SVG: one path of the
// dark runs of each row. A PNG of the same code took a quarter of the order
// page's time to draw and deflate (issue 17); the SVG is a few kilobytes,
// stays sharp at any zoom, and needs no image decoder.
func ticketQR(secret string) (template.URL, error) {
	q, err := pdf.NewQRCode(secret)
	if err != nil {
		return "", err
	}
	n := strconv.Itoa(len(q))
	side := strconv.Itoa(len(q) * ticketQRModulePx)
	buf := make([]byte, 0, 4096)
	buf = append(buf, `<svg xmlns="http://www.w3.org/2000/svg" width="`+side+`" height="`+side+`" viewBox="0 0 `+n+` `+n+
		`" shape-rendering="crispEdges"><rect width="`+n+`" height="`+n+`" fill="#fff"/><path fill="#000" d="`...)
	for r, runs := range q.Runs() {
		for _, ru := range runs {
			w := int64(ru.End - ru.Start)
			buf = append(buf, 'M')
			buf = strconv.AppendInt(buf, int64(ru.Start), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(r), 10)
			buf = append(buf, 'h')
			buf = strconv.AppendInt(buf, w, 10)
			buf = append(buf, "v1h-"...)
			buf = strconv.AppendInt(buf, w, 10)
			buf = append(buf, 'z')
		}
	}
	buf = append(buf, `"/></svg>`...)
	return template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(buf)), nil
}
