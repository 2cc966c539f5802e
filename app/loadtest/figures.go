package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A figure is one number the bench measures: "figure NAME VALUE UNIT" in
// its output, and a row of docs/bench-figures.tsv (name, value, unit,
// better: "higher" or "lower", date) once recorded.
type figure struct {
	Name   string
	Value  float64
	Unit   string
	Better string
	Date   string
}

// betterOf says which way a unit improves: rates up, times and sizes down.
func betterOf(unit string) string {
	if unit == "rps" || strings.HasSuffix(unit, "/s") {
		return "higher"
	}
	return "lower"
}

// readFigureLines takes the "figure NAME VALUE UNIT" lines of a bench run,
// in order; the last of a name wins.
func readFigureLines(r io.Reader) ([]figure, error) {
	var out []figure
	at := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 4 || f[0] != "figure" {
			continue
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("figure %s: value %q", f[1], f[2])
		}
		fig := figure{Name: f[1], Value: v, Unit: f[3], Better: betterOf(f[3])}
		if i, ok := at[fig.Name]; ok {
			out[i] = fig
			continue
		}
		at[fig.Name] = len(out)
		out = append(out, fig)
	}
	return out, sc.Err()
}

// readFigureFile reads the recorded figures (a missing file has none).
func readFigureFile(path string) (map[string]figure, error) {
	out := map[string]figure{}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for n, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("%s:%d: want 5 tab-separated fields (name, value, unit, better, date)", path, n+1)
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil || (f[3] != "higher" && f[3] != "lower") {
			return nil, fmt.Errorf("%s:%d: bad value or better column", path, n+1)
		}
		out[f[0]] = figure{Name: f[0], Value: v, Unit: f[2], Better: f[3], Date: f[4]}
	}
	return out, nil
}

// compareFigures prints, for every figure of the run, its ratio to the
// last recorded one and whether that is better or worse (beyond 10%, which
// a shared machine's noise easily reaches); figures never recorded say so.
func compareFigures(w io.Writer, run []figure, recorded map[string]figure) {
	fmt.Fprintf(w, "%-40s %12s %12s %-10s %7s  %s\n", "figure", "now", "recorded", "on", "ratio", "")
	for _, f := range run {
		last, ok := recorded[f.Name]
		if !ok || last.Value == 0 {
			fmt.Fprintf(w, "%-40s %12s %12s %-10s %7s  new\n", f.Name, num(f.Value, f.Unit), "-", "-", "-")
			continue
		}
		ratio := f.Value / last.Value
		verdict := "same"
		gain := ratio
		if last.Better == "lower" {
			gain = 1 / ratio
		}
		switch {
		case gain > 1.1:
			verdict = "better"
		case gain < 1/1.1:
			verdict = "WORSE"
		}
		fmt.Fprintf(w, "%-40s %12s %12s %-10s %7.2f  %s\n", f.Name, num(f.Value, f.Unit), num(last.Value, last.Unit), last.Date, ratio, verdict)
	}
}

func num(v float64, unit string) string { return strconv.FormatFloat(v, 'f', -1, 64) + " " + unit }

// recordFigures writes the run's figures into the file at path, dated
// today, keeping recorded figures the run did not measure; sorted by name.
func recordFigures(path string, run []figure, recorded map[string]figure, today time.Time) error {
	for _, f := range run {
		f.Date = today.UTC().Format("2006-01-02")
		recorded[f.Name] = f
	}
	names := make([]string, 0, len(recorded))
	for n := range recorded {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# Figures of `bash .ci/bench` (docs/BENCHMARKS.md): name, value, unit, better (higher or lower), date recorded.\n")
	b.WriteString("# `bash .ci/bench compare` prints each new figure's ratio to these; `bash .ci/bench record` rewrites them.\n")
	for _, n := range names {
		f := recorded[n]
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\n", f.Name, strconv.FormatFloat(f.Value, 'f', -1, 64), f.Unit, f.Better, f.Date)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// figuresCommand runs -compare or -record: the run's figure lines come from in.
func figuresCommand(compare, record string, in io.Reader, out io.Writer) error {
	run, err := readFigureLines(in)
	if err != nil {
		return err
	}
	if len(run) == 0 {
		return fmt.Errorf("no figure lines in the input")
	}
	path := compare
	if path == "" {
		path = record
	}
	recorded, err := readFigureFile(path)
	if err != nil {
		return err
	}
	if compare != "" {
		compareFigures(out, run, recorded)
		return nil
	}
	return recordFigures(record, run, recorded, time.Now())
}
