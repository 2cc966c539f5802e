package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A run's figure lines are recorded, read back, and compared: ratios are
// now/recorded, and whether a ratio is better depends on the unit's way.
func TestFiguresRecordAndCompare(t *testing.T) {
	path := filepath.Join(t.TempDir(), "figures.tsv")
	first := "noise\nfigure page.rps 1000 rps\nfigure scale.csv.p99 500 ms\nfigure page.rps 2000 rps\n"
	if err := figuresCommand("", path, strings.NewReader(first), os.Stdout); err != nil {
		t.Fatal(err)
	}
	rec, err := readFigureFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec) != 2 || rec["page.rps"].Value != 2000 || rec["page.rps"].Better != "higher" || rec["scale.csv.p99"].Better != "lower" ||
		rec["page.rps"].Date != time.Now().UTC().Format("2006-01-02") {
		t.Fatalf("recorded: %+v", rec)
	}
	var out strings.Builder
	second := "figure page.rps 1000 rps\nfigure scale.csv.p99 250 ms\nfigure scale.new.p50 3 ms\n"
	if err := figuresCommand(path, "", strings.NewReader(second), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("compare:\n%s", out.String())
	}
	for i, want := range []string{"0.50  WORSE", "0.50  better", "new"} {
		if !strings.HasSuffix(lines[i+1], want) {
			t.Errorf("line %d: %q, want it to end in %q", i+1, lines[i+1], want)
		}
	}
	if err := figuresCommand(path, "", strings.NewReader("nothing here"), &out); err == nil {
		t.Error("a run without figures compares to nothing: want an error")
	}
}
