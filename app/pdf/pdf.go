// Package pdf writes small single-page PDF documents of text lines (a
// receipt), by hand: no PDF library is in the module set, and a receipt
// needs only Helvetica text at a few sizes.
package pdf

import (
	"bytes"
	"fmt"
	"strings"
)

// Line is one line of text; Size is in points (default 10), Bold uses
// Helvetica-Bold, Right right-aligns it at the right margin (approximately,
// by Helvetica's average width), Gap adds space before it.
type Line struct {
	Text  string
	Size  float64
	Bold  bool
	Right bool
	Gap   float64
}

// Page sizes in points (A4) and margins.
const (
	pageW, pageH = 595.0, 842.0
	margin       = 56.0
)

// Render returns a one-page A4 PDF with the lines from the top; lines that
// do not fit are dropped (a receipt fits).
func Render(title string, lines []Line) []byte {
	var content bytes.Buffer
	y := pageH - margin
	for _, l := range lines {
		size := l.Size
		if size == 0 {
			size = 10
		}
		y -= size*1.4 + l.Gap
		if y < margin {
			break
		}
		font := "F1"
		if l.Bold {
			font = "F2"
		}
		x := margin
		if l.Right {
			x = pageW - margin - float64(len([]rune(l.Text)))*size*0.5
		}
		fmt.Fprintf(&content, "BT /%s %.1f Tf %.1f %.1f Td (%s) Tj ET\n", font, size, x, y, escape(l.Text))
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>", pageW, pageH),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		fmt.Sprintf("<< /Title (%s) /Producer (Agora) >>", escape(title)),
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, len(objs), xref)
	return out.Bytes()
}

// escape turns text into a PDF string body in WinAnsi (Latin-1 plus a few
// signs): backslash and parentheses escaped, other characters that the
// encoding lacks shown as "?".
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '(' || r == ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '€':
			b.WriteString("\\200")
		case r == '–' || r == '—':
			b.WriteString("\\226")
		case r == '·':
			b.WriteString("\\267")
		case r >= 32 && r < 127:
			b.WriteRune(r)
		case r >= 160 && r <= 255:
			fmt.Fprintf(&b, "\\%03o", r)
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
