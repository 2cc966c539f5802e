package pdf

import (
	"strings"
	"sync"
	"testing"

	"github.com/agora-events/agora/app/testenv"
)

var scripts = []string{"Παναγιώτης Οικονόμου", "Анастасия Кузнецова", "José Núñez", "Zoë Ødegård", "Łukasz Żółć", "Ærøskøbing – 25,00 €"}

// Every script prints: a real PDF reader finds each line again.
func TestRenderPrintsEuropeanScripts(t *testing.T) {
	var lines []Line
	for i, s := range scripts {
		lines = append(lines, Line{Text: s, Bold: i%2 == 0, Right: i == 3, Size: 9 + float64(i)})
	}
	doc, err := Render("Receipt Ωμέγα", lines)
	if err != nil {
		t.Fatal(err)
	}
	text := testenv.PDFText(t, doc)
	for _, s := range scripts {
		if !strings.Contains(text, s) {
			t.Errorf("pdftotext does not find %q in:\n%s", s, text)
		}
	}
	if n := testenv.PDFPages(t, doc); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
}

// A long document continues on further pages instead of losing lines.
func TestRenderContinuesOnNewPages(t *testing.T) {
	var lines []Line
	for range 120 {
		lines = append(lines, Line{Text: "line"})
	}
	lines = append(lines, Line{Text: "the last line"})
	doc, err := Render("long", lines)
	if err != nil {
		t.Fatal(err)
	}
	if n := testenv.PDFPages(t, doc); n < 2 {
		t.Errorf("%d pages, want at least 2", n)
	}
	if !strings.Contains(testenv.PDFText(t, doc), "the last line") {
		t.Error("the last line is missing")
	}
}

// Documents drawn at the same time share the parsed fonts safely (go test
// -race) and each embeds only its own characters.
func TestConcurrentDocuments(t *testing.T) {
	var wg sync.WaitGroup
	out := make([][]byte, len(scripts))
	for i, s := range scripts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := New(A6, s)
			d.AddPage()
			d.Font(true, d.FitSize(s, true, 40, 8, A6.W-20))
			d.Text(10, 10, s)
			d.QR(10, 100, 120, "secret-"+s)
			b, err := d.Bytes()
			if err != nil {
				t.Error(err)
			}
			out[i] = b
		}()
	}
	wg.Wait()
	for i, s := range scripts {
		if got := testenv.PDFText(t, out[i]); !strings.Contains(got, s) {
			t.Errorf("document %d: %q not found in %q", i, s, got)
		}
	}
}

// FitSize shrinks a long name until it fits, and keeps a short one large.
func TestFitSize(t *testing.T) {
	d := New(A6, "fit")
	d.AddPage()
	if got := d.FitSize("Ana", true, 30, 10, 200); got != 30 {
		t.Errorf("short name at %v pt, want 30", got)
	}
	long := "Maria de los Ángeles Fernández-Villaverde y Quiñones"
	got := d.FitSize(long, true, 30, 8, 200)
	d.Font(true, got)
	if got >= 30 || got < 8 || (got > 8 && d.Width(long) > 200) {
		t.Errorf("long name at %v pt is %v wide, want it to fit 200", got, d.Width(long))
	}
}

// The drawn QR code is the encoding of its value, module for module, as
// a renderer (pdftoppm) paints it: what a scanner sees.
func TestQRCodeDrawnModuleForModule(t *testing.T) {
	value := "Vxh5Tf8nZcDHTWJcm-2w_UwkVQeq_OGBJKjCrbT5qwo"
	q, err := NewQRCode(value)
	if err != nil {
		t.Fatal(err)
	}
	n := len(q)
	module := 8.0 // points, and pixels at 72 dpi
	d := New(Size{float64(n) * module, float64(n) * module}, "qr")
	d.AddPage()
	d.QR(0, 0, float64(n)*module, value)
	doc, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	img := testenv.PDFImage(t, doc, 72)
	bad := 0
	for r := range n {
		for c := range n {
			px := img.At(int((float64(c)+0.5)*module), int((float64(r)+0.5)*module))
			y, _, _, _ := px.RGBA()
			dark := y < 0x8000
			if dark != q[r][c] {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d modules differ from the encoding", bad, n*n)
	}
}
