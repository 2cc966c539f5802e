package testenv

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// PDFText returns the text a real PDF reader (pdftotext from poppler-utils)
// finds in data, in reading order with pages separated by form feeds. Without
// pdftotext the test is skipped (failed in CI). AGORA_PDFTOTEXT points at
// another copy.
func PDFText(t testing.TB, data []byte) string {
	t.Helper()
	bin := findBinary("AGORA_PDFTOTEXT", "pdftotext")
	if bin == "" {
		Missing(t, "pdftotext", "install poppler-utils (apt-get install poppler-utils) or set AGORA_PDFTOTEXT")
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", writePDF(t, data), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// PDFPages returns the number of pages pdfinfo (poppler-utils) counts in
// data; it skips like PDFText when pdfinfo is absent.
func PDFPages(t testing.TB, data []byte) int {
	t.Helper()
	bin := findBinary("AGORA_PDFINFO", "pdfinfo")
	if bin == "" {
		Missing(t, "pdfinfo", "install poppler-utils (apt-get install poppler-utils) or set AGORA_PDFINFO")
	}
	out, err := exec.Command(bin, writePDF(t, data)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("Syntax Error")) {
		t.Errorf("pdfinfo reports errors:\n%s", out)
	}
	m := pagesLine.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo printed no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func writePDF(t testing.TB, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// PDFImage renders the first page of data at dpi with pdftoppm
// (poppler-utils), to check what a drawing looks like; it skips like
// PDFText when pdftoppm is absent.
func PDFImage(t testing.TB, data []byte, dpi int) image.Image {
	t.Helper()
	bin := findBinary("AGORA_PDFTOPPM", "pdftoppm")
	if bin == "" {
		Missing(t, "pdftoppm", "install poppler-utils (apt-get install poppler-utils) or set AGORA_PDFTOPPM")
	}
	out := filepath.Join(t.TempDir(), "page")
	if msg, err := exec.Command(bin, "-png", "-r", strconv.Itoa(dpi), "-singlefile", writePDF(t, data), out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, msg)
	}
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
