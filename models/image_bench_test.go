package models_test

import (
	"fmt"
	"testing"

	"github.com/agora-events/agora/models"
)

// BenchmarkProcessCover is the work of one cover upload: decode, orient,
// crop and encode the three variants (the figures in docs/BENCHMARKS.md).
func BenchmarkProcessCover(b *testing.B) {
	for _, size := range []struct{ w, h int }{{4000, 3000}, {6000, 4000}} {
		data := testPicture(b, size.w, size.h, "jpeg")
		b.Run(fmt.Sprintf("%dMP-jpeg", size.w*size.h/1000000), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := models.ProcessImage(data, models.PurposeCover); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
