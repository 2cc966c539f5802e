package pdf

// Line is one line of a simple text document (a receipt); Size is in points
// (default 10), Right aligns it at the right margin, Gap adds space before it.
type Line struct {
	Text  string
	Size  float64
	Bold  bool
	Right bool
	Gap   float64
}

const margin = 56.0

// Render returns an A4 PDF of the lines from the top, continuing on a new
// page when one is full.
func Render(title string, lines []Line) ([]byte, error) {
	d := New(A4, title)
	d.AddPage()
	y := margin
	for _, l := range lines {
		size := l.Size
		if size == 0 {
			size = 10
		}
		y += l.Gap
		if y+size*1.4 > A4.H-margin {
			d.AddPage()
			y = margin
		}
		d.Font(l.Bold, size)
		if l.Right {
			d.TextRight(A4.W-margin, y, l.Text)
		} else {
			d.Text(margin, y, l.Text)
		}
		y += size * 1.4
	}
	return d.Bytes()
}
